package pglock_test

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5/stdlib"
)

// failAfterLock makes the "pgx-flaky" driver run a pg_try_advisory_lock
// or pg_advisory_lock on the server and then report the call failed, as a
// driver does when the context ends just as the answer arrives.
var failAfterLock atomic.Bool

var registerFlaky sync.Once

// openFlakyDB opens the test database through the "pgx-flaky" driver.
func openFlakyDB(t *testing.T) *sql.DB {
	t.Helper()
	openDB(t) // skips without a server
	registerFlaky.Do(func() { sql.Register("pgx-flaky", flakyDriver{stdlib.GetDefaultDriver()}) })
	db, err := sql.Open("pgx-flaky", os.Getenv(dsnVar))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

type flakyDriver struct{ driver.Driver }

func (d flakyDriver) Open(name string) (driver.Conn, error) {
	c, err := d.Driver.Open(name)
	if err != nil {
		return nil, err
	}
	return flakyConn{c.(pgxConn)}, nil
}

// pgxConn is what pgx's stdlib connection implements and flakyConn passes
// on.
type pgxConn interface {
	driver.Conn
	driver.QueryerContext
	driver.ExecerContext
	driver.Pinger
	driver.SessionResetter
	driver.NamedValueChecker
}

type flakyConn struct{ pgxConn }

var errFlaky = errors.New("flaky driver: the answer was lost")

func takesLock(query string) bool {
	return strings.Contains(query, "pg_try_advisory_lock(") || strings.Contains(query, "pg_advisory_lock(")
}

func (c flakyConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	rows, err := c.pgxConn.QueryContext(ctx, query, args)
	if err != nil || !failAfterLock.Load() || !takesLock(query) {
		return rows, err
	}
	dest := make([]driver.Value, len(rows.Columns()))
	for rows.Next(dest) != io.EOF {
	}
	rows.Close()
	return nil, errFlaky
}

func (c flakyConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	res, err := c.pgxConn.ExecContext(ctx, query, args)
	if err != nil || !failAfterLock.Load() || !takesLock(query) {
		return res, err
	}
	return nil, errFlaky
}
