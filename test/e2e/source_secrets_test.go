package e2e

import (
	"context"
	crand "crypto/rand"
	"encoding/base64"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/junction-db/junction/test/testenv"
)

// newPostgresRole creates a login role with a password on the test
// PostgreSQL server, dropped when the test ends. The server trusts local
// connections, so the password is never checked: it is there to be
// looked for where it must not be.
func newPostgresRole(t *testing.T) (role, password string) {
	t.Helper()
	admin := testenv.RequirePostgres(t)
	suffix := fmt.Sprintf("%08x", rand.Uint32())
	role, password = "jt_role_"+suffix, "PgLeak-"+suffix
	ctx := context.Background()
	if _, err := admin.Exec(ctx, fmt.Sprintf("CREATE ROLE %s LOGIN PASSWORD '%s'", role, password)); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if _, err := admin.Exec(context.Background(), "DROP ROLE IF EXISTS "+role); err != nil {
			t.Errorf("drop PostgreSQL role %s: %v", role, err)
		}
	})
	return role, password
}

// readFilesUnder adds the text of every file under dir to places, by
// path.
func readFilesUnder(t *testing.T, dir string, places map[string]string) {
	t.Helper()
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		places[path] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// runJunctionEnv runs a junction command to its end and returns its output.
func runJunctionEnv(t *testing.T, env []string, args ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, testenv.BuildBinary(t), args...)
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// TestSourcePasswordsLeakNowhere drives every path a source password
// takes (CREATE and ALTER SERVER, CREATE USER MAPPING, failing connections, queries, EXPLAIN,
// errors of the source, a restart) and looks for the passwords in all
// that Junction shows or writes: system tables, /metrics, the audit log,
// the server's log, every file of the data directory and catalog export.
func TestSourcePasswordsLeakNowhere(t *testing.T) {
	testenv.RequirePostgres(t)
	testenv.RequireMariaDB(t)
	role, pgPassword := newPostgresRole(t)
	pgDB, pg := testenv.NewPostgresDB(t, "leak")
	ctx := context.Background()
	if _, err := pg.Exec(ctx, fmt.Sprintf(`CREATE TABLE orders (id int PRIMARY KEY, customer int, total numeric);
		INSERT INTO orders VALUES (1, 1, 10.5), (2, 2, 20), (3, 1, 7);
		CREATE TABLE doomed (id int);
		GRANT SELECT ON orders, doomed TO %s`, role)); err != nil {
		t.Fatal(err)
	}
	myDB, my := testenv.NewMariaDB(t, "leak")
	if _, err := my.ExecContext(ctx, `CREATE TABLE customers (id int PRIMARY KEY, name varchar(20))`); err != nil {
		t.Fatal(err)
	}
	if _, err := my.ExecContext(ctx, `INSERT INTO customers VALUES (1, 'ada'), (2, 'bob')`); err != nil {
		t.Fatal(err)
	}
	myUser, myPassword := newMariaDBUser(t, myDB)
	wrongPassword := "Wrong-" + myPassword // contains myPassword: found by the same search

	configPath := filepath.Join(t.TempDir(), "junction.yaml")
	if err := os.WriteFile(configPath, []byte("log:\n  level: debug\naudit:\n  path: audit.jsonl\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	srv := testenv.StartServer(t, "serve", "--config", configPath)
	conn := srv.Connect(t)

	pgServer := func(name, port, password string) string {
		return fmt.Sprintf(`CREATE SERVER %s FOREIGN DATA WRAPPER postgres OPTIONS (host '127.0.0.1', port '%s', dbname '%s', user '%s', password '%s')`, name, port, pgDB, role, password)
	}
	mustExec(t, conn, pgServer("pgsrc", "5432", pgPassword))
	mustExec(t, conn, mariadbServerDDL("mysrc", myDB, myUser, myPassword))
	mustExec(t, conn, fmt.Sprintf(`ALTER SERVER pgsrc OPTIONS (SET password '%s')`, pgPassword))
	mustExec(t, conn, fmt.Sprintf(`ALTER SERVER mysrc OPTIONS (SET password '%s')`, myPassword))
	mustExec(t, conn, fmt.Sprintf(`CREATE USER MAPPING FOR CURRENT_USER SERVER mysrc OPTIONS (user '%s', password '%s')`, myUser, myPassword))

	// Connections that fail: an unreachable port, a wrong password, each
	// through CREATE and ALTER SERVER.
	for _, stmt := range []string{
		pgServer("dead_pg", "1", pgPassword),
		mariadbServerDDL("my_wrong", myDB, myUser, wrongPassword),
		fmt.Sprintf(`ALTER SERVER mysrc OPTIONS (SET password '%s')`, wrongPassword),
		fmt.Sprintf(`ALTER SERVER pgsrc OPTIONS (SET port '1', SET password '%s')`, pgPassword),
	} {
		pe := expectError(t, conn, stmt, "08001", "28P01", "28000")
		if pe != nil && strings.Contains(pe.Message+pe.Detail+pe.Hint, "Leak-") || pe != nil && strings.Contains(pe.Message+pe.Detail+pe.Hint, myPassword) {
			t.Errorf("the error of %q shows a password: %s", stmt, pe.Message)
		}
	}

	const join = `SELECT c.name, sum(o.total) FROM pgsrc.orders o JOIN mysrc.customers c ON c.id = o.customer GROUP BY c.name ORDER BY c.name`
	if got := column(query(t, conn, join), 0); !slices.Equal(got, []string{"ada", "bob"}) {
		t.Fatalf("join over both sources = %q", got)
	}
	for _, q := range []string{"EXPLAIN " + join, "EXPLAIN ANALYZE " + join, "EXPLAIN (VERBOSE) SELECT * FROM pgsrc.orders WHERE id = 2"} {
		if contains(query(t, conn, q), pgPassword) || contains(query(t, conn, q), myPassword) {
			t.Errorf("%s shows a password", q)
		}
	}
	// An error raised by the source itself.
	if _, err := pg.Exec(ctx, `DROP TABLE doomed`); err != nil {
		t.Fatal(err)
	}
	if pe := expectError(t, conn, `SELECT * FROM pgsrc.doomed`, "42P01"); pe != nil && strings.Contains(pe.Message+pe.Detail+pe.Hint, pgPassword) {
		t.Errorf("the source's error shows the password: %s", pe.Message)
	}

	// Every table of the junction schema and the foreign-server catalog.
	tables := column(query(t, conn, `SELECT table_schema || '.' || table_name FROM information_schema.tables WHERE table_schema = 'junction'`), 0)
	tables = append(tables, "pg_catalog.pg_foreign_server", "pg_catalog.pg_namespace", "pg_catalog.pg_settings")
	if !slices.Contains(tables, "junction.sources") || !slices.Contains(tables, "junction.queries") {
		t.Fatalf("junction schema lists %q", tables)
	}
	for _, table := range tables {
		res := query(t, conn, "SELECT * FROM "+table)
		for _, secret := range []string{pgPassword, myPassword} {
			if contains(res, secret) {
				t.Errorf("%s shows a source's password", table)
			}
		}
	}
	if !contains(query(t, conn, `SELECT * FROM junction.queries`), "ALTER SERVER") {
		t.Error("junction.queries does not list the ALTER SERVER statements it should be checked on")
	}

	resp, err := http.Get("http://" + srv.HTTPAddr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	metrics, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(metrics), "pgsrc") {
		t.Error("/metrics names no source; it is not the page that was meant to be checked")
	}

	// The server restarts from its catalog, which it can read back.
	srv.Restart(t)
	conn = srv.Connect(t)
	if got := column(query(t, conn, join), 0); !slices.Equal(got, []string{"ada", "bob"}) {
		t.Fatalf("join after restart = %q", got)
	}

	export, err := runJunctionEnv(t, nil, "catalog", "export", "--data-dir", srv.DataDir)
	if err != nil {
		t.Fatalf("catalog export: %v\n%s", err, export)
	}
	if !strings.Contains(export, `"password": "enc:v1:`) {
		t.Errorf("catalog export shows no encrypted password:\n%s", export)
	}

	places := map[string]string{"/metrics": string(metrics), "the server's log": srv.Output(), "catalog export": export}
	readFilesUnder(t, srv.DataDir, places)
	if !strings.Contains(places[filepath.Join(srv.DataDir, "audit.jsonl")], "CREATE SERVER") {
		t.Error("the audit log does not record CREATE SERVER")
	}
	for place, text := range places {
		for _, secret := range []string{pgPassword, myPassword} {
			if strings.Contains(text, secret) {
				t.Errorf("%s shows a source's password", place)
			}
		}
	}
	for path, mode := range map[string]os.FileMode{srv.DataDir: 0o700, filepath.Join(srv.DataDir, "catalog.json"): 0o600, filepath.Join(srv.DataDir, "secret.key"): 0o600} {
		if info, err := os.Stat(path); err != nil || info.Mode().Perm() != mode {
			t.Errorf("%s: mode %v (%v), want %v", path, info.Mode().Perm(), err, mode)
		}
	}
}

// TestSourceCatalogNeedsItsKey: a catalog whose passwords were encrypted
// with one key does not start with another, and says which source it
// cannot read; a catalog written with clear passwords is encrypted at
// start.
func TestSourceCatalogNeedsItsKey(t *testing.T) {
	testenv.RequireMariaDB(t)
	myDB, _ := testenv.NewMariaDB(t, "key")
	myUser, myPassword := newMariaDBUser(t, myDB)
	dir := t.TempDir()
	os.Chmod(dir, 0o755) //nolint:errcheck // checked below: the start tightens it
	plain := fmt.Sprintf(`{"sources": {"shop": {"name": "shop", "wrapper": "mysql", "oid": 16384,
		"options": {"host": "127.0.0.1", "port": "3306", "dbname": %q, "user": %q, "password": %q}}}, "next_oid": 16385}`, myDB, myUser, myPassword)
	if err := os.WriteFile(filepath.Join(dir, "catalog.json"), []byte(plain), 0o644); err != nil {
		t.Fatal(err)
	}
	key := make([]byte, 32)
	if _, err := crand.Read(key); err != nil {
		t.Fatal(err)
	}
	keyFile := filepath.Join(t.TempDir(), "junction.key")
	if err := os.WriteFile(keyFile, []byte(base64.StdEncoding.EncodeToString(key)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}

	srv := testenv.StartServer(t, "serve", "--secret-key-file", keyFile)
	srv.Stop(t)
	// StartServer ran in its own data directory; run the old catalog's.
	srv.DataDir = dir
	srv.Restart(t)
	conn := srv.Connect(t)
	if got := queryValue(t, conn, `SELECT count(*) FROM junction.sources WHERE name = 'shop' AND status = 'up'`); got != "1" {
		t.Errorf("the clear-password source is not up after start: %s", got)
	}
	srv.Stop(t)
	stored, _ := os.ReadFile(filepath.Join(dir, "catalog.json"))
	if strings.Contains(string(stored), myPassword) || !strings.Contains(string(stored), "enc:v1:") {
		t.Fatalf("the catalog still holds the clear password after start:\n%s", stored)
	}
	if !strings.Contains(srv.Output(), "encrypted the source passwords") || !strings.Contains(srv.Output(), "restricted permissions") {
		t.Errorf("the log does not say the catalog was encrypted and restricted:\n%s", srv.Output())
	}
	if info, _ := os.Stat(filepath.Join(dir, "catalog.json")); info.Mode().Perm() != 0o600 {
		t.Errorf("catalog file mode %v, want 0600", info.Mode().Perm())
	}

	// Another key (from the environment) and no key at all both fail the
	// start, naming the source.
	other := make([]byte, 32)
	if _, err := crand.Read(other); err != nil {
		t.Fatal(err)
	}
	out, err := runJunctionEnv(t, []string{"JUNCTION_SECRET_KEY=" + base64.StdEncoding.EncodeToString(other)},
		"serve", "--data-dir", dir, "--listen", "127.0.0.1:0", "--http", "")
	if err == nil || !strings.Contains(out, `password of source \"shop\"`) && !strings.Contains(out, `password of source "shop"`) {
		t.Errorf("start with another key: %v\n%s", err, out)
	}
	// The export needs no key for encrypted values, and shows them encrypted.
	export, err := runJunctionEnv(t, nil, "catalog", "export", "--data-dir", dir)
	if err != nil || strings.Contains(export, myPassword) || !strings.Contains(export, "enc:v1:") {
		t.Errorf("catalog export: %v\n%s", err, export)
	}
}

// TestSourcePasswordReferences: password_env and password_file are read
// when the source connects and stored as references only.
func TestSourcePasswordReferences(t *testing.T) {
	testenv.RequireMariaDB(t)
	myDB, my := testenv.NewMariaDB(t, "ref")
	if _, err := my.ExecContext(context.Background(), `CREATE TABLE t (id int)`); err != nil {
		t.Fatal(err)
	}
	myUser, myPassword := newMariaDBUser(t, myDB)
	envVar := fmt.Sprintf("JT_SOURCE_PW_%08X", rand.Uint32())
	t.Setenv(envVar, myPassword)
	pwFile := filepath.Join(t.TempDir(), "shop.pw")
	if err := os.WriteFile(pwFile, []byte(myPassword+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	srv := testenv.StartServer(t)
	conn := srv.Connect(t)
	server := func(name, passwordOption string) string {
		return fmt.Sprintf(`CREATE SERVER %s FOREIGN DATA WRAPPER mysql OPTIONS (host '127.0.0.1', port '3306', dbname '%s', user '%s', %s)`, name, myDB, myUser, passwordOption)
	}
	mustExec(t, conn, server("by_env", fmt.Sprintf("password_env '%s'", envVar)))
	mustExec(t, conn, server("by_file", fmt.Sprintf("password_file '%s'", pwFile)))
	for _, src := range []string{"by_env", "by_file"} {
		if got := queryValue(t, conn, "SELECT count(*) FROM "+src+".t"); got != "0" {
			t.Errorf("%s.t count = %s", src, got)
		}
	}
	pe := expectError(t, conn, server("twice", fmt.Sprintf("password 'x', password_env '%s'", envVar)), "22023")
	if pe != nil && !strings.Contains(pe.Message, "password_env") {
		t.Errorf("conflicting options: %s", pe.Message)
	}
	expectError(t, conn, fmt.Sprintf(`ALTER SERVER by_env OPTIONS (ADD password '%s')`, myPassword), "22023")
	pe = expectError(t, conn, server("unset", "password_env 'JT_NO_SUCH_VARIABLE'"), "22023")
	if pe != nil && !strings.Contains(pe.Message, "JT_NO_SUCH_VARIABLE") {
		t.Errorf("unset variable: %s", pe.Message)
	}
	pe = expectError(t, conn, server("nofile", "password_file '/nonexistent/junction.pw'"), "22023")
	if pe != nil && !strings.Contains(pe.Message, "/nonexistent/junction.pw") {
		t.Errorf("missing file: %s", pe.Message)
	}
	// Switching to a stored password and back to a reference.
	mustExec(t, conn, fmt.Sprintf(`ALTER SERVER by_file OPTIONS (DROP password_file, ADD password '%s')`, myPassword))
	mustExec(t, conn, fmt.Sprintf(`ALTER SERVER by_file OPTIONS (DROP password, ADD password_file '%s')`, pwFile))

	srv.Stop(t)
	stored, err := os.ReadFile(filepath.Join(srv.DataDir, "catalog.json"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(stored), myPassword) || !strings.Contains(string(stored), envVar) || !strings.Contains(string(stored), pwFile) {
		t.Errorf("the catalog does not keep the references alone:\n%s", stored)
	}
	if strings.Contains(srv.Output(), myPassword) {
		t.Error("the server's log shows the password")
	}
}

// TestSourcePasswordsSharedCatalogEncrypted: replicas given one key
// (JUNCTION_SECRET_KEY) share a catalog database in which a source's
// password is stored encrypted, and each connects with it.
func TestSourcePasswordsSharedCatalogEncrypted(t *testing.T) {
	role, password := newPostgresRole(t)
	srcDB, src := testenv.NewPostgresDB(t, "jsec_src")
	if _, err := src.Exec(context.Background(), `CREATE TABLE t AS SELECT 1 AS id; GRANT SELECT ON t TO `+role); err != nil {
		t.Fatal(err)
	}
	catalogDB, catalogConn := testenv.NewPostgresDB(t, "jsec_cat")
	key := make([]byte, 32)
	if _, err := crand.Read(key); err != nil {
		t.Fatal(err)
	}
	t.Setenv("JUNCTION_SECRET_KEY", base64.StdEncoding.EncodeToString(key))
	servers, conns := startReplicas(t, 2, testenv.PostgresURL(catalogDB))
	mustExec(t, conns[0], fmt.Sprintf(`CREATE SERVER crm FOREIGN DATA WRAPPER postgres OPTIONS (host '127.0.0.1', port '5432', dbname '%s', user '%s', password '%s')`, srcDB, role, password))
	waitQueryable(t, conns[1], `SELECT count(*) FROM crm.t`, "1", time.Now(), 20*time.Second)

	var document string
	if err := catalogConn.QueryRow(context.Background(), `SELECT document::text FROM junction_catalog.catalog`).Scan(&document); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(document, password) || !strings.Contains(document, "enc:v1:") {
		t.Errorf("the catalog database holds the password unencrypted:\n%s", document)
	}
	export, err := runJunctionEnv(t, nil, "catalog", "export", "--catalog", testenv.PostgresURL(catalogDB))
	if err != nil || strings.Contains(export, password) || !strings.Contains(export, "enc:v1:") {
		t.Errorf("catalog export: %v\n%s", err, export)
	}
	for i, srv := range servers {
		if strings.Contains(srv.Output(), password) {
			t.Errorf("replica %d's log shows the password", i)
		}
	}
}
