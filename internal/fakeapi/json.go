package fakeapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
)

// MaxBodySize bounds the JSON bodies a fake reads.
const MaxBodySize = 1 << 20

// WriteJSON answers v as JSON.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// DecodeJSON reads one JSON value of at most MaxBodySize bytes from r into
// v. With strict, members v has no field for are refused, for objects the
// vendor's schema closes (additionalProperties: false); otherwise they are
// ignored, as the vendor ignores them.
func DecodeJSON(r io.Reader, v any, strict bool) error {
	data, err := io.ReadAll(io.LimitReader(r, MaxBodySize+1))
	if err != nil {
		return fmt.Errorf("reading the body: %w", err)
	}
	if len(data) > MaxBodySize {
		return fmt.Errorf("the body is larger than %d bytes", MaxBodySize)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	if strict {
		dec.DisallowUnknownFields()
	}
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errors.New("more than one JSON value")
	}
	return nil
}
