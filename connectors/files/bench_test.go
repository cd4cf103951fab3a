package files

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/junction-db/junction/types"
)

// benchRows is the size of the Parquet file the scan benchmarks read.
const benchRows = 1_000_000

func benchLake(b *testing.B) (root, path string) {
	b.Helper()
	root = b.TempDir()
	path = filepath.Join(root, "facts.parquet")
	db, err := sql.Open("duckdb", "")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`COPY (SELECT i AS id, 'name ' || (i % 1000) AS name, ((i % 100000) * 0.01)::DECIMAL(12,2) AS amount,
		DATE '2020-01-01' + (i % 1000)::INTEGER AS day FROM range(` + "1000000" + `) t(i)) TO '` + path + `' (FORMAT parquet)`); err != nil {
		b.Fatal(err)
	}
	return root, path
}

var benchTypes = []types.Type{types.TInt8, types.TText, {Kind: types.Numeric, Precision: 12, Scale: 2}, types.TDate}

// BenchmarkParquetScan reads every row of a Parquet file of one million
// rows: through the connector into Junction's vectors, and with DuckDB's
// own database/sql driver into Go values, side by side.
func BenchmarkParquetScan(b *testing.B) {
	root, path := benchLake(b)
	b.Run("connector", func(b *testing.B) {
		c := open(b, map[string]string{"root": root})
		discover(b, c)
		for b.Loop() {
			rows, err := c.Query(context.Background(), `SELECT "id", "name", "amount", "day" FROM "facts"`, benchTypes)
			if err != nil {
				b.Fatal(err)
			}
			if n := drain(b, rows); n != benchRows {
				b.Fatalf("%d rows", n)
			}
		}
	})
	b.Run("duckdb", func(b *testing.B) {
		db, err := sql.Open("duckdb", "")
		if err != nil {
			b.Fatal(err)
		}
		defer db.Close()
		for b.Loop() {
			rows, err := db.Query(`SELECT id, name, amount, day FROM read_parquet('` + path + `')`)
			if err != nil {
				b.Fatal(err)
			}
			vals := make([]any, 4)
			dest := []any{&vals[0], &vals[1], &vals[2], &vals[3]}
			n := 0
			for rows.Next() {
				if err := rows.Scan(dest...); err != nil {
					b.Fatal(err)
				}
				n++
			}
			rows.Close()
			if n != benchRows {
				b.Fatalf("%d rows", n)
			}
		}
	})
}

// BenchmarkSmallQuery is the cost of one query of a table of ten rows
// in a Parquet file, what every query pays for reaching a file at all:
// through the connector and with DuckDB's driver reading the file
// directly.
func BenchmarkSmallQuery(b *testing.B) {
	root := b.TempDir()
	path := filepath.Join(root, "small.parquet")
	db, err := sql.Open("duckdb", "")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`COPY (SELECT i AS id, 'name ' || i AS name FROM range(10) t(i)) TO '` + path + `' (FORMAT parquet)`); err != nil {
		b.Fatal(err)
	}
	b.Run("connector", func(b *testing.B) {
		c := open(b, map[string]string{"root": root})
		discover(b, c)
		for b.Loop() {
			rows, err := c.Query(context.Background(), `SELECT "name" FROM "small" WHERE ("id" = CAST(7 AS BIGINT))`, []types.Type{types.TText})
			if err != nil {
				b.Fatal(err)
			}
			drain(b, rows)
		}
	})
	b.Run("duckdb", func(b *testing.B) {
		for b.Loop() {
			var name string
			if err := db.QueryRow(`SELECT name FROM read_parquet('` + path + `') WHERE id = 7`).Scan(&name); err != nil {
				b.Fatal(err)
			}
		}
	})
}
