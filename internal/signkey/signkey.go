// Package signkey checks signing keys before a client takes them: the
// rules both Upvest's HTTP message signatures and Paxos's JWS share.
package signkey

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"errors"
	"fmt"
	"reflect"
)

// Check refuses a key that cannot sign. accept decides by the key's public
// half, so any crypto.Signer works, a KMS or HSM key included. An in-memory
// key (*ecdsa.PrivateKey, ed25519.PrivateKey) must also hold its private
// material: signs reports whether the key makes a signature its public half
// verifies. Only in-memory keys are tried: a remote signer may cost money or
// rate limits per use. A nil key, typed or not, is refused, and a key that
// panics is refused rather than passed on.
func Check(key crypto.Signer, accept func(pub crypto.PublicKey) error, signs func(key crypto.Signer, pub crypto.PublicKey) bool) (err error) {
	if key == nil {
		return errors.New("no signing key")
	}
	if v := reflect.ValueOf(key); (v.Kind() == reflect.Pointer || v.Kind() == reflect.Slice) && v.IsNil() {
		return fmt.Errorf("no signing key: a nil %T", key)
	}
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("the %T cannot be used: %v", key, p)
		}
	}()
	pub := key.Public()
	if err := accept(pub); err != nil {
		return fmt.Errorf("the %T: %w", key, err)
	}
	switch key.(type) {
	case *ecdsa.PrivateKey, ed25519.PrivateKey, *ed25519.PrivateKey:
		if !signs(key, pub) {
			return fmt.Errorf("the %T holds no usable private key: it cannot make a signature its public key verifies", key)
		}
	}
	return nil
}
