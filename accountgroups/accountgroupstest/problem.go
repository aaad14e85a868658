package accountgroupstest

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/accountkit/accountkit-go/accountgroups"
)

// problem writes an Upvest-style problem document.
func problem(w http.ResponseWriter, status int, detail string) {
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{
		"type":       "https://docs.upvest.co/documentation/errors#" + strings.ReplaceAll(strings.ToLower(http.StatusText(status)), " ", "-"),
		"title":      http.StatusText(status),
		"status":     status,
		"detail":     detail,
		"request_id": w.Header().Get(accountgroups.HeaderRequestID),
	})
}
