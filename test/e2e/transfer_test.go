package e2e

import (
	"fmt"
	"regexp"
	"testing"
)

// transferQueries compare with PostgreSQL the queries where a predicate on
// a join key is carried to the join's other inputs.
var transferQueries = []struct{ name, sql string }{
	{"point lookup", `SELECT c.id, c.name, o.id, o.amount FROM {customers} c JOIN {orders} o ON o.customer_id = c.id WHERE c.id = 42`},
	{"range on the other side", `SELECT c.id, o.id FROM {customers} c JOIN {orders} o ON o.customer_id = c.id WHERE o.customer_id <= 30`},
	{"between and IN list", `SELECT c.id, o.id FROM {customers} c JOIN {orders} o ON o.customer_id = c.id WHERE c.id BETWEEN 100 AND 120 AND o.customer_id IN (100, 105, 110, 999)`},
	{"integers of two widths", `SELECT c.id, o.id FROM {customers} c JOIN {orders} o ON o.customer_id::bigint = c.id::bigint WHERE c.id::bigint < 12`},
	{"chain of joins", `SELECT c.id, o.id, o2.id FROM {customers} c JOIN {orders} o ON o.customer_id = c.id JOIN {orders} o2 ON o2.customer_id = o.customer_id WHERE c.id = 7`},
	{"left join from the preserved side", `SELECT c.id, o.id FROM {customers} c LEFT JOIN {orders} o ON o.customer_id = c.id WHERE c.id >= 470`},
	{"left join with the key fixed in ON", `SELECT c.id, o.id FROM {customers} c LEFT JOIN {orders} o ON o.customer_id = c.id AND c.id = 5 WHERE c.id < 20`},
	{"left join with the nullable side's key fixed in ON", `SELECT c.id, o.id FROM {customers} c LEFT JOIN {orders} o ON o.customer_id = c.id AND o.customer_id < 10 WHERE c.id < 20`},
	{"right join from the preserved side", `SELECT o.id, c.id FROM {customers} c RIGHT JOIN {orders} o ON o.customer_id = c.id WHERE o.customer_id > 475`},
	{"full join", `SELECT c.id, o.id FROM {customers} c FULL JOIN {orders} o ON o.customer_id = c.id WHERE c.id = 3 OR o.customer_id = 505`},
	{"IN subquery", `SELECT id FROM {customers} WHERE id IN (SELECT customer_id FROM {orders} WHERE customer_id < 25)`},
	{"EXISTS", `SELECT c.id FROM {customers} c WHERE c.id > 470 AND EXISTS (SELECT 1 FROM {orders} o WHERE o.customer_id = c.id)`},
	{"NOT EXISTS", `SELECT c.id FROM {customers} c WHERE c.id > 470 AND NOT EXISTS (SELECT 1 FROM {orders} o WHERE o.customer_id = c.id AND o.amount > 500)`},
	{"into a grouped derived table", `SELECT t.customer_id, t.n, c.name FROM (SELECT customer_id, count(*) AS n FROM {orders} GROUP BY customer_id) t JOIN {customers} c ON c.id = t.customer_id WHERE c.id < 15`},
	{"below a limit it stays above", `SELECT * FROM (SELECT c.id, o.id AS oid FROM {customers} c JOIN {orders} o ON o.customer_id = c.id ORDER BY o.id LIMIT 50) t WHERE t.id = 1`},
}

// dateBoundQueries compare a date with date ± interval for every
// comparison, at midnight and at another time of day, on both sources.
func dateBoundQueries() []struct{ name, sql string } {
	var out []struct{ name, sql string }
	add := func(name, sql string) { out = append(out, struct{ name, sql string }{name, sql}) }
	for _, op := range []string{"<", "<=", ">", ">=", "=", "<>"} {
		for _, bound := range []string{"date '%d-03-01' + interval '1' year", "date '%d-03-01' + interval '1 day 12 hours'", "date '%d-03-01' - interval '1' month"} {
			pg, my := fmt.Sprintf(bound, 2021), fmt.Sprintf(bound, 2024)
			add("PostgreSQL date "+op+" "+pg, fmt.Sprintf(`SELECT id, created_at FROM {customers} WHERE created_at %s %s`, op, pg))
			add("MariaDB date "+op+" "+my, fmt.Sprintf(`SELECT id, due_date FROM {orders} WHERE due_date %s %s`, op, my))
			add("MariaDB reversed "+op+" "+my, fmt.Sprintf(`SELECT count(*) FROM {orders} WHERE %s %s due_date`, my, op))
		}
	}
	return out
}

func testTransfer(t *testing.T, f *federation) {
	for _, q := range append(transferQueries, dateBoundQueries()...) {
		t.Run(q.name, func(t *testing.T) { f.compare(t, q.sql, false) })
	}

	// Both sources receive the key's predicate.
	lines := remoteSQL(t, f, junctionTables.Replace(transferQueries[0].sql))
	if len(lines) != 2 {
		t.Fatalf("EXPLAIN of a point lookup shows %d remote queries, want 2: %q", len(lines), lines)
	}
	for _, l := range lines {
		if !regexp.MustCompile(`(?i)\bwhere\b.*\b(id|customer_id)\W*\s*=\s*42\b`).MatchString(l) {
			t.Errorf("remote SQL %q lacks the key's equality", l)
		}
	}

	// A date bound reaches each source as a date, without a cast on the
	// column.
	for _, sql := range []string{
		`SELECT id FROM crm.customers WHERE created_at < date '2021-03-01' + interval '1' year`,
		`SELECT id FROM shop.orders WHERE due_date < date '2024-03-01' + interval '1' year`,
	} {
		lines := remoteSQL(t, f, sql)
		if len(lines) != 1 || !regexp.MustCompile(`(?i)\bwhere\b.*(created_at|due_date)\W*\s*<\s*(date\s*)?'20(22|25)-03-01'`).MatchString(lines[0]) {
			t.Errorf("EXPLAIN %s: remote SQL %q does not compare with a date", sql, lines)
		}
	}
}
