package e2e

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/junction-db/junction/test/testenv"
)

// salesByRegion joins a PostgreSQL table with a MariaDB one; the
// materialized view sales stores its answer.
const salesByRegion = `SELECT c.region, count(*) AS orders, sum(o.amount) AS total
	FROM crm.customers c JOIN shop.orders o ON o.customer_id = c.id GROUP BY c.region`

// TestMaterializedViews creates a materialized view over a join of a
// PostgreSQL and a MariaDB source and checks what a user sees: its rows
// come from the local copy (EXPLAIN shows it) and stay while the sources
// change, until REFRESH; readers keep the old copy while a slow refresh
// runs; a failing refresh keeps the old copy and reports its error; the
// view survives a restart; WITH NO DATA leaves it unscannable; only a
// superuser changes it; psql lists it.
func TestMaterializedViews(t *testing.T) {
	testenv.RequirePostgres(t)
	testenv.RequireMariaDB(t)
	crmDB, crm := testenv.NewPostgresDB(t, "mvcrm")
	shopDB, shop := testenv.NewMariaDB(t, "mvshop")
	ctx := context.Background()
	pgExec, myExec := testenv.PostgresExec(crm), testenv.MariaDBExec(shop)
	createTable(t, pgExec, `CREATE TABLE customers (id int PRIMARY KEY, name text NOT NULL, region text NOT NULL)`, "customers",
		[]string{"id", "name", "region"}, [][]any{{1, "Ada", "north"}, {2, "Bo", "south"}, {3, "Cy", "north"}, {4, "Di", "east"}})
	createTable(t, myExec, `CREATE TABLE orders (id int PRIMARY KEY, customer_id int NOT NULL, amount decimal(10,2) NOT NULL)`, "orders",
		[]string{"id", "customer_id", "amount"}, [][]any{{1, 1, "10.50"}, {2, 2, "20.00"}, {3, 3, "5.25"}, {4, 1, "1.00"}, {5, 4, "7.00"}})
	// A view whose every read takes two seconds, for a slow refresh.
	if err := pgExec(ctx, `CREATE VIEW slow_customers AS SELECT id, name, region FROM customers, pg_sleep(2)`); err != nil {
		t.Fatal(err)
	}

	config := filepath.Join(t.TempDir(), "junction.yaml")
	if err := os.WriteFile(config, []byte("users:\n  - name: admin\n    password: adm1n-pw\n    superuser: true\n  - name: bob\n    password: b0b-pw\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	srv := testenv.StartServer(t, "serve", "--config", config)
	adminURL := userURL(srv, "admin", "adm1n-pw", "sslmode=disable")
	admin := testenv.ConnectURL(t, adminURL)
	mustExec(t, admin, testenv.PostgresServerDDL("crm", crmDB))
	mustExec(t, admin, mariadbServerDDL("shop", shopDB, "root", ""))

	tag, err := admin.Exec(ctx, "CREATE MATERIALIZED VIEW sales AS "+salesByRegion)
	if err != nil {
		t.Fatal(err)
	}
	if tag.String() != "SELECT 3" {
		t.Errorf("CREATE MATERIALIZED VIEW tag %q, want SELECT 3", tag)
	}
	const fromView = "SELECT region, orders, total FROM sales ORDER BY region"
	live := "SELECT * FROM (" + salesByRegion + ") s ORDER BY region"
	want := "east 1 7.00|north 3 16.75|south 1 20.00"
	if got := matviewRows(t, admin, fromView); got != want {
		t.Fatalf("sales = %s, want %s", got, want)
	}

	plan := matviewRows(t, admin, "EXPLAIN SELECT region FROM sales WHERE orders > 1")
	if !strings.Contains(plan, "Remote Query on local copies") || !strings.Contains(plan, "WHERE") ||
		strings.Contains(plan, "crm") || strings.Contains(plan, "shop") {
		t.Errorf("EXPLAIN of the view does not read only its local copy with the filter pushed:\n%s", plan)
	}

	// The sources change: the view keeps its copy until REFRESH.
	if err := myExec(ctx, "INSERT INTO orders VALUES (6, 2, 100.00)"); err != nil {
		t.Fatal(err)
	}
	if got := matviewRows(t, admin, fromView); got != want {
		t.Errorf("sales changed with its source before REFRESH: %s", got)
	}
	mustExec(t, admin, "REFRESH MATERIALIZED VIEW sales")
	want = "east 1 7.00|north 3 16.75|south 2 120.00"
	if got, now := matviewRows(t, admin, fromView), matviewRows(t, admin, live); got != want || now != want {
		t.Errorf("after REFRESH sales = %s, the live join = %s, want %s", got, now, want)
	}

	// A slow refresh: readers keep getting the old copy meanwhile.
	mustExec(t, admin, "CREATE MATERIALIZED VIEW regions AS SELECT region, count(*) AS n FROM crm.slow_customers GROUP BY region")
	if err := pgExec(ctx, "INSERT INTO customers VALUES (5, 'Ed', 'west')"); err != nil {
		t.Fatal(err)
	}
	refreshed := make(chan error, 1)
	go func() {
		conn, err := pgx.Connect(ctx, adminURL)
		if err == nil {
			_, err = conn.Exec(ctx, "REFRESH MATERIALIZED VIEW CONCURRENTLY regions")
			conn.Close(ctx)
		}
		refreshed <- err
	}()
	waitForRows(t, admin, "SELECT refreshing FROM junction.materialized_views WHERE name = 'regions'", "t")
	start := time.Now()
	if got := matviewRows(t, admin, "SELECT region, n FROM regions ORDER BY region"); got != "east 1|north 2|south 1" {
		t.Errorf("regions during its refresh = %s, want the old copy", got)
	}
	if waited := time.Since(start); waited > time.Second {
		t.Errorf("reading regions during its refresh waited %v for the refresh", waited)
	}
	if err := <-refreshed; err != nil {
		t.Fatal(err)
	}
	if got := matviewRows(t, admin, "SELECT region, n FROM regions ORDER BY region"); got != "east 1|north 2|south 1|west 1" {
		t.Errorf("regions after its refresh = %s", got)
	}

	// A failing refresh keeps the last good copy and shows why it failed.
	if err := pgExec(ctx, "ALTER TABLE customers RENAME COLUMN region TO area"); err != nil {
		t.Fatal(err)
	}
	expectError(t, admin, "REFRESH MATERIALIZED VIEW sales", "42703", "42P01", "HV000")
	if got := matviewRows(t, admin, fromView); got != want {
		t.Errorf("sales after a failed refresh = %s, want the last good copy %s", got, want)
	}
	status := matviewRows(t, admin, "SELECT populated, failures, last_error IS NOT NULL, last_error_at IS NOT NULL, rows FROM junction.materialized_views WHERE name = 'sales'")
	if status != "t 1 t t 3" {
		t.Errorf("junction.materialized_views after a failed refresh: %s", status)
	}
	metrics := scrapeMetrics(t, srv)
	if n := metrics.get(t, "junction_matview_refreshes_total", "view", "public.sales"); n != 3 {
		t.Errorf("junction_matview_refreshes_total of sales = %v, want 3 (create, refresh, failed refresh)", n)
	}
	if n := metrics.get(t, "junction_matview_refresh_failures_total", "view", "public.sales"); n != 1 {
		t.Errorf("junction_matview_refresh_failures_total of sales = %v, want 1", n)
	}
	if age := metrics.get(t, "junction_matview_age_seconds", "view", "public.sales"); age <= 0 || age > 600 {
		t.Errorf("junction_matview_age_seconds of sales = %v", age)
	}
	if n := metrics.get(t, "junction_matview_refresh_duration_seconds"); n < 5 {
		t.Errorf("junction_matview_refresh_duration_seconds counted %v refreshes, want at least 5", n)
	}
	if err := pgExec(ctx, "ALTER TABLE customers RENAME COLUMN area TO region"); err != nil {
		t.Fatal(err)
	}

	// WITH NO DATA, and REFRESH ... WITH NO DATA, leave a view unscannable.
	mustExec(t, admin, "CREATE MATERIALIZED VIEW later AS SELECT count(*) AS n FROM shop.orders WITH NO DATA")
	expectError(t, admin, "SELECT * FROM later", "55000")
	expectError(t, admin, "REFRESH MATERIALIZED VIEW CONCURRENTLY later", "0A000")
	mustExec(t, admin, "REFRESH MATERIALIZED VIEW later")
	if got := matviewRows(t, admin, "SELECT n FROM later"); got != "6" {
		t.Errorf("later = %s, want 6", got)
	}
	mustExec(t, admin, "REFRESH MATERIALIZED VIEW later WITH NO DATA")
	expectError(t, admin, "SELECT * FROM later", "55000")

	// A scheduled refresh picks up a change by itself.
	mustExec(t, admin, "CREATE MATERIALIZED VIEW order_count WITH (junction.refresh_interval = '1 s') AS SELECT count(*) AS n FROM shop.orders")
	expectError(t, admin, "CREATE MATERIALIZED VIEW bad WITH (fillfactor = 50) AS SELECT 1", "22023")
	expectError(t, admin, "CREATE MATERIALIZED VIEW bad WITH (junction.refresh_interval = 'soon') AS SELECT 1", "22023")
	if err := myExec(ctx, "INSERT INTO orders VALUES (7, 3, 1.00)"); err != nil {
		t.Fatal(err)
	}
	waitForRows(t, admin, "SELECT n FROM order_count", "7")
	mustExec(t, admin, "ALTER MATERIALIZED VIEW order_count RESET (junction.refresh_interval)")
	mustExec(t, admin, "ALTER MATERIALIZED VIEW regions SET (junction.refresh_interval = '1 hour')")
	if got := matviewRows(t, admin, `SELECT name, refresh_interval, next_refresh > now() + interval '50 minutes'
		FROM junction.materialized_views WHERE name IN ('order_count', 'regions') ORDER BY name`); got != "order_count NULL NULL|regions 1 hour t" {
		t.Errorf("refresh schedules after ALTER: %s", got)
	}

	// A view reading a materialized view keeps it from being dropped.
	mustExec(t, admin, "CREATE VIEW big_regions AS SELECT region FROM sales WHERE orders > 1")
	expectError(t, admin, "DROP MATERIALIZED VIEW sales", "2BP01")
	mustExec(t, admin, "DROP VIEW big_regions")

	// Only a superuser creates, refreshes, renames and drops; reading
	// needs SELECT on the view, as in PostgreSQL.
	bob := testenv.ConnectURL(t, userURL(srv, "bob", "b0b-pw", "sslmode=disable"))
	for _, sql := range []string{"CREATE MATERIALIZED VIEW mine AS SELECT 1", "REFRESH MATERIALIZED VIEW sales",
		"ALTER MATERIALIZED VIEW sales RENAME TO s2", "DROP MATERIALIZED VIEW sales", fromView} {
		expectError(t, bob, sql, "42501")
	}
	mustExec(t, admin, "GRANT SELECT ON sales TO bob")
	if got := matviewRows(t, bob, fromView); got != want {
		t.Errorf("sales as bob = %s", got)
	}

	// The catalogs list materialized views as PostgreSQL does.
	if got := matviewRows(t, admin, "SELECT matviewname, ispopulated FROM pg_matviews ORDER BY 1"); got != "later f|order_count t|regions t|sales t" {
		t.Errorf("pg_matviews: %s", got)
	}
	if got := matviewRows(t, admin, "SELECT relkind FROM pg_class WHERE relname = 'sales'"); got != "m" {
		t.Errorf("pg_class.relkind of sales: %s", got)
	}
	if got := matviewRows(t, admin, "SELECT count(*) FROM information_schema.tables WHERE table_name = 'sales'"); got != "0" {
		t.Errorf("information_schema.tables lists the materialized view")
	}
	if _, err := exec.LookPath("psql"); err == nil {
		if out, ok := psql(t, adminURL, "-c", `\dm`); ok && (!strings.Contains(out, "sales") || !strings.Contains(out, "materialized view")) {
			t.Errorf(`psql \dm does not list sales:\n%s`, out)
		}
		if out, ok := psql(t, adminURL, "-c", `\d sales`); ok && !strings.Contains(out, `Materialized view "public.sales"`) {
			t.Errorf(`psql \d sales:\n%s`, out)
		}
	}

	// A restart keeps the views and their copies.
	mustExec(t, admin, "DROP MATERIALIZED VIEW order_count")
	srv.Restart(t)
	admin = testenv.ConnectURL(t, userURL(srv, "admin", "adm1n-pw", "sslmode=disable"))
	if got := matviewRows(t, admin, fromView); got != want {
		t.Errorf("sales after a restart = %s, want %s", got, want)
	}
	if got := matviewRows(t, admin, "SELECT name, populated, rows FROM junction.materialized_views ORDER BY name"); got != "later f NULL|regions t 4|sales t 3" {
		t.Errorf("junction.materialized_views after a restart: %s", got)
	}
	expectError(t, admin, "SELECT * FROM later", "55000")

	mustExec(t, admin, "ALTER MATERIALIZED VIEW sales RENAME TO region_sales")
	if got := matviewRows(t, admin, "SELECT region, orders, total FROM region_sales ORDER BY region"); got != want {
		t.Errorf("the renamed view = %s", got)
	}
	expectError(t, admin, "DROP VIEW region_sales", "42809")
	mustExec(t, admin, "DROP MATERIALIZED VIEW region_sales, regions, later")
	expectError(t, admin, "SELECT * FROM region_sales", "42P01")
}

// matviewRows is a result as "a b|c d": values joined by spaces, rows by |.
func matviewRows(t *testing.T, conn *pgx.Conn, sql string) string {
	t.Helper()
	res := query(t, conn, sql)
	rows := make([]string, len(res.Rows))
	for i, r := range res.Rows {
		vals := make([]string, len(r))
		for j, c := range r {
			vals[j] = c.Text
			if c.Null {
				vals[j] = "NULL"
			}
		}
		rows[i] = strings.Join(vals, " ")
	}
	return strings.Join(rows, "|")
}

// waitForRows polls sql until it returns want.
func waitForRows(t *testing.T, conn *pgx.Conn, sql, want string) {
	t.Helper()
	waitFor(t, sql+" to return "+want, func() bool { return matviewRows(t, conn, sql) == want })
}
