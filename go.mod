module github.com/accountkit/accountkit-go

go 1.25

require golang.org/x/oauth2 v0.35.0
