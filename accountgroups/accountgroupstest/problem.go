package accountgroupstest

import (
	"encoding/json"
	"fmt"
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

// requestID is the n-th answer's upvest-request-id (and its problem
// document's request_id): a UUID, as the vendor's spec declares the header
// on every response, numbered so that recorded exchanges repeat. Its
// variant digit, a, keeps it apart from the ids WithDeterministicIDs
// gives account groups (00000000-0000-4000-8000-...).
func requestID(n int) string { return fmt.Sprintf("00000000-0000-4000-a000-%012d", n) }
