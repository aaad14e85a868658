package marketplace

import (
	"bytes"
	"encoding/json"
	"time"
)

// The API sometimes sends placeholders where it could not render an
// object: a string such as "[Circular Reference]", or that string spread
// over an object's keys ({"0": "[", "1": "C", ...}). The types below decode
// such placeholders as empty values instead of failing the whole answer.

// isObject reports whether data is a JSON object.
func isObject(data []byte) bool {
	data = bytes.TrimSpace(data)
	return len(data) > 0 && data[0] == '{'
}

// UnmarshalJSON decodes a reference, or a placeholder as an empty one.
func (r *Reference) UnmarshalJSON(data []byte) error {
	*r = Reference{}
	if !isObject(data) {
		return nil
	}
	var fields struct {
		ID   json.RawMessage `json:"id"`
		Name json.RawMessage `json:"name"`
		Icon json.RawMessage `json:"icon"`
	}
	if err := json.Unmarshal(data, &fields); err != nil {
		return err
	}
	r.ID, r.Name, r.Icon = lenientString(fields.ID), lenientString(fields.Name), lenientString(fields.Icon)
	return nil
}

// UnmarshalJSON decodes an audit event, or a placeholder as an empty one.
// A time that does not parse is left zero.
func (e *AuditEvent) UnmarshalJSON(data []byte) error {
	*e = AuditEvent{}
	if !isObject(data) {
		return nil
	}
	var fields struct {
		At json.RawMessage `json:"at"`
		By Reference       `json:"by"`
	}
	if err := json.Unmarshal(data, &fields); err != nil {
		return err
	}
	e.By = fields.By
	var at time.Time
	if json.Unmarshal(fields.At, &at) == nil {
		e.At = at
	}
	return nil
}

// UnmarshalJSON decodes the audit, or a placeholder as an empty one.
func (a *Audit) UnmarshalJSON(data []byte) error {
	*a = Audit{}
	if !isObject(data) {
		return nil
	}
	type plain Audit
	return json.Unmarshal(data, (*plain)(a))
}

// lenientString is a JSON string's value, or "" for anything else.
func lenientString(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return ""
	}
	return s
}
