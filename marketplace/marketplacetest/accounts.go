package marketplacetest

import (
	"bytes"
	"io"
	"mime"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/accountkit/accountkit-go/internal/fakeapi"
	"github.com/accountkit/accountkit-go/marketplace"
)

// LogoInfo describes an uploaded logo without its bytes.
type LogoInfo struct {
	Filename    string // the logo part's file name
	ContentType string // the logo part's Content-Type, as sent
	Size        int64  // the logo's length in bytes
	SHA256      string // the SHA-256 of the logo, in hex
}

// AddAccount stores a as if it had been created, filling in the id, status
// (Enabled), audit and href where a leaves them empty, and returns it.
func (f *Fake) AddAccount(a marketplace.Account) marketplace.Account {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.store(a)
}

// store saves a new account. f.mu is held.
func (f *Fake) store(a marketplace.Account) marketplace.Account {
	if a.ID == "" {
		a.ID = f.newID()
	}
	if a.Status == "" {
		a.Status = marketplace.AccountStatusEnabled
	}
	now := f.now().UTC().Truncate(time.Millisecond)
	if a.Audit.Created.At.IsZero() {
		a.Audit.Created = marketplace.AuditEvent{At: now, By: marketplace.Reference{ID: "TKN-0000-0001", Name: "marketplacetest"}}
		a.Audit.Updated = a.Audit.Created
	}
	a.Href = "/accounts/accounts/" + a.ID
	f.accounts[a.ID] = &a
	f.order = append(f.order, a.ID)
	return a
}

// Account returns the stored account with the given id, groups and audit
// included.
func (f *Fake) Account(id string) (marketplace.Account, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	a, ok := f.accounts[id]
	if !ok {
		return marketplace.Account{}, false
	}
	return *a, true
}

// Logo describes the last logo uploaded for the account.
func (f *Fake) Logo(id string) (LogoInfo, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	l, ok := f.logos[id]
	return l, ok
}

// setLogo records an upload. f.mu is held.
func (f *Fake) setLogo(a *marketplace.Account, logo LogoInfo) {
	f.logos[a.ID] = logo
	a.Icon = "/v1/accounts/accounts/" + a.ID + "/icon"
}

func (f *Fake) createAccount(w http.ResponseWriter, r *http.Request) {
	in, logo, ok := f.readInput(w, r)
	if !ok {
		return
	}
	if field, msg := checkInput(in, true); field != "" {
		validation(w, field, msg)
		return
	}
	a := marketplace.Account{Status: marketplace.AccountStatusNew}
	apply(&a, in)
	a.Type = in.Type
	f.mu.Lock()
	a = f.store(a)
	if logo != nil {
		f.setLogo(f.accounts[a.ID], *logo)
	}
	out := view(*f.accounts[a.ID], "")
	f.mu.Unlock()
	fakeapi.WriteJSON(w, http.StatusCreated, out)
}

func (f *Fake) updateAccount(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	in, logo, ok := f.readInput(w, r)
	if !ok {
		return
	}
	if field, msg := checkInput(in, false); field != "" {
		validation(w, field, msg)
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	a, found := f.accounts[id]
	if !found {
		problem(w, http.StatusNotFound, "account "+id+" not found", nil)
		return
	}
	if in.Type != "" && in.Type != a.Type {
		validation(w, "type", "The account type cannot be changed.")
		return
	}
	apply(a, in)
	if logo != nil {
		f.setLogo(a, *logo)
	}
	a.Audit.Updated.At = f.now().UTC().Truncate(time.Millisecond)
	fakeapi.WriteJSON(w, http.StatusOK, view(*a, ""))
}

func (f *Fake) getAccount(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	f.mu.Lock()
	a, ok := f.accounts[id]
	var out marketplace.Account
	if ok {
		out = view(*a, r.URL.Query().Get("select"))
	}
	f.mu.Unlock()
	if !ok {
		problem(w, http.StatusNotFound, "account "+id+" not found", nil)
		return
	}
	fakeapi.WriteJSON(w, http.StatusOK, out)
}

// view is the account as an answer shows it: groups and audit only when
// selected (+groups, +audit), other members dropped with -name. Entries
// it does not know are ignored.
func view(a marketplace.Account, sel string) marketplace.Account {
	want := map[string]bool{}
	for _, s := range strings.Split(sel, ",") {
		if s = selectEntry(s); s != "" {
			want[s] = true
		}
	}
	var omitted []string
	if !want["+groups"] {
		a.Groups = nil
		omitted = append(omitted, "groups")
	}
	if !want["+audit"] {
		a.Audit = marketplace.Audit{}
		omitted = append(omitted, "audit")
	}
	for s := range want {
		switch s {
		case "-address":
			a.Address = marketplace.Address{}
		case "-description":
			a.Description = ""
		case "-website":
			a.Website = ""
		case "-eligibility":
			a.Eligibility = marketplace.Eligibility{}
		default:
			continue
		}
		omitted = append(omitted, strings.TrimPrefix(s, "-"))
	}
	sort.Strings(omitted)
	a.Meta = marketplace.Meta{Omitted: omitted}
	return a
}

// selectEntry is one entry of select, decoded from the query string. The
// vendor's documents write select=+audit with a literal +, which the query
// string decodes as a space: a leading space before a name stands for +.
func selectEntry(s string) string {
	t := strings.TrimSpace(s)
	if t != "" && t != s && s[0] == ' ' && t[0] != '+' && t[0] != '-' {
		t = "+" + t
	}
	return t
}

// activate serves activate: with a body (the vendor's
// AccountActivateQueryModel), it sets the account's externalId and name
// from it; without one, the account needs an externalId already.
func (f *Fake) activate(w http.ResponseWriter, r *http.Request) {
	in, ok := readActivateBody(w, r)
	if !ok {
		return
	}
	f.changeStatus(w, r.PathValue("id"), marketplace.AccountStatusActive, in)
}

// readActivateBody reads activate's optional body: nil when there is none.
// It answers the request itself when the body is bad.
func readActivateBody(w http.ResponseWriter, r *http.Request) (*accountInput, bool) {
	data, err := io.ReadAll(io.LimitReader(r.Body, fakeapi.MaxBodySize+1))
	if err != nil {
		problem(w, http.StatusBadRequest, "reading the body: "+err.Error(), nil)
		return nil, false
	}
	if len(data) == 0 {
		return nil, true
	}
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || !jsonType(mt) {
		problem(w, http.StatusUnsupportedMediaType, "send the activate body as application/json, text/json or application/*+json", nil)
		return nil, false
	}
	in, err := decodeInput(bytes.NewReader(data), activateSchema)
	if err != nil {
		validation(w, "account", err.Error())
		return nil, false
	}
	if field, msg := checkInput(in, false); field != "" {
		validation(w, field, msg)
		return nil, false
	}
	if in.ExternalID == "" {
		validation(w, "externalId", "The ExternalId field is required.")
		return nil, false
	}
	return in, true
}

func (f *Fake) transition(to marketplace.AccountStatus) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		f.changeStatus(w, r.PathValue("id"), to, nil)
	}
}

// changeStatus moves the account to status to, first setting the
// externalId and name of in when activate had a body.
func (f *Fake) changeStatus(w http.ResponseWriter, id string, to marketplace.AccountStatus, in *accountInput) {
	f.mu.Lock()
	defer f.mu.Unlock()
	a, ok := f.accounts[id]
	if !ok {
		problem(w, http.StatusNotFound, "account "+id+" not found", nil)
		return
	}
	from := a.Status
	switch {
	case to == marketplace.AccountStatusEnabled && from != marketplace.AccountStatusDisabled:
		conflict(w, "ACC0001", "only a disabled account can be enabled; the account is "+string(from))
		return
	case to == marketplace.AccountStatusDisabled && from == marketplace.AccountStatusDisabled:
		conflict(w, "ACC0002", "the account is disabled already")
		return
	case to == marketplace.AccountStatusActive && from != marketplace.AccountStatusNew && from != marketplace.AccountStatusEnabled:
		conflict(w, "ACC0003", "only a new or enabled account can be activated; the account is "+string(from))
		return
	case to == marketplace.AccountStatusActive && a.ExternalID == "" && in == nil:
		validation(w, "externalId", "An account needs an externalId to be activated.")
		return
	}
	if in != nil {
		a.Name = in.Name
		a.ExternalID = in.ExternalID
	}
	a.Status = to
	a.Audit.Updated.At = f.now().UTC().Truncate(time.Millisecond)
	fakeapi.WriteJSON(w, http.StatusOK, view(*a, ""))
}
