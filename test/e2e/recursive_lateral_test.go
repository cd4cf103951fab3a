package e2e

import (
	"regexp"
	"strings"
	"testing"
)

// recursiveLateralQueries are WITH RECURSIVE, LATERAL, DISTINCT ON and
// FETCH ... WITH TIES queries compared with PostgreSQL on the same data:
// {customers} is in a PostgreSQL source, {orders} in a MariaDB source.
var recursiveLateralQueries = []differentialQuery{
	// WITH RECURSIVE.
	{"recursive counter", `WITH RECURSIVE t(n) AS (VALUES (1) UNION ALL SELECT n + 1 FROM t WHERE n < 100) SELECT sum(n), count(*) FROM t`, false},
	{"recursive union drops rows of earlier rounds", `WITH RECURSIVE t(n) AS (SELECT 1 UNION SELECT (n * 3) % 17 FROM t) SELECT n FROM t ORDER BY n`, true},
	{"recursive text column", `WITH RECURSIVE s(x) AS (SELECT 'a'::text UNION ALL SELECT x || 'b' FROM s WHERE length(x) < 6) SELECT x FROM s ORDER BY x`, true},
	{"recursive over postgres", `WITH RECURSIVE r(id, depth) AS (SELECT id, 0 FROM {customers} WHERE id = 1 UNION ALL SELECT c.id, r.depth + 1 FROM r JOIN {customers} c ON c.id = r.id * 2 + 1 WHERE r.depth < 20) SELECT id, depth FROM r ORDER BY id`, true},
	{"recursive over mariadb", `WITH RECURSIVE r(id) AS (SELECT min(id) FROM {orders} UNION SELECT o.id FROM r JOIN {orders} o ON o.id = r.id + 7) SELECT count(*), max(id) FROM r`, false},
	{"recursive across sources", `WITH RECURSIVE chain(cid, hops) AS (SELECT 1, 0 UNION SELECT c.id, hops + 1 FROM chain JOIN {orders} o ON o.customer_id = chain.cid JOIN {customers} c ON c.id = o.customer_id + 1 WHERE hops < 6) SELECT cid, hops FROM chain ORDER BY hops, cid`, true},
	{"recursive status walk on mariadb text", `WITH RECURSIVE s(status, n) AS (SELECT DISTINCT status, 0 FROM {orders} UNION SELECT o.status, s.n + 1 FROM s JOIN {orders} o ON o.status = s.status WHERE s.n < 2) SELECT status, n, count(*) FROM s GROUP BY status, n`, false},
	{"recursive under a limit stops", `WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t) SELECT n FROM t LIMIT 5`, false},
	{"recursive referenced twice", `WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t WHERE n < 4) SELECT a.n, b.n FROM t a JOIN t b ON b.n = a.n + 1 ORDER BY 1`, true},
	{"recursive with a plain item", `WITH RECURSIVE nl AS (SELECT id FROM {customers} WHERE country = 'NL'), t(id, k) AS (SELECT min(id), 1 FROM nl UNION ALL SELECT (SELECT min(id) FROM nl WHERE nl.id > t.id), k + 1 FROM t WHERE k < 5) SELECT id, k FROM t ORDER BY k`, true},
	{"recursive nested in a recursive term", `WITH RECURSIVE q(n) AS (SELECT 1 UNION ALL (WITH RECURSIVE x(m) AS (SELECT n FROM q UNION ALL SELECT m + 10 FROM x WHERE m < 30) SELECT m + 1 FROM x WHERE m < 25)) SELECT n, count(*) FROM q GROUP BY n ORDER BY n`, true},
	{"materialized items", `WITH a AS MATERIALIZED (SELECT id FROM {customers} WHERE id < 20), b AS NOT MATERIALIZED (SELECT id FROM a WHERE id % 2 = 0) SELECT count(*) FROM b`, false},

	// LATERAL.
	{"lateral subquery across sources", `SELECT c.id, o.id, o.amount FROM {customers} c, LATERAL (SELECT id, amount FROM {orders} o WHERE o.customer_id = c.id AND o.amount > 900) o WHERE c.id < 100`, false},
	{"left join lateral aggregate", `SELECT c.id, t.n, t.total FROM {customers} c LEFT JOIN LATERAL (SELECT count(*) AS n, sum(amount) AS total FROM {orders} o WHERE o.customer_id = c.id) t ON true WHERE c.id <= 30 OR c.id > 485`, false},
	{"lateral top two per customer", `SELECT c.id, o.id, o.amount FROM {customers} c CROSS JOIN LATERAL (SELECT id, amount FROM {orders} o WHERE o.customer_id = c.id ORDER BY amount DESC, id LIMIT 2) o WHERE c.id <= 40`, false},
	{"lateral function", `SELECT c.id, g FROM {customers} c, generate_series(1, c.id % 4) g WHERE c.id <= 20`, false},
	{"lateral values", `SELECT c.id, v.x FROM {customers} c, LATERAL (VALUES (c.id), (c.id * 2), (NULL)) AS v(x) WHERE c.id <= 25`, false},
	{"left join lateral computed column without match", `SELECT c.id, x.v FROM {customers} c LEFT JOIN LATERAL (SELECT o.amount * 2 AS v FROM {orders} o WHERE o.customer_id = c.id AND o.amount > 990) x ON true WHERE c.id > 470`, false},
	{"left join lateral with condition", `SELECT c.id, x.id FROM {customers} c LEFT JOIN LATERAL (SELECT o.id, o.amount FROM {orders} o WHERE o.customer_id = c.id) x ON x.amount > 950 WHERE c.id <= 50`, false},
	{"lateral on postgres", `SELECT a.id, b.id, b.name FROM {customers} a, LATERAL (SELECT id, name FROM {customers} b WHERE b.id = a.id + 1 AND b.country = a.country) b WHERE a.id < 200`, false},
	{"lateral on mariadb", `SELECT o.id, p.id FROM {orders} o JOIN LATERAL (SELECT id FROM {orders} p WHERE p.id = o.id + 1 AND p.status = o.status) p ON true WHERE o.id < 300`, false},
	{"lateral aggregate on postgres", `SELECT a.id, s.n FROM {customers} a LEFT JOIN LATERAL (SELECT count(*) AS n, min(b.name) AS first FROM {customers} b WHERE b.country = a.country AND b.id < a.id) s ON true WHERE a.id < 60`, false},
	{"lateral top two on postgres", `SELECT a.country, s.id FROM (SELECT DISTINCT country FROM {customers}) a, LATERAL (SELECT id FROM {customers} b WHERE b.country = a.country ORDER BY name, id LIMIT 2) s`, false},
	{"recursive text union on postgres", `WITH RECURSIVE r(country, k) AS (SELECT DISTINCT country, 0 FROM {customers} UNION SELECT c.country, r.k + 1 FROM r JOIN {customers} c ON c.country > r.country WHERE r.k < 2) SELECT country, k FROM r ORDER BY k, country`, true},
	{"lateral reading outer projection", `SELECT c.id, s.x FROM {customers} c, LATERAL (SELECT c.id * 10 + o.id AS x FROM {orders} o WHERE o.customer_id = c.id) s WHERE c.id < 15`, false},
	{"derived table reading the enclosing query", `SELECT c.id, (SELECT m FROM (SELECT max(o.amount) AS m FROM {orders} o WHERE o.customer_id = c.id) x) FROM {customers} c WHERE c.id < 20`, false},

	// DISTINCT ON.
	{"distinct on postgres", `SELECT DISTINCT ON (country) country, id, name FROM {customers} ORDER BY country, id`, true},
	{"distinct on mariadb", `SELECT DISTINCT ON (customer_id) customer_id, id, amount FROM {orders} ORDER BY customer_id, amount DESC, id`, true},
	{"distinct on mariadb text keeps case and spaces apart", `SELECT DISTINCT ON (status) status, id FROM {orders} ORDER BY status, id`, true},
	{"distinct on across sources", `SELECT DISTINCT ON (c.country) c.country, o.amount, o.id FROM {customers} c JOIN {orders} o ON o.customer_id = c.id ORDER BY c.country, o.amount DESC, o.id`, true},
	{"distinct on expression not selected", `SELECT DISTINCT ON (id % 7) id FROM {customers} ORDER BY id % 7, id DESC`, true},
	{"distinct on with limit", `SELECT DISTINCT ON (note) note, id FROM {orders} ORDER BY note NULLS FIRST, id LIMIT 3`, true},

	// FETCH FIRST ... WITH TIES.
	{"with ties mariadb", `SELECT id, amount FROM {orders} ORDER BY amount DESC FETCH FIRST 3 ROWS WITH TIES`, false},
	{"with ties postgres", `SELECT id, country FROM {customers} ORDER BY country FETCH FIRST 1 ROW WITH TIES`, false},
	{"with ties across sources", `SELECT c.country, o.id FROM {customers} c JOIN {orders} o ON o.customer_id = c.id ORDER BY c.country DESC FETCH FIRST 2 ROWS WITH TIES`, false},
}

func TestRecursiveLateralDistinctOn(t *testing.T) {
	f := newFederation(t)
	t.Run("differential", func(t *testing.T) { f.compareAll(t, recursiveLateralQueries) })
	t.Run("errors", func(t *testing.T) {
		conn := f.conn()
		for _, c := range []struct{ name, sql, code string }{
			{"recursive term type differs", `WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 0.5 FROM t WHERE n < 3) SELECT * FROM t`, "42804"},
			{"self-reference in the non-recursive term", `WITH RECURSIVE t(n) AS (SELECT n FROM t UNION ALL SELECT 1) SELECT * FROM t`, "42P19"},
			{"self-reference twice", `WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT a.n FROM t a, t b) SELECT * FROM t`, "42P19"},
			{"self-reference in a subquery", `WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT 2 WHERE EXISTS (SELECT 1 FROM t)) SELECT * FROM t`, "42P19"},
			{"self-reference on the nullable side", `WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT c.id FROM crm.customers c LEFT JOIN t ON t.n = c.id) SELECT * FROM t`, "42P19"},
			{"distinct on not leading order by", `SELECT DISTINCT ON (country) id FROM crm.customers ORDER BY id`, "42P10"},
			{"with ties without order by", `SELECT id FROM crm.customers FETCH FIRST 2 ROWS WITH TIES`, "42601"},
			{"right join lateral", `SELECT * FROM crm.customers c RIGHT JOIN LATERAL (SELECT c.id) s ON true`, "42P10"},
		} {
			t.Run(c.name, func(t *testing.T) { expectError(t, conn, c.sql, c.code) })
		}
	})
	t.Run("runaway recursion", func(t *testing.T) {
		conn := f.conn()
		mustExec(t, conn, `SET junction.max_recursive_iterations = 50`)
		expectError(t, conn, `WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t) SELECT count(*) FROM t`, "54000")
		if got := queryValue(t, conn, `WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t WHERE n < 50) SELECT count(*) FROM t`); got != "50" {
			t.Errorf("a recursion of 49 rounds under a bound of 50 counted %s rows, want 50", got)
		}
		mustExec(t, conn, `RESET junction.max_recursive_iterations`)
		mustExec(t, conn, `SET junction.max_recursive_rows = 1000`)
		expectError(t, conn, `WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t WHERE n < 5000) SELECT count(*) FROM t`, "54000")
		mustExec(t, conn, `RESET junction.max_recursive_rows`)
	})
	t.Run("postgres forms pushed whole only to postgres", func(t *testing.T) {
		for _, c := range []struct{ pg, mysql, form string }{
			{`WITH RECURSIVE r(id) AS (SELECT min(id) FROM crm.customers UNION SELECT c.id FROM r JOIN crm.customers c ON c.id = r.id + 3) SELECT count(*) FROM r`,
				`WITH RECURSIVE r(id) AS (SELECT min(id) FROM shop.orders UNION SELECT o.id FROM r JOIN shop.orders o ON o.id = r.id + 3) SELECT count(*) FROM r`, "WITH RECURSIVE"},
			{`SELECT DISTINCT ON (country) country, id FROM crm.customers ORDER BY country, id DESC`,
				`SELECT DISTINCT ON (status) status, id FROM shop.orders ORDER BY status, id DESC`, "DISTINCT ON"},
			{`SELECT id FROM crm.customers ORDER BY country FETCH FIRST 2 ROWS WITH TIES`,
				`SELECT id FROM shop.orders ORDER BY status FETCH FIRST 2 ROWS WITH TIES`, "WITH TIES"},
			{`SELECT a.id, s.n FROM crm.customers a, LATERAL (SELECT count(*) AS n FROM crm.customers b WHERE b.country = a.country) s`,
				`SELECT a.id, s.n FROM shop.orders a, LATERAL (SELECT count(*) AS n FROM shop.orders b WHERE b.status = a.status) s`, "LATERAL"},
		} {
			if lines := remoteSQL(t, f, c.pg); len(lines) != 1 || !strings.Contains(lines[0], c.form) {
				t.Errorf("EXPLAIN %s: want one remote query with %s, got %q", c.pg, c.form, lines)
			}
			for _, l := range remoteSQL(t, f, c.mysql) {
				if strings.Contains(l, c.form) {
					t.Errorf("EXPLAIN %s: %s sent to MariaDB: %q", c.mysql, c.form, l)
				}
			}
		}
	})
	t.Run("lateral pushed to its source", func(t *testing.T) {
		for _, sql := range []string{
			`SELECT a.id, b.id FROM crm.customers a, LATERAL (SELECT id FROM crm.customers b WHERE b.id = a.id + 1) b`,
			`SELECT o.id, p.id FROM shop.orders o LEFT JOIN LATERAL (SELECT id FROM shop.orders p WHERE p.customer_id = o.customer_id AND p.id > o.id) p ON true`,
		} {
			lines := remoteSQL(t, f, sql)
			if len(lines) != 1 || !regexp.MustCompile(`(?i)\bjoin\b|, `).MatchString(lines[0]) {
				t.Errorf("EXPLAIN %s: want the join in one remote query, got %q", sql, lines)
			}
		}
	})
}
