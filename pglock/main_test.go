package pglock_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib" // also registers the "pgx" database/sql driver

	"github.com/accountkit/accountkit-go/pglock"
)

// dsnVar names the variable holding the DSN of the PostgreSQL server the
// tests use, such as "host=/tmp/pg user=postgres dbname=postgres".
const dsnVar = "PGLOCK_TEST_DSN"

func TestMain(m *testing.M) {
	if mode := os.Getenv(childModeVar); mode != "" {
		os.Exit(runChild(mode))
	}
	if os.Getenv(dsnVar) == "" {
		if os.Getenv("CI") == "true" {
			fmt.Fprintf(os.Stderr, "pglock: %s is unset; CI runs these tests against a real PostgreSQL (see .ci/pglock)\n", dsnVar)
			os.Exit(1)
		}
		fmt.Fprintf(os.Stderr, "pglock: %s is unset: the tests that need PostgreSQL skip; set it to a DSN such as %q to run them (.ci/pglock starts a throwaway server)\n",
			dsnVar, "host=/tmp/pg user=postgres dbname=postgres sslmode=disable")
	}
	os.Exit(m.Run())
}

// openDB opens the test server's database, or skips the test when there
// is none (CI never gets here without one: TestMain fails first).
func openDB(tb testing.TB) *sql.DB {
	tb.Helper()
	dsn := os.Getenv(dsnVar)
	if dsn == "" {
		tb.Skipf("%s is unset: this test needs PostgreSQL", dsnVar)
	}
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	db.SetMaxIdleConns(64)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := db.PingContext(ctx); err != nil {
		tb.Fatalf("%s: %v", dsnVar, err)
	}
	return db
}

// openDBWithoutCancel opens the test server's database through pgx with
// one connection, whose cancel requests never reach the server: a wait it
// gives up on stays queued on the server until something else ends it.
func openDBWithoutCancel(tb testing.TB) *sql.DB {
	tb.Helper()
	openDB(tb) // skips without a server
	cfg, err := pgx.ParseConfig(os.Getenv(dsnVar))
	if err != nil {
		tb.Fatal(err)
	}
	var dials atomic.Int32
	cfg.DialFunc = func(ctx context.Context, network, addr string) (net.Conn, error) {
		if dials.Add(1) > 1 {
			return nil, errors.New("the cancel request's connection fails")
		}
		var d net.Dialer
		return d.DialContext(ctx, network, addr)
	}
	db := stdlib.OpenDB(*cfg)
	db.SetMaxOpenConns(1)
	tb.Cleanup(func() { db.Close() })
	return db
}

// lockHolders lists the backends holding (granted) or waiting for (not
// granted) the advisory lock of key, as seen from db.
func lockHolders(tb testing.TB, db *sql.DB, key string, granted bool) []int {
	tb.Helper()
	id := pglock.Key(key)
	rows, err := db.QueryContext(context.Background(), `SELECT pid FROM pg_locks
		WHERE locktype = 'advisory' AND classid::bigint = $1 AND objid::bigint = $2 AND objsubid = 1 AND granted = $3`,
		int64(uint64(id)>>32), int64(uint64(id)&0xffffffff), granted)
	if err != nil {
		tb.Fatal(err)
	}
	defer rows.Close()
	var pids []int
	for rows.Next() {
		var pid int
		if err := rows.Scan(&pid); err != nil {
			tb.Fatal(err)
		}
		pids = append(pids, pid)
	}
	if err := rows.Err(); err != nil {
		tb.Fatal(err)
	}
	return pids
}

// eventually polls cond until it holds or d passes.
func eventually(d time.Duration, cond func() bool) bool {
	for deadline := time.Now().Add(d); ; time.Sleep(5 * time.Millisecond) {
		if cond() {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
	}
}
