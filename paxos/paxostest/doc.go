// Package paxostest serves an in-memory fake of the Paxos accounts API and
// its OAuth2 token endpoint, for examples and for testing code that uses
// package paxos, in the spirit of net/http/httptest.
//
//	srv := paxostest.NewServer()
//	defer srv.Close()
//	client, err := paxos.NewClient(srv.Environment(),
//		paxos.WithClientCredentials(paxostest.ClientID, paxostest.ClientSecret))
//
// The fake behaves like the vendor where it matters to a client: it refuses
// what the real API refuses (an empty members list, a role change an update
// may not make, a duplicate ref_id, unknown ids, a missing or expired token,
// a token without the operation's scope) with problem+json answers,
// paginates with next_page_cursor and assigns member ids itself. Helpers
// seed accounts ([Server.AddAccount]), inject faults ([Server.InjectFault])
// and latency ([Server.SetLatency]), expire tokens ([Server.ExpireTokens])
// and report what was asked of it ([Server.Requests], [Server.TokensIssued]).
//
// State lives in memory and is lost on Close. A Server is safe for
// concurrent use.
package paxostest
