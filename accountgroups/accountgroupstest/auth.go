package accountgroupstest

import (
	"net/http"

	"github.com/accountkit/accountkit-go/accountgroups"
	"github.com/accountkit/accountkit-go/internal/fakeapi"
)

// vendorScopes are the scopes Upvest's OAuth2 scheme lists; the token
// endpoint grants any of them and refuses others with invalid_scope.
var vendorScopes = []string{
	accountgroups.ScopeAccountsRead, accountgroups.ScopeAccountsAdmin,
	"webhooks:admin", "webhooks:read", "orders:admin", "orders:read", "users:admin", "users:read",
	"checks:admin", "checks:read", "positions:read", "reference_accounts:admin", "reference_accounts:read",
	"mandates:admin", "mandates:read", "payments:admin", "payments:read", "topups:admin", "topups:read",
	"credit_fundings:read", "reports:read", "taxes:read", "taxes:admin", "transactions:read",
	"instruments:read", "fees:admin", "fees:read", "portfolios:read", "portfolios:admin",
	"valuations:read", "account_liquidations:read", "account_liquidations:admin",
	"account_returns:read", "virtual_cash_balances:admin",
}

// impliedScopes: an admin scope covers reads, as the vendor's operations
// list both.
var impliedScopes = map[string][]string{
	accountgroups.ScopeAccountsAdmin: {accountgroups.ScopeAccountsRead},
	"webhooks:admin":                 {"webhooks:read"},
}

// verifyKeysScopes are the scopes GET /auth/verify_keys takes, as the
// vendor's spec says: webhooks:read (or webhooks:admin, which implies it).
var verifyKeysScopes = []string{accountgroups.ScopeWebhooksRead}

// AddToken makes token a valid bearer token with the given scopes, as if
// the token endpoint had issued it, so that requests recorded from
// another client (which carry a token of their own) can be replayed
// against the fake. With no scopes it holds accounts:read and
// accounts:admin, the scopes accountgroups.NewClient asks for. It never
// expires on its own; ExpireTokens removes it too. It does not count in
// TokensIssued.
func (f *Fake) AddToken(token string, scopes ...string) {
	if len(scopes) == 0 {
		scopes = []string{accountgroups.ScopeAccountsRead, accountgroups.ScopeAccountsAdmin}
	}
	f.tokens.Add(token, scopes...)
}

// ExpireTokens makes every token issued or added so far invalid.
func (f *Fake) ExpireTokens() { f.tokens.ExpireAll() }

// TokensIssued is how many tokens the token endpoint has handed out.
func (f *Fake) TokensIssued() int { return f.tokens.Issued() }

func (f *Fake) verifyKeys(w http.ResponseWriter, _ *http.Request) {
	fakeapi.WriteJSON(w, http.StatusOK, f.WebhookKeys())
}
