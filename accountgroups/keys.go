package accountgroups

import (
	"crypto"
	"fmt"

	"github.com/accountkit/accountkit-go/internal/pemkey"
)

// LoadPrivateKey reads a PEM file holding the signing key registered with
// Upvest: a PKCS #8 "PRIVATE KEY" (ECDSA P-521 or Ed25519) or a SEC 1 "EC
// PRIVATE KEY". The result goes to WithSigningKey.
func LoadPrivateKey(path string) (crypto.Signer, error) {
	key, err := pemkey.Load(path)
	if err != nil {
		return nil, fmt.Errorf("accountgroups: LoadPrivateKey: %w", err)
	}
	return key, nil
}

// ParsePrivateKey reads a PEM-encoded signing key, as LoadPrivateKey does.
func ParsePrivateKey(pemData []byte) (crypto.Signer, error) {
	key, err := pemkey.Parse(pemData)
	if err != nil {
		return nil, fmt.Errorf("accountgroups: ParsePrivateKey: %w", err)
	}
	return key, nil
}
