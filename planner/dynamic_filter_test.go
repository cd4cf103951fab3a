package planner_test

import (
	"strings"
	"testing"

	"github.com/junction-db/junction/catalog"
	"github.com/junction-db/junction/connectors"
	"github.com/junction-db/junction/connectors/files"
	"github.com/junction-db/junction/connectors/mysql"
	"github.com/junction-db/junction/connectors/postgres"
	"github.com/junction-db/junction/connectors/sqlgen"
	"github.com/junction-db/junction/planner"
	"github.com/junction-db/junction/types"
)

// sizedEnv has a small customers table in the MySQL source shop and a
// large orders table in the PostgreSQL source sales, with row estimates.
func sizedEnv(t *testing.T) *planner.Env {
	t.Helper()
	return sizedEnvOf(t, 150000, 15000)
}

// sizedEnvOf is sizedEnv with the given row estimates.
func sizedEnvOf(t *testing.T, orders, customers int64) *planner.Env {
	t.Helper()
	return catalogEnv(t, func(s *catalog.Snapshot) {
		s.Sources["sales"] = &catalog.Source{Name: "sales", Wrapper: "postgres", DefaultSchema: "public", OID: s.AllocOID(), Tables: []connectors.Table{
			{Schema: "public", Name: "orders", RowEstimate: orders, Columns: []connectors.Column{
				{Name: "o_orderkey", Type: types.TInt8}, {Name: "o_custkey", Type: types.TInt8}, {Name: "o_comment", Type: types.TText},
			}},
		}}
		s.Sources["shop"] = &catalog.Source{Name: "shop", Wrapper: "mysql", DefaultSchema: "shop", OID: s.AllocOID(), Tables: []connectors.Table{
			{Schema: "shop", Name: "customer", RowEstimate: customers, Columns: []connectors.Column{
				{Name: "c_custkey", Type: types.TInt8}, {Name: "c_name", Type: types.TText}, {Name: "c_acctbal", Type: types.TFloat8},
			}},
		}}
	}, map[string]sqlgen.Dialect{"sales": &postgres.Dialect{}, "shop": mysql.Dialect{}})
}

// A files source (DuckDB) gets its keys in one IN list: DuckDB reads
// lists joined by OR several times slower.
func TestDynamicFilterOneListForFiles(t *testing.T) {
	env := catalogEnv(t, func(s *catalog.Snapshot) {
		s.Sources["lake"] = &catalog.Source{Name: "lake", Wrapper: "files", OID: s.AllocOID(), Tables: []connectors.Table{
			{Name: "orders", RowEstimate: 150000, Columns: []connectors.Column{
				{Name: "o_orderkey", Type: types.TInt4}, {Name: "o_custkey", Type: types.TInt4},
			}},
		}}
		s.Sources["shop"] = &catalog.Source{Name: "shop", Wrapper: "mysql", DefaultSchema: "shop", OID: s.AllocOID(), Tables: []connectors.Table{
			{Schema: "shop", Name: "customer", RowEstimate: 15000, Columns: []connectors.Column{
				{Name: "c_custkey", Type: types.TInt4}, {Name: "c_acctbal", Type: types.TFloat8},
			}},
		}}
	}, map[string]sqlgen.Dialect{"lake": files.Dialect{}, "shop": mysql.Dialect{}})
	plan := explain(t, env, `SELECT o.o_orderkey FROM lake.orders o JOIN shop.customer c ON c.c_custkey = o.o_custkey WHERE c.c_acctbal > 9950`)
	if want := "Dynamic Filter: o_custkey IN (keys from build side), lists of up to 4000, min/max range above 4000 keys"; !strings.Contains(plan, want) {
		t.Errorf("plan lacks %q:\n%s", want, plan)
	}
}

func TestDynamicFilterOnTheLargerSide(t *testing.T) {
	env := sizedEnv(t)
	for _, c := range []struct {
		sql  string
		want string // "" when no dynamic filter is expected
	}{
		{`SELECT o.o_orderkey FROM sales.orders o JOIN shop.customer c ON c.c_custkey = o.o_custkey WHERE c.c_acctbal > 9950`,
			"Dynamic Filter: o_custkey = ANY(keys from build side), min/max range above 30000 keys"},
		{`SELECT o.o_orderkey FROM sales.orders o WHERE o.o_custkey IN (SELECT c_custkey FROM shop.customer WHERE c_acctbal > 9950)`,
			"Dynamic Filter: o_custkey = ANY(keys from build side)"},
		{`SELECT c.c_name FROM shop.customer c JOIN (SELECT * FROM sales.orders WHERE o_orderkey < 10 AND o_custkey > 5) o ON c.c_custkey = o.o_custkey WHERE o.o_comment = 'x'`,
			"Dynamic Filter: c_custkey IN (keys from build side), lists of up to 1000, min/max range above 4000 keys"},
		// The small left side of an anti, semi or left join is read first
		// and its keys go to the right side's query.
		{`SELECT c.c_name FROM shop.customer c WHERE c.c_acctbal > 9950 AND NOT EXISTS (SELECT 1 FROM sales.orders o WHERE o.o_custkey = c.c_custkey)`,
			"Dynamic Filter: o_custkey = ANY(keys from left side, read first)"},
		{`SELECT c.c_name, o.o_orderkey FROM shop.customer c LEFT JOIN sales.orders o ON o.o_custkey = c.c_custkey WHERE c.c_acctbal > 9950`,
			"Dynamic Filter: o_custkey = ANY(keys from left side, read first)"},
		{`SELECT c.c_name, o.o_orderkey FROM shop.customer c FULL JOIN sales.orders o ON o.o_custkey = c.c_custkey WHERE c.c_acctbal > 9950`, ""},
		// Unmatched probe rows are output: no filter.
		{`SELECT o.o_orderkey FROM sales.orders o LEFT JOIN shop.customer c ON c.c_custkey = o.o_custkey WHERE c.c_acctbal > 9950`, ""},
		// The probe side is already pinned to the key (given, or carried
		// over the join equality): nothing to wait for.
		{`SELECT o.o_orderkey FROM sales.orders o JOIN shop.customer c ON c.c_custkey = o.o_custkey WHERE c.c_custkey = 4711`, ""},
		{`SELECT o.o_orderkey FROM sales.orders o JOIN shop.customer c ON c.c_custkey = o.o_custkey WHERE c.c_custkey = 4711 AND o.o_custkey = 4711`, ""},
		{`SELECT o.o_orderkey FROM sales.orders o JOIN shop.customer c ON c.c_custkey = o.o_custkey WHERE c.c_acctbal > 9950 AND o.o_custkey IN (1, 2)`, ""},
		// A large build side would send a range that keeps most rows.
		{`SELECT o.o_orderkey FROM sales.orders o JOIN shop.customer c ON c.c_custkey = o.o_custkey`, ""},
	} {
		plan := explain(t, env, c.sql)
		switch {
		case c.want == "" && strings.Contains(plan, "Dynamic Filter"):
			t.Errorf("%s: unexpected dynamic filter:\n%s", c.sql, plan)
		case c.want != "" && !strings.Contains(plan, c.want):
			t.Errorf("%s: plan lacks %q:\n%s", c.sql, c.want, plan)
		}
	}
}

// A filtered build side estimated at a tenth of the probe side is waited
// for even above the small-side limit: a range filter's estimate is only
// a guess, and the keys it yields are often few.
func TestDynamicFilterOnAFilteredLargeBuildSide(t *testing.T) {
	env := sizedEnvOf(t, 1500000, 150000)
	filtered := explain(t, env, `SELECT count(*) FROM sales.orders o WHERE o.o_custkey IN (SELECT c_custkey FROM shop.customer WHERE c_acctbal > 9900)`)
	if !strings.Contains(filtered, "Dynamic Filter: o_custkey = ANY(keys from build side)") {
		t.Errorf("no dynamic filter from the filtered customers:\n%s", filtered)
	}
	// 1.5M probe rows take up to 100000 keys (the most) before a range.
	if !strings.Contains(filtered, "min/max range above 100000 keys") {
		t.Errorf("the large probe side does not take more keys:\n%s", filtered)
	}
	whole := explain(t, env, `SELECT count(*) FROM sales.orders o WHERE o.o_custkey IN (SELECT c_custkey FROM shop.customer)`)
	if strings.Contains(whole, "Dynamic Filter") {
		t.Errorf("a dynamic filter from every customer:\n%s", whole)
	}
}
