package marketplace_test

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/accountkit/accountkit-go/internal/baseline"
	"github.com/accountkit/accountkit-go/marketplace"
	"github.com/accountkit/accountkit-go/marketplace/marketplacetest"
)

// BenchmarkGetAccount compares the SDK's GetAccount with a hand-written
// net/http + encoding/json client (package baseline) on the same loopback
// server and *http.Client, both decoding the vendor's example account.
func BenchmarkGetAccount(b *testing.B) {
	body, err := os.ReadFile(filepath.Join("testdata", "seeds", "update_account_response.json"))
	if err != nil {
		b.Fatal(err)
	}
	srv := baseline.Server(b, body)
	base, hc, ctx := srv.URL+"/public/v1", srv.Client(), context.Background()
	const id = "ACC-1234-5678"

	b.Run("baseline", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var a marketplace.Account
			if err := baseline.GetJSON(ctx, hc, base+"/accounts/accounts/"+id, "Bearer "+baseline.Token, &a); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("sdk", func(b *testing.B) {
		c, err := marketplace.NewClient(marketplace.Environment{BaseURL: base}, marketplace.WithAPIToken(baseline.Token), marketplace.WithHTTPClient(hc))
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			if _, err := c.GetAccount(ctx, id); err != nil {
				b.Fatal(err)
			}
		}
	})
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
