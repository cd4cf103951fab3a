package planner_test

import (
	"context"
	"strings"
	"testing"

	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/planner"
)

// Each of these runs whole at the source when its tables are all in a
// PostgreSQL source, and in Junction against a MySQL source.
func TestPostgresFormsPushedOnlyToPostgres(t *testing.T) {
	env := testEnv(t)
	for _, c := range []struct {
		name, pg, mysql, remote string
	}{
		{"recursive",
			`WITH RECURSIVE r(id) AS (SELECT id FROM crm.customers WHERE id = 1 UNION SELECT c.id FROM r JOIN crm.customers c ON c.id = r.id + 1) SELECT count(*) FROM r`,
			`WITH RECURSIVE r(id) AS (SELECT id FROM shop.orders WHERE id = 1 UNION SELECT o.id FROM r JOIN shop.orders o ON o.id = r.id + 1) SELECT count(*) FROM r`,
			`WITH RECURSIVE "junction_recursive_1"("c0") AS (`},
		{"lateral",
			`SELECT c.id, s.n FROM crm.customers c, LATERAL (SELECT count(*) AS n FROM crm.segments g WHERE g.customer_id = c.id) s`,
			`SELECT o.id, s.n FROM shop.orders o, LATERAL (SELECT count(*) AS n FROM shop.orders p WHERE p.customer_id = o.id) s`,
			` JOIN LATERAL (SELECT count(*) AS "c0" FROM "public"."segments"`},
		{"distinct on",
			`SELECT DISTINCT ON (country) country, id FROM crm.customers ORDER BY country, id DESC`,
			`SELECT DISTINCT ON (status) status, id FROM shop.orders ORDER BY status, id DESC`,
			`SELECT DISTINCT ON ((t1."country")::text COLLATE "C") `},
		{"with ties",
			`SELECT id FROM crm.customers ORDER BY country FETCH FIRST 3 ROWS WITH TIES`,
			`SELECT id FROM shop.orders ORDER BY status FETCH FIRST 3 ROWS WITH TIES`,
			`FETCH FIRST 3 ROWS WITH TIES`},
	} {
		t.Run(c.name, func(t *testing.T) {
			plan := explain(t, env, c.pg)
			if strings.Count(plan, "Remote SQL") != 1 || !strings.Contains(plan, c.remote) {
				t.Errorf("not pushed whole to PostgreSQL:\n%s", plan)
			}
			plan = explain(t, env, c.mysql)
			if strings.Contains(plan, "LATERAL") || strings.Contains(plan, "RECURSIVE") || strings.Contains(plan, "DISTINCT ON") || strings.Contains(plan, "WITH TIES") {
				t.Errorf("pushed to MySQL:\n%s", plan)
			}
		})
	}
}

// A LATERAL subquery that only filters on the left row becomes a join.
func TestLateralDecorrelatedIntoAJoin(t *testing.T) {
	env := testEnv(t)
	plan := explain(t, env, `SELECT c.id, o.amount FROM crm.customers c LEFT JOIN LATERAL (SELECT amount FROM shop.orders o WHERE o.customer_id = c.id) o ON true`)
	if strings.Contains(plan, "Lateral") || !strings.Contains(plan, "Left Join") {
		t.Errorf("the LATERAL join was not turned into a left join:\n%s", plan)
	}
	// A computed column would not be NULL on a NULL-extended row.
	plan = explain(t, env, `SELECT c.id, o.x FROM crm.customers c LEFT JOIN LATERAL (SELECT 1 AS x FROM shop.orders o WHERE o.customer_id = c.id) o ON true`)
	if !strings.Contains(plan, "Lateral Left Join") {
		t.Errorf("a LATERAL left join projecting a constant was decorrelated:\n%s", plan)
	}
}

func TestRecursiveBindErrors(t *testing.T) {
	env := testEnv(t)
	for _, c := range []struct{ sql, code string }{
		{`WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t ORDER BY 1) SELECT * FROM t`, pgerr.FeatureNotSupported},
		{`WITH RECURSIVE t(n) AS (SELECT 1 INTERSECT SELECT n FROM t) SELECT * FROM t`, "42P19"},
		{`WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT count(*) FROM t) SELECT * FROM t`, "42P19"},
		{`WITH RECURSIVE a(n) AS (SELECT 1 UNION ALL SELECT n FROM b), b(n) AS (SELECT 1 UNION ALL SELECT n FROM a) SELECT * FROM a`, pgerr.FeatureNotSupported},
		{`WITH RECURSIVE t(n, m) AS (SELECT 1 UNION ALL SELECT n FROM t) SELECT * FROM t`, pgerr.InvalidColumnReference},
	} {
		stmts, err := planner.Parse(c.sql)
		if err != nil {
			t.Fatalf("parse %q: %v", c.sql, err)
		}
		if _, err := planner.BindSelect(context.Background(), env, stmts[0].Stmt.GetSelectStmt(), nil); pgerr.Code(err) != c.code {
			t.Errorf("%s: got %v, want SQLSTATE %s", c.sql, err, c.code)
		}
	}
}

func TestLateralInsideAJoinReadingEarlierItems(t *testing.T) {
	env := testEnv(t)
	stmts, err := planner.Parse(`SELECT count(*) FROM crm.customers a, crm.customers b JOIN LATERAL (SELECT a.id) s(x) ON b.id = s.x`)
	if err != nil {
		t.Fatal(err)
	}
	_, err = planner.BindSelect(context.Background(), env, stmts[0].Stmt.GetSelectStmt(), nil)
	if pgerr.Code(err) != pgerr.FeatureNotSupported {
		t.Errorf("got %v, want 0A000", err)
	}
	stmts, _ = planner.Parse(`SELECT count(*) FROM crm.customers a, crm.customers b JOIN LATERAL (SELECT z.id) s(x) ON b.id = s.x`)
	_, err = planner.BindSelect(context.Background(), env, stmts[0].Stmt.GetSelectStmt(), nil)
	if pgerr.Code(err) != pgerr.UndefinedTable {
		t.Errorf("a reference to no table at all: got %v, want 42P01", err)
	}
}

// A filter on the left side of a LATERAL join that stays in Junction
// reaches the left side's source, so the right side runs for fewer rows.
func TestFilterBelowLateral(t *testing.T) {
	env := testEnv(t)
	plan := explain(t, env, `SELECT c.id, s.n FROM crm.customers c, LATERAL (SELECT count(*) AS n FROM shop.orders o WHERE o.customer_id = c.id) s WHERE c.country = 'NL'`)
	if !strings.Contains(plan, `FROM "public"."customers" t1 WHERE (t1."country" = 'NL')`) {
		t.Errorf("the filter on customers did not reach its source:\n%s", plan)
	}
}
