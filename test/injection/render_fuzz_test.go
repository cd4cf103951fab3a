// Package injection owns the fuzz test of what Junction sends its sources:
// filters on hostile strings, against tables and columns with hostile
// names, run on the real PostgreSQL, MariaDB and SQLite, must find exactly
// the row holding the string and nothing else. A quote, backslash or
// comment that escaped its literal or identifier would change the remote
// statement and so its answer.
package injection

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	_ "modernc.org/sqlite"

	"github.com/junction-db/junction/test/testenv"
)

func TestMain(m *testing.M) { testenv.Main(m) }

// Hostile names for the remote table and its text column: every quote
// character of the three dialects, a comment, a statement separator, a
// backslash and non-ASCII letters. MariaDB refuses NUL and trailing
// spaces in names, so they hold neither.
const (
	hostileTable  = "t\"a`b'l;e -- \\x é☃"
	hostileColumn = "v\"a`l'u;e /* \\ ü"
)

// hostileStrings seed the fuzzer; go test runs exactly these.
var hostileStrings = []string{
	"",
	"plain",
	"'",
	"''",
	"' OR '1'='1",
	"'; DROP TABLE x; --",
	`\`,
	`\'`,
	`\\'`,
	`a\`,
	`\' OR 1=1 -- `,
	`\0`,
	"\x00",
	"a\x00b",
	"`",
	"`; SELECT 1; `",
	`"`,
	`""; --`,
	"-- comment",
	"/* open comment",
	"*/",
	";",
	"$$",
	"$tag$ x $tag$",
	"%_",
	"a\nb\r\nc\td",
	"\x1a\x08",
	"trailing space ",
	"MixedCase",
	"é",
	"ß",
	"☃",
	"😀",
	"𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
	"\u00a0\u2028\ufeff",
	"ʼ OR 1=1", // modifier letter apostrophe
	"＇ OR 1=1", // fullwidth apostrophe
	"\u02bc\\",
	"E'\\x27'",
	"?",
	"$1",
}

// source is a remote database holding the hostile table, reached through
// Junction as schema server.
type source struct {
	server string
	// insert replaces the table's rows with (id, value) pairs; it binds
	// the values as parameters, so that it does not depend on any escaping.
	insert func(ctx context.Context, rows []row) error
	// storesNUL reports whether the source keeps a NUL in a text value.
	storesNUL bool
}

type row struct {
	id    int
	value string
}

const queryTimeout = 30 * time.Second

// maxIdentifierBytes is the longest name PostgreSQL keeps whole
// (NAMEDATALEN - 1).
const maxIdentifierBytes = 63

func FuzzHostileLiteral(f *testing.F) {
	for _, s := range hostileStrings {
		f.Add(s)
	}
	srv := testenv.StartServer(f)
	junction := srv.Connect(f)
	sources := []source{postgresSource(f, junction), mariaDBSource(f, junction), sqliteSource(f, junction, srv.DataDir)}

	f.Fuzz(func(t *testing.T, value string) {
		if !utf8.ValidString(value) {
			return // clients send UTF-8 only; the server refuses anything else
		}
		for _, src := range sources {
			checkFilter(t, junction, src, value)
		}
	})
}

// checkFilter stores value next to decoys that loose comparisons would
// confuse with it, then filters on it through Junction: equal to it as a
// literal in the statement, as a bound parameter and in an IN list, and
// starting with it in a LIKE pattern. Each must return exactly the rows
// that PostgreSQL's semantics select.
func checkFilter(t *testing.T, junction *pgx.Conn, src source, value string) {
	ctx, cancel := context.WithTimeout(context.Background(), queryTimeout)
	defer cancel()
	rows := []row{{1, value}, {2, value + "x"}, {3, value + " "}, {4, "x" + value}}
	if upper := strings.ToUpper(value); upper != value {
		rows = append(rows, row{5, upper})
	}
	if strings.Contains(value, "\x00") && !src.storesNUL {
		rows = rows[:0]
	}
	if err := src.insert(ctx, rows); err != nil {
		t.Fatalf("%s: store %q: %v", src.server, value, err)
	}

	// The value also names the result column, when it is a name
	// PostgreSQL keeps whole.
	alias := "v"
	if value != "" && len(value) <= maxIdentifierBytes && !strings.Contains(value, "\x00") {
		alias = value
	}
	query := fmt.Sprintf(`SELECT id, %s AS %s FROM %s.%s WHERE %s `,
		pgx.Identifier{hostileColumn}.Sanitize(), pgx.Identifier{alias}.Sanitize(), src.server,
		pgx.Identifier{hostileTable}.Sanitize(), pgx.Identifier{hostileColumn}.Sanitize())
	equal := func(v string) bool { return v == value }
	prefixed := func(v string) bool { return strings.HasPrefix(v, value) }
	for _, form := range []struct {
		name    string
		filter  string
		args    []any
		matches func(v string) bool
	}{
		{"literal", "= " + quote(value), []any{pgx.QueryExecModeSimpleProtocol}, equal},
		{"parameter", "= $1::text", []any{value}, equal},
		{"IN list", "IN (" + quote(value) + ", 'x''y')", []any{pgx.QueryExecModeSimpleProtocol}, equal},
		{"LIKE prefix", "LIKE " + quote(likeEscaper.Replace(value)+"%"), []any{pgx.QueryExecModeSimpleProtocol}, prefixed},
	} {
		sql := query + form.filter + " ORDER BY id"
		got, name, err := queryRows(ctx, junction, sql, form.args...)
		if strings.Contains(value, "\x00") {
			// PostgreSQL's text holds no NUL, so neither does Junction's:
			// the statement or the parameter is refused, never reinterpreted.
			if err == nil {
				t.Errorf("%s, %s: a value with NUL was accepted and returned %+v", src.server, form.name, got)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s, %s: %s\nfailed: %s", src.server, form.name, sql, testenv.DescribeError(err))
			continue
		}
		if name != alias {
			t.Errorf("%s, %s: %s\nnamed the column %q, want %q", src.server, form.name, sql, name, alias)
		}
		var want []row
		for _, r := range rows {
			if form.matches(r.value) {
				want = append(want, r)
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s, %s: %s\nreturned %+v, want %+v", src.server, form.name, sql, got, want)
		}
	}
	// The connection must still be in a usable state after a refusal.
	if _, err := junction.Exec(ctx, "SELECT 1"); err != nil {
		t.Fatalf("session unusable after filtering on %q: %v", value, err)
	}
}

// queryRows returns the (id, value) rows of sql and its second column's
// name.
func queryRows(ctx context.Context, conn *pgx.Conn, sql string, args ...any) ([]row, string, error) {
	rs, err := conn.Query(ctx, sql, args...)
	if err != nil {
		return nil, "", err
	}
	defer rs.Close()
	var name string
	if fields := rs.FieldDescriptions(); len(fields) == 2 {
		name = fields[1].Name
	}
	var out []row
	for rs.Next() {
		var r row
		if err := rs.Scan(&r.id, &r.value); err != nil {
			return nil, "", err
		}
		out = append(out, r)
	}
	return out, name, rs.Err()
}

func mustCreateServer(tb testing.TB, junction *pgx.Conn, ddl string) {
	tb.Helper()
	if _, err := junction.Exec(context.Background(), ddl); err != nil {
		tb.Fatalf("%s: %s", ddl, testenv.DescribeError(err))
	}
}

func postgresSource(tb testing.TB, junction *pgx.Conn) source {
	name, conn := testenv.NewReferenceDB(tb, "injection")
	table, column := pgx.Identifier{hostileTable}.Sanitize(), pgx.Identifier{hostileColumn}.Sanitize()
	ddl := fmt.Sprintf("CREATE TABLE %s (id int PRIMARY KEY, %s text NOT NULL)", table, column)
	if _, err := conn.Exec(context.Background(), ddl); err != nil {
		tb.Fatalf("%s: %v", ddl, err)
	}
	mustCreateServer(tb, junction, fmt.Sprintf(`CREATE SERVER pg FOREIGN DATA WRAPPER postgres OPTIONS (host '127.0.0.1', port '5432', dbname '%s', user 'root')`, name))
	return source{server: "pg", insert: func(ctx context.Context, rows []row) error {
		if _, err := conn.Exec(ctx, "DELETE FROM "+table); err != nil {
			return err
		}
		for _, r := range rows {
			if _, err := conn.Exec(ctx, fmt.Sprintf("INSERT INTO %s VALUES ($1, $2)", table), r.id, r.value); err != nil {
				return err
			}
		}
		return nil
	}}
}

// mariaDBSource's column has the server's default, case-insensitive and
// PAD SPACE collation, whose loose matches Junction must not let through.
func mariaDBSource(tb testing.TB, junction *pgx.Conn) source {
	name, db := testenv.NewMariaDB(tb, "injection")
	table, column := backquote(hostileTable), backquote(hostileColumn)
	ddl := fmt.Sprintf("CREATE TABLE %s (id int PRIMARY KEY, %s text CHARACTER SET utf8mb4 NOT NULL)", table, column)
	if _, err := db.Exec(ddl); err != nil {
		tb.Fatalf("%s: %v", ddl, err)
	}
	mustCreateServer(tb, junction, fmt.Sprintf(`CREATE SERVER my FOREIGN DATA WRAPPER mysql OPTIONS (host '127.0.0.1', port '3306', dbname '%s', user 'root', password '')`, name))
	return source{server: "my", storesNUL: true, insert: sqlInsert(db, table, "?")}
}

// sqliteSource keeps its database in the server's data directory, the one
// place a SQLite source may be by default (sqlite_dirs).
func sqliteSource(tb testing.TB, junction *pgx.Conn, dataDir string) source {
	path := filepath.Join(dataDir, "injection.db")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	table, column := pgx.Identifier{hostileTable}.Sanitize(), pgx.Identifier{hostileColumn}.Sanitize()
	ddl := fmt.Sprintf("CREATE TABLE %s (id integer PRIMARY KEY, %s text NOT NULL)", table, column)
	if _, err := db.Exec(ddl); err != nil {
		tb.Fatalf("%s: %v", ddl, err)
	}
	mustCreateServer(tb, junction, fmt.Sprintf(`CREATE SERVER lite FOREIGN DATA WRAPPER sqlite OPTIONS (path '%s')`, strings.ReplaceAll(path, "'", "''")))
	return source{server: "lite", storesNUL: true, insert: sqlInsert(db, table, "?")}
}

// sqlInsert replaces the rows of a database/sql table.
func sqlInsert(db *sql.DB, table, placeholder string) func(ctx context.Context, rows []row) error {
	return func(ctx context.Context, rows []row) error {
		if _, err := db.ExecContext(ctx, "DELETE FROM "+table); err != nil {
			return err
		}
		for _, r := range rows {
			stmt := fmt.Sprintf("INSERT INTO %s VALUES (%s, %s)", table, placeholder, placeholder)
			if _, err := db.ExecContext(ctx, stmt, r.id, r.value); err != nil {
				return err
			}
		}
		return nil
	}
}

// quote writes s as a PostgreSQL string literal.
func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// likeEscaper makes a string match itself only in a LIKE pattern.
var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

func backquote(name string) string { return "`" + strings.ReplaceAll(name, "`", "``") + "`" }
