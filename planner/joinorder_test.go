package planner_test

import (
	"strings"
	"testing"

	"github.com/junction-db/junction/catalog"
	"github.com/junction-db/junction/connectors"
	"github.com/junction-db/junction/connectors/mysql"
	"github.com/junction-db/junction/connectors/postgres"
	"github.com/junction-db/junction/connectors/sqlgen"
	"github.com/junction-db/junction/planner"
	"github.com/junction-db/junction/types"
)

// nationsEnv has customers, suppliers and nations in the MySQL source
// shop, all three keyed to 25 nations, and orders in the PostgreSQL
// source sales, with statistics.
func nationsEnv(t *testing.T) *planner.Env {
	t.Helper()
	st := func(ndv float64) *connectors.ColumnStats { return &connectors.ColumnStats{Distinct: ndv} }
	return catalogEnv(t, func(s *catalog.Snapshot) {
		s.Sources["sales"] = &catalog.Source{Name: "sales", Wrapper: "postgres", DefaultSchema: "public", OID: s.AllocOID(), Tables: []connectors.Table{
			{Schema: "public", Name: "orders", RowEstimate: 150000, Columns: []connectors.Column{
				{Name: "o_orderkey", Type: types.TInt4, Stats: st(150000)}, {Name: "o_custkey", Type: types.TInt4, Stats: st(10000)},
				{Name: "o_suppkey", Type: types.TInt4, Stats: st(1000)},
			}},
			{Schema: "public", Name: "lineitem", RowEstimate: 600000, Columns: []connectors.Column{
				{Name: "l_partkey", Type: types.TInt4, Stats: st(20000)}, {Name: "l_suppkey", Type: types.TInt4, Stats: st(1000)},
			}},
			{Schema: "public", Name: "partsupp", RowEstimate: 80000, Columns: []connectors.Column{
				{Name: "ps_partkey", Type: types.TInt4, Stats: st(20000)}, {Name: "ps_suppkey", Type: types.TInt4, Stats: st(1000)},
			}},
		}}
		s.Sources["shop"] = &catalog.Source{Name: "shop", Wrapper: "mysql", DefaultSchema: "shop", OID: s.AllocOID(), Tables: []connectors.Table{
			{Schema: "shop", Name: "customer", RowEstimate: 15000, Columns: []connectors.Column{
				{Name: "c_custkey", Type: types.TInt4, Stats: st(15000)}, {Name: "c_nationkey", Type: types.TInt4, Stats: st(25)},
			}},
			{Schema: "shop", Name: "supplier", RowEstimate: 1000, Columns: []connectors.Column{
				{Name: "s_suppkey", Type: types.TInt4, Stats: st(1000)}, {Name: "s_nationkey", Type: types.TInt4, Stats: st(25)},
			}},
			{Schema: "shop", Name: "nation", RowEstimate: 25, Columns: []connectors.Column{
				{Name: "n_nationkey", Type: types.TInt4, Stats: st(25)}, {Name: "n_name", Type: types.TText, Stats: st(25)},
			}},
		}}
	}, map[string]sqlgen.Dialect{"sales": &postgres.Dialect{}, "shop": mysql.Dialect{}})
}

func TestSameSourceGroupingAvoidsGrowingJoins(t *testing.T) {
	env := nationsEnv(t)
	// customer ⋈ supplier on the nation is a many-to-many join of 600,000
	// estimated rows: it stays in Junction, while customers still join
	// nations in their source through the implied c_nationkey = n_nationkey.
	got := explain(t, env, `SELECT n.n_name, o.o_orderkey FROM shop.customer c JOIN sales.orders o ON c.c_custkey = o.o_custkey
		JOIN shop.supplier s ON o.o_suppkey = s.s_suppkey AND c.c_nationkey = s.s_nationkey
		JOIN shop.nation n ON s.s_nationkey = n.n_nationkey WHERE n.n_name = 'JAPAN'`)
	for _, sql := range remoteSQL(got) {
		if strings.Contains(sql, "customer") && strings.Contains(sql, "supplier") {
			t.Errorf("customers and suppliers joined in their source:\n%s", got)
		}
	}
	if !strings.Contains(got, "`nation`") || !strings.Contains(got, "(t1.`c_nationkey` = t2.`n_nationkey`)") {
		t.Errorf("customers not joined to nations in their source:\n%s", got)
	}
	// A join that does not grow is still made in the source.
	got = explain(t, env, `SELECT n.n_name, o.o_orderkey FROM shop.supplier s JOIN sales.orders o ON o.o_suppkey = s.s_suppkey
		JOIN shop.nation n ON s.s_nationkey = n.n_nationkey`)
	if !strings.Contains(got, "(t1.`s_nationkey` = t2.`n_nationkey`)") {
		t.Errorf("suppliers not joined to nations in their source:\n%s", got)
	}
	// Joined on both columns of its key, partsupp finds about one row per
	// line item: the join does not grow.
	got = explain(t, env, `SELECT s.s_nationkey FROM sales.lineitem l JOIN shop.supplier s ON l.l_suppkey = s.s_suppkey
		JOIN sales.partsupp ps ON ps.ps_partkey = l.l_partkey AND ps.ps_suppkey = l.l_suppkey`)
	if !strings.Contains(got, `"public"."lineitem" t1, "public"."partsupp" t2`) {
		t.Errorf("line items not joined to partsupp in their source:\n%s", got)
	}
}

// remoteSQL lists the Remote SQL lines of an EXPLAIN output.
func remoteSQL(explained string) []string {
	var out []string
	for _, l := range strings.Split(explained, "\n") {
		if i := strings.Index(l, "Remote SQL: "); i >= 0 {
			out = append(out, l[i:])
		}
	}
	return out
}
