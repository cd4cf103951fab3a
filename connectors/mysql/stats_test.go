package mysql

import (
	"testing"

	"github.com/junction-db/junction/connectors/internal/remotetest"
)

func TestReadStatsFromIndexStatistics(t *testing.T) {
	c := openSource(t, remotetest.MySQLDB(t,
		`CREATE TABLE facts (id int PRIMARY KEY, grp int, plain int, KEY (grp))`,
		`INSERT INTO facts SELECT seq, seq % 10, seq FROM seq_1_to_1000`,
		`ANALYZE TABLE facts`,
	), nil)
	tables := remotetest.DiscoverWithStats(t, c)
	if len(tables) != 1 {
		t.Fatalf("tables %+v", tables)
	}
	rows := float64(tables[0].RowEstimate)
	for _, col := range tables[0].Columns {
		switch col.Name {
		case "id":
			if col.Stats == nil || col.Stats.Distinct != rows {
				t.Errorf("id: stats %+v, want the row count %v for a primary key", col.Stats, rows)
			}
		case "grp":
			// InnoDB samples index pages: the cardinality is an estimate.
			if col.Stats == nil || col.Stats.Distinct < 1 || col.Stats.Distinct > 1000 {
				t.Errorf("grp: stats %+v", col.Stats)
			}
		}
	}
}
