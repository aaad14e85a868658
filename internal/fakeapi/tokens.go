package fakeapi

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
)

// Tokens is an OAuth2 client-credentials token endpoint (RFC 6749 4.4)
// and the store of the bearer tokens it issued, which API handlers check
// by scope. Configure its exported fields before use; its methods are
// safe for concurrent use.
type Tokens struct {
	// ClientID and ClientSecret are the credentials the endpoint accepts.
	ClientID, ClientSecret string
	// Scopes lists the scopes a token may be issued with; asking for
	// another is invalid_scope. Empty allows any.
	Scopes []string
	// Implies maps a scope to the scopes a token holding it also has,
	// such as accounts:admin to accounts:read.
	Implies map[string][]string
	// RequireScope refuses a token request without a scope (or with a
	// blank one) with invalid_request, for vendors whose token request
	// schema requires it.
	RequireScope bool
	// BasicAuth accepts the client credentials in an Authorization: Basic
	// header as well as in the form.
	BasicAuth bool
	// TTL is how long an issued token lives.
	TTL time.Duration
	// Now is the clock tokens expire on; time.Now when nil.
	Now func() time.Time
	// Prefix starts every issued token.
	Prefix string
	// TokenError answers a refused token request with a status, an OAuth2
	// error code (RFC 6749 5.2: invalid_request, invalid_client,
	// unsupported_grant_type, invalid_scope) and a description.
	TokenError func(w http.ResponseWriter, status int, code, description string)
	// AuthError answers an API request its bearer token does not allow:
	// 401 when the token is missing, unknown or expired, 403 when it lacks
	// the operation's scope.
	AuthError func(w http.ResponseWriter, status int, detail string)

	mu     sync.Mutex
	tokens map[string]token
	issued int
}

type token struct {
	expires time.Time // zero: until ExpireAll
	scopes  []string
}

// Granted is what the token endpoint answers.
type Granted struct {
	AccessToken string `json:"access_token"`
	TokenType   string `json:"token_type"`
	ExpiresIn   int    `json:"expires_in"`
	Scope       string `json:"scope"`
}

// TokenRefusal is why Issue refused: an HTTP status and an OAuth2 error.
type TokenRefusal struct {
	Status      int
	Code        string
	Description string
}

// Error says why, as "code: description".
func (e *TokenRefusal) Error() string { return e.Code + ": " + e.Description }

func (t *Tokens) now() time.Time {
	if t.Now != nil {
		return t.Now()
	}
	return time.Now()
}

// Issue checks client credentials and the scopes asked for and stores a
// new token with them, valid for TTL from Now.
func (t *Tokens) Issue(clientID, clientSecret string, scopes []string) (Granted, *TokenRefusal) {
	if clientID != t.ClientID || clientSecret != t.ClientSecret {
		return Granted{}, &TokenRefusal{http.StatusUnauthorized, "invalid_client", "unknown client or wrong secret"}
	}
	for _, sc := range scopes {
		if len(t.Scopes) > 0 && !slices.Contains(t.Scopes, sc) {
			return Granted{}, &TokenRefusal{http.StatusBadRequest, "invalid_scope", "unknown scope " + sc}
		}
	}
	var b [24]byte
	_, _ = rand.Read(b[:])
	tok := t.Prefix + hex.EncodeToString(b[:])
	t.mu.Lock()
	t.store(tok, token{expires: t.now().Add(t.TTL), scopes: slices.Clone(scopes)})
	t.issued++
	t.mu.Unlock()
	return Granted{AccessToken: tok, TokenType: "bearer", ExpiresIn: int(t.TTL / time.Second), Scope: strings.Join(scopes, " ")}, nil
}

// store saves a token. t.mu is held.
func (t *Tokens) store(raw string, tok token) {
	if t.tokens == nil {
		t.tokens = make(map[string]token)
	}
	t.tokens[raw] = tok
}

// ServeHTTP is the token endpoint: a form POST with grant_type
// client_credentials, client_id, client_secret (or, with BasicAuth, an
// Authorization: Basic header) and a space-separated scope.
func (t *Tokens) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		t.TokenError(w, http.StatusMethodNotAllowed, "invalid_request", "the token endpoint takes POST")
		return
	}
	if err := r.ParseForm(); err != nil {
		t.TokenError(w, http.StatusBadRequest, "invalid_request", "the body is not a form")
		return
	}
	id, secret := r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	if u, p, ok := r.BasicAuth(); ok && t.BasicAuth {
		id, secret = u, p
	}
	if r.PostForm.Get("grant_type") != "client_credentials" {
		t.TokenError(w, http.StatusBadRequest, "unsupported_grant_type", "only client_credentials is supported")
		return
	}
	scopes := strings.Fields(r.PostForm.Get("scope"))
	if t.RequireScope && len(scopes) == 0 {
		t.TokenError(w, http.StatusBadRequest, "invalid_request", "scope is required: ask for the scopes the token is for")
		return
	}
	g, refused := t.Issue(id, secret, scopes)
	if refused != nil {
		t.TokenError(w, refused.Status, refused.Code, refused.Description)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	WriteJSON(w, http.StatusOK, g)
}

// Add registers raw as a valid bearer token with the given scopes, as if
// it had been issued; it lives until ExpireAll.
func (t *Tokens) Add(raw string, scopes ...string) {
	t.mu.Lock()
	t.store(raw, token{scopes: slices.Clone(scopes)})
	t.mu.Unlock()
}

// Check reports whether an Authorization header value carries a live
// token holding one of scopes: 0 when it does, otherwise the status to
// answer (401 or 403) and why.
func (t *Tokens) Check(authorization string, scopes ...string) (status int, detail string) {
	raw, ok := BearerToken(authorization)
	if !ok {
		return http.StatusUnauthorized, "missing bearer token"
	}
	t.mu.Lock()
	tok, known := t.tokens[raw]
	t.mu.Unlock()
	if !known || (!tok.expires.IsZero() && !t.now().Before(tok.expires)) {
		return http.StatusUnauthorized, "the access token is invalid or has expired"
	}
	for _, scope := range scopes {
		if t.holds(tok, scope) {
			return 0, ""
		}
	}
	return http.StatusForbidden, "the access token lacks scope " + strings.Join(scopes, " or ")
}

func (t *Tokens) holds(tok token, scope string) bool {
	for _, have := range tok.scopes {
		if have == scope || slices.Contains(t.Implies[have], scope) {
			return true
		}
	}
	return false
}

// Require wraps an API handler with the bearer and scope check: the token
// must hold one of scopes. It answers with AuthError when the token does
// not allow the request.
func (t *Tokens) Require(next http.HandlerFunc, scopes ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if status, detail := t.Check(r.Header.Get("Authorization"), scopes...); status != 0 {
			t.AuthError(w, status, detail)
			return
		}
		next(w, r)
	}
}

// ExpireAll makes every token invalid, added ones included, as if each
// had expired early.
func (t *Tokens) ExpireAll() {
	t.mu.Lock()
	clear(t.tokens)
	t.mu.Unlock()
}

// Issued is how many tokens Issue has handed out.
func (t *Tokens) Issued() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.issued
}

// BearerToken returns the token of an Authorization header value of the
// Bearer scheme, whose name is case-insensitive (RFC 9110 11.1).
func BearerToken(authorization string) (string, bool) {
	scheme, tok, ok := strings.Cut(authorization, " ")
	tok = strings.TrimSpace(tok)
	if !ok || !strings.EqualFold(scheme, "Bearer") || tok == "" {
		return "", false
	}
	return tok, true
}
