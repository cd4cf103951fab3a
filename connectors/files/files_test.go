package files

import (
	"compress/gzip"
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/junction-db/junction/connectors"
	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/types"
	"github.com/junction-db/junction/vector"
)

// writeFile writes content to root/rel, making its directories.
func writeFile(t *testing.T, root, rel, content string) string {
	t.Helper()
	path := filepath.Join(root, rel)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if strings.HasSuffix(rel, ".gz") {
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		w := gzip.NewWriter(f)
		w.Write([]byte(content)) //nolint:errcheck
		w.Close()
		f.Close()
		return path
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// writeFiles writes each file's content below root.
func writeFiles(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for rel, content := range files {
		writeFile(t, root, rel, content)
	}
}

// duckExec runs statements on a scratch DuckDB (to write Parquet files).
func duckExec(t *testing.T, stmts ...string) {
	t.Helper()
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

func open(tb testing.TB, options map[string]string) *Connector {
	tb.Helper()
	c, err := connectors.Open(context.Background(), "files", options)
	if err != nil {
		tb.Fatalf("open %v: %v", options, err)
	}
	tb.Cleanup(func() { c.Close() })
	return c.(*Connector)
}

// discover discovers c's tables and returns them with their names
// joined by commas.
func discover(tb testing.TB, c *Connector) (*connectors.Discovery, string) {
	tb.Helper()
	d, err := c.Discover(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	names := make([]string, len(d.Tables))
	for i, t := range d.Tables {
		names[i] = t.Name
	}
	return d, strings.Join(names, ",")
}

// drain reads rows to their end and counts them.
func drain(tb testing.TB, rows connectors.Rows) int {
	tb.Helper()
	defer rows.Close()
	n := 0
	for {
		b, err := rows.Next()
		if err != nil {
			tb.Fatal(err)
		}
		if b == nil {
			return n
		}
		n += b.Len
	}
}

// query runs sql and returns its rows as PostgreSQL text ("NULL" for null).
func query(t *testing.T, c *Connector, sql string, cols ...types.Type) ([]string, error) {
	t.Helper()
	rows, err := c.Query(context.Background(), sql, cols)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for {
		b, err := rows.Next()
		if err != nil {
			return out, err
		}
		if b == nil {
			return out, nil
		}
		for i := 0; i < b.Len; i++ {
			out = append(out, rowText(b, i))
		}
	}
}

func rowText(b *vector.Batch, i int) string {
	var parts []string
	for _, col := range b.Cols {
		d := col.Datum(i)
		if d.Null {
			parts = append(parts, "NULL")
			continue
		}
		parts = append(parts, types.FormatText(col.Type, d))
	}
	return strings.Join(parts, "|")
}

func tableByName(d *connectors.Discovery, name string) *connectors.Table {
	for i := range d.Tables {
		if d.Tables[i].Name == name {
			return &d.Tables[i]
		}
	}
	return nil
}

func columnTypes(tb *connectors.Table) string {
	var parts []string
	for _, c := range tb.Columns {
		parts = append(parts, c.Name+" "+c.Type.String())
	}
	return strings.Join(parts, ", ")
}

func TestDiscoverFormatsAndTypes(t *testing.T) {
	root := t.TempDir()
	writeFiles(t, root, map[string]string{
		"people.csv":    "id,name,born,score\n1,Ann,2001-02-03,1.5\n2,Bob,1999-12-31,\n",
		"semi.csv":      "a;b\n1;x\n2;y\n",
		"empties.csv":   "id,s\n1,\"\"\n2,\n3,\"a,b\"\n",
		"tabs.tsv":      "k\tv\n1\tone\n",
		"zipped.csv.gz": "n\n7\n8\n",
		"events.ndjson": "{\"id\": 1, \"tag\": \"a\"}\n{\"id\": 2, \"tag\": null}\n",
		"notes.txt":     "not a table",
	})
	duckExec(t, "COPY (SELECT i::INTEGER AS i, (i*1.25)::DECIMAL(9,2) AS price, 'item '||i AS label, i % 2 = 0 AS even, "+
		"TIMESTAMP '2024-01-01 10:00:00' + INTERVAL (i) HOUR AS at, (CAST(18446744073709551610 AS UBIGINT) + i::UBIGINT) AS big, [i, i] AS pair "+
		"FROM range(1, 4) t(i)) TO '"+filepath.Join(root, "items.parquet")+"' (FORMAT parquet)")
	for _, dir := range []string{"year=2023", "year=2024"} {
		if err := os.MkdirAll(filepath.Join(root, "sales", dir), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	duckExec(t,
		"COPY (SELECT 1 AS id, 10 AS amount) TO '"+filepath.Join(root, "sales", "year=2023", "a.parquet")+"' (FORMAT parquet)",
		"COPY (SELECT 2 AS id, 20 AS amount) TO '"+filepath.Join(root, "sales", "year=2024", "b.parquet")+"' (FORMAT parquet)")

	c := open(t, map[string]string{"root": root})
	d, got := discover(t, c)
	if got != "empties,events,items,people,sales,semi,tabs,zipped" {
		t.Fatalf("tables: %s", got)
	}
	want := map[string]string{
		"people": "id bigint, name text, born date, score double precision",
		"semi":   "a bigint, b text",
		"tabs":   "k bigint, v text",
		"zipped": "n bigint",
		"events": "id bigint, tag text",
		"items":  "i integer, price numeric(9,2), label text, even boolean, at timestamp without time zone, big numeric, pair text",
		"sales":  "id integer, amount integer, year bigint",
	}
	for name, cols := range want {
		if got := columnTypes(tableByName(d, name)); got != cols {
			t.Errorf("%s: columns %s, want %s", name, got, cols)
		}
	}
	if n := tableByName(d, "items").RowEstimate; n != 3 {
		t.Errorf("items row estimate %d, want 3", n)
	}
	rows, err := query(t, c, `SELECT "i", "price", "label", "even", "at", "big", "pair" FROM "items" ORDER BY "i" NULLS LAST`,
		types.TInt4, types.Type{Kind: types.Numeric, Precision: 9, Scale: 2}, types.TText, types.TBool, types.TTimestamp, types.TNumeric, types.TText)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(rows, "\n"); got != "1|1.25|item 1|f|2024-01-01 11:00:00|18446744073709551611|[1, 1]\n"+
		"2|2.50|item 2|t|2024-01-01 12:00:00|18446744073709551612|[2, 2]\n3|3.75|item 3|f|2024-01-01 13:00:00|18446744073709551613|[3, 3]" {
		t.Errorf("items:\n%s", got)
	}
	rows, err = query(t, c, `SELECT "year", sum("amount") FROM "sales" GROUP BY "year" ORDER BY "year" NULLS LAST`, types.TInt8, types.TInt8)
	if err != nil || strings.Join(rows, ",") != "2023|10,2024|20" {
		t.Errorf("sales by year: %v %v", rows, err)
	}
	rows, err = query(t, c, `SELECT "id", "s" IS NULL, length("s") FROM "empties" ORDER BY "id" NULLS LAST`, types.TInt8, types.TBool, types.TInt8)
	if err != nil || strings.Join(rows, ",") != "1|f|0,2|t|NULL,3|f|3" {
		t.Errorf("empty and NULL CSV values: %v %v", rows, err)
	}
	rows, err = query(t, c, `SELECT "name", "born", "score" FROM "people" ORDER BY "score" NULLS FIRST`, types.TText, types.TDate, types.TFloat8)
	if err != nil || strings.Join(rows, ",") != "Bob|1999-12-31|NULL,Ann|2001-02-03|1.5" {
		t.Errorf("people: %v %v", rows, err)
	}
}

func TestNameClashesKeepExtensions(t *testing.T) {
	root := t.TempDir()
	writeFiles(t, root, map[string]string{
		"orders.csv":  "id\n1\n",
		"orders.json": "[{\"id\": 2}]",
		"logs/a.csv":  "x\n1\n",
		"logs/b.csv":  "x\n2\n",
	})
	c := open(t, map[string]string{"root": root})
	_, got := discover(t, c)
	if got != "logs,logs/a,logs/b,orders.csv,orders.json" {
		t.Fatalf("tables: %s", got)
	}
	rows, err := query(t, c, `SELECT count(*) FROM "logs"`, types.TInt8)
	if err != nil || strings.Join(rows, ",") != "2" {
		t.Errorf("logs: %v %v", rows, err)
	}
}

func TestConfinement(t *testing.T) {
	outside := t.TempDir()
	secret := writeFile(t, outside, "secret.csv", "password\nhunter2\n")
	root := t.TempDir()
	writeFile(t, root, "ok.csv", "a\n1\n")
	if err := os.Symlink(secret, filepath.Join(root, "leak.csv")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(root, "leakdir")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(root, "ok.csv"), filepath.Join(root, "alias.csv")); err != nil {
		t.Fatal(err)
	}
	c := open(t, map[string]string{"root": root})
	_, got := discover(t, c)
	if got != "alias,ok" {
		t.Fatalf("tables: %s (links out of root must be left out)", got)
	}
	// DuckDB itself refuses files outside root.
	_, err := query(t, c, "SELECT * FROM read_csv("+stringLiteral(secret)+")", types.TText)
	if pe := pgerr.As(err); err == nil || pe.Code != pgerr.InsufficientPrivilege {
		t.Fatalf("reading outside root: %v", err)
	}
	// A file swapped for a link out of root after discovery is not read.
	okPath := filepath.Join(root, "ok.csv")
	os.Remove(okPath)
	if err := os.Symlink(secret, okPath); err != nil {
		t.Fatal(err)
	}
	_, err = query(t, c, `SELECT "a" FROM "ok"`, types.TText)
	if pe := pgerr.As(err); err == nil || pe.Code != pgerr.InsufficientPrivilege {
		t.Fatalf("swapped link: %v", err)
	}
	// The DuckDB's configuration is locked.
	_, err = query(t, c, "SELECT current_setting('enable_external_access')", types.TBool)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.db.Exec("SET enable_external_access = true"); err == nil {
		t.Fatal("configuration can be changed")
	}
}

func TestMalformedAndChangedFiles(t *testing.T) {
	root := t.TempDir()
	var b strings.Builder
	b.WriteString("id,amount\n")
	for i := 1; i <= 30000; i++ {
		b.WriteString("1,2\n")
	}
	b.WriteString("x,oops\n")
	writeFile(t, root, "big.csv", b.String())
	writeFile(t, root, "small.csv", "id,name\n1,a\n")
	c := open(t, map[string]string{"root": root})
	discover(t, c)
	_, err := query(t, c, `SELECT sum("amount") FROM "big"`, types.TNumeric)
	pe := pgerr.As(err)
	if err == nil || pe.Code != badFileFormat || !strings.Contains(pe.Message, `"big.csv"`) || !strings.Contains(pe.Message, "line 30002") {
		t.Fatalf("malformed: %v", err)
	}
	// The source keeps working.
	if rows, err := query(t, c, `SELECT "name" FROM "small"`, types.TText); err != nil || rows[0] != "a" {
		t.Fatalf("after error: %v %v", rows, err)
	}
	// New rows that fit are read; a changed layout is an error that says
	// what to do.
	writeFile(t, root, "small.csv", "id,name\n1,a\n2,b\n")
	if rows, err := query(t, c, `SELECT "name" FROM "small" ORDER BY "name" NULLS LAST`, types.TText); err != nil || strings.Join(rows, ",") != "a,b" {
		t.Fatalf("grown file: %v %v", rows, err)
	}
	writeFile(t, root, "small.csv", "other\nz\n")
	_, err = query(t, c, `SELECT "id", "name" FROM "small"`, types.TInt8, types.TText)
	if err == nil || !strings.Contains(err.Error(), "IMPORT FOREIGN SCHEMA") && !strings.Contains(pgerr.As(err).Hint, "IMPORT FOREIGN SCHEMA") {
		t.Fatalf("changed layout: %v", err)
	}
	writeFile(t, root, "small.csv", "id,name\nnot a number,a\n")
	_, err = query(t, c, `SELECT "id", "name" FROM "small"`, types.TInt8, types.TText)
	if err == nil || !strings.Contains(err.Error(), "small.csv") {
		t.Fatalf("changed types: %v", err)
	}
	os.Remove(filepath.Join(root, "small.csv"))
	_, err = query(t, c, `SELECT "id" FROM "small"`, types.TInt8)
	if err == nil || !strings.Contains(err.Error(), "small.csv") {
		t.Fatalf("removed file: %v", err)
	}
}

func TestOptions(t *testing.T) {
	for _, tc := range []struct {
		opts map[string]string
		want string
	}{
		{map[string]string{}, "needs the root option"},
		{map[string]string{"root": "/nonexistent/dir"}, "does not exist"},
		{map[string]string{"root": t.TempDir(), "bogus": "1"}, `invalid option "bogus"`},
		{map[string]string{"root": t.TempDir(), "memory_limit": "lots"}, "invalid value for option memory_limit"},
	} {
		_, err := connectors.Open(context.Background(), "files", tc.opts)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: %v, want %q", tc.opts, err, tc.want)
		}
	}
	SetLimits(Limits{MaxMemory: 1 << 30, TempDir: t.TempDir()})
	defer SetLimits(Limits{})
	if _, err := connectors.Open(context.Background(), "files", map[string]string{"root": t.TempDir(), "memory_limit": "2GB"}); err == nil || !strings.Contains(err.Error(), "exceeds max_memory") {
		t.Errorf("memory_limit above max_memory: %v", err)
	}
	c := open(t, map[string]string{"root": t.TempDir(), "threads": "2"})
	rows, err := query(t, c, "SELECT current_setting('memory_limit'), current_setting('threads')", types.TText, types.TInt8)
	if err != nil || len(rows) != 1 || rows[0] != "256.0 MiB|2" {
		t.Errorf("limits: %v %v", rows, err)
	}
}

func TestDefinedTables(t *testing.T) {
	root := t.TempDir()
	writeFile(t, root, "raw/data.txt", "1;0042;2024-02-29\n2;;2024-03-01\n")
	writeFile(t, root, "empty.csv", "a,b\n")
	duckExec(t, "COPY (SELECT 1 AS id, 'x' AS name, 2.5 AS extra) TO '"+filepath.Join(root, "p.parquet")+"' (FORMAT parquet)")
	def := func(cols []connectors.Column, opts map[string]string) string {
		return connectors.EncodeTableDefinition(connectors.TableDefinition{Columns: cols, Options: opts})
	}
	c := open(t, map[string]string{"root": root,
		"table:codes": def([]connectors.Column{{Name: "id", Type: types.TInt4}, {Name: "code", Type: types.TText}, {Name: "day", Type: types.TDate}},
			map[string]string{"filename": "raw/data.txt", "format": "csv", "delimiter": ";", "header": "false"}),
		"table:empty": def([]connectors.Column{{Name: "a", Type: types.TInt8}, {Name: "b", Type: types.Type{Kind: types.Numeric, Precision: 10, Scale: 2}}},
			map[string]string{"filename": "empty.csv"}),
		"table:p": def([]connectors.Column{{Name: "name", Type: types.TText}, {Name: "id", Type: types.TInt8}}, map[string]string{"filename": "p.parquet"}),
	})
	d, _ := discover(t, c)
	if got := columnTypes(tableByName(d, "codes")); got != "id integer, code text, day date" {
		t.Errorf("codes: %s", got)
	}
	if got := columnTypes(tableByName(d, "empty")); got != "a bigint, b numeric(10,2)" {
		t.Errorf("empty: %s", got)
	}
	if got := columnTypes(tableByName(d, "p")); got != "name text, id bigint" {
		t.Errorf("p: %s", got)
	}
	rows, err := query(t, c, `SELECT "id", "code", "day" FROM "codes" ORDER BY "id" NULLS LAST`, types.TInt4, types.TText, types.TDate)
	if err != nil || strings.Join(rows, ",") != "1|0042|2024-02-29,2|NULL|2024-03-01" {
		t.Errorf("codes: %v %v", rows, err)
	}
	if rows, err := query(t, c, `SELECT count(*) FROM "empty"`, types.TInt8); err != nil || rows[0] != "0" {
		t.Errorf("empty: %v %v", rows, err)
	}

	for _, tc := range []struct {
		def  string
		want string
	}{
		{def(nil, map[string]string{"filename": "../x.csv"}), "outside the root directory"},
		{def(nil, map[string]string{"filename": "/etc/passwd", "format": "csv"}), "outside the root directory"},
		{def(nil, map[string]string{"filename": "nope.csv"}), "does not exist"},
		{def(nil, map[string]string{"filename": "p.parquet", "delimiter": ";"}), "applies only to CSV"},
		{def(nil, map[string]string{"filename": "p.parquet", "format": "parquet", "delimiter": ";"}), "applies only to CSV"},
		{def(nil, map[string]string{"filename": "p.parquet", "colour": "red"}), `invalid option "colour"`},
		{def(nil, map[string]string{}), "needs the filename option"},
		{def([]connectors.Column{{Name: "missing", Type: types.TInt8}}, map[string]string{"filename": "p.parquet"}), "missing"},
	} {
		c, err := connectors.Open(context.Background(), "files", map[string]string{"root": root, "table:bad": tc.def})
		if err == nil {
			_, err = c.Discover(context.Background())
			c.Close()
		}
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.def, err, tc.want)
		}
	}
}

// TestUnreadableFilesAreSkipped discovers a root where DuckDB cannot read
// some files: their tables (and a directory's holding one) are left out,
// each with the reason naming the file, and the others are discovered.
func TestUnreadableFilesAreSkipped(t *testing.T) {
	root := t.TempDir()
	writeFile(t, root, "good.csv", "id,name\n1,a\n")
	writeFile(t, root, "junk.parquet", "this is no parquet file")
	writeFile(t, root, "logs/ok.json", `{"at": 1}`+"\n")
	writeFile(t, root, "logs/broken.json", "{not json\n")
	c := open(t, map[string]string{"root": root})
	d, names := discover(t, c)
	if names != "good,logs/ok" {
		t.Errorf("tables %s, want good,logs/ok", names)
	}
	skipped := map[string]string{}
	for _, s := range d.Skipped {
		skipped[s.Name] = s.Reason
	}
	for table, file := range map[string]string{"junk": "junk.parquet", "logs": "logs/broken.json", "logs/broken": "logs/broken.json"} {
		if reason, ok := skipped[table]; !ok || !strings.Contains(reason, `"`+file+`"`) {
			t.Errorf("skipped %s: %q, want a reason naming %s", table, reason, file)
		}
	}
	if len(d.Skipped) != 3 {
		t.Errorf("skipped %+v, want 3 tables", d.Skipped)
	}
	if rows, err := query(t, c, `SELECT "name" FROM "good"`, types.TText); err != nil || strings.Join(rows, ",") != "a" {
		t.Errorf("good: %v %v", rows, err)
	}
}

// TestInfiniteDatesInFiles reads a Parquet file's infinite dates and
// timestamps as PostgreSQL's, and compares them with an infinite literal
// in DuckDB as PostgreSQL would.
func TestInfiniteDatesInFiles(t *testing.T) {
	root := t.TempDir()
	duckExec(t, "COPY (SELECT * FROM (VALUES (1, DATE 'infinity', TIMESTAMP '-infinity'), (2, DATE '-infinity', TIMESTAMP 'infinity'), "+
		"(3, DATE '2024-02-29', TIMESTAMP '2024-02-29 12:00:00')) v(id, d, ts)) TO '"+filepath.Join(root, "periods.parquet")+"' (FORMAT parquet)")
	c := open(t, map[string]string{"root": root})
	discover(t, c)
	rows, err := query(t, c, `SELECT "id", "d", "ts" FROM "periods" ORDER BY "d"`, types.TInt4, types.TDate, types.TTimestamp)
	if want := "2|-infinity|infinity,3|2024-02-29|2024-02-29 12:00:00,1|infinity|-infinity"; err != nil || strings.Join(rows, ",") != want {
		t.Errorf("periods = %v (%v), want %s", rows, err, want)
	}
	inf, _ := types.ParseText(types.TTimestamp, "infinity")
	lit, _ := Dialect{}.Literal(types.TTimestamp, inf)
	rows, err = query(t, c, `SELECT "id" FROM "periods" WHERE "ts" < `+lit+` ORDER BY "id"`, types.TInt4)
	if err != nil || strings.Join(rows, ",") != "1,3" {
		t.Errorf("periods below infinity = %v (%v), want 1,3", rows, err)
	}
}
