package transport

import (
	"errors"
	"strings"
	"testing"

	"github.com/accountkit/accountkit-go"
)

func TestPathParamRefusesDotSegments(t *testing.T) {
	for _, value := range []string{"", ".", ".."} {
		got, err := PathParam("account_group_id", value)
		if !errors.Is(err, accountkit.ErrInvalidRequest) || !strings.Contains(err.Error(), "path parameter account_group_id") {
			t.Errorf("PathParam(%q) = %q, %v; want ErrInvalidRequest naming the parameter", value, got, err)
		}
	}
	for value, want := range map[string]string{
		"acc-1": "acc-1", "...": "...", ".a": ".a", "a/..": "a%2F..", "../x": "..%2Fx", "%2e%2e": "%252e%252e", "a b": "a%20b",
	} {
		if got, err := PathParam("id", value); err != nil || got != want {
			t.Errorf("PathParam(%q) = %q, %v; want %q", value, got, err, want)
		}
	}
}

func TestExpandPath(t *testing.T) {
	if got := ExpandPath("https://api.example.com/v2", "/a/%s/b/%s", "x%2Fy", "z"); got != "https://api.example.com/v2/a/x%2Fy/b/z" {
		t.Errorf("ExpandPath = %s", got)
	}
}
