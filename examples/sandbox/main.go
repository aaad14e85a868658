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
package main

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/accountkit/accountkit-go/accountgroups/accountgroupstest"
	"github.com/accountkit/accountkit-go/marketplace/marketplacetest"
	"github.com/accountkit/accountkit-go/paxos/paxostest"
)

func main() {
	paxosAddr := flag.String("paxos-addr", "127.0.0.1:12111", "address of the Paxos fake")
	marketplaceAddr := flag.String("marketplace-addr", "127.0.0.1:12112", "address of the SoftwareOne Marketplace fake")
	upvestAddr := flag.String("upvest-addr", "127.0.0.1:12113", "address of the Upvest fake")
	webhookURL := flag.String("webhook-url", "", "where the Upvest fake delivers webhook events")
	envFile := flag.String("env-file", "", "also write the export lines to this file")
	keyDir := flag.String("key-dir", "", "where to write the Upvest signing key (a new temporary folder when empty)")
	flag.Parse()
	log.SetFlags(0)
	if err := run(*paxosAddr, *marketplaceAddr, *upvestAddr, *webhookURL, *envFile, *keyDir); err != nil {
		log.Fatal("sandbox: ", err)
	}
}

func run(paxosAddr, marketplaceAddr, upvestAddr, webhookURL, envFile, keyDir string) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	px := paxostest.NewServer(paxostest.WithAddr(paxosAddr))
	defer px.Close()
	mp := marketplacetest.NewServer(marketplacetest.WithAddr(marketplaceAddr))
	defer mp.Close()
	ug := accountgroupstest.NewServer(accountgroupstest.WithAddr(upvestAddr))
	defer ug.Close()
	if webhookURL != "" {
		ug.SetWebhookURL(webhookURL)
	}

	keyFile, err := writeKey(ug, keyDir)
	if err != nil {
		return err
	}
	paxosEnv := px.Environment()
	keyID, _ := ug.SigningKey()
	vars := [][2]string{
		{"PAXOS_BASE_URL", paxosEnv.BaseURL},
		{"PAXOS_TOKEN_URL", paxosEnv.TokenURL},
		{"PAXOS_CLIENT_ID", paxostest.ClientID},
		{"PAXOS_CLIENT_SECRET", paxostest.ClientSecret},
		{"PAXOS_IDENTITY_ID", "0acd56b7-140b-4b29-83e4-7e717f03afd9"},
		{"PAXOS_MEMBER_IDENTITY_IDS", "2dedfc70-a67f-4e4a-bcc0-1d288408ba6b,11a3122a-0c50-4950-9934-2ad48a782b78"},
		{"MPT_API_BASE_URL", mp.Environment().BaseURL},
		{"MPT_API_TOKEN", marketplacetest.Token},
		{"UPVEST_BASE_URL", ug.Environment().BaseURL},
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
	fmt.Fprintf(os.Stderr, "# Paxos on %s, Marketplace on %s, Upvest on %s; interrupt to stop.\n", px.URL, mp.URL, ug.URL)
	<-ctx.Done()
	return nil
}

// writeKey saves the Upvest fake's client signing key as a PKCS #8 PEM
// file, readable by accountgroups.LoadPrivateKey.
func writeKey(ug *accountgroupstest.Server, dir string) (string, error) {
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
