package accountgroupstest

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"time"

	"github.com/accountkit/accountkit-go/accountgroups"
	"github.com/accountkit/accountkit-go/internal/fakeapi"
	"github.com/accountkit/accountkit-go/internal/uuid"
)

// idempotencyKey is the pattern the vendor's spec gives idempotency-key:
// a UUID of version 0 to 5, its hyphens optional.
var idempotencyKey = regexp.MustCompile(`^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-5][0-9a-fA-F]{3}-?[089abAB][0-9a-fA-F]{3}-?[0-9a-fA-F]{12}$`)

// AddAccountGroup stores g as if it had been created, filling in the id,
// timestamps, status (ACTIVE), an OWNER user and a securities account
// number where g leaves them empty, and returns it. No event is sent.
func (f *Fake) AddAccountGroup(g accountgroups.AccountGroup) accountgroups.AccountGroup {
	f.mu.Lock()
	defer f.mu.Unlock()
	return *f.store(g)
}

// store saves a new group. f.mu is held.
func (f *Fake) store(g accountgroups.AccountGroup) *accountgroups.AccountGroup {
	now := f.now().UTC().Truncate(time.Second)
	if g.ID == "" {
		g.ID = f.newID()
	}
	if g.CreatedAt.IsZero() {
		g.CreatedAt = now
	}
	if g.UpdatedAt.IsZero() {
		g.UpdatedAt = g.CreatedAt
	}
	if g.Status == "" {
		g.Status = accountgroups.AccountGroupStatusActive
	}
	if g.Type == "" {
		g.Type = accountgroups.AccountGroupTypePersonal
	}
	if len(g.Users) == 0 {
		g.Users = []accountgroups.AccountGroupUser{{ID: f.newID(), Type: accountgroups.AccountGroupUserTypeOwner}}
	}
	if g.SecuritiesAccountNumber == "" {
		f.accountSeq++
		g.SecuritiesAccountNumber = fmt.Sprintf("%09d", 100000000+f.accountSeq)
	}
	f.groups[g.ID] = &g
	f.order = append(f.order, g.ID)
	return &g
}

// AccountGroup returns the stored group with the given id.
func (f *Fake) AccountGroup(id string) (accountgroups.AccountGroup, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	g, ok := f.groups[id]
	if !ok {
		return accountgroups.AccountGroup{}, false
	}
	return *g, true
}

func (f *Fake) get(w http.ResponseWriter, r *http.Request) {
	g, ok := f.AccountGroup(r.PathValue("id"))
	if !ok {
		problem(w, http.StatusNotFound, "account group "+r.PathValue("id")+" not found")
		return
	}
	fakeapi.WriteJSON(w, http.StatusOK, g)
}

func (f *Fake) create(w http.ResponseWriter, r *http.Request) {
	key := r.Header.Get("Idempotency-Key")
	if !idempotencyKey.MatchString(key) {
		problem(w, http.StatusBadRequest, "idempotency-key is required and must be a UUID")
		return
	}
	body, _ := io.ReadAll(r.Body)
	sum := sha256.Sum256(body)
	hash := hex.EncodeToString(sum[:])

	f.mu.Lock()
	defer f.mu.Unlock()
	if prev, ok := f.idempotent[key]; ok {
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
	// The vendor's schema closes the body (additionalProperties: false).
	var req createRequest
	if err := fakeapi.DecodeJSON(bytes.NewReader(body), &req, true); err != nil {
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
	g := f.store(accountgroups.AccountGroup{
		Type:   req.Type,
		Users:  []accountgroups.AccountGroupUser{{ID: req.UserID, Type: accountgroups.AccountGroupUserTypeOwner}},
		Status: f.newGroupStatus(),
	})
	out, _ := json.Marshal(g)
	f.idempotent[key] = storedAnswer{bodyHash: hash, status: http.StatusOK, body: out}
	f.emit(accountgroups.EventTypeAccountGroupCreated, *g)
	if g.Status == accountgroups.AccountGroupStatusPendingApproval {
		f.awaitApproval(g.ID)
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(out)
}

// close starts closing a group. closure_reason is optional (the vendor
// lists it without requiring it) but must be a known reason when sent.
func (f *Fake) close(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	q := r.URL.Query()
	if reason := accountgroups.ClosureReason(q.Get("closure_reason")); reason != "" && !reason.Valid() {
		problem(w, http.StatusBadRequest, "unknown closure_reason "+string(reason))
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
	f.mu.Lock()
	defer f.mu.Unlock()
	g, ok := f.groups[id]
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
		g.UpdatedAt = f.now().UTC().Truncate(time.Second)
		f.emit(accountgroups.EventTypeAccountGroupClosingInitiated, *g)
		time.AfterFunc(f.closingDelay, func() { f.finishClosing(id) })
	}
	w.WriteHeader(http.StatusAccepted)
}

// finishClosing moves a CLOSING group to CLOSED.
func (f *Fake) finishClosing(id string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if g, ok := f.groups[id]; ok && g.Status == accountgroups.AccountGroupStatusClosing {
		g.Status = accountgroups.AccountGroupStatusClosed
		g.UpdatedAt = f.now().UTC().Truncate(time.Second)
		f.emit(accountgroups.EventTypeAccountGroupClosed, *g)
	}
}
