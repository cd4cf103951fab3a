package e2e

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/junction-db/junction/test/testenv"
)

// TestSuperuserPrivileges logs in as a superuser and as an ordinary user
// of the configuration file: only the superuser changes servers and user
// mappings, SQLite files are confined to sqlite_dirs, and a server's
// stored password is not sent to a new port unless given again.
func TestSuperuserPrivileges(t *testing.T) {
	role, pgPassword := newPostgresRole(t)
	pgDB, _ := testenv.NewPostgresDB(t, "priv")
	allowed, outside := t.TempDir(), t.TempDir()
	config := fmt.Sprintf(`users:
  - name: admin
    password: adm1n-pw
    superuser: true
  - name: bob
    password: b0b-pw
sqlite_dirs: [%q]
`, allowed)
	path := filepath.Join(t.TempDir(), "junction.yaml")
	if err := os.WriteFile(path, []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	srv := testenv.StartServer(t, "serve", "--config", path)
	admin := testenv.ConnectURL(t, userURL(srv, "admin", "adm1n-pw", "sslmode=disable"))
	bob := testenv.ConnectURL(t, userURL(srv, "bob", "b0b-pw", "sslmode=disable"))

	for who, want := range map[string]string{"admin": "on", "bob": "off"} {
		conn := admin
		if who == "bob" {
			conn = bob
		}
		if got := queryValue(t, conn, "SHOW is_superuser"); got != want {
			t.Errorf("SHOW is_superuser as %s = %q, want %q", who, got, want)
		}
		if got := queryValue(t, conn, "SELECT current_setting('is_superuser')"); got != want {
			t.Errorf("current_setting('is_superuser') as %s = %q, want %q", who, got, want)
		}
		if got := queryValue(t, conn, "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"); got != map[string]string{"on": "t", "off": "f"}[want] {
			t.Errorf("pg_roles.rolsuper as %s = %q", who, got)
		}
	}
	expectError(t, bob, "SET is_superuser = on", "55P02")

	// A SQLite database inside the allowed directory, one outside, and a
	// link inside pointing outside.
	demo, err := filepath.Glob(filepath.Join(srv.DataDir, "demo", "*.db"))
	if err != nil || len(demo) == 0 {
		t.Fatalf("demo databases: %v %v", demo, err)
	}
	data, err := os.ReadFile(demo[0])
	if err != nil {
		t.Fatal(err)
	}
	inside, outsideFile := filepath.Join(allowed, "lite.db"), filepath.Join(outside, "lite.db")
	for _, f := range []string{inside, outsideFile} {
		if err := os.WriteFile(f, data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	link := filepath.Join(allowed, "link.db")
	if err := os.Symlink(outsideFile, link); err != nil {
		t.Fatal(err)
	}
	sqliteServer := func(name, file string) string {
		return fmt.Sprintf("CREATE SERVER %s FOREIGN DATA WRAPPER sqlite OPTIONS (path '%s')", name, file)
	}

	if pe := expectError(t, bob, sqliteServer("bob_lite", outsideFile), "42501"); pe != nil && pe.Message != "permission denied for foreign-data wrapper sqlite" {
		t.Errorf("CREATE SERVER as bob: %q", pe.Message)
	}
	expectError(t, bob, sqliteServer("bob_lite", inside), "42501")
	for _, file := range []string{outsideFile, link, filepath.Join(allowed, "..", filepath.Base(outside), "lite.db")} {
		pe := expectError(t, admin, sqliteServer("bad_lite", file), "42501")
		if pe != nil && (!strings.Contains(pe.Message, file) || !strings.Contains(pe.Message, "sqlite_dirs")) {
			t.Errorf("CREATE SERVER on %s: %q, want the path and sqlite_dirs named", file, pe.Message)
		}
	}
	mustExec(t, admin, sqliteServer("lite", inside))
	expectError(t, admin, fmt.Sprintf("ALTER SERVER lite OPTIONS (SET path '%s')", outsideFile), "42501")

	for stmt, msg := range map[string]string{
		"DROP SERVER lite": "must be owner of foreign server lite",
		"ALTER SERVER lite OPTIONS (SET path 'x.db')":                           "must be owner of foreign server lite",
		"IMPORT FOREIGN SCHEMA main FROM SERVER lite INTO lite":                 "permission denied for foreign server lite",
		"CREATE USER MAPPING FOR CURRENT_USER SERVER lite OPTIONS (user 'bob')": "must be owner of foreign server lite",
		"CREATE VIEW v AS SELECT 1":                                             "permission denied for schema public",
	} {
		if pe := expectError(t, bob, stmt, "42501"); pe != nil && pe.Message != msg {
			t.Errorf("%s as bob: %q, want %q", stmt, pe.Message, msg)
		}
	}
	if got := queryValue(t, bob, "SELECT count(*) FROM pg_foreign_server WHERE srvname = 'lite'"); got != "1" {
		t.Errorf("bob's refused statements changed the catalog: %s servers named lite", got)
	}

	// The stored password is not sent to a new port.
	mustExec(t, admin, fmt.Sprintf(`CREATE SERVER pgsrc FOREIGN DATA WRAPPER postgres OPTIONS (host '127.0.0.1', port '5432', dbname '%s', user '%s', password '%s')`, pgDB, role, pgPassword))
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer listener.Close()
	port := listener.Addr().(*net.TCPAddr).Port
	for _, stmt := range []string{
		fmt.Sprintf("ALTER SERVER pgsrc OPTIONS (SET port '%d')", port),
		fmt.Sprintf("ALTER SERVER pgsrc OPTIONS (SET host 'localhost', SET port '%d')", port),
	} {
		if pe := expectError(t, admin, stmt, "42501"); pe != nil && !strings.Contains(pe.Message, "password given again") {
			t.Errorf("%s: %q", stmt, pe.Message)
		}
	}
	// A user mapping says only as whom to connect, never where.
	expectError(t, admin, fmt.Sprintf("CREATE USER MAPPING FOR CURRENT_USER SERVER pgsrc OPTIONS (port '%d')", port), "HV00D")
	// A connection made by the refused statements would be waiting to be
	// accepted by now: they returned only after any attempt.
	tcp := listener.(*net.TCPListener)
	if err := tcp.SetDeadline(time.Now().Add(200 * time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	if c, err := tcp.Accept(); err == nil {
		c.Close()
		t.Fatal("a refused ALTER SERVER connected to the new port")
	}

	// Given the password again, the change connects to the new port.
	if err := tcp.SetDeadline(time.Now().Add(30 * time.Second)); err != nil {
		t.Fatal(err)
	}
	accepted := make(chan error, 1)
	go func() {
		c, err := tcp.Accept()
		if err == nil {
			c.Close()
		}
		accepted <- err
	}()
	ctx, cancel := context.WithTimeout(context.Background(), queryTimeout)
	defer cancel()
	if _, err := admin.Exec(ctx, fmt.Sprintf("ALTER SERVER pgsrc OPTIONS (SET port '%d', SET password '%s')", port, pgPassword)); err == nil {
		t.Error("ALTER SERVER to a port that is no PostgreSQL server succeeded")
	}
	if err := <-accepted; err != nil {
		t.Errorf("ALTER SERVER with the password did not connect to the new port: %v", err)
	}

	mustExec(t, admin, "DROP SERVER pgsrc")
	mustExec(t, admin, "DROP SERVER lite")
}
