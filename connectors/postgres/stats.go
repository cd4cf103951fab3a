package postgres

import (
	"context"

	"github.com/junction-db/junction/connectors"
)

// statsSQL reads the planner statistics ANALYZE keeps: per column the
// distinct count (negative: a fraction of the rows) and the null fraction.
// pg_stats shows only columns the user may read. A partitioned table has
// only inherited statistics; a plain table's own come first.
const statsSQL = `
SELECT schemaname::text, tablename::text, attname::text, n_distinct::float8, null_frac::float8
FROM pg_catalog.pg_stats
WHERE schemaname NOT IN ('pg_catalog', 'information_schema')
ORDER BY schemaname, tablename, attname, inherited`

// ReadStats fills in the columns' statistics from pg_stats.
func (c *Connector) ReadStats(ctx context.Context, tables []connectors.Table) error {
	rows, err := c.pool.Query(ctx, statsSQL)
	if err != nil {
		return c.queryError(ctx, err)
	}
	defer rows.Close()
	type colKey struct{ schema, table, col string }
	found := map[colKey]connectors.ColumnStats{}
	for rows.Next() {
		var k colKey
		var nDistinct, nullFrac float64
		if err := rows.Scan(&k.schema, &k.table, &k.col, &nDistinct, &nullFrac); err != nil {
			return c.queryError(ctx, err)
		}
		if _, seen := found[k]; !seen {
			found[k] = connectors.ColumnStats{Distinct: nDistinct, NullFrac: nullFrac}
		}
	}
	if err := rows.Err(); err != nil {
		return c.queryError(ctx, err)
	}
	for ti := range tables {
		t := &tables[ti]
		for ci := range t.Columns {
			st, ok := found[colKey{t.Schema, t.Name, t.Columns[ci].Name}]
			if !ok {
				continue
			}
			if st.Distinct < 0 {
				// A fraction of the rows, kept so as the table grows.
				if t.RowEstimate < 0 {
					continue
				}
				st.Distinct = -st.Distinct * float64(t.RowEstimate)
			}
			t.Columns[ci].Stats = &st
		}
	}
	return nil
}
