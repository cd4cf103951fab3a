package e2e

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/duckdb/duckdb-go/v2" // writes the Parquet and CSV files of the test

	"github.com/junction-db/junction/test/testenv"
)

// filesTable is a table of the files differential test, created alike in
// PostgreSQL and (with DuckDB's types) in the files.
type filesTable struct {
	name, pgDDL, duckDDL string
	columns              []string
	rows                 [][]any
}

var filesTables = []filesTable{
	{
		name:    "items",
		pgDDL:   "CREATE TABLE items (id integer, grp integer, qty integer, big bigint, price numeric(10,2), score double precision, name text, tag text, day date, stamp timestamp, ok boolean)",
		duckDDL: "CREATE TABLE items (id INTEGER, grp INTEGER, qty INTEGER, big BIGINT, price DECIMAL(10,2), score DOUBLE, name VARCHAR, tag VARCHAR, day DATE, stamp TIMESTAMP, ok BOOLEAN)",
		columns: []string{"id", "grp", "qty", "big", "price", "score", "name", "tag", "day", "stamp", "ok"},
	},
	{
		name:    "groups",
		pgDDL:   "CREATE TABLE groups (id integer, label text, region text)",
		duckDDL: "CREATE TABLE groups (id INTEGER, label VARCHAR, region VARCHAR)",
		columns: []string{"id", "label", "region"},
		rows: [][]any{
			{1, "one", "north"}, {2, "two", "south"}, {3, "three", "north"}, {4, "four", nil}, {nil, "none", "east"}, {6, "six", "south"},
		},
	},
}

func init() {
	names := []any{"alpha", "Alpha", "ALPHA", "alpha ", "", "a%b", "a_b", "é", "É", "日本", "O'Brien", "zeta", "b", nil}
	tags := []any{"x", "y", nil, "x", "z"}
	prices := []any{testenv.Decimal("0.00"), testenv.Decimal("1.50"), testenv.Decimal("-2.25"), testenv.Decimal("99999999.99"), nil, testenv.Decimal("10.10")}
	scores := []any{testenv.Decimal("0"), testenv.Decimal("1.5"), testenv.Decimal("-0.1"), testenv.Decimal("1e300"), nil, testenv.Decimal("3")}
	bigs := []any{int64(1), int64(9223372036854775807), int64(-9223372036854775808), int64(42), nil, int64(-7)}
	days := []any{"2024-02-29", "1999-12-31", "2000-01-01", nil, "2024-03-01"}
	stamps := []any{"2024-02-29 12:34:56.789", "2000-01-01 00:00:00", nil, "1999-12-31 23:59:59.999999"}
	for i := 0; i < 60; i++ {
		var grp any = i%6 + 1
		if i%11 == 0 {
			grp = nil
		}
		var qty any = i%7 - 2
		if i%13 == 5 {
			qty = nil
		}
		var ok any = i%3 == 0
		if i%10 == 9 {
			ok = nil
		}
		filesTables[0].rows = append(filesTables[0].rows, []any{i, grp, qty, bigs[i%len(bigs)], prices[i%len(prices)], scores[i%len(scores)],
			names[i%len(names)], tags[i%len(tags)], days[i%len(days)], stamps[i%len(stamps)], ok})
	}
}

// filesDifferentialQueries cover every construct the files dialect
// pushes; pushed names a piece of the remote SQL that shows it was
// pushed to DuckDB (checked with EXPLAIN).
var filesDifferentialQueries = []struct {
	name, sql, pushed string
	ordered           bool
}{
	{"equal text", `SELECT id, name FROM {items} WHERE name = 'alpha'`, `"name" = 'alpha'`, false},
	{"text order comparisons", `SELECT id, name FROM {items} WHERE name > 'Z' AND name <= 'é'`, `>`, false},
	{"integer comparisons", `SELECT id FROM {items} WHERE qty >= 2 AND grp <> 3`, `>=`, false},
	{"bigint comparison", `SELECT id, big FROM {items} WHERE big > 1`, `>`, false},
	{"numeric comparison", `SELECT id, price FROM {items} WHERE price > price - price`, "", false},
	{"float comparison", `SELECT id, score FROM {items} WHERE score < 2`, `<`, false},
	{"date comparison", `SELECT id, day FROM {items} WHERE day >= date '2000-01-01'`, `DATE '2000-01-01'`, false},
	{"timestamp comparison", `SELECT id, stamp FROM {items} WHERE stamp < timestamp '2024-01-01 00:00:00'`, `TIMESTAMP`, false},
	{"boolean", `SELECT id FROM {items} WHERE ok`, "", false},
	{"is distinct from", `SELECT id FROM {items} WHERE tag IS DISTINCT FROM 'x'`, `IS DISTINCT FROM`, false},
	{"is null", `SELECT id FROM {items} WHERE grp IS NULL OR tag IS NOT NULL`, `IS NULL`, false},
	{"in list", `SELECT id, name FROM {items} WHERE name IN ('alpha', 'é', '日本')`, `IN (`, false},
	{"not in list", `SELECT id FROM {items} WHERE qty NOT IN (1, 2)`, `NOT IN`, false},
	{"like", `SELECT id, name FROM {items} WHERE name LIKE 'a%'`, `LIKE`, false},
	{"like escaped", `SELECT id, name FROM {items} WHERE name LIKE 'a\%b' OR name LIKE 'a\_%'`, `ESCAPE`, false},
	{"not like", `SELECT id, name FROM {items} WHERE name NOT LIKE '%a%'`, `NOT LIKE`, false},
	{"ilike stays in Junction", `SELECT id, name FROM {items} WHERE name ILIKE 'a%'`, "", false},
	{"integer arithmetic", `SELECT id, qty + grp, qty * 3 - grp, -qty FROM {items}`, `+`, false},
	{"concatenation", `SELECT id, name || '/' || tag FROM {items}`, `||`, false},
	{"length and replace", `SELECT id, length(name), octet_length(name), replace(name, 'a', 'A') FROM {items}`, `length(`, false},
	{"coalesce and nullif", `SELECT id, coalesce(tag, name), nullif(qty, 0) FROM {items}`, `coalesce(`, false},
	{"casts", `SELECT id, qty::bigint + big, grp::double precision / 4 FROM {items} WHERE big BETWEEN -10 AND 100`, `CAST(`, false},
	{"division stays in Junction", `SELECT id, qty / 2, qty % 3 FROM {items} WHERE qty <> 0`, "", false},
	{"count", `SELECT count(*), count(tag), count(DISTINCT tag), count(DISTINCT name) FROM {items}`, `count(DISTINCT`, false},
	{"min and max", `SELECT min(name), max(name), min(day), max(stamp), min(price), max(qty) FROM {items}`, `min(`, false},
	{"sum of integers", `SELECT sum(qty), sum(grp), sum(id::smallint) FROM {items}`, `sum(`, false},
	{"group by", `SELECT tag, grp, count(*), sum(qty), max(name) FROM {items} GROUP BY tag, grp`, `GROUP BY`, false},
	{"group by text and date", `SELECT name, day, count(*) FROM {items} GROUP BY name, day`, `GROUP BY`, false},
	{"group by boolean with having", `SELECT ok, count(*) FROM {items} GROUP BY ok HAVING count(*) > 1`, `HAVING`, false},
	{"avg stays in Junction", `SELECT grp, avg(qty), avg(price) FROM {items} GROUP BY grp`, "", false},
	{"order by nulls", `SELECT id, tag, qty FROM {items} ORDER BY tag NULLS FIRST, qty DESC, id`, `NULLS FIRST`, true},
	{"order by text", `SELECT name, id FROM {items} ORDER BY name DESC, id`, `ORDER BY`, true},
	{"order by float and limit", `SELECT id, score FROM {items} ORDER BY score, id LIMIT 7`, `LIMIT 7`, true},
	{"limit offset", `SELECT id FROM {items} ORDER BY id LIMIT 5 OFFSET 10`, `OFFSET 10`, true},
	{"offset alone", `SELECT id FROM {items} ORDER BY id OFFSET 55`, `OFFSET 55`, true},
	{"inner join", `SELECT i.id, g.label FROM {items} i JOIN {groups} g ON g.id = i.grp WHERE g.region = 'north'`, `= t1."grp"`, false},
	{"left join", `SELECT i.id, g.label FROM {items} i LEFT JOIN {groups} g ON g.id = i.grp`, `LEFT JOIN`, false},
	{"full join", `SELECT i.id, g.id, g.label FROM {items} i FULL JOIN {groups} g ON g.id = i.qty`, `FULL`, false},
	{"join with aggregate", `SELECT g.region, count(*), sum(i.qty), min(i.name) FROM {items} i JOIN {groups} g ON g.id = i.grp GROUP BY g.region ORDER BY g.region NULLS LAST`, `GROUP BY`, true},
	{"distinct", `SELECT DISTINCT tag, grp FROM {items}`, `DISTINCT`, false},
	{"exists", `SELECT g.id, g.label FROM {groups} g WHERE EXISTS (SELECT 1 FROM {items} i WHERE i.grp = g.id AND i.qty > 2)`, `EXISTS`, false},
	{"not exists", `SELECT g.id FROM {groups} g WHERE NOT EXISTS (SELECT 1 FROM {items} i WHERE i.grp = g.id AND i.tag = 'z')`, `EXISTS`, false},
	{"in subquery", `SELECT id, name FROM {items} WHERE grp IN (SELECT id FROM {groups} WHERE region = 'south')`, `EXISTS (SELECT`, false},
	{"not in subquery with nulls", `SELECT id FROM {items} WHERE qty NOT IN (SELECT id FROM {groups})`, `IN (SELECT`, false},
	{"correlated scalar subquery", `SELECT g.id, (SELECT count(*) FROM {items} i WHERE i.grp = g.id), (SELECT max(i.name) FROM {items} i WHERE i.grp = g.id) FROM {groups} g`, `count(*)`, false},
	{"case", `SELECT id, CASE WHEN qty > 2 THEN 'big' WHEN qty IS NULL THEN 'none' ELSE 'small' END, CASE grp WHEN 1 THEN qty ELSE grp END FROM {items}`, `CASE`, false},
	{"case of mixed types", `SELECT id, CASE WHEN qty > 2 THEN price ELSE qty END FROM {items}`, "", false},
	{"sum of numerics", `SELECT grp, sum(price), count(price) FROM {items} GROUP BY grp`, `sum(t1."price")`, false},
	{"numeric against literals", `SELECT id, price FROM {items} WHERE price > 1.5 AND price <= 99999999.99`, `AS DECIMAL(2, 1)`, false},
	{"numeric in a literal list", `SELECT id, price FROM {items} WHERE price IN (1.50, 10.1, -2.25, 0)`, `IN (`, false},
	{"char(n) equal and in", `SELECT id, name, tag FROM {items_char} WHERE tag = 'x' OR name IN ('alpha', 'O''Brien')`, `"tag" = 'x'`, false},
	{"char(n) against a literal with trailing spaces", `SELECT id, name FROM {items_char} WHERE name = 'alpha   ' OR name < 'b  '`, "", false},
	{"char(n) ranges", `SELECT id, name FROM {items_char} WHERE name > 'O' AND name <= 'zeta'`, `"name" >`, false},
	{"char(n) grouped and ordered", `SELECT tag, count(*), count(DISTINCT name) FROM {items_char} GROUP BY tag ORDER BY tag NULLS FIRST`, `GROUP BY`, true},
	{"char(n) min and max keep the padding", `SELECT tag, min(name), max(name) FROM {items_char} GROUP BY tag`, "", false},
	{"char(n) ordered", `SELECT name, id FROM {items_char} ORDER BY name DESC NULLS LAST, id`, `ORDER BY`, true},
	{"char(n) as text", `SELECT id, name::text || '|', length(name::text) FROM {items_char}`, `||`, false},
}

// itemsChar declares items' names and tags as char(n): the Parquet file
// holds them as strings (one with a trailing space), PostgreSQL pads them.
const (
	itemsCharColumns = "id integer, name char(8), tag char(3), price numeric(10,2)"
	itemsCharPG      = "CREATE TABLE items_char AS SELECT id, name::char(8) AS name, tag::char(3) AS tag, price FROM items"
)

// TestFilesDifferential loads one data set into PostgreSQL and into
// Parquet and CSV files, and compares each query's answer through a files
// source with PostgreSQL's: first with both tables in Parquet files, then
// with items in Parquet and groups in CSV.
func TestFilesDifferential(t *testing.T) {
	testenv.RequirePostgres(t)
	_, ref := testenv.NewReferenceDB(t, "filesref")
	ctx := context.Background()
	srv := testenv.StartServer(t)
	root := filepath.Join(srv.DataDir, "lake") // files servers read below the data directory by default
	staging, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer staging.Close()
	duckExec := func(ctx context.Context, stmt string) error { _, err := staging.ExecContext(ctx, stmt); return err }
	if err := os.MkdirAll(filepath.Join(root, "csv"), 0o700); err != nil {
		t.Fatal(err)
	}
	for _, tb := range filesTables {
		for _, target := range []struct {
			exec testenv.Exec
			ddl  string
		}{{testenv.PostgresExec(ref), tb.pgDDL}, {duckExec, tb.duckDDL}} {
			if err := target.exec(ctx, target.ddl); err != nil {
				t.Fatalf("%s: %v", target.ddl, err)
			}
			if err := testenv.LoadRows(ctx, target.exec, tb.name, tb.columns, tb.rows); err != nil {
				t.Fatal(err)
			}
		}
		for _, copyTo := range []string{
			fmt.Sprintf("COPY %s TO '%s' (FORMAT parquet)", tb.name, filepath.Join(root, tb.name+".parquet")),
			fmt.Sprintf("COPY %s TO '%s' (FORMAT csv, HEADER true)", tb.name, filepath.Join(root, "csv", tb.name+".csv")),
		} {
			if _, err := staging.Exec(copyTo); err != nil {
				t.Fatalf("%s: %v", copyTo, err)
			}
		}
	}
	j := srv.Connect(t)
	mustExec(t, j, "CREATE SERVER lake FOREIGN DATA WRAPPER files OPTIONS (root '"+root+"')")
	mustExec(t, j, `CREATE FOREIGN TABLE lake.groups_csv (id integer, label text, region text) SERVER lake OPTIONS (filename 'csv/groups.csv', format 'csv', header 'true')`)
	mustExec(t, j, `CREATE FOREIGN TABLE lake.items_char (`+itemsCharColumns+`) SERVER lake OPTIONS (filename 'items.parquet')`)
	if _, err := ref.Exec(ctx, itemsCharPG); err != nil {
		t.Fatal(err)
	}

	for _, layout := range []struct{ name, items, groups string }{
		{"parquet", "lake.items", "lake.groups"},
		{"parquet and csv", "lake.items", "lake.groups_csv"},
	} {
		t.Run(layout.name, func(t *testing.T) {
			for _, q := range filesDifferentialQueries {
				t.Run(q.name, func(t *testing.T) {
					junctionSQL := strings.NewReplacer("{items}", layout.items, "{groups}", layout.groups, "{items_char}", "lake.items_char").Replace(q.sql)
					referenceSQL := strings.NewReplacer("{items}", "items", "{groups}", "groups", "{items_char}", "items_char").Replace(q.sql)
					testenv.Compare(t, j, ref, junctionSQL, referenceSQL, q.ordered)
					if q.pushed == "" {
						return
					}
					plan := strings.Join(column(query(t, j, "EXPLAIN "+junctionSQL), 0), "\n")
					if !strings.Contains(plan, q.pushed) {
						t.Errorf("%s is not pushed to DuckDB (want %q in the remote SQL):\n%s", q.name, q.pushed, plan)
					}
				})
			}
		})
	}

	// Overflow is an error in both.
	expectError(t, j, `SELECT big + big FROM lake.items`, "22003")
	if _, err := testenv.QueryText(ctx, ref, `SELECT big + big FROM items`); err == nil {
		t.Error("PostgreSQL did not overflow")
	}
}
