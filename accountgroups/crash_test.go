package accountgroups_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"io"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/accountkit/accountkit-go/accountgroups"
	"github.com/accountkit/accountkit-go/accountgroups/accountgroupstest"
)

// panickySigner has a valid P-521 public key but panics when asked to
// sign, as a broken KMS or HSM binding may.
type panickySigner struct{ pub crypto.PublicKey }

func (s panickySigner) Public() crypto.PublicKey { return s.pub }
func (panickySigner) Sign(io.Reader, []byte, crypto.SignerOpts) ([]byte, error) {
	panic("hsm: session closed")
}

// TestSigningKeyPanicDoesNotCrash runs, in a child process, a call whose
// signing key panics. The token request is signed on the token cache's own
// goroutine, where a panic ended the whole process; now the call returns
// an error and the process lives.
func TestSigningKeyPanicDoesNotCrash(t *testing.T) {
	if os.Getenv("ACCOUNTKIT_CRASH_CHILD") == "1" {
		srv := accountgroupstest.NewServer()
		defer srv.Close()
		key, _ := ecdsa.GenerateKey(elliptic.P521(), rand.Reader)
		c, err := accountgroups.NewClient(srv.Environment(),
			accountgroups.WithClientCredentials(accountgroupstest.ClientID, accountgroupstest.ClientSecret),
			accountgroups.WithSigningKey("hsm-key", panickySigner{pub: key.Public()}))
		if err != nil {
			t.Fatalf("NewClient: %v", err)
		}
		_, err = c.GetAccountGroup(t.Context(), "00000000-0000-4000-8000-000000000001")
		if err == nil || !strings.Contains(err.Error(), "session closed") {
			t.Fatalf("GetAccountGroup = %v, want the key's failure", err)
		}
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestSigningKeyPanicDoesNotCrash$", "-test.v")
	cmd.Env = append(os.Environ(), "ACCOUNTKIT_CRASH_CHILD=1")
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- PASS") {
		t.Fatalf("the child process failed (%v):\n%s", err, out)
	}
}
