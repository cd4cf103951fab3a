package sqlite

import (
	"context"
	"database/sql"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/junction-db/junction/connectors"
	"github.com/junction-db/junction/connectors/internal/remotetest"
	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/types"
	"github.com/junction-db/junction/vector"
)

// newDatabase writes a SQLite file with the given statements and returns
// its path.
func newDatabase(t *testing.T, stmts ...string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "test.db")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	return path
}

func open(t *testing.T, options map[string]string) *Connector {
	t.Helper()
	c, err := connectors.Open(context.Background(), "sqlite", options)
	if err != nil {
		t.Fatalf("open %v: %v", options, err)
	}
	t.Cleanup(func() { c.Close() })
	return c.(*Connector)
}

var demoSchema = []string{
	`CREATE TABLE customers (
		id INTEGER PRIMARY KEY,
		name TEXT NOT NULL,
		email VARCHAR(100),
		balance DECIMAL(10,2),
		score REAL,
		active BOOLEAN,
		born DATE,
		created DATETIME,
		avatar BLOB,
		ref UUID,
		prefs JSON,
		misc
	)`,
	`INSERT INTO customers VALUES
		(1, 'Ann', 'ann@example.com', 19.9, 1.5, 1, '1990-05-17', '2024-01-31 12:30:00', x'00ff', 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11', '{"b":1}', 'x'),
		(2, 'bob', NULL, 1000, -0.25, 0, '2000-02-29', '2024-02-01T08:00:00.123456Z', NULL, x'a0eebc999c0b4ef8bb6d6bb9bd380a12', NULL, NULL),
		(3, 'Émile', 'e@x.org', NULL, NULL, 'true', NULL, '2024-03-01 10:00:00+02:00', x'', NULL, '[1, 2]', 'y')`,
	`CREATE TABLE orders (id INTEGER PRIMARY KEY AUTOINCREMENT, customer_id INT NOT NULL, amount NUMERIC, note)`,
	`INSERT INTO orders (customer_id, amount, note) VALUES (1, 10, 'first'), (1, 2.5, 'second'), (2, 7, NULL)`,
	`CREATE VIEW order_totals AS SELECT customer_id, count(*) AS n, sum(amount) AS total FROM orders GROUP BY customer_id`,
}

func TestDiscoverMapsSQLiteTypes(t *testing.T) {
	path := newDatabase(t, demoSchema...)
	c := open(t, map[string]string{"path": path})
	d, err := c.Discover(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if d.DefaultSchema != "" {
		t.Errorf("default schema %q, want empty", d.DefaultSchema)
	}
	got := map[string]connectors.Table{}
	for _, tb := range d.Tables {
		got[tb.Name] = tb
	}
	if _, ok := got["sqlite_sequence"]; ok || len(got) != 3 {
		t.Errorf("tables %v: want customers, orders, order_totals without SQLite's own tables", d.Tables)
	}
	want := map[string][]string{
		"customers": {"id bigint not null", "name text not null", "email text", "balance numeric(10,2)",
			"score double precision", "active boolean", "born date", "created timestamp without time zone",
			"avatar bytea", "ref uuid", "prefs json", "misc text"},
		"orders":       {"id bigint not null", "customer_id bigint not null", "amount numeric", "note text"},
		"order_totals": {"customer_id bigint", "n bigint", "total double precision"},
	}
	for name, cols := range want {
		tb := got[name]
		var desc []string
		for _, c := range tb.Columns {
			s := c.Name + " " + c.Type.String()
			if !c.Nullable {
				s += " not null"
			}
			desc = append(desc, s)
		}
		if strings.Join(desc, ", ") != strings.Join(cols, ", ") {
			t.Errorf("%s columns:\n got %s\nwant %s", name, strings.Join(desc, ", "), strings.Join(cols, ", "))
		}
		if tb.Schema != "" || tb.RowEstimate != -1 {
			t.Errorf("%s: schema %q, row estimate %d; want empty and -1 before ANALYZE", name, tb.Schema, tb.RowEstimate)
		}
	}
	if !got["order_totals"].IsView || got["orders"].IsView {
		t.Error("order_totals must be a view and orders a table")
	}
	if got["customers"].Columns[3].NativeType != "DECIMAL(10,2)" {
		t.Errorf("native type %q", got["customers"].Columns[3].NativeType)
	}
}

func TestDiscoverRowEstimatesAndBrokenViews(t *testing.T) {
	path := newDatabase(t, append(demoSchema,
		"CREATE TABLE gone (x)", "CREATE VIEW broken AS SELECT x FROM gone", "DROP TABLE gone",
		"CREATE INDEX orders_customer ON orders (customer_id)", "ANALYZE")...)
	c := open(t, map[string]string{"path": path})
	d, err := c.Discover(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, tb := range d.Tables {
		switch tb.Name {
		case "orders":
			if tb.RowEstimate != 3 {
				t.Errorf("orders row estimate %d, want 3 from sqlite_stat1", tb.RowEstimate)
			}
		case "broken", "sqlite_stat1":
			t.Errorf("%s must not be listed", tb.Name)
		}
	}
}

func TestDeclaredTypeFollowsAffinityRules(t *testing.T) {
	for declared, want := range map[string]string{
		"INTEGER": "bigint", "int": "bigint", "TINYINT": "bigint", "BIGINT UNSIGNED": "bigint", "POINT": "bigint",
		"VARCHAR(20)": "text", "NCHAR(5)": "text", "CLOB": "text", "text": "text",
		"BLOB": "bytea", "REAL": "double precision", "FLOAT": "double precision", "DOUBLE PRECISION": "double precision",
		"NUMERIC": "numeric", "DECIMAL(5, 2)": "numeric(5,2)", "NUMERIC(7)": "numeric(7,0)", "DECIMAL(2000,1)": "numeric",
		"BOOLEAN": "boolean", "bool": "boolean", "DATE": "date", "DATETIME": "timestamp without time zone",
		"TIMESTAMP": "timestamp without time zone", "TIMESTAMP WITH TIME ZONE": "timestamp with time zone",
		"timestamptz": "timestamp with time zone", "TIME": "time without time zone", "UUID": "uuid",
		"JSON": "json", "MONEY": "numeric", "STRING": "numeric",
	} {
		got, typed := declaredType(declared)
		if got.String() != want || !typed {
			t.Errorf("declared %q: got %s, want %s", declared, got, want)
		}
	}
	if _, typed := declaredType(""); typed {
		t.Error("a column without a declared type must be typed from its values")
	}
}

func TestQueryDecodesValues(t *testing.T) {
	path := newDatabase(t, demoSchema...)
	c := open(t, map[string]string{"path": path})
	cols := []types.Type{types.TInt8, types.TText, types.TText, {Kind: types.Numeric, Precision: 10, Scale: 2},
		types.TFloat8, types.TBool, types.TDate, types.TTimestamp, types.TBytea, types.TUUID, types.TJSON, types.TText}
	got := remotetest.QueryText(t, c, "SELECT * FROM customers ORDER BY id", cols...)
	want := [][]string{
		{"1", "Ann", "ann@example.com", "19.90", "1.5", "t", "1990-05-17", "2024-01-31 12:30:00", `\x00ff`,
			"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", `{"b":1}`, "x"},
		{"2", "bob", "NULL", "1000.00", "-0.25", "f", "2000-02-29", "2024-02-01 08:00:00.123456", "NULL",
			"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a12", "NULL", "NULL"},
		{"3", "Émile", "e@x.org", "NULL", "NULL", "t", "NULL", "2024-03-01 10:00:00", `\x`, "NULL", "[1, 2]", "y"},
	}
	if strings.Join(flatten(got), "|") != strings.Join(flatten(want), "|") {
		t.Errorf("rows:\n got %q\nwant %q", got, want)
	}
	// A timestamptz reads the offset; the aggregate of a view and an
	// expression without a declared type decode by the planner's types.
	got = remotetest.QueryText(t, c, "SELECT created, 1 + 1, 0.5 * 3 FROM customers WHERE id = 3",
		types.TTimestampTZ, types.TInt4, types.TNumeric)
	if strings.Join(got[0], "|") != "2024-03-01 08:00:00+00|2|1.5" {
		t.Errorf("timestamptz and expressions: %q", got)
	}
	got = remotetest.QueryText(t, c, "SELECT customer_id, n, total FROM order_totals ORDER BY 1",
		types.TInt8, types.TInt8, types.TNumeric)
	if strings.Join(flatten(got), "|") != "1|2|12.5|2|1|7" {
		t.Errorf("view: %q", got)
	}
}

func flatten(rows [][]string) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r...)
	}
	return out
}

func TestQueryReportsValuesOfTheWrongType(t *testing.T) {
	path := newDatabase(t, "CREATE TABLE t (id INTEGER, qty INTEGER, day DATE)",
		"INSERT INTO t VALUES (1, 5, '2024-01-01'), (2, 'abc', '2024-01-02'), (3, 7, 20240103), (4, 9e99, NULL), (5, 1, '0000-01-01')")
	c := open(t, map[string]string{"path": path})
	for _, tc := range []struct {
		sql, code, inDetail string
		cols                []types.Type
	}{
		{"SELECT id, qty FROM t WHERE id <= 2", pgerr.InvalidTextRep, `Result column 2 ("qty")`, []types.Type{types.TInt8, types.TInt8}},
		{"SELECT day FROM t WHERE id = 3", pgerr.InvalidTextRep, "the integer 20240103", []types.Type{types.TDate}},
		{"SELECT qty FROM t WHERE id = 4", pgerr.NumericOutOfRange, "the real 9e+99", []types.Type{types.TInt8}},
		{"SELECT day FROM t WHERE id = 5", pgerr.DatetimeFieldOverflow, "0000-01-01", []types.Type{types.TDate}},
		{"SELECT qty FROM t WHERE id = 1", "", "", []types.Type{types.TInt2}},
	} {
		_, err := remotetest.TryQueryText(c, tc.sql, tc.cols...)
		if tc.code == "" {
			if err != nil {
				t.Errorf("%s: %v", tc.sql, err)
			}
			continue
		}
		pe := pgerr.As(err)
		if err == nil || pe.Code != tc.code || !strings.Contains(pe.Detail, tc.inDetail) || !strings.Contains(pe.Detail, path) {
			t.Errorf("%s: got %v (code %s, detail %q); want code %s, detail naming the source and %q",
				tc.sql, err, pe.Code, pe.Detail, tc.code, tc.inDetail)
		}
	}
	if _, err := remotetest.TryQueryText(c, "SELECT qty FROM t WHERE id = 1", types.TInt8, types.TInt8); pgerr.Code(err) != pgerr.FDWError {
		t.Errorf("a result with fewer columns than expected: %v", err)
	}
}

func TestQueryBatchesAndCloseStopsTheQuery(t *testing.T) {
	path := newDatabase(t, "CREATE TABLE n (i INTEGER)",
		"WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 10000) INSERT INTO n SELECT i FROM s")
	c := open(t, map[string]string{"path": path, "max_connections": "1"})
	ctx := context.Background()
	rows, err := c.Query(ctx, "SELECT i FROM n ORDER BY i", []types.Type{types.TInt8})
	if err != nil {
		t.Fatal(err)
	}
	sizes, sum := remotetest.BatchSizes(t, rows)
	rows.Close()
	if len(sizes) != 3 || sizes[0] != vector.BatchSize || sizes[2] != 10000-2*vector.BatchSize || sum != 50005000 {
		t.Errorf("batches %v, sum %d", sizes, sum)
	}

	// An endless query stops when its rows are closed, and its connection
	// (the only one) serves the next query.
	endless := "WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s) SELECT i FROM s"
	rows, err = c.Query(ctx, endless, []types.Type{types.TInt8})
	if err != nil {
		t.Fatal(err)
	}
	if b, err := rows.Next(); err != nil || b.Len != vector.BatchSize {
		t.Fatalf("first batch of endless query: %v", err)
	}
	rows.Close()
	if b, err := rows.Next(); b != nil || err != nil {
		t.Errorf("Next after Close: %v, %v", b, err)
	}
	got := remotetest.QueryText(t, c, "SELECT count(*) FROM n", types.TInt8)
	if got[0][0] != "10000" {
		t.Errorf("count after close: %v", got)
	}
}

func TestStatementTimeoutAndCancel(t *testing.T) {
	path := newDatabase(t, "CREATE TABLE t (x)")
	c := open(t, map[string]string{"path": path, "statement_timeout": "100ms"})
	endless := "WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s) SELECT count(*) FROM s"
	start := time.Now()
	_, err := remotetest.TryQueryText(c, endless, types.TInt8)
	if pgerr.Code(err) != pgerr.QueryCanceled || !strings.Contains(err.Error(), "statement timeout") || time.Since(start) > 5*time.Second {
		t.Errorf("statement_timeout: %v after %s", err, time.Since(start))
	}

	c = open(t, map[string]string{"path": path})
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	start = time.Now()
	rows, err := c.Query(ctx, endless, []types.Type{types.TInt8})
	if err == nil {
		_, err = rows.Next()
		rows.Close()
	}
	if pgerr.Code(err) != pgerr.QueryCanceled || time.Since(start) > 5*time.Second {
		t.Errorf("cancel: %v after %s", err, time.Since(start))
	}
}

func TestOpenIsReadOnlyAndChecksTheFile(t *testing.T) {
	ctx := context.Background()
	missing := filepath.Join(t.TempDir(), "missing.db")
	_, err := connectors.Open(ctx, "sqlite", map[string]string{"path": missing})
	if pgerr.Code(err) != pgerr.FDWUnableToConnect || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("missing file: %v", err)
	}
	if _, statErr := os.Stat(missing); !os.IsNotExist(statErr) {
		t.Error("opening a missing file must not create it")
	}
	notDB := filepath.Join(t.TempDir(), "notes.txt")
	if err := os.WriteFile(notDB, []byte(strings.Repeat("not a database ", 100)), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := connectors.Open(ctx, "sqlite", map[string]string{"path": notDB}); pgerr.Code(err) != pgerr.FDWUnableToConnect {
		t.Errorf("file that is not a database: %v", err)
	}

	path := newDatabase(t, "CREATE TABLE t (x INTEGER)", "INSERT INTO t VALUES (1)")
	for _, wrapper := range []string{"sqlite_fdw", "sqlite3"} {
		c, err := connectors.Open(ctx, wrapper, map[string]string{"database": path})
		if err != nil {
			t.Fatalf("wrapper %s with option database: %v", wrapper, err)
		}
		c.Close()
	}
	c := open(t, map[string]string{"dbname": path})
	if err := c.Ping(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := remotetest.TryQueryText(c, "DELETE FROM t RETURNING x", types.TInt8); err == nil || !strings.Contains(err.Error(), "readonly") {
		t.Errorf("a write must fail on the read-only connection, got %v", err)
	}
	if got := remotetest.QueryText(t, c, "SELECT count(*) FROM t", types.TInt8); got[0][0] != "1" {
		t.Errorf("the row must still be there: %v", got)
	}
}

func TestOpenRejectsBadOptions(t *testing.T) {
	path := newDatabase(t, "CREATE TABLE t (x)")
	other := newDatabase(t, "CREATE TABLE u (x)")
	for _, tc := range []struct {
		options map[string]string
		code    string
	}{
		{map[string]string{}, pgerr.InvalidParameterValue},
		{map[string]string{"path": path, "host": "localhost"}, pgerr.FDWInvalidOptionName},
		{map[string]string{"path": path, "dbname": other}, pgerr.InvalidParameterValue},
		{map[string]string{"path": path, "max_connections": "0"}, pgerr.InvalidParameterValue},
		{map[string]string{"path": path, "statement_timeout": "soon"}, pgerr.InvalidParameterValue},
	} {
		if _, err := Open(context.Background(), tc.options); pgerr.Code(err) != tc.code {
			t.Errorf("options %v: got %v, want SQLSTATE %s", tc.options, err, tc.code)
		}
	}
}

// TestNumericInfinity reads SQLite's infinite REALs in a numeric column
// as numeric's infinities, which numeric(p,s) cannot hold.
func TestNumericInfinity(t *testing.T) {
	for _, c := range []struct {
		t    types.Type
		in   float64
		want string
	}{
		{types.TNumeric, math.Inf(1), "Infinity"},
		{types.TNumeric, math.Inf(-1), "-Infinity"},
		{types.Type{Kind: types.Numeric, Precision: 5, Scale: 2}, math.Inf(1), "ERR"},
	} {
		v := vector.New(c.t, 1)
		err := appendNumeric(v, c.in)
		got := "ERR"
		if err == nil {
			got = types.FormatText(c.t, v.Datum(0))
		}
		if got != c.want {
			t.Errorf("%v as %s: %s (%v), want %s", c.in, c.t, got, err, c.want)
		}
	}
}
