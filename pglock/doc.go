// Package pglock is a [paxos.Locker] on PostgreSQL advisory locks, for
// programs that change the members of the same Paxos accounts from several
// processes.
//
// Paxos's update endpoint takes an account's complete members array and
// has no version check, so [paxos.Client.AddMember], RemoveMember and
// SetMemberRoles read the account and write the whole array back under a
// lock per account. By default that lock is in-process: it keeps the
// goroutines of one process from losing each other's members, not
// processes. With a Locker from this package every process that shares the
// database shares the lock:
//
//	db, err := sql.Open("pgx", os.Getenv("DATABASE_URL")) // github.com/jackc/pgx/v5/stdlib, or lib/pq
//	client, err := paxos.NewClient(paxos.Production,
//		paxos.WithClientCredentials(os.Getenv("PAXOS_CLIENT_ID"), os.Getenv("PAXOS_CLIENT_SECRET")),
//		paxos.WithMemberLocker(pglock.New(db)))
//	account, err := client.AddMember(ctx, accountID, member) // one writer per account across every process
//
// The package needs only database/sql; bring the driver you already use.
//
// # How a lock is taken
//
// The key a Client passes ([paxos.MemberLockKey]: the account's URL) is
// hashed to the advisory lock id [Key]: the first 8 bytes of its SHA-256,
// big-endian. Lock takes a connection from the pool (db.Conn) and runs
// pg_try_advisory_lock on it, then, if another session holds the lock,
// pg_advisory_lock, which queues in the server. The connection stays
// pinned while the lock is held; unlock runs pg_advisory_unlock and
// returns it to the pool. Callers for the same key in one process queue in
// the process first, so a process waits on at most one connection per key.
//
// The wait ends with the context, or after the Locker's timeout
// ([WithTimeout], 30s by default) with an error wrapping [ErrTimeout]. A
// wait that ends without the lock closes its connection instead of
// returning it to the pool: the server may have granted the lock just as
// the client gave up, and only ending the session guarantees that no
// pooled connection keeps it. The server-side wait is bounded as well:
// it queues in turns of at most five seconds (lock_timeout, and never more
// than a second past the client's deadline), so a waiter whose client is
// gone leaves the server's queue within one turn, however long the wait
// was allowed to be. Queueing again at each turn gives up the place in the
// server's queue; waiters in one process keep their order.
//
// # A lost lock
//
// An advisory lock lives as long as its session. A holder that crashes, or
// whose connection closes, releases its locks at once; another process can
// then write. So a lock can be lost while its holder still runs, and
// LockContext, which package paxos uses, reports it: every
// [WithCheckInterval] (1s by default) the held lock's session is asked,
// over its own connection, whether it still holds the lock, and when the
// answer is no, an error, or late, the held context ends with a cause
// wrapping [ErrLost]. The member helpers check that context right before
// their write and send their requests under it, so they refuse to write,
// with an error wrapping [paxos.ErrLockLost], and cut off a write in
// flight. What no lock can rule out is a holder that pauses between that
// check and its write longer than it takes the server to end its session:
// Paxos takes no fencing token.
//
// A holder that stops (SIGSTOP, a debugger, a long GC pause) but keeps its
// connection open keeps its lock: its session lives, and the kernel still
// acknowledges the server's TCP keepalives. Other processes wait for it up
// to their own timeout and then fail with [ErrTimeout]; nothing is lost.
// The lock is freed when the holder resumes and unlocks, when it dies (the
// kernel closes its socket), or when the server ends the session: after
// idle_session_timeout, if the server or the role sets one (a live
// holder's checks keep its session from idling), or by
// pg_terminate_backend. A holder whose machine vanishes keeps the lock
// until the server's TCP keepalives (tcp_keepalives_idle and friends) or
// idle_session_timeout notice.
//
// # Requirements
//
// The locks are session locks, so a connection pooler between the program
// and PostgreSQL must pool sessions, not transactions (PgBouncer's
// pool_mode=session); with transaction pooling the checks fail and report
// the lock lost. Every process must use the same database: advisory lock
// ids are per database.
package pglock
