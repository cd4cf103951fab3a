package bench

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"testing"

	_ "github.com/duckdb/duckdb-go/v2" // writes the Parquet file and reads it directly, for comparison

	"github.com/junction-db/junction/test/testenv"
)

// filesScanRows is the size of the Parquet file BenchmarkFilesScan reads.
const filesScanRows = 1_000_000

// BenchmarkFilesScan streams every row of a Parquet file of a million
// rows (bigint, text, numeric(12,2), date) to a client: through a Junction
// files source over the PostgreSQL wire protocol, and from DuckDB's own
// database/sql driver reading the file in process, side by side.
//
//	go test -run '^$' -bench FilesScan -benchtime 5x ./test/bench
func BenchmarkFilesScan(b *testing.B) {
	srv := testenv.StartServer(b)
	root := filepath.Join(srv.DataDir, "lake")
	if err := os.Mkdir(root, 0o700); err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(root, "facts.parquet")
	duck, err := sql.Open("duckdb", "")
	if err != nil {
		b.Fatal(err)
	}
	defer duck.Close()
	if _, err := duck.Exec(`COPY (SELECT i AS id, 'name ' || (i % 1000) AS name, ((i % 100000) * 0.01)::DECIMAL(12,2) AS amount,
		DATE '2020-01-01' + (i % 1000)::INTEGER AS day FROM range(1000000) t(i)) TO '` + path + `' (FORMAT parquet)`); err != nil {
		b.Fatal(err)
	}
	conn := srv.Connect(b)
	ctx := context.Background()
	if _, err := conn.Exec(ctx, "CREATE SERVER lake FOREIGN DATA WRAPPER files OPTIONS (root '"+root+"')"); err != nil {
		b.Fatal(err)
	}
	b.Run("junction", func(b *testing.B) {
		for b.Loop() {
			rows, err := conn.Query(ctx, "SELECT id, name, amount, day FROM lake.facts")
			if err != nil {
				b.Fatal(err)
			}
			n := 0
			for rows.Next() {
				n++
			}
			if err := rows.Err(); err != nil || n != filesScanRows {
				b.Fatalf("%d rows, %v", n, err)
			}
		}
	})
	b.Run("duckdb", func(b *testing.B) {
		for b.Loop() {
			rows, err := duck.Query(`SELECT id, name, amount, day FROM read_parquet('` + path + `')`)
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
			if n != filesScanRows {
				b.Fatalf("%d rows", n)
			}
		}
	})
}
