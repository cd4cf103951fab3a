package e2e

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/junction-db/junction/test/testenv"
)

// rolesServer starts junction with the superuser admin and the ordinary
// bob declared in its configuration, debug logs and an audit log.
func rolesServer(t *testing.T) *testenv.Server {
	t.Helper()
	return configServer(t, "users:\n  - {name: admin, password: adm1n-pw, superuser: true}\n  - {name: bob, password: b0b-pw}\n"+
		"log:\n  level: debug\naudit:\n  path: audit.jsonl\n")
}

func scramURL(srv *testenv.Server, user, password string) string {
	return userURL(srv, user, password, "sslmode=disable")
}

// TestRolesLogInWithTheirPasswords: a role created by SQL logs in with
// psql and pgx through SCRAM-SHA-256; a wrong password, a NOLOGIN role
// and a replaced password are refused; the roles survive a restart and
// their passwords appear nowhere.
func TestRolesLogInWithTheirPasswords(t *testing.T) {
	srv := rolesServer(t)
	admin := testenv.ConnectURL(t, scramURL(srv, "admin", "adm1n-pw"))
	const first, second, hidden = "Al1ce-First-pw", "Al1ce-Second-pw", "N0login-pw"
	mustExec(t, admin, "CREATE ROLE alice WITH LOGIN PASSWORD '"+first+"'")
	mustExec(t, admin, "CREATE ROLE hidden NOLOGIN PASSWORD '"+hidden+"'")

	alice := testenv.ConnectURL(t, scramURL(srv, "alice", first))
	if got := queryValue(t, alice, "SELECT current_user || ' ' || session_user || ' ' || current_setting('is_superuser')"); got != "alice alice off" {
		t.Errorf("alice's session: %q", got)
	}
	if _, err := exec.LookPath("psql"); err == nil {
		if out, ok := psql(t, scramURL(srv, "alice", first), "-At", "-c", "SELECT current_user"); ok && strings.TrimSpace(out) != "alice" {
			t.Errorf("psql as alice: %q", out)
		}
	}
	if got := queryValue(t, alice, "SHOW password_encryption"); got != "scram-sha-256" {
		t.Errorf("password_encryption = %q", got)
	}
	if pe := loginError(t, scramURL(srv, "alice", "wrong-pw")); pe == nil || pe.Code != "28P01" || pe.Message != `password authentication failed for user "alice"` {
		t.Errorf("wrong password: %v", pe)
	}
	if pe := loginError(t, scramURL(srv, "hidden", hidden)); pe == nil || pe.Code != "28000" || pe.Message != `role "hidden" is not permitted to log in` {
		t.Errorf("NOLOGIN role: %v", pe)
	}
	// A NOLOGIN role's name is not told to a client with a wrong password.
	if pe := loginError(t, scramURL(srv, "hidden", "wrong-pw")); pe == nil || pe.Code != "28P01" {
		t.Errorf("NOLOGIN role with a wrong password: %v", pe)
	}

	mustExec(t, admin, "ALTER ROLE alice PASSWORD '"+second+"'")
	if pe := loginError(t, scramURL(srv, "alice", first)); pe == nil || pe.Code != "28P01" {
		t.Errorf("old password after ALTER ROLE: %v", pe)
	}
	testenv.ConnectURL(t, scramURL(srv, "alice", second))
	// A role changes its own password; its session follows ALTER ROLE.
	mustExec(t, alice, "ALTER ROLE CURRENT_USER PASSWORD '"+first+"'")
	mustExec(t, admin, "ALTER ROLE alice SUPERUSER")
	if got := queryValue(t, alice, "SHOW is_superuser"); got != "on" {
		t.Errorf("is_superuser after ALTER ROLE alice SUPERUSER = %q", got)
	}
	mustExec(t, admin, "ALTER ROLE alice NOSUPERUSER")

	verifier := queryValue(t, admin, "SELECT rolpassword FROM pg_authid WHERE rolname = 'alice'")
	if !strings.HasPrefix(verifier, "SCRAM-SHA-256$4096:") {
		t.Errorf("pg_authid.rolpassword = %q, want a SCRAM-SHA-256 verifier", verifier)
	}
	expectError(t, alice, "SELECT rolpassword FROM pg_authid", "42501")
	if got := queryValue(t, alice, "SELECT rolpassword FROM pg_roles WHERE rolname = 'alice'"); got != "********" {
		t.Errorf("pg_roles.rolpassword = %q", got)
	}

	srv.Restart(t)
	testenv.ConnectURL(t, scramURL(srv, "alice", first))
	if pe := loginError(t, scramURL(srv, "hidden", hidden)); pe == nil || pe.Code != "28000" {
		t.Errorf("NOLOGIN role after restart: %v", pe)
	}

	places := map[string]string{"server log": srv.Output()}
	readFilesUnder(t, srv.DataDir, places)
	if !strings.Contains(places[filepath.Join(srv.DataDir, "catalog.json")], `"alice"`) {
		t.Error("catalog.json does not hold alice")
	}
	for where, text := range places {
		for _, pw := range []string{first, second, hidden, "adm1n-pw", "b0b-pw"} {
			if strings.Contains(text, pw) {
				t.Errorf("%s contains a role's password %q", where, pw)
			}
		}
	}
	history := query(t, testenv.ConnectURL(t, scramURL(srv, "admin", "adm1n-pw")), "SELECT query FROM junction.queries")
	if contains(history, first) || contains(history, second) {
		t.Error("junction.queries shows a password")
	}
}

// TestJunctionAdminManagesServersAndRoles: an ordinary role gets 42501 on
// CREATE SERVER and CREATE ROLE until it is granted junction_admin; a
// role with user mappings cannot be dropped; pg_roles and \du show the
// roles and their memberships.
func TestJunctionAdminManagesServersAndRoles(t *testing.T) {
	role, pgPassword := newPostgresRole(t)
	pgDB, _ := testenv.NewPostgresDB(t, "roles")
	srv := rolesServer(t)
	admin := testenv.ConnectURL(t, scramURL(srv, "admin", "adm1n-pw"))
	bob := testenv.ConnectURL(t, scramURL(srv, "bob", "b0b-pw"))
	createServer := fmt.Sprintf(`CREATE SERVER pgsrc FOREIGN DATA WRAPPER postgres OPTIONS (host '127.0.0.1', port '5432', dbname '%s', user '%s', password '%s')`, pgDB, role, pgPassword)

	for sql, msg := range map[string]string{
		createServer:                  "permission denied for foreign-data wrapper postgres",
		"CREATE ROLE carol LOGIN":     "permission denied to create role",
		"GRANT junction_admin TO bob": `must have admin option on role "junction_admin"`,
	} {
		if pe := expectError(t, bob, sql, "42501"); pe != nil && pe.Message != msg {
			t.Errorf("%s: %q, want %q", sql, pe.Message, msg)
		}
	}

	mustExec(t, admin, "GRANT junction_admin TO bob")
	mustExec(t, bob, createServer)
	mustExec(t, bob, "CREATE ROLE analysts")
	mustExec(t, bob, "CREATE ROLE carol LOGIN PASSWORD 'c4rol-pw' IN ROLE analysts")
	expectError(t, bob, "CREATE ROLE root SUPERUSER", "42501")
	// Only a superuser (or its ADMIN OPTION) hands junction_admin on.
	expectError(t, bob, "GRANT junction_admin TO carol", "42501")
	mustExec(t, admin, "GRANT junction_admin TO carol")
	mustExec(t, bob, fmt.Sprintf("CREATE USER MAPPING FOR carol SERVER pgsrc OPTIONS (user '%s', password '%s')", role, pgPassword))
	if pe := expectError(t, admin, "GRANT carol TO analysts", "0LP01"); pe != nil && pe.Message != `role "carol" is a member of role "analysts"` {
		t.Errorf("membership cycle: %q", pe.Message)
	}

	carol := testenv.ConnectURL(t, scramURL(srv, "carol", "c4rol-pw"))
	if got := queryValue(t, carol, "SELECT pg_has_role('junction_admin', 'USAGE')::text || pg_has_role('bob', 'junction_admin', 'MEMBER')::text"); got != "truetrue" {
		t.Errorf("pg_has_role = %q", got)
	}
	mustExec(t, carol, "SET ROLE analysts")
	if got := queryValue(t, carol, "SELECT current_user || ' ' || session_user || ' ' || current_setting('role')"); got != "analysts carol analysts" {
		t.Errorf("after SET ROLE analysts: %q", got)
	}
	expectError(t, carol, "CREATE ROLE x", "42501") // analysts has no junction_admin
	expectError(t, carol, "SET ROLE bob", "42501")
	mustExec(t, carol, "RESET ROLE")
	members := query(t, admin, `SELECT r.rolname, m.rolname FROM pg_auth_members a JOIN pg_roles r ON r.oid = a.roleid JOIN pg_roles m ON m.oid = a.member ORDER BY 1, 2`)
	if got := fmt.Sprint(column(members, 0), column(members, 1)); got != "[analysts junction_admin junction_admin] [carol bob carol]" {
		t.Errorf("pg_auth_members: %s", got)
	}
	if got := column(query(t, carol, "SELECT usename FROM pg_user ORDER BY 1"), 0); fmt.Sprint(got) != "[admin bob carol]" {
		t.Errorf("pg_user: %v", got)
	}

	pe := expectError(t, admin, "DROP ROLE carol", "2BP01")
	if pe != nil && (pe.Message != `role "carol" cannot be dropped because some objects depend on it` || pe.Detail != "user mapping for carol on server pgsrc") {
		t.Errorf("DROP ROLE of a mapped role: %q %q", pe.Message, pe.Detail)
	}
	mustExec(t, bob, "DROP USER MAPPING FOR carol SERVER pgsrc")
	mustExec(t, admin, "REVOKE junction_admin FROM bob")
	expectError(t, bob, "DROP SERVER pgsrc", "42501")
	expectError(t, bob, "DROP ROLE carol", "42501")
	mustExec(t, admin, "DROP ROLE carol")
	if pe := loginError(t, scramURL(srv, "carol", "c4rol-pw")); pe == nil || pe.Code != "28P01" {
		t.Errorf("dropped role logs in: %v", pe)
	}
	expectError(t, admin, "DROP ROLE carol", "42704")
	expectError(t, admin, "DROP ROLE junction_admin", "42939")
	expectError(t, admin, "DROP ROLE bob", "42501")

	if _, err := exec.LookPath("psql"); err != nil {
		testenv.Unavailable(t, "psql is not on PATH")
	}
	out, _ := psql(t, scramURL(srv, "admin", "adm1n-pw"), "-c", `\du`)
	for _, want := range []string{"admin", "Superuser", "analysts", "Cannot login", "junction_admin"} {
		if !strings.Contains(out, want) {
			t.Errorf("\\du does not show %q:\n%s", want, out)
		}
	}
}

// TestTrustedServerRoles: without configured users every client is still
// trusted as a superuser, and may manage roles.
func TestTrustedServerRoles(t *testing.T) {
	srv := testenv.StartServer(t, "serve")
	conn := srv.Connect(t)
	mustExec(t, conn, "CREATE ROLE reporting")
	if got := queryValue(t, conn, "SELECT count(*) FROM pg_roles WHERE rolname IN ('reporting', 'junction_admin', current_user)"); got != "3" {
		t.Errorf("pg_roles rows = %s", got)
	}
	if got := queryValue(t, conn, "SHOW is_superuser"); got != "on" {
		t.Errorf("is_superuser = %q", got)
	}
}
