package engine

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/junction-db/junction/auth"
	"github.com/junction-db/junction/catalog"
	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/planner"
	pg "github.com/pganalyze/pg_query_go/v6"
)

// newRolesEngine starts an engine with an in-memory catalog whose
// configuration declares the superuser admin and the ordinary bob.
func newRolesEngine(t *testing.T, cat *catalog.Catalog, users ...catalog.User) *Engine {
	t.Helper()
	if users == nil {
		users = []catalog.User{{Name: "admin", Password: "adm1n-pw", Superuser: true}, {Name: "bob", Password: "b0b-pw"}}
	}
	e, err := New(context.Background(), Config{Catalog: cat, Users: users})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(e.Close)
	return e
}

// run executes sql in s and returns its notices' messages.
func run(t *testing.T, s *Session, sql string) ([]string, error) {
	t.Helper()
	stmts, err := s.Parse(context.Background(), sql, nil)
	if err != nil {
		return nil, err
	}
	var notices []string
	for _, st := range stmts {
		res, err := s.Execute(context.Background(), st, nil)
		if err != nil {
			return notices, err
		}
		if res.Rows != nil {
			res.Rows.Close()
		}
		for _, n := range res.Notices {
			notices = append(notices, n.Message)
		}
	}
	return notices, nil
}

func mustRun(t *testing.T, s *Session, sql string) []string {
	t.Helper()
	notices, err := run(t, s, sql)
	if err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return notices
}

// wantError checks that sql fails with code and a message containing msg.
func wantError(t *testing.T, s *Session, sql, code, msg string) {
	t.Helper()
	_, err := run(t, s, sql)
	if pgerr.Code(err) != code || !strings.Contains(errMessage(err), msg) {
		t.Errorf("%s: got %v (%s), want %s %q", sql, err, pgerr.Code(err), code, msg)
	}
}

func errMessage(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func TestCreateRoleStoresAVerifierAndLogsIn(t *testing.T) {
	e := newRolesEngine(t, nil)
	admin := e.NewSession("admin", "junction")
	mustRun(t, admin, "CREATE ROLE alice WITH LOGIN PASSWORD 'al1ce-pw'")
	mustRun(t, admin, "CREATE ROLE team")
	mustRun(t, admin, "CREATE USER carol PASSWORD NULL")

	alice := e.catalog.Snapshot().Roles["alice"]
	if !strings.HasPrefix(alice.Password, "SCRAM-SHA-256$4096:") || strings.Contains(alice.Password, "al1ce-pw") {
		t.Fatalf("stored password %q, want a SCRAM-SHA-256 verifier", alice.Password)
	}
	if !e.Authenticate("alice", "al1ce-pw") || e.Authenticate("alice", "wrong") {
		t.Error("alice's password is not checked against her verifier")
	}
	if err := e.CheckLogin("alice"); err != nil {
		t.Errorf("alice may not log in: %v", err)
	}
	if err := e.CheckLogin("team"); pgerr.Code(err) != pgerr.InvalidAuthorization || err.Error() != `role "team" is not permitted to log in` {
		t.Errorf("NOLOGIN team: %v", err)
	}
	if err := e.CheckLogin("nobody"); pgerr.Code(err) != pgerr.InvalidAuthorization {
		t.Errorf("unknown role: %v", err)
	}
	if r := e.catalog.Snapshot().Roles["carol"]; !r.Login || r.Password != "" || e.Authenticate("carol", "") {
		t.Errorf("CREATE USER carol PASSWORD NULL made %+v", r)
	}

	// A verifier given as the password is kept as it is (pg_dumpall).
	v, err := auth.NewVerifier("dave", "d4ve-pw")
	if err != nil {
		t.Fatal(err)
	}
	mustRun(t, admin, "CREATE ROLE dave LOGIN PASSWORD '"+v.String()+"'")
	if got := e.catalog.Snapshot().Roles["dave"].Password; got != v.String() || !e.Authenticate("dave", "d4ve-pw") {
		t.Errorf("dave's verifier stored as %q", got)
	}

	mustRun(t, admin, "ALTER ROLE alice PASSWORD 'n3w-pw'")
	if e.Authenticate("alice", "al1ce-pw") || !e.Authenticate("alice", "n3w-pw") {
		t.Error("ALTER ROLE did not replace the password")
	}
	if notices := mustRun(t, admin, "ALTER ROLE alice PASSWORD ''"); len(notices) != 1 || e.Authenticate("alice", "") {
		t.Errorf("empty password: notices %v", notices)
	}

	wantError(t, admin, "CREATE ROLE md LOGIN PASSWORD 'md5"+strings.Repeat("0a", 16)+"'", pgerr.FeatureNotSupported, "MD5 password hash")
	wantError(t, admin, "SET password_encryption = md5", pgerr.FeatureNotSupported, "password_encryption")
	wantError(t, admin, "CREATE ROLE alice", pgerr.DuplicateObject, `role "alice" already exists`)
	wantError(t, admin, "CREATE ROLE pg_x", reservedName, `role name "pg_x" is reserved`)
	wantError(t, admin, "CREATE ROLE x CREATEDB", pgerr.FeatureNotSupported, "CREATEDB")
	wantError(t, admin, "CREATE ROLE x LOGIN NOLOGIN", pgerr.SyntaxError, "conflicting or redundant options")
	wantError(t, admin, "ALTER ROLE nobody LOGIN", pgerr.UndefinedObject, `role "nobody" does not exist`)

	mustRun(t, admin, "ALTER ROLE alice RENAME TO alicia")
	if _, ok := e.catalog.Snapshot().Roles["alicia"]; !ok || !e.HasRole("alicia") || e.HasRole("alice") {
		t.Error("rename did not move the role")
	}
	mustRun(t, admin, "DROP ROLE alicia, team")
	if notices := mustRun(t, admin, "DROP ROLE IF EXISTS alicia"); len(notices) != 1 || notices[0] != `role "alicia" does not exist, skipping` {
		t.Errorf("DROP ROLE IF EXISTS notices %v", notices)
	}
	wantError(t, admin, "DROP ROLE alicia", pgerr.UndefinedObject, `role "alicia" does not exist`)
	wantError(t, admin, "DROP ROLE admin", objectInUse, "current user cannot be dropped")
	wantError(t, admin, "DROP ROLE bob", pgerr.InsufficientPrivilege, "declared in the configuration file")
	wantError(t, admin, "ALTER ROLE bob SUPERUSER", pgerr.InsufficientPrivilege, "declared in the configuration file")
	wantError(t, admin, "DROP ROLE junction_admin", reservedName, "built in")
}

func TestRoleManagementNeedsThePrivilege(t *testing.T) {
	e := newRolesEngine(t, nil)
	admin, bob := e.NewSession("admin", "junction"), e.NewSession("bob", "junction")
	wantError(t, bob, "CREATE ROLE x", pgerr.InsufficientPrivilege, "permission denied to create role")
	wantError(t, bob, "CREATE SERVER s FOREIGN DATA WRAPPER sqlite OPTIONS (path 'x.db')", pgerr.InsufficientPrivilege, "permission denied for foreign-data wrapper sqlite")
	mustRun(t, admin, "CREATE ROLE staff LOGIN PASSWORD 'st4ff-pw'")
	wantError(t, bob, "ALTER ROLE staff NOLOGIN", pgerr.InsufficientPrivilege, "permission denied")
	wantError(t, bob, "GRANT junction_admin TO bob", pgerr.InsufficientPrivilege, `must have admin option on role "junction_admin"`)

	// junction_admin's members manage roles that are not superusers, and
	// servers, without being superusers.
	mustRun(t, admin, "GRANT junction_admin TO bob")
	if !e.catalog.Snapshot().HasPrivilegesOf("bob", catalog.AdminRole) || !bob.isAdmin() || bob.superuser {
		t.Fatal("bob did not become an admin")
	}
	if err := bob.checkPrivilege(mustParse(t, "CREATE SERVER s FOREIGN DATA WRAPPER sqlite OPTIONS (path 'x.db')")); err != nil {
		t.Errorf("junction_admin member refused CREATE SERVER: %v", err)
	}
	mustRun(t, bob, "CREATE ROLE deputy")
	mustRun(t, bob, "ALTER ROLE staff NOLOGIN")
	mustRun(t, bob, "GRANT staff TO deputy")
	wantError(t, bob, "CREATE ROLE root SUPERUSER", pgerr.InsufficientPrivilege, "must be superuser to create superusers")
	wantError(t, bob, "ALTER ROLE admin NOSUPERUSER", pgerr.InsufficientPrivilege, "declared in the configuration file")
	wantError(t, bob, "GRANT junction_admin TO deputy", pgerr.InsufficientPrivilege, `must have admin option on role "junction_admin"`)
	mustRun(t, admin, "CREATE ROLE root SUPERUSER")
	wantError(t, bob, "DROP ROLE root", pgerr.InsufficientPrivilege, "must be superuser to drop superusers")
	wantError(t, bob, "GRANT root TO deputy", pgerr.InsufficientPrivilege, "must be superuser to alter superusers")
	mustRun(t, bob, "DROP ROLE deputy")

	// Revoking takes the privilege away on the next statement.
	mustRun(t, admin, "REVOKE junction_admin FROM bob")
	wantError(t, bob, "CREATE ROLE x", pgerr.InsufficientPrivilege, "permission denied to create role")

	// A role with CREATEROLE manages roles too; anyone changes their own
	// password only.
	mustRun(t, admin, "CREATE ROLE maker LOGIN CREATEROLE")
	maker := e.NewSession("maker", "junction")
	mustRun(t, maker, "CREATE ROLE made")
	mustRun(t, maker, "ALTER ROLE maker PASSWORD 'm4ker-pw'")
	// ... but not a member of junction_admin, whose password would give
	// maker junction_admin.
	mustRun(t, admin, "CREATE ROLE operator LOGIN IN ROLE junction_admin")
	wantError(t, maker, "ALTER ROLE operator PASSWORD 'mine'", pgerr.InsufficientPrivilege, `permission denied to alter role "operator"`)
	wantError(t, maker, "DROP ROLE operator", pgerr.InsufficientPrivilege, `permission denied to drop role "operator"`)
	wantError(t, maker, "ALTER ROLE operator RENAME TO op", pgerr.InsufficientPrivilege, `permission denied to rename role "operator"`)
	mustRun(t, admin, "CREATE ROLE plain LOGIN")
	plain := e.NewSession("plain", "junction")
	mustRun(t, plain, "ALTER ROLE CURRENT_USER PASSWORD 'pl4in-pw'")
	wantError(t, plain, "ALTER ROLE plain CREATEROLE", pgerr.InsufficientPrivilege, "permission denied")
}

func mustParse(t *testing.T, sql string) *pg.Node {
	t.Helper()
	raws, err := planner.Parse(sql)
	if err != nil {
		t.Fatal(err)
	}
	return raws[0].Stmt
}

func TestGrantRoleMembership(t *testing.T) {
	e := newRolesEngine(t, nil)
	admin := e.NewSession("admin", "junction")
	mustRun(t, admin, "CREATE ROLE a; CREATE ROLE b; CREATE ROLE c NOINHERIT; CREATE ROLE d")
	mustRun(t, admin, "GRANT b TO a")
	mustRun(t, admin, "GRANT c TO b WITH ADMIN OPTION")
	mustRun(t, admin, "GRANT d TO c")
	wantError(t, admin, "GRANT a TO c", invalidGrantOperation, `role "a" is a member of role "c"`)
	wantError(t, admin, "GRANT a TO a", invalidGrantOperation, `role "a" is a member of role "a"`)
	wantError(t, admin, "GRANT nobody TO a", pgerr.UndefinedObject, `role "nobody" does not exist`)
	before := e.catalog.Snapshot()
	if notices := mustRun(t, admin, "GRANT b TO a"); len(notices) != 1 || notices[0] != `role "a" is already a member of role "b"` {
		t.Errorf("repeated GRANT notices %v", notices)
	}
	if e.catalog.Snapshot() != before {
		t.Error("a GRANT that changed nothing stored a new catalog")
	}

	// c does not inherit: a uses b's and c's privileges, not d's.
	if got, want := e.RolesOf("a"), []string{"a", "b", "c", "public"}; !slices.Equal(got, want) {
		t.Errorf("RolesOf(a) = %v, want %v", got, want)
	}
	snap := e.catalog.Snapshot()
	if !snap.IsMember("a", "d") || snap.HasPrivilegesOf("a", "d") {
		t.Error("a should be a member of d without its privileges")
	}
	if !snap.HasAdminOption("b", "c") || snap.HasAdminOption("a", "b") {
		t.Error("ADMIN OPTION not recorded as granted")
	}

	mustRun(t, admin, "REVOKE ADMIN OPTION FOR c FROM b")
	if e.catalog.Snapshot().HasAdminOption("b", "c") || !e.catalog.Snapshot().IsMember("b", "c") {
		t.Error("REVOKE ADMIN OPTION FOR revoked more or less than the option")
	}
	mustRun(t, admin, "REVOKE b FROM a")
	if notices := mustRun(t, admin, "REVOKE b FROM a"); len(notices) != 1 || notices[0] != `role "a" is not a member of role "b"` {
		t.Errorf("REVOKE of no membership notices %v", notices)
	}
	if got := e.RolesOf("a"); !slices.Equal(got, []string{"a", "public"}) {
		t.Errorf("after REVOKE RolesOf(a) = %v", got)
	}

	// Renaming and dropping a role carry its memberships along.
	mustRun(t, admin, "ALTER ROLE c RENAME TO cc")
	if !e.catalog.Snapshot().IsMember("b", "cc") {
		t.Error("membership lost in rename")
	}
	mustRun(t, admin, "DROP ROLE cc")
	if len(e.catalog.Snapshot().Roles["b"].MemberOf) != 0 {
		t.Error("dropped role's memberships remain")
	}
}

func TestSessionFollowsItsRole(t *testing.T) {
	e := newRolesEngine(t, nil)
	admin := e.NewSession("admin", "junction")
	mustRun(t, admin, "CREATE ROLE eve LOGIN")
	eve := e.NewSession("eve", "junction")
	if eve.superuser || eve.settings["is_superuser"] != "off" {
		t.Fatal("eve starts a superuser")
	}
	mustRun(t, admin, "ALTER ROLE eve SUPERUSER")
	mustRun(t, eve, "SELECT 1")
	if !eve.superuser || eve.settings["is_superuser"] != "on" || !e.IsSuperuser("eve") {
		t.Error("ALTER ROLE SUPERUSER did not reach eve's session")
	}
}

func TestSetRole(t *testing.T) {
	e := newRolesEngine(t, nil)
	admin := e.NewSession("admin", "junction")
	mustRun(t, admin, "CREATE ROLE team; CREATE ROLE other; CREATE ROLE frank LOGIN IN ROLE team")
	frank := e.NewSession("frank", "junction")
	wantError(t, frank, "SET ROLE other", pgerr.InsufficientPrivilege, `permission denied to set role "other"`)
	wantError(t, frank, "SET ROLE nobody", pgerr.InvalidParameterValue, `role "nobody" does not exist`)
	wantError(t, frank, "SET SESSION AUTHORIZATION admin", pgerr.InsufficientPrivilege, "permission denied to set session authorization")
	mustRun(t, frank, "SET ROLE team")
	if frank.user != "team" || frank.sessionUser != "frank" || frank.settings["role"] != "team" || frank.env().User != "team" {
		t.Errorf("after SET ROLE team: current %q, session %q, role setting %q", frank.user, frank.sessionUser, frank.settings["role"])
	}
	mustRun(t, frank, "RESET ALL")
	if frank.user != "team" {
		t.Error("RESET ALL reset the role")
	}
	mustRun(t, frank, "RESET ROLE")
	if frank.user != "frank" || frank.settings["role"] != "none" {
		t.Errorf("after RESET ROLE: current %q", frank.user)
	}

	// A superuser becomes any role, superuser flag and all, and back.
	mustRun(t, admin, "SET SESSION AUTHORIZATION frank")
	if admin.user != "frank" || admin.sessionUser != "frank" || admin.superuser || admin.settings["is_superuser"] != "off" {
		t.Errorf("SET SESSION AUTHORIZATION frank: %q %q superuser %v", admin.user, admin.sessionUser, admin.superuser)
	}
	wantError(t, admin, "CREATE ROLE x", pgerr.InsufficientPrivilege, "permission denied to create role")
	mustRun(t, admin, "SET ROLE team")
	mustRun(t, admin, "RESET SESSION AUTHORIZATION")
	if admin.user != "admin" || !admin.superuser || admin.settings["role"] != "none" {
		t.Errorf("RESET SESSION AUTHORIZATION: %q superuser %v", admin.user, admin.superuser)
	}
	mustRun(t, admin, "SET ROLE other")
	mustRun(t, admin, "DISCARD ALL")
	if admin.user != "admin" {
		t.Error("DISCARD ALL kept the role")
	}
	wantError(t, admin, "DROP ROLE admin", objectInUse, "current user cannot be dropped")
}

func TestConfigurationRoles(t *testing.T) {
	cat, err := catalog.Open("")
	if err != nil {
		t.Fatal(err)
	}
	newRolesEngine(t, cat)
	first := cat.Snapshot()
	bob := first.Roles["bob"]
	if !bob.Config || !bob.Login || bob.Superuser || !first.Roles["admin"].Superuser {
		t.Fatalf("configured roles: %+v %+v", bob, first.Roles["admin"])
	}
	// The same configuration again writes nothing.
	newRolesEngine(t, cat)
	if cat.Snapshot() != first {
		t.Error("an unchanged configuration rewrote the roles")
	}
	// bob's new password replaces the old; admin, no longer declared,
	// keeps its OID but can no longer log in.
	e := newRolesEngine(t, cat, catalog.User{Name: "bob", Password: "n3w-pw"})
	if e.Authenticate("bob", "b0b-pw") || !e.Authenticate("bob", "n3w-pw") || cat.Snapshot().Roles["bob"].OID != bob.OID {
		t.Error("bob's configured password was not replaced")
	}
	if r := cat.Snapshot().Roles["admin"]; r.Config || r.Login || r.Password != "" || e.CheckLogin("admin") == nil {
		t.Errorf("retired admin: %+v", r)
	}
}

func TestTrustedServerKeepsEveryoneSuperuser(t *testing.T) {
	e := newRolesEngine(t, nil, []catalog.User{}...)
	s := e.NewSession("anyone", "junction")
	if !s.superuser || e.CheckLogin("anyone") != nil || !e.IsSuperuser("anyone") {
		t.Error("a server without users must trust every client as a superuser")
	}
	mustRun(t, s, "CREATE ROLE r")
}

// carlsViewForDora starts an engine where carl, a junction_admin member,
// owns the view public.carls and granted SELECT on it to the login role
// dora; it returns the engine and the admin's session.
func carlsViewForDora(t *testing.T) (*Engine, *Session) {
	t.Helper()
	e := newRolesEngine(t, nil)
	admin := e.NewSession("admin", "junction")
	mustRun(t, admin, "CREATE ROLE carl LOGIN PASSWORD 'c4rl-pw'")
	mustRun(t, admin, "GRANT junction_admin TO carl")
	mustRun(t, e.NewSession("carl", "junction"), "CREATE VIEW public.carls AS SELECT 1 AS one")
	mustRun(t, admin, "CREATE ROLE dora LOGIN PASSWORD 'd0ra-pw'")
	mustRun(t, admin, "GRANT SELECT ON public.carls TO dora")
	return e, admin
}

// DROP ROLE refuses a role that objects depend on, naming them, as
// PostgreSQL does; its MASKED label goes with it.
func TestDropRoleNamesWhatDependsOnIt(t *testing.T) {
	e, admin := carlsViewForDora(t)
	detail := func(sql string) string {
		t.Helper()
		_, err := run(t, admin, sql)
		var pe *pgerr.Error
		if !errors.As(err, &pe) || pe.Code != pgerr.DependentObjectsExist {
			t.Fatalf("%s: got %v, want 2BP01", sql, err)
		}
		return pe.Detail
	}
	if got := detail("DROP ROLE dora"); got != "privileges for table public.carls" {
		t.Errorf("DROP ROLE dora: detail %q", got)
	}
	if got := detail("DROP ROLE carl"); !strings.Contains(got, "owner of view public.carls") || !strings.Contains(got, "privileges for table public.carls") {
		t.Errorf("DROP ROLE carl: detail %q", got)
	}
	mustRun(t, admin, "REVOKE SELECT ON public.carls FROM dora")
	mustRun(t, admin, "DROP ROLE dora")

	mustRun(t, admin, "CREATE ROLE eve")
	mustRun(t, admin, "SECURITY LABEL FOR junction ON ROLE eve IS 'MASKED'")
	mustRun(t, admin, "DROP ROLE eve")
	mustRun(t, admin, "CREATE ROLE eve")
	if e.catalog.Snapshot().IsMaskedRole("eve") {
		t.Error("a new role eve inherits the dropped role's MASKED label")
	}
}

// ALTER ROLE ... RENAME carries what names the role: the views it owns,
// its grants, the policies naming it and its MASKED label.
func TestRenameRoleCarriesItsObjectsAndGrants(t *testing.T) {
	e, admin := carlsViewForDora(t)
	mustRun(t, admin, "SECURITY LABEL FOR junction ON ROLE dora IS 'MASKED'")
	mustRun(t, admin, "ALTER ROLE carl RENAME TO karl")
	mustRun(t, admin, "ALTER ROLE dora RENAME TO dorothea")
	snap := e.catalog.Snapshot()
	if owner := snap.Views[catalog.ViewKey("public", "carls")].Owner; owner != "karl" {
		t.Errorf("the view's owner is %q after the rename, want karl", owner)
	}
	acl := snap.Privileges.Tables["public"]["carls"]
	if !slices.ContainsFunc(acl, func(it catalog.ACLItem) bool { return it.Grantee == "dorothea" && it.Grantor == "karl" }) {
		t.Errorf("the view's grants after the renames: %+v", acl)
	}
	if !snap.IsMaskedRole("dorothea") || snap.IsMaskedRole("dora") {
		t.Errorf("MASKED labels after the rename: %v", snap.MaskedRoles)
	}
	// The renamed grantee still reads the view.
	mustRun(t, e.NewSession("dorothea", "junction"), "SELECT one FROM public.carls")
}
