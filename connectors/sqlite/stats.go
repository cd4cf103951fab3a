package sqlite

import (
	"context"
	"os"
	"strconv"
	"strings"

	"github.com/junction-db/junction/connectors"
)

// exactStatsLimit is the file size up to which statistics are counted
// exactly, one scan per table, rather than read from sqlite_stat1: small
// files are where ANALYZE has usually never run, and counting them is
// cheap.
const exactStatsLimit = 16 << 20

// ReadStats fills in row counts and column statistics: counted for a
// small file, else from sqlite_stat1 for the first column of each
// analyzed index.
func (c *Connector) ReadStats(ctx context.Context, tables []connectors.Table) error {
	if info, err := os.Stat(c.path); err == nil && info.Size() <= exactStatsLimit {
		for ti := range tables {
			if !tables[ti].IsView {
				if err := c.countStats(ctx, &tables[ti]); err != nil {
					return c.queryError(ctx, err)
				}
			}
		}
		return nil
	}
	return c.indexStats(ctx, tables)
}

// countStats counts a table's rows and each column's distinct values and
// nulls in one scan.
func (c *Connector) countStats(ctx context.Context, t *connectors.Table) error {
	if len(t.Columns) == 0 {
		return nil
	}
	var sel strings.Builder
	sel.WriteString("SELECT count(*)")
	for _, col := range t.Columns {
		q := Dialect{}.QuoteIdent(col.Name)
		sel.WriteString(", count(DISTINCT " + q + "), count(*) - count(" + q + ")")
	}
	sel.WriteString(" FROM " + Dialect{}.QuoteIdent(t.Name))
	vals := make([]int64, 1+2*len(t.Columns))
	dest := make([]any, len(vals))
	for i := range vals {
		dest[i] = &vals[i]
	}
	if err := c.db.QueryRowContext(ctx, sel.String()).Scan(dest...); err != nil {
		return err
	}
	t.RowEstimate = vals[0]
	for i := range t.Columns {
		st := connectors.ColumnStats{Distinct: float64(vals[1+2*i])}
		if vals[0] > 0 {
			st.NullFrac = float64(vals[2+2*i]) / float64(vals[0])
		}
		t.Columns[i].Stats = &st
	}
	return nil
}

// indexStats reads sqlite_stat1, whose stat column starts with the
// table's row count followed by the average number of rows per distinct
// value of the index's first column.
func (c *Connector) indexStats(ctx context.Context, tables []connectors.Table) error {
	var exists bool
	err := c.db.QueryRowContext(ctx,
		"SELECT count(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'").Scan(&exists)
	if err != nil || !exists {
		return err
	}
	rows, err := c.db.QueryContext(ctx, `SELECT s.tbl, i.name, s.stat
		FROM sqlite_stat1 s JOIN pragma_index_info(s.idx) i ON i.seqno = 0
		WHERE s.idx IS NOT NULL`)
	if err != nil {
		return c.queryError(ctx, err)
	}
	defer rows.Close()
	found := map[[2]string]connectors.ColumnStats{}
	for rows.Next() {
		var tbl, col, stat string
		if err := rows.Scan(&tbl, &col, &stat); err != nil {
			return c.queryError(ctx, err)
		}
		f := strings.Fields(stat)
		if len(f) < 2 {
			continue
		}
		n, err1 := strconv.ParseFloat(f[0], 64)
		perValue, err2 := strconv.ParseFloat(f[1], 64)
		if err1 != nil || err2 != nil || perValue <= 0 {
			continue
		}
		found[[2]string{tbl, col}] = connectors.ColumnStats{Distinct: n / perValue}
	}
	if err := rows.Err(); err != nil {
		return c.queryError(ctx, err)
	}
	for ti := range tables {
		t := &tables[ti]
		for ci := range t.Columns {
			if st, ok := found[[2]string{t.Name, t.Columns[ci].Name}]; ok {
				t.Columns[ci].Stats = &st
			}
		}
	}
	return nil
}
