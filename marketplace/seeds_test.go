package marketplace_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/accountkit/accountkit-go/internal/fixture"
	"github.com/accountkit/accountkit-go/marketplace"
)

// TestSeedResponseDecodes decodes the vendor's example answer, with its
// placeholder "by" objects, and checks that everything but the
// placeholders survives a round trip.
func TestSeedResponseDecodes(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("testdata", "seeds", "update_account_response.json"))
	if err != nil {
		t.Fatal(err)
	}
	var a marketplace.Account
	if err := json.Unmarshal(raw, &a); err != nil {
		t.Fatalf("decoding the vendor's example: %v", err)
	}
	wantAt := time.Date(2025, 6, 22, 4, 48, 55, 320e6, time.UTC)
	if !a.Audit.Created.At.Equal(wantAt) || a.Audit.Created.By != (marketplace.Reference{}) {
		t.Errorf("audit.created = %+v", a.Audit.Created)
	}
	if a.ExternalIDs.PyraTenantID != "123e4567-e89b-12d3-a456-426614174000" || len(a.Groups) != 1 || !a.Groups[0].IsDefault || a.Eligibility.Client == nil || !*a.Eligibility.Client {
		t.Errorf("decoded %+v", a)
	}
	// Unknown enum values ("text") are kept.
	if a.Status != "text" || a.Status.Valid() || a.ServiceLevel != "text" {
		t.Errorf("status %q, service level %q", a.Status, a.ServiceLevel)
	}
	back, _ := json.Marshal(a)
	var want, got map[string]any
	_ = json.Unmarshal(raw, &want)
	_ = json.Unmarshal(back, &got)
	delete(want, "audit")
	delete(got, "audit")
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("round trip lost data (-vendor +re-encoded):\n%s", diff)
	}
}

// TestPlaceholdersDecode covers the other placeholder forms: a string
// where an object belongs, and nonsense inside an audit event.
func TestPlaceholdersDecode(t *testing.T) {
	for name, body := range map[string]string{
		"string audit":         `{"id":"ACC-1","audit":"[Circular Reference]"}`,
		"string events":        `{"id":"ACC-1","audit":{"created":"[Circular Reference]","updated":"[Circular Reference]"}}`,
		"string by":            `{"id":"ACC-1","audit":{"created":{"at":"2025-06-22T04:48:55.320Z","by":"[Circular Reference]"}}}`,
		"bad time":             `{"id":"ACC-1","audit":{"created":{"at":"text","by":{"id":"USR-1"}}}}`,
		"null everything":      `{"id":"ACC-1","audit":null,"address":null,"groups":null,"eligibility":null}`,
		"numbers in reference": `{"id":"ACC-1","audit":{"updated":{"by":{"id":7,"name":["x"]}}}}`,
	} {
		t.Run(name, func(t *testing.T) {
			var a marketplace.Account
			if err := json.Unmarshal([]byte(body), &a); err != nil || a.ID != "ACC-1" {
				t.Errorf("decode: %v (%+v)", err, a)
			}
		})
	}
}

// TestSeedRequestCarriesExampleValues checks the request recorded for the
// vendor's example: the camelCase account part and the logo part.
func TestSeedRequestCarriesExampleValues(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("testdata", "update_account.json"))
	if err != nil {
		t.Fatal(err)
	}
	var c fixture.Cassette
	if err := json.Unmarshal(raw, &c); err != nil {
		t.Fatal(err)
	}
	text := c.Exchanges[0].Request.Text
	for _, want := range []string{
		"Content-Disposition: form-data; name=\"account\"\r\nContent-Type: application/json\r\n",
		`"externalIds":{"pyraTenantId":"123e4567-e89b-12d3-a456-426614174000"}`,
		`"address":{"addressLine1":"text","addressLine2":"text","city":"text","country":"text","postCode":"text","state":"text"}`,
		`"eligibility":{"client":true,"partner":true}`,
		"Content-Disposition: form-data; name=\"logo\"; filename=\"logo\"\r\nContent-Type: application/octet-stream\r\n\r\nbinary\r\n",
	} {
		if !contains(text, want) {
			t.Errorf("the request lacks %q", want)
		}
	}
	for _, readOnly := range []string{`"status"`, `"type"`, `"externalName"`, `"audit"`, `"$meta"`, `"groups"`, `"Address.City"`} {
		if contains(text, readOnly) {
			t.Errorf("the request sends %s", readOnly)
		}
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
