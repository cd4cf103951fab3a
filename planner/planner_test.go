package planner_test

import (
	"context"
	"strings"
	"testing"

	"github.com/junction-db/junction/catalog"
	"github.com/junction-db/junction/catalog/system"
	"github.com/junction-db/junction/connectors"
	"github.com/junction-db/junction/connectors/mysql"
	"github.com/junction-db/junction/connectors/postgres"
	"github.com/junction-db/junction/connectors/sqlgen"
	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/planner"
	"github.com/junction-db/junction/types"
)

// testEnv is a catalog with a PostgreSQL source crm and a MySQL source
// shop, as discovery would register them.
func testEnv(t testing.TB) *planner.Env {
	t.Helper()
	return catalogEnv(t, func(s *catalog.Snapshot) {
		s.Sources["crm"] = &catalog.Source{Name: "crm", Wrapper: "postgres", DefaultSchema: "public", OID: s.AllocOID(), Tables: []connectors.Table{
			{Schema: "public", Name: "customers", Columns: []connectors.Column{
				{Name: "id", Type: types.TInt4}, {Name: "name", Type: types.TText}, {Name: "country", Type: types.TText},
			}},
			{Schema: "public", Name: "segments", Columns: []connectors.Column{
				{Name: "customer_id", Type: types.TInt4}, {Name: "segment", Type: types.TText},
			}},
			{Schema: "sales", Name: "targets", Columns: []connectors.Column{
				{Name: "country", Type: types.TText}, {Name: "target", Type: types.Type{Kind: types.Numeric, Precision: 12, Scale: 2}},
			}},
		}}
		s.Sources["shop"] = &catalog.Source{Name: "shop", Wrapper: "mysql", DefaultSchema: "shop", OID: s.AllocOID(), Tables: []connectors.Table{
			{Schema: "shop", Name: "orders", Columns: []connectors.Column{
				{Name: "id", Type: types.TInt4}, {Name: "customer_id", Type: types.TInt4},
				{Name: "amount", Type: types.Type{Kind: types.Numeric, Precision: 10, Scale: 2}},
				{Name: "status", Type: types.Type{Kind: types.Varchar, Length: 20}},
				{Name: "created_at", Type: types.TTimestamp},
			}},
		}}
	}, map[string]sqlgen.Dialect{"crm": &postgres.Dialect{}, "shop": mysql.Dialect{}})
}

// catalogEnv is a planning environment over a catalog holding the sources
// add registers, with the given dialects.
func catalogEnv(t testing.TB, add func(s *catalog.Snapshot), dialects map[string]sqlgen.Dialect) *planner.Env {
	t.Helper()
	cat, err := catalog.Open("")
	if err != nil {
		t.Fatal(err)
	}
	err = cat.Update(func(s *catalog.Snapshot) error {
		add(s)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	snap := cat.Snapshot()
	return &planner.Env{
		Snapshot: snap,
		System:   &system.Info{Snapshot: snap, User: "junction", Database: "junction", Settings: map[string]string{"search_path": `"$user", public`}},
		Dialect: func(name string) (sqlgen.Dialect, bool) {
			d, ok := dialects[name]
			return d, ok
		},
	}
}

func explain(t *testing.T, env *planner.Env, sql string) string {
	t.Helper()
	stmts, err := planner.Parse(sql)
	if err != nil {
		t.Fatalf("parse %q: %v", sql, err)
	}
	q, err := planner.BindSelect(context.Background(), env, stmts[0].Stmt.GetSelectStmt(), nil)
	if err != nil {
		t.Fatalf("bind %q: %v", sql, err)
	}
	p, err := planner.Optimize(context.Background(), env, q.Plan)
	if err != nil {
		t.Fatalf("optimize %q: %v", sql, err)
	}
	return strings.Join(planner.Explain(env, p, nil), "\n")
}

func TestPushdown(t *testing.T) {
	env := testEnv(t)
	cases := []struct {
		name, sql string
		want      []string // substrings of the EXPLAIN output
		remotes   int
	}{
		{
			name:    "single source query is sent whole",
			sql:     "SELECT country, count(*) FROM crm.customers WHERE id > 10 GROUP BY country ORDER BY 2 DESC LIMIT 5",
			want:    []string{`Remote SQL: SELECT t1."country", count(*) FROM "public"."customers" t1 WHERE (t1."id" > 10) GROUP BY t1."country" ORDER BY count(*) DESC NULLS FIRST LIMIT 5`},
			remotes: 1,
		},
		{
			name:    "same-source join merges",
			sql:     "SELECT c.name, s.segment FROM crm.customers c JOIN crm.segments s ON s.customer_id = c.id WHERE c.country = 'NL'",
			want:    []string{`FROM "public"."customers" t1, "public"."segments" t2 WHERE (t1."country" = 'NL') AND (t2."customer_id" = t1."id")`},
			remotes: 1,
		},
		{
			name: "cross-source join pushes each side's filters",
			sql: `SELECT c.name, sum(o.amount) FROM crm.customers c JOIN shop.orders o ON o.customer_id = c.id
			      WHERE o.created_at >= date '2024-01-01' AND c.country = 'NL' GROUP BY c.name ORDER BY 2 DESC LIMIT 10`,
			want: []string{
				`Remote SQL: SELECT t1."id", t1."name" FROM "public"."customers" t1 WHERE (t1."country" = 'NL')`,
				"`created_at` >= TIMESTAMP'2024-01-01 00:00:00'",
				"Inner Join",
			},
			remotes: 2,
		},
		{
			name: "correlated EXISTS becomes a semi join with each side pushed down",
			sql: `SELECT c.name FROM crm.customers c
			      WHERE EXISTS (SELECT 1 FROM shop.orders o WHERE o.customer_id = c.id AND o.amount > 100)`,
			want:    []string{"Semi Join", "Join Cond: (o.customer_id = c.id)", "WHERE (t1.`amount` > 100"},
			remotes: 2,
		},
		{
			name: "tables of one source join at the source even when the FROM list interleaves them",
			sql: `SELECT c.name, o.amount, s.segment FROM crm.customers c JOIN shop.orders o ON o.customer_id = c.id
			      JOIN crm.segments s ON s.customer_id = c.id WHERE s.segment = 'gold'`,
			want:    []string{`FROM "public"."customers" t1, "public"."segments" t2 WHERE (t2."segment" = 'gold') AND (t2."customer_id" = t1."id")`},
			remotes: 2,
		},
		{
			name: "a source's tables later in the FROM list join each other first",
			sql: `SELECT c.name, sum(o.amount) FROM crm.customers c JOIN shop.orders o ON o.customer_id = c.id
			      JOIN shop.orders o2 ON o2.customer_id = o.customer_id GROUP BY c.name`,
			want:    []string{"FROM `shop`.`orders` t1, `shop`.`orders` t2 WHERE"},
			remotes: 2,
		},
		{
			name:    "tables of one source that only meet through another stay apart",
			sql:     `SELECT c.name, s.segment FROM crm.customers c JOIN shop.orders o ON o.customer_id = c.id JOIN crm.segments s ON s.customer_id = o.id`,
			remotes: 3,
		},
		{
			name:    "avg reaches MySQL as sum and count",
			sql:     `SELECT customer_id, avg(amount) FROM shop.orders GROUP BY customer_id`,
			want:    []string{"SELECT t1.`customer_id`, SUM(t1.`amount`), COUNT(t1.`amount`) FROM `shop`.`orders` t1 GROUP BY t1.`customer_id`"},
			remotes: 1,
		},
		{
			name:    "NOT EXISTS becomes an anti join",
			sql:     `SELECT c.name FROM crm.customers c WHERE NOT EXISTS (SELECT 1 FROM shop.orders o WHERE o.customer_id = c.id)`,
			want:    []string{"Anti Join"},
			remotes: 2,
		},
		{
			name:    "three-part name reaches another remote schema",
			sql:     "SELECT target FROM crm.sales.targets WHERE country = 'DE'",
			want:    []string{`FROM "sales"."targets" t1`},
			remotes: 1,
		},
		{
			name:    "date arithmetic folds to one literal",
			sql:     "SELECT id FROM shop.orders WHERE created_at < date '1998-12-01' - interval '90' day",
			want:    []string{"TIMESTAMP'1998-09-02 00:00:00'"},
			remotes: 1,
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out := explain(t, env, c.sql)
			for _, w := range c.want {
				if !strings.Contains(out, w) {
					t.Errorf("EXPLAIN lacks %q:\n%s", w, out)
				}
			}
			if got := strings.Count(out, "Remote SQL:"); got != c.remotes {
				t.Errorf("%d remote queries, want %d:\n%s", got, c.remotes, out)
			}
		})
	}
}

func TestMySQLTextGroupsByBytes(t *testing.T) {
	env := testEnv(t)
	out := explain(t, env, "SELECT status, count(*) FROM shop.orders GROUP BY status")
	// MySQL's collation would put 'paid' and 'Paid ' in one group; their
	// bytes do not.
	if !strings.Contains(out, "GROUP BY CAST(CONVERT(t1.`status` USING utf8mb4) AS BINARY)") {
		t.Errorf("text GROUP BY reached MySQL without grouping by bytes:\n%s", out)
	}
}

func TestBindErrors(t *testing.T) {
	env := testEnv(t)
	cases := []struct{ sql, code string }{
		{"SELECT * FROM crm.nope", pgerr.UndefinedTable},
		{"SELECT * FROM nowhere.customers", pgerr.UndefinedTable},
		{"SELECT nope FROM crm.customers", pgerr.UndefinedColumn},
		{"SELECT id FROM crm.customers a, crm.customers b", pgerr.AmbiguousColumn},
		{"SELECT name, count(*) FROM crm.customers", pgerr.GroupingError},
		{"SELECT * FROM crm.customers WHERE count(*) > 1", pgerr.GroupingError},
		{"SELECT id + 'x' FROM crm.customers", pgerr.InvalidTextRep},
		{"SELECT id FROM crm.customers WHERE name", pgerr.DatatypeMismatch},
		{"SELECT id FROM crm.customers WHERE row_number() OVER () > 1", "42P20"},
		{"SELECT nosuchfunc(1)", pgerr.UndefinedFunction},
		{"SELECT id FROM crm.customers ORDER BY 5", pgerr.InvalidColumnReference},
	}
	for _, c := range cases {
		stmts, err := planner.Parse(c.sql)
		if err != nil {
			t.Fatalf("parse %q: %v", c.sql, err)
		}
		_, err = planner.BindSelect(context.Background(), env, stmts[0].Stmt.GetSelectStmt(), nil)
		if got := pgerr.Code(err); got != c.code {
			t.Errorf("%s: got %s (%v), want %s", c.sql, got, err, c.code)
		}
	}
}

func TestSyntaxError(t *testing.T) {
	_, err := planner.Parse("SELEC 1")
	if pgerr.Code(err) != pgerr.SyntaxError {
		t.Fatalf("got %v, want 42601", err)
	}
}

// envWith is a planning environment over a catalog holding sources, each
// speaking the dialect given for it.
func envWith(t *testing.T, sources []*catalog.Source, dialects map[string]sqlgen.Dialect) *planner.Env {
	t.Helper()
	return catalogEnv(t, func(s *catalog.Snapshot) {
		for _, src := range sources {
			src.OID = s.AllocOID()
			s.Sources[src.Name] = src
		}
	}, dialects)
}
