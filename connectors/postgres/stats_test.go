package postgres

import (
	"testing"

	"github.com/junction-db/junction/connectors/internal/remotetest"
)

func TestReadStatsFromPgStats(t *testing.T) {
	c := openSource(t, remotetest.PostgresDB(t,
		`CREATE TABLE facts (id int PRIMARY KEY, grp int, maybe int, unseen int)`,
		`INSERT INTO facts SELECT i, i % 10, CASE WHEN i % 4 = 0 THEN NULL ELSE i % 3 END, i FROM generate_series(1, 1000) i`,
		`ANALYZE facts (id, grp, maybe)`,
	), nil)
	tables := remotetest.DiscoverWithStats(t, c)
	if len(tables) != 1 || tables[0].RowEstimate != 1000 {
		t.Fatalf("tables %+v", tables)
	}
	want := map[string][2]float64{"id": {1000, 0}, "grp": {10, 0}, "maybe": {3, 0.25}}
	for _, col := range tables[0].Columns {
		w, ok := want[col.Name]
		if !ok {
			if col.Stats != nil {
				t.Errorf("%s: stats %+v for a column never analyzed", col.Name, *col.Stats)
			}
			continue
		}
		if col.Stats == nil || col.Stats.Distinct != w[0] || col.Stats.NullFrac != w[1] {
			t.Errorf("%s: stats %+v, want distinct %v null fraction %v", col.Name, col.Stats, w[0], w[1])
		}
	}
}
