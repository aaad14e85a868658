package marketplacetest

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/accountkit/accountkit-go/internal/fakeapi"
	"github.com/accountkit/accountkit-go/marketplace"
)

func (s *Server) handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /public/v1/accounts/accounts", s.listAccounts)
	mux.HandleFunc("POST /public/v1/accounts/accounts", s.createAccount)
	mux.HandleFunc("GET /public/v1/accounts/accounts/{id}", s.getAccount)
	mux.HandleFunc("PUT /public/v1/accounts/accounts/{id}", s.updateAccount)
	mux.HandleFunc("POST /public/v1/accounts/accounts/{id}/enable", s.transition(marketplace.AccountStatusEnabled))
	mux.HandleFunc("POST /public/v1/accounts/accounts/{id}/disable", s.transition(marketplace.AccountStatusDisabled))
	mux.HandleFunc("POST /public/v1/accounts/accounts/{id}/activate", s.transition(marketplace.AccountStatusActive))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		problem(w, http.StatusNotFound, "no such endpoint: "+r.Method+" "+r.URL.Path, nil)
	})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+Token {
			problem(w, http.StatusUnauthorized, "a valid API token is required", nil)
			return
		}
		mux.ServeHTTP(w, r)
	})
}

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

// readInput reads a create or update body, JSON or multipart, streaming the
// logo into a hash. It answers the request itself when the body is bad.
func (s *Server) readInput(w http.ResponseWriter, r *http.Request) (*marketplace.AccountInput, *LogoInfo, bool) {
	mediaType, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil {
		problem(w, http.StatusUnsupportedMediaType, "a Content-Type is required", nil)
		return nil, nil, false
	}
	switch mediaType {
	case "application/json":
		in, err := decodeInput(r.Body)
		if err != nil {
			validation(w, "account", err.Error())
			return nil, nil, false
		}
		return in, nil, true
	case "multipart/form-data":
	default:
		problem(w, http.StatusUnsupportedMediaType, "send application/json or multipart/form-data, not "+mediaType, nil)
		return nil, nil, false
	}
	mr, err := r.MultipartReader()
	if err != nil {
		problem(w, http.StatusBadRequest, "malformed multipart body: "+err.Error(), nil)
		return nil, nil, false
	}
	var in *marketplace.AccountInput
	var logo *LogoInfo
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			problem(w, http.StatusBadRequest, "malformed multipart body: "+err.Error(), nil)
			return nil, nil, false
		}
		switch part.FormName() {
		case "account":
			if ct := part.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
				validation(w, "account", "the account part must be application/json, not "+ct)
				return nil, nil, false
			}
			if in, err = decodeInput(part); err != nil {
				validation(w, "account", err.Error())
				return nil, nil, false
			}
		case "logo":
			h := sha256.New()
			n, err := io.Copy(h, part)
			if err != nil {
				problem(w, http.StatusBadRequest, "reading the logo: "+err.Error(), nil)
				return nil, nil, false
			}
			logo = &LogoInfo{Filename: part.FileName(), ContentType: part.Header.Get("Content-Type"), Size: n, SHA256: hex.EncodeToString(h.Sum(nil))}
		default:
			validation(w, part.FormName(), "unknown form part "+strconv.Quote(part.FormName()))
			return nil, nil, false
		}
	}
	if in == nil {
		validation(w, "account", "the account part is required")
		return nil, nil, false
	}
	return in, logo, true
}

// decodeInput reads an account strictly: members outside AccountInput are
// refused, as the read-only ones are by the real API.
func decodeInput(r io.Reader) (*marketplace.AccountInput, error) {
	data, err := io.ReadAll(io.LimitReader(r, 1<<20))
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var in marketplace.AccountInput
	if err := dec.Decode(&in); err != nil {
		return nil, fmt.Errorf("the account is not valid JSON for an account: %v", err)
	}
	return &in, nil
}

// checkInput applies the API's field rules; it names the failing field.
func checkInput(in *marketplace.AccountInput, create bool) (field, msg string) {
	switch {
	case in.Name == "":
		return "name", "The Name field is required."
	case utf8.RuneCountInString(in.Name) > 500:
		return "name", "The field Name must be a string with a maximum length of 500."
	case len(in.ExternalID) > 250:
		return "externalId", "The field ExternalId must be a string with a maximum length of 250."
	case len(in.TechnicalSupportEmail) > 320:
		return "technicalSupportEmail", "The field TechnicalSupportEmail must be a string with a maximum length of 320."
	case len(in.Website) > 2000:
		return "website", "The field Website must be a string with a maximum length of 2000."
	case in.ServiceLevel != "" && !in.ServiceLevel.Valid():
		return "serviceLevel", "Unknown service level " + string(in.ServiceLevel) + "."
	}
	if create {
		switch {
		case in.Type == "":
			return "type", "The Type field is required."
		case !in.Type.Valid():
			return "type", "Unknown account type " + string(in.Type) + "."
		case in.ServiceLevel == "":
			return "serviceLevel", "The ServiceLevel field is required."
		}
	}
	return "", ""
}

func (s *Server) createAccount(w http.ResponseWriter, r *http.Request) {
	in, logo, ok := s.readInput(w, r)
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
	s.mu.Lock()
	a = s.store(a)
	if logo != nil {
		s.setLogo(s.accounts[a.ID], *logo)
	}
	out := view(*s.accounts[a.ID], "")
	s.mu.Unlock()
	fakeapi.WriteJSON(w, http.StatusCreated, out)
}

func (s *Server) updateAccount(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	in, logo, ok := s.readInput(w, r)
	if !ok {
		return
	}
	if field, msg := checkInput(in, false); field != "" {
		validation(w, field, msg)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a, found := s.accounts[id]
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
		s.setLogo(a, *logo)
	}
	a.Audit.Updated.At = s.now().UTC().Truncate(1e6)
	fakeapi.WriteJSON(w, http.StatusOK, view(*a, ""))
}

// apply copies the members an update sets onto a.
func apply(a *marketplace.Account, in *marketplace.AccountInput) {
	a.Name = in.Name
	if in.ServiceLevel != "" {
		a.ServiceLevel = in.ServiceLevel
	}
	if in.ExternalIDs.PyraTenantID != "" {
		a.ExternalIDs = in.ExternalIDs
	}
	if in.ExternalID != "" {
		a.ExternalID = in.ExternalID
	}
	if in.Address != (marketplace.Address{}) {
		a.Address = in.Address
	}
	if in.TechnicalSupportEmail != "" {
		a.TechnicalSupportEmail = in.TechnicalSupportEmail
	}
	if in.Website != "" {
		a.Website = in.Website
	}
	if in.Description != "" {
		a.Description = in.Description
	}
	if in.Eligibility.Client != nil {
		a.Eligibility.Client = in.Eligibility.Client
	}
	if in.Eligibility.Partner != nil {
		a.Eligibility.Partner = in.Eligibility.Partner
	}
}

// setLogo records an upload. s.mu is held.
func (s *Server) setLogo(a *marketplace.Account, logo LogoInfo) {
	s.logos[a.ID] = logo
	a.Icon = "/v1/accounts/accounts/" + a.ID + "/icon"
}

func (s *Server) getAccount(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	s.mu.Lock()
	a, ok := s.accounts[id]
	var out marketplace.Account
	if ok {
		out = view(*a, r.URL.Query().Get("select"))
	}
	s.mu.Unlock()
	if !ok {
		problem(w, http.StatusNotFound, "account "+id+" not found", nil)
		return
	}
	fakeapi.WriteJSON(w, http.StatusOK, out)
}

// view is the account as an answer shows it: groups and audit only when
// selected (+groups, +audit), other members dropped with -name.
func view(a marketplace.Account, sel string) marketplace.Account {
	want := map[string]bool{}
	for _, f := range strings.Split(sel, ",") {
		if f = strings.TrimSpace(f); f != "" {
			want[f] = true
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
	for f := range want {
		switch f {
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
		omitted = append(omitted, strings.TrimPrefix(f, "-"))
	}
	sort.Strings(omitted)
	a.Meta = marketplace.Meta{Omitted: omitted}
	return a
}

func (s *Server) transition(to marketplace.AccountStatus) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id := r.PathValue("id")
		s.mu.Lock()
		defer s.mu.Unlock()
		a, ok := s.accounts[id]
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
		case to == marketplace.AccountStatusActive && a.ExternalID == "":
			validation(w, "externalId", "An account needs an externalId to be activated.")
			return
		}
		a.Status = to
		a.Audit.Updated.At = s.now().UTC().Truncate(1e6)
		fakeapi.WriteJSON(w, http.StatusOK, view(*a, ""))
	}
}

func (s *Server) listAccounts(w http.ResponseWriter, r *http.Request) {
	var filters []rql
	q := make(map[string]string)
	for _, term := range strings.Split(r.URL.RawQuery, "&") {
		if term == "" {
			continue
		}
		if strings.Contains(term, "(") {
			f, err := parseRQL(term)
			if err != nil {
				problem(w, http.StatusBadRequest, "invalid RQL "+strconv.Quote(term)+": "+err.Error(), nil)
				return
			}
			filters = append(filters, f)
			continue
		}
		k, v, _ := strings.Cut(term, "=")
		k, _ = urlUnescape(k)
		v, _ = urlUnescape(v)
		switch k {
		case "limit", "offset", "select", "order":
			q[k] = v
		default:
			problem(w, http.StatusBadRequest, "unknown query parameter "+k, nil)
			return
		}
	}
	s.mu.Lock()
	limit, offset := s.pageSize, 0
	s.mu.Unlock()
	if v, ok := q["limit"]; ok {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > marketplace.MaxPageSize {
			validation(w, "limit", "limit must be between 0 and 100")
			return
		}
		limit = n
	}
	if v, ok := q["offset"]; ok {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			validation(w, "offset", "offset must be a non-negative integer")
			return
		}
		offset = n
	}
	s.mu.Lock()
	var all []*marketplace.Account
	for _, id := range s.order {
		a := s.accounts[id]
		match := true
		for _, f := range filters {
			match = match && f.match(a)
		}
		if match {
			all = append(all, a)
		}
	}
	if err := sortAccounts(all, q["order"]); err != nil {
		s.mu.Unlock()
		problem(w, http.StatusBadRequest, err.Error(), nil)
		return
	}
	page := marketplace.AccountList{Data: []marketplace.Account{}}
	if offset < len(all) {
		for _, a := range all[offset:min(offset+limit, len(all))] {
			v := view(*a, q["select"])
			page.Meta.Omitted = v.Meta.Omitted
			v.Meta = marketplace.Meta{}
			page.Data = append(page.Data, v)
		}
	}
	s.mu.Unlock()
	page.Meta.Pagination = marketplace.Pagination{Total: len(all), Limit: limit, Offset: offset}
	fakeapi.WriteJSON(w, http.StatusOK, page)
}

func sortAccounts(all []*marketplace.Account, order string) error {
	for _, key := range slices.Backward(strings.Split(order, ",")) {
		if key == "" {
			continue
		}
		desc := strings.HasPrefix(key, "-")
		field := strings.TrimPrefix(key, "-")
		var less func(a, b *marketplace.Account) int
		switch field {
		case "name":
			less = func(a, b *marketplace.Account) int { return strings.Compare(a.Name, b.Name) }
		case "id":
			less = func(a, b *marketplace.Account) int { return strings.Compare(a.ID, b.ID) }
		case "audit.created.at":
			less = func(a, b *marketplace.Account) int { return a.Audit.Created.At.Compare(b.Audit.Created.At) }
		default:
			return fmt.Errorf("cannot order by %s", field)
		}
		slices.SortStableFunc(all, func(a, b *marketplace.Account) int {
			if desc {
				return less(b, a)
			}
			return less(a, b)
		})
	}
	return nil
}
