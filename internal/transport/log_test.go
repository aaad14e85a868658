package transport

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"
)

// TestLogNeverHoldsSecrets logs a failing and a succeeding attempt and
// checks every field is there and no header value or query is.
func TestLogNeverHoldsSecrets(t *testing.T) {
	s := newServer(t, 503)
	var buf bytes.Buffer
	cache := NewTokenCache(func(context.Context) (*oauth2.Token, error) {
		return &oauth2.Token{AccessToken: "secret-token-value", Expiry: time.Now().Add(time.Hour)}, nil
	})
	d := newDoer(t, Config{
		Tokens:           cache,
		Logger:           slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug})),
		RequestIDHeaders: []string{"X-Request-Id"},
		Header:           http.Header{"Upvest-Client-Id": {"client-id-value"}},
	})
	req, _ := http.NewRequest(http.MethodGet, s.URL+"/accounts/42?email=jane%40example.com", nil)
	resp, err := d.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	out := buf.String()
	for _, want := range []string{"level=WARN", "level=DEBUG", "method=GET", "path=/accounts/42", "status=503", "status=200", "attempt=1", "attempt=2", "request_id=rid", "duration="} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
	for _, secret := range []string{"secret-token-value", "Bearer", "client-id-value", "jane", "email"} {
		if strings.Contains(out, secret) {
			t.Errorf("log holds %q:\n%s", secret, out)
		}
	}
}
