package transport

import (
	"net/url"
	"testing"
	"time"
)

type role string

func TestParamHelpers(t *testing.T) {
	when := time.Date(2026, 1, 2, 3, 4, 5, 6, time.FixedZone("CET", 3600))
	for _, tc := range []struct {
		v    any
		want string
	}{
		{"s", "s"}, {role("ADMIN"), "ADMIN"}, {int32(-7), "-7"}, {uint8(7), "7"}, {true, "true"},
		{2.5, "2.5"}, {when, "2026-01-02T03:04:05.000000006+01:00"},
	} {
		if got, err := FormatParam(tc.v); err != nil || got != tc.want {
			t.Errorf("FormatParam(%v) = %q, %v; want %q", tc.v, got, err, tc.want)
		}
	}
	if _, err := FormatParam(struct{}{}); err == nil {
		t.Error("FormatParam accepted a struct")
	}
	q := url.Values{}
	if err := AddQueryParam(q, "role", []role{"A", "B"}); err != nil || q.Encode() != "role=A&role=B" {
		t.Errorf("AddQueryParam = %s, %v", q.Encode(), err)
	}
	if !IsZero(time.Time{}) || IsZero(int32(1)) || !IsZero("") {
		t.Error("IsZero")
	}
}
