package marketplace_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/accountkit/accountkit-go/marketplace"
	"github.com/accountkit/accountkit-go/marketplace/marketplacetest"
)

// BenchmarkGetAccount compares the SDK's GetAccount with a hand-written
// net/http + encoding/json client on the same loopback server, which
// answers with the vendor's example account.
func BenchmarkGetAccount(b *testing.B) {
	body, err := os.ReadFile(filepath.Join("testdata", "seeds", "update_account_response.json"))
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer bench-token" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	}))
	defer srv.Close()
	base := srv.URL + "/public/v1"
	hc := srv.Client()
	ctx := context.Background()

	b.Run("baseline", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := baselineGetAccount(ctx, hc, base, "Bearer bench-token", "ACC-1234-5678"); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("sdk", func(b *testing.B) {
		c, err := marketplace.NewClient(marketplace.Environment{BaseURL: base}, marketplace.WithAPIToken("bench-token"), marketplace.WithHTTPClient(hc))
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			if _, err := c.GetAccount(ctx, "ACC-1234-5678"); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func baselineGetAccount(ctx context.Context, hc *http.Client, baseURL, auth, id string) (*marketplace.Account, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, baseURL+"/accounts/accounts/"+url.PathEscape(id), nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", auth)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "baseline/1.0")
	resp, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
		return nil, fmt.Errorf("get account: %s: %s", resp.Status, msg)
	}
	var a marketplace.Account
	if err := json.NewDecoder(resp.Body).Decode(&a); err != nil {
		return nil, err
	}
	return &a, nil
}

// patternReaderAt serves an endless repeating byte pattern without
// allocating; io.NewSectionReader over it is a logo of any size that can
// seek.
type patternReaderAt struct{}

func (patternReaderAt) ReadAt(p []byte, off int64) (int, error) {
	for i := range p {
		p[i] = byte((off + int64(i)) % 251)
	}
	return len(p), nil
}

// BenchmarkUploadLogo updates an account with a large logo through the
// fake, which parses the multipart body as it streams in. Bytes allocated
// per operation (client and server together) stay far below the logo's
// size: it is streamed, never held.
func BenchmarkUploadLogo(b *testing.B) {
	for _, mib := range []int64{32, 48} {
		b.Run(fmt.Sprintf("%dMiB", mib), func(b *testing.B) {
			srv := marketplacetest.NewServer()
			defer srv.Close()
			a := srv.AddAccount(marketplace.Account{Name: "Acme", Type: marketplace.AccountTypeClient})
			c, err := srv.NewClient()
			if err != nil {
				b.Fatal(err)
			}
			size := mib << 20
			b.SetBytes(size)
			b.ReportAllocs()
			for b.Loop() {
				logo := &marketplace.Logo{Filename: "big.png", ContentType: "image/png", Content: io.NewSectionReader(patternReaderAt{}, 0, size)}
				if _, err := c.UpdateAccount(context.Background(), a.ID, &a, logo); err != nil {
					b.Fatal(err)
				}
			}
			if info, _ := srv.Logo(a.ID); info.Size != size {
				b.Fatalf("the fake stored %d bytes, want %d", info.Size, size)
			}
		})
	}
}
