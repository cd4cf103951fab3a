package planner_test

import (
	"context"
	"strings"
	"testing"

	"github.com/junction-db/junction/catalog"
	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/planner"
)

// staffRoles: admin is a superuser, every other role a member of itself,
// of "staff" and of PUBLIC.
type staffRoles struct{}

func (staffRoles) RolesOf(role string) []string { return []string{role, "staff", "public"} }
func (staffRoles) IsSuperuser(role string) bool { return role == "admin" }

// securedEnv is testEnv with row security on crm.customers and its name
// masked, the tables it joins readable by PUBLIC, planning as user.
func securedEnv(t testing.TB, user string, policies []catalog.Policy, maskedRoles ...string) *planner.Env {
	t.Helper()
	env := testEnv(t)
	snap := *env.Snapshot
	snap.Security = []*catalog.TableSecurity{{Source: "crm", Schema: "public", Table: "customers", RowSecurity: true, Policies: policies,
		Masks: map[string]string{"name": "MASKED WITH FUNCTION left(name, 1) || '***'"}}}
	snap.MaskedRoles = maskedRoles
	// Everyone may read the tables; what they see is the policies' work.
	for schema, tables := range map[string][]string{"crm": {"customers", "segments"}, "shop": {"orders"}} {
		snap.Privileges.SetSchemaACL(schema, catalog.ACL{{Grantee: catalog.PublicRole, Grantor: "admin", Privs: "U"}})
		for _, table := range tables {
			snap.Privileges.SetTableACL(schema, table, catalog.ACL{{Grantee: catalog.PublicRole, Grantor: "admin", Privs: "r"}})
		}
	}
	env.Snapshot = &snap
	env.System.Snapshot = &snap
	env.User, env.Roles = user, staffRoles{}
	return env
}

func TestRowPoliciesCombine(t *testing.T) {
	policies := []catalog.Policy{
		{Name: "mine", Command: "select", Roles: []string{"alice"}, Using: "name = current_user"},
		{Name: "dutch", Command: "all", Roles: []string{"staff"}, Using: "country = 'NL'"},
		{Name: "small", Command: "all", Roles: []string{"public"}, Restrictive: true, Using: "id < 1000"},
		{Name: "bobs", Command: "all", Roles: []string{"bob"}, Using: "true"},
	}
	plan := explain(t, securedEnv(t, "alice", policies), "SELECT id FROM crm.customers")
	for _, want := range []string{
		`WHERE ((t1."name" = 'junction') OR (t1."country" = 'NL')) AND (t1."id" < 1000)`,
		"Row Filter (policy mine, dutch, small on crm.customers): ((name = current_user) OR (country = 'NL')) AND (id < 1000)",
	} {
		if !strings.Contains(plan, want) {
			t.Errorf("plan lacks %q:\n%s", want, plan)
		}
	}
	if strings.Contains(plan, "Masked") {
		t.Errorf("alice is not masked, but the plan masks:\n%s", plan)
	}
}

func TestRowPoliciesDefaultDeny(t *testing.T) {
	policies := []catalog.Policy{
		{Name: "small", Command: "all", Roles: []string{"public"}, Restrictive: true, Using: "id < 1000"},
		{Name: "bobs", Command: "all", Roles: []string{"bob"}, Using: "true"},
	}
	plan := explain(t, securedEnv(t, "carol", policies), "SELECT id FROM crm.customers")
	if !strings.Contains(plan, "Row Filter (policy small on crm.customers): false AND (id < 1000)") {
		t.Errorf("carol, with only a restrictive policy, is not denied every row:\n%s", plan)
	}
	if strings.Contains(plan, "Remote SQL") && !strings.Contains(plan, "Values") && !strings.Contains(plan, "false") {
		t.Errorf("the plan reads rows for carol:\n%s", plan)
	}
	plan = explain(t, securedEnv(t, "carol", nil), "SELECT id FROM crm.customers")
	if !strings.Contains(plan, "Row Filter (no policy on crm.customers applies): false") {
		t.Errorf("row security without policies does not deny:\n%s", plan)
	}
}

func TestSuperuserBypassesPoliciesAndMasks(t *testing.T) {
	plan := explain(t, securedEnv(t, "admin", nil, "admin", "staff"), "SELECT name FROM crm.customers")
	if strings.Contains(plan, "Row Filter") || strings.Contains(plan, "Masked") || !strings.Contains(plan, `SELECT t1."name" FROM "public"."customers" t1`) {
		t.Errorf("a superuser's plan is filtered or masked:\n%s", plan)
	}
	env := securedEnv(t, "carol", nil, "staff")
	env.Roles = nil
	if plan := explain(t, env, "SELECT name FROM crm.customers"); strings.Contains(plan, "Row Filter") || strings.Contains(plan, "Masked") {
		t.Errorf("planning without roles checks nothing, but the plan is filtered:\n%s", plan)
	}
}

// A masked role's predicates, joins, ordering and aggregates read the
// mask, never the raw value, wherever they run.
func TestMaskedColumnIsMaskedEverywhere(t *testing.T) {
	policies := []catalog.Policy{{Name: "all", Command: "all", Roles: []string{"public"}, Using: "true"}}
	// carol is masked through her membership of staff.
	env := securedEnv(t, "carol", policies, "staff")
	masked := `(left(t1."name", 1) || '***')`
	for _, c := range []struct{ sql, want string }{
		{"SELECT name FROM crm.customers", `SELECT ` + masked + ` FROM`},
		{"SELECT id FROM crm.customers WHERE name = 'Ann'", `WHERE (` + masked + ` = 'Ann')`},
		{"SELECT id FROM crm.customers ORDER BY name", `ORDER BY (` + masked + `)::text`},
		{"SELECT max(name) FROM crm.customers", `max((` + masked + `)::text`},
		{"SELECT count(*) FROM crm.customers c JOIN crm.segments s ON s.segment = c.name", `SELECT ` + masked + ` AS "c0"`},
	} {
		plan := explain(t, env, c.sql)
		if !strings.Contains(plan, c.want) || !strings.Contains(plan, "Masked: name") {
			t.Errorf("%s: plan lacks %q or names no mask:\n%s", c.sql, c.want, plan)
		}
		if strings.Contains(plan, `t1."name" = 'Ann'`) {
			t.Errorf("%s: the raw value is compared:\n%s", c.sql, plan)
		}
	}
	// Across sources the mask is computed before the join in Junction.
	plan := explain(t, env, "SELECT o.id FROM crm.customers c JOIN shop.orders o ON o.status = c.name")
	if !strings.Contains(plan, `SELECT `+masked) {
		t.Errorf("the cross-source join does not read the masked name:\n%s", plan)
	}
}

func TestPolicyUserCTEDoesNotShadowPolicyNames(t *testing.T) {
	policies := []catalog.Policy{{Name: "mine", Command: "all", Roles: []string{"public"}, Using: "name = current_user"}}
	// A WITH item named like the table's column does not change what the
	// policy reads.
	plan := explain(t, securedEnv(t, "carol", policies), "WITH name AS (SELECT 'junction' AS name) SELECT id FROM crm.customers")
	if !strings.Contains(plan, `WHERE (t1."name" = 'junction')`) {
		t.Errorf("the policy is not applied as stored:\n%s", plan)
	}
}

func TestCheckPolicyAndMask(t *testing.T) {
	env := testEnv(t)
	src, table, _ := env.Snapshot.FindTable("crm", "", "customers")
	ctx := context.Background()
	for _, c := range []struct{ using, code string }{
		{"country = 'NL'", ""},
		{"id", pgerr.DatatypeMismatch},
		{"missing = 1", pgerr.UndefinedColumn},
		{"id = $1", pgerr.UndefinedParameter},
		{"id IN (SELECT customer_id FROM crm.segments)", pgerr.FeatureNotSupported},
		{"count(*) > 1", pgerr.GroupingError},
	} {
		if err := planner.CheckPolicy(ctx, env, src, table, c.using); codeOf(err) != c.code {
			t.Errorf("CheckPolicy(%q) = %v, want SQLSTATE %q", c.using, err, c.code)
		}
	}
	for _, c := range []struct{ column, label, code string }{
		{"name", "MASKED WITH VALUE NULL", ""},
		{"name", "masked with function md5(name)", ""},
		{"id", "MASKED WITH VALUE 0", ""},
		{"id", "MASKED WITH FUNCTION md5(name)", pgerr.DatatypeMismatch},
		{"id", "MASKED WITH VALUE 'x'", pgerr.InvalidTextRep},
		{"name", "MASKED WITH VALUE 1 FROM crm.segments", pgerr.SyntaxError},
		{"name", "HIDDEN", pgerr.InvalidParameterValue},
		{"nothere", "MASKED WITH VALUE NULL", pgerr.UndefinedColumn},
	} {
		if err := planner.CheckMask(ctx, env, src, table, c.column, c.label); codeOf(err) != c.code {
			t.Errorf("CheckMask(%s, %q) = %v, want SQLSTATE %q", c.column, c.label, err, c.code)
		}
	}
}

func codeOf(err error) string {
	if err == nil {
		return ""
	}
	return pgerr.Code(err)
}

// BenchmarkPlanSecured measures what policies and masks add to planning a
// query: the same query planned for a superuser (bypass) and for a
// masked user under two policies.
func BenchmarkPlanSecured(b *testing.B) {
	policies := []catalog.Policy{
		{Name: "mine", Command: "all", Roles: []string{"public"}, Using: "name = current_user"},
		{Name: "small", Command: "all", Roles: []string{"public"}, Restrictive: true, Using: "id < 1000"},
	}
	const sql = "SELECT country, count(*) FROM crm.customers WHERE name LIKE 'A%' GROUP BY country"
	for _, user := range []string{"admin", "carol"} {
		b.Run(user, func(b *testing.B) {
			env := securedEnv(b, user, policies, "staff")
			stmts, err := planner.Parse(sql)
			if err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for range b.N {
				q, err := planner.BindSelect(context.Background(), env, stmts[0].Stmt.GetSelectStmt(), nil)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := planner.Optimize(context.Background(), env, q.Plan); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
