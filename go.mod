module github.com/accountkit/accountkit-go

go 1.25

require (
	golang.org/x/oauth2 v0.35.0
	golang.org/x/time v0.14.0
)

require github.com/google/go-cmp v0.7.0
