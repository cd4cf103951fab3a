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
	ctx, cancel := context.WithCancel(ctx)
	rows, err := c.pool.Query(ctx, sql, pgx.QueryExecModeSimpleProtocol)
	if err != nil {
		err = c.queryError(ctx, err)
		cancel()
		return nil, err
	}
	fields := rows.FieldDescriptions()
	if len(fields) != len(cols) {
		// A failed statement has no fields; its error is the one to report.
		rows.Close()
		err := rows.Err()
		if err != nil {
			err = c.queryError(ctx, err)
		} else {
			err = remote.CheckColumnCount(c.ep, len(fields), len(cols))
		}
		cancel()
		return nil, err
	}
	names := make([]string, len(fields))
	appenders := make([]remote.Appender, len(cols))
	for i, f := range fields {
		names[i] = f.Name
		appenders[i] = remote.ParseAppender(cols[i])
	}
	build := remote.NewBuilder(cols, names, appenders)
	return remote.NewRows(pgRows{rows}, build, func(err error) error { return c.queryError(ctx, err) }, cancel), nil
}

// pgRows reads pgx rows as text values.
type pgRows struct{ pgx.Rows }

func (r pgRows) Values() ([][]byte, error) { return r.RawValues(), nil }
