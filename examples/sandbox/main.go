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
// With -addr the three fakes share one port instead, each an http.Handler
// mounted on one mux under its own prefix (/paxos, /marketplace, /upvest),
// the way a test can mount a fake beside its own handlers:
//
//	go run ./examples/sandbox -addr 127.0.0.1:12110
package main

import (
	"context"
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
	keyDir := flag.String("key-dir", "", "where to write the Upvest signing key (a new temporary folder when empty)")
	flag.Parse()
	log.SetFlags(0)
	if err := run(*addr, *paxosAddr, *marketplaceAddr, *upvestAddr, *webhookURL, *envFile, *keyDir); err != nil {
		log.Fatal("sandbox: ", err)
	}
}

func run(addr, paxosAddr, marketplaceAddr, upvestAddr, webhookURL, envFile, keyDir string) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	serve := serveEach
	if addr != "" {
		serve = serveOnOnePort
	}
	fk, err := serve(addr, paxosAddr, marketplaceAddr, upvestAddr)
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
func serveEach(_, paxosAddr, marketplaceAddr, upvestAddr string) (*running, error) {
	px := paxostest.NewServer(paxostest.WithAddr(paxosAddr))
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
func serveOnOnePort(addr, _, _, _ string) (*running, error) {
	px, mp, ug := paxostest.New(), marketplacetest.New(), accountgroupstest.New()
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

// writeKey saves the Upvest fake's client signing key as a PKCS #8 PEM
// file, readable by accountgroups.LoadPrivateKey.
func writeKey(ug *accountgroupstest.Fake, dir string) (string, error) {
	if dir == "" {
		var err error
		if dir, err = os.MkdirTemp("", "accountkit-sandbox-"); err != nil {
			return "", err
		}
	}
	_, key := ug.SigningKey()
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, "upvest-key.pem")
	return path, os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), 0o600)
}
