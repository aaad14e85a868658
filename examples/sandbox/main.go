// Command sandbox serves the SDK's three in-memory fakes on loopback ports
// and prints the environment variables that point the examples, and your
// own code, at them: integration tests without the vendors, like
// stripe-mock.
//
//	go run ./examples/sandbox
//	eval "$(go run ./examples/sandbox -env-file /tmp/accountkit.env & sleep 3; cat /tmp/accountkit.env)"
//
// It runs until interrupted. The Upvest fake verifies every request's
// signature: the private key it accepts is written to a PEM file whose path
// UPVEST_PRIVATE_KEY_FILE names. With -webhook-url the Upvest fake delivers
// signed account group events there.
//
// The Paxos fake enforces Paxos's rate limits (50 requests a second per
// endpoint and IP, 1 at the token endpoint; over them 429 and five minutes
// of throttling; -paxos-rate-limit changes the 50, 0 turns them off). With
// -paxos-require-signatures it also requires request signing, as Paxos
// does once signing is enabled for an account: the sandbox makes an ECDSA
// P-256 key, writes it beside the Upvest key (paxos-signing-key.pem, whose
// path PAXOS_SIGNING_KEY_FILE names, with PAXOS_SIGNING_KEY_ID), and the
// fake refuses requests not signed with it.
//
// With -addr the three fakes share one port instead, each an http.Handler
// mounted on one mux under its own prefix (/paxos, /marketplace, /upvest),
// the way a test can mount a fake beside its own handlers:
//
//	go run ./examples/sandbox -addr 127.0.0.1:12110
package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/accountkit/accountkit-go/accountgroups"
	"github.com/accountkit/accountkit-go/accountgroups/accountgroupstest"
	"github.com/accountkit/accountkit-go/marketplace"
	"github.com/accountkit/accountkit-go/marketplace/marketplacetest"
	"github.com/accountkit/accountkit-go/paxos"
	"github.com/accountkit/accountkit-go/paxos/paxostest"
)

func main() {
	paxosAddr := flag.String("paxos-addr", "127.0.0.1:12111", "address of the Paxos fake")
	marketplaceAddr := flag.String("marketplace-addr", "127.0.0.1:12112", "address of the SoftwareOne Marketplace fake")
	upvestAddr := flag.String("upvest-addr", "127.0.0.1:12113", "address of the Upvest fake")
	addr := flag.String("addr", "", "serve all three fakes on this one address, under /paxos, /marketplace and /upvest (the -*-addr flags are then unused)")
	webhookURL := flag.String("webhook-url", "", "where the Upvest fake delivers webhook events")
	envFile := flag.String("env-file", "", "also write the export lines to this file")
	keyDir := flag.String("key-dir", "", "where to write the signing keys (a new temporary folder when empty)")
	paxosRateLimit := flag.Int("paxos-rate-limit", paxostest.RateLimit, "requests a second the Paxos fake allows per endpoint and IP before it throttles the IP for five minutes (0: no limit)")
	paxosSigned := flag.Bool("paxos-require-signatures", false, "make the Paxos fake require request signing, with a key written to the key folder")
	flag.Parse()
	log.SetFlags(0)
	if err := run(*addr, *paxosAddr, *marketplaceAddr, *upvestAddr, *webhookURL, *envFile, *keyDir, *paxosRateLimit, *paxosSigned); err != nil {
		log.Fatal("sandbox: ", err)
	}
}

func run(addr, paxosAddr, marketplaceAddr, upvestAddr, webhookURL, envFile, keyDir string, paxosRateLimit int, paxosSigned bool) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	if keyDir == "" {
		var err error
		if keyDir, err = os.MkdirTemp("", "accountkit-sandbox-"); err != nil {
			return err
		}
	}
	paxosOpts := []paxostest.Option{paxostest.WithRateLimit(paxosRateLimit)}
	var paxosVars [][2]string
	if paxosSigned {
		key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			return err
		}
		file, err := writePEM(keyDir, "paxos-signing-key.pem", key)
		if err != nil {
			return err
		}
		paxosOpts = append(paxosOpts, paxostest.WithRequestSigning(paxosKeyID, key.Public()))
		paxosVars = [][2]string{{"PAXOS_SIGNING_KEY_ID", paxosKeyID}, {"PAXOS_SIGNING_KEY_FILE", file}}
	}

	serve := serveEach
	if addr != "" {
		serve = serveOnOnePort
	}
	fk, err := serve(addr, paxosAddr, marketplaceAddr, upvestAddr, paxosOpts)
	if err != nil {
		return err
	}
	defer fk.close()
	ug := fk.upvest
	if webhookURL != "" {
		ug.SetWebhookURL(webhookURL)
	}

	keyFile, err := writeKey(ug, keyDir)
	if err != nil {
		return err
	}
	keyID, _ := ug.SigningKey()
	vars := [][2]string{
		{"PAXOS_BASE_URL", fk.paxosEnv.BaseURL},
		{"PAXOS_TOKEN_URL", fk.paxosEnv.TokenURL},
		{"PAXOS_CLIENT_ID", paxostest.ClientID},
		{"PAXOS_CLIENT_SECRET", paxostest.ClientSecret},
		{"PAXOS_IDENTITY_ID", "0acd56b7-140b-4b29-83e4-7e717f03afd9"},
		{"PAXOS_MEMBER_IDENTITY_IDS", "2dedfc70-a67f-4e4a-bcc0-1d288408ba6b,11a3122a-0c50-4950-9934-2ad48a782b78"},
		{"MPT_API_BASE_URL", fk.marketplaceEnv.BaseURL},
		{"MPT_API_TOKEN", marketplacetest.Token},
		{"UPVEST_BASE_URL", fk.upvestEnv.BaseURL},
		{"UPVEST_CLIENT_ID", accountgroupstest.ClientID},
		{"UPVEST_CLIENT_SECRET", accountgroupstest.ClientSecret},
		{"UPVEST_KEY_ID", keyID},
		{"UPVEST_PRIVATE_KEY_FILE", keyFile},
		{"UPVEST_USER_ID", "413715f2-5401-4b97-8055-034a6b879f8c"},
	}
	vars = append(vars, paxosVars...)
	var b strings.Builder
	for _, v := range vars {
		fmt.Fprintf(&b, "export %s=%q\n", v[0], v[1])
	}
	if envFile != "" {
		if err := os.WriteFile(envFile, []byte(b.String()), 0o600); err != nil {
			return err
		}
	}
	fmt.Print(b.String())
	fmt.Fprintf(os.Stderr, "# %s; interrupt to stop.\n", fk.where)
	<-ctx.Done()
	return nil
}

// running is the three fakes, served, and how clients reach them.
type running struct {
	upvest         *accountgroupstest.Fake // its signing key and webhooks
	paxosEnv       paxos.Environment
	marketplaceEnv marketplace.Environment
	upvestEnv      accountgroups.Environment
	where          string
	close          func()
}

// serveEach serves each fake on its own port, with NewServer.
func serveEach(_, paxosAddr, marketplaceAddr, upvestAddr string, paxosOpts []paxostest.Option) (*running, error) {
	px := paxostest.NewServer(append(paxosOpts, paxostest.WithAddr(paxosAddr))...)
	mp := marketplacetest.NewServer(marketplacetest.WithAddr(marketplaceAddr))
	ug := accountgroupstest.NewServer(accountgroupstest.WithAddr(upvestAddr))
	return &running{
		upvest:         ug.Fake,
		paxosEnv:       px.Environment(),
		marketplaceEnv: mp.Environment(),
		upvestEnv:      ug.Environment(),
		where:          fmt.Sprintf("Paxos on %s, Marketplace on %s, Upvest on %s", px.URL, mp.URL, ug.URL),
		close:          func() { ug.Close(); mp.Close(); px.Close() },
	}, nil
}

// serveOnOnePort mounts the three fakes, each an http.Handler, on one mux
// under its own prefix, and serves that on addr.
func serveOnOnePort(addr, _, _, _ string, paxosOpts []paxostest.Option) (*running, error) {
	px, mp, ug := paxostest.New(paxosOpts...), marketplacetest.New(), accountgroupstest.New()
	mux := http.NewServeMux()
	mux.Handle("/paxos/", http.StripPrefix("/paxos", px))
	mux.Handle("/marketplace/", http.StripPrefix("/marketplace", mp))
	mux.Handle("/upvest/", http.StripPrefix("/upvest", ug))
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	root := "http://" + ln.Addr().String()
	return &running{
		upvest:         ug,
		paxosEnv:       px.EnvironmentAt(root + "/paxos"),
		marketplaceEnv: mp.EnvironmentAt(root + "/marketplace"),
		upvestEnv:      ug.EnvironmentAt(root + "/upvest"),
		where:          "all three on " + root + " (under /paxos, /marketplace and /upvest)",
		close:          func() { ug.Close(); _ = srv.Close() },
	}, nil
}

// paxosKeyID names the Paxos signing key the sandbox makes, as the Paxos
// dashboard names a registered key.
const paxosKeyID = "sandbox-paxos-signing-key"

// writeKey saves the Upvest fake's client signing key as a PKCS #8 PEM
// file, readable by accountgroups.LoadPrivateKey.
func writeKey(ug *accountgroupstest.Fake, dir string) (string, error) {
	_, key := ug.SigningKey()
	return writePEM(dir, "upvest-key.pem", key)
}

// writePEM saves key in dir as a PKCS #8 PEM file, readable by
// accountgroups.LoadPrivateKey and paxos.LoadPrivateKey, and returns its
// path.
func writePEM(dir, name string, key any) (string, error) {
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, name)
	return path, os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), 0o600)
}
