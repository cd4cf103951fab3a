package connectors

import (
	"context"
	"time"

	"github.com/junction-db/junction/vector"
)

// LocalCopies is a local database holding copies Junction made of query
// results (the data of materialized views and the copies of accelerated
// source tables). It is read as a source is,
// through Connector; the engine writes it through the rest. Tables are
// replaced whole: a copy is written under a new name and then published
// in place of the old one, so readers see either the old copy or the new
// one, never a part.
type LocalCopies interface {
	Connector
	// Write creates table with cols and fills it from next, which
	// returns nil at the end. A table of that name is replaced.
	Write(ctx context.Context, table string, cols []Column, next func() (*vector.Batch, error)) (CopyStats, error)
	// Publish renames building to table, replacing table, and records
	// stats with it, in one transaction.
	Publish(ctx context.Context, building, table string, stats CopyStats) error
	// Append moves the rows of building into table, drops building and
	// records stats with table, in one transaction: readers see table
	// with or without all the new rows.
	Append(ctx context.Context, building, table string, stats CopyStats) error
	// Drop removes a table and its record; a missing table is no error.
	Drop(ctx context.Context, table string) error
	// Copies lists the published tables with their records.
	Copies(ctx context.Context) (map[string]CopyStats, error)
}

// CopyStats records how a copy was made.
type CopyStats struct {
	// Started and Finished bound the run of the query that made it.
	Started, Finished time.Time
	// Rows and Bytes are what the query returned (bytes of the values
	// as decoded, the figure EXPLAIN ANALYZE shows for sources).
	Rows, Bytes int64
}
