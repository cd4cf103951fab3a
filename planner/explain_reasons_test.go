package planner_test

import (
	"strings"
	"testing"
)

func TestExplainSaysWhyNotPushed(t *testing.T) {
	env := testEnv(t)
	for _, c := range []struct{ sql, want string }{
		{`SELECT id FROM shop.orders WHERE lower(status) = 'paid'`, "Not pushed: lower() is computed in Junction for mysql sources (collation)"},
		{`SELECT id FROM shop.orders WHERE id / 2 = 3`, "Not pushed: division on integer and integer is computed in Junction for mysql sources (integer division semantics)"},
		{`SELECT c.name, o.amount FROM crm.customers c JOIN shop.orders o ON o.customer_id = c.id ORDER BY o.amount LIMIT 3`, "Not pushed: inputs from different sources (crm, shop)"},
		{`SELECT status, string_agg(status, ',') FROM shop.orders GROUP BY status`, "Not pushed: string_agg() is computed in Junction for mysql sources"},
		{`SELECT DISTINCT amount > 5 FROM shop.orders`, "Not pushed: DISTINCT on boolean is computed in Junction for mysql sources (booleans are integers)"},
		{`SELECT c.name FROM crm.customers c FULL JOIN crm.segments s ON s.customer_id = c.id`, ""},
	} {
		out := explain(t, env, c.sql)
		if c.want == "" {
			if strings.Contains(out, "Not pushed") {
				t.Errorf("EXPLAIN %s gives a reason for an operator that was pushed:\n%s", c.sql, out)
			}
			continue
		}
		if !strings.Contains(out, c.want) {
			t.Errorf("EXPLAIN %s lacks %q:\n%s", c.sql, c.want, out)
		}
	}
}
