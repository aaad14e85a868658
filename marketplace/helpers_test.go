package marketplace_test

import (
	"testing"
	"time"

	"github.com/accountkit/accountkit-go/marketplace"
	"github.com/accountkit/accountkit-go/marketplace/marketplacetest"
)

func newFake(t *testing.T, opts ...marketplace.Option) (*marketplacetest.Server, *marketplace.Client) {
	t.Helper()
	srv := marketplacetest.NewServer()
	t.Cleanup(srv.Close)
	opts = append([]marketplace.Option{marketplace.WithRetryBackoff(time.Millisecond, 5*time.Millisecond)}, opts...)
	c, err := srv.NewClient(opts...)
	if err != nil {
		t.Fatal(err)
	}
	return srv, c
}

func ptr[T any](v T) *T { return &v }

func newAccount(name string) *marketplace.Account {
	return &marketplace.Account{
		Name:         name,
		Type:         marketplace.AccountTypeClient,
		ServiceLevel: marketplace.ServiceLevelExpress,
		Address:      marketplace.Address{AddressLine1: "Riedenmatt 4", City: "Stans", PostCode: "6370", Country: "CH"},
		Eligibility:  marketplace.Eligibility{Client: ptr(true), Partner: ptr(false)},
	}
}
