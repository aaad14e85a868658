package accountgroups_test

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/accountkit/accountkit-go/accountgroups"
	"github.com/accountkit/accountkit-go/internal/fixture"
)

func readSeed(t *testing.T, name string) []byte {
	t.Helper()
	data, err := readSeedFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func readSeedFile(name string) ([]byte, error) {
	return os.ReadFile(filepath.Join("testdata", "seeds", name))
}

func jsonDecode(resp *http.Response, v any) error { return json.NewDecoder(resp.Body).Decode(v) }

// TestSeedAnswersDecodeLosslessly decodes each answer on the vendor's page
// and checks that it marshals back to the same JSON.
func TestSeedAnswersDecodeLosslessly(t *testing.T) {
	for name, target := range map[string]func() any{
		"get_account_group_response.json":        func() any { return new(accountgroups.AccountGroup) },
		"create_account_group_response.json":     func() any { return new(accountgroups.AccountGroup) },
		"list_account_groups_response.json":      func() any { return new(accountgroups.AccountGroupList) },
		"list_user_account_groups_response.json": func() any { return new(accountgroups.AccountGroupList) },
		"account_group_created_event.json":       func() any { return new(accountgroups.Event) },
	} {
		t.Run(name, func(t *testing.T) {
			raw := readSeed(t, name)
			v := target()
			if err := json.Unmarshal(raw, v); err != nil {
				t.Fatal(err)
			}
			back, err := json.Marshal(v)
			if err != nil {
				t.Fatal(err)
			}
			if diff := fixture.JSONDiff(normalizeTimes(t, raw), normalizeTimes(t, back)); diff != "" {
				t.Errorf("round trip lost data (-vendor +re-encoded):\n%s", diff)
			}
		})
	}
}

// TestSeedCreateRequestBody checks that the create request sent for the
// page's example is exactly the page's body.
func TestSeedCreateRequestBody(t *testing.T) {
	var c fixture.Cassette
	if err := json.Unmarshal(readFileAt(t, filepath.Join("testdata", "create_account_group.json")), &c); err != nil {
		t.Fatal(err)
	}
	for _, ex := range c.Exchanges {
		if ex.Request.Method == http.MethodPost && ex.Request.Path == "/account_groups" {
			if diff := fixture.JSONDiff(readSeed(t, "create_account_group_request.json"), ex.Request.Body); diff != "" {
				t.Errorf("create body (-vendor +sent):\n%s", diff)
			}
			return
		}
	}
	t.Fatal("no create request in the cassette")
}

func readFileAt(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// normalizeTimes rewrites every RFC 3339 time in a JSON document in one
// form, so that 14:10:00.00Z and 14:10:00Z, the same instant, compare equal.
func normalizeTimes(t *testing.T, doc []byte) []byte {
	t.Helper()
	var v any
	if err := json.Unmarshal(doc, &v); err != nil {
		t.Fatal(err)
	}
	var walk func(any) any
	walk = func(v any) any {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				x[k] = walk(e)
			}
		case []any:
			for i, e := range x {
				x[i] = walk(e)
			}
		case string:
			if ts, err := time.Parse(time.RFC3339Nano, x); err == nil {
				return ts.UTC().Format(time.RFC3339Nano)
			}
		}
		return v
	}
	out, _ := json.Marshal(walk(v))
	return out
}
