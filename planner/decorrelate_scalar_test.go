package planner_test

import (
	"strings"
	"testing"
)

// A correlated aggregate over another source becomes a join with the
// aggregate grouped by the correlation key; count keeps its 0 for outer
// rows without a group.
func TestDecorrelateScalarAcrossSources(t *testing.T) {
	env := testEnv(t)
	plan := explain(t, env, `SELECT c.id, (SELECT count(*) FROM shop.orders o WHERE o.customer_id = c.id AND o.amount > 10) FROM crm.customers c`)
	for _, want := range []string{"Left Join", "Join Cond: (c.id = o.customer_id)", "GROUP BY t1.`customer_id`", "coalesce(count, '0'::bigint)"} {
		if !strings.Contains(plan, want) {
			t.Errorf("plan lacks %q:\n%s", want, plan)
		}
	}
	if strings.Contains(plan, "SubPlan") {
		t.Errorf("the subquery still runs per outer row:\n%s", plan)
	}
}

// A correlated aggregate inside an IN subquery, which becomes a semi
// join, is decorrelated too (TPC-H's Q20 with lineitem in another source
// than partsupp).
func TestDecorrelateScalarInsideSemiJoin(t *testing.T) {
	env := testEnv(t)
	plan := explain(t, env, `SELECT c.id FROM crm.customers c WHERE c.id IN (
		SELECT s.customer_id FROM crm.segments s
		WHERE s.customer_id > (SELECT max(o.id) FROM shop.orders o WHERE o.customer_id = s.customer_id))`)
	for _, want := range []string{"Semi Join", "GROUP BY t1.`customer_id`"} {
		if !strings.Contains(plan, want) {
			t.Errorf("plan lacks %q:\n%s", want, plan)
		}
	}
	if strings.Contains(plan, "SubPlan") {
		t.Errorf("the subquery still runs per outer row:\n%s", plan)
	}
}

// Shapes a join would change stay subqueries: a correlation that is not
// an equality, a subquery that may return several rows, and an aggregate
// argument that can fail (the grouped aggregate would compute it for rows
// of keys no outer row has).
func TestDecorrelateScalarKeepsOtherShapes(t *testing.T) {
	env := testEnv(t)
	for _, sql := range []string{
		`SELECT c.id, (SELECT count(*) FROM shop.orders o WHERE o.customer_id < c.id) FROM crm.customers c`,
		`SELECT c.id, (SELECT max(o.id) FROM shop.orders o WHERE o.customer_id = c.id GROUP BY o.status) FROM crm.customers c`,
		`SELECT c.id, (SELECT o.id FROM shop.orders o WHERE o.customer_id = c.id) FROM crm.customers c`,
		`SELECT c.id, (SELECT sum(100 / o.id) FROM shop.orders o WHERE o.customer_id = c.id) FROM crm.customers c`,
	} {
		if plan := explain(t, env, sql); !strings.Contains(plan, "SubPlan") {
			t.Errorf("%s was decorrelated:\n%s", sql, plan)
		}
	}
}

// A comparison in WHERE rejects the rows of outer rows without a group,
// unless the value has one for them (count's 0): only then the join stays
// a left join.
func TestDecorrelateScalarInnerWhereRejected(t *testing.T) {
	env := testEnv(t)
	for sql, want := range map[string]string{
		`SELECT c.id FROM crm.customers c WHERE c.id > (SELECT max(o.id) + 1 FROM shop.orders o WHERE o.customer_id = c.id)`: "Inner Join",
		`SELECT c.id FROM crm.customers c WHERE (SELECT count(*) FROM shop.orders o WHERE o.customer_id = c.id) = 0`:         "Left Join",
		`SELECT c.id FROM crm.customers c WHERE (SELECT max(o.id) FROM shop.orders o WHERE o.customer_id = c.id) IS NULL`:    "Left Join",
	} {
		if plan := explain(t, env, sql); !strings.Contains(plan, want) {
			t.Errorf("%s: want a %s:\n%s", sql, want, plan)
		}
	}
}

// A subquery over the outer query's own source that the source cannot run
// (MariaDB correlating on text) is decorrelated too, and the join then
// goes to the source.
func TestDecorrelateScalarTheSourceDeclines(t *testing.T) {
	env := testEnv(t)
	plan := explain(t, env, `SELECT o.id, (SELECT count(*) FROM shop.orders p WHERE p.status = o.status) FROM shop.orders o`)
	if !strings.Contains(plan, "LEFT JOIN (SELECT") || strings.Contains(plan, "SubPlan") {
		t.Errorf("the subquery was not decorrelated:\n%s", plan)
	}
}
