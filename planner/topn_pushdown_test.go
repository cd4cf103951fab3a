package planner_test

import (
	"strings"
	"testing"
)

func TestTopNIntoPreservedSideAndUnionBranches(t *testing.T) {
	env := sizedEnv(t)
	for _, c := range []struct {
		sql string
		// want are fragments of remote SQL; absent, nothing is pushed.
		want []string
	}{
		{`SELECT o.o_orderkey, c.c_name FROM sales.orders o LEFT JOIN shop.customer c ON c.c_custkey = o.o_custkey ORDER BY o.o_orderkey LIMIT 20 OFFSET 5`,
			[]string{`ORDER BY t1."o_orderkey" NULLS LAST LIMIT 25`}},
		{`SELECT o.o_orderkey, c.c_name FROM shop.customer c RIGHT JOIN sales.orders o ON c.c_custkey = o.o_custkey ORDER BY o.o_orderkey DESC LIMIT 10`,
			[]string{`ORDER BY t1."o_orderkey" DESC NULLS FIRST LIMIT 10`}},
		{`SELECT o.o_orderkey, c.c_name FROM sales.orders o LEFT JOIN shop.customer c ON c.c_custkey = o.o_custkey LIMIT 7`,
			[]string{`LIMIT 7`}},
		{`SELECT o_custkey FROM sales.orders UNION ALL SELECT c_custkey FROM shop.customer ORDER BY 1 LIMIT 3`,
			[]string{`ORDER BY t1."o_custkey" NULLS LAST LIMIT 3`, "LIMIT 3"}},
		// A key from the other side, or an inner join, gives no bound.
		{`SELECT o.o_orderkey, c.c_name FROM sales.orders o LEFT JOIN shop.customer c ON c.c_custkey = o.o_custkey ORDER BY c.c_name LIMIT 20`, nil},
		{`SELECT o_custkey FROM sales.orders UNION SELECT c_custkey FROM shop.customer ORDER BY 1 LIMIT 3`, nil},
	} {
		plan := explain(t, env, c.sql)
		for _, w := range c.want {
			if !strings.Contains(plan, w) {
				t.Errorf("%s: remote SQL lacks %q:\n%s", c.sql, w, plan)
			}
		}
		if c.want == nil && strings.Count(plan, "LIMIT") > 0 {
			t.Errorf("%s: a LIMIT reached a source:\n%s", c.sql, plan)
		}
	}
}
