// Package rql builds filters in SoftwareOne's Resource Query Language (RQL)
// for marketplace.ListAccountsParams.RQL.
//
//	q := rql.And(rql.Eq("type", marketplace.AccountTypeClient), rql.ILike("name", "*o'neil & sons*"))
//	for account, err := range client.ListAccounts(ctx, &marketplace.ListAccountsParams{RQL: q.String()}) {
//
// Values may hold anything a value can hold (spaces, commas, parentheses,
// quotes, percent signs, unicode): the server reads back the value that was
// given. [Query.String] returns the filter ready to send, already
// percent-encoded, because ListAccountsParams.RQL goes into the query string
// verbatim; do not encode it again. A hand-written filter such as
// eq(status,Active) still works in ListAccountsParams.RQL as before.
//
// # How values are written
//
//   - A string is quoted: 'Acme'. SoftwareOne's RQL has no escape character
//     inside a quoted value, so a value holding ' is quoted with " instead,
//     and a value holding both kinds of quote cannot be written at all: its
//     Query reports the problem through [Query.Err] (see below).
//   - Inside the quotes every byte outside A-Z a-z 0-9 - . _ ~ * : is
//     percent-encoded as UTF-8 (a space is %20, & is %26, + is %2B, % is
//     %25, é is %C3%A9); the " delimiter itself is sent as %22. The server
//     decodes the query string once and then parses the RQL (inferred; see
//     Sources), so what it parses is the quoted value exactly. A string
//     that is not valid UTF-8 is refused.
//   - The empty string is empty(); nil (or a nil pointer) is null().
//   - Booleans are true and false; integers and floats are written in
//     decimal without an exponent (1e21 is 1000000000000000000000); NaN and
//     infinities are refused. None of them is quoted.
//   - A [time.Time] is quoted in UTC with milliseconds,
//     '2026-01-31T23:00:00.000Z', the format SoftwareOne documents; a time
//     with a finer part keeps it (7 digits, as .NET writes them, or 9).
//   - A value of a named type is written by its kind (a
//     marketplace.AccountStatus is a string); other types are written as
//     a string through their String method when they have one, and refused
//     otherwise.
//
// Field names are paths of letters, digits, _ and - separated by dots
// (name, externalIds.pyraTenantId); anything else is refused.
//
// like and ilike take a pattern: a * at its start or end matches any text,
// and \* there stands for a literal *. The pattern is sent as written
// (quoted and percent-encoded like any value). SoftwareOne documents * as
// matching "in its place"; its reference implementation honours it only at
// the start and end of the pattern and matches a * elsewhere literally, so
// do not rely on a * in the middle.
//
// # Queries that cannot be written
//
// The functions never panic. A query that cannot be written faithfully (a
// value with both ' and ", a field name with other characters, an
// unsupported type, in or out without values, Or of nothing, Not of the
// zero Query) records why in [Query.Err], and so does every query built
// from it. Its String is then an rqlerror(...) term that SoftwareOne and
// marketplacetest both refuse with 400 Bad Request, never a filter that
// would silently match other accounts. Check Err when values come from
// outside the program.
//
// # Sources
//
// What this package writes was checked against SoftwareOne's own published
// material (the copies of 2026-08):
//
//   - The RQL documentation, github.com/softwareone-platform/docs,
//     developer-resources/api-usage-and-reference/resource-query-language/
//     README.md and rql-advanced-tips.md: values with special characters or
//     whitespace go in " or ' quotes; a quote inside a value is written by
//     quoting with the other kind; * is the ilike wildcard and \* a literal
//     asterisk; null() and empty(); dates in UTC as YYYY-MM-DDTHH:mm:ss.sssZ;
//     the operators eq, ne, gt, ge, lt, le, like, ilike, in(field,(a,b)),
//     out, and, or, not(q); and the filter appended to the query string
//     itself, not sent as a rql= parameter.
//   - SoftwareOne's .NET RQL implementation, which those documents name as
//     the reference, github.com/softwareone-platform/mpt-rql-net:
//     src/Mpt.Rql/Parsers/Linear/Services/RqlParser.cs (' and " delimit a
//     value, only the same quote ends it, there is no escape character,
//     and outside quotes , & ; | ( ) = are syntax),
//     RqlExpressionMapper.cs (the quotes are removed),
//     RqlBinaryParser.cs and RqlExpressionReducer.cs (in/out lists, a
//     one-value list), Services/Filtering/Builders/BinaryExpressionBuilder.cs
//     (an unquoted value that names a property is compared with that
//     property, which is why strings are always quoted here; null() is
//     refused in lists and by like),
//     Services/Filtering/Operators/Search/Implementation/Like.cs (the
//     wildcard and \* only at the ends), and Client/Core/ValueConverter.cs
//     (its own client quotes strings with ', writes numbers in the
//     invariant culture, booleans as true/false, nil as null()).
//   - The official Python client,
//     github.com/softwareone-platform/mpt-api-python-client:
//     mpt_api_client/rql/query_builder.py (RQLValue
//     quotes strings and dates with ', writes true/false and numbers bare;
//     and(...), or(...), not(...), in(f,(a,b))) and
//     mpt_api_client/http/query_state.py (the filter is appended to the
//     query string as is).
//
// Inferred, not confirmed: that the server percent-decodes the query
// string once before it parses the RQL. The encoding above depends on it.
// The evidence is that the documents' "..." values only work that way from
// clients that encode " (browsers, the Python client's HTTP library), and
// that non-ASCII values could not be sent at all otherwise. Whether the
// server reads + as a space does not matter, because + is always sent as
// %2B. Not confirmed at all: whether the platform treats a * in the middle
// of a like pattern as a wildcard (see above); whether it keeps fractions
// of a second finer than milliseconds (it accepts the 7 digits .NET's own
// client writes; 9 digits are unverified); and whether eq and like compare
// case-sensitively, which depends on the server's collation.
package rql
