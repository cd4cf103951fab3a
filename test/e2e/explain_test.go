package e2e

import (
	"strings"
	"testing"
)

// testExplainReasons checks that EXPLAIN says why an operator stayed in
// Junction, and that EXPLAIN ANALYZE gives every operator its estimated
// and actual rows.
func testExplainReasons(t *testing.T, f *federation) {
	for _, c := range []struct{ sql, want string }{
		{`SELECT id FROM shop.orders WHERE lower(status) = 'paid'`, "Not pushed: lower() is computed in Junction for mysql sources (collation)"},
		{`SELECT id FROM shop.orders WHERE customer_id / 7 = 3`, "Not pushed: division on integer and integer is computed in Junction for mysql sources (integer division semantics)"},
		{`SELECT c.name, o.amount FROM crm.customers c JOIN shop.orders o ON o.customer_id = c.id`, "Not pushed: inputs from different sources (crm, shop)"},
		{`SELECT c.country, count(*) FROM crm.customers c JOIN shop.orders o ON o.customer_id = c.id GROUP BY c.country`, "Not pushed: its input combines sources (crm, shop)"},
	} {
		out := strings.Join(column(query(t, f.conn(), "EXPLAIN "+c.sql), 0), "\n")
		if !strings.Contains(out, c.want) {
			t.Errorf("EXPLAIN %s lacks %q:\n%s", c.sql, c.want, out)
		}
	}

	sql := `EXPLAIN ANALYZE SELECT c.country, count(*) FROM crm.customers c JOIN shop.orders o ON o.customer_id = c.id WHERE c.id < 100 GROUP BY c.country`
	lines := column(query(t, f.conn(), sql), 0)
	operators := 0
	for _, l := range lines {
		trimmed := strings.TrimSpace(l)
		if trimmed != lines[0] && !strings.HasPrefix(trimmed, "->") {
			continue
		}
		operators++
		if !strings.Contains(l, "(estimated rows=") || !strings.Contains(l, "(actual rows=") {
			t.Errorf("%s: operator line %q lacks estimated or actual rows", sql, l)
		}
	}
	if operators < 4 {
		t.Errorf("%s shows %d operators:\n%s", sql, operators, strings.Join(lines, "\n"))
	}
}
