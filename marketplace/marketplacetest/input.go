package marketplacetest

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"mime"
	"net/http"
	"net/mail"
	"slices"
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

// inputSchema is the closed set of members a body may hold: those decoded
// (into an accountInput) and those accepted and ignored.
type inputSchema struct {
	what      string            // what the body is, for messages: "the account"
	model     string            // what has the members, for messages: "an account"
	decoded   []string          // members read into an accountInput
	canonical map[string]string // folded name -> name, decoded and ignored members
}

// newInputSchema builds a schema of the members decoded and those accepted
// and ignored; member names are matched case-insensitively, as the
// server's JSON reader (ASP.NET Core's System.Text.Json with its web
// defaults) matches them.
func newInputSchema(what, model string, decoded, ignored []string) *inputSchema {
	s := &inputSchema{what: what, model: model, decoded: decoded, canonical: make(map[string]string)}
	for _, m := range slices.Concat(decoded, ignored) {
		s.canonical[foldName(m)] = m
	}
	return s
}

// foldName is a member name as names are compared: without case.
func foldName(name string) string { return strings.ToLower(name) }

// accountSchema is the account create and update take. The first list
// holds the members they apply. The second holds the members of an account
// as the API returns it (or as the vendor's update schema and page list
// them) that create and update accept and ignore, so that an account can
// be sent back as GET returned it. The vendor marks icon and href read-only and
// documents audit as ignored; status changes only through enable, disable
// and activate.
var accountSchema = newInputSchema("the account", "an account",
	[]string{
		"name", "externalId", "externalIds", "externalName", "type", "serviceLevel",
		"address", "technicalSupportEmail", "website", "description", "eligibility",
	},
	[]string{
		"id", "href", "$meta", "audit", "status", "icon", "iconFileId", "groups", "buyers", "reference", "systemId",
	})

// activateSchema is the vendor's AccountActivateQueryModel, the body
// activate takes: an account without externalIds, eligibility, iconFileId,
// reference and systemId (additionalProperties: false). Of the members
// decoded, activate applies name and externalId and checks the others as
// update does.
var activateSchema = newInputSchema("the activate body", "AccountActivateQueryModel",
	[]string{
		"name", "externalId", "externalName", "type", "serviceLevel",
		"address", "technicalSupportEmail", "website", "description",
	},
	[]string{
		"id", "href", "$meta", "audit", "status", "icon", "groups", "buyers",
	})

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
		in, err := decodeInput(r.Body, accountSchema)
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
			if in, err = decodeInput(part, accountSchema); err != nil {
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

// decodeInput reads a body of the given schema: the members it decodes,
// the ones it ignores, and nothing else, as the vendor's schemas close the
// object (additionalProperties: false). Member names are matched without
// case, as the server matches them; an object with two members whose names
// differ only in case is refused rather than read as one of them. Dotted
// names (Address.City), which the vendor's documents show, are not members.
func decodeInput(r io.Reader, schema *inputSchema) (*accountInput, error) {
	var members map[string]json.RawMessage
	if err := fakeapi.DecodeJSON(r, &members, false); err != nil {
		return nil, fmt.Errorf("%s is not a JSON object: %v", schema.what, err)
	}
	var unknown []string
	seen := make(map[string]string) // canonical name -> name as sent
	decoded := make(map[string]json.RawMessage)
	for _, k := range slices.Sorted(maps.Keys(members)) {
		name, ok := schema.canonical[foldName(k)]
		if !ok {
			unknown = append(unknown, strconv.Quote(k))
			continue
		}
		if other, dup := seen[name]; dup {
			return nil, fmt.Errorf("%s has members whose names differ only in case: %q and %q", schema.what, other, k)
		}
		seen[name] = k
		if !slices.Contains(schema.decoded, name) {
			continue
		}
		if other, k2 := caseTwins(members[k]); other != "" {
			return nil, fmt.Errorf("%s has members whose names differ only in case: %q and %q in %q", schema.what, other, k2, k)
		}
		decoded[name] = members[k]
	}
	if len(unknown) > 0 {
		return nil, fmt.Errorf("%s has members %s does not have: %s", schema.what, schema.model, strings.Join(unknown, ", "))
	}
	writable, _ := json.Marshal(decoded)
	var in accountInput
	if err := json.Unmarshal(writable, &in); err != nil {
		return nil, fmt.Errorf("%s is not valid JSON for an account: %v", schema.what, err)
	}
	return &in, nil
}

// caseTwins finds, in a JSON object, two member names that differ only in
// case. It finds none in other values.
func caseTwins(raw json.RawMessage) (string, string) {
	var members map[string]json.RawMessage
	if json.Unmarshal(raw, &members) != nil {
		return "", ""
	}
	seen := make(map[string]string)
	for _, k := range slices.Sorted(maps.Keys(members)) {
		if other, dup := seen[foldName(k)]; dup {
			return other, k
		}
		seen[foldName(k)] = k
	}
	return "", ""
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
