package wire

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/junction-db/junction/test/testenv"
	"github.com/junction-db/junction/types"
)

// Every type's value leaves Junction, through the simple protocol's text
// rows and the extended protocol's binary and text rows, as the same bytes
// PostgreSQL sends for the same query.
func TestResultBytesMatchPostgreSQL(t *testing.T) {
	ctx := context.Background()
	pg := postgresDatabase(t)
	junction, err := pgconn.Connect(ctx, testURL(startServer(t, nil, Options{})))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { junction.Close(context.Background()) })
	for _, tc := range binaryCases {
		sql := fmt.Sprintf("SELECT '%s'::%s, NULL::%[2]s", strings.ReplaceAll(tc.text, "'", "''"), tc.typ)
		for _, format := range []int16{pgtype.TextFormatCode, pgtype.BinaryFormatCode} {
			want := pg.ExecParams(ctx, sql, nil, nil, nil, []int16{format}).Read()
			if want.Err != nil {
				t.Fatalf("PostgreSQL: %s: %v", sql, want.Err)
			}
			got := junction.ExecParams(ctx, sql, nil, nil, nil, []int16{format}).Read()
			if got.Err != nil {
				t.Errorf("%s (format %d): %v", sql, format, got.Err)
				continue
			}
			if !sameRows(got.Rows, want.Rows) {
				t.Errorf("%s (format %d): Junction sends %q, PostgreSQL %q", sql, format, got.Rows, want.Rows)
			}
		}
		res, err := junction.Exec(ctx, sql).ReadAll()
		if err != nil {
			t.Errorf("%s (simple): %v", sql, err)
			continue
		}
		want := pg.ExecParams(ctx, sql, nil, nil, nil, nil).Read()
		if !sameRows(res[0].Rows, want.Rows) {
			t.Errorf("%s (simple): Junction sends %q, PostgreSQL %q", sql, res[0].Rows, want.Rows)
		}
	}
}

func sameRows(a, b [][][]byte) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if len(a[i]) != len(b[i]) {
			return false
		}
		for j := range a[i] {
			if (a[i][j] == nil) != (b[i][j] == nil) || !bytes.Equal(a[i][j], b[i][j]) {
				return false
			}
		}
	}
	return true
}

// A result of many rows crosses the chunks the simple protocol writes its
// rows in, and the socket's output buffer, without losing or reordering a
// byte.
func TestLongResultArrivesWhole(t *testing.T) {
	ctx := context.Background()
	junction, err := pgconn.Connect(ctx, testURL(startServer(t, nil, Options{})))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { junction.Close(context.Background()) })
	const sql = "SELECT i, repeat('x', i % 300), CASE WHEN i % 7 = 0 THEN NULL ELSE i * 1.25 END FROM generate_series(1, 20000) AS g(i)"
	check := func(mode string, rows [][][]byte) {
		if len(rows) != 20000 {
			t.Fatalf("%s: %d rows, want 20000", mode, len(rows))
		}
		for n, row := range rows {
			i := n + 1
			want3 := []byte(fmt.Sprintf("%.2f", float64(i)*1.25))
			if i%7 == 0 {
				want3 = nil
			}
			if string(row[0]) != fmt.Sprint(i) || string(row[1]) != strings.Repeat("x", i%300) || !bytes.Equal(row[2], want3) {
				t.Fatalf("%s: row %d = %q", mode, i, row)
			}
		}
	}
	res, err := junction.Exec(ctx, sql).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	check("simple", res[0].Rows)
	extended := junction.ExecParams(ctx, sql, nil, nil, nil, nil).Read()
	if extended.Err != nil {
		t.Fatal(extended.Err)
	}
	check("extended", extended.Rows)
}

// Values read from a PostgreSQL source reach the client, in text and in
// binary, as the same bytes the source sends for them.
func TestSourceValuesMatchPostgreSQL(t *testing.T) {
	ctx := context.Background()
	dbname, load := testenv.NewPostgresDB(t, "wire_types")
	var cols, vals []string
	for i, tc := range binaryCases {
		if tc.typ.Kind == types.TextArray || tc.typ.Kind == types.OIDArray {
			continue // sources' arrays arrive as text
		}
		cols = append(cols, fmt.Sprintf("c%d %s", i, tc.typ))
		vals = append(vals, fmt.Sprintf("'%s'", strings.ReplaceAll(tc.text, "'", "''")))
	}
	nulls := strings.TrimSuffix(strings.Repeat("NULL, ", len(vals)), ", ")
	for _, sql := range []string{
		"CREATE TABLE t (" + strings.Join(cols, ", ") + ")",
		"INSERT INTO t VALUES (" + strings.Join(vals, ", ") + "), (" + nulls + ")",
	} {
		if _, err := load.Exec(ctx, sql); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	junction, err := pgconn.Connect(ctx, testURL(startServer(t, nil, Options{})))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { junction.Close(context.Background()) })
	if _, err := junction.Exec(ctx, fmt.Sprintf(`CREATE SERVER src FOREIGN DATA WRAPPER postgres OPTIONS (host '127.0.0.1', port '5432', dbname '%s', user 'root')`, dbname)).ReadAll(); err != nil {
		t.Fatal(err)
	}
	direct := load.PgConn()
	for _, format := range []int16{pgtype.TextFormatCode, pgtype.BinaryFormatCode} {
		want := direct.ExecParams(ctx, "SELECT * FROM t ORDER BY c0", nil, nil, nil, []int16{format}).Read()
		got := junction.ExecParams(ctx, "SELECT * FROM src.t ORDER BY c0", nil, nil, nil, []int16{format}).Read()
		if want.Err != nil || got.Err != nil {
			t.Fatalf("format %d: PostgreSQL: %v, Junction: %v", format, want.Err, got.Err)
		}
		if !sameRows(got.Rows, want.Rows) {
			t.Errorf("format %d: Junction sends %q, PostgreSQL %q", format, got.Rows, want.Rows)
		}
	}
	res, err := junction.Exec(ctx, "SELECT * FROM src.t ORDER BY c0").ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := direct.ExecParams(ctx, "SELECT * FROM t ORDER BY c0", nil, nil, nil, nil).Read()
	if !sameRows(res[0].Rows, want.Rows) {
		t.Errorf("simple: Junction sends %q, PostgreSQL %q", res[0].Rows, want.Rows)
	}
}
