package bench

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/duckdb/duckdb-go/v2" // writes the Parquet files

	"github.com/junction-db/junction/test/testenv"
)

// lakeSource is the files source that holds the lake target's Parquet
// files.
const lakeSource = "tpch_lake"

// createLake writes the tables marked parquet (lineitem and orders) as
// Parquet files into the directory "lake" of the Junction server's data
// directory, where files_dirs lets SQL create a files source by default,
// and registers it as the source tpch_lake. Each table is declared with
// CREATE FOREIGN TABLE and the columns the databases have: Parquet holds
// integer, numeric(15,2) and date exactly, but has no character(n), so
// the declaration gives the text columns their lengths and char(n) its
// padding and comparison semantics.
func createLake(tb testing.TB, d *databases) {
	tb.Helper()
	ctx := context.Background()
	root := filepath.Join(d.lake.DataDir, "lake")
	if err := os.Mkdir(root, 0o700); err != nil {
		tb.Fatal(err)
	}
	duck, err := sql.Open("duckdb", "")
	if err != nil {
		tb.Fatal(err)
	}
	defer duck.Close()
	stmts := []string{fmt.Sprintf(`CREATE SERVER %s FOREIGN DATA WRAPPER files OPTIONS (root '%s')`, lakeSource, root)}
	for _, t := range tables {
		if !t.parquet {
			continue
		}
		file := t.name + ".parquet"
		if err := writeParquet(ctx, duck, t, d.sf, tb.TempDir(), filepath.Join(root, file)); err != nil {
			tb.Fatal(err)
		}
		stmts = append(stmts, fmt.Sprintf(`CREATE FOREIGN TABLE %s.%s %s SERVER %s OPTIONS (filename '%s')`,
			lakeSource, t.name, t.columnDefs(), lakeSource, file))
	}
	junction := d.lake.Connect(tb)
	for _, s := range stmts {
		if _, err := junction.Exec(ctx, s); err != nil {
			tb.Fatalf("%s: %s", s, testenv.DescribeError(err))
		}
	}
}

// writeParquet writes the rows of t at scale factor sf, in the order the
// generator emits them (primary-key order), to the Parquet file path
// through DuckDB: the generator's text goes to a file in scratch, which
// DuckDB reads with the table's column types and copies out with its
// default row groups of 122,880 rows. The same data always gives the
// same rows in the same row groups.
func writeParquet(ctx context.Context, duck *sql.DB, t *table, sf float64, scratch, path string) error {
	text := filepath.Join(scratch, t.name+".tsv")
	f, err := os.Create(text)
	if err != nil {
		return err
	}
	err = writeTable(t, sf, f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", text, err)
	}
	defer os.Remove(text)
	columns := make([]string, len(t.columns))
	for i, c := range t.columns {
		// DuckDB reads char(n) and varchar(n) as VARCHAR.
		columns[i] = fmt.Sprintf("'%s': '%s'", c.name, c.typ)
	}
	copyTo := fmt.Sprintf(`COPY (SELECT * FROM read_csv('%s', delim = '\t', header = false, quote = '', escape = '', columns = {%s}))
TO '%s' (FORMAT parquet)`, text, strings.Join(columns, ", "), path)
	if _, err := duck.ExecContext(ctx, copyTo); err != nil {
		return fmt.Errorf("write %s as Parquet: %w", t.name, err)
	}
	return nil
}
