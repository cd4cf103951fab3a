package engine

import (
	"testing"
	"time"

	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/planner"
)

func TestMatViewOptions(t *testing.T) {
	for _, c := range []struct {
		sql, interval, code string
		every               time.Duration
	}{
		{"CREATE MATERIALIZED VIEW v AS SELECT 1", "", "", 0},
		{"CREATE MATERIALIZED VIEW v WITH (junction.refresh_interval = '5 min') AS SELECT 1", "5 min", "", 5 * time.Minute},
		{"CREATE MATERIALIZED VIEW v WITH (junction.refresh_interval = '1 day 2 hours') AS SELECT 1", "1 day 2 hours", "", 26 * time.Hour},
		{"CREATE MATERIALIZED VIEW v WITH (junction.refresh_interval = '500 ms') AS SELECT 1", "", pgerr.InvalidParameterValue, 0},
		{"CREATE MATERIALIZED VIEW v WITH (junction.refresh_interval = 'often') AS SELECT 1", "", pgerr.InvalidParameterValue, 0},
		{"CREATE MATERIALIZED VIEW v WITH (fillfactor = 70) AS SELECT 1", "", pgerr.InvalidParameterValue, 0},
		{"CREATE MATERIALIZED VIEW v WITH (other.refresh_interval = '5 min') AS SELECT 1", "", pgerr.InvalidParameterValue, 0},
	} {
		stmts, err := planner.Parse(c.sql)
		if err != nil {
			t.Fatal(err)
		}
		got, err := matviewOptions(stmts[0].Stmt.GetCreateTableAsStmt().Into.Options)
		if c.code != "" {
			if pgerr.Code(err) != c.code {
				t.Errorf("%s: error %v, want SQLSTATE %s", c.sql, err, c.code)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", c.sql, err)
			continue
		}
		if got != c.interval {
			t.Errorf("%s: interval %q, want %q", c.sql, got, c.interval)
		}
		if every, _ := parseRefreshInterval(got); got != "" && every != c.every {
			t.Errorf("%s: every %v, want %v", c.sql, every, c.every)
		}
	}
}
