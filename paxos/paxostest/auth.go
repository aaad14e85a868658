package paxostest

import (
	"net/http"

	"github.com/accountkit/accountkit-go/internal/fakeapi"
	"github.com/accountkit/accountkit-go/paxos"
)

// vendorScopes are the scopes Paxos's OAuth2 scheme lists; the token
// endpoint grants any of them and refuses others with invalid_scope.
var vendorScopes = []string{
	"conversion:read_conversion_stablecoin", "conversion:write_conversion_stablecoin",
	"exchange:historical_prices", "exchange:read_order", "exchange:read_quote",
	"exchange:read_quote_execution", "exchange:write_quote_execution", "exchange:write_order",
	"fee:write_crypto_withdrawal_fee", "funding:read_profile", "funding:write_profile",
	paxos.ScopeReadAccount, "identity:read_identity", paxos.ScopeWriteAccount, "identity:write_identity",
	"settlement:read_transaction", "settlement:write_transaction",
	"tax:read_tax_form", "tax:read_tax_lot", "tax:write_tax_lot",
	"transfer:read_deposit_address", "transfer:read_fiat_account", "transfer:read_fiat_deposit_instructions",
	"transfer:read_transfer", "transfer:read_transfer_limit", "transfer:reject_crypto_deposit",
	"transfer:update_crypto_deposit", "transfer:write_crypto_withdrawal", "transfer:write_deposit_address",
	"transfer:write_fiat_account", "transfer:write_fiat_deposit_instructions", "transfer:write_internal_transfer",
	"transfer:write_sandbox_fiat_deposit", "transfer:write_fiat_withdrawal", "events:read_event",
}

// oauthError writes an RFC 6749 error answer, as Paxos's token endpoint
// does.
func oauthError(w http.ResponseWriter, status int, code, desc string) {
	fakeapi.WriteJSON(w, status, map[string]string{"error": code, "error_description": desc})
}

// AddToken makes token a valid bearer token with the given scopes, as if
// the token endpoint had issued it, so that requests recorded from
// another client (which carry a token of their own) can be replayed
// against the fake. With no scopes it holds identity:read_account and
// identity:write_account, the scopes paxos.NewClient asks for. It never
// expires on its own; ExpireTokens removes it too. It does not count in
// TokensIssued.
func (f *Fake) AddToken(token string, scopes ...string) {
	if len(scopes) == 0 {
		scopes = []string{paxos.ScopeReadAccount, paxos.ScopeWriteAccount}
	}
	f.tokens.Add(token, scopes...)
}

// ExpireTokens makes every token issued or added so far invalid, as if
// it had expired early.
func (f *Fake) ExpireTokens() { f.tokens.ExpireAll() }

// TokensIssued is how many tokens the token endpoint has handed out.
func (f *Fake) TokensIssued() int { return f.tokens.Issued() }
