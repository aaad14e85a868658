package marketplacetest

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/mail"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/accountkit/accountkit-go/internal/fakeapi"
	"github.com/accountkit/accountkit-go/marketplace"
)

// accountInput is what create and update apply from the account sent.
type accountInput struct {
	Name                  string                   `json:"name"`
	Type                  marketplace.AccountType  `json:"type"`
	ServiceLevel          marketplace.ServiceLevel `json:"serviceLevel"`
	ExternalIDs           marketplace.ExternalIDs  `json:"externalIds"`
	ExternalID            string                   `json:"externalId"`
	ExternalName          string                   `json:"externalName"`
	Address               marketplace.Address      `json:"address"`
	TechnicalSupportEmail string                   `json:"technicalSupportEmail"`
	Website               string                   `json:"website"`
	Description           string                   `json:"description"`
	Eligibility           marketplace.Eligibility  `json:"eligibility"`
}

// writableMembers are the account members create and update apply.
var writableMembers = []string{
	"name", "externalId", "externalIds", "externalName", "type", "serviceLevel",
	"address", "technicalSupportEmail", "website", "description", "eligibility",
}

// readOnlyMembers are the members of an account as the API returns it (or
// as the vendor's update schema and page list them) that create and update
// accept and ignore, so that an account can be sent back as GET returned
// it. The vendor marks icon and href read-only and documents audit as
// ignored; status changes only through enable, disable and activate.
var readOnlyMembers = []string{
	"id", "href", "$meta", "audit", "status", "icon", "iconFileId", "groups", "buyers", "reference", "systemId",
}

// jsonTypes are the media types the vendor reads JSON from.
func jsonType(mediaType string) bool {
	return mediaType == "application/json" || mediaType == "text/json" ||
		strings.HasPrefix(mediaType, "application/") && strings.HasSuffix(mediaType, "+json")
}

// readInput reads a create or update body, JSON or multipart, streaming the
// logo into a hash. It answers the request itself when the body is bad.
func (f *Fake) readInput(w http.ResponseWriter, r *http.Request) (*accountInput, *LogoInfo, bool) {
	mediaType, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil {
		problem(w, http.StatusUnsupportedMediaType, "a Content-Type is required", nil)
		return nil, nil, false
	}
	switch mediaType {
	case "application/json":
		in, err := decodeInput(r.Body)
		if err != nil {
			validation(w, "account", err.Error())
			return nil, nil, false
		}
		return in, nil, true
	case "multipart/form-data":
	default:
		problem(w, http.StatusUnsupportedMediaType, "send application/json or multipart/form-data, not "+mediaType, nil)
		return nil, nil, false
	}
	mr, err := r.MultipartReader()
	if err != nil {
		problem(w, http.StatusBadRequest, "malformed multipart body: "+err.Error(), nil)
		return nil, nil, false
	}
	var in *accountInput
	var logo *LogoInfo
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			problem(w, http.StatusBadRequest, "malformed multipart body: "+err.Error(), nil)
			return nil, nil, false
		}
		switch part.FormName() {
		case "account":
			if ct := part.Header.Get("Content-Type"); ct != "" {
				if mt, _, err := mime.ParseMediaType(ct); err != nil || !jsonType(mt) {
					validation(w, "account", "the account part must be JSON (application/json), not "+ct)
					return nil, nil, false
				}
			}
			if in, err = decodeInput(part); err != nil {
				validation(w, "account", err.Error())
				return nil, nil, false
			}
		case "logo":
			h := sha256.New()
			n, err := io.Copy(h, part)
			if err != nil {
				problem(w, http.StatusBadRequest, "reading the logo: "+err.Error(), nil)
				return nil, nil, false
			}
			logo = &LogoInfo{Filename: part.FileName(), ContentType: part.Header.Get("Content-Type"), Size: n, SHA256: hex.EncodeToString(h.Sum(nil))}
		default:
			// Parts the operation does not take are skipped, as form
			// binding skips them.
			if _, err := io.Copy(io.Discard, part); err != nil {
				problem(w, http.StatusBadRequest, "malformed multipart body: "+err.Error(), nil)
				return nil, nil, false
			}
		}
	}
	if in == nil {
		validation(w, "account", "the account part is required")
		return nil, nil, false
	}
	return in, logo, true
}

// decodeInput reads an account: the members create and update apply, the
// read-only ones (ignored), and nothing else, as the vendor's schemas for
// the account sent close it (additionalProperties: false).
func decodeInput(r io.Reader) (*accountInput, error) {
	var members map[string]json.RawMessage
	if err := fakeapi.DecodeJSON(r, &members, false); err != nil {
		return nil, fmt.Errorf("the account is not a JSON object: %v", err)
	}
	var unknown []string
	for k := range members {
		switch {
		case slices.Contains(writableMembers, k):
		case slices.Contains(readOnlyMembers, k):
			delete(members, k)
		default:
			unknown = append(unknown, strconv.Quote(k))
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		return nil, fmt.Errorf("the account has members an account does not have: %s", strings.Join(unknown, ", "))
	}
	writable, _ := json.Marshal(members)
	var in accountInput
	if err := json.Unmarshal(writable, &in); err != nil {
		return nil, fmt.Errorf("the account is not valid JSON for an account: %v", err)
	}
	return &in, nil
}

// checkInput applies the API's field rules; it names the failing field.
// Service levels are not checked against a list: the vendor's documents
// name more than its schema's enum.
func checkInput(in *accountInput, create bool) (field, msg string) {
	switch {
	case in.Name == "":
		return "name", "The Name field is required."
	case utf8.RuneCountInString(in.Name) > 500:
		return "name", "The field Name must be a string with a maximum length of 500."
	case utf8.RuneCountInString(in.ExternalID) > 250:
		return "externalId", "The field ExternalId must be a string with a maximum length of 250."
	case utf8.RuneCountInString(in.TechnicalSupportEmail) > 320:
		return "technicalSupportEmail", "The field TechnicalSupportEmail must be a string with a maximum length of 320."
	case in.TechnicalSupportEmail != "" && !isEmail(in.TechnicalSupportEmail):
		return "technicalSupportEmail", "The TechnicalSupportEmail field is not a valid e-mail address."
	case utf8.RuneCountInString(in.Website) > 2000:
		return "website", "The field Website must be a string with a maximum length of 2000."
	case utf8.RuneCountInString(in.Description) > 2000:
		return "description", "The field Description must be a string with a maximum length of 2000."
	}
	if create {
		switch {
		case in.Type == "":
			return "type", "The Type field is required."
		case !in.Type.Valid():
			return "type", "Unknown account type " + string(in.Type) + "."
		case in.ServiceLevel == "":
			return "serviceLevel", "The ServiceLevel field is required."
		}
	}
	return "", ""
}

// isEmail reports whether s is a plain email address (the vendor's
// format: email).
func isEmail(s string) bool {
	addr, err := mail.ParseAddress(s)
	return err == nil && addr.Address == s
}

// apply copies the members an update sets onto a.
func apply(a *marketplace.Account, in *accountInput) {
	a.Name = in.Name
	if in.ServiceLevel != "" {
		a.ServiceLevel = in.ServiceLevel
	}
	if in.ExternalIDs.PyraTenantID != "" {
		a.ExternalIDs = in.ExternalIDs
	}
	if in.ExternalID != "" {
		a.ExternalID = in.ExternalID
	}
	if in.ExternalName != "" {
		a.ExternalName = in.ExternalName
	}
	if in.Address != (marketplace.Address{}) {
		a.Address = in.Address
	}
	if in.TechnicalSupportEmail != "" {
		a.TechnicalSupportEmail = in.TechnicalSupportEmail
	}
	if in.Website != "" {
		a.Website = in.Website
	}
	if in.Description != "" {
		a.Description = in.Description
	}
	if in.Eligibility.Client != nil {
		a.Eligibility.Client = in.Eligibility.Client
	}
	if in.Eligibility.Partner != nil {
		a.Eligibility.Partner = in.Eligibility.Partner
	}
}
