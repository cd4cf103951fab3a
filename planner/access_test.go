package planner_test

import (
	"context"
	"testing"

	"github.com/junction-db/junction/catalog"
	"github.com/junction-db/junction/connectors/mysql"
	"github.com/junction-db/junction/connectors/postgres"
	"github.com/junction-db/junction/connectors/sqlgen"
	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/planner"
)

// testRoles: admin is the superuser; every role is a member of itself and
// PUBLIC only.
type testRoles struct{}

func (testRoles) RolesOf(role string) []string { return []string{role, catalog.PublicRole} }
func (testRoles) IsSuperuser(role string) bool { return role == "admin" }

// grantsEnv is testEnv with ACLs set by grant, as user.
func grantsEnv(t testing.TB, user string, grant func(p *catalog.Privileges, s *catalog.Snapshot)) *planner.Env {
	t.Helper()
	base := testEnv(t)
	env := catalogEnv(t, func(s *catalog.Snapshot) {
		for k, v := range base.Snapshot.Sources {
			s.Sources[k] = v
		}
		s.Views[catalog.ViewKey("public", "admin_view")] = &catalog.View{Schema: "public", Name: "admin_view", SQL: "SELECT name FROM crm.customers", Columns: []string{"name"}, Owner: "admin"}
		s.Views[catalog.ViewKey("public", "carol_view")] = &catalog.View{Schema: "public", Name: "carol_view", SQL: "SELECT name FROM crm.customers", Columns: []string{"name"}, Owner: "carol"}
		grant(&s.Privileges, s)
	}, map[string]sqlgen.Dialect{"crm": &postgres.Dialect{}, "shop": mysql.Dialect{}})
	env.System.BootstrapOwner = "admin"
	env.User, env.Roles = user, testRoles{}
	return env
}

func bindError(t *testing.T, env *planner.Env, sql string) error {
	t.Helper()
	stmts, err := planner.Parse(sql)
	if err != nil {
		t.Fatal(err)
	}
	_, err = planner.BindSelect(context.Background(), env, stmts[0].Stmt.GetSelectStmt(), nil)
	return err
}

func wantBind(t *testing.T, env *planner.Env, sql, code, message string) {
	t.Helper()
	err := bindError(t, env, sql)
	if code == "" {
		if err != nil {
			t.Errorf("%s as %s: %v", sql, env.User, err)
		}
		return
	}
	if pgerr.Code(err) != code || message != "" && err.(*pgerr.Error).Message != message {
		t.Errorf("%s as %s: %v, want %s %q", sql, env.User, err, code, message)
	}
}

func TestBinderChecksUsageAndSelect(t *testing.T) {
	none := func(*catalog.Privileges, *catalog.Snapshot) {}
	wantBind(t, grantsEnv(t, "admin", none), "SELECT * FROM crm.customers", "", "")
	alice := grantsEnv(t, "alice", none)
	wantBind(t, alice, "SELECT * FROM crm.customers", pgerr.InsufficientPrivilege, "permission denied for schema crm")
	// An unqualified name skips the schemas alice may not use.
	wantBind(t, alice, "SELECT * FROM customers", pgerr.UndefinedTable, "")
	wantBind(t, alice, "SELECT 1 FROM pg_catalog.pg_class", "", "")

	usage := func(p *catalog.Privileges, _ *catalog.Snapshot) {
		p.SetSchemaACL("crm", catalog.DefaultACL("admin", "U", false).Grant("alice", "admin", "U", false))
	}
	alice = grantsEnv(t, "alice", usage)
	wantBind(t, alice, "SELECT * FROM crm.customers", pgerr.InsufficientPrivilege, "permission denied for table customers")
	wantBind(t, alice, "SELECT * FROM customers", pgerr.InsufficientPrivilege, "permission denied for table customers")
	wantBind(t, alice, "SELECT * FROM crm.sales.targets", pgerr.InsufficientPrivilege, "permission denied for schema crm.sales")

	selected := func(p *catalog.Privileges, s *catalog.Snapshot) {
		usage(p, s)
		p.SetTableACL("crm", "customers", catalog.ACL{{Grantee: catalog.PublicRole, Grantor: "admin", Privs: "r"}})
	}
	wantBind(t, grantsEnv(t, "alice", selected), "SELECT c.name FROM crm.customers c JOIN crm.segments s ON s.customer_id = c.id", pgerr.InsufficientPrivilege, "permission denied for table segments")
	wantBind(t, grantsEnv(t, "alice", selected), "SELECT count(*) FROM customers", "", "")
	// PUBLIC's SELECT does not give bob USAGE on the schema.
	wantBind(t, grantsEnv(t, "bob", selected), "SELECT * FROM crm.customers", pgerr.InsufficientPrivilege, "permission denied for schema crm")
}

func TestBinderReadsViewBodiesAsTheirOwner(t *testing.T) {
	viewGranted := func(p *catalog.Privileges, _ *catalog.Snapshot) {
		p.SetTableACL("public", "admin_view", catalog.DefaultACL("admin", "r", false).Grant("alice", "admin", "r", false))
		p.SetTableACL("public", "carol_view", catalog.DefaultACL("carol", "r", false).Grant("alice", "carol", "r", false))
	}
	alice := grantsEnv(t, "alice", viewGranted)
	// admin, a superuser, may read crm.customers; so may alice through
	// admin's view.
	wantBind(t, alice, "SELECT * FROM admin_view", "", "")
	// carol may not read crm.customers, so her view may not either.
	wantBind(t, alice, "SELECT * FROM carol_view", pgerr.InsufficientPrivilege, "permission denied for schema crm")
	bob := grantsEnv(t, "bob", viewGranted)
	wantBind(t, bob, "SELECT * FROM admin_view", pgerr.InsufficientPrivilege, "permission denied for view admin_view")

	// Once carol may read the table, her view reads it for alice.
	carolReads := func(p *catalog.Privileges, s *catalog.Snapshot) {
		viewGranted(p, s)
		p.SetSchemaACL("crm", catalog.ACL{{Grantee: "carol", Grantor: "admin", Privs: "U"}})
		p.SetTableACL("crm", "customers", catalog.ACL{{Grantee: "carol", Grantor: "admin", Privs: "r"}})
	}
	wantBind(t, grantsEnv(t, "alice", carolReads), "SELECT * FROM carol_view", "", "")
	wantBind(t, grantsEnv(t, "alice", carolReads), "SELECT * FROM crm.customers", pgerr.InsufficientPrivilege, "permission denied for schema crm")
}

func TestBinderWithoutRolesChecksNothing(t *testing.T) {
	env := grantsEnv(t, "alice", func(*catalog.Privileges, *catalog.Snapshot) {})
	env.Roles = nil
	wantBind(t, env, "SELECT * FROM crm.customers", "", "")
}

// BenchmarkBindAccessChecks binds a join of two tables as a superuser,
// who is not checked, and as a user whose grants are checked.
func BenchmarkBindAccessChecks(b *testing.B) {
	grants := func(p *catalog.Privileges, _ *catalog.Snapshot) {
		p.SetSchemaACL("crm", catalog.ACL{{Grantee: "alice", Grantor: "admin", Privs: "U"}})
		p.SetTableACL("crm", "customers", catalog.ACL{{Grantee: "alice", Grantor: "admin", Privs: "r"}})
		p.SetTableACL("crm", "segments", catalog.ACL{{Grantee: catalog.PublicRole, Grantor: "admin", Privs: "r"}})
	}
	stmts, err := planner.Parse("SELECT c.name, s.segment FROM crm.customers c JOIN crm.segments s ON s.customer_id = c.id WHERE c.country = 'NL'")
	if err != nil {
		b.Fatal(err)
	}
	for _, user := range []string{"admin", "alice"} {
		env := grantsEnv(b, user, grants)
		b.Run(user, func(b *testing.B) {
			for range b.N {
				if _, err := planner.BindSelect(context.Background(), env, stmts[0].Stmt.GetSelectStmt(), nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
