package planner_test

import (
	"testing"

	"github.com/junction-db/junction/catalog"
	"github.com/junction-db/junction/connectors"
	"github.com/junction-db/junction/connectors/mysql"
	"github.com/junction-db/junction/connectors/postgres"
	"github.com/junction-db/junction/connectors/sqlgen"
	"github.com/junction-db/junction/planner"
	"github.com/junction-db/junction/types"
)

// col is a discovered column; ndv > 0 gives it statistics.
func col(name string, t types.Type, ndv float64) connectors.Column {
	c := connectors.Column{Name: name, Type: t, Nullable: true}
	if ndv > 0 {
		c.Stats = &connectors.ColumnStats{Distinct: ndv}
	}
	return c
}

// tpchEnv registers orders and lineitem in a PostgreSQL source pg and
// customer and nation in a MySQL source my, with the statistics of scale
// factor 0.1 when withStats is set.
func tpchEnv(t *testing.T, withStats bool) *planner.Env {
	t.Helper()
	ndv := func(n float64) float64 {
		if withStats {
			return n
		}
		return 0
	}
	money := types.Type{Kind: types.Numeric, Precision: 15, Scale: 2}
	return envWith(t, []*catalog.Source{
		{Name: "pg", Wrapper: "postgres", DefaultSchema: "public", Tables: []connectors.Table{
			{Schema: "public", Name: "orders", RowEstimate: 150000, Columns: []connectors.Column{
				col("o_orderkey", types.TInt4, ndv(150000)), col("o_custkey", types.TInt4, ndv(10000)),
				col("o_orderdate", types.TDate, ndv(2400)), col("o_totalprice", money, 0),
			}},
			{Schema: "public", Name: "lineitem", RowEstimate: 600000, Columns: []connectors.Column{
				col("l_orderkey", types.TInt4, ndv(150000)), col("l_suppkey", types.TInt4, ndv(1000)),
				col("l_quantity", types.TInt4, ndv(50)), col("l_extendedprice", money, 0),
				col("l_discount", money, ndv(11)), col("l_tax", types.TFloat8, 0), col("l_shipdate", types.TDate, ndv(2500)),
			}},
		}},
		{Name: "my", Wrapper: "mysql", DefaultSchema: "tpch", Tables: []connectors.Table{
			{Schema: "tpch", Name: "customer", RowEstimate: 15000, Columns: []connectors.Column{
				col("c_custkey", types.TInt4, ndv(15000)), col("c_name", types.Type{Kind: types.Varchar, Length: 25}, ndv(15000)),
				col("c_nationkey", types.TInt4, ndv(25)), col("c_acctbal", money, 0),
			}},
			{Schema: "tpch", Name: "nation", RowEstimate: 25, Columns: []connectors.Column{
				col("n_nationkey", types.TInt4, ndv(25)), col("n_name", types.Type{Kind: types.Bpchar, Length: 25}, ndv(25)),
			}},
		}},
	}, map[string]sqlgen.Dialect{"pg": &postgres.Dialect{}, "my": mysql.Dialect{}})
}

const q10Shape = `SELECT c_custkey, c_name, n_name, sum(l_extendedprice * (1 - l_discount)) AS revenue
	FROM my.customer, pg.orders, pg.lineitem, my.nation
	WHERE c_custkey = o_custkey AND l_orderkey = o_orderkey AND c_nationkey = n_nationkey
	  AND o_orderdate >= date '1993-10-01'
	GROUP BY c_custkey, c_name, n_name ORDER BY revenue DESC LIMIT 20`

func TestPartialAggregateBelowCrossSourceJoin(t *testing.T) {
	cases := []explainCase{
		{
			name: "Q10: lineitem revenue is summed per customer key at its source",
			sql:  q10Shape,
			want: []string{
				`Remote SQL: SELECT t1."o_custkey", sum((t2."l_extendedprice" * ('1'::numeric - t2."l_discount"))) FROM "public"."orders" t1, "public"."lineitem" t2 WHERE (t1."o_orderdate" >= DATE '1993-10-01') AND (t2."l_orderkey" = t1."o_orderkey") GROUP BY t1."o_custkey"`,
				"Aggregates: sum(sum)",
			},
		},
		{
			name: "group keys of the aggregated side join the partial grouping; counts and averages split",
			sql: `SELECT o_orderdate, c_name, count(*), count(l_quantity), avg(l_quantity), min(l_discount), max(l_discount), sum(l_quantity)
				FROM my.customer JOIN pg.orders ON c_custkey = o_custkey JOIN pg.lineitem ON l_orderkey = o_orderkey
				GROUP BY o_orderdate, c_name HAVING count(*) > 1`,
			want: []string{
				`SELECT t1."o_custkey", t1."o_orderdate", count(*), count(t2."l_quantity"), sum(t2."l_quantity"), min(t2."l_discount"), max(t2."l_discount") FROM`,
				`GROUP BY t1."o_custkey", t1."o_orderdate"`,
				"Aggregates: sum(count), sum(count), sum(sum), min(min), max(max), sum(sum), sum(count), sum(count)",
			},
		},
		{
			name: "a count without GROUP BY is 0 over no rows",
			sql:  `SELECT count(*), sum(l_quantity) FROM my.customer JOIN pg.lineitem ON c_custkey = l_suppkey`,
			want: []string{`SELECT t1."l_suppkey", count(*), sum(t1."l_quantity") FROM "public"."lineitem" t1 GROUP BY t1."l_suppkey"`, "coalesce("},
		},
		{
			name: "Q9: the year of a date of the aggregated side groups at its source",
			sql: `SELECT c_name, extract(year FROM l_shipdate) AS y, sum(l_quantity)
				FROM my.customer JOIN pg.lineitem ON c_custkey = l_suppkey GROUP BY c_name, y`,
			want: []string{`SELECT t1."l_suppkey", EXTRACT(year FROM t1."l_shipdate"), sum(t1."l_quantity") FROM "public"."lineitem" t1 GROUP BY t1."l_suppkey", EXTRACT(year FROM t1."l_shipdate")`},
		},
		{
			name: "an expression over both sides is no key of either",
			sql: `SELECT l_shipdate + c_custkey, sum(l_quantity)
				FROM my.customer JOIN pg.lineitem ON c_custkey = l_suppkey GROUP BY 1`,
			not: []string{"GROUP BY t1.\"l_suppkey\", EXTRACT"},
		},
		{
			name:    "no statistics, no split",
			sql:     q10Shape,
			noStats: true,
			not:     []string{"GROUP BY t1.\"o_custkey\""},
		},
		{
			name: "keys that hardly group leave the side whole",
			sql: `SELECT c_name, sum(l_quantity) FROM my.customer JOIN pg.orders ON c_custkey = o_custkey
				JOIN pg.lineitem ON l_orderkey = o_orderkey AND l_suppkey = c_nationkey GROUP BY c_name`,
			not: []string{"GROUP BY t1."},
		},
		{
			name: "DISTINCT aggregates do not split",
			sql:  `SELECT c_name, count(DISTINCT l_quantity) FROM my.customer JOIN pg.lineitem ON c_custkey = l_suppkey GROUP BY c_name`,
			not:  []string{"GROUP BY t1."},
		},
		{
			name: "float sums do not split",
			sql:  `SELECT c_name, sum(l_tax) FROM my.customer JOIN pg.lineitem ON c_custkey = l_suppkey GROUP BY c_name`,
			not:  []string{"GROUP BY t1."},
		},
		{
			name: "an aggregate reading both sides does not split",
			sql:  `SELECT c_name, sum(l_quantity * c_nationkey) FROM my.customer JOIN pg.lineitem ON c_custkey = l_suppkey GROUP BY c_name`,
			not:  []string{"GROUP BY t1."},
		},
		{
			name: "the inner side of a left join splits",
			sql:  `SELECT c_name, sum(l_quantity), count(l_quantity) FROM my.customer LEFT JOIN pg.lineitem ON c_custkey = l_suppkey GROUP BY c_name`,
			want: []string{`SELECT t1."l_suppkey", sum(t1."l_quantity"), count(t1."l_quantity") FROM "public"."lineitem" t1 GROUP BY t1."l_suppkey"`, "Left Join", "coalesce("},
		},
		{
			name: "count(*) counts the rows a left join extends with nulls: no split of the inner side",
			sql:  `SELECT c_name, count(*), sum(l_quantity) FROM my.customer LEFT JOIN pg.lineitem ON c_custkey = l_suppkey GROUP BY c_name`,
			not:  []string{"GROUP BY t1."},
		},
		{
			name: "the preserved side of a left join splits, count(*) too",
			sql:  `SELECT c_name, count(*), sum(l_quantity) FROM pg.lineitem LEFT JOIN my.customer ON c_custkey = l_suppkey GROUP BY c_name`,
			want: []string{`SELECT t1."l_suppkey", count(*), sum(t1."l_quantity") FROM "public"."lineitem" t1 GROUP BY t1."l_suppkey"`, "Left Join"},
		},
		{
			name: "full joins do not split",
			sql:  `SELECT c_name, sum(l_quantity) FROM my.customer FULL JOIN pg.lineitem ON c_custkey = l_suppkey GROUP BY c_name`,
			not:  []string{"GROUP BY t1."},
		},
		{
			name: "numeric join keys do not split: 1.0 and 1.00 group together",
			sql:  `SELECT c_name, sum(l_quantity) FROM my.customer JOIN pg.lineitem ON c_acctbal = l_discount GROUP BY c_name`,
			not:  []string{"GROUP BY t1."},
		},
	}
	checkExplains(t, cases)
}
