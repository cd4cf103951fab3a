package main

import (
	"context"
	"path/filepath"

	"github.com/junction-db/junction/connectors"
	"github.com/junction-db/junction/connectors/files"
)

// localCopiesFile is the DuckDB file of the data directory that holds
// the materialized views' copies.
const localCopiesFile = "matviews.duckdb"

// openLocalCopies opens the materialized views' copies in dataDir, bound
// like files sources by the limits configureFiles set.
func openLocalCopies(ctx context.Context, dataDir string) (connectors.LocalCopies, error) {
	c, err := files.OpenLocalCopies(ctx, filepath.Join(dataDir, localCopiesFile))
	if err != nil {
		return nil, err
	}
	return c, nil
}
