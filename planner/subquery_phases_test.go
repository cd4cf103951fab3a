package planner_test

import (
	"strings"
	"testing"
)

// A subquery left in an expression is planned like the main query: here
// its cross-source join gets the dynamic filter the same join gets at the
// top level.
func TestSubqueryPlanGetsDynamicFilter(t *testing.T) {
	env := sizedEnv(t)
	plan := explain(t, env, `SELECT o_orderkey FROM sales.orders
		WHERE o_orderkey > (SELECT sum(o.o_orderkey) FROM sales.orders o JOIN shop.customer c ON c.c_custkey = o.o_custkey WHERE c.c_acctbal > 9950)`)
	_, sub, ok := strings.Cut(plan, "SubPlan")
	if !ok || !strings.Contains(sub, "Dynamic Filter: o_custkey = ANY(keys from build side)") {
		t.Errorf("subquery plan lacks the dynamic filter:\n%s", plan)
	}
}
