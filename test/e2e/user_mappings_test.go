package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/junction-db/junction/test/testenv"
)

// TestUserMappingsReadAsEachUser gives two users of the configuration
// different identities on one PostgreSQL source: the server's (a role
// allowed to read the table) and a user mapping's (a role that is not).
// Each user's query reads the source as its own role, which the source's
// permission error and pg_stat_activity show; dropping the mapping falls
// back to the server's identity.
func TestUserMappingsReadAsEachUser(t *testing.T) {
	pgAdmin := testenv.RequirePostgres(t)
	reader, readerPassword := newPostgresRole(t)
	denied, deniedPassword := newPostgresRole(t)
	pgDB, pg := testenv.NewPostgresDB(t, "umap")
	ctx := context.Background()
	if _, err := pg.Exec(ctx, fmt.Sprintf(`CREATE TABLE payroll (id int PRIMARY KEY, salary int);
		INSERT INTO payroll VALUES (1, 100), (2, 200);
		GRANT SELECT ON payroll TO %s`, reader)); err != nil {
		t.Fatal(err)
	}
	config := `users:
  - name: admin
    password: adm1n-pw
    superuser: true
  - name: bob
    password: b0b-pw
`
	srv := serveConfig(t, config)
	admin := testenv.ConnectURL(t, userURL(srv, "admin", "adm1n-pw", "sslmode=disable"))
	bob := testenv.ConnectURL(t, userURL(srv, "bob", "b0b-pw", "sslmode=disable"))

	mustExec(t, admin, fmt.Sprintf(`CREATE SERVER hr FOREIGN DATA WRAPPER postgres OPTIONS (host '127.0.0.1', port '5432', dbname '%s', user '%s', password '%s')`, pgDB, reader, readerPassword))
	// Junction lets bob read the table; the source decides as whom.
	mustExec(t, admin, "GRANT USAGE ON SCHEMA hr TO bob")
	mustExec(t, admin, "GRANT SELECT ON hr.payroll TO bob")
	expectError(t, bob, fmt.Sprintf("CREATE USER MAPPING FOR bob SERVER hr OPTIONS (user '%s', password '%s')", denied, deniedPassword), "42501")
	mapBob := fmt.Sprintf("CREATE USER MAPPING FOR bob SERVER hr OPTIONS (user '%s', password '%s')", denied, deniedPassword)
	mustExec(t, admin, mapBob)

	// PostgreSQL's errors for mappings that exist, do not, or name no user.
	expectError(t, admin, mapBob, "42710")
	mustExec(t, admin, strings.Replace(mapBob, "MAPPING FOR", "MAPPING IF NOT EXISTS FOR", 1))
	expectError(t, admin, "DROP USER MAPPING FOR admin SERVER hr", "42704")
	mustExec(t, admin, "DROP USER MAPPING IF EXISTS FOR admin SERVER hr")
	expectError(t, admin, "ALTER USER MAPPING FOR PUBLIC SERVER hr OPTIONS (SET user 'x')", "42704")
	expectError(t, admin, "CREATE USER MAPPING FOR nobody SERVER hr OPTIONS (user 'x')", "42704")
	expectError(t, admin, "CREATE USER MAPPING FOR PUBLIC SERVER nowhere OPTIONS (user 'x')", "42704")
	expectError(t, admin, "CREATE USER MAPPING FOR PUBLIC SERVER hr OPTIONS (host 'elsewhere')", "HV00D")

	if got := queryValue(t, admin, "SELECT sum(salary) FROM hr.payroll"); got != "300" {
		t.Errorf("admin reads payroll as the server's role: %q, want 300", got)
	}
	pe := expectError(t, bob, "SELECT sum(salary) FROM hr.payroll", "42501")
	if pe != nil && !strings.Contains(pe.Message, "permission denied") {
		t.Errorf("bob's query failed with %q, want the source's permission error", pe.Message)
	}

	// The source sees both roles connected to the database.
	roles := func() []string {
		rows, err := pgAdmin.Query(ctx, "SELECT DISTINCT usename::text FROM pg_stat_activity WHERE datname = $1 ORDER BY 1", pgDB)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var r string
			if err := rows.Scan(&r); err != nil {
				t.Fatal(err)
			}
			out = append(out, r)
		}
		return out
	}
	if got := roles(); !slices.Contains(got, reader) || !slices.Contains(got, denied) {
		t.Errorf("pg_stat_activity roles = %v, want %s and %s", got, reader, denied)
	}

	// pg_user_mappings shows the mapping, never its password.
	res := query(t, admin, "SELECT srvname, usename, array_to_string(umoptions, ',') FROM pg_user_mappings")
	if len(res.Rows) != 1 || res.Rows[0][0].Text != "hr" || res.Rows[0][1].Text != "bob" || res.Rows[0][2].Text != "user="+denied {
		t.Errorf("pg_user_mappings = %v, want hr, bob, user=%s", res.Rows, denied)
	}
	catalogFile, err := os.ReadFile(filepath.Join(srv.DataDir, "catalog.json"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(catalogFile), deniedPassword) {
		t.Error("the catalog stores the user mapping's password in clear")
	}

	// The mapping's password is not sent to a new port of the server, even
	// with the server's own password given again.
	expectError(t, admin, fmt.Sprintf("ALTER SERVER hr OPTIONS (SET port '5433', SET password '%s')", readerPassword), "42501")

	// Without the mapping bob reads as the server's role, and the pool of
	// the mapping's role is closed.
	mustExec(t, admin, "DROP USER MAPPING FOR bob SERVER hr")
	if got := queryValue(t, bob, "SELECT sum(salary) FROM hr.payroll"); got != "300" {
		t.Errorf("bob without a mapping reads %q, want 300", got)
	}
	deadline := time.Now().Add(10 * time.Second)
	for slices.Contains(roles(), denied) {
		if time.Now().After(deadline) {
			t.Fatalf("the dropped mapping's role is still connected: %v", roles())
		}
		time.Sleep(100 * time.Millisecond)
	}

	// PUBLIC's mapping serves every user without one of their own.
	mustExec(t, admin, fmt.Sprintf("CREATE USER MAPPING FOR PUBLIC SERVER hr OPTIONS (user '%s', password '%s')", denied, deniedPassword))
	expectError(t, admin, "SELECT sum(salary) FROM hr.payroll", "42501")
	mustExec(t, admin, fmt.Sprintf("CREATE USER MAPPING FOR CURRENT_USER SERVER hr OPTIONS (user '%s', password '%s')", reader, readerPassword))
	if got := queryValue(t, admin, "SELECT sum(salary) FROM hr.payroll"); got != "300" {
		t.Errorf("admin's own mapping reads %q, want 300", got)
	}
	expectError(t, bob, "SELECT sum(salary) FROM hr.payroll", "42501")

	// The mappings depend on the server, as in PostgreSQL.
	expectError(t, admin, "DROP SERVER hr", "2BP01")
	mustExec(t, admin, "DROP SERVER hr CASCADE")
	if got := queryValue(t, admin, "SELECT count(*) FROM pg_user_mappings"); got != "0" {
		t.Errorf("user mappings after DROP SERVER CASCADE: %s", got)
	}
}
