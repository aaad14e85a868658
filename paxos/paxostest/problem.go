package paxostest

import (
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/accountkit/accountkit-go/internal/fakeapi"
)

// problem writes a Paxos-style problem document.
func problem(w http.ResponseWriter, status int, slug, title, detail string, meta map[string]any) {
	body := map[string]any{
		"type":   "https://developer.paxos.com/docs/v2/problems/" + slug,
		"title":  title,
		"status": status,
		"detail": detail,
	}
	if meta != nil {
		body["meta"] = meta
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

func badRequest(w http.ResponseWriter, detail string, args ...any) {
	problem(w, http.StatusBadRequest, "bad-request", "Bad Request", fmt.Sprintf(detail, args...), nil)
}

func notFound(w http.ResponseWriter, what, id string) {
	problem(w, http.StatusNotFound, "not-found", "Not Found", fmt.Sprintf("%s %s not found", what, id), nil)
}

func conflict(w http.ResponseWriter, detail string, existing any) {
	problem(w, http.StatusConflict, "already-exists", "Conflict", detail, map[string]any{"existing": existing})
}

func writeJSON(w http.ResponseWriter, status int, v any) { fakeapi.WriteJSON(w, status, v) }

// decodeBody reads a JSON body, ignoring members the fake does not know,
// as Paxos ignores them (its schemas leave objects open). It answers 400
// itself when the body is not JSON of the right shape.
func decodeBody(w http.ResponseWriter, r *http.Request, v any) bool {
	if err := fakeapi.DecodeJSON(r.Body, v, false); err != nil {
		badRequest(w, "invalid JSON body: %v", err)
		return false
	}
	return true
}
