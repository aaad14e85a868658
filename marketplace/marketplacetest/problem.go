package marketplacetest

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
)

// problem writes a SoftwareOne-style problem document. fieldErrors, when
// not nil, is sent as the errors member (a map or a list).
func problem(w http.ResponseWriter, status int, detail string, fieldErrors any) {
	body := map[string]any{
		"type":    "https://tools.ietf.org/html/rfc9110#section-15",
		"title":   http.StatusText(status),
		"status":  status,
		"traceId": "00-" + strings.Repeat("0", 24) + strconv.Itoa(100000000+status) + "-00000000000000-01",
	}
	if detail != "" {
		body["detail"] = detail
	}
	if fieldErrors != nil {
		body["title"] = "One or more validation errors occurred."
		body["errors"] = fieldErrors
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

// validation answers 400 with errors as a map of field to messages.
func validation(w http.ResponseWriter, field, msg string) {
	problem(w, http.StatusBadRequest, "", map[string][]string{field: {msg}})
}

// conflict answers 400 with errors as a list, the API's other shape.
func conflict(w http.ResponseWriter, id, msg string) {
	problem(w, http.StatusBadRequest, msg, []map[string]any{{"id": id, "message": msg, "properties": []string{"status"}}})
}
