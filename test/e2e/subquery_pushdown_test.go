package e2e

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/junction-db/junction/test/testenv"
)

// subqueryPushdownQueries are subqueries whose tables all live in the
// outer query's source: {customers} self-references run in PostgreSQL,
// {orders} self-references in MariaDB. Each is compared with PostgreSQL,
// and EXPLAIN must show the whole query as one remote statement whose SQL
// matches pushed (when set).
var subqueryPushdownQueries = []struct {
	name   string
	sql    string
	pushed string
}{
	// PostgreSQL source.
	{"pg EXISTS", `SELECT c.id FROM {customers} c WHERE EXISTS (SELECT 1 FROM {customers} d WHERE d.country = c.country AND d.id > c.id + 450)`, `EXISTS \(SELECT`},
	{"pg NOT EXISTS", `SELECT c.id FROM {customers} c WHERE NOT EXISTS (SELECT 1 FROM {customers} d WHERE d.email = c.email AND d.id <> c.id)`, `NOT EXISTS \(SELECT`},
	{"pg IN", `SELECT id FROM {customers} WHERE id IN (SELECT id * 3 FROM {customers} WHERE country = 'NL')`, `EXISTS \(SELECT`},
	{"pg NOT IN with NULLs in the subquery", `SELECT id, email FROM {customers} WHERE email NOT IN (SELECT email FROM {customers} WHERE id < 40)`, `NOT \(.* IN \(SELECT`},
	{"pg NOT IN with NULLs outside", `SELECT id, email FROM {customers} WHERE email NOT IN (SELECT email FROM {customers} WHERE id < 40 AND email IS NOT NULL)`, `NOT \(.* IN \(SELECT`},
	{"pg IN and NOT IN values with NULLs", `SELECT id, email IN (SELECT email FROM {customers} WHERE id < 40), email NOT IN (SELECT email FROM {customers} WHERE id BETWEEN 30 AND 45) FROM {customers} WHERE id <= 80`, `IN \(SELECT`},
	{"pg IN over an empty set", `SELECT id, email NOT IN (SELECT email FROM {customers} WHERE id < 0) FROM {customers} WHERE id <= 30`, `NOT \(.* IN \(SELECT`},
	{"pg uncorrelated scalar", `SELECT id FROM {customers} WHERE created_at > (SELECT max(created_at) - 100 FROM {customers})`, `> \(SELECT \(max`},
	{"pg correlated scalar in WHERE", `SELECT id, name FROM {customers} c WHERE c.created_at = (SELECT max(d.created_at) FROM {customers} d WHERE d.country = c.country)`, `= \(SELECT max`},
	{"pg correlated scalar in the select list", `SELECT c.id, (SELECT count(*) FROM {customers} d WHERE d.country = c.country AND d.id < c.id) FROM {customers} c WHERE c.id <= 50`, `(?i)\(SELECT count\(\*\)`},
	{"pg correlated scalar over no rows", `SELECT c.id, (SELECT count(*) FROM {customers} d WHERE d.email = c.email AND d.id < 0), (SELECT max(d.id) FROM {customers} d WHERE d.email = c.email AND d.id < 0) FROM {customers} c WHERE c.id <= 20`, `(?i)\(SELECT count\(\*\)`},
	{"pg nested two levels", `SELECT c.id, (SELECT max(d.id) FROM {customers} d WHERE d.country = c.country AND d.created_at < (SELECT min(e.created_at) + 365 FROM {customers} e WHERE e.country = d.country)) FROM {customers} c WHERE c.id <= 40`, `\(SELECT \(min`},
	{"pg nested EXISTS in IN", `SELECT c.id FROM {customers} c WHERE c.id IN (SELECT d.id + 1 FROM {customers} d WHERE EXISTS (SELECT 1 FROM {customers} e WHERE e.name = d.name AND e.id <> d.id))`, `EXISTS \(SELECT`},
	{"pg subquery under OR", `SELECT c.id FROM {customers} c WHERE c.id < 5 OR EXISTS (SELECT 1 FROM {customers} d WHERE d.email = c.email AND d.id <> c.id)`, `OR \(EXISTS`},
	{"pg scalar subquery with ORDER BY and LIMIT", `SELECT c.id, (SELECT d.name FROM {customers} d WHERE d.country = c.country ORDER BY d.created_at DESC, d.id LIMIT 1) FROM {customers} c WHERE c.id <= 30`, `LIMIT 1\)`},
	{"pg IN with LIMIT", `SELECT id FROM {customers} WHERE id IN (SELECT id FROM {customers} ORDER BY created_at, id LIMIT 7)`, `LIMIT 7`},
	{"pg uncorrelated subquery in HAVING", `SELECT country, count(*) FROM {customers} GROUP BY country HAVING count(*) > (SELECT count(*) FROM {customers} WHERE country = 'FR')`, `HAVING .*\(SELECT count`},
	{"pg Q17 shape", `SELECT sum(c.id) / 7.0 FROM {customers} c WHERE c.country = 'NL' AND c.id < (SELECT 0.8 * avg(d.id) FROM {customers} d WHERE d.name = c.name)`, `< \(SELECT`},

	// MariaDB source.
	{"mysql EXISTS", `SELECT o.id FROM {orders} o WHERE EXISTS (SELECT 1 FROM {orders} p WHERE p.customer_id = o.customer_id AND p.amount > o.amount * 50)`, `EXISTS \(SELECT`},
	{"mysql NOT EXISTS", `SELECT o.id FROM {orders} o WHERE NOT EXISTS (SELECT 1 FROM {orders} p WHERE p.customer_id = o.customer_id AND p.id < o.id)`, `NOT EXISTS \(SELECT`},
	{"mysql IN", `SELECT id FROM {orders} WHERE customer_id IN (SELECT customer_id FROM {orders} WHERE amount > 995)`, `EXISTS \(SELECT`},
	{"mysql NOT IN with NULLs on both sides", `SELECT id FROM {orders} WHERE nullif(customer_id, 7) NOT IN (SELECT nullif(customer_id, 300) FROM {orders} WHERE id < 30)`, `IN \(SELECT`},
	{"mysql NOT IN with NULLs outside", `SELECT id, nullif(customer_id, 7) FROM {orders} WHERE nullif(customer_id, 7) NOT IN (SELECT customer_id FROM {orders} WHERE id < 30)`, `IN \(SELECT`},
	{"mysql IN values with NULLs", `SELECT id, nullif(customer_id, 7) IN (SELECT nullif(customer_id, 300) FROM {orders} WHERE id < 300), nullif(customer_id, 7) NOT IN (SELECT customer_id FROM {orders} WHERE id < 300) FROM {orders} WHERE id <= 100`, `IN \(SELECT`},
	{"mysql uncorrelated scalar", `SELECT id FROM {orders} WHERE amount > (SELECT max(amount) - 20 FROM {orders})`, `> \(SELECT`},
	{"mysql correlated scalar in the select list", `SELECT o.id, (SELECT count(*) FROM {orders} p WHERE p.customer_id = o.customer_id AND p.id < o.id) FROM {orders} o WHERE o.id <= 60`, `(?i)\(SELECT count\(\*\)`},
	{"mysql nested two levels", `SELECT o.id FROM {orders} o WHERE o.id < 200 AND o.amount * 3 > (SELECT max(p.amount) FROM {orders} p WHERE p.customer_id = o.customer_id AND EXISTS (SELECT 1 FROM {orders} q WHERE q.customer_id = p.customer_id AND q.id <> p.id))`, `EXISTS \(SELECT`},
	{"mysql subquery under OR", `SELECT o.id FROM {orders} o WHERE o.amount > 998 OR o.customer_id IN (SELECT p.customer_id FROM {orders} p WHERE p.amount < 2)`, `OR .*IN \(SELECT`},
	{"mysql IN with LIMIT", `SELECT id FROM {orders} WHERE customer_id IN (SELECT customer_id FROM {orders} ORDER BY amount DESC, id LIMIT 5)`, `LIMIT 5`},
	{"mysql correlated scalar with LIMIT", `SELECT o.id, (SELECT p.amount FROM {orders} p WHERE p.customer_id = o.customer_id ORDER BY p.amount DESC, p.id LIMIT 1) FROM {orders} o WHERE o.id < 50`, ``},
	{"mysql Q17 shape", `SELECT sum(o.amount) / 7.0 FROM {orders} o WHERE o.status = 'shipped' AND o.amount * 5 < (SELECT max(p.amount) FROM {orders} p WHERE p.customer_id = o.customer_id)`, `< \(SELECT`},
	{"mysql Q20 shape", `SELECT o.id FROM {orders} o WHERE o.customer_id IN (SELECT customer_id FROM {orders} WHERE note = 'fragile: glass') AND o.amount * 40 > (SELECT sum(p.amount) FROM {orders} p WHERE p.customer_id = o.customer_id AND p.created_at >= date '2024-01-01' AND p.created_at < date '2025-01-01')`, `> \(SELECT`},
	{"mysql text IN stays correct", `SELECT id FROM {orders} WHERE status IN (SELECT status FROM {orders} WHERE id < 5)`, ``},
	{"mysql text correlation stays correct", `SELECT o.id, (SELECT count(*) FROM {orders} p WHERE p.status = o.status AND p.id < 100) FROM {orders} o WHERE o.id < 100`, ``},
	{"mysql text NOT IN with NULLs", `SELECT id FROM {orders} WHERE note NOT IN (SELECT note FROM {orders} WHERE id BETWEEN 3 AND 9 AND note IS NOT NULL)`, ``},
}

// decorrelatedQueries are correlated scalar aggregate subqueries over the
// other source, which run as a join with the aggregate grouped by the
// correlation keys: EXPLAIN must show no SubPlan.
var decorrelatedQueries = []string{
	`SELECT c.id, (SELECT sum(o.amount) FROM {orders} o WHERE o.customer_id = c.id AND o.status = 'paid') FROM {customers} c`,
	`SELECT c.id, (SELECT c.id * 1000 + count(*) FROM {orders} o WHERE o.customer_id = c.id) FROM {customers} c WHERE c.id > 470`,
	`SELECT c.id FROM {customers} c WHERE 3 < (SELECT count(*) FROM {orders} o WHERE o.customer_id = c.id AND o.amount > 500)`,
	`SELECT c.id FROM {customers} c WHERE (SELECT count(*) FROM {orders} o WHERE o.customer_id = c.id) = 0`,
	`SELECT c.id, (SELECT max(o.amount) FROM {orders} o WHERE o.customer_id = c.id AND o.id = c.id + 2000) FROM {customers} c WHERE c.id < 100`,
	`SELECT c.id, (SELECT count(*) FROM {orders} o WHERE o.customer_id = nullif(c.id, 5)), (SELECT avg(o.amount) FROM {orders} o WHERE o.customer_id = nullif(c.id, 5)) FROM {customers} c WHERE c.id < 10`,
	`SELECT c.id, c.name FROM {customers} c WHERE c.created_at < (SELECT min(o.created_at)::date - 1500 FROM {orders} o WHERE o.customer_id = c.id)`,
	`SELECT c.id FROM {customers} c WHERE (SELECT max(o.amount) FROM {orders} o WHERE o.customer_id = c.id) IS NULL`,
	`SELECT c.id, c.country FROM {customers} c WHERE c.id * 2 >= (SELECT max(o.customer_id) + 1 FROM {orders} o WHERE o.customer_id = c.id AND o.amount < 100)`,
	`SELECT o.id FROM {orders} o WHERE o.amount > (SELECT count(DISTINCT c.country) * 100 FROM {customers} c WHERE c.id = o.customer_id OR c.id IS NULL)`,
}

// sunkSemiJoins are EXISTS, NOT EXISTS and IN over a join of both
// sources whose correlation reads one side only: the semi or anti join
// goes below the join to that side and into its source's statement.
var sunkSemiJoins = []string{
	`SELECT c.id, o.id FROM {customers} c, {orders} o WHERE o.customer_id = c.id AND c.id < 50 AND EXISTS (SELECT 1 FROM {orders} p WHERE p.customer_id = o.customer_id AND p.id <> o.id AND p.amount > 900)`,
	`SELECT c.id, o.id FROM {customers} c JOIN {orders} o ON o.customer_id = c.id WHERE o.amount > 950 AND NOT EXISTS (SELECT 1 FROM {customers} d WHERE d.email = c.email AND d.id <> c.id)`,
	`SELECT c.id, o.amount FROM {orders} o, {customers} c WHERE o.customer_id = c.id AND o.id < 300 AND c.id IN (SELECT d.id + 2 FROM {customers} d WHERE d.country = 'DE')`,
	// Uncorrelated subqueries move with their conjunct like any filter.
	`SELECT c.id, o.id FROM {customers} c JOIN {orders} o ON o.customer_id = c.id WHERE o.amount > (SELECT max(amount) - 30 FROM {orders}) AND c.created_at > (SELECT min(created_at) + 30 FROM {customers})`,
}

// subqueryErrors must fail as in PostgreSQL, with the SQLSTATE given.
var subqueryErrors = []struct {
	name, sql, code string
}{
	{"pg scalar subquery of more than one row", `SELECT c.id, (SELECT d.id FROM {customers} d WHERE d.country = c.country) FROM {customers} c`, "21000"},
	{"mysql scalar subquery of more than one row", `SELECT o.id FROM {orders} o WHERE o.amount > (SELECT p.amount FROM {orders} p WHERE p.customer_id = o.customer_id)`, "21000"},
}

func testSubqueryPushdown(t *testing.T, f *federation) {
	for _, q := range subqueryPushdownQueries {
		t.Run(q.name, func(t *testing.T) {
			f.compare(t, q.sql, false)
			if q.pushed == "" {
				return
			}
			lines := remoteSQL(t, f, junctionTables.Replace(q.sql))
			if len(lines) != 1 {
				t.Fatalf("EXPLAIN shows %d remote queries, want the whole query as one: %q", len(lines), lines)
			}
			if !regexp.MustCompile(q.pushed).MatchString(lines[0]) {
				t.Errorf("remote SQL %q does not match %s", lines[0], q.pushed)
			}
		})
	}
	for i, q := range sunkSemiJoins {
		t.Run(fmt.Sprintf("semi join sunk %d", i+1), func(t *testing.T) {
			f.compare(t, q, false)
			lines := remoteSQL(t, f, junctionTables.Replace(q))
			if !regexp.MustCompile(`(EXISTS|[<>]) \(SELECT`).MatchString(strings.Join(lines, "\n")) {
				t.Errorf("no remote query holds the semi join: %q", lines)
			}
		})
	}
	for i, q := range decorrelatedQueries {
		t.Run(fmt.Sprintf("decorrelated %d", i+1), func(t *testing.T) {
			f.compare(t, q, false)
			plan := strings.Join(column(query(t, f.conn(), "EXPLAIN "+junctionTables.Replace(q)), 0), "\n")
			if strings.Contains(plan, "SubPlan") != strings.Contains(q, " OR ") {
				t.Errorf("EXPLAIN %s:\n%s", q, plan)
			}
		})
	}
	for _, q := range subqueryErrors {
		t.Run(q.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), testenv.CompareTimeout)
			defer cancel()
			for _, target := range []struct {
				name string
				conn *pgx.Conn
				sql  string
			}{
				{"PostgreSQL", f.reference, referenceTables.Replace(q.sql)},
				{"Junction", f.conn(), junctionTables.Replace(q.sql)},
			} {
				_, err := testenv.QueryText(ctx, target.conn, target.sql)
				var pe *pgconn.PgError
				if !errors.As(err, &pe) || pe.Code != q.code {
					t.Errorf("%s: got %v, want an error with SQLSTATE %s", target.name, err, q.code)
				}
			}
		})
	}
}
