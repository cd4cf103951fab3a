package e2e

import (
	"context"
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

// TestMaterializedViewInfiniteDates copies a PostgreSQL table holding
// infinite dates and timestamps: the view's rows are the source's, and
// filters, ordering and extremes over the copy, which its DuckDB runs
// with the infinite literals, give PostgreSQL's answers.
func TestMaterializedViewInfiniteDates(t *testing.T) {
	testenv.RequirePostgres(t)
	dbname, source := testenv.NewPostgresDB(t, "mvinf")
	if err := testenv.PostgresExec(source)(context.Background(), `CREATE TABLE periods (id int, d date, ts timestamp, tz timestamptz);
		INSERT INTO periods VALUES (1, 'infinity', '-infinity', 'infinity'), (2, '-infinity', 'infinity', '-infinity'),
			(3, '2024-02-29', '2024-02-29 12:00:00', '2024-02-29 12:00:00+00'), (4, NULL, NULL, NULL),
			(5, '0044-03-15 BC', '1999-12-31 23:59:59.999999', '1970-01-01 00:00:00+00'), (6, 'infinity', 'infinity', 'infinity')`); err != nil {
		t.Fatal(err)
	}
	srv := testenv.StartServer(t)
	conn := srv.Connect(t)
	mustExec(t, conn, testenv.PostgresServerDDL("src", dbname))
	mustExec(t, conn, "SET TimeZone = 'UTC'")
	if _, err := source.Exec(context.Background(), "SET TimeZone = 'UTC'"); err != nil {
		t.Fatal(err)
	}
	mustExec(t, conn, "CREATE MATERIALIZED VIEW mv_periods AS SELECT * FROM src.periods")
	for _, q := range []differentialQuery{
		{"rows", `SELECT id, d, ts, tz FROM {p} ORDER BY id`, true},
		{"order by date", `SELECT id, d FROM {p} ORDER BY d NULLS FIRST, id`, true},
		{"order by timestamp desc", `SELECT id, ts FROM {p} ORDER BY ts DESC, id`, true},
		{"below infinity", `SELECT id FROM {p} WHERE d < 'infinity'`, false},
		{"is infinity", `SELECT id FROM {p} WHERE ts = 'infinity'::timestamp`, false},
		{"above -infinity", `SELECT id FROM {p} WHERE ts > '-infinity' AND d > '2000-01-01'`, false},
		{"extremes", `SELECT min(d), max(d), min(ts), max(ts), min(tz), max(tz) FROM {p}`, false},
		{"group", `SELECT d, count(*) FROM {p} GROUP BY d`, false},
	} {
		t.Run(q.name, func(t *testing.T) {
			testenv.Compare(t, conn, source, strings.ReplaceAll(q.sql, "{p}", "mv_periods"), strings.ReplaceAll(q.sql, "{p}", "periods"), q.ordered)
		})
	}
	res := query(t, conn, "EXPLAIN SELECT id FROM mv_periods WHERE d < 'infinity'")
	if plan := strings.Join(column(res, 0), "\n"); !strings.Contains(plan, "CAST('infinity' AS DATE)") {
		t.Errorf("the comparison with infinity is not pushed to the copy:\n%s", plan)
	}
}
