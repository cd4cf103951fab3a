package main

import (
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	_ "github.com/duckdb/duckdb-go/v2" // the database/sql driver that writes the demo's Parquet file

	"github.com/junction-db/junction/catalog"
)

// The demo's files source: a directory beside the SQLite databases with a
// Parquet file of shipments, one per order, and a CSV file of carriers.
const (
	demoLakeSource = "demo_lake"
	demoLakeDir    = "lake"
)

// demoCarriers are the rows of carriers.csv.
var demoCarriers = []struct{ code, name, country string }{
	{"DHL", "DHL Express", "DE"}, {"UPS", "United Parcel Service", "US"},
	{"PNL", "PostNL", "NL"}, {"CLP", "Colissimo", "FR"}, {"GLS", "General Logistics Systems", "NL"},
}

// prepareDemoLake writes the lake directory's files where they are missing
// and returns the source that reads them. The shipments are computed from
// the order number alone, so they are the same on every machine.
func prepareDemoLake(dir string) (catalog.Source, error) {
	lake := filepath.Join(dir, demoLakeDir)
	src := catalog.Source{Name: demoLakeSource, Wrapper: "files", Options: map[string]string{"root": lake}, Builtin: true}
	if err := os.MkdirAll(lake, 0o700); err != nil {
		return src, err
	}
	carriers := filepath.Join(lake, "carriers.csv")
	if _, err := os.Stat(carriers); errors.Is(err, os.ErrNotExist) {
		var b strings.Builder
		b.WriteString("code,name,country\n")
		for _, c := range demoCarriers {
			fmt.Fprintf(&b, "%s,%s,%s\n", c.code, c.name, c.country)
		}
		if err := writeThenRename(carriers, func(tmp string) error { return os.WriteFile(tmp, []byte(b.String()), 0o600) }); err != nil {
			return src, fmt.Errorf("generate %s: %w", carriers, err)
		}
	} else if err != nil {
		return src, err
	}
	shipments := filepath.Join(lake, "shipments.parquet")
	if _, err := os.Stat(shipments); errors.Is(err, os.ErrNotExist) {
		if err := writeThenRename(shipments, writeShipments); err != nil {
			return src, fmt.Errorf("generate %s: %w", shipments, err)
		}
	} else if err != nil {
		return src, err
	}
	return src, nil
}

// writeShipments writes the shipments Parquet file with DuckDB.
func writeShipments(path string) error {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		return err
	}
	defer db.Close()
	codes := make([]string, len(demoCarriers))
	for i, c := range demoCarriers {
		codes[i] = "'" + c.code + "'"
	}
	_, err = db.Exec(fmt.Sprintf(`COPY (
		SELECT i::INTEGER AS order_id,
		       [%s][(i * 7) %% %d + 1] AS carrier,
		       ((i * 37) %% 2500 + 100)::DECIMAL(8,0) / 100 AS weight_kg,
		       (1 + (i * 13) %% 6)::SMALLINT AS days_in_transit
		  FROM range(1, %d) t(i)
		 ORDER BY i) TO '%s' (FORMAT parquet)`,
		strings.Join(codes, ", "), len(demoCarriers), demoOrders+1, strings.ReplaceAll(path, "'", "''")))
	return err
}

// writeThenRename writes a file next to path and renames it into place,
// so that an interrupted run leaves no half-written file behind.
func writeThenRename(path string, write func(tmp string) error) error {
	tmp := path + ".partial"
	if err := write(tmp); err != nil {
		os.Remove(tmp) //nolint:errcheck // best-effort clean-up of a failed run
		return err
	}
	return os.Rename(tmp, path)
}
