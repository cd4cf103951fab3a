package main

import (
	"github.com/junction-db/junction/connectors/files"
	"github.com/junction-db/junction/executor/memory"
)

// configureFiles bounds the DuckDB of files sources by the server's
// memory budget and puts their temporary files in its temporary area.
func configureFiles(maxMemory int64, tempDir string) {
	if maxMemory <= 0 {
		maxMemory, _ = memory.Defaults()
	}
	files.SetLimits(files.Limits{MaxMemory: maxMemory, TempDir: tempDir})
}
