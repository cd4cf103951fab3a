package sqllogictest

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	_ "github.com/duckdb/duckdb-go/v2" // the staging database whose tables become files
)

// The kinds of files source: the script's tables are kept in a staging
// DuckDB database and written as one file per table to the source's root
// before Junction reads them.
const (
	Parquet = "parquet"
	CSV     = "csv"
)

// FileKinds lists the files source kinds.
var FileKinds = []string{Parquet, CSV}

var createIndex = regexp.MustCompile(`(?i)^\s*CREATE\s+(UNIQUE\s+)?INDEX\b`)

// newFilesSource stages a script's tables in DuckDB and exports them to a
// directory in Junction's data directory (where files servers may read by
// default) that a files server reads: as Parquet files, which carry
// their types, or as CSV files, whose types CREATE FOREIGN TABLE
// declares (sniffing would take a text column of digits for a number and
// cannot type an empty file).
func newFilesSource(tb testing.TB, kind, dataDir string) (*Source, error) {
	root := filepath.Join(dataDir, "lake")
	if err := os.Mkdir(root, 0o700); err != nil {
		return nil, err
	}
	staging, err := sql.Open("duckdb", "")
	if err != nil {
		return nil, err
	}
	staging.SetMaxOpenConns(1)
	tb.Cleanup(func() { staging.Close() })
	declared := map[string]string{} // CSV tables declared in Junction: name -> columns
	src := &Source{
		Kind:         kind,
		Database:     root,
		ServerDDL:    fmt.Sprintf(`CREATE SERVER %s FOREIGN DATA WRAPPER files OPTIONS (root '%s')`, SourceName, root),
		RemoteSchema: SourceName,
		Exec: func(ctx context.Context, stmt string) error {
			if stmt == "" {
				return nil
			}
			_, err := staging.ExecContext(ctx, stmt)
			return err
		},
		// Indexes mean nothing to files; FLOAT is a double in
		// PostgreSQL but a single in DuckDB.
		Translate: func(stmt string) string {
			if createIndex.MatchString(stmt) {
				return ""
			}
			return floatType.ReplaceAllString(stmt, "DOUBLE")
		},
	}
	src.Sync = func(ctx context.Context) ([]string, error) {
		return exportTables(ctx, staging, root, kind, declared)
	}
	return src, nil
}

// exportTables writes every staged table to root and returns the
// statements Junction needs to read them (CSV only: the table definitions
// that changed).
func exportTables(ctx context.Context, staging *sql.DB, root, kind string, declared map[string]string) ([]string, error) {
	old, err := filepath.Glob(filepath.Join(root, "*."+kind))
	if err != nil {
		return nil, err
	}
	for _, f := range old {
		if err := os.Remove(f); err != nil {
			return nil, err
		}
	}
	rows, err := staging.QueryContext(ctx, `SELECT table_name, string_agg('"' || column_name || '" ' || data_type, ', ' ORDER BY ordinal_position)
		FROM information_schema.columns GROUP BY table_name ORDER BY table_name`)
	if err != nil {
		return nil, err
	}
	current := map[string]string{}
	for rows.Next() {
		var name, cols string
		if err := rows.Scan(&name, &cols); err != nil {
			rows.Close()
			return nil, err
		}
		current[name] = cols
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var junction []string
	for name, cols := range current {
		path := filepath.Join(root, name+"."+kind)
		format := "(FORMAT parquet)"
		if kind == CSV {
			format = "(FORMAT csv, HEADER true)"
		}
		if _, err := staging.ExecContext(ctx, fmt.Sprintf(`COPY "%s" TO '%s' %s`, name, path, format)); err != nil {
			return nil, err
		}
		if kind != CSV || declared[name] == cols {
			continue
		}
		if _, ok := declared[name]; ok {
			junction = append(junction, fmt.Sprintf(`DROP FOREIGN TABLE %s."%s"`, SourceName, name))
		}
		junction = append(junction, fmt.Sprintf(`CREATE FOREIGN TABLE %s."%s" (%s) SERVER %s OPTIONS (filename '%s.csv')`,
			SourceName, name, postgresColumns(cols), SourceName, name))
		declared[name] = cols
	}
	for name := range declared {
		if _, ok := current[name]; !ok {
			junction = append(junction, fmt.Sprintf(`DROP FOREIGN TABLE %s."%s"`, SourceName, name))
			delete(declared, name)
		}
	}
	return junction, nil
}

// postgresColumns spells DuckDB's column types of the staged tables as
// PostgreSQL's.
func postgresColumns(cols string) string {
	return strings.NewReplacer(" VARCHAR", " text", " DOUBLE", " double precision").Replace(cols)
}
