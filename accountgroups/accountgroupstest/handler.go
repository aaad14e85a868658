package accountgroupstest

import (
	"bytes"
	"crypto"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/accountkit/accountkit-go/accountgroups"
	"github.com/accountkit/accountkit-go/internal/fakeapi"
	"github.com/accountkit/accountkit-go/internal/httpsig"
	"github.com/accountkit/accountkit-go/internal/uuid"
)

func (s *Server) handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /auth/token", s.issueToken)
	mux.HandleFunc("GET /auth/verify_keys", s.authorized(accountgroups.ScopeAccountsRead, s.verifyKeys))
	mux.HandleFunc("GET /account_groups", s.authorized(accountgroups.ScopeAccountsRead, s.listAll))
	mux.HandleFunc("POST /account_groups", s.authorized(accountgroups.ScopeAccountsAdmin, s.create))
	mux.HandleFunc("GET /account_groups/{id}", s.authorized(accountgroups.ScopeAccountsRead, s.get))
	mux.HandleFunc("DELETE /account_groups/{id}", s.authorized(accountgroups.ScopeAccountsAdmin, s.close))
	mux.HandleFunc("GET /users/{user_id}/account_groups", s.authorized(accountgroups.ScopeAccountsRead, s.listUser))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		problem(w, http.StatusNotFound, "no such endpoint: "+r.Method+" "+r.URL.Path)
	})
	return s.verifySignature(mux)
}

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

// verifySignature refuses, like Upvest, any request that is not signed by
// a registered key, lacks upvest-client-id or names another client.
func (s *Server) verifySignature(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		if err != nil {
			problem(w, http.StatusBadRequest, "reading the body: "+err.Error())
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		required := []string{"upvest-client-id"}
		if r.URL.Path != "/auth/token" {
			required = append(required, "authorization")
		}
		if r.Header.Get("Idempotency-Key") != "" {
			required = append(required, "idempotency-key")
		}
		_, err = httpsig.Verify(r, body, httpsig.VerifyOptions{
			Now:      time.Now, // signatures are checked against the real clock, whatever WithClock says
			Required: required,
			Key: func(kid string) (crypto.PublicKey, error) {
				s.mu.Lock()
				defer s.mu.Unlock()
				if k, ok := s.clientKeys[kid]; ok {
					return k, nil
				}
				return nil, fmt.Errorf("%w: %q", httpsig.ErrUnknownKey, kid)
			},
		})
		if err != nil {
			problem(w, http.StatusUnauthorized, "signature verification failed: "+err.Error())
			return
		}
		switch {
		case r.Header.Get(accountgroups.HeaderClientID) != ClientID:
			problem(w, http.StatusUnauthorized, "upvest-client-id is missing or unknown")
			return
		case r.Header.Get(accountgroups.HeaderAPIVersion) != "1":
			problem(w, http.StatusBadRequest, "upvest-api-version 1 is required")
			return
		case r.Header.Get(accountgroups.HeaderSignatureVersion) != "15":
			problem(w, http.StatusBadRequest, "upvest-signature-version 15 is required")
			return
		}
		next.ServeHTTP(w, r)
	})
}

func (s *Server) issueToken(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Authorization") != "" {
		problem(w, http.StatusBadRequest, "the token request carries no authorization header")
		return
	}
	if err := r.ParseForm(); err != nil {
		problem(w, http.StatusBadRequest, "the body is not a form")
		return
	}
	f := r.PostForm
	if f.Get("grant_type") != "client_credentials" || f.Get("client_id") != ClientID || f.Get("client_secret") != ClientSecret {
		problem(w, http.StatusUnauthorized, "unknown client, wrong secret or grant type")
		return
	}
	scopes := make(map[string]bool)
	for _, sc := range strings.Fields(f.Get("scope")) {
		if sc != accountgroups.ScopeAccountsRead && sc != accountgroups.ScopeAccountsAdmin {
			problem(w, http.StatusBadRequest, "unknown scope "+sc)
			return
		}
		scopes[sc] = true
	}
	tok := "accountgroupstest_" + strings.ReplaceAll(uuid.New(), "-", "")
	s.mu.Lock()
	s.tokens[tok] = tokenInfo{expires: s.now().Add(s.tokenTTL), scopes: scopes}
	s.issued++
	ttl := s.tokenTTL
	s.mu.Unlock()
	fakeapi.WriteJSON(w, http.StatusOK, map[string]any{
		"access_token": tok, "token_type": "bearer", "expires_in": int(ttl / time.Second), "scope": f.Get("scope"),
	})
}

// authorized checks the bearer token and scope (accounts:admin covers
// reads too).
func (s *Server) authorized(scope string, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		raw, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		s.mu.Lock()
		tok, ok := s.tokens[raw]
		now := s.now()
		s.mu.Unlock()
		switch {
		case !ok || !now.Before(tok.expires):
			problem(w, http.StatusUnauthorized, "the access token is missing, invalid or expired")
		case !tok.scopes[scope] && !tok.scopes[accountgroups.ScopeAccountsAdmin]:
			problem(w, http.StatusForbidden, "the access token lacks scope "+scope)
		default:
			h(w, r)
		}
	}
}

func (s *Server) verifyKeys(w http.ResponseWriter, _ *http.Request) {
	fakeapi.WriteJSON(w, http.StatusOK, s.WebhookKeys())
}

func (s *Server) get(w http.ResponseWriter, r *http.Request) {
	g, ok := s.AccountGroup(r.PathValue("id"))
	if !ok {
		problem(w, http.StatusNotFound, "account group "+r.PathValue("id")+" not found")
		return
	}
	fakeapi.WriteJSON(w, http.StatusOK, g)
}

func (s *Server) create(w http.ResponseWriter, r *http.Request) {
	key := r.Header.Get("Idempotency-Key")
	if !uuid.Valid(key) {
		problem(w, http.StatusBadRequest, "idempotency-key must be a UUID")
		return
	}
	body, _ := io.ReadAll(r.Body)
	sum := sha256.Sum256(body)
	hash := hex.EncodeToString(sum[:])

	s.mu.Lock()
	defer s.mu.Unlock()
	if prev, ok := s.idempotent[key]; ok {
		if prev.bodyHash != hash {
			problem(w, http.StatusUnprocessableEntity, "idempotency-key "+key+" was used for a different request")
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Idempotent-Replayed", "true")
		w.WriteHeader(prev.status)
		_, _ = w.Write(prev.body)
		return
	}
	var req accountgroups.CreateAccountGroupRequest
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		problem(w, http.StatusBadRequest, "invalid body: "+err.Error())
		return
	}
	if !uuid.Valid(req.UserID) {
		problem(w, http.StatusBadRequest, "user_id must be a UUID")
		return
	}
	if !req.Type.Valid() {
		problem(w, http.StatusBadRequest, "unknown account group type "+string(req.Type))
		return
	}
	g := s.store(accountgroups.AccountGroup{
		Type:  req.Type,
		Users: []accountgroups.AccountGroupUser{{ID: req.UserID, Type: accountgroups.AccountGroupUserTypeOwner}},
	})
	out, _ := json.Marshal(g)
	s.idempotent[key] = storedAnswer{bodyHash: hash, status: http.StatusOK, body: out}
	s.emit(accountgroups.EventTypeAccountGroupCreated, *g)
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(out)
}

func (s *Server) close(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	q := r.URL.Query()
	reason := accountgroups.ClosureReason(q.Get("closure_reason"))
	if !reason.Valid() {
		problem(w, http.StatusBadRequest, "closure_reason is missing or unknown")
		return
	}
	notify := false
	if v := q.Get("notification_only"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			problem(w, http.StatusBadRequest, "notification_only must be true or false")
			return
		}
		notify = b
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	g, ok := s.groups[id]
	switch {
	case !ok:
		problem(w, http.StatusNotFound, "account group "+id+" not found")
		return
	case g.Status != accountgroups.AccountGroupStatusActive:
		problem(w, http.StatusConflict, "an account group that is "+string(g.Status)+" cannot be closed")
		return
	}
	if !notify {
		g.Status = accountgroups.AccountGroupStatusClosing
		g.UpdatedAt = s.now().UTC().Truncate(time.Second)
		s.emit(accountgroups.EventTypeAccountGroupClosingInitiated, *g)
		time.AfterFunc(s.closingDelay, func() { s.finishClosing(id) })
	}
	w.WriteHeader(http.StatusAccepted)
}

// finishClosing moves a CLOSING group to CLOSED.
func (s *Server) finishClosing(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if g, ok := s.groups[id]; ok && g.Status == accountgroups.AccountGroupStatusClosing {
		g.Status = accountgroups.AccountGroupStatusClosed
		g.UpdatedAt = s.now().UTC().Truncate(time.Second)
		s.emit(accountgroups.EventTypeAccountGroupClosed, *g)
	}
}

func (s *Server) listAll(w http.ResponseWriter, r *http.Request) { s.list(w, r, "") }

func (s *Server) listUser(w http.ResponseWriter, r *http.Request) {
	s.list(w, r, r.PathValue("user_id"))
}

func (s *Server) list(w http.ResponseWriter, r *http.Request, userID string) {
	q := r.URL.Query()
	for k := range q {
		if !slices.Contains([]string{"offset", "limit", "sort", "order"}, k) {
			problem(w, http.StatusBadRequest, "unknown query parameter "+k)
			return
		}
	}
	offset, err := intParam(q.Get("offset"), 0, 0, 1<<30)
	if err != nil {
		problem(w, http.StatusBadRequest, "offset: "+err.Error())
		return
	}
	limit, err := intParam(q.Get("limit"), 100, 1, accountgroups.MaxPageSize)
	if err != nil {
		problem(w, http.StatusBadRequest, "limit: "+err.Error())
		return
	}
	sortBy := accountgroups.SortField(q.Get("sort"))
	if sortBy == "" {
		sortBy = accountgroups.SortFieldCreatedAt
	}
	order := accountgroups.SortOrder(q.Get("order"))
	if order == "" {
		order = accountgroups.SortOrderAsc
	}
	if !sortBy.Valid() || !order.Valid() {
		problem(w, http.StatusBadRequest, "sort must be created_at or updated_at, order ASC or DESC")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var all []*accountgroups.AccountGroup
	for _, id := range s.order {
		g := s.groups[id]
		if userID == "" || slices.ContainsFunc(g.Users, func(u accountgroups.AccountGroupUser) bool { return u.ID == userID }) {
			all = append(all, g)
		}
	}
	sort.SliceStable(all, func(i, j int) bool {
		a, b := all[i].CreatedAt, all[j].CreatedAt
		if sortBy == accountgroups.SortFieldUpdatedAt {
			a, b = all[i].UpdatedAt, all[j].UpdatedAt
		}
		if order == accountgroups.SortOrderDesc {
			return a.After(b)
		}
		return a.Before(b)
	})
	page := accountgroups.AccountGroupList{Data: []accountgroups.AccountGroup{}}
	if offset < len(all) {
		for _, g := range all[offset:min(offset+limit, len(all))] {
			page.Data = append(page.Data, *g)
		}
	}
	page.Meta = accountgroups.ListMeta{Offset: offset, Limit: limit, Count: len(page.Data), TotalCount: len(all), Sort: string(sortBy), Order: order}
	fakeapi.WriteJSON(w, http.StatusOK, page)
}

func intParam(v string, def, lo, hi int) (int, error) {
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		return 0, errors.New("must be an integer from " + strconv.Itoa(lo) + " to " + strconv.Itoa(hi))
	}
	return n, nil
}
