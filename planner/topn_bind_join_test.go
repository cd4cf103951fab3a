package planner_test

import (
	"strings"
	"testing"
)

func TestTopNOverJoinBecomesBindJoin(t *testing.T) {
	env := sizedEnv(t)
	for _, c := range []struct {
		sql   string
		bind  bool
		first string // the first lookup, sized for LIMIT + OFFSET and a margin
	}{
		{`SELECT o.o_orderkey, c.c_name FROM sales.orders o JOIN shop.customer c ON c.c_custkey = o.o_custkey ORDER BY o.o_orderkey LIMIT 20`, true, "First Batch: 46 outer rows"},
		{`SELECT c.c_name, o.o_orderkey FROM shop.customer c JOIN sales.orders o ON c.c_custkey = o.o_custkey ORDER BY o.o_orderkey DESC LIMIT 20 OFFSET 5`, true, "First Batch: 53 outer rows"},
		// Sort keys from both sides: the join's order cannot give them.
		{`SELECT o.o_orderkey, c.c_name FROM sales.orders o JOIN shop.customer c ON c.c_custkey = o.o_custkey ORDER BY c.c_name, o.o_orderkey LIMIT 20`, false, ""},
		// No limit: nothing stops early.
		{`SELECT o.o_orderkey, c.c_name FROM sales.orders o JOIN shop.customer c ON c.c_custkey = o.o_custkey ORDER BY o.o_orderkey`, false, ""},
		// Unmatched rows are output: the lookups would drop them.
		{`SELECT o.o_orderkey, c.c_name FROM sales.orders o LEFT JOIN shop.customer c ON c.c_custkey = o.o_custkey ORDER BY o.o_orderkey LIMIT 20`, false, ""},
	} {
		plan := explain(t, env, c.sql)
		bind := strings.Contains(plan, "Bind Join")
		if bind != c.bind {
			t.Errorf("%s: bind join %v, want %v:\n%s", c.sql, bind, c.bind, plan)
		}
		if bind && (strings.Contains(plan, "Sort") || !strings.Contains(plan, `ORDER BY t1."o_orderkey"`) || !strings.Contains(plan, "Dynamic Filter: c_custkey IN (keys of each outer batch)")) {
			t.Errorf("%s: the bind join should stream orders sorted at the source and look customers up by key:\n%s", c.sql, plan)
		}
		if !strings.Contains(plan, c.first) {
			t.Errorf("%s: plan lacks %q:\n%s", c.sql, c.first, plan)
		}
	}
}
