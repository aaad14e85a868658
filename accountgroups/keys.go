package accountgroups

import (
	"crypto"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
)

// LoadPrivateKey reads a PEM file holding the signing key registered with
// Upvest: a PKCS #8 "PRIVATE KEY" (ECDSA P-521 or Ed25519) or a SEC 1 "EC
// PRIVATE KEY". The result goes to WithSigningKey.
func LoadPrivateKey(path string) (crypto.Signer, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("accountgroups: LoadPrivateKey: %w", err)
	}
	return ParsePrivateKey(data)
}

// ParsePrivateKey reads a PEM-encoded signing key, as LoadPrivateKey does.
func ParsePrivateKey(pemData []byte) (crypto.Signer, error) {
	block, _ := pem.Decode(pemData)
	if block == nil {
		return nil, errors.New("accountgroups: ParsePrivateKey: no PEM block found")
	}
	var key any
	var err error
	switch block.Type {
	case "PRIVATE KEY":
		key, err = x509.ParsePKCS8PrivateKey(block.Bytes)
	case "EC PRIVATE KEY":
		key, err = x509.ParseECPrivateKey(block.Bytes)
	default:
		return nil, fmt.Errorf("accountgroups: ParsePrivateKey: unsupported PEM block %q", block.Type)
	}
	if err != nil {
		return nil, fmt.Errorf("accountgroups: ParsePrivateKey: %w", err)
	}
	signer, ok := key.(crypto.Signer)
	if !ok {
		return nil, fmt.Errorf("accountgroups: ParsePrivateKey: %T cannot sign", key)
	}
	return signer, nil
}
