package uuid

import "testing"

func TestNew(t *testing.T) {
	seen := make(map[string]bool)
	for range 1000 {
		id := New()
		if !Valid(id) {
			t.Fatalf("New() = %q, not a canonical UUID", id)
		}
		if id[14] != '4' {
			t.Fatalf("New() = %q, version nibble %c, want 4", id, id[14])
		}
		if v := id[19]; v != '8' && v != '9' && v != 'a' && v != 'b' {
			t.Fatalf("New() = %q, variant nibble %c, want 8, 9, a or b", id, v)
		}
		if seen[id] {
			t.Fatalf("New() repeated %q", id)
		}
		seen[id] = true
	}
}

func TestValid(t *testing.T) {
	for s, want := range map[string]bool{
		"9d95820d-4333-46b6-98de-04ab7512e76f": true,
		"9D95820D-4333-46B6-98DE-04AB7512E76F": true,
		"012k23eb-298e-4d47-81be-cdf4e982a3d3": false,
		"9d95820d433346b698de04ab7512e76f":     false,
		"":                                     false,
	} {
		if got := Valid(s); got != want {
			t.Errorf("Valid(%q) = %v, want %v", s, got, want)
		}
	}
}
