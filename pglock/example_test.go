package pglock_test

import (
	"context"
	"database/sql"
	"log"
	"os"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // or github.com/lib/pq

	"github.com/accountkit/accountkit-go/paxos"
	"github.com/accountkit/accountkit-go/pglock"
)

// Every process that changes the members of the same accounts gives its
// Client a Locker on the same database.
func ExampleNew() {
	ctx := context.Background()
	db, err := sql.Open("pgx", os.Getenv("DATABASE_URL"))
	if err != nil {
		log.Fatal(err)
	}
	db.SetMaxIdleConns(16) // each held lock pins a connection
	client, err := paxos.NewClient(paxos.Production,
		paxos.WithClientCredentials(os.Getenv("PAXOS_CLIENT_ID"), os.Getenv("PAXOS_CLIENT_SECRET")),
		paxos.WithMemberLocker(pglock.New(db, pglock.WithTimeout(10*time.Second))))
	if err != nil {
		log.Fatal(err)
	}
	account, err := client.AddMember(ctx, os.Getenv("ACCOUNT_ID"), paxos.AccountMember{
		IdentityID: os.Getenv("IDENTITY_ID"),
		Roles:      []paxos.Role{paxos.RoleAuthorizedUser},
	})
	if err != nil {
		log.Fatal(err) // wraps pglock.ErrTimeout, paxos.ErrLockLost, ...
	}
	log.Printf("account %s has %d members", account.ID, len(account.Members))
}
