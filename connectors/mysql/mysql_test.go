package mysql

import (
	"context"
	"fmt"
	"sort"
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
	opts := map[string]string{"host": "127.0.0.1", "port": "3306", "user": "root", "dbname": db}
	for k, v := range extra {
		opts[k] = v
	}
	c, err := connectors.Open(context.Background(), "mariadb", opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c.(*Connector)
}

var allTypesSetup = []string{
	`CREATE TABLE all_types (
		id int NOT NULL PRIMARY KEY, b1 tinyint(1), ti tinyint, tiu tinyint unsigned, si smallint,
		siu smallint unsigned, mi mediumint, i int, iu int unsigned, bi bigint, biu bigint unsigned,
		d decimal(10,2), f float, db double, bt1 bit(1), bt5 bit(5), bt64 bit(64), c char(5),
		vc varchar(10), tx text, lt longtext, bin binary(4), vb varbinary(10), bl blob, dt date,
		dtm datetime(6), ts timestamp(3) NULL, tm time, y year, e enum('a','b'), st set('x','y'),
		j json, u uuid)`,
	`SET time_zone = '+02:00'`,
	`INSERT INTO all_types VALUES (1, 2, -128, 255, -32768, 65535, -8388608, -2147483648, 4294967295,
		-9223372036854775808, 18446744073709551615, 12.34, 16777216, 0.1, b'1', b'10101',
		b'1111111111111111111111111111111111111111111111111111111111111111', 'ab', 'abc ', 'héllo',
		'long', 'ab', 'x', 'blob', '2024-02-29', '2024-01-02 03:04:05.123456', '2024-01-02 03:04:05.123',
		'23:59:59', 2024, 'b', 'x,y', '{"a": [1, 2]}', '123E4567-E89B-12D3-A456-426614174000')`,
	`INSERT INTO all_types (id) VALUES (2)`,
	`CREATE VIEW v AS SELECT id, vc FROM all_types`,
	`ANALYZE TABLE all_types`,
}

func allTypesColumns(t *testing.T, c *Connector) ([]string, []types.Type) {
	t.Helper()
	d, err := c.Discover(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, tb := range d.Tables {
		if tb.Name == "all_types" {
			var names []string
			var cols []types.Type
			for _, col := range tb.Columns {
				names = append(names, col.Name)
				cols = append(cols, col.Type)
			}
			return names, cols
		}
	}
	t.Fatal("all_types not discovered")
	return nil, nil
}

func TestDiscoverMapsTypes(t *testing.T) {
	db := remotetest.MySQLDB(t, allTypesSetup...)
	c := openSource(t, db, nil)
	d, err := c.Discover(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if d.DefaultSchema != db {
		t.Errorf("default schema %q, want %q", d.DefaultSchema, db)
	}
	tables := map[string]connectors.Table{}
	for _, tb := range d.Tables {
		tables[tb.Name] = tb
	}
	all := tables["all_types"]
	want := []string{
		"id integer", "b1 boolean", "ti smallint", "tiu smallint", "si smallint", "siu integer",
		"mi integer", "i integer", "iu bigint", "bi bigint", "biu numeric(20,0)", "d numeric(10,2)",
		"f real", "db double precision", "bt1 boolean", "bt5 bytea", "bt64 bytea",
		"c character(5)", "vc character varying(10)", "tx text", "lt text", "bin bytea", "vb bytea",
		"bl bytea", "dt date", "dtm timestamp without time zone", "ts timestamp with time zone",
		"tm time without time zone", "y integer", "e text", "st text", "j json", "u uuid",
	}
	var got []string
	for _, col := range all.Columns {
		got = append(got, col.Name+" "+col.Type.String())
	}
	if strings.Join(got, ", ") != strings.Join(want, ", ") {
		t.Fatalf("columns:\n got %v\nwant %v", got, want)
	}
	if all.Columns[0].Nullable || !all.Columns[1].Nullable {
		t.Errorf("nullability: id %v, b1 %v", all.Columns[0].Nullable, all.Columns[1].Nullable)
	}
	if all.Columns[1].NativeType != "tinyint(1)" || all.Columns[10].NativeType != "bigint(20) unsigned" || all.Columns[31].NativeType != "json" {
		t.Errorf("native types: %q %q %q", all.Columns[1].NativeType, all.Columns[10].NativeType, all.Columns[31].NativeType)
	}
	if all.RowEstimate < 0 || all.IsView {
		t.Errorf("all_types: estimate %d, view %v", all.RowEstimate, all.IsView)
	}
	if v := tables["v"]; !v.IsView || v.RowEstimate != -1 || len(v.Columns) != 2 {
		t.Errorf("view v: %+v", v)
	}
}

func TestDiscoverSchemasOption(t *testing.T) {
	main := remotetest.MySQLDB(t, `CREATE TABLE a (x int)`)
	other := remotetest.MySQLDB(t, "CREATE TABLE `b``q` (y varchar(3) NOT NULL)")
	c := openSource(t, main, map[string]string{"schemas": other + ", " + main})
	d, err := c.Discover(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, tb := range d.Tables {
		got = append(got, tb.Schema+"."+tb.Name)
	}
	want := []string{main + ".a", other + ".b`q"}
	sort.Strings(got)
	sort.Strings(want)
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("tables %v, want %v", got, want)
	}

	c = openSource(t, main, map[string]string{"schemas": "no_such_database_x"})
	if _, err := c.Discover(context.Background()); pgerr.Code(err) != pgerr.UndefinedSchema || !strings.Contains(err.Error(), "no_such_database_x") {
		t.Fatalf("missing database: got %v, want 3F000 naming it", err)
	}
}

// TestQueryDecodesEveryType reads every type through both protocols: the
// text protocol, and the binary one that a real (float4) column selects.
func TestQueryDecodesEveryType(t *testing.T) {
	c := openSource(t, remotetest.MySQLDB(t, allTypesSetup...), nil)
	names, cols := allTypesColumns(t, c)
	want := []string{
		"1", "t", "-128", "255", "-32768", "65535", "-8388608", "-2147483648", "4294967295",
		"-9223372036854775808", "18446744073709551615", "12.34", "1.6777216e+07", "0.1", "t", `\x15`,
		`\xffffffffffffffff`, "ab   ", "abc ", "héllo", "long", `\x61620000`, `\x78`, `\x626c6f62`,
		"2024-02-29", "2024-01-02 03:04:05.123456", "2024-01-02 01:04:05.123+00", "23:59:59", "2024",
		"b", "x,y", `{"a": [1, 2]}`, "123e4567-e89b-12d3-a456-426614174000",
	}
	for _, binary := range []bool{true, false} {
		var selected []string
		var selectedCols []types.Type
		var selectedWant []string
		for i, n := range names {
			if cols[i].Kind != types.Float4 || binary {
				selected = append(selected, c.Dialect().QuoteIdent(n))
				selectedCols = append(selectedCols, cols[i])
				selectedWant = append(selectedWant, want[i])
			}
		}
		rows := remotetest.QueryText(t, c, "SELECT "+strings.Join(selected, ", ")+" FROM all_types ORDER BY id", selectedCols...)
		if len(rows) != 2 {
			t.Fatalf("%d rows", len(rows))
		}
		for i, w := range selectedWant {
			if rows[0][i] != w {
				t.Errorf("binary protocol %v, column %s: got %q, want %q", binary, selected[i], rows[0][i], w)
			}
		}
		for i, v := range rows[1][1:] {
			if v != "NULL" {
				t.Errorf("binary protocol %v, row 2 column %s: got %q, want NULL", binary, selected[i+1], v)
			}
		}
	}
}

func TestQueryEmptyValuesAreNotNull(t *testing.T) {
	c := openSource(t, remotetest.MySQLDB(t, `CREATE TABLE e (s varchar(3), b varbinary(3))`, `INSERT INTO e VALUES ('', ''), (NULL, NULL)`), nil)
	rows := remotetest.QueryText(t, c, "SELECT s, b FROM e ORDER BY s IS NULL", types.TText, types.TBytea)
	if fmt.Sprint(rows) != `[[ \x] [NULL NULL]]` {
		t.Fatalf("got %q", rows)
	}
}

func TestQueryDecodesIntoThePlannersType(t *testing.T) {
	c := openSource(t, remotetest.MySQLDB(t, allTypesSetup...), nil)
	rows := remotetest.QueryText(t, c, "SELECT SUM(i), SUM(d), COUNT(*), MAX(f), MAX(bt1), SUM(bt5), 1 = 1 FROM all_types",
		types.TInt8, types.TNumeric, types.TInt8, types.TFloat4, types.TBool, types.TNumeric, types.TBool)
	if want := "[[-2147483648 12.34 2 1.6777216e+07 t 21 t]]"; fmt.Sprint(rows) != want {
		t.Fatalf("got %v, want %v", rows, want)
	}
}

func TestQueryRejectsValuesPostgreSQLCannotHold(t *testing.T) {
	c := openSource(t, remotetest.MySQLDB(t,
		`SET SESSION sql_mode = ''`,
		`CREATE TABLE odd (d date, dt datetime, tm time)`,
		`INSERT INTO odd VALUES ('0000-00-00', '2024-00-10 00:00:00', '12:00:00'), ('2024-01-01', '2024-01-01 00:00:00', '-01:00:00'), ('2024-01-01', '2024-01-01 00:00:00', '100:00:00')`,
	), nil)
	cases := []struct {
		sql, want string
		t         types.Type
	}{
		{"SELECT d FROM odd", `zero date "0000-00-00"`, types.TDate},
		{"SELECT dt FROM odd", `zero date "2024-00-10 00:00:00"`, types.TTimestamp},
		{"SELECT tm FROM odd WHERE tm < 0", `"-01:00:00" is outside`, types.TTime},
		{"SELECT tm FROM odd WHERE tm > '24:00:00'", `"100:00:00" is outside`, types.TTime},
	}
	for _, tc := range cases {
		_, err := remotetest.TryQueryText(c, tc.sql, tc.t)
		if pgerr.Code(err) != pgerr.DatetimeFieldOverflow || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v (%s), want 22008 with %s", tc.sql, err, pgerr.Code(err), tc.want)
		}
	}
}

func TestQueryStreamsBatches(t *testing.T) {
	c := openSource(t, remotetest.MySQLDB(t,
		`CREATE TABLE digits (d int)`, `INSERT INTO digits VALUES (0),(1),(2),(3),(4),(5),(6),(7),(8),(9)`), nil)
	rows, err := c.Query(context.Background(),
		"SELECT a.d*1000 + b.d*100 + c.d*10 + e.d FROM digits a, digits b, digits c, digits e", []types.Type{types.TInt8})
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	sizes, sum := remotetest.BatchSizes(t, rows)
	if fmt.Sprint(sizes) != "[4096 4096 1808]" || sum != 49995000 {
		t.Fatalf("batches %v, sum %d", sizes, sum)
	}
}

func TestEarlyCloseStopsTheRemoteQuery(t *testing.T) {
	c := openSource(t, remotetest.MySQLDB(t,
		`CREATE TABLE digits (d int)`, `INSERT INTO digits VALUES (0),(1),(2),(3),(4),(5),(6),(7),(8),(9)`),
		map[string]string{"max_connections": "1"})
	rows, err := c.Query(context.Background(), "SELECT a.d /* early-close-marker */ FROM digits a, digits b, digits c, digits d, digits e, digits f, digits g, digits h",
		[]types.Type{types.TInt4})
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
	// KILL QUERY takes effect at the server's next check of the query,
	// which a busy server may need a moment for.
	for deadline := time.Now().Add(5 * time.Second); running(t, c, "early-close-marker") > 0; {
		if time.Now().After(deadline) {
			t.Fatal("the remote query still runs 5 s after Close")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestQueryErrors(t *testing.T) {
	c := openSource(t, remotetest.MySQLDB(t), nil)
	cases := []struct {
		sql  string
		code string
	}{
		{"SELECT * FROM missing", pgerr.UndefinedTable},
		{"SELEC 1", pgerr.SyntaxError},
		{"SELECT 1, 2", pgerr.FDWError},
		{"SELECT 'abc'", pgerr.InvalidTextRep},
		{"SELECT 9223372036854775807 + 1", pgerr.NumericOutOfRange},
	}
	for _, tc := range cases {
		if _, err := remotetest.TryQueryText(c, tc.sql, types.TInt8); pgerr.Code(err) != tc.code {
			t.Errorf("%s: got %v (%s), want %s", tc.sql, err, pgerr.Code(err), tc.code)
		}
	}
	if got := remotetest.QueryText(t, c, "SELECT 1", types.TInt4); fmt.Sprint(got) != "[[1]]" {
		t.Fatalf("after errors: %v", got)
	}
}

func TestOpenErrors(t *testing.T) {
	db := remotetest.MySQLDB(t)
	ctx := context.Background()
	const secret = "pw-s3cret'\\x"

	_, err := Open(ctx, map[string]string{"host": "127.0.0.1", "user": "root", "password": secret, "dbname": db})
	if pgerr.Code(err) != pgerr.InvalidPassword || strings.Contains(err.Error(), secret) || !strings.Contains(err.Error(), "127.0.0.1:3306/"+db) {
		t.Errorf("wrong password: got %v (%s), want 28P01 naming the endpoint without the password", err, pgerr.Code(err))
	}

	_, err = Open(ctx, map[string]string{"user": "root", "dbname": "no_such_db_" + db})
	if pgerr.Code(err) != pgerr.FDWUnableToConnect || !strings.Contains(err.Error(), "no_such_db_") {
		t.Errorf("unknown database: got %v (%s), want 08001 naming it", err, pgerr.Code(err))
	}

	start := time.Now()
	_, err = Open(ctx, map[string]string{"port": "1", "user": "root", "password": secret, "dbname": db})
	if pgerr.Code(err) != pgerr.FDWUnableToConnect || !strings.Contains(err.Error(), "127.0.0.1:1/") || strings.Contains(err.Error(), secret) {
		t.Errorf("closed port: got %v (%s), want 08001 naming 127.0.0.1:1", err, pgerr.Code(err))
	}
	if elapsed := time.Since(start); elapsed > 3*time.Second {
		t.Errorf("closed port took %v to fail", elapsed)
	}

	for _, opts := range []map[string]string{{"user": "root"}, {"dbname": db, "databse": "x"}} {
		if _, err := Open(ctx, opts); pgerr.Code(err) != pgerr.FDWInvalidOptionName {
			t.Errorf("%v: got %v (%s), want HV00D", opts, err, pgerr.Code(err))
		}
	}
}

// running counts the statements containing marker that the server runs.
func running(t *testing.T, c *Connector, marker string) int {
	t.Helper()
	var n int
	err := c.db.QueryRow("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE ? AND ID <> CONNECTION_ID()", "%"+marker+"%").Scan(&n)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestPoolIsBoundedAndCloseReleases(t *testing.T) {
	c := openSource(t, remotetest.MySQLDB(t), map[string]string{"max_connections": "1"})
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

// The pool has one connection, which the query being cancelled holds.
func TestCancelKillsTheRemoteQuery(t *testing.T) {
	c := openSource(t, remotetest.MySQLDB(t), map[string]string{"max_connections": "1"})
	// The connection's id, which the kill names, is remembered from this
	// query, not asked again.
	if got := remotetest.QueryText(t, c, "SELECT 2", types.TInt4); fmt.Sprint(got) != "[[2]]" {
		t.Fatalf("before the cancel: %v", got)
	}
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(300*time.Millisecond, cancel)
	start := time.Now()
	rows, err := c.Query(ctx, "SELECT SLEEP(30) /* kill-marker */", []types.Type{types.TInt4})
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
	// Generous against a loaded machine; the query would sleep for 30 s.
	deadline := time.Now().Add(10 * time.Second)
	for running(t, c, "kill-marker") > 0 {
		if time.Now().After(deadline) {
			t.Fatal("the remote query still runs after the cancel")
		}
		time.Sleep(50 * time.Millisecond)
	}
	if got := remotetest.QueryText(t, c, "SELECT 1", types.TInt4); fmt.Sprint(got) != "[[1]]" {
		t.Fatalf("after the cancel: %v", got)
	}
}

func TestStatementTimeout(t *testing.T) {
	c := openSource(t, remotetest.MySQLDB(t), map[string]string{"statement_timeout": "200ms"})
	_, err := remotetest.TryQueryText(c, "SELECT SLEEP(5)", types.TInt4)
	if pgerr.Code(err) != pgerr.QueryCanceled || !strings.Contains(err.Error(), "statement timeout") {
		t.Fatalf("got %v (%s), want 57014 statement timeout", err, pgerr.Code(err))
	}
}

func TestDiscoverKeysAndIndexes(t *testing.T) {
	db := remotetest.MySQLDB(t,
		"CREATE TABLE customers (id INT PRIMARY KEY, email VARCHAR(50), UNIQUE KEY customers_email (email))",
		"CREATE TABLE orders (id BIGINT PRIMARY KEY, customer_id INT NOT NULL, placed DATE, note TEXT,"+
			" KEY orders_placed (placed DESC, customer_id), FULLTEXT KEY orders_note (note),"+
			" CONSTRAINT orders_customer FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE CASCADE)")
	d, err := openSource(t, db, nil).Discover(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	tables := map[string]connectors.Table{}
	for _, tb := range d.Tables {
		tables[tb.Name] = tb
	}
	var keys []string
	for _, k := range tables["orders"].Keys {
		keys = append(keys, fmt.Sprint(k.Name, " ", k.Kind, " ", k.Columns, " ", k.RefTable, k.RefColumns, " ", k.OnDelete))
	}
	if want := "orders_customer f [customer_id] customers[id] c; PRIMARY p [id] [] "; strings.Join(keys, "; ") != want {
		t.Errorf("keys of orders:\n got %s\nwant %s", strings.Join(keys, "; "), want)
	}
	var indexes []string
	for _, ix := range tables["orders"].Indexes {
		indexes = append(indexes, fmt.Sprint(ix.Name, " ", ix.Columns, ix.Descending, " unique=", ix.Unique, " ", ix.Method))
	}
	// The full-text index has no PostgreSQL counterpart and is left out.
	if want := "orders_customer [customer_id] [false] unique=false btree; orders_placed [placed customer_id] [true false] unique=false btree; PRIMARY [id] [false] unique=true btree"; strings.Join(indexes, "; ") != want {
		t.Errorf("indexes of orders:\n got %s\nwant %s", strings.Join(indexes, "; "), want)
	}
}
