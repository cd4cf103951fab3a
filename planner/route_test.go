package planner_test

import (
	"strings"
	"testing"
)

// Subqueries over the outer query's own source go to it inside one
// statement, semi joins as EXISTS.
func TestSubqueriesPushedWithTheirSource(t *testing.T) {
	env := testEnv(t)
	for sql, want := range map[string]string{
		`SELECT c.id FROM crm.customers c WHERE c.id > (SELECT count(*) FROM crm.segments s WHERE s.customer_id = c.id)`: `(SELECT count(*) FROM "public"."segments" t2 WHERE (t2."customer_id" = t1."id"))`,
		`SELECT c.id FROM crm.customers c WHERE EXISTS (SELECT 1 FROM crm.segments s WHERE s.customer_id = c.id)`:        `WHERE (EXISTS (SELECT 1 FROM "public"."segments" t2 WHERE (t2."customer_id" = t1."id")))`,
		`SELECT c.id FROM crm.customers c WHERE c.id NOT IN (SELECT s.customer_id FROM crm.segments s)`:                  `WHERE (NOT (t1."id" IN (SELECT t2."customer_id" FROM "public"."segments" t2)))`,
	} {
		plan := explain(t, env, sql)
		if strings.Count(plan, "Remote SQL") != 1 || !strings.Contains(plan, want) {
			t.Errorf("%s: want one remote query holding %s:\n%s", sql, want, plan)
		}
	}
}
