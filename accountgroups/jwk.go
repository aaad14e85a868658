package accountgroups

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
)

// parseJWKS reads EC P-521 (and P-256, P-384) and OKP Ed25519 keys; other
// keys are skipped.
func parseJWKS(set *JWKS) (map[string]crypto.PublicKey, error) {
	out := make(map[string]crypto.PublicKey, len(set.Keys))
	for _, k := range set.Keys {
		x, errX := base64.RawURLEncoding.DecodeString(strings.TrimRight(k.X, "="))
		switch {
		case k.Kid == "" || errX != nil:
			continue
		case k.Kty == "OKP" && k.Crv == "Ed25519" && len(x) == ed25519.PublicKeySize:
			out[k.Kid] = ed25519.PublicKey(x)
		case k.Kty == "EC":
			var curve elliptic.Curve
			switch k.Crv {
			case "P-521":
				curve = elliptic.P521()
			case "P-384":
				curve = elliptic.P384()
			case "P-256":
				curve = elliptic.P256()
			default:
				continue
			}
			y, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(k.Y, "="))
			if err != nil {
				continue
			}
			size := (curve.Params().BitSize + 7) / 8
			point := make([]byte, 1+2*size)
			point[0] = 4
			if len(x) > size || len(y) > size {
				continue
			}
			copy(point[1+size-len(x):1+size], x)
			copy(point[1+2*size-len(y):], y)
			pub, err := ecdsa.ParseUncompressedPublicKey(curve, point)
			if err != nil {
				continue
			}
			out[k.Kid] = pub
		}
	}
	if len(out) == 0 {
		return nil, errors.New("the key set holds no usable key")
	}
	return out, nil
}

// JWKFromPublicKey describes an ECDSA or Ed25519 public key as a JWK.
func JWKFromPublicKey(kid string, pub crypto.PublicKey) (JWK, error) {
	switch k := pub.(type) {
	case ed25519.PublicKey:
		if len(k) != ed25519.PublicKeySize {
			return JWK{}, fmt.Errorf("accountgroups: JWKFromPublicKey: an Ed25519 key of %d bytes", len(k))
		}
		return JWK{Kid: kid, Kty: "OKP", Crv: "Ed25519", X: base64.RawURLEncoding.EncodeToString(k)}, nil
	case *ecdsa.PublicKey:
		if k == nil || k.Curve == nil {
			return JWK{}, errors.New("accountgroups: JWKFromPublicKey: no ECDSA key")
		}
		raw, err := k.Bytes()
		if err != nil {
			return JWK{}, err
		}
		size := (len(raw) - 1) / 2
		return JWK{Kid: kid, Kty: "EC", Crv: k.Curve.Params().Name,
			X: base64.RawURLEncoding.EncodeToString(raw[1 : 1+size]),
			Y: base64.RawURLEncoding.EncodeToString(raw[1+size:])}, nil
	}
	return JWK{}, fmt.Errorf("accountgroups: JWKFromPublicKey: unsupported public key %T", pub)
}
