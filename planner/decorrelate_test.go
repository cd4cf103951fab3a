package planner_test

import (
	"strings"
	"testing"
)

// A semi join whose condition reads one input of an inner join goes below
// the join onto that input, where its source takes it in as EXISTS.
func TestSemiJoinSinksToItsSide(t *testing.T) {
	env := testEnv(t)
	plan := explain(t, env, `SELECT c.id, o.id FROM crm.customers c, shop.orders o WHERE o.customer_id = c.id AND EXISTS (SELECT 1 FROM crm.segments s WHERE s.customer_id = c.id)`)
	if !strings.Contains(plan, `FROM "public"."customers" t1 WHERE (EXISTS (SELECT 1 FROM "public"."segments" t2 WHERE (t2."customer_id" = t1."id")))`) {
		t.Errorf("the semi join did not reach the customers' source:\n%s", plan)
	}
}
