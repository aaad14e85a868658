package accountgroupstest

import (
	"net/http"
	"slices"
	"sort"

	"github.com/accountkit/accountkit-go/accountgroups"
	"github.com/accountkit/accountkit-go/internal/fakeapi"
)

func (f *Fake) listAll(w http.ResponseWriter, r *http.Request) { f.list(w, r, "") }

func (f *Fake) listUser(w http.ResponseWriter, r *http.Request) {
	f.list(w, r, r.PathValue("user_id"))
}

// list serves both lists: offset, limit (0 to 1000, default 100), sort
// (created_at or updated_at) and order (ASC or DESC). Other parameters are
// ignored.
func (f *Fake) list(w http.ResponseWriter, r *http.Request, userID string) {
	q := r.URL.Query()
	offset, err := fakeapi.Int(q.Get("offset"), 0, 0, 1<<31-1)
	if err != nil {
		problem(w, http.StatusBadRequest, "offset "+err.Error())
		return
	}
	limit, err := fakeapi.Int(q.Get("limit"), 100, 0, accountgroups.MaxPageSize)
	if err != nil {
		problem(w, http.StatusBadRequest, "limit "+err.Error())
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
	f.mu.Lock()
	defer f.mu.Unlock()
	var all []*accountgroups.AccountGroup
	for _, id := range f.order {
		g := f.groups[id]
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
	page := groupPage{Data: []accountgroups.AccountGroup{}}
	for _, g := range fakeapi.Page(all, offset, limit) {
		page.Data = append(page.Data, *g)
	}
	page.Meta = listMeta{Offset: offset, Limit: limit, Count: len(page.Data), TotalCount: len(all), Sort: string(sortBy), Order: order}
	fakeapi.WriteJSON(w, http.StatusOK, page)
}
