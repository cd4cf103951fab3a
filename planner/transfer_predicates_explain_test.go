package planner_test

import (
	"strings"
	"testing"
)

// TestTransferredPredicatesReachBothSources checks the Remote SQL sent to
// each source when a predicate on a join key is carried across the join.
func TestTransferredPredicatesReachBothSources(t *testing.T) {
	env := testEnv(t)
	cases := []struct{ name, sql, crm, shop string }{
		{
			name: "point lookup",
			sql:  `SELECT c.name, o.amount FROM crm.customers c JOIN shop.orders o ON o.customer_id = c.id WHERE c.id = 4711`,
			crm:  `WHERE (t1."id" = 4711)`,
			shop: "WHERE (t1.`customer_id` = 4711)",
		},
		{
			name: "range on the other side",
			sql:  `SELECT c.name, o.amount FROM crm.customers c JOIN shop.orders o ON o.customer_id = c.id WHERE o.customer_id <= 1000`,
			crm:  `WHERE (t1."id" <= 1000)`,
			shop: "WHERE (t1.`customer_id` <= 1000)",
		},
		{
			name: "left join into the nullable side",
			sql:  `SELECT c.name, o.amount FROM crm.customers c LEFT JOIN shop.orders o ON o.customer_id = c.id WHERE c.id BETWEEN 10 AND 20`,
			crm:  `WHERE (t1."id" >= 10) AND (t1."id" <= 20)`,
			shop: "WHERE (t1.`customer_id` >= 10) AND (t1.`customer_id` <= 20)",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out := explain(t, env, c.sql)
			var crm, shop string
			for _, line := range strings.Split(out, "\n") {
				_, sql, ok := strings.Cut(line, "Remote SQL: ")
				switch {
				case !ok:
				case strings.Contains(sql, `"customers"`):
					crm = sql
				case strings.Contains(sql, "`orders`"):
					shop = sql
				}
			}
			if !strings.Contains(crm, c.crm) {
				t.Errorf("crm's remote SQL lacks %q:\n%s", c.crm, out)
			}
			if !strings.Contains(shop, c.shop) {
				t.Errorf("shop's remote SQL lacks %q:\n%s", c.shop, out)
			}
		})
	}
	// A preserved side never receives the nullable side's predicate.
	out := explain(t, env, `SELECT c.name, o.amount FROM crm.customers c LEFT JOIN shop.orders o ON o.customer_id = c.id AND o.customer_id = 5`)
	if strings.Contains(out, `"id" = 5`) {
		t.Errorf("the preserved side of a left join was filtered:\n%s", out)
	}
}
