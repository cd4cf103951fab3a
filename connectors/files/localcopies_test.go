package files

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/junction-db/junction/connectors"
	"github.com/junction-db/junction/types"
	"github.com/junction-db/junction/vector"
)

// batchOf makes a batch of one row per element of rows.
func batchOf(t *testing.T, cols []connectors.Column, rows [][]string) *vector.Batch {
	t.Helper()
	ts := make([]types.Type, len(cols))
	for i, c := range cols {
		ts[i] = c.Type
	}
	b := vector.NewBatch(ts, len(rows))
	for _, r := range rows {
		for i, s := range r {
			if s == "NULL" {
				b.Cols[i].AppendNull()
				continue
			}
			d, err := types.ParseText(ts[i], s)
			if err != nil {
				t.Fatal(err)
			}
			b.Cols[i].AppendDatum(d)
		}
		b.Len++
	}
	return b
}

func writeCopy(t *testing.T, l *LocalCopies, name string, cols []connectors.Column, rows [][]string) connectors.CopyStats {
	t.Helper()
	batches := []*vector.Batch{batchOf(t, cols, rows)}
	st, err := l.Write(context.Background(), name, cols, func() (*vector.Batch, error) {
		if len(batches) == 0 {
			return nil, nil
		}
		b := batches[0]
		batches = batches[1:]
		return b, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func readAll(t *testing.T, l *LocalCopies, sql string, cols []connectors.Column) [][]string {
	t.Helper()
	ts := make([]types.Type, len(cols))
	for i, c := range cols {
		ts[i] = c.Type
	}
	rows, err := l.Query(context.Background(), sql, ts)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out [][]string
	for {
		b, err := rows.Next()
		if err != nil {
			t.Fatal(err)
		}
		if b == nil {
			return out
		}
		for i := 0; i < b.Len; i++ {
			row := make([]string, len(cols))
			for j, v := range b.Cols {
				if v.IsNull(i) {
					row[j] = "NULL"
				} else {
					row[j] = types.FormatText(ts[j], v.Datum(i))
				}
			}
			out = append(out, row)
		}
	}
}

func TestLocalCopiesKeepEveryTypeExactly(t *testing.T) {
	l, err := OpenLocalCopies(context.Background(), filepath.Join(t.TempDir(), "copies.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	num := types.TNumeric
	num.Precision, num.Scale = 12, 2
	cols := []connectors.Column{
		{Name: "b", Type: types.TBool}, {Name: "i2", Type: types.TInt2}, {Name: "i8", Type: types.TInt8},
		{Name: "f4", Type: types.TFloat4}, {Name: "f8", Type: types.TFloat8}, {Name: "n", Type: num},
		{Name: "nu", Type: types.TNumeric}, {Name: "t", Type: types.TText}, {Name: "by", Type: types.TBytea},
		{Name: "d", Type: types.TDate}, {Name: "ti", Type: types.TTime}, {Name: "ts", Type: types.TTimestamp},
		{Name: "tz", Type: types.TTimestampTZ}, {Name: "iv", Type: types.TInterval}, {Name: "u", Type: types.TUUID},
		{Name: "j", Type: types.TJSON},
	}
	rows := [][]string{
		{"t", "-32768", "9223372036854775807", "1.5", "-0.1", "1234567890.12", "123456789012345678901234567890.123456789", "é'\"x", "\\x00ff",
			"0044-03-15 BC", "23:59:59.999999", "2024-02-29 12:34:56.123456", "1999-12-31 23:00:00+00", "1 year 2 mons -3 days +04:05:06.7", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", `{"a": [1, 2]}`},
		{"NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL"},
	}
	st := writeCopy(t, l, "building", cols, rows)
	if st.Rows != 2 || st.Bytes <= 0 {
		t.Fatalf("stats %+v", st)
	}
	if err := l.Publish(context.Background(), "building", "copy", st); err != nil {
		t.Fatal(err)
	}
	sql := "SELECT b, i2, i8, f4, f8, n, nu, t, \"by\", d, ti, ts, tz, iv, u, j FROM copy ORDER BY i2 NULLS LAST"
	got := readAll(t, l, sql, cols)
	for i := range rows {
		for j := range rows[i] {
			if got[i][j] != rows[i][j] {
				t.Errorf("row %d column %s: got %q, want %q", i, cols[j].Name, got[i][j], rows[i][j])
			}
		}
	}
	copies, err := l.Copies(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if c, ok := copies["copy"]; !ok || c.Rows != 2 || c.Bytes != st.Bytes {
		t.Fatalf("copies %+v", copies)
	}
}

func TestLocalCopiesReaderKeepsOldCopyAcrossPublish(t *testing.T) {
	path := filepath.Join(t.TempDir(), "copies.duckdb")
	l, err := OpenLocalCopies(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	cols := []connectors.Column{{Name: "n", Type: types.TInt8}}
	old := make([][]string, 5000)
	for i := range old {
		old[i] = []string{"1"}
	}
	l.Publish(context.Background(), "b", "copy", writeCopy(t, l, "b", cols, old)) //nolint:errcheck // checked by the reads
	rows, err := l.Query(context.Background(), "SELECT n FROM copy", []types.Type{types.TInt8})
	if err != nil {
		t.Fatal(err)
	}
	first, err := rows.Next()
	if err != nil || first == nil {
		t.Fatal(err)
	}
	if err := l.Publish(context.Background(), "b", "copy", writeCopy(t, l, "b", cols, [][]string{{"2"}})); err != nil {
		t.Fatal(err)
	}
	n := first.Len
	for {
		b, err := rows.Next()
		if err != nil {
			t.Fatalf("reading the old copy after the new one was published: %v", err)
		}
		if b == nil {
			break
		}
		for i := 0; i < b.Len; i++ {
			if b.Cols[0].Int[i] != 1 {
				t.Fatalf("the old copy's reader saw %d", b.Cols[0].Int[i])
			}
		}
		n += b.Len
	}
	rows.Close()
	if n != len(old) {
		t.Fatalf("the old copy's reader read %d rows, want %d", n, len(old))
	}
	if got := readAll(t, l, "SELECT n FROM copy", cols); len(got) != 1 || got[0][0] != "2" {
		t.Fatalf("after publish: %v", got)
	}
	l.Close()
	l, err = OpenLocalCopies(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	if got := readAll(t, l, "SELECT n FROM copy", cols); len(got) != 1 || got[0][0] != "2" {
		t.Fatalf("after reopening: %v", got)
	}
	// A table written and never published is dropped when the file opens.
	writeCopy(t, l, "unpublished", cols, [][]string{{"3"}})
	l.Close()
	l, err = OpenLocalCopies(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if _, err := l.Query(context.Background(), "SELECT n FROM unpublished", []types.Type{types.TInt8}); err == nil {
		t.Error("a table never published survived reopening the file")
	}
	if err := l.Drop(context.Background(), "copy"); err != nil {
		t.Fatal(err)
	}
	if copies, _ := l.Copies(context.Background()); len(copies) != 0 {
		t.Fatalf("after drop: %v", copies)
	}
}

// BenchmarkLocalCopyRead reads 100,000 rows of a bigint, a numeric(15,2)
// and a text column from a local copy, as a scan of a materialized view
// whose aggregate is not pushed does.
func BenchmarkLocalCopyRead(b *testing.B) {
	l, err := OpenLocalCopies(context.Background(), filepath.Join(b.TempDir(), "copies.duckdb"))
	if err != nil {
		b.Fatal(err)
	}
	defer l.Close()
	num := types.TNumeric
	num.Precision, num.Scale = 15, 2
	cols := []connectors.Column{{Name: "k", Type: types.TInt8}, {Name: "price", Type: num}, {Name: "segment", Type: types.TText}}
	ts := []types.Type{types.TInt8, num, types.TText}
	const rows = 100_000
	written := 0
	next := func() (*vector.Batch, error) {
		if written == rows {
			return nil, nil
		}
		batch := vector.NewBatch(ts, vector.BatchSize)
		for ; batch.Len < vector.BatchSize && written < rows; written++ {
			batch.Cols[0].AppendDatum(types.IntDatum(int64(written)))
			d, _ := types.ParseText(num, fmt.Sprintf("%d.%02d", written*7%100000, written%100))
			batch.Cols[1].AppendDatum(d)
			batch.Cols[2].AppendDatum(types.StrDatum([]string{"AUTOMOBILE", "BUILDING", "FURNITURE", "HOUSEHOLD", "MACHINERY"}[written%5]))
			batch.Len++
		}
		return batch, nil
	}
	st, err := l.Write(context.Background(), "b", cols, next)
	if err == nil {
		err = l.Publish(context.Background(), "b", "copy", st)
	}
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		r, err := l.Query(context.Background(), `SELECT k, price, segment FROM copy`, ts)
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for {
			batch, err := r.Next()
			if err != nil {
				b.Fatal(err)
			}
			if batch == nil {
				break
			}
			n += batch.Len
		}
		r.Close()
		if n != rows {
			b.Fatalf("read %d rows", n)
		}
	}
}

// TestLocalCopiesSpillToTheTemporaryArea writes and sorts more than the
// memory limit lets DuckDB hold: it spills below the temporary area,
// which is empty again once the copies close (and holds nothing before
// a spill).
func TestLocalCopiesSpillToTheTemporaryArea(t *testing.T) {
	tmp := t.TempDir()
	SetLimits(Limits{MaxMemory: 200 << 20, TempDir: tmp})
	defer SetLimits(Limits{})
	l, err := OpenLocalCopies(context.Background(), filepath.Join(t.TempDir(), "copies.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(tmp); len(entries) != 0 {
		t.Errorf("the temporary area holds %d entries before any spill", len(entries))
	}
	if _, err := l.db.Exec("CREATE TABLE big AS SELECT range AS n, repeat('x', 100) || range AS pad FROM range(1500000)"); err != nil {
		t.Fatal(err)
	}
	rows, err := l.Query(context.Background(), "SELECT pad FROM big ORDER BY pad DESC", []types.Type{types.TText})
	if err != nil {
		t.Fatal(err)
	}
	if b, err := rows.Next(); err != nil || b == nil {
		t.Fatalf("first rows of the sort: %v", err)
	}
	if entries, _ := os.ReadDir(tmp); len(entries) == 0 {
		t.Error("the sort did not spill to the temporary area")
	}
	rows.Close()
	l.Close()
	if entries, _ := os.ReadDir(tmp); len(entries) != 0 {
		t.Errorf("the temporary area holds %d entries after the copies closed", len(entries))
	}
}

// TestLocalCopiesKeepInfiniteDatesAndTimestamps writes infinity and
// -infinity among finite values and NULLs, in batches of rows more than
// one of DuckDB's row groups hold, and reads each back in its row; the
// copy orders and compares them as PostgreSQL does, literals included.
func TestLocalCopiesKeepInfiniteDatesAndTimestamps(t *testing.T) {
	l, err := OpenLocalCopies(context.Background(), filepath.Join(t.TempDir(), "copies.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	cols := []connectors.Column{{Name: "id", Type: types.TInt8}, {Name: "d", Type: types.TDate},
		{Name: "ts", Type: types.TTimestamp}, {Name: "tz", Type: types.TTimestampTZ}}
	ts := []types.Type{types.TInt8, types.TDate, types.TTimestamp, types.TTimestampTZ}
	// Row id's values: by id modulo 4 one of these, the rest finite.
	special := map[int64][]string{
		0: {"infinity", "-infinity", "2024-01-02 03:04:05+00"},
		1: {"-infinity", "NULL", "infinity"},
		2: {"NULL", "infinity", "-infinity"},
	}
	const rows = 130_000
	isSpecial := func(id int64) bool { return id%1000 < 3 }
	value := func(id int64, col int) string {
		if isSpecial(id) {
			return special[id%1000][col]
		}
		return []string{"2020-05-06", "2021-07-08 09:10:11", "2022-01-01 00:00:00+00"}[col]
	}
	var id int64
	st, err := l.Write(context.Background(), "b", cols, func() (*vector.Batch, error) {
		if id == rows {
			return nil, nil
		}
		batch := vector.NewBatch(ts, vector.BatchSize)
		for ; batch.Len < vector.BatchSize && id < rows; id++ {
			batch.Cols[0].AppendDatum(types.IntDatum(id))
			for c := 1; c < 4; c++ {
				s := value(id, c-1)
				if s == "NULL" {
					batch.Cols[c].AppendNull()
					continue
				}
				d, err := types.ParseText(ts[c], s)
				if err != nil {
					return nil, err
				}
				batch.Cols[c].AppendDatum(d)
			}
			batch.Len++
		}
		return batch, nil
	})
	if err == nil {
		err = l.Publish(context.Background(), "b", "copy", st)
	}
	if err != nil {
		t.Fatal(err)
	}
	got := readAll(t, l, "SELECT id, d, ts, tz FROM copy WHERE id % 1000 < 3 ORDER BY id", cols)
	if len(got) != 390 {
		t.Fatalf("read %d special rows, want 390", len(got))
	}
	for _, row := range got {
		n, _ := strconv.ParseInt(row[0], 10, 64)
		for c := 1; c < 4; c++ {
			want := value(n, c-1)
			if d, err := types.ParseText(ts[c], want); err == nil {
				want = types.FormatText(ts[c], d)
			}
			if row[c] != want {
				t.Fatalf("row %d column %s: got %q, want %q", n, cols[c].Name, row[c], want)
			}
		}
	}
	// Ordering, comparison with infinite literals, min and max.
	inf, _ := types.ParseText(types.TDate, "infinity")
	lit, ok := Dialect{}.Literal(types.TDate, inf)
	if !ok {
		t.Fatal("the dialect does not render the date infinity")
	}
	count := []connectors.Column{{Name: "n", Type: types.TInt8}}
	for sql, want := range map[string]string{
		"SELECT count(*) FROM copy WHERE d < " + lit:            strconv.Itoa(rows - 260),
		"SELECT count(*) FROM copy WHERE d = " + lit:            "130",
		"SELECT count(*) FROM copy WHERE d > DATE '2020-05-06'": "130",
	} {
		if got := readAll(t, l, sql, count); got[0][0] != want {
			t.Errorf("%s = %s, want %s", sql, got[0][0], want)
		}
	}
	dates := []connectors.Column{{Name: "lo", Type: types.TDate}, {Name: "hi", Type: types.TDate}, {Name: "first", Type: types.TTimestamp}}
	if got := readAll(t, l, "SELECT min(d), max(d), (SELECT ts FROM copy ORDER BY ts NULLS LAST LIMIT 1) FROM copy", dates); strings.Join(got[0], " ") != "-infinity infinity -infinity" {
		t.Errorf("min, max and first = %v", got[0])
	}
}
