package marketplace

import (
	"net/mail"
	"unicode/utf8"
)

// validateAccount refuses what the API documents as invalid: a missing or
// over-long name, a missing type or service level on create, fields over
// their length limits, and an email that is not one.
func validateAccount(op string, a *Account, create bool) error {
	if a.Name == "" {
		return invalid(op, "account.Name is required")
	}
	if n := utf8.RuneCountInString(a.Name); n > 500 {
		return invalid(op, "account.Name is %d characters; the API takes at most 500", n)
	}
	if create && a.Type == "" {
		return invalid(op, "account.Type is required on create (%s, %s or %s); it cannot be changed later", AccountTypeClient, AccountTypeVendor, AccountTypeOperations)
	}
	if create && a.ServiceLevel == "" {
		return invalid(op, "account.ServiceLevel is required on create (for example %s or %s)", ServiceLevelExpress, ServiceLevelNotApplicable)
	}
	if n := utf8.RuneCountInString(a.ExternalID); n > 250 {
		return invalid(op, "account.ExternalID is %d characters; the API takes at most 250", n)
	}
	if n := utf8.RuneCountInString(a.Website); n > 2000 {
		return invalid(op, "account.Website is %d characters; the API takes at most 2000", n)
	}
	if e := a.TechnicalSupportEmail; e != "" {
		if len(e) > 320 {
			return invalid(op, "account.TechnicalSupportEmail is %d characters; the API takes at most 320", len(e))
		}
		if addr, err := mail.ParseAddress(e); err != nil || addr.Address != e {
			return invalid(op, "account.TechnicalSupportEmail %q is not a plain email address (name@example.com)", e)
		}
	}
	return nil
}

// validateLogo refuses a logo without content.
func validateLogo(op string, logo *Logo) error {
	if logo == nil {
		return nil
	}
	if logo.Content == nil {
		return invalid(op, "logo.Content is nil; pass a nil *Logo to leave the logo as it is")
	}
	if logo.ContentType != "" {
		if _, err := cleanMediaType(logo.ContentType); err != nil {
			return invalid(op, "logo.ContentType: %v; leave it empty to sniff it", err)
		}
	}
	return nil
}
