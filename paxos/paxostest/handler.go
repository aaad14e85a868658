package paxostest

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/accountkit/accountkit-go/internal/fakeapi"
	"github.com/accountkit/accountkit-go/paxos"
)

const apiBase = "/v2"

func (s *Server) handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /oauth2/token", s.handleToken)
	api := func(scope string, h func(w http.ResponseWriter, r *http.Request)) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			if !s.authorize(w, r, scope) {
				return
			}
			h(w, r)
		}
	}
	mux.HandleFunc("GET /v2/identity/accounts", api(paxos.ScopeReadAccount, s.listAccounts))
	mux.HandleFunc("POST /v2/identity/accounts", api(paxos.ScopeWriteAccount, s.createAccount))
	mux.HandleFunc("PUT /v2/identity/accounts", api(paxos.ScopeWriteAccount, s.updateAccount))
	mux.HandleFunc("GET /v2/identity/accounts/{id}", api(paxos.ScopeReadAccount, s.getAccount))
	mux.HandleFunc("POST /v2/identity/account-members", api(paxos.ScopeWriteAccount, s.addAccountMembers))
	mux.HandleFunc("DELETE /v2/identity/account-members/{id}", api(paxos.ScopeWriteAccount, s.deleteAccountMember))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		problem(w, http.StatusNotFound, "not_found", "Not Found", "no such endpoint: "+r.Method+" "+r.URL.Path, nil)
	})
	return mux
}

func (s *Server) handleToken(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		oauthError(w, http.StatusBadRequest, "invalid_request", "the body is not a form")
		return
	}
	id, secret := r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	if u, p, ok := r.BasicAuth(); ok {
		id, secret = u, p
	}
	if r.PostForm.Get("grant_type") != "client_credentials" {
		oauthError(w, http.StatusBadRequest, "unsupported_grant_type", "only client_credentials is supported")
		return
	}
	if id != ClientID || secret != ClientSecret {
		oauthError(w, http.StatusUnauthorized, "invalid_client", "unknown client or wrong secret")
		return
	}
	scopes := make(map[string]bool)
	requested := strings.Fields(r.PostForm.Get("scope"))
	for _, sc := range requested {
		if sc != paxos.ScopeReadAccount && sc != paxos.ScopeWriteAccount {
			oauthError(w, http.StatusBadRequest, "invalid_scope", "unknown scope "+sc)
			return
		}
		scopes[sc] = true
	}
	tok := s.newToken()
	s.mu.Lock()
	ttl := s.tokenTTL
	s.tokens[tok] = token{expires: s.now().Add(ttl), scopes: scopes}
	s.issued++
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{
		"access_token": tok,
		"token_type":   "bearer",
		"expires_in":   int(ttl / time.Second),
		"scope":        strings.Join(requested, " "),
	})
}

func oauthError(w http.ResponseWriter, status int, code, desc string) {
	writeJSON(w, status, map[string]string{"error": code, "error_description": desc})
}

// authorize checks the bearer token and its scope, answering 401 or 403
// when they do not allow the request.
func (s *Server) authorize(w http.ResponseWriter, r *http.Request, scope string) bool {
	auth := r.Header.Get("Authorization")
	raw, ok := strings.CutPrefix(auth, "Bearer ")
	if !ok {
		problem(w, http.StatusUnauthorized, "unauthorized", "Unauthorized", "missing bearer token", nil)
		return false
	}
	s.mu.Lock()
	tok, known := s.tokens[raw]
	now := s.now()
	s.mu.Unlock()
	if !known || !now.Before(tok.expires) {
		problem(w, http.StatusUnauthorized, "unauthorized", "Unauthorized", "the access token is invalid or has expired", nil)
		return false
	}
	if !tok.scopes[scope] {
		problem(w, http.StatusForbidden, "forbidden", "Forbidden", "the access token lacks scope "+scope, nil)
		return false
	}
	return true
}

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

func writeJSON(w http.ResponseWriter, status int, v any) { fakeapi.WriteJSON(w, status, v) }

// decodeBody reads a JSON body strictly: unknown fields are refused, as the
// real API refuses fields an operation does not list.
func decodeBody(w http.ResponseWriter, r *http.Request, v any) bool {
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		badRequest(w, "reading the body: %v", err)
		return false
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		badRequest(w, "invalid JSON body: %v", err)
		return false
	}
	return true
}

func (s *Server) getAccount(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	s.mu.Lock()
	a, ok := s.accounts[id]
	var out paxos.Account
	if ok {
		out = cloneAccount(a.Account)
	}
	s.mu.Unlock()
	if !ok {
		notFound(w, "account", id)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) createAccount(w http.ResponseWriter, r *http.Request) {
	var req paxos.CreateAccountRequest
	if !decodeBody(w, r, &req) {
		return
	}
	a := req.Account
	switch {
	case a.IdentityID == "":
		badRequest(w, "account.identity_id is required")
		return
	case a.ID != "" || a.AdminDisabled || a.UserDisabled || !a.CreatedAt.IsZero() || !a.UpdatedAt.IsZero() || a.SummaryStatus != "" || a.ProfileID != "":
		badRequest(w, "only identity_id, description, metadata, ref_id, type and members may be set on create")
		return
	}
	if msg := checkNewMembers(a.Members); msg != "" {
		badRequest(w, "%s", msg)
		return
	}
	s.mu.Lock()
	if existingID, dup := s.refIDs[a.RefID]; a.RefID != "" && dup {
		existing := cloneAccount(s.accounts[existingID].Account)
		s.mu.Unlock()
		problem(w, http.StatusConflict, "already-exists", "Conflict", "an account with ref_id "+a.RefID+" already exists", map[string]any{"existing": existing})
		return
	}
	if req.CreateProfile {
		a.ProfileID = s.newID()
	}
	out := s.store(a)
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) updateAccount(w http.ResponseWriter, r *http.Request) {
	var req paxos.UpdateAccountRequest
	if !decodeBody(w, r, &req) {
		return
	}
	in := req.Account
	if in.ID == "" {
		badRequest(w, "account.id is required")
		return
	}
	if in.IdentityID != "" || in.AdminDisabled || in.UserDisabled || !in.CreatedAt.IsZero() || !in.UpdatedAt.IsZero() || in.SummaryStatus != "" || in.ProfileID != "" || in.Type != "" {
		badRequest(w, "only account.id, description, ref_id, metadata and members may be sent on update")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.accounts[in.ID]
	if !ok {
		notFound(w, "account", in.ID)
		return
	}
	if in.RefID != "" && in.RefID != a.RefID {
		if other, dup := s.refIDs[in.RefID]; dup && other != a.ID {
			problem(w, http.StatusConflict, "already-exists", "Conflict", "an account with ref_id "+in.RefID+" already exists", map[string]any{"existing": cloneAccount(s.accounts[other].Account)})
			return
		}
	}
	var members []paxos.AccountMember
	if in.Members != nil {
		var msg string
		if members, msg = s.mergeMembers(a.Members, in.Members); msg != "" {
			badRequest(w, "%s", msg)
			return
		}
	}
	// Every check passed: apply.
	if in.Members != nil {
		for _, m := range a.Members {
			delete(s.memberOwner, m.ID)
		}
		for _, m := range members {
			s.memberOwner[m.ID] = a.ID
		}
		a.Members = members
	}
	if in.Description != "" {
		a.Description = in.Description
	}
	if in.RefID != "" && in.RefID != a.RefID {
		delete(s.refIDs, a.RefID)
		a.RefID = in.RefID
		s.refIDs[a.RefID] = a.ID
	}
	if in.Metadata != nil {
		a.Metadata = cloneMetadata(in.Metadata)
	}
	if d := req.SetUserDisabled; d != nil && *d != a.UserDisabled {
		a.UserDisabled = *d
		if *d {
			a.statusBeforeDisable, a.SummaryStatus = a.SummaryStatus, paxos.SummaryStatusDisabled
		} else {
			a.SummaryStatus = a.statusBeforeDisable
		}
	}
	a.UpdatedAt = s.now().UTC()
	writeJSON(w, http.StatusOK, cloneAccount(a.Account))
}

// mergeMembers checks a full members list sent on update against the
// current one and returns the new list, keeping the ids of members that
// stay. It refuses an empty list and any change to a role other than
// FINANCIAL_ADVISOR and AUTHORIZED_USER. s.mu is held.
func (s *Server) mergeMembers(current, next []paxos.AccountMember) ([]paxos.AccountMember, string) {
	if len(next) == 0 {
		return nil, "account.members must have at least one element; use DeleteAccountMember to remove all members"
	}
	before := make(map[string]paxos.AccountMember, len(current))
	for _, m := range current {
		before[m.IdentityID] = m
	}
	seen := make(map[string]bool, len(next))
	out := make([]paxos.AccountMember, 0, len(next))
	for _, m := range next {
		if m.IdentityID == "" {
			return nil, "every member needs an identity_id"
		}
		if seen[m.IdentityID] {
			return nil, "identity " + m.IdentityID + " is listed twice"
		}
		seen[m.IdentityID] = true
		if len(m.Roles) == 0 {
			return nil, "member " + m.IdentityID + " has no roles"
		}
		if msg := checkRoles(m.Roles); msg != "" {
			return nil, msg
		}
		old, existed := before[m.IdentityID]
		for _, r := range symmetricDifference(old.Roles, m.Roles) {
			if r != paxos.RoleFinancialAdvisor && r != paxos.RoleAuthorizedUser {
				return nil, fmt.Sprintf("role %s of member %s cannot be added or removed by an update; only FINANCIAL_ADVISOR and AUTHORIZED_USER can", r, m.IdentityID)
			}
		}
		id := old.ID
		if !existed {
			id = s.newID()
		}
		out = append(out, paxos.AccountMember{ID: id, IdentityID: m.IdentityID, Roles: append([]paxos.Role(nil), m.Roles...)})
	}
	for _, m := range current {
		if seen[m.IdentityID] {
			continue
		}
		for _, r := range m.Roles {
			if r != paxos.RoleFinancialAdvisor && r != paxos.RoleAuthorizedUser {
				return nil, fmt.Sprintf("member %s holds role %s and cannot be removed by an update; use DeleteAccountMember", m.IdentityID, r)
			}
		}
	}
	return out, ""
}

func symmetricDifference(a, b []paxos.Role) []paxos.Role {
	var out []paxos.Role
	for _, r := range a {
		if !slices.Contains(b, r) {
			out = append(out, r)
		}
	}
	for _, r := range b {
		if !slices.Contains(a, r) {
			out = append(out, r)
		}
	}
	return out
}

func checkRoles(roles []paxos.Role) string {
	for _, r := range roles {
		if !r.Valid() {
			return "unknown role " + string(r)
		}
	}
	return ""
}

func checkNewMembers(ms []paxos.AccountMember) string {
	seen := make(map[string]bool, len(ms))
	for _, m := range ms {
		switch {
		case m.ID != "":
			return "member id " + m.ID + " was sent; member ids are assigned by the server"
		case m.IdentityID == "":
			return "every member needs an identity_id"
		case len(m.Roles) == 0:
			return "member " + m.IdentityID + " has no roles"
		case seen[m.IdentityID]:
			return "identity " + m.IdentityID + " is listed twice"
		}
		if msg := checkRoles(m.Roles); msg != "" {
			return msg
		}
		seen[m.IdentityID] = true
	}
	return ""
}

func (s *Server) addAccountMembers(w http.ResponseWriter, r *http.Request) {
	var req paxos.AddAccountMembersRequest
	if !decodeBody(w, r, &req) {
		return
	}
	if req.AccountID == "" {
		badRequest(w, "account_id is required")
		return
	}
	if len(req.Members) == 0 {
		badRequest(w, "members must have at least one element")
		return
	}
	if msg := checkNewMembers(req.Members); msg != "" {
		badRequest(w, "%s", msg)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.accounts[req.AccountID]
	if !ok {
		notFound(w, "account", req.AccountID)
		return
	}
	for _, m := range req.Members {
		if slices.ContainsFunc(a.Members, func(x paxos.AccountMember) bool { return x.IdentityID == m.IdentityID }) {
			problem(w, http.StatusConflict, "already-exists", "Conflict", "identity "+m.IdentityID+" is already a member", nil)
			return
		}
	}
	added := cloneMembers(req.Members)
	for i := range added {
		added[i].ID = s.newID()
		s.memberOwner[added[i].ID] = a.ID
	}
	a.Members = append(a.Members, cloneMembers(added)...)
	a.UpdatedAt = s.now().UTC()
	writeJSON(w, http.StatusOK, paxos.AddAccountMembersResponse{AccountID: a.ID, Members: added})
}

func (s *Server) deleteAccountMember(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	s.mu.Lock()
	defer s.mu.Unlock()
	accountID, ok := s.memberOwner[id]
	if !ok {
		notFound(w, "account member", id)
		return
	}
	a := s.accounts[accountID]
	a.Members = slices.DeleteFunc(a.Members, func(m paxos.AccountMember) bool { return m.ID == id })
	delete(s.memberOwner, id)
	a.UpdatedAt = s.now().UTC()
	writeJSON(w, http.StatusOK, map[string]any{})
}

func (s *Server) listAccounts(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	for key := range q {
		if !listParams[key] {
			badRequest(w, "unknown query parameter %s", key)
			return
		}
	}
	order := q.Get("order")
	if order != "" && order != "ASC" && order != "DESC" {
		badRequest(w, "order must be ASC or DESC")
		return
	}
	if ob := q.Get("order_by"); ob != "" && ob != "CREATED_AT" {
		badRequest(w, "order_by must be CREATED_AT")
		return
	}
	s.mu.Lock()
	limit := s.pageSize
	s.mu.Unlock()
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			badRequest(w, "limit must be a positive integer")
			return
		}
		limit = min(n, 1000)
	}
	offset := 0
	if c := q.Get("page_cursor"); c != "" {
		raw, err := base64.RawURLEncoding.DecodeString(c)
		n, perr := strconv.Atoi(strings.TrimPrefix(string(raw), "offset:"))
		if err != nil || perr != nil || n < 0 || !strings.HasPrefix(string(raw), "offset:") {
			badRequest(w, "invalid page_cursor")
			return
		}
		offset = n
	}
	filters, msg := timeFilters(q)
	if msg != "" {
		badRequest(w, "%s", msg)
		return
	}
	identity := q.Get("identity_id")

	s.mu.Lock()
	defer s.mu.Unlock()
	var all []*account
	for _, a := range s.accounts {
		if identity != "" && a.IdentityID != identity {
			continue
		}
		if !filters.match(a.CreatedAt, a.UpdatedAt) {
			continue
		}
		all = append(all, a)
	}
	sort.Slice(all, func(i, j int) bool {
		ai, aj := all[i], all[j]
		if !ai.CreatedAt.Equal(aj.CreatedAt) {
			if order == "ASC" {
				return ai.CreatedAt.Before(aj.CreatedAt)
			}
			return ai.CreatedAt.After(aj.CreatedAt)
		}
		if order == "ASC" {
			return ai.ID < aj.ID
		}
		return ai.ID > aj.ID
	})
	page := paxos.ListAccountsResponse{Items: []paxos.Account{}}
	if offset < len(all) {
		end := min(offset+limit, len(all))
		for _, a := range all[offset:end] {
			page.Items = append(page.Items, cloneAccount(a.Account))
		}
		if end < len(all) {
			page.NextPageCursor = base64.RawURLEncoding.EncodeToString([]byte("offset:" + strconv.Itoa(end)))
		}
	}
	writeJSON(w, http.StatusOK, page)
}

var listParams = map[string]bool{
	"page_cursor": true, "order": true, "order_by": true, "limit": true, "identity_id": true,
	"created_at.lt": true, "created_at.lte": true, "created_at.eq": true, "created_at.gte": true, "created_at.gt": true,
	"updated_at.lt": true, "updated_at.lte": true, "updated_at.eq": true, "updated_at.gte": true, "updated_at.gt": true,
}

type timeFilter struct {
	field string // created_at or updated_at
	op    string
	at    time.Time
}

type timeFilterSet []timeFilter

func timeFilters(q map[string][]string) (timeFilterSet, string) {
	var out timeFilterSet
	for key, vals := range q {
		field, op, ok := strings.Cut(key, ".")
		if !ok || (field != "created_at" && field != "updated_at") {
			continue
		}
		at, err := time.Parse(time.RFC3339Nano, vals[0])
		if err != nil {
			return nil, key + " must be an RFC 3339 time"
		}
		out = append(out, timeFilter{field: field, op: op, at: at})
	}
	return out, ""
}

func (fs timeFilterSet) match(created, updated time.Time) bool {
	for _, f := range fs {
		t := created
		if f.field == "updated_at" {
			t = updated
		}
		var ok bool
		switch f.op {
		case "lt":
			ok = t.Before(f.at)
		case "lte":
			ok = !t.After(f.at)
		case "eq":
			ok = t.Equal(f.at)
		case "gte":
			ok = !t.Before(f.at)
		case "gt":
			ok = t.After(f.at)
		}
		if !ok {
			return false
		}
	}
	return true
}
