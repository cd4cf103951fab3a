package e2e

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/junction-db/junction/test/testenv"
)

// newMariaDBUser creates a MariaDB user with a password that may read
// dbname, dropped when the test ends.
func newMariaDBUser(t *testing.T, dbname string) (user, password string) {
	t.Helper()
	admin := testenv.RequireMariaDB(t)
	suffix := fmt.Sprintf("%08x", rand.Uint32())
	user, password = "jt_"+suffix, "Secret-"+suffix
	ctx := context.Background()
	for _, stmt := range []string{
		fmt.Sprintf("CREATE USER '%s'@'%%' IDENTIFIED BY '%s'", user, password),
		fmt.Sprintf("GRANT SELECT, SHOW VIEW ON %s.* TO '%s'@'%%'", dbname, user),
	} {
		if _, err := admin.ExecContext(ctx, stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	t.Cleanup(func() {
		if _, err := admin.ExecContext(context.Background(), fmt.Sprintf("DROP USER IF EXISTS '%s'@'%%'", user)); err != nil {
			t.Errorf("drop MariaDB user %s: %v", user, err)
		}
	})
	return user, password
}

// sourceNames lists junction.sources.
func sourceNames(t *testing.T, conn *pgx.Conn) []string {
	t.Helper()
	return column(query(t, conn, `SELECT name FROM junction.sources ORDER BY name`), 0)
}

// schemaNames lists pg_namespace.
func schemaNames(t *testing.T, conn *pgx.Conn) []string {
	t.Helper()
	return column(query(t, conn, `SELECT nspname FROM pg_catalog.pg_namespace ORDER BY nspname`), 0)
}

// requireNoSecret fails if any of Junction's system tables, or the
// server's log, shows secret.
func requireNoSecret(t *testing.T, srv *testenv.Server, conn *pgx.Conn, secret string) {
	t.Helper()
	for _, table := range []string{"junction.sources", "pg_catalog.pg_foreign_server", "junction.queries"} {
		if contains(query(t, conn, "SELECT * FROM "+table), secret) {
			t.Errorf("%s shows a source's password", table)
		}
	}
	if strings.Contains(srv.Output(), secret) {
		t.Errorf("the server's log shows a source's password")
	}
}

func TestCreateServerRejectsBadSources(t *testing.T) {
	testenv.RequirePostgres(t)
	testenv.RequireMariaDB(t)
	shopDB, _ := testenv.NewMariaDB(t, "badsrc")
	user, password := newMariaDBUser(t, shopDB)
	srv := testenv.StartServer(t)
	conn := srv.Connect(t)
	before := sourceNames(t, conn)
	wrongPassword := "Wrong-" + password

	cases := []struct {
		name  string
		sql   string
		codes []string
		// fast cases must fail within connectDeadline.
		fast bool
	}{
		{"MariaDB wrong password", mariadbServerDDL("bad_password", shopDB, user, wrongPassword), []string{"28P01", "28000", "08001"}, false},
		{"PostgreSQL unknown role", fmt.Sprintf(`CREATE SERVER bad_role FOREIGN DATA WRAPPER postgres OPTIONS (host '127.0.0.1', port '5432', dbname 'postgres', user 'no_such_role_%s', password '%s')`, strings.ToLower(user), wrongPassword), []string{"28P01", "28000", "08001"}, false},
		{"PostgreSQL unreachable port", `CREATE SERVER dead_pg FOREIGN DATA WRAPPER postgres OPTIONS (host '127.0.0.1', port '1', dbname 'postgres', user 'root')`, []string{"08001"}, true},
		{"MariaDB unreachable port", `CREATE SERVER dead_my FOREIGN DATA WRAPPER mysql OPTIONS (host '127.0.0.1', port '1', dbname 'x', user 'root', password '')`, []string{"08001"}, true},
		{"unknown wrapper", `CREATE SERVER ora FOREIGN DATA WRAPPER oracle_fdw OPTIONS (host '127.0.0.1')`, []string{"42704"}, true},
	}
	const connectDeadline = 10 * time.Second
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			start := time.Now()
			pe := expectError(t, conn, c.sql, c.codes...)
			if elapsed := time.Since(start); c.fast && elapsed > connectDeadline {
				t.Errorf("failing took %s, want under %s", elapsed.Round(time.Millisecond), connectDeadline)
			}
			if pe != nil && strings.Contains(pe.Message+pe.Detail+pe.Hint, wrongPassword) {
				t.Errorf("the error shows the password: %s", pe.Message)
			}
			// The session stays usable and the catalog unchanged.
			if got := sourceNames(t, conn); !slices.Equal(got, before) {
				t.Errorf("after the failed CREATE SERVER junction.sources lists %q, want %q", got, before)
			}
		})
	}

	// The right password works, and is shown nowhere.
	mustExec(t, conn, mariadbServerDDL("good_password", shopDB, user, password))
	if !slices.Contains(sourceNames(t, conn), "good_password") {
		t.Error("junction.sources does not list the source just created")
	}
	requireNoSecret(t, srv, conn, password)
	requireNoSecret(t, srv, conn, wrongPassword)
}

func TestSourceLifecycle(t *testing.T) {
	salesDB, sales := testenv.NewPostgresDB(t, "sales")
	for _, stmt := range []string{
		`CREATE TABLE items (id int PRIMARY KEY, label text NOT NULL, price numeric(8,2))`,
		`INSERT INTO items VALUES (1, 'pen', 1.50), (2, 'ink', NULL), (3, 'Paper', 4.25)`,
		`CREATE SCHEMA archive`,
		`CREATE TABLE archive.old_items (id int, label text)`,
		`INSERT INTO archive.old_items VALUES (10, 'quill')`,
	} {
		if _, err := sales.Exec(context.Background(), stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	srv := testenv.StartServer(t)
	conn := srv.Connect(t)

	mustExec(t, conn, testenv.PostgresServerDDL("sales", salesDB))
	// Queryable at once, by two- and three-part names.
	if got := column(query(t, conn, `SELECT label FROM sales.items ORDER BY id`), 0); !slices.Equal(got, []string{"pen", "ink", "Paper"}) {
		t.Errorf("sales.items labels = %q", got)
	}
	if got := queryValue(t, conn, `SELECT label FROM sales.archive.old_items`); got != "quill" {
		t.Errorf("sales.archive.old_items label = %q, want quill", got)
	}
	if !slices.Contains(schemaNames(t, conn), "sales") {
		t.Error("pg_namespace does not list the new source")
	}

	expectError(t, conn, testenv.PostgresServerDDL("sales", salesDB), "42710")
	expectError(t, conn, testenv.PostgresServerDDL("SALES", salesDB), "42710")

	// A table created after registration appears after IMPORT FOREIGN SCHEMA.
	if _, err := sales.Exec(context.Background(), `CREATE TABLE late (n int); INSERT INTO late VALUES (42)`); err != nil {
		t.Fatal(err)
	}
	mustExec(t, conn, `IMPORT FOREIGN SCHEMA public FROM SERVER sales INTO sales`)
	if got := queryValue(t, conn, `SELECT n FROM sales.late`); got != "42" {
		t.Errorf("sales.late after IMPORT FOREIGN SCHEMA = %q, want 42", got)
	}

	mustExec(t, conn, `DROP SERVER sales`)
	if slices.Contains(schemaNames(t, conn), "sales") {
		t.Error("pg_namespace still lists a dropped source")
	}
	if slices.Contains(sourceNames(t, conn), "sales") {
		t.Error("junction.sources still lists a dropped source")
	}
	expectError(t, conn, `SELECT * FROM sales.items`, "42P01")
	expectError(t, conn, `DROP SERVER sales`, "42704")
	mustExec(t, conn, `DROP SERVER IF EXISTS sales`)
}

func TestCatalogSurvivesRestart(t *testing.T) {
	crmDB, crm := testenv.NewPostgresDB(t, "crm")
	shopDB, shop := testenv.NewMariaDB(t, "shop")
	user, password := newMariaDBUser(t, shopDB)
	ctx := context.Background()
	if _, err := crm.Exec(ctx, `CREATE TABLE accounts (id int PRIMARY KEY, owner text); INSERT INTO accounts VALUES (1, 'ann'), (2, 'bo'), (3, 'cy')`); err != nil {
		t.Fatal(err)
	}
	if _, err := shop.ExecContext(ctx, `CREATE TABLE invoices (id int PRIMARY KEY, account_id int, total decimal(8,2)); INSERT INTO invoices VALUES (1, 1, 10.00), (2, 1, 5.50), (3, 3, 7.25), (4, 9, 1.00)`); err != nil {
		t.Fatal(err)
	}
	srv := testenv.StartServer(t)
	conn := srv.Connect(t)
	mustExec(t, conn, testenv.PostgresServerDDL("ledger", crmDB))
	mustExec(t, conn, mariadbServerDDL("billing", shopDB, user, password))
	// The view is checked on its own, so that the sources' persistence is
	// checked even when views fail.
	viewCreated := tryExec(t, conn, `CREATE VIEW account_totals AS SELECT a.owner, sum(i.total) AS total FROM ledger.accounts a JOIN billing.invoices i ON i.account_id = a.id GROUP BY a.owner`)
	const viewQuery = `SELECT owner, total FROM account_totals ORDER BY owner`
	want := [][]string{{"ann", "15.50"}, {"cy", "7.25"}}
	checkView := func(when string) {
		if !viewCreated {
			return
		}
		res := query(t, conn, viewQuery)
		var got [][]string
		for _, r := range res.Rows {
			got = append(got, []string{r[0].Text, r[1].Text})
		}
		if !slices.EqualFunc(got, want, slices.Equal) {
			t.Errorf("%s: %s = %q, want %q", when, viewQuery, got, want)
		}
	}
	checkView("before restart")

	srv.Restart(t)
	conn = srv.Connect(t)
	names := sourceNames(t, conn)
	for _, s := range []string{"ledger", "billing"} {
		if !slices.Contains(names, s) {
			t.Errorf("after restart junction.sources lists %q, want it to include %q", names, s)
		}
	}
	if got := queryValue(t, conn, `SELECT count(*) FROM billing.invoices`); got != "4" {
		t.Errorf("after restart billing.invoices has %s rows, want 4", got)
	}
	if got := queryValue(t, conn, `SELECT owner FROM ledger.accounts WHERE id = 2`); got != "bo" {
		t.Errorf("after restart ledger.accounts row 2 has owner %q, want bo", got)
	}
	checkView("after restart")
	requireNoSecret(t, srv, conn, password)

	if viewCreated {
		mustExec(t, conn, `DROP VIEW account_totals`)
		expectError(t, conn, viewQuery, "42P01")
	}
}

func TestConfigFileSource(t *testing.T) {
	crmDB, crm := testenv.NewPostgresDB(t, "cfg")
	if _, err := crm.Exec(context.Background(), `CREATE TABLE leads (id int, source text); INSERT INTO leads VALUES (1, 'web'), (2, 'fair')`); err != nil {
		t.Fatal(err)
	}
	// PostgreSQL trusts local connections, so the password is never
	// checked; it is there to prove Junction shows it nowhere.
	const password = "cfg-Secret-9d41"
	config := fmt.Sprintf(`sources:
  - name: crm
    wrapper: postgres
    options:
      host: 127.0.0.1
      port: '5432'
      dbname: %s
      user: root
      password: %s
`, crmDB, password)
	path := filepath.Join(t.TempDir(), "junction.yaml")
	if err := os.WriteFile(path, []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	srv := testenv.StartServer(t, "serve", "--config", path)
	conn := srv.Connect(t)
	if got := column(query(t, conn, `SELECT source FROM crm.leads ORDER BY id`), 0); !slices.Equal(got, []string{"web", "fair"}) {
		t.Errorf("crm.leads sources = %q, want [web fair]", got)
	}
	if names := sourceNames(t, conn); !slices.Equal(names, []string{"crm"}) {
		t.Errorf("junction.sources lists %q, want only the configured source crm", names)
	}
	requireNoSecret(t, srv, conn, password)
}

// Views follow PostgreSQL's rules: an unqualified CREATE VIEW lands in the
// first schema of search_path, and a view that another view reads cannot
// be dropped without CASCADE.
func TestViewSchemasAndDependencies(t *testing.T) {
	srv := testenv.StartServer(t, "demo")
	conn := srv.Connect(t)
	mustExec(t, conn, `SET search_path = demo_crm, public`)
	mustExec(t, conn, `CREATE VIEW nl AS SELECT id, name FROM customers WHERE country = 'Netherlands'`)
	mustExec(t, conn, `CREATE VIEW nl_names AS SELECT name FROM nl`)
	if got := queryValue(t, conn, `SELECT count(*) FROM demo_crm.nl`); got != queryValue(t, conn, `SELECT count(*) FROM demo_crm.customers WHERE country = 'Netherlands'`) {
		t.Fatalf("demo_crm.nl has %s rows", got)
	}
	expectError(t, conn, `DROP VIEW nl`, "2BP01")
	if got := queryValue(t, conn, `SELECT count(*) FROM nl_names`); got == "" {
		t.Fatal("nl_names is gone after a refused DROP VIEW")
	}
	mustExec(t, conn, `DROP VIEW nl CASCADE`)
	expectError(t, conn, `SELECT * FROM nl_names`, "42P01")
}
