package connectors

import "context"

// ColumnStats is what a source's statistics say about one column; the
// planner uses it to estimate how many groups or join matches a column
// yields.
type ColumnStats struct {
	// Distinct is the estimated number of distinct non-null values.
	Distinct float64 `json:"distinct"`
	// NullFrac is the estimated fraction of rows where the column is null.
	NullFrac float64 `json:"null_frac"`
}

// StatsReader is implemented by connectors that can read their source's
// own statistics. It is optional, as the interface a database/sql driver
// may add: the engine asks for statistics right after Discover when the
// connector has them, and a source without them plans on defaults.
type StatsReader interface {
	// ReadStats fills in Column.Stats of the discovered tables (and may
	// sharpen Table.RowEstimate) where the source has statistics; columns
	// it knows nothing about are left nil.
	ReadStats(ctx context.Context, tables []Table) error
}
