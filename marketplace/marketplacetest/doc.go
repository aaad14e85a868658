// Package marketplacetest serves an in-memory fake of the SoftwareOne
// Marketplace accounts API, for examples and for testing code that uses
// package marketplace, in the spirit of net/http/httptest.
//
//	srv := marketplacetest.NewServer()
//	defer srv.Close()
//	client, err := marketplace.NewClient(srv.Environment(),
//		marketplace.WithAPIToken(marketplacetest.Token))
//
// The fake reads multipart bodies as the real server does, part by part
// and streaming: it refuses a body whose "account" part is missing or not
// JSON with a 400 problem, and keeps only the size, SHA-256 and type of an
// uploaded logo ([Server.Logo]), so large uploads cost it no memory. It
// pages lists with $meta.pagination, understands simple RQL filters
// (eq, ne, ilike, and), leaves groups and audit out unless selected, moves
// accounts between New, Enabled, Active and Disabled, and answers problem
// details in both of SoftwareOne's errors shapes. Helpers inject faults
// and latency and report what was asked of it.
package marketplacetest
