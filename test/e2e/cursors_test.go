package e2e

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/junction-db/junction/test/testenv"
)

// readSource is a Junction server with one PostgreSQL source, src, whose
// database is also the reference: Junction reads src.t, PostgreSQL reads
// the same rows as t.
type readSource struct {
	srv       *testenv.Server
	junction  *pgx.Conn
	db        string
	reference *pgx.Conn
}

// copyTableDDL and copyTableRows make a table with a column of most
// types and text that needs every kind of escaping: tabs, newlines,
// backslashes, quotes, delimiters, empty strings and COPY's end marker.
const (
	copyTableDDL = `CREATE TABLE t (
		id int PRIMARY KEY, s text, v varchar(12), n numeric(12,3), f4 real, f8 double precision,
		b boolean, d date, ts timestamp, tm time, iv interval, by bytea, u uuid, i2 smallint, i8 bigint)`
	copyTableRows = `INSERT INTO t SELECT g,
		CASE g % 7 WHEN 0 THEN NULL WHEN 1 THEN '' WHEN 2 THEN E'tab\there' WHEN 3 THEN E'line\nbreak\r'
			WHEN 4 THEN 'back\slash "quoted", semi;colon' WHEN 5 THEN '\.' ELSE 'plain ' || g END,
		CASE WHEN g % 5 = 0 THEN NULL ELSE 'v' || g END,
		CASE WHEN g % 6 = 0 THEN NULL ELSE g * 1.125 - 40 END,
		g / 3.0, CASE WHEN g % 9 = 0 THEN NULL ELSE g / 7.0 END,
		CASE WHEN g % 4 = 0 THEN NULL ELSE g % 2 = 0 END,
		date '1999-12-30' + g * 17, timestamp '2000-02-28 23:59:59.5' + g * interval '7 hours 3 seconds',
		time '00:00:01' + g * interval '13 minutes', g * interval '1 day 2 hours', decode(lpad(to_hex(g * 4099), 6, '0'), 'hex'),
		md5(g::text)::uuid, (g * 37 % 32767)::smallint, g::bigint * 1000000007
		FROM generate_series(1, 300) g`
)

func newReadSource(t *testing.T) *readSource {
	t.Helper()
	testenv.RequirePostgres(t)
	r := &readSource{}
	r.db, r.reference = testenv.NewPostgresDB(t, "cursors")
	mustExec(t, r.reference, copyTableDDL)
	mustExec(t, r.reference, copyTableRows)
	// big is a cross join too large to read whole within the test's time.
	mustExec(t, r.reference, `CREATE TABLE big AS SELECT g AS x FROM generate_series(1, 100000) g`)
	r.srv = testenv.StartServer(t)
	r.junction = r.srv.Connect(t)
	mustExec(t, r.junction, testenv.PostgresServerDDL("src", r.db))
	return r
}

// copyOut runs a COPY TO STDOUT and returns its data and command tag.
func copyOut(conn *pgx.Conn, sql string) ([]byte, string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), queryTimeout)
	defer cancel()
	var buf bytes.Buffer
	tag, err := conn.PgConn().CopyTo(ctx, &buf, sql)
	return buf.Bytes(), tag.String(), err
}

// TestCopyMatchesPostgres compares COPY TO STDOUT's bytes, in text, CSV
// and binary, and its errors with PostgreSQL's for the same rows.
func TestCopyMatchesPostgres(t *testing.T) {
	r := newReadSource(t)
	for _, sql := range []string{
		`COPY {t} TO STDOUT`,
		`COPY {t} (s, id, by) TO STDOUT`,
		`COPY {t} TO STDOUT (FORMAT text, HEADER, DELIMITER '|', NULL '')`,
		`COPY {t} TO STDOUT (FORMAT csv)`,
		`COPY {t} TO STDOUT WITH CSV HEADER`,
		`COPY {t} TO STDOUT (FORMAT csv, HEADER, DELIMITER ';', QUOTE '''', ESCAPE '\', NULL 'NULL', FORCE_QUOTE (id, s))`,
		`COPY (SELECT * FROM {t} ORDER BY id DESC) TO STDOUT WITH CSV HEADER FORCE QUOTE *`,
		`COPY (SELECT s FROM {t} ORDER BY id) TO STDOUT (FORMAT csv)`,
		`COPY (SELECT id, s, n FROM {t} WHERE id > 1000) TO STDOUT (FORMAT csv, HEADER)`,
		`COPY {t} TO STDOUT (FORMAT binary)`,
		`COPY (SELECT id, n, f8, ts, iv FROM {t} WHERE id < 50 ORDER BY id) TO STDOUT WITH BINARY`,
		`COPY (SELECT 1 WHERE false) TO STDOUT (FORMAT binary)`,
		// errors
		`COPY {t} TO STDOUT (FORMAT binary, HEADER)`,
		`COPY {t} TO STDOUT (FORMAT csv, QUOTE ',')`,
		`COPY {t} TO STDOUT (FORMAT text, QUOTE '"')`,
		`COPY {t} TO STDOUT (FORMAT csv, FORCE_QUOTE (nope))`,
		`COPY {t} (id) TO STDOUT (FORMAT csv, FORCE_QUOTE (s))`,
		`COPY {t} (id, id) TO STDOUT`,
		`COPY {t} TO STDOUT (HEADER match)`,
		`COPY {t} TO STDOUT (FORMAT xml)`,
	} {
		got, gotTag, gotErr := copyOut(r.junction, strings.ReplaceAll(sql, "{t}", "src.t"))
		want, wantTag, wantErr := copyOut(r.reference, strings.ReplaceAll(sql, "{t}", "t"))
		switch {
		case wantErr != nil:
			if testenv.DescribeError(gotErr) != testenv.DescribeError(wantErr) {
				t.Errorf("%s:\nJunction:   %s\nPostgreSQL: %s", sql, testenv.DescribeError(gotErr), testenv.DescribeError(wantErr))
			}
		case gotErr != nil:
			t.Errorf("%s: %v", sql, gotErr)
		case gotTag != wantTag || !bytes.Equal(got, want):
			t.Errorf("%s: Junction sent %d bytes (%s), PostgreSQL %d (%s); first difference at byte %d", sql, len(got), gotTag, len(want), wantTag, firstDifference(got, want))
		}
		if r.junction.IsClosed() {
			r.junction = r.srv.Connect(t)
		}
	}
	for _, sql := range []string{`COPY src.t FROM STDIN`, `COPY src.t TO '/nowhere'`, `COPY (SELECT 1) TO PROGRAM 'cat'`} {
		_, _, err := copyOut(r.junction, sql)
		if code := sqlstate(err); code != "25006" && code != "0A000" {
			t.Errorf("%s: got %v, want a read-only or not-supported error", sql, err)
		}
	}
	if got := queryValue(t, r.junction, "SELECT count(*) FROM src.t"); got != "300" {
		t.Errorf("the session after COPY's errors counts %s rows", got)
	}
}

func firstDifference(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

// TestPsqlCursorsAndCopy runs a psql script of transaction blocks,
// cursors and errors against Junction and PostgreSQL and requires the
// same output, reads a query FETCH_COUNT rows at a time, then exports
// with psql's \copy to files and compares them.
func TestPsqlCursorsAndCopy(t *testing.T) {
	if _, err := exec.LookPath("psql"); err != nil {
		testenv.Unavailable(t, "psql is not on PATH")
	}
	r := newReadSource(t)
	dir := t.TempDir()
	script := filepath.Join(dir, "cursors.sql")
	if err := os.WriteFile(script, []byte(cursorScript), 0o644); err != nil {
		t.Fatal(err)
	}
	run := func(url, searchPath string, args ...string) string {
		ctx, cancel := context.WithTimeout(context.Background(), queryTimeout)
		defer cancel()
		cmd := exec.CommandContext(ctx, "psql", append([]string{url, "-X", "-a"}, args...)...)
		cmd.Env = append(os.Environ(), "PGOPTIONS=-c search_path="+searchPath)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("psql %v: %v\n%s", args, err, out)
		}
		return string(out)
	}
	junctionURL := r.srv.URL(testenv.DemoUser, testenv.DemoPassword)
	referenceURL := testenv.PostgresURL(r.db)
	got := run(junctionURL, "src", "-f", script)
	want := run(referenceURL, "public", "-f", script)
	if got != want {
		t.Errorf("psql prints the cursor script differently:\n%s", lineDiff(got, want))
	}

	// With FETCH_COUNT psql reads a query through a cursor in a block.
	fetchCount := []string{"-v", "FETCH_COUNT=7", "-c", "SELECT id, s, n, by FROM t ORDER BY id"}
	if got, want := run(junctionURL, "src", fetchCount...), run(referenceURL, "public", fetchCount...); got != want {
		t.Errorf("psql with FETCH_COUNT prints differently:\n%s", lineDiff(got, want))
	}

	for i, command := range []string{
		`\copy (SELECT * FROM t ORDER BY id) TO '%s' csv header`,
		`\copy t (id, s, by) TO '%s'`,
		`\copy (SELECT id, s FROM t WHERE id % 3 = 0) TO '%s' (FORMAT csv, FORCE_QUOTE *, NULL 'n/a')`,
	} {
		files := [2]string{filepath.Join(dir, "junction.out"), filepath.Join(dir, "postgres.out")}
		run(junctionURL, "src", "-c", strings.Replace(command, "%s", files[0], 1))
		run(referenceURL, "public", "-c", strings.Replace(command, "%s", files[1], 1))
		a, errA := os.ReadFile(files[0])
		b, errB := os.ReadFile(files[1])
		if err := errors.Join(errA, errB); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a, b) || len(a) == 0 {
			t.Errorf("\\copy %d wrote %d bytes, PostgreSQL %d; first difference at byte %d", i, len(a), len(b), firstDifference(a, b))
		}
	}
}

// lineDiff shows the first lines where two outputs differ.
func lineDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := range max(len(g), len(w)) {
		var a, b string
		if i < len(g) {
			a = g[i]
		}
		if i < len(w) {
			b = w[i]
		}
		if a != b {
			end := min(i+8, len(g), len(w))
			return fmt.Sprintf("first difference at line %d\n--- Junction\n%s\n--- PostgreSQL\n%s",
				i+1, strings.Join(g[i:max(i, end)], "\n"), strings.Join(w[i:max(i, end)], "\n"))
		}
	}
	return ""
}

// TestTransactionStatusAndPortals checks, through pgx, the transaction
// status a client sees and reading a huge result a few rows at a time:
// a cursor and a row-limited portal kept across Syncs in a block. The
// cross join has ten billion rows, so it must stream.
func TestTransactionStatusAndPortals(t *testing.T) {
	r := newReadSource(t)
	ctx, cancel := context.WithTimeout(context.Background(), queryTimeout)
	defer cancel()
	pc := r.junction.PgConn()
	status := func(want byte, after string) {
		t.Helper()
		if got := pc.TxStatus(); got != want {
			t.Errorf("after %s the transaction status is %q, want %q", after, got, want)
		}
	}
	tx, err := r.junction.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	status('T', "BEGIN")
	if _, err := tx.Exec(ctx, "SELECT 1/0"); err == nil {
		t.Fatal("1/0 succeeded")
	}
	status('E', "an error")
	if _, err := tx.Exec(ctx, "SELECT 1"); sqlstate(err) != "25P02" {
		t.Errorf("a statement in the failed block: %v, want 25P02", err)
	}
	if err := tx.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	status('I', "ROLLBACK")

	const huge = "SELECT a.x, b.x FROM src.big a, src.big b"
	mustExec(t, r.junction, "BEGIN")
	mustExec(t, r.junction, "DECLARE huge CURSOR FOR "+huge)
	if rows := query(t, r.junction, "FETCH 3 FROM huge"); len(rows.Rows) != 3 {
		t.Errorf("FETCH 3 returned %d rows", len(rows.Rows))
	}

	fe := pc.Frontend()
	fe.SendParse(&pgproto3.Parse{Name: "s", Query: huge + " WHERE a.x >= $1"})
	fe.SendBind(&pgproto3.Bind{DestinationPortal: "C_1", PreparedStatement: "s", Parameters: [][]byte{[]byte("1")}})
	fe.SendExecute(&pgproto3.Execute{Portal: "C_1", MaxRows: 5})
	fe.SendSync(&pgproto3.Sync{})
	if got := receiveRows(ctx, t, pc); got != "5 rows, suspended, status T" {
		t.Errorf("first Execute: %s", got)
	}
	for range 2 {
		fe.SendExecute(&pgproto3.Execute{Portal: "C_1", MaxRows: 7})
		fe.SendSync(&pgproto3.Sync{})
		if got := receiveRows(ctx, t, pc); got != "7 rows, suspended, status T" {
			t.Errorf("next Execute: %s", got)
		}
	}
	if rows := query(t, r.junction, "FETCH 2 FROM huge"); len(rows.Rows) != 2 {
		t.Errorf("FETCH 2 between Executes returned %d rows", len(rows.Rows))
	}
	mustExec(t, r.junction, "COMMIT")
	fe.SendExecute(&pgproto3.Execute{Portal: "C_1", MaxRows: 7})
	fe.SendSync(&pgproto3.Sync{})
	if got := receiveRows(ctx, t, pc); got != "0 rows, error 34000, status I" {
		t.Errorf("Execute after COMMIT: %s", got)
	}
	status('I', "COMMIT")
}

// receiveRows sends what was queued and reads up to ReadyForQuery and summarises what came.
func receiveRows(ctx context.Context, t *testing.T, pc *pgconn.PgConn) string {
	t.Helper()
	if err := pc.Frontend().Flush(); err != nil {
		t.Fatal(err)
	}
	rows := 0
	var events []string
	for {
		msg, err := pc.ReceiveMessage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		switch m := msg.(type) {
		case *pgproto3.DataRow:
			rows++
		case *pgproto3.PortalSuspended:
			events = append(events, "suspended")
		case *pgproto3.CommandComplete:
			events = append(events, string(m.CommandTag))
		case *pgproto3.ErrorResponse:
			events = append(events, "error "+m.Code)
		case *pgproto3.ReadyForQuery:
			return strings.Join(append([]string{fmt.Sprintf("%d rows", rows)}, append(events, "status "+string(m.TxStatus))...), ", ")
		}
	}
}

// cursorScript is run by psql with ON_ERROR_STOP off, so that errors and
// the statements refused after them show in the output. Cursors that
// move backwards are declared SCROLL: PostgreSQL lets some plans scroll
// without it, Junction does not.
const cursorScript = `
BEGIN;
DECLARE c NO SCROLL CURSOR FOR SELECT id, s, n FROM t ORDER BY id;
FETCH 2 FROM c;
FETCH NEXT c;
MOVE 3 c;
FETCH FORWARD 2 IN c;
FETCH ABSOLUTE 2 c;
\echo :LAST_ERROR_SQLSTATE
SELECT 1;
ROLLBACK;
BEGIN;
DECLARE c SCROLL CURSOR FOR SELECT id, v FROM t WHERE id <= 20 ORDER BY id;
FETCH 3 c;
FETCH PRIOR c;
FETCH LAST c;
FETCH ABSOLUTE 5 c;
FETCH ABSOLUTE -3 c;
FETCH RELATIVE -2 c;
FETCH RELATIVE 0 c;
FETCH FORWARD 0 c;
FETCH BACKWARD 3 c;
FETCH FIRST c;
FETCH FORWARD ALL c;
FETCH c;
FETCH PRIOR c;
FETCH BACKWARD ALL c;
MOVE FORWARD ALL c;
MOVE BACKWARD ALL c;
MOVE ABSOLUTE 100 c;
FETCH BACKWARD 2 c;
FETCH ABSOLUTE 0 c;
FETCH -2 c;
MOVE -1 c;
MOVE 0 c;
FETCH ALL FROM c;
CLOSE c;
FETCH c;
\echo :LAST_ERROR_SQLSTATE
ROLLBACK;
DECLARE d CURSOR FOR SELECT 1;
\echo :LAST_ERROR_SQLSTATE
DECLARE h CURSOR WITH HOLD FOR SELECT id, d FROM t WHERE id < 5 ORDER BY id;
FETCH h;
BEGIN;
DECLARE x NO SCROLL CURSOR FOR SELECT id FROM t ORDER BY id;
FETCH x;
FETCH ABSOLUTE 1 x;
\echo :LAST_ERROR_SQLSTATE
ROLLBACK;
FETCH ALL h;
CLOSE h;
BEGIN;
DECLARE x CURSOR FOR SELECT id FROM t ORDER BY id;
DECLARE x CURSOR FOR SELECT id FROM t ORDER BY id;
\echo :LAST_ERROR_SQLSTATE
COMMIT;
BEGIN;
BEGIN;
SAVEPOINT a;
DECLARE y CURSOR FOR SELECT 1;
SAVEPOINT b;
DECLARE z CURSOR FOR SELECT 2;
ROLLBACK TO a;
FETCH y;
\echo :LAST_ERROR_SQLSTATE
ROLLBACK TO a;
DECLARE y CURSOR FOR SELECT 1 AS one;
RELEASE a;
FETCH y;
ROLLBACK TO nope;
COMMIT;
COMMIT;
ROLLBACK;
SAVEPOINT q;
BEGIN READ ONLY;
SELECT 1/0;
SELECT 1;
\echo :LAST_ERROR_SQLSTATE
COMMIT;
BEGIN;
SAVEPOINT s;
SELECT 1/0;
ROLLBACK TO s;
SELECT count(*) FROM t;
END;
BEGIN ISOLATION LEVEL READ COMMITTED;
SHOW transaction_isolation;
ABORT;
START TRANSACTION;
COMMIT AND CHAIN;
DECLARE c2 CURSOR FOR SELECT 1;
CLOSE ALL;
FETCH c2;
ROLLBACK;
COMMIT AND CHAIN;
BEGIN;
DECLARE p1 SCROLL CURSOR WITH HOLD FOR SELECT 1;
DECLARE p2 BINARY NO SCROLL CURSOR FOR SELECT 2;
SELECT name, is_holdable, is_binary, is_scrollable FROM pg_cursors ORDER BY name;
COMMIT;
SELECT name FROM pg_catalog.pg_cursors;
CLOSE p1;
SELECT count(*) FROM pg_cursors;
`
