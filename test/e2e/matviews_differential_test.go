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
	// char(n) values, padded: the copy groups and orders them.
	codes := `SELECT c.id, c.country::char(4) AS code, o.status::char(12) AS st FROM {customers} c JOIN {orders} o ON o.customer_id = c.id`
	mustExec(t, f.conn(), "CREATE MATERIALIZED VIEW mv_codes AS "+junctionTables.Replace(codes))
	for _, q := range []differentialQuery{
		{"char group", `SELECT code, st, count(*) FROM {codes} GROUP BY code, st ORDER BY code DESC, st`, true},
		{"char order", `SELECT code || '|', st FROM {codes} ORDER BY st, code NULLS FIRST, id LIMIT 50`, true},
		{"char distinct", `SELECT DISTINCT st FROM {codes}`, false},
	} {
		t.Run(q.name, func(t *testing.T) {
			testenv.Compare(t, f.conn(), f.reference, strings.ReplaceAll(q.sql, "{codes}", "mv_codes"),
				strings.ReplaceAll(q.sql, "{codes}", "("+referenceTables.Replace(codes)+") s"), q.ordered)
		})
	}
	if remote := remoteSQL(t, f, "SELECT st, count(*) FROM mv_codes GROUP BY st ORDER BY st"); len(remote) != 1 || !strings.Contains(remote[0], "GROUP BY") || !strings.Contains(remote[0], "ORDER BY") {
		t.Errorf("grouping and ordering char(n) are not pushed to the copy: %q", remote)
	}

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
