package paxostest

import (
	"encoding/base64"
	"math"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/accountkit/accountkit-go/internal/fakeapi"
	"github.com/accountkit/accountkit-go/paxos"
)

// listAccounts serves ListAccounts. Query parameters the operation does
// not list are ignored, as Paxos ignores them; the listed ones must have
// the vendor's formats (order and order_by from their enums, limit an
// int32, times RFC 3339, page_cursor one the fake issued).
func (f *Fake) listAccounts(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	order := q.Get("order")
	if order != "" && order != "ASC" && order != "DESC" {
		badRequest(w, "order must be ASC or DESC")
		return
	}
	if ob := q.Get("order_by"); ob != "" && ob != "CREATED_AT" {
		badRequest(w, "order_by must be CREATED_AT")
		return
	}
	limit, err := fakeapi.Int(q.Get("limit"), 0, 0, math.MaxInt32)
	if err != nil {
		badRequest(w, "limit %v", err)
		return
	}
	if limit == 0 { // absent or 0: the default, as for any unset protobuf field
		limit = f.pageSize
	}
	limit = min(limit, 1000)
	offset := 0
	if c := q.Get("page_cursor"); c != "" {
		raw, err := base64.RawURLEncoding.DecodeString(c)
		rest, prefixed := strings.CutPrefix(string(raw), "offset:")
		n, perr := strconv.Atoi(rest)
		if err != nil || perr != nil || n < 0 || !prefixed {
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

	f.mu.Lock()
	defer f.mu.Unlock()
	var all []*account
	for _, a := range f.accounts {
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
	page := accountPage{Items: []paxos.Account{}}
	for _, a := range fakeapi.Page(all, offset, limit) {
		page.Items = append(page.Items, cloneAccount(a.Account))
	}
	if end := offset + len(page.Items); len(page.Items) > 0 && end < len(all) {
		page.NextPageCursor = base64.RawURLEncoding.EncodeToString([]byte("offset:" + strconv.Itoa(end)))
	}
	writeJSON(w, http.StatusOK, page)
}

type timeFilter struct {
	field string // created_at or updated_at
	op    string
	at    time.Time
}

type timeFilterSet []timeFilter

// timeFilterOps are the comparisons ListAccounts takes on created_at and
// updated_at.
var timeFilterOps = map[string]bool{"lt": true, "lte": true, "eq": true, "gte": true, "gt": true}

func timeFilters(q url.Values) (timeFilterSet, string) {
	var out timeFilterSet
	for key, vals := range q {
		field, op, ok := strings.Cut(key, ".")
		if !ok || (field != "created_at" && field != "updated_at") || !timeFilterOps[op] {
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
