package e2e

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/junction-db/junction/test/testenv"
)

// How long the sources' views sleep before they answer: pause finishes
// within a test's patience, slow outlasts every timeout the tests set, and
// sleepy runs until something stops it.
const (
	pauseSeconds  = 1.5
	slowSeconds   = 5
	sleepySeconds = 60
)

// remoteGoneWithin is how soon a remote query must be gone from the
// source once Junction's statement ends: far below the remote queries'
// own lengths (sleepySeconds), with room for a busy source to carry out
// the kill.
const remoteGoneWithin = 5 * time.Second

// sessionRig is a Junction server started from a configuration file with
// a PostgreSQL source pg and a MariaDB source maria (and the same
// databases again as pgcapped and mariacapped, whose OPTIONS set a
// statement_timeout of one second). Each source has a ten-row table
// (small, items) and views over it that sleep: pause, slow and sleepy.
type sessionRig struct {
	srv        *testenv.Server
	pgDB, myDB string
	pgAdmin    *pgx.Conn
	mariaAdmin *sql.DB
}

// newSessionRig starts the rig; config is YAML added to the file's top
// level (statement_timeout, max_connections, ...).
func newSessionRig(t *testing.T, config string) *sessionRig {
	t.Helper()
	ctx := context.Background()
	pgDB, pg := testenv.NewPostgresDB(t, "sessions")
	stmts := []string{"CREATE TABLE small (id int PRIMARY KEY, name text NOT NULL)",
		"INSERT INTO small SELECT g, 'n' || g FROM generate_series(1, 10) g"}
	for name, seconds := range map[string]float64{"pause": pauseSeconds, "slow": slowSeconds, "sleepy": sleepySeconds} {
		stmts = append(stmts, fmt.Sprintf("CREATE VIEW %s AS SELECT s.id, s.name FROM small s, LATERAL (SELECT pg_sleep(%g)) z", name, seconds))
	}
	for _, stmt := range stmts {
		if _, err := pg.Exec(ctx, stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	myDB, my := testenv.NewMariaDB(t, "sessions")
	stmts = []string{"CREATE TABLE items (id int PRIMARY KEY, label varchar(20) NOT NULL)",
		"INSERT INTO items SELECT seq, concat('i', seq) FROM seq_1_to_10"}
	for name, seconds := range map[string]float64{"pause": pauseSeconds, "slow": slowSeconds, "sleepy": sleepySeconds} {
		stmts = append(stmts, fmt.Sprintf("CREATE VIEW %s AS SELECT i.id, i.label FROM items i JOIN (SELECT SLEEP(%g) AS z) d", name, seconds))
	}
	for _, stmt := range stmts {
		if _, err := my.ExecContext(ctx, stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	// Only Junction's connections stay on the MariaDB database.
	my.Close()
	file := filepath.Join(t.TempDir(), "junction.yaml")
	yaml := config + fmt.Sprintf(`
sources:
  - name: pg
    wrapper: postgres
    options: {host: 127.0.0.1, port: 5432, dbname: %[1]s, user: root}
  - name: maria
    wrapper: mysql
    options: {host: 127.0.0.1, port: 3306, dbname: %[2]s, user: root}
  - name: pgcapped
    wrapper: postgres
    options: {host: 127.0.0.1, port: 5432, dbname: %[1]s, user: root, statement_timeout: 1}
  - name: mariacapped
    wrapper: mysql
    options: {host: 127.0.0.1, port: 3306, dbname: %[2]s, user: root, statement_timeout: 1}
`, pgDB, myDB)
	if err := os.WriteFile(file, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	return &sessionRig{
		srv: testenv.StartServer(t, "serve", "--config", file), pgDB: pgDB, myDB: myDB,
		pgAdmin: testenv.RequirePostgres(t), mariaAdmin: testenv.RequireMariaDB(t),
	}
}

// remoteQueries counts the statements running on each source's database
// that read a view named view.
func (r *sessionRig) remoteQueries(t *testing.T, view string) (pg, maria int) {
	t.Helper()
	ctx := context.Background()
	err := r.pgAdmin.QueryRow(ctx, `SELECT count(*) FROM pg_stat_activity
		WHERE datname = $1 AND state = 'active' AND query LIKE '%' || $2 || '%' AND pid <> pg_backend_pid()`, r.pgDB, view).Scan(&pg)
	if err != nil {
		t.Fatal(err)
	}
	err = r.mariaAdmin.QueryRowContext(ctx, `SELECT COUNT(*) FROM information_schema.PROCESSLIST
		WHERE DB = ? AND COMMAND = 'Query' AND INFO LIKE ? AND ID <> CONNECTION_ID()`, r.myDB, "%"+view+"%").Scan(&maria)
	if err != nil {
		t.Fatal(err)
	}
	return pg, maria
}

// waitRemote waits until the number of statements reading view on the
// source (pg or maria) satisfies ok, and returns how long that took;
// past within it fails the test.
func (r *sessionRig) waitRemote(t *testing.T, source, view string, within time.Duration, ok func(int) bool) time.Duration {
	t.Helper()
	start := time.Now()
	for {
		pg, maria := r.remoteQueries(t, view)
		n := pg
		if source == "maria" {
			n = maria
		}
		if ok(n) {
			return time.Since(start)
		}
		if time.Since(start) > within {
			t.Fatalf("%s still runs %d statement(s) on %s after %s", source, n, view, within)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (r *sessionRig) waitRemoteGone(t *testing.T, source, view string) time.Duration {
	t.Helper()
	return r.waitRemote(t, source, view, remoteGoneWithin, func(n int) bool { return n == 0 })
}

func (r *sessionRig) waitRemoteRunning(t *testing.T, source, view string) {
	t.Helper()
	r.waitRemote(t, source, view, 10*time.Second, func(n int) bool { return n > 0 })
}

// expectCanceled checks that err is 57014 with PostgreSQL's message.
func expectCanceled(t *testing.T, what string, err error, message string) {
	t.Helper()
	var pe *pgconn.PgError
	if !errors.As(err, &pe) || pe.Code != "57014" || pe.Message != message {
		t.Fatalf("%s: got %v, want 57014 %q", what, err, message)
	}
}

const (
	timeoutMessage = "canceling statement due to statement timeout"
	cancelMessage  = "canceling statement due to user request"
)

func TestStatementTimeoutEndsTheWholeStatement(t *testing.T) {
	r := newSessionRig(t, "")
	conn := r.srv.Connect(t)
	if got := queryValue(t, conn, "SHOW statement_timeout"); got != "0" {
		t.Errorf("statement_timeout starts as %q, want 0 (none configured)", got)
	}
	mustExec(t, conn, "SET statement_timeout = '500ms'")
	for _, c := range []struct{ name, sql, source string }{
		{"slow PostgreSQL side of a cross-source join", "SELECT count(*) FROM pg.slow s JOIN maria.items i ON i.id = s.id", "pg"},
		{"slow MariaDB side of a cross-source join", "SELECT count(*) FROM maria.slow s JOIN pg.small p ON p.id = s.id", "maria"},
		{"aggregation in Junction", "SELECT count(*), sum(g) FROM generate_series(1, 2000000000) g", ""},
		{"cross join in Junction", "SELECT count(*) FROM generate_series(1, 100000) a, generate_series(1, 100000) b WHERE a.a + b.b = 0", ""},
	} {
		elapsed, err := timedQuery(conn, c.sql)
		expectCanceled(t, c.name, err, timeoutMessage)
		if elapsed > slowSeconds*time.Second*3/4 {
			t.Errorf("%s: the statement ended after %s, not at its 500ms timeout", c.name, elapsed)
		}
		if c.source != "" {
			gone := r.waitRemoteGone(t, c.source, "slow")
			t.Logf("%s: 57014 after %s; the source's statement gone %s later", c.name, elapsed.Round(time.Millisecond), gone.Round(time.Millisecond))
		} else {
			t.Logf("%s: 57014 after %s", c.name, elapsed.Round(time.Millisecond))
		}
		if got := queryValue(t, conn, "SELECT count(*) FROM pg.small p JOIN maria.items i ON i.id = p.id"); got != "10" {
			t.Errorf("after %s the session answers %s, want 10", c.name, got)
		}
	}
	if got := queryValue(t, conn, "SHOW statement_timeout"); got != "500ms" {
		t.Errorf("SHOW statement_timeout = %q, want 500ms", got)
	}

	for value, shown := range map[string]string{"'1.5s'": "1500ms", "'90s'": "90s", "60000": "1min", "'2h'": "2h", "'1500us'": "2ms", "0": "0"} {
		mustExec(t, conn, "SET statement_timeout = "+value)
		if got := queryValue(t, conn, "SHOW statement_timeout"); got != shown {
			t.Errorf("SET statement_timeout = %s shows %q, want %q", value, got, shown)
		}
	}
	if e := expectError(t, conn, "SET statement_timeout = 'soon'", "22023"); e != nil && e.Message != `invalid value for parameter "statement_timeout": "soon"` {
		t.Errorf("bad value: %q", e.Message)
	}
	if e := expectError(t, conn, "SET statement_timeout = -1", "22023"); e != nil && e.Message != `-1 ms is outside the valid range for parameter "statement_timeout" (0 .. 2147483647)` {
		t.Errorf("negative value: %q", e.Message)
	}

	// As a start-up option, the way PGOPTIONS and connection strings pass it.
	started := testenv.ConnectURL(t, r.srv.URL(testenv.DemoUser, testenv.DemoPassword)+"&options=-c%20statement_timeout%3D300")
	if got := queryValue(t, started, "SHOW statement_timeout"); got != "300ms" {
		t.Errorf("start-up option statement_timeout=300 shows %q, want 300ms", got)
	}
	_, err := timedQuery(started, "SELECT count(*) FROM pg.slow")
	expectCanceled(t, "start-up option", err, timeoutMessage)
	r.waitRemoteGone(t, "pg", "slow")
}

func TestStatementTimeoutFromConfigAndSourceOptions(t *testing.T) {
	r := newSessionRig(t, "statement_timeout: 800ms\n")
	conn := r.srv.Connect(t)
	if got := queryValue(t, conn, "SHOW statement_timeout"); got != "800ms" {
		t.Errorf("statement_timeout starts as %q, want the configured 800ms", got)
	}
	_, err := timedQuery(conn, "SELECT count(*) FROM maria.pause")
	expectCanceled(t, "configured timeout", err, timeoutMessage)
	r.waitRemoteGone(t, "maria", "pause")

	mustExec(t, conn, "SET statement_timeout = 0")
	if got := queryValue(t, conn, "SELECT count(*) FROM maria.pause m JOIN pg.pause p ON p.id = m.id"); got != "10" {
		t.Errorf("without a timeout the paused join counts %s, want 10", got)
	}
	mustExec(t, conn, "RESET statement_timeout")
	if got := queryValue(t, conn, "SHOW statement_timeout"); got != "800ms" {
		t.Errorf("RESET statement_timeout gives %q, want the configured 800ms", got)
	}

	// A source's own statement_timeout bounds what it runs, whatever the
	// session allows; the source's error names it.
	mustExec(t, conn, "SET statement_timeout = 0")
	for _, source := range []string{"pgcapped", "mariacapped"} {
		elapsed, err := timedQuery(conn, "SELECT count(*) FROM "+source+".slow")
		expectCanceled(t, source, err, fmt.Sprintf("source %q: %s", source, timeoutMessage))
		if elapsed > slowSeconds*time.Second*3/4 {
			t.Errorf("%s: the source's 1 s statement_timeout ended the statement only after %s", source, elapsed)
		}
		t.Logf("%s: the source ended the statement after %s", source, elapsed.Round(time.Millisecond))
	}
}

// TestCancelAndDisconnectEndRemoteQueries checks both ways a client stops
// a statement, on both kinds of source: the remote statement must be gone
// from pg_stat_activity or MariaDB's process list within a second.
func TestCancelAndDisconnectEndRemoteQueries(t *testing.T) {
	r := newSessionRig(t, "")
	for _, source := range []string{"pg", "maria"} {
		sqlText := fmt.Sprintf("SELECT count(*) FROM %s.sleepy", source)

		conn := r.srv.Connect(t)
		done := make(chan error, 1)
		go func() { _, err := timedQuery(conn, sqlText); done <- err }()
		r.waitRemoteRunning(t, source, "sleepy")
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		if err := conn.PgConn().CancelRequest(ctx); err != nil {
			t.Fatal(err)
		}
		cancel()
		expectCanceled(t, source+" cancel request", <-done, cancelMessage)
		gone := r.waitRemoteGone(t, source, "sleepy")
		t.Logf("%s: after a cancel request the remote statement was gone within %s", source, gone.Round(time.Millisecond))
		if got := queryValue(t, conn, "SELECT count(*) FROM "+source+"."+map[string]string{"pg": "small", "maria": "items"}[source]); got != "10" {
			t.Errorf("%s: after the cancel the session answers %s, want 10", source, got)
		}

		// A client that goes away mid-statement: its socket just closes.
		lost := r.srv.Connect(t)
		go func() { _, err := timedQuery(lost, sqlText); done <- err }()
		r.waitRemoteRunning(t, source, "sleepy")
		start := time.Now()
		if err := lost.PgConn().Conn().Close(); err != nil {
			t.Fatal(err)
		}
		<-done
		gone = r.waitRemoteGone(t, source, "sleepy")
		t.Logf("%s: after the client disconnected the remote statement was gone within %s", source, time.Since(start).Round(time.Millisecond))
	}
}

func TestMaxConnectionsRefusesTheExtraClient(t *testing.T) {
	r := newSessionRig(t, "max_connections: 3\n")
	url := r.srv.URL(testenv.DemoUser, testenv.DemoPassword)
	conns := make([]*pgx.Conn, 3)
	for i := range conns {
		conns[i] = testenv.ConnectURL(t, url)
	}
	if got := queryValue(t, conns[0], "SELECT sessions FROM junction.server"); got != "3" {
		t.Errorf("junction.server shows %s sessions, want 3", got)
	}
	if got := queryValue(t, conns[0], "SHOW max_connections"); got != "3" {
		t.Errorf("SHOW max_connections = %s, want 3", got)
	}
	if got := queryValue(t, conns[0], "SELECT setting FROM pg_settings WHERE name = 'max_connections'"); got != "3" {
		t.Errorf("pg_settings shows max_connections %s, want 3", got)
	}
	if e := expectError(t, conns[0], "SET max_connections = 10", "55P02"); e != nil && e.Message != `parameter "max_connections" cannot be changed without restarting the server` {
		t.Errorf("SET max_connections: %q", e.Message)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	extra, err := pgx.Connect(ctx, url)
	if err == nil {
		extra.Close(ctx)
		t.Fatal("a fourth client was let in with max_connections 3")
	}
	var pe *pgconn.PgError
	if !errors.As(err, &pe) || pe.Code != "53300" || pe.Message != "sorry, too many clients already" || pe.Severity != "FATAL" {
		t.Fatalf("the fourth client got %v, want FATAL 53300 sorry, too many clients already", err)
	}
	// The sessions that are in keep working, and a slot freed is taken.
	if got := queryValue(t, conns[1], "SELECT count(*) FROM pg.small"); got != "10" {
		t.Errorf("an admitted session answers %s, want 10", got)
	}
	conns[2].Close(ctx)
	var again *pgx.Conn
	for deadline := time.Now().Add(5 * time.Second); ; {
		if again, err = pgx.Connect(ctx, url); err == nil || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("a client after one left: %v", err)
	}
	defer again.Close(ctx)
	if got := queryValue(t, again, "SELECT count(*) FROM maria.items"); got != "10" {
		t.Errorf("the new session answers %s, want 10", got)
	}
}

// TestShutdownDrainsThenTerminates sends the real binary SIGTERM while one
// session runs a statement that finishes within shutdown_timeout, one
// runs a statement that does not, and one is idle.
func TestShutdownDrainsThenTerminates(t *testing.T) {
	const drain = 3 * time.Second
	r := newSessionRig(t, fmt.Sprintf("shutdown_timeout: %s\n", drain))
	ctx := context.Background()
	url := r.srv.URL(testenv.DemoUser, testenv.DemoPassword)
	idle := testenv.ConnectURL(t, url)
	short := testenv.ConnectURL(t, url)
	long := testenv.ConnectURL(t, url)
	mustExec(t, idle, "SELECT 1")

	shortDone := make(chan error, 1)
	var count int
	go func() {
		shortDone <- short.QueryRow(ctx, "SELECT count(*) FROM pg.pause p JOIN maria.items i ON i.id = p.id").Scan(&count)
	}()
	longDone := make(chan error, 1)
	go func() { _, err := timedQuery(long, "SELECT count(*) FROM maria.sleepy"); longDone <- err }()
	r.waitRemoteRunning(t, "pg", "pause")
	r.waitRemoteRunning(t, "maria", "sleepy")

	start := time.Now()
	r.srv.Terminate(t)
	// No new client is let in once the shutdown has begun.
	for deadline := time.Now().Add(2 * time.Second); ; {
		c, err := net.DialTimeout("tcp", r.srv.Addr, 200*time.Millisecond)
		if err != nil {
			break
		}
		c.Close()
		if time.Now().After(deadline) {
			t.Fatal("the server still accepts connections 2 s after SIGTERM")
		}
		time.Sleep(10 * time.Millisecond)
	}

	// Readiness fails at once, so that a load balancer sends no one here.
	if code, body := readyz(t, r.srv); code != 503 || body["shutting_down"] != true {
		t.Errorf("/readyz while shutting down: %d %v, want 503 with shutting_down", code, body)
	}

	if err := <-shortDone; err != nil || count != 10 {
		t.Errorf("the statement that fits in the drain time got %d, %v; want 10", count, err)
	}
	t.Logf("the short statement finished %s after SIGTERM", time.Since(start).Round(time.Millisecond))

	err := <-longDone
	ended := time.Since(start)
	var pe *pgconn.PgError
	if !errors.As(err, &pe) || pe.Code != "57P01" || pe.Severity != "FATAL" || pe.Message != "terminating connection due to administrator command" {
		t.Fatalf("the long statement got %v, want FATAL 57P01", err)
	}
	if ended < drain {
		t.Errorf("the long statement was ended %s after SIGTERM, before shutdown_timeout %s", ended, drain)
	}
	gone := r.waitRemoteGone(t, "maria", "sleepy")
	t.Logf("the long statement got 57P01 %s after SIGTERM; MariaDB's statement was gone %s later", ended.Round(time.Millisecond), gone.Round(time.Millisecond))

	_, err = idle.Exec(ctx, "SELECT 1")
	if !errors.As(err, &pe) || pe.Code != "57P01" {
		t.Errorf("the idle session's next statement got %v, want 57P01", err)
	}
	if err := r.srv.WaitExit(t, 10*time.Second); err != nil {
		t.Errorf("junction exited with %v after SIGTERM, want status 0", err)
	}
	t.Logf("junction exited with status 0 %s after SIGTERM", time.Since(start).Round(time.Millisecond))
	if out := r.srv.Output(); !strings.Contains(out, "every session has ended") {
		t.Errorf("the log does not tell the shutdown's end:\n%s", out)
	}
	// Junction closed its pools: none of its connections is left on the
	// sources' databases once their server processes have noticed.
	for deadline := time.Now().Add(remoteGoneWithin); ; {
		var pgLeft, myLeft int
		if err := r.pgAdmin.QueryRow(ctx, "SELECT count(*) FROM pg_stat_activity WHERE datname = $1 AND application_name = 'junction'", r.pgDB).Scan(&pgLeft); err != nil {
			t.Fatal(err)
		}
		if err := r.mariaAdmin.QueryRowContext(ctx, "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE DB = ?", r.myDB).Scan(&myLeft); err != nil {
			t.Fatal(err)
		}
		if pgLeft == 0 && myLeft == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Errorf("%s after exit Junction's connections are left: PostgreSQL %d, MariaDB %d", remoteGoneWithin, pgLeft, myLeft)
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestIdleInTransactionSessionTimeout(t *testing.T) {
	const limit = 400 * time.Millisecond
	r := newSessionRig(t, fmt.Sprintf("idle_in_transaction_session_timeout: %s\n", limit))
	ctx := context.Background()
	conn := r.srv.Connect(t)
	if got := queryValue(t, conn, "SHOW idle_in_transaction_session_timeout"); got != "400ms" {
		t.Errorf("idle_in_transaction_session_timeout starts as %q, want the configured 400ms", got)
	}
	// Idle outside a transaction block, or busy inside one, is allowed.
	time.Sleep(2 * limit)
	mustExec(t, conn, "BEGIN")
	if got := queryValue(t, conn, "SELECT count(*) FROM pg.pause p JOIN maria.items i ON i.id = p.id"); got != "10" {
		t.Errorf("a statement longer than the limit inside a block counts %s, want 10", got)
	}
	mustExec(t, conn, "COMMIT")
	time.Sleep(2 * limit)
	mustExec(t, conn, "SELECT 1")

	// Idle inside a block, or inside a failed block, ends the session.
	for _, failed := range []bool{false, true} {
		idle := r.srv.Connect(t)
		mustExec(t, idle, "BEGIN")
		mustExec(t, idle, "SELECT count(*) FROM maria.items")
		if failed {
			expectError(t, idle, "SELECT 1/0", "22012")
		}
		time.Sleep(3 * limit)
		_, err := idle.Exec(ctx, "SELECT 1")
		var pe *pgconn.PgError
		if !errors.As(err, &pe) || pe.Code != "25P03" || pe.Severity != "FATAL" || pe.Message != "terminating connection due to idle-in-transaction timeout" {
			t.Errorf("failed block %v: the next statement got %v, want FATAL 25P03", failed, err)
		}
	}
	for deadline := time.Now().Add(5 * time.Second); ; {
		if got := queryValue(t, conn, "SELECT sessions FROM junction.server"); got == "1" {
			break
		} else if time.Now().After(deadline) {
			t.Fatalf("junction.server still counts %s sessions after the idle ones ended", got)
		}
		time.Sleep(20 * time.Millisecond)
	}

	// A session sets its own limit, 0 turning it off.
	mustExec(t, conn, "SET idle_in_transaction_session_timeout = 0")
	mustExec(t, conn, "BEGIN")
	time.Sleep(2 * limit)
	mustExec(t, conn, "COMMIT")
}

// pg_settings shows memory and time settings in their base units, as
// PostgreSQL stores them, and says which the session has changed.
func TestPgSettingsShowsUnitsAndSources(t *testing.T) {
	srv := testenv.StartServer(t, "demo")
	ctx := context.Background()
	conn := srv.Connect(t)
	read := func(name string) (setting, unit, source, reset string) {
		t.Helper()
		var u *string
		if err := conn.QueryRow(ctx, "SELECT setting, unit, source, reset_val FROM pg_settings WHERE name = $1", name).Scan(&setting, &u, &source, &reset); err != nil {
			t.Fatalf("pg_settings %s: %v", name, err)
		}
		if u != nil {
			unit = *u
		}
		return setting, unit, source, reset
	}
	if _, err := conn.Exec(ctx, "SET work_mem = '16MB'"); err != nil {
		t.Fatal(err)
	}
	if s, u, src, _ := read("work_mem"); s != "16384" || u != "kB" || src != "session" {
		t.Errorf("work_mem after SET 16MB: setting %q unit %q source %q, want 16384 kB session", s, u, src)
	}
	if s, u, src, reset := read("statement_timeout"); s != "0" || u != "ms" || src != "default" || reset != "0" {
		t.Errorf("statement_timeout: setting %q unit %q source %q reset %q, want 0 ms default 0", s, u, src, reset)
	}
	if _, err := conn.Exec(ctx, "SET statement_timeout = '1min'"); err != nil {
		t.Fatal(err)
	}
	if s, _, src, _ := read("statement_timeout"); s != "60000" || src != "session" {
		t.Errorf("statement_timeout after SET 1min: setting %q source %q, want 60000 session", s, src)
	}
	if _, err := conn.Exec(ctx, "RESET work_mem"); err != nil {
		t.Fatal(err)
	}
	if _, _, src, _ := read("work_mem"); src != "default" {
		t.Errorf("work_mem after RESET: source %q, want default", src)
	}
	if _, u, _, _ := read("DateStyle"); u != "" {
		t.Errorf("DateStyle has unit %q, want NULL", u)
	}
}
