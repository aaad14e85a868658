// Command otel traces SDK calls with OpenTelemetry: an otelhttp transport,
// given to the client with WithHTTPClient, names each span after the SDK
// operation its request belongs to (accountkit.OperationName), so that a
// trace reads "paxos.AddMember" rather than "HTTP PUT". It runs against
// the in-memory Paxos fake and prints the spans an in-memory recorder
// saw.
//
// It is a module of its own, so that the SDK's module graph does not
// inherit OpenTelemetry.
package main

import (
	"context"
	"fmt"
	"log"
	"net/http"

	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel/attribute"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/accountkit/accountkit-go"
	"github.com/accountkit/accountkit-go/paxos"
	"github.com/accountkit/accountkit-go/paxos/paxostest"
)

func main() {
	ctx := context.Background()
	recorder := tracetest.NewSpanRecorder()
	provider := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(recorder))
	defer func() { _ = provider.Shutdown(ctx) }()

	// The tracing transport: one span per request, named after the SDK
	// operation, whatever the URL.
	hc := &http.Client{Transport: otelhttp.NewTransport(http.DefaultTransport,
		otelhttp.WithTracerProvider(provider),
		otelhttp.WithSpanNameFormatter(func(_ string, r *http.Request) string {
			return accountkit.OperationName(r.Context())
		}))}

	srv := paxostest.NewServer(paxostest.WithDeterministicIDs())
	defer srv.Close()
	client, err := srv.NewClient(paxos.WithHTTPClient(hc))
	if err != nil {
		log.Fatal(err)
	}
	account := srv.AddAccount(paxos.Account{IdentityID: "owner"})

	// The application's own span; the SDK's spans are its children.
	ctx, span := provider.Tracer("examples/otel").Start(ctx, "onboard advisor")
	if _, err := client.GetAccount(ctx, account.ID); err != nil {
		log.Fatal(err)
	}
	if _, err := client.AddMember(ctx, account.ID, paxos.AccountMember{
		IdentityID: "advisor",
		Roles:      []paxos.Role{paxos.RoleFinancialAdvisor},
	}); err != nil {
		log.Fatal(err)
	}
	span.End()

	for _, s := range recorder.Ended() {
		fmt.Printf("%-20s %-6s %s\n", s.Name(), attr(s.Attributes(), "http.request.method"), attr(s.Attributes(), "http.response.status_code"))
	}
}

// attr is the value of the attribute named key, or "".
func attr(attrs []attribute.KeyValue, key attribute.Key) string {
	for _, a := range attrs {
		if a.Key == key {
			return a.Value.String()
		}
	}
	return ""
}
