package e2e

import (
	"strings"
	"testing"

	"github.com/junction-db/junction/test/testenv"
)

// matviewTables names materialized views copying the federation's
// tables in place of the tables.
var matviewTables = strings.NewReplacer("{customers}", "mv_customers", "{orders}", "mv_orders")

// TestMaterializedViewsDifferential copies both sources' tables into
// materialized views and runs the differential queries on the copies:
// what the copies' DuckDB computes (filters, aggregates, joins, ordering
// pushed to it) must give PostgreSQL's answer on the same data.
func TestMaterializedViewsDifferential(t *testing.T) {
	f := newFederation(t)
	mustExec(t, f.conn(), "CREATE MATERIALIZED VIEW mv_customers AS SELECT * FROM crm.customers")
	mustExec(t, f.conn(), "CREATE MATERIALIZED VIEW mv_orders AS SELECT * FROM shop.orders")

	queries := append([]differentialQuery{
		{"numeric sum by group", `SELECT status, sum(amount), count(*) FROM {orders} GROUP BY status`, false},
		{"numeric sum of no rows", `SELECT sum(amount) FROM {orders} WHERE id < 0`, false},
	}, differentialQueries...)
	for _, q := range queries {
		t.Run(q.name, func(t *testing.T) {
			testenv.Compare(t, f.conn(), f.reference, matviewTables.Replace(q.sql), referenceTables.Replace(q.sql), q.ordered)
		})
	}

	// The copies' DuckDB runs the filter, the join and the aggregate.
	sql := matviewTables.Replace(`SELECT c.country, count(*), sum(o.amount) FROM {customers} c JOIN {orders} o ON o.customer_id = c.id WHERE o.status = 'paid' GROUP BY c.country`)
	remote := remoteSQL(t, f, sql)
	if len(remote) != 1 || strings.Count(remote[0], "matview_") != 2 || !strings.Contains(remote[0], "GROUP BY") || !strings.Contains(remote[0], "sum(") || !strings.Contains(remote[0], "'paid'") {
		t.Errorf("the join of two materialized views is not pushed whole to their copies: %q", remote)
	}
}
