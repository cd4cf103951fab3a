package mysql

import (
	"context"
	"database/sql"
	"strings"

	"github.com/junction-db/junction/connectors"
)

// indexStatsSQL reads the index statistics every engine keeps: for the
// first column of an index, CARDINALITY estimates its distinct values.
const indexStatsSQL = `
SELECT TABLE_SCHEMA, TABLE_NAME, INDEX_NAME, NON_UNIQUE, SEQ_IN_INDEX, COLUMN_NAME, CARDINALITY
FROM information_schema.STATISTICS
WHERE TABLE_SCHEMA IN (%s)`

// columnStatsSQL reads MariaDB's engine-independent statistics (ANALYZE
// TABLE ... PERSISTENT FOR ALL), which cover columns without an index:
// avg_frequency is the average number of rows per distinct value.
const columnStatsSQL = `
SELECT db_name, table_name, column_name, nulls_ratio, avg_frequency
FROM mysql.column_stats
WHERE db_name IN (%s)`

type colKey struct{ schema, table, col string }

// ReadStats fills in the columns' statistics from the index statistics
// and, on MariaDB where the user may read them, the engine-independent
// column statistics, which take precedence.
func (c *Connector) ReadStats(ctx context.Context, tables []connectors.Table) error {
	args := make([]any, len(c.schemas))
	for i, s := range c.schemas {
		args[i] = s
	}
	placeholders := strings.TrimSuffix(strings.Repeat("?, ", len(args)), ", ")
	rowsOf := map[[2]string]int64{}
	for _, t := range tables {
		rowsOf[[2]string{t.Schema, t.Name}] = t.RowEstimate
	}
	found, err := c.indexStats(ctx, placeholders, args, rowsOf)
	if err != nil {
		return err
	}
	if c.mariaDB {
		// Reading mysql.column_stats needs a privilege many users lack;
		// index statistics are then all there is.
		_ = c.columnStats(ctx, placeholders, args, rowsOf, found)
	}
	for ti := range tables {
		t := &tables[ti]
		for ci := range t.Columns {
			if st, ok := found[colKey{t.Schema, t.Name, t.Columns[ci].Name}]; ok {
				t.Columns[ci].Stats = &st
			}
		}
	}
	return nil
}

func (c *Connector) indexStats(ctx context.Context, placeholders string, args []any, rowsOf map[[2]string]int64) (map[colKey]connectors.ColumnStats, error) {
	rows, err := c.db.QueryContext(ctx, strings.Replace(indexStatsSQL, "%s", placeholders, 1), args...)
	if err != nil {
		return nil, c.queryError(ctx, err)
	}
	defer rows.Close()
	type indexKey struct{ schema, table, index string }
	type first struct {
		col         colKey
		unique      bool
		cardinality sql.NullInt64
	}
	firsts := map[indexKey]first{}
	width := map[indexKey]int{}
	for rows.Next() {
		var (
			k         indexKey
			col       string
			nonUnique int
			seq       int
			card      sql.NullInt64
		)
		if err := rows.Scan(&k.schema, &k.table, &k.index, &nonUnique, &seq, &col, &card); err != nil {
			return nil, c.queryError(ctx, err)
		}
		width[k]++
		if seq == 1 {
			firsts[k] = first{col: colKey{k.schema, k.table, col}, unique: nonUnique == 0, cardinality: card}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, c.queryError(ctx, err)
	}
	out := map[colKey]connectors.ColumnStats{}
	for k, f := range firsts {
		distinct := -1.0
		switch {
		case f.unique && width[k] == 1 && rowsOf[[2]string{k.schema, k.table}] >= 0:
			// A unique index on the column alone: every row a value.
			distinct = float64(rowsOf[[2]string{k.schema, k.table}])
		case f.cardinality.Valid:
			distinct = float64(f.cardinality.Int64)
		}
		if distinct < 0 {
			continue
		}
		if prev, ok := out[f.col]; !ok || distinct > prev.Distinct {
			out[f.col] = connectors.ColumnStats{Distinct: distinct}
		}
	}
	return out, nil
}

func (c *Connector) columnStats(ctx context.Context, placeholders string, args []any, rowsOf map[[2]string]int64, into map[colKey]connectors.ColumnStats) error {
	rows, err := c.db.QueryContext(ctx, strings.Replace(columnStatsSQL, "%s", placeholders, 1), args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var k colKey
		var nullsRatio, avgFrequency sql.NullFloat64
		if err := rows.Scan(&k.schema, &k.table, &k.col, &nullsRatio, &avgFrequency); err != nil {
			return err
		}
		n := rowsOf[[2]string{k.schema, k.table}]
		if n < 0 || !avgFrequency.Valid || avgFrequency.Float64 <= 0 {
			continue
		}
		st := connectors.ColumnStats{NullFrac: nullsRatio.Float64}
		st.Distinct = float64(n) * (1 - st.NullFrac) / avgFrequency.Float64
		into[k] = st
	}
	return rows.Err()
}
