package bench

import (
	"fmt"
	"strings"
)

// federationQueries are the shapes where a federated engine wins or loses
// against pushing work to its sources: customer, supplier, nation and
// region live in MariaDB, the other tables in PostgreSQL.
var federationQueries = []query{
	// One customer's orders: the key fixed on the MariaDB side also fixes
	// o_custkey on the PostgreSQL side.
	{"F1_point_lookup", `SELECT c_name, o_orderkey, o_orderdate, o_totalprice
FROM {customer} JOIN {orders} ON o_custkey = c_custkey
WHERE c_custkey = 1234
ORDER BY o_orderkey`, true},
	// A few suppliers (about one in 200) joined to the biggest table.
	{"F2_selective_filter_join", `SELECT s_name, l_orderkey, l_linenumber, l_quantity
FROM {supplier} JOIN {lineitem} ON l_suppkey = s_suppkey
WHERE s_acctbal > 9950`, false},
	// The first rows of a cross-source join in key order.
	{"F3_limit_over_join", `SELECT o_orderkey, o_orderdate, c_name, n_name
FROM {orders} JOIN {customer} ON c_custkey = o_custkey JOIN {nation} ON n_nationkey = c_nationkey
ORDER BY o_orderkey
LIMIT 20`, true},
	// A count under a filter, all in PostgreSQL.
	{"F4_count_with_filter", `SELECT count(*)
FROM {lineitem}
WHERE l_shipdate >= date '1997-01-01' AND l_quantity < 10`, true},
	// Rows of the PostgreSQL side whose keys a MariaDB filter selects.
	{"F5_semi_join_count", `SELECT count(*), sum(o_totalprice)
FROM {orders}
WHERE o_custkey IN (SELECT c_custkey FROM {customer} WHERE c_acctbal > 9900)`, true},
	// GROUP BY over one table of one source.
	{"F6_group_by_remote_table", `SELECT c_mktsegment, count(*), avg(c_acctbal)
FROM {customer}
GROUP BY c_mktsegment
ORDER BY c_mktsegment`, true},
	// GROUP BY with few groups over a join of both sources.
	{"F7_cross_source_group_by", `SELECT c_mktsegment, count(*), sum(o_totalprice)
FROM {orders} JOIN {customer} ON c_custkey = o_custkey
GROUP BY c_mktsegment
ORDER BY c_mktsegment`, true},
	// Most of the biggest table streamed to the client.
	{"F8_wide_scan", `SELECT * FROM {lineitem} WHERE l_orderkey <= {wide_scan_orderkey}`, false},
}

// allQueries is what the benchmark and the correctness test run.
var allQueries = append(append([]query{}, tpchQueries...), federationQueries...)

// queryParams fills in the values that depend on the scale factor: Q11's
// fraction is 0.0001 / SF (TPC-H 2.4.11.3), and the wide scan reads nine
// tenths of the orders' lines.
func queryParams(sf float64) *strings.Replacer {
	g := newGenerator(sf)
	return strings.NewReplacer(
		"{q11_fraction}", fmt.Sprintf("%.10f", 0.0001/sf),
		"{wide_scan_orderkey}", fmt.Sprint(orderKey(g.orderCount*9/10)),
	)
}

// layout is where a target finds the eight tables.
type layout int

const (
	// plainNames: all in the database connected to (single, fdw).
	plainNames layout = iota
	// splitNames: Junction's sources tpch_pg and tpch_my.
	splitNames
	// lakeNames: the split, with the parquet tables in tpch_lake.
	lakeNames
)

// tableNames maps the {table} placeholders to the names of a layout.
func tableNames(l layout) *strings.Replacer {
	var pairs []string
	for _, t := range tables {
		name := t.name
		switch {
		case l == lakeNames && t.parquet:
			name = lakeSource + "." + t.name
		case l != plainNames && t.split == inMariaDB:
			name = mariadbSource + "." + t.name
		case l != plainNames:
			name = postgresSource + "." + t.name
		}
		pairs = append(pairs, "{"+t.name+"}", name)
	}
	return strings.NewReplacer(pairs...)
}
