package postgres

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/junction-db/junction/connectors"
	"github.com/junction-db/junction/connectors/internal/remotetest"
	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/types"
	"github.com/junction-db/junction/vector"
)

func openSource(t *testing.T, db string, extra map[string]string) *Connector {
	t.Helper()
	opts := map[string]string{"host": "127.0.0.1", "port": "5432", "user": "root", "dbname": db}
	for k, v := range extra {
		opts[k] = v
	}
	c, err := connectors.Open(context.Background(), "postgres_fdw", opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c.(*Connector)
}

var allTypesSetup = []string{
	`CREATE TYPE mood AS ENUM ('sad', 'happy')`,
	`CREATE DOMAIN posint AS int4 CHECK (VALUE > 0)`,
	`CREATE TABLE all_types (
		id int PRIMARY KEY, b bool, i2 int2, i4 int4, i8 int8, f4 float4, f8 float8,
		n numeric(10,2), nu numeric, t text, vc varchar(10), c char(5), nm name, by bytea,
		d date, tm time(3), ts timestamp, tstz timestamptz, iv interval, j json, jb jsonb,
		u uuid, o oid, arr int[], en mood, dom posint NOT NULL DEFAULT 1, ch "char")`,
	`INSERT INTO all_types VALUES (1, true, -32768, 2147483647, 9223372036854775807, 3.1415927, 0.1,
		12.34, 123456789.000000001, 'héllo', 'abc', 'ab', 'nm', '\xdead', '2024-02-29', '23:59:59.123',
		'2024-01-02 03:04:05.123456', '2024-01-02 05:04:05.123456+02', '1 year 2 months 3 days 04:05:06',
		'{"a": [1, 2]}', '{"b": 1, "a": 2}', 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11', 4000000000,
		'{1,2}', 'happy', 7, 'x')`,
	`INSERT INTO all_types (id) VALUES (2)`,
	`CREATE VIEW v AS SELECT id, t FROM all_types`,
	`CREATE SCHEMA other`,
	`CREATE TABLE other."Mixed Case" (a int NOT NULL)`,
	`ANALYZE`,
}

func TestDiscoverMapsTypes(t *testing.T) {
	c := openSource(t, remotetest.PostgresDB(t, allTypesSetup...), nil)
	d, err := c.Discover(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if d.DefaultSchema != "public" {
		t.Fatalf("default schema %q", d.DefaultSchema)
	}
	tables := map[string]connectors.Table{}
	for _, tb := range d.Tables {
		tables[tb.Schema+"."+tb.Name] = tb
	}
	all, ok := tables["public.all_types"]
	if !ok {
		t.Fatalf("all_types not discovered: %v", d.Tables)
	}
	want := []string{
		"id integer", "b boolean", "i2 smallint", "i4 integer", "i8 bigint", "f4 real",
		"f8 double precision", "n numeric(10,2)", "nu numeric", "t text", "vc character varying(10)",
		"c character(5)", "nm name", "by bytea", "d date", "tm time(3) without time zone",
		"ts timestamp without time zone", "tstz timestamp with time zone", "iv interval", "j json",
		"jb jsonb", "u uuid", "o oid", "arr integer[]", "en text", "dom integer", `ch "char"`,
	}
	var got []string
	for _, col := range all.Columns {
		got = append(got, col.Name+" "+col.Type.String())
	}
	if strings.Join(got, ", ") != strings.Join(want, ", ") {
		t.Fatalf("columns:\n got %v\nwant %v", got, want)
	}
	if all.Columns[0].Nullable || !all.Columns[1].Nullable || all.Columns[25].Nullable {
		t.Errorf("nullability: id %v, b %v, dom %v", all.Columns[0].Nullable, all.Columns[1].Nullable, all.Columns[25].Nullable)
	}
	if all.Columns[23].NativeType != "integer[]" || all.Columns[24].NativeType != "mood" {
		t.Errorf("native types: %q, %q", all.Columns[23].NativeType, all.Columns[24].NativeType)
	}
	if all.RowEstimate != 2 || all.IsView {
		t.Errorf("all_types: estimate %d, view %v", all.RowEstimate, all.IsView)
	}
	if v := tables["public.v"]; !v.IsView || v.RowEstimate != -1 || len(v.Columns) != 2 {
		t.Errorf("view v: %+v", v)
	}
	if m, ok := tables["other.Mixed Case"]; !ok || m.Columns[0].Nullable {
		t.Errorf("other.\"Mixed Case\": %+v", m)
	}
	for name := range tables {
		if strings.HasPrefix(name, "pg_catalog.") || strings.HasPrefix(name, "information_schema.") {
			t.Errorf("system table %s discovered", name)
		}
	}
}

func TestQueryDecodesEveryType(t *testing.T) {
	c := openSource(t, remotetest.PostgresDB(t, allTypesSetup...), nil)
	d, err := c.Discover(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var cols []types.Type
	var names []string
	for _, tb := range d.Tables {
		if tb.Name == "all_types" {
			for _, col := range tb.Columns {
				cols = append(cols, col.Type)
				names = append(names, c.Dialect().QuoteIdent(col.Name))
			}
		}
	}
	rows := remotetest.QueryText(t, c, "SELECT "+strings.Join(names, ", ")+" FROM all_types ORDER BY id", cols...)
	want := []string{
		"1", "t", "-32768", "2147483647", "9223372036854775807", "3.1415927", "0.1", "12.34",
		"123456789.000000001", "héllo", "abc", "ab   ", "nm", `\xdead`, "2024-02-29", "23:59:59.123",
		"2024-01-02 03:04:05.123456", "2024-01-02 03:04:05.123456+00", "1 year 2 mons 3 days 04:05:06",
		`{"a": [1, 2]}`, `{"a": 2, "b": 1}`, "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "4000000000",
		"{1,2}", "happy", "7", "x",
	}
	if len(rows) != 2 {
		t.Fatalf("%d rows", len(rows))
	}
	for i, w := range want {
		if rows[0][i] != w {
			t.Errorf("column %s: got %q, want %q", names[i], rows[0][i], w)
		}
	}
	for i, v := range rows[1] {
		if i != 0 && i != 25 && v != "NULL" {
			t.Errorf("row 2 column %s: got %q, want NULL", names[i], v)
		}
	}
}

func TestQueryDecodesIntoThePlannersType(t *testing.T) {
	c := openSource(t, remotetest.PostgresDB(t, allTypesSetup...), nil)
	rows := remotetest.QueryText(t, c, `SELECT sum(i4), count(*), avg(i2), i4, n, '' FROM all_types GROUP BY i4, n ORDER BY i4 NULLS LAST`,
		types.TInt8, types.TInt8, types.TNumeric, types.TInt8, types.TFloat8, types.TText)
	want := "[[2147483647 1 -32768.000000000000 2147483647 12.34 ] [NULL 1 NULL NULL NULL ]]"
	if fmt.Sprint(rows) != want {
		t.Fatalf("got %v\nwant %v", rows, want)
	}
}

func TestQueryStreamsBatches(t *testing.T) {
	c := openSource(t, remotetest.PostgresDB(t), nil)
	rows, err := c.Query(context.Background(), "SELECT g FROM generate_series(1, 10000) g", []types.Type{types.TInt4})
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	sizes, sum := remotetest.BatchSizes(t, rows)
	if fmt.Sprint(sizes) != "[4096 4096 1808]" || sum != 50005000 {
		t.Fatalf("batches %v, sum %d", sizes, sum)
	}
}

func TestQueryErrors(t *testing.T) {
	c := openSource(t, remotetest.PostgresDB(t), nil)
	ctx := context.Background()
	cases := []struct {
		sql  string
		cols []types.Type
		code string
	}{
		{"SELECT 1/0", []types.Type{types.TInt4}, pgerr.DivisionByZero},
		{"SELECT * FROM missing", []types.Type{types.TInt4}, pgerr.UndefinedTable},
		{"SELECT 1, 2", []types.Type{types.TInt4}, pgerr.FDWError},
		{"SELECT 'abc'", []types.Type{types.TInt4}, pgerr.InvalidTextRep},
	}
	for _, tc := range cases {
		rows, err := c.Query(ctx, tc.sql, tc.cols)
		if err == nil {
			_, err = rows.Next()
			rows.Close()
		}
		if pgerr.Code(err) != tc.code {
			t.Errorf("%s: got %v (%s), want %s", tc.sql, err, pgerr.Code(err), tc.code)
		}
	}
	// The pool is still usable after errors.
	if got := remotetest.QueryText(t, c, "SELECT 1", types.TInt4); fmt.Sprint(got) != "[[1]]" {
		t.Fatalf("after errors: %v", got)
	}
}

func TestOpenErrors(t *testing.T) {
	db := remotetest.PostgresDB(t)
	ctx := context.Background()
	const secret = "pw-s3cret'\\x"

	_, err := Open(ctx, map[string]string{"host": "127.0.0.1", "port": "5432", "user": "no_such_role", "password": secret, "dbname": db})
	if code := pgerr.Code(err); code != pgerr.InvalidAuthorization && code != pgerr.InvalidPassword {
		t.Errorf("unknown role: got %v (%s), want 28000 or 28P01", err, code)
	}
	if err != nil && (strings.Contains(err.Error(), secret) || !strings.Contains(err.Error(), "127.0.0.1:5432/"+db)) {
		t.Errorf("unknown role message leaks the password or misses the endpoint: %v", err)
	}

	_, err = Open(ctx, map[string]string{"host": "127.0.0.1", "port": "5432", "user": "root", "dbname": "no_such_db_" + db})
	if pgerr.Code(err) != pgerr.FDWUnableToConnect || !strings.Contains(err.Error(), "no_such_db_") {
		t.Errorf("unknown database: got %v (%s), want 08001 naming it", err, pgerr.Code(err))
	}

	start := time.Now()
	_, err = Open(ctx, map[string]string{"host": "127.0.0.1", "port": "1", "user": "root", "password": secret, "dbname": db})
	if pgerr.Code(err) != pgerr.FDWUnableToConnect || !strings.Contains(err.Error(), "127.0.0.1:1/") || strings.Contains(err.Error(), secret) {
		t.Errorf("closed port: got %v (%s), want 08001 naming 127.0.0.1:1", err, pgerr.Code(err))
	}
	if elapsed := time.Since(start); elapsed > 3*time.Second {
		t.Errorf("closed port took %v to fail", elapsed)
	}

	_, err = Open(ctx, map[string]string{"host": "127.0.0.1", "dbname": db, "sslmod": "disable"})
	if pgerr.Code(err) != pgerr.FDWInvalidOptionName {
		t.Errorf("misspelt option: got %v (%s), want HV00D", err, pgerr.Code(err))
	}

	c := openSource(t, db, map[string]string{"schema": "nowhere"})
	if _, err := c.Discover(ctx); pgerr.Code(err) != pgerr.UndefinedSchema {
		t.Errorf("missing default schema: got %v, want 3F000", err)
	}
}

// activeQueries counts the sessions running a query that contains marker.
func activeQueries(t *testing.T, c *Connector, marker string) int {
	t.Helper()
	var n int
	err := c.pool.QueryRow(context.Background(),
		"SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%' || $1 || '%' AND pid <> pg_backend_pid()", marker).Scan(&n)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestCancelStopsTheRemoteQuery(t *testing.T) {
	c := openSource(t, remotetest.PostgresDB(t), nil)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(300*time.Millisecond, cancel)
	start := time.Now()
	rows, err := c.Query(ctx, "SELECT pg_sleep(30) /* cancel-marker */", []types.Type{types.TText})
	if err == nil {
		_, err = rows.Next()
		rows.Close()
	}
	if pgerr.Code(err) != pgerr.QueryCanceled {
		t.Fatalf("got %v (%s), want 57014", err, pgerr.Code(err))
	}
	if elapsed := time.Since(start); elapsed > 3*time.Second {
		t.Fatalf("cancel took %v", elapsed)
	}
	deadline := time.Now().Add(2 * time.Second)
	for activeQueries(t, c, "cancel-marker") > 0 {
		if time.Now().After(deadline) {
			t.Fatal("the remote query still runs after the cancel")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestStatementTimeout(t *testing.T) {
	c := openSource(t, remotetest.PostgresDB(t), map[string]string{"statement_timeout": "200ms"})
	rows, err := c.Query(context.Background(), "SELECT pg_sleep(5)", []types.Type{types.TText})
	if err == nil {
		_, err = rows.Next()
		rows.Close()
	}
	if pgerr.Code(err) != pgerr.QueryCanceled || !strings.Contains(err.Error(), "statement timeout") {
		t.Fatalf("got %v (%s), want 57014 statement timeout", err, pgerr.Code(err))
	}
}

func TestPoolIsBoundedAndCloseReleases(t *testing.T) {
	c := openSource(t, remotetest.PostgresDB(t), map[string]string{"max_connections": "1"})
	ctx := context.Background()
	held, err := c.Query(ctx, "SELECT 1", []types.Type{types.TInt4})
	if err != nil {
		t.Fatal(err)
	}
	short, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancel()
	if _, err := c.Query(short, "SELECT 2", []types.Type{types.TInt4}); pgerr.Code(err) != pgerr.QueryCanceled {
		t.Fatalf("second query on a pool of one: got %v, want 57014 after waiting for a connection", err)
	}
	held.Close()
	if got := remotetest.QueryText(t, c, "SELECT 3", types.TInt4); fmt.Sprint(got) != "[[3]]" {
		t.Fatalf("after Close: %v", got)
	}
}

func TestEarlyCloseStopsTheRemoteQuery(t *testing.T) {
	c := openSource(t, remotetest.PostgresDB(t), map[string]string{"max_connections": "1"})
	rows, err := c.Query(context.Background(),
		"SELECT a.x * 10000 + b.x /* early-close-marker */ FROM generate_series(1, 10000) a(x), generate_series(1, 10000) b(x)",
		[]types.Type{types.TInt8})
	if err != nil {
		t.Fatal(err)
	}
	if b, err := rows.Next(); err != nil || b == nil || b.Len != vector.BatchSize {
		t.Fatalf("first batch: %v, %v", b, err)
	}
	start := time.Now()
	rows.Close()
	if elapsed := time.Since(start); elapsed > 2*time.Second {
		t.Fatalf("closing after one batch of 10^8 rows took %v", elapsed)
	}
	if n := activeQueries(t, c, "early-close-marker"); n > 0 {
		t.Fatal("the remote query still runs after Close")
	}
}

// TestStatementTimeoutReachesTheServer checks that a statement's timeout,
// plus the grace, is set on the connection that runs it when tighter than
// the source's own, and that the source's is back for the statements
// without one.
func TestStatementTimeoutReachesTheServer(t *testing.T) {
	c := openSource(t, remotetest.PostgresDB(t), map[string]string{"statement_timeout": "10", "max_connections": "1"})
	show := func(ctx context.Context) string {
		t.Helper()
		rows, err := c.Query(ctx, "SHOW statement_timeout", []types.Type{types.TText})
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		b, err := rows.Next()
		if err != nil || b == nil {
			t.Fatalf("SHOW statement_timeout: %v", err)
		}
		return b.Cols[0].Datum(0).Str
	}
	ctx := context.Background()
	if got := show(ctx); got != "10s" {
		t.Fatalf("the source's statement_timeout is %q, want 10s", got)
	}
	bounded := connectors.WithStatementTimeout(ctx, 300*time.Millisecond)
	if got := show(bounded); got != "1300ms" {
		t.Fatalf("a statement with a 300ms timeout runs under %q, want 1300ms", got)
	}
	// Only the server ends this one: ctx has no deadline.
	start := time.Now()
	rows, err := c.Query(bounded, "SELECT pg_sleep(5)", []types.Type{types.TText})
	if err == nil {
		_, err = rows.Next()
		rows.Close()
	}
	if pgerr.Code(err) != pgerr.QueryCanceled || !strings.Contains(err.Error(), "statement timeout") {
		t.Fatalf("pg_sleep(5) under a 300ms timeout: %v", err)
	}
	if elapsed := time.Since(start); elapsed > 4*time.Second {
		t.Fatalf("the server ended pg_sleep(5) only after %s", elapsed)
	}
	if got := show(connectors.WithStatementTimeout(ctx, time.Minute)); got != "10s" {
		t.Fatalf("a statement allowed a minute runs under %q, want the source's tighter 10s", got)
	}
	if got := show(ctx); got != "10s" {
		t.Fatalf("a statement without a timeout runs under %q, want the source's 10s", got)
	}
}
