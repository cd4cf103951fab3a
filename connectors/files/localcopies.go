package files

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/duckdb/duckdb-go/v2"

	"github.com/junction-db/junction/connectors"
	"github.com/junction-db/junction/connectors/sqlgen"
	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/types"
	"github.com/junction-db/junction/vector"
)

// LocalCopies is a DuckDB database file that holds copies of query
// results: the data of materialized views. It is read like a files
// source (Query decodes with the same decoders, Dialect pushes the same
// operations) and written with DuckDB's appender (infinite dates and
// timestamps, which the appender cannot take, by SQL; see infinities).
// Its DuckDB works within a quarter of max_memory and spills to the
// temporary area, as a files source's does, and reads and writes no file
// but its own.
//
// Each copy is a table whose columns carry the PostgreSQL types the way
// a files source's views do (see localType); a record of how each copy
// was made is kept in the table junction_copies of the same file,
// changed in the transaction that publishes the copy, so that it
// survives a restart with the copy.
type LocalCopies struct {
	*Connector
	path string
}

const copiesTable = "junction_copies"

// OpenLocalCopies opens (creating it if needed) the DuckDB file at path.
func OpenLocalCopies(ctx context.Context, path string) (*LocalCopies, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(abs), 0o700); err != nil {
		return nil, fmt.Errorf("local copies: %w", err)
	}
	lim := currentLimits()
	c := &Connector{root: abs, tables: map[string]*table{}}
	settings := []string{"SET autoinstall_known_extensions = false", "SET autoload_known_extensions = false"}
	if lim.MaxMemory > 0 {
		settings = append(settings, "SET memory_limit = '"+strconv.FormatInt(lim.MaxMemory/4, 10)+"B'")
	}
	allowed := []string{stringLiteral(filepath.Dir(abs) + string(filepath.Separator))}
	if lim.TempDir != "" {
		// DuckDB makes the directory when it first spills and removes it
		// when it closes, so the temporary area holds nothing meanwhile.
		dir := filepath.Join(lim.TempDir, fmt.Sprintf("copies-%d-%d", os.Getpid(), time.Now().UnixNano()))
		c.tempDir = dir
		settings = append(settings, "SET temp_directory = "+stringLiteral(dir))
		allowed = append(allowed, stringLiteral(dir+string(filepath.Separator)))
	}
	settings = append(settings, "SET allowed_directories = ["+strings.Join(allowed, ", ")+"]",
		"SET enable_external_access = false", "SET lock_configuration = true",
		"CREATE TABLE IF NOT EXISTS "+copiesTable+" (name VARCHAR PRIMARY KEY, started TIMESTAMPTZ, finished TIMESTAMPTZ, row_count BIGINT, byte_count BIGINT)")
	connector, err := duckdb.NewConnector(abs, nil)
	if err != nil {
		c.removeTemp()
		return nil, fmt.Errorf("local copies: could not open DuckDB file %s: %w", abs, err)
	}
	c.db = sql.OpenDB(connector)
	c.db.SetMaxOpenConns(defaultMaxConnections)
	c.db.SetMaxIdleConns(defaultMaxConnections)
	for _, s := range settings {
		if _, err := c.db.ExecContext(ctx, s); err != nil {
			c.Close()
			return nil, fmt.Errorf("local copies: could not configure DuckDB file %s: %s", abs, duckMessage(err))
		}
	}
	l := &LocalCopies{Connector: c, path: abs}
	if err := l.dropUnpublished(ctx); err != nil {
		l.Close()
		return nil, err
	}
	return l, nil
}

// dropUnpublished drops the tables that were being written when the
// server stopped: no write runs while the file opens, so a table without
// a record was never published.
func (l *LocalCopies) dropUnpublished(ctx context.Context) error {
	rows, err := l.db.QueryContext(ctx, "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main' AND table_name <> '"+copiesTable+
		"' AND table_name NOT IN (SELECT name FROM "+copiesTable+")")
	if err != nil {
		return fmt.Errorf("local copies: %s", duckMessage(err))
	}
	var stale []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			rows.Close()
			return err
		}
		stale = append(stale, name)
	}
	rows.Close()
	for _, name := range stale {
		if _, err := l.db.ExecContext(ctx, "DROP TABLE "+quoteIdent(name)); err != nil {
			return fmt.Errorf("local copies: %s", duckMessage(err))
		}
	}
	return rows.Err()
}

// Discover finds nothing: the copies' columns are the catalog's.
func (l *LocalCopies) Discover(context.Context) (*connectors.Discovery, error) {
	return &connectors.Discovery{}, nil
}

// localType is the DuckDB type a column of type t is copied as: one that
// holds every value exactly and that the decoders of Query read back as
// t. What has no such DuckDB type is kept in PostgreSQL's text form.
func localType(t types.Type) string {
	switch t.Kind {
	case types.Bool:
		return "BOOLEAN"
	case types.Int2:
		return "SMALLINT"
	case types.Int4:
		return "INTEGER"
	case types.Int8:
		return "BIGINT"
	case types.Float4:
		return "FLOAT"
	case types.Float8:
		return "DOUBLE"
	case types.Numeric:
		if t.Precision > 0 && t.Precision <= 38 {
			return "DECIMAL(" + strconv.Itoa(int(t.Precision)) + ", " + strconv.Itoa(int(t.Scale)) + ")"
		}
	case types.Bytea:
		return "BLOB"
	case types.Date:
		return "DATE"
	case types.Time:
		return "TIME"
	case types.Timestamp:
		return "TIMESTAMP"
	case types.TimestampTZ:
		return "TIMESTAMPTZ"
	case types.Interval:
		return "INTERVAL"
	}
	return "VARCHAR"
}

// Write creates table and appends the batches next returns.
func (l *LocalCopies) Write(ctx context.Context, tableName string, cols []connectors.Column, next func() (*vector.Batch, error)) (connectors.CopyStats, error) {
	stats := connectors.CopyStats{Started: time.Now()}
	defs := make([]string, len(cols))
	for i, c := range cols {
		defs[i] = quoteIdent(c.Name) + " " + localType(c.Type)
	}
	conn, err := l.db.Conn(ctx)
	if err != nil {
		return stats, l.queryError(ctx, err, "")
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "CREATE OR REPLACE TABLE "+quoteIdent(tableName)+" ("+strings.Join(defs, ", ")+")"); err != nil {
		return stats, l.queryError(ctx, err, "")
	}
	var inf infinities
	err = conn.Raw(func(dc any) error {
		app, err := duckdb.NewAppenderFromConn(dc.(driver.Conn), "", tableName)
		if err != nil {
			return err
		}
		row := make([]driver.Value, len(cols))
		for {
			if err := ctx.Err(); err != nil {
				app.Close()
				return err
			}
			b, err := next()
			if err != nil || b == nil {
				if cerr := app.Close(); err == nil {
					err = cerr
				}
				return err
			}
			for i := 0; i < b.Len; i++ {
				for j, v := range b.Cols {
					if inf.add(v, i, j, stats.Rows+int64(i)) {
						row[j] = nil
						continue
					}
					if row[j], err = localValue(v, i); err != nil {
						app.Close()
						return &pgerr.Error{Code: pgerr.Code(err), Message: pgerr.As(err).Message,
							Detail: fmt.Sprintf("Column %q of the copy.", cols[j].Name)}
					}
				}
				if err := app.AppendRow(row...); err != nil {
					app.Close()
					return err
				}
			}
			stats.Rows += int64(b.Len)
			stats.Bytes += vector.BatchBytes(b)
		}
	})
	if err == nil {
		err = inf.write(ctx, conn, tableName, cols)
	}
	stats.Finished = time.Now()
	if err != nil {
		conn.ExecContext(context.WithoutCancel(ctx), "DROP TABLE IF EXISTS "+quoteIdent(tableName)) //nolint:errcheck // the failure reported is err
		if pe := new(pgerr.Error); errors.As(err, &pe) {
			return stats, pe
		}
		return stats, l.queryError(ctx, err, "")
	}
	return stats, nil
}

// localValue is row i of v as the appender takes it for localType.
func localValue(v *vector.Vector, i int) (driver.Value, error) {
	if v.IsNull(i) {
		return nil, nil
	}
	t := v.Type
	switch localType(t) {
	case "BOOLEAN":
		return v.Bool[i], nil
	case "SMALLINT", "INTEGER", "BIGINT":
		return v.Int[i], nil
	case "FLOAT", "DOUBLE":
		return v.Float[i], nil
	case "BLOB":
		return v.Bytes[i], nil
	case "INTERVAL":
		iv := v.Iv[i]
		return duckdb.Interval{Months: iv.Months, Days: iv.Days, Micros: iv.Micros}, nil
	case "DATE":
		y, m, d := types.DaysToDate(v.Int[i])
		return time.Date(y, m, d, 0, 0, 0, 0, time.UTC), nil
	case "TIME":
		return time.UnixMicro(v.Int[i]).UTC(), nil
	case "TIMESTAMP", "TIMESTAMPTZ":
		return types.MicrosToTime(v.Int[i]), nil
	case "VARCHAR":
		if fixedChar(t) {
			// Kept without the padding, which the decoder adds again,
			// so that DuckDB groups and orders them as PostgreSQL
			// compares char(n): trailing spaces do not count.
			return strings.TrimRight(v.Str[i], " "), nil
		}
		if t.Physical() == types.PhysString {
			return v.Str[i], nil
		}
		return types.FormatText(t, v.Datum(i)), nil
	}
	d := v.Dec[i]
	scale := int32(t.Scale)
	return duckdb.Decimal{Width: uint8(t.Precision), Scale: uint8(t.Scale), Value: new(big.Int).Set(d.Shift(scale).BigInt())}, nil
}

// infinities are the infinite dates and timestamps of a copy being
// written. DuckDB holds infinity and -infinity in DATE and TIMESTAMP
// columns and orders them as PostgreSQL does, but its appender takes
// only finite time.Time values: the appender writes NULL in their place
// and write sets them afterwards by SQL, finding the rows by rowid,
// which in a table only appended to since it was created is the row's
// position in the order appended.
type infinities struct {
	// rows holds, by column, the rowids of -infinity ([0]) and
	// infinity ([1]).
	rows map[int]*[2][]int64
}

// add records row i of v, column col, at rowid when it is infinite.
func (f *infinities) add(v *vector.Vector, i, col int, rowid int64) bool {
	switch v.Type.Kind {
	case types.Date, types.Timestamp, types.TimestampTZ:
	default:
		return false
	}
	if v.IsNull(i) || types.IsFinite(v.Int[i]) {
		return false
	}
	if f.rows == nil {
		f.rows = map[int]*[2][]int64{}
	}
	r, ok := f.rows[col]
	if !ok {
		r = &[2][]int64{}
		f.rows[col] = r
	}
	if v.Int[i] == types.PosInfinity {
		r[1] = append(r[1], rowid)
	} else {
		r[0] = append(r[0], rowid)
	}
	return true
}

// write sets the recorded values in table.
func (f *infinities) write(ctx context.Context, conn *sql.Conn, tableName string, cols []connectors.Column) error {
	for col, r := range f.rows {
		for sign, value := range []string{"-infinity", "infinity"} {
			if len(r[sign]) == 0 {
				continue
			}
			_, err := conn.ExecContext(ctx, "UPDATE "+quoteIdent(tableName)+" SET "+quoteIdent(cols[col].Name)+" = CAST('"+value+"' AS "+
				localType(cols[col].Type)+") WHERE rowid IN (SELECT unnest(CAST(? AS BIGINT[])))", r[sign])
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// Publish renames building to table in place of the old table, and
// records stats, in one transaction: a query reading the old table
// keeps reading it, a query that starts after reads the new one.
func (l *LocalCopies) Publish(ctx context.Context, building, tableName string, stats connectors.CopyStats) error {
	return l.inTransaction(ctx, []statement{
		{"DROP TABLE IF EXISTS " + quoteIdent(tableName), nil},
		{"ALTER TABLE " + quoteIdent(building) + " RENAME TO " + quoteIdent(tableName), nil},
		{"DELETE FROM " + copiesTable + " WHERE name = ?", []any{tableName}},
		{"INSERT INTO " + copiesTable + " VALUES (?, ?, ?, ?, ?)", []any{tableName, stats.Started, stats.Finished, stats.Rows, stats.Bytes}},
	})
}

// Append inserts the rows of building into table, drops building and
// records stats, in one transaction.
func (l *LocalCopies) Append(ctx context.Context, building, tableName string, stats connectors.CopyStats) error {
	return l.inTransaction(ctx, []statement{
		{"INSERT INTO " + quoteIdent(tableName) + " SELECT * FROM " + quoteIdent(building), nil},
		{"DROP TABLE " + quoteIdent(building), nil},
		{"UPDATE " + copiesTable + " SET started = ?, finished = ?, row_count = ?, byte_count = ? WHERE name = ?",
			[]any{stats.Started, stats.Finished, stats.Rows, stats.Bytes, tableName}},
	})
}

// statement is one statement of a transaction with its arguments.
type statement struct {
	sql  string
	args []any
}

// inTransaction runs stmts in one transaction.
func (l *LocalCopies) inTransaction(ctx context.Context, stmts []statement) error {
	tx, err := l.db.BeginTx(ctx, nil)
	if err != nil {
		return l.queryError(ctx, err, "")
	}
	defer tx.Rollback() //nolint:errcheck // after Commit, a no-op
	for _, stmt := range stmts {
		if _, err := tx.ExecContext(ctx, stmt.sql, stmt.args...); err != nil {
			return l.queryError(ctx, err, "")
		}
	}
	if err := tx.Commit(); err != nil {
		return l.queryError(ctx, err, "")
	}
	return nil
}

// Drop removes a table and its record.
func (l *LocalCopies) Drop(ctx context.Context, tableName string) error {
	return l.inTransaction(ctx, []statement{
		{"DROP TABLE IF EXISTS " + quoteIdent(tableName), nil},
		{"DELETE FROM " + copiesTable + " WHERE name = ?", []any{tableName}},
	})
}

// Copies lists the published tables: those with a record that exist.
func (l *LocalCopies) Copies(ctx context.Context) (map[string]connectors.CopyStats, error) {
	rows, err := l.db.QueryContext(ctx, "SELECT c.name, c.started, c.finished, c.row_count, c.byte_count FROM "+copiesTable+
		" c JOIN duckdb_tables() t ON t.table_name = c.name AND t.schema_name = 'main'")
	if err != nil {
		return nil, l.queryError(ctx, err, "")
	}
	defer rows.Close()
	out := map[string]connectors.CopyStats{}
	for rows.Next() {
		var name string
		var st connectors.CopyStats
		if err := rows.Scan(&name, &st.Started, &st.Finished, &st.Rows, &st.Bytes); err != nil {
			return nil, l.queryError(ctx, err, "")
		}
		out[name] = st
	}
	return out, rows.Err()
}

// Dialect is the files sources' DuckDB dialect: the copies hold their
// values as the views of files do (char(n) without padding, numerics of up
// to 38 digits as DECIMALs).
func (l *LocalCopies) Dialect() sqlgen.Dialect { return Dialect{} }
