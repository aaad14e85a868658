package marketplacetest

import (
	"fmt"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/accountkit/accountkit-go/internal/fakeapi"
	"github.com/accountkit/accountkit-go/marketplace"
)

// listAccounts serves ListAccounts: RQL filters (the terms with
// parentheses), limit, offset, select and order. Other parameters are
// ignored.
func (f *Fake) listAccounts(w http.ResponseWriter, r *http.Request) {
	var filters []rql
	q := make(map[string]string)
	for _, term := range strings.Split(r.URL.RawQuery, "&") {
		if term == "" {
			continue
		}
		if strings.Contains(term, "(") {
			filter, err := parseRQL(term)
			if err != nil {
				problem(w, http.StatusBadRequest, "invalid RQL "+strconv.Quote(term)+": "+err.Error(), nil)
				return
			}
			filters = append(filters, filter)
			continue
		}
		k, v, _ := strings.Cut(term, "=")
		k, _ = urlUnescape(k)
		v, _ = urlUnescape(v)
		switch k {
		case "limit", "offset", "select", "order":
			q[k] = v
		}
	}
	limit, err := fakeapi.Int(q["limit"], f.pageSize, 0, marketplace.MaxPageSize)
	if err != nil {
		validation(w, "limit", "limit "+err.Error())
		return
	}
	offset, err := fakeapi.Int(q["offset"], 0, 0, math.MaxInt32)
	if err != nil {
		validation(w, "offset", "offset "+err.Error())
		return
	}
	f.mu.Lock()
	var all []*marketplace.Account
	for _, id := range f.order {
		a := f.accounts[id]
		match := true
		for _, filter := range filters {
			match = match && filter.match(a)
		}
		if match {
			all = append(all, a)
		}
	}
	if err := sortAccounts(all, q["order"]); err != nil {
		f.mu.Unlock()
		problem(w, http.StatusBadRequest, err.Error(), nil)
		return
	}
	page := accountPage{Data: []marketplace.Account{}}
	for _, a := range fakeapi.Page(all, offset, limit) {
		v := view(*a, q["select"])
		page.Meta.Omitted = v.Meta.Omitted
		v.Meta = marketplace.Meta{}
		page.Data = append(page.Data, v)
	}
	f.mu.Unlock()
	page.Meta.Pagination = pagination{Total: len(all), Limit: limit, Offset: offset}
	fakeapi.WriteJSON(w, http.StatusOK, page)
}

// sortAccounts orders all by the comma-separated keys of order (a leading
// - for descending); it refuses a field the fake cannot order by.
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
