package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/junction-db/junction/test/testenv"
)

// A session reuses what it prepared for a statement text; every change
// the statement depends on - CREATE, DROP, ALTER SERVER, IMPORT FOREIGN
// SCHEMA, CREATE and DROP VIEW, SET search_path - must be seen by the next
// run of the same text, whichever protocol sends it.
func TestRepeatedStatementsSeeCatalogChanges(t *testing.T) {
	oneDB, one := testenv.NewPostgresDB(t, "cache_one")
	twoDB, two := testenv.NewPostgresDB(t, "cache_two")
	for conn, stmts := range map[*pgx.Conn][]string{
		one: {`CREATE TABLE items (id int, label text)`, `INSERT INTO items VALUES (1, 'one')`},
		two: {`CREATE TABLE items (id int, label text, extra int)`, `INSERT INTO items VALUES (2, 'two', 7)`},
	} {
		for _, stmt := range stmts {
			if _, err := conn.Exec(context.Background(), stmt); err != nil {
				t.Fatalf("%s: %v", stmt, err)
			}
		}
	}
	srv := testenv.StartServer(t)
	conn := srv.Connect(t)
	modes := []struct {
		name string
		mode pgx.QueryExecMode
	}{
		{"simple", pgx.QueryExecModeSimpleProtocol},
		{"extended", pgx.QueryExecModeExec},
		{"described", pgx.QueryExecModeDescribeExec},
	}
	// expect runs sql in every mode, twice each, and checks the rows, or
	// the SQLSTATE when want starts with "error ".
	expect := func(sql, want string) {
		t.Helper()
		for _, m := range modes {
			for range 2 {
				if got := rowsText(conn, sql, m.mode); got != want {
					t.Errorf("%s (%s) = %s, want %s", sql, m.name, got, want)
				}
			}
		}
	}
	const items = `SELECT * FROM src.items`

	mustExec(t, conn, testenv.PostgresServerDDL("src", oneDB))
	expect(items, "1|one")
	mustExec(t, conn, `DROP SERVER src`)
	expect(items, "error 42P01")
	mustExec(t, conn, testenv.PostgresServerDDL("src", twoDB))
	expect(items, "2|two|7")
	mustExec(t, conn, fmt.Sprintf(`ALTER SERVER src OPTIONS (SET dbname '%s')`, oneDB))
	expect(items, "1|one")

	if _, err := one.Exec(context.Background(), `ALTER TABLE items ADD COLUMN note text DEFAULT 'new'`); err != nil {
		t.Fatal(err)
	}
	expect(items, "1|one")
	mustExec(t, conn, `IMPORT FOREIGN SCHEMA public FROM SERVER src INTO src`)
	expect(items, "1|one|new")

	mustExec(t, conn, `CREATE VIEW v AS SELECT label FROM src.items`)
	expect(`SELECT * FROM v`, "one")
	mustExec(t, conn, `CREATE OR REPLACE VIEW v AS SELECT upper(label) AS label FROM src.items`)
	expect(`SELECT * FROM v`, "ONE")
	mustExec(t, conn, `DROP VIEW v`)
	expect(`SELECT * FROM v`, "error 42P01")

	// With two sources holding items, search_path decides which one an
	// unqualified name means; a statement prepared before SET is bound
	// again too, as PostgreSQL replans it.
	mustExec(t, conn, testenv.PostgresServerDDL("other", twoDB))
	modes = append(modes, struct {
		name string
		mode pgx.QueryExecMode
	}{"prepared", pgx.QueryExecModeCacheStatement})
	mustExec(t, conn, `SET search_path = src`)
	expect(`SELECT id FROM items`, "1")
	mustExec(t, conn, `SET search_path = other`)
	expect(`SELECT id FROM items`, "2")
	mustExec(t, conn, `RESET search_path`)
	mustExec(t, conn, `SET search_path = src`)
	expect(`SELECT id FROM items`, "1")
}

// rowsText runs sql with args (which may begin with a pgx.QueryExecMode)
// and renders its rows as "a|b" lines joined by ";", or "error SQLSTATE".
func rowsText(conn *pgx.Conn, sql string, args ...any) string {
	ctx, cancel := context.WithTimeout(context.Background(), queryTimeout)
	defer cancel()
	rows, err := conn.Query(ctx, sql, args...)
	if err != nil {
		return "error " + sqlstate(err)
	}
	var out []string
	for rows.Next() {
		vals, err := rows.Values()
		if err != nil {
			return "error " + err.Error()
		}
		fields := make([]string, len(vals))
		for i, v := range vals {
			fields[i] = fmt.Sprint(v)
		}
		out = append(out, strings.Join(fields, "|"))
	}
	if err := rows.Err(); err != nil {
		return "error " + sqlstate(err)
	}
	return strings.Join(out, ";")
}

// A session prepares a query text once for all the values of its integer
// constants; every query of the same shape must still answer as
// PostgreSQL does, constants that are not values (ORDER BY 1) included.
func TestQueriesDifferingInConstants(t *testing.T) {
	dbname, direct := testenv.NewReferenceDB(t, "shapes")
	for _, stmt := range []string{
		`CREATE TABLE items (id int PRIMARY KEY, big bigint NOT NULL, small smallint NOT NULL, label text NOT NULL, price numeric(8,2))`,
		`INSERT INTO items SELECT i, i * 1000000000::bigint, i % 7, 'item ' || (i % 13), i * 1.25 FROM generate_series(1, 60) AS i`,
	} {
		if _, err := direct.Exec(context.Background(), stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	srv := testenv.StartServer(t)
	conn := srv.Connect(t)
	mustExec(t, conn, testenv.PostgresServerDDL("src", dbname))
	shapes := []string{
		`SELECT * FROM {items} WHERE id = %d`,
		`SELECT id, label FROM {items} WHERE id <= %d ORDER BY %d, 1`,
		`SELECT small, count(*) FROM {items} WHERE id > %d GROUP BY %d ORDER BY 1`,
		`SELECT id FROM {items} ORDER BY id LIMIT %d OFFSET %d`,
		`SELECT id, %d AS k, id + %d FROM {items} WHERE big = %d`,
		`SELECT id FROM {items} WHERE small IN (%d, %d) AND id < %d ORDER BY id`,
		`SELECT label FROM {items} WHERE price > %d ORDER BY id LIMIT 3`,
	}
	// Rows of values: the first of each column fits an integer, the
	// fourth a bigint only (in ORDER BY or GROUP BY an error both ways).
	values := [][]any{{7, 0, 0}, {59, 2, 0}, {1, 1, 3}, {30, 1, 5000000000}, {2, 2, 1}, {3000000000, 1, 45000000000}}
	for _, shape := range shapes {
		for _, v := range values {
			sql := fmt.Sprintf(shape, v[:strings.Count(shape, "%d")]...)
			want := rowsText(direct, strings.ReplaceAll(sql, "{items}", "items"), pgx.QueryExecModeSimpleProtocol)
			for _, m := range []pgx.QueryExecMode{pgx.QueryExecModeSimpleProtocol, pgx.QueryExecModeExec} {
				if got := rowsText(conn, strings.ReplaceAll(sql, "{items}", "src.items"), m); got != want {
					t.Errorf("%s (mode %v) = %s, PostgreSQL: %s", sql, m, got, want)
				}
			}
		}
	}
	// The query history shows each query as sent.
	mustExec(t, conn, `SELECT id FROM src.items WHERE id = 41`)
	mustExec(t, conn, `SELECT id FROM src.items WHERE id = 42`)
	if got := queryValue(t, conn, `SELECT count(*) FROM junction.queries WHERE query IN ('SELECT id FROM src.items WHERE id = 41', 'SELECT id FROM src.items WHERE id = 42')`); got != "2" {
		t.Errorf("junction.queries holds %s of the two lookups, want both", got)
	}
	// A catalog change reaches queries of a known shape.
	mustExec(t, conn, `DROP SERVER src`)
	expectError(t, conn, `SELECT * FROM src.items WHERE id = 8`, "42P01")
}

// A statement prepared before its table gained a column answers as
// PostgreSQL does once the change is seen: the client was told the old
// columns, so the statement fails with 0A000 rather than sending rows of
// another shape; preparing it again gives the new columns.
func TestPreparedStatementAfterResultTypeChange(t *testing.T) {
	ctx := context.Background()
	dbname, direct := testenv.NewReferenceDB(t, "result_type")
	if _, err := direct.Exec(ctx, `CREATE TABLE items (id int, label text); INSERT INTO items VALUES (1, 'one')`); err != nil {
		t.Fatal(err)
	}
	srv := testenv.StartServer(t)
	conn := srv.Connect(t)
	mustExec(t, conn, testenv.PostgresServerDDL("src", dbname))
	for target, sql := range map[*pgx.Conn]string{conn: `SELECT * FROM src.items`, direct: `SELECT * FROM items`} {
		if _, err := target.Prepare(ctx, "before", sql); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := direct.Exec(ctx, `ALTER TABLE items ADD COLUMN note text DEFAULT 'new'`); err != nil {
		t.Fatal(err)
	}
	mustExec(t, conn, `IMPORT FOREIGN SCHEMA public FROM SERVER src INTO src`)
	want := rowsText(direct, "before")
	if !strings.HasPrefix(want, "error 0A000") {
		t.Fatalf("PostgreSQL itself gave %s", want)
	}
	if got := rowsText(conn, "before"); got != want {
		t.Errorf("prepared statement after the change = %s, want %s", got, want)
	}
	if got := rowsText(conn, `SELECT * FROM src.items`); got != "1|one|new" {
		t.Errorf("the statement prepared again = %s, want 1|one|new", got)
	}
}
