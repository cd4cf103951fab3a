package e2e

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/junction-db/junction/test/testenv"
)

// Grouping sets and the aggregates PostgreSQL users reach for in reports
// (ordered-set, hypothetical-set, statistical, bitwise, string_agg and
// array_agg with ORDER BY), over a table in a PostgreSQL source, the same table in a
// MariaDB source, and a join of the two; every answer must be
// PostgreSQL's on the same data. Float statistics are rounded: their last
// bits depend on the order rows arrive in, on PostgreSQL too.
var groupingQueries = []struct {
	name string
	sql  string
	// pushed is set when, with the table in PostgreSQL, the grouping sets
	// must run there.
	pushed bool
}{
	{"ROLLUP with grouping()",
		`SELECT region, product, sum(qty), count(*), grouping(region, product) FROM {t} GROUP BY ROLLUP (region, product)`, true},
	{"CUBE with HAVING on grouping()",
		`SELECT region, product, sum(price), max(qty) FROM {t} GROUP BY CUBE (region, product) HAVING grouping(product) = 1 OR sum(qty) > 100`, true},
	{"GROUPING SETS with an empty set and ORDER BY",
		`SELECT region, product, avg(qty), count(qty) FROM {t} GROUP BY GROUPING SETS ((region), (product), ()) ORDER BY region NULLS FIRST, product NULLS FIRST`, true},
	{"a plain key times a ROLLUP",
		`SELECT region, product, flag, count(*) FROM {t} GROUP BY region, ROLLUP (product, flag)`, true},
	{"GROUP BY DISTINCT of overlapping rollups",
		`SELECT region, product, count(*) FROM {t} GROUP BY DISTINCT ROLLUP (region, product), ROLLUP (region)`, true},
	{"duplicate empty sets",
		`SELECT sum(qty), count(*) FROM {t} GROUP BY GROUPING SETS ((), (), ())`, true},
	{"a filter above the sets on a key of one set",
		`SELECT * FROM (SELECT region, product, sum(qty) AS s FROM {t} GROUP BY GROUPING SETS (region, product)) x WHERE region = 'north'`, false},
	{"a key inside a larger select-list expression",
		`SELECT region, upper(region) || '!', count(*) FROM {t} GROUP BY GROUPING SETS (region, product)`, true},
	{"grouping sets over no rows",
		`SELECT region, count(*), sum(qty) FROM {t} WHERE qty > 1000 GROUP BY GROUPING SETS ((region), ())`, true},
	{"the variance family",
		`SELECT region, stddev(qty), variance(qty), var_pop(price), stddev_pop(price), round(stddev_samp(w)::numeric, 6), round(var_samp(w)::numeric, 6) FROM {t} GROUP BY region`, false},
	{"regression aggregates",
		`SELECT region, regr_count(w, qty), round(corr(w, qty)::numeric, 6), round(covar_pop(w, qty)::numeric, 6), round(covar_samp(w, qty)::numeric, 6), round(regr_slope(w, qty)::numeric, 6), round(regr_intercept(w, qty)::numeric, 6), round(regr_r2(w, qty)::numeric, 6), round(regr_avgx(w, qty)::numeric, 6), round(regr_sxx(w, qty)::numeric, 4) FROM {t} GROUP BY region`, false},
	{"bitwise aggregates",
		`SELECT region, bit_and(qty), bit_or(qty), bit_xor(qty), bool_and(flag), every(flag) FROM {t} GROUP BY region`, false},
	{"ordered-set aggregates",
		`SELECT region, percentile_cont(0.5) WITHIN GROUP (ORDER BY qty), percentile_cont(0.9) WITHIN GROUP (ORDER BY price DESC), percentile_disc(0.25) WITHIN GROUP (ORDER BY price), mode() WITHIN GROUP (ORDER BY product) FROM {t} GROUP BY region`, false},
	{"hypothetical-set aggregates",
		`SELECT region, rank(20) WITHIN GROUP (ORDER BY qty), dense_rank(20) WITHIN GROUP (ORDER BY qty), percent_rank(20) WITHIN GROUP (ORDER BY qty DESC), cume_dist(20) WITHIN GROUP (ORDER BY qty NULLS FIRST) FROM {t} GROUP BY region`, false},
	{"ordered-set and hypothetical-set aggregates with FILTER",
		`SELECT region, percentile_disc(0.5) WITHIN GROUP (ORDER BY qty) FILTER (WHERE flag), rank(10) WITHIN GROUP (ORDER BY qty) FILTER (WHERE price < 50), mode() WITHIN GROUP (ORDER BY product) FILTER (WHERE qty > 10) FROM {t} GROUP BY region`, false},
	{"string_agg with ORDER BY and DISTINCT",
		`SELECT region, string_agg(product, ',' ORDER BY product DESC, id), string_agg(DISTINCT product, '|' ORDER BY product) FROM {t} GROUP BY region`, false},
	{"array_agg with ORDER BY, DISTINCT and FILTER",
		`SELECT region, array_agg(product::text ORDER BY id DESC), array_agg(DISTINCT product::text), array_agg(product::text ORDER BY product NULLS FIRST, id) FILTER (WHERE qty > 20), string_agg(DISTINCT product, ';') FROM {t} GROUP BY ROLLUP (region)`, false},
	{"aggregates with FILTER in grouping sets",
		`SELECT region, count(*) FILTER (WHERE flag), sum(qty) FILTER (WHERE price > 50), grouping(region) FROM {t} GROUP BY ROLLUP (region)`, true},
	{"an aggregate of the outer query inside a scalar subquery",
		`SELECT (SELECT max(o.qty) FROM {t} i WHERE i.id = 1), count(*) FROM {t} o`, false},
	{"an aggregate of the outer query in a HAVING subquery",
		`SELECT region, count(*) FROM {t} o GROUP BY region HAVING EXISTS (SELECT 1 FROM {t} i WHERE i.qty = max(o.qty) AND i.region = 'north')`, false},
	{"a correlated subquery over a group key",
		`SELECT region, (SELECT count(*) FROM {t} i WHERE i.region = o.region AND i.qty > 30), sum(qty) FROM {t} o GROUP BY ROLLUP (region)`, false},
	{"grouping sets over both sources",
		`SELECT p.region, m.product, count(*), sum(p.qty + m.qty) FROM {pg} p JOIN {my} m ON m.id = p.id + 1 GROUP BY CUBE (p.region, m.product)`, false},
}

const (
	postgresSalesDDL = `CREATE TABLE sales (id int PRIMARY KEY, region varchar(10) NULL, product varchar(10) NULL,
		qty int NULL, price numeric(10,2) NULL, w double precision NULL, flag boolean NULL)`
	mariadbSalesDDL = `CREATE TABLE sales (id int PRIMARY KEY, region varchar(10) COLLATE utf8mb4_bin NULL,
		product varchar(10) COLLATE utf8mb4_bin NULL, qty int NULL, price numeric(10,2) NULL, w double NULL, flag boolean NULL)`
)

var salesColumns = []string{"id", "region", "product", "qty", "price", "w", "flag"}

// generateSales makes 400 rows over a few regions and products, each
// column NULL now and then.
func generateSales() [][]any {
	rng := rand.New(rand.NewPCG(6, 7))
	regions := []string{"north", "south", "east", "west"}
	products := []string{"apple", "pear", "plum", "fig", "kiwi"}
	maybe := func(v any) any {
		if rng.IntN(12) == 0 {
			return nil
		}
		return v
	}
	var rows [][]any
	for id := 1; id <= 400; id++ {
		flag := testenv.Decimal("FALSE") // a bare literal both servers read as boolean
		if rng.IntN(3) > 0 {
			flag = testenv.Decimal("TRUE")
		}
		rows = append(rows, []any{id, maybe(regions[rng.IntN(len(regions))]), maybe(products[rng.IntN(len(products))]),
			maybe(rng.IntN(40)), maybe(testenv.Decimal(fmt.Sprintf("%d.%02d", rng.IntN(100), rng.IntN(100)))),
			maybe(testenv.Decimal(fmt.Sprint(float64(rng.IntN(2000)) / 8))), maybe(flag)})
	}
	return rows
}

func TestGroupingSetsAndAggregates(t *testing.T) {
	testenv.RequirePostgres(t)
	testenv.RequireMariaDB(t)
	rows := generateSales()
	pgDB, pgConn := testenv.NewPostgresDB(t, "sales")
	myDB, myConn := testenv.NewMariaDB(t, "sales")
	_, reference := testenv.NewReferenceDB(t, "reference")
	createTable(t, testenv.PostgresExec(pgConn), postgresSalesDDL, "sales", salesColumns, rows)
	createTable(t, testenv.MariaDBExec(myConn), mariadbSalesDDL, "sales", salesColumns, rows)
	createTable(t, testenv.PostgresExec(reference), postgresSalesDDL, "sales", salesColumns, rows)
	srv := testenv.StartServer(t)
	junction := srv.Connect(t)
	mustExec(t, junction, testenv.PostgresServerDDL("pgsrc", pgDB))
	mustExec(t, junction, mariadbServerDDL("mysrc", myDB, "root", ""))

	for _, q := range groupingQueries {
		rsql := strings.NewReplacer("{t}", "sales", "{pg}", "sales", "{my}", "sales").Replace(q.sql)
		for _, src := range []string{"pgsrc", "mysrc"} {
			if strings.Contains(q.sql, "{pg}") && src == "mysrc" {
				continue
			}
			t.Run(q.name+" in "+src, func(t *testing.T) {
				jsql := strings.NewReplacer("{t}", src+".sales", "{pg}", "pgsrc.sales", "{my}", "mysrc.sales").Replace(q.sql)
				testenv.Compare(t, junction, reference, jsql, rsql, false)
				sameColumnTypes(t, junction, reference, jsql, rsql)
				if !q.pushed || src != "pgsrc" {
					return
				}
				plan := strings.Join(column(query(t, junction, "EXPLAIN "+jsql), 0), "\n")
				if !strings.Contains(plan, "GROUPING SETS") {
					t.Errorf("the grouping sets did not run at the source:\n%s", plan)
				}
			})
		}
	}
}

// What Junction cannot answer yet is refused with 0A000, never answered
// wrongly.
func TestAggregatesRefusedByName(t *testing.T) {
	testenv.RequirePostgres(t)
	srv := testenv.StartServer(t)
	junction := srv.Connect(t)
	for _, sql := range []string{
		`SELECT (SELECT (SELECT max(o.x) FROM (VALUES (1)) j(z)) FROM (VALUES (1)) i(y)) FROM (VALUES (2), (3)) o(x)`,
		`SELECT percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY x) FROM (VALUES (interval '1 day')) v(x)`,
		`SELECT g AS a, g AS b FROM (VALUES (1), (2)) v(g) GROUP BY a, ROLLUP (b)`,
		`SELECT array_agg(x) FROM (VALUES ('x'::"char")) v(x)`,
	} {
		expectError(t, junction, sql, "0A000")
	}
}
