package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/junction-db/junction/connectors"
	"github.com/junction-db/junction/connectors/internal/remote"
	"github.com/junction-db/junction/types"
)

// Query runs sql with the simple protocol, whose results are text, and
// parses each value into the column type the planner expects.
func (c *Connector) Query(ctx context.Context, sql string, cols []types.Type) (connectors.Rows, error) {
	return c.query(ctx, sql, cols, pgx.QueryExecModeSimpleProtocol)
}

// QueryParams runs sql with the extended protocol, binding params as text
// values of the types the server infers for them; results are text, as
// with Query.
func (c *Connector) QueryParams(ctx context.Context, sql string, params []string, cols []types.Type) (connectors.Rows, error) {
	args := make([]any, 0, len(params)+1)
	args = append(args, pgx.QueryExecModeExec)
	for _, p := range params {
		args = append(args, p)
	}
	return c.query(ctx, sql, cols, args...)
}

// textResults asks the driver for every column in text; boxed once here
// rather than for every query.
var textResults any = pgx.QueryResultFormats{pgx.TextFormatCode}

// QueryPrepared runs sql as a statement prepared on the connection and
// kept in the driver's per-connection cache (which deallocates the least
// recently used), with text results as Query has.
func (c *Connector) QueryPrepared(ctx context.Context, sql string, params []string, cols []types.Type) (connectors.Rows, error) {
	args := make([]any, 0, len(params)+2)
	args = append(args, pgx.QueryExecModeCacheStatement, textResults)
	for _, p := range params {
		args = append(args, p)
	}
	return c.query(ctx, sql, cols, args...)
}

func (c *Connector) query(ctx context.Context, sql string, cols []types.Type, args ...any) (connectors.Rows, error) {
	ctx, cancel := context.WithCancel(ctx)
	rows, err := c.pool.Query(ctx, sql, args...)
	if err != nil {
		err = c.queryError(ctx, err)
		cancel()
		return nil, err
	}
	fields := rows.FieldDescriptions()
	if shapeErr := remote.CheckColumnCount(c.ep, len(fields), len(cols)); shapeErr != nil {
		// A failed statement has no fields; its error is the one to report.
		rows.Close()
		err := rows.Err()
		if err != nil {
			err = c.queryError(ctx, err)
		} else {
			err = shapeErr
		}
		cancel()
		return nil, err
	}
	names := make([]string, len(cols))
	// A query that reads no column selects a constant the reader skips,
	// so its text forms are not the result's.
	exact := len(fields) == len(cols)
	for i := range cols {
		f := fields[i]
		names[i] = f.Name
		exact = exact && f.Format == pgx.TextFormatCode && f.DataTypeOID == cols[i].OID()
	}
	build := remote.NewBuilder(cols, names, nil)
	return result{
		Rows:  remote.NewRows(pgRows{rows}, build, func(err error) error { return c.queryError(ctx, err) }, cancel),
		exact: exact,
	}, nil
}

// result is a PostgreSQL result. Its text forms are PostgreSQL's output
// under the session settings every connection runs with, and exactly so
// when the server described each column with the type the planner
// expects (see connectors.TextRows).
type result struct {
	*remote.Rows
	exact bool
}

func (r result) PostgresText() bool { return r.exact }

// pgRows reads pgx rows as text values.
type pgRows struct{ pgx.Rows }

func (r pgRows) Values() ([][]byte, error) { return r.RawValues(), nil }
