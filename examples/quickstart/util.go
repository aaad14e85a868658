package main

import (
	"crypto/rand"
	"encoding/hex"
)

// randomSuffix makes ref_ids unique from run to run.
func randomSuffix() string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
