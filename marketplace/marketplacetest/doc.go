// Package marketplacetest is an in-memory fake of the SoftwareOne
// Marketplace accounts API, for examples and for testing code that uses
// package marketplace, in the spirit of net/http/httptest.
//
// A [Fake] is an [http.Handler]: mount it on your own mux, wrap it in
// httptest.NewServer, or drive it with httptest.NewRecorder. [NewServer]
// serves one on a loopback port and knows its own URL:
//
//	srv := marketplacetest.NewServer()
//	defer srv.Close()
//	client, err := srv.NewClient() // or marketplace.NewClient(srv.Environment(), marketplace.WithAPIToken(marketplacetest.Token))
//
//	fake := marketplacetest.New()
//	mux.Handle("/marketplace/", http.StripPrefix("/marketplace", fake))
//	client, err := fake.NewClientAt(ts.URL + "/marketplace")
//
// The fake reads multipart bodies as the real server does, part by part
// and streaming, and keeps only the size, SHA-256 and type of an uploaded
// logo ([Fake.Logo]), so large uploads cost it little memory. It pages
// lists with $meta.pagination, understands the RQL that marketplace/rql
// writes (comparisons, like, ilike, in, out, and, or, not), leaves groups
// and audit out unless selected, moves accounts between New, Enabled, Active and Disabled, and answers problem
// details in both of SoftwareOne's errors shapes. Helpers seed accounts
// ([Fake.AddAccount]), inject faults ([Fake.InjectFault]) and latency
// ([Fake.SetLatency]) and report what was asked of it: [Fake.Requests]
// lists every request with its headers and the start of its body (the API
// token redacted).
//
// # What the fake accepts
//
// What the vendor's published document allows:
//
//   - Create and update bodies as application/json or as
//     multipart/form-data with an "account" part (of a JSON media type,
//     or untyped) and an optional "logo" file part; other parts are
//     skipped, as form binding skips them.
//   - The account as the vendor's schemas list it, which is the whole
//     account: an account sent back exactly as GET returned it is a valid
//     update. name, externalId, externalIds, externalName, type (on create;
//     the same type on update), serviceLevel, address,
//     technicalSupportEmail, website, description and eligibility are
//     applied; id, href, $meta, audit, status, icon, iconFileId, groups,
//     buyers, reference and systemId are ignored (read-only, or changed
//     through their own endpoints).
//   - Member names in any case (Name, ExternalId, serviceLEVEL, and in
//     address, externalIds and eligibility too), as the server's JSON
//     reader (ASP.NET Core's, with its web defaults) matches them; the
//     vendor's own example writes them in PascalCase.
//   - Any service level: the vendor's documents name more than its
//     schema's enum.
//   - Activate with or without a body. The body is the vendor's
//     AccountActivateQueryModel (application/json, text/json or
//     application/*+json): externalId and name are required and set on
//     the account before it is activated; its other members are checked
//     as update checks them and not applied. Without a body the account's
//     stored externalId is used.
//   - List parameters limit (0 to 100), offset, select, order and RQL
//     filters; other parameters are ignored. select takes +name and -name
//     entries, the + also written literally as the vendor's documents
//     write it (select=+audit, whose + a query string decodes as a space);
//     entries the fake does not know are ignored. The Bearer scheme's name
//     in any case.
//
// A page of a list always has data ([] when empty) and $meta.pagination
// with total, limit and offset.
//
// # What the fake refuses
//
//   - 400 with errors as a map of field to messages, as the vendor
//     answers validation failures: an account member the vendor's schemas
//     do not list (they close the object: additionalProperties false),
//     dotted names such as Address.City included; two members whose names
//     differ only in case; an account that is not a JSON object; a missing
//     account part; a missing name, or type or serviceLevel on create; a
//     type outside Client, Vendor and Operations, or a change of type;
//     fields over the vendor's maximum lengths (name 500, externalId 250,
//     technicalSupportEmail 320, website and description 2000); a
//     technicalSupportEmail that is not an email address; activating an
//     account without an externalId, or with a body without externalId or
//     name or with members AccountActivateQueryModel does not list; a
//     limit over 100 (the vendor's maximum) or a negative offset.
//   - 400 with errors as a list: a status change the account's status
//     does not allow (enable an account that is not disabled, disable one
//     that is, activate one that is not New or Enabled).
//   - 400 for what the fake cannot evaluate, rather than a wrong answer:
//     RQL it cannot evaluate (unknown operators, the infix forms), filters on
//     fields other than id, name, status, type, serviceLevel and
//     externalId, and ordering by fields other than name, id and
//     audit.created.at.
//   - 401 without the API token ([Token]); 404 for an unknown account or
//     endpoint (the fake has no validate, external-buyers or icon
//     endpoint); 415 for a create or update body that is neither JSON nor
//     multipart, and for an activate body that is not JSON.
//
// State lives in memory and is lost with the Fake. A Fake and a Server
// are safe for concurrent use.
package marketplacetest
