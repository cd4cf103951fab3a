package e2e

import (
	"context"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/junction-db/junction/test/testenv"
)

// acceleratedServerDDL is CREATE SERVER of a PostgreSQL database with
// the given acceleration options added.
func acceleratedServerDDL(name, dbname, options string) string {
	ddl := testenv.PostgresServerDDL(name, dbname)
	return strings.TrimSuffix(ddl, ")") + ", " + options + ")"
}

// TestAcceleration accelerates a PostgreSQL table and checks what a user
// sees: the copy is made in the background and read while fresh enough
// (EXPLAIN says so, and rows inserted at the source since do not show),
// the session's junction.max_staleness = 0 reads the source, a prepared
// statement switches to the source when its copy grows too old, an
// incremental refresh appends the new rows, the copy's answers are
// PostgreSQL's, a failed refresh keeps the copy until it is too old,
// the copy survives a restart, and dropping the option drops the copy.
func TestAcceleration(t *testing.T) {
	testenv.RequirePostgres(t)
	db, pgConn := testenv.NewPostgresDB(t, "accel")
	ctx := context.Background()
	pgExec := testenv.PostgresExec(pgConn)
	for _, sql := range []string{
		`CREATE TABLE customers (id int PRIMARY KEY, name text NOT NULL, region text NOT NULL)`,
		`INSERT INTO customers SELECT g, 'customer ' || g, (ARRAY['north', 'south', 'east'])[g % 3 + 1] FROM generate_series(0, 49) g`,
		`CREATE TABLE orders (id int PRIMARY KEY, customer_id int NOT NULL, amount numeric(10,2) NOT NULL, status text, ordered date NOT NULL)`,
		`INSERT INTO orders SELECT g, g % 50, (g * 7 % 1000) / 10.0, CASE WHEN g % 7 = 0 THEN NULL WHEN g % 3 = 0 THEN 'open' ELSE 'done' END,
			date '2024-01-01' + g % 365 FROM generate_series(1, 1000) g`,
	} {
		if err := pgExec(ctx, sql); err != nil {
			t.Fatal(err)
		}
	}
	srv := testenv.StartServer(t)
	admin := srv.Connect(t)

	// Options that cannot be honoured are refused.
	for _, c := range []struct{ options, code, message string }{
		{"accelerate 'nosuch', max_staleness '1 min'", "42P01", `relation "bad.nosuch" does not exist`},
		{"accelerate 'orders'", "22023", `option "accelerate" requires option "max_staleness"`},
		{"accelerate 'orders', max_staleness 'soon'", "22023", `invalid value for option "max_staleness"`},
		{"accelerate 'orders', max_staleness '10 ms'", "22023", `invalid value for option "max_staleness"`},
		{"max_staleness '1 min'", "22023", `option "max_staleness" requires option "accelerate"`},
		{"accelerate 'orders', max_staleness '1 min', accelerate_key 'orders.nosuch'", "42703", `column "nosuch" of relation "orders" does not exist`},
		{"accelerate 'orders', max_staleness '1 min', accelerate_key 'orders.status'", "22023", "cannot be an acceleration key"},
		{"accelerate 'orders', max_staleness '1 min', accelerate_key 'customers.id'", "22023", `which option "accelerate" does not list`},
	} {
		pe := expectError(t, admin, acceleratedServerDDL("bad", db, c.options), c.code)
		if pe != nil && !strings.Contains(pe.Message, c.message) {
			t.Errorf("options %s: error %q, want it to say %q", c.options, pe.Message, c.message)
		}
	}
	expectError(t, admin, "SET junction.max_staleness = 'soon'", "22023")
	expectError(t, admin, "SET junction.max_staleness = '-5 min'", "22023")

	mustExec(t, admin, acceleratedServerDDL("shop", db, "accelerate 'orders', max_staleness '1 hour', accelerate_key 'orders.id'"))
	mustExec(t, admin, testenv.PostgresServerDDL("crm", db))
	waitForRows(t, admin, "SELECT source, table_name, state, mode, key, rows FROM junction.accelerations", "shop orders fresh incremental id 1000")

	const count = "SELECT count(*) FROM shop.orders"
	plan := matviewRows(t, admin, "EXPLAIN "+count)
	if !strings.Contains(plan, "Remote Query on local copies") || !strings.Contains(plan, "Local copy: orders (age ") ||
		!strings.Contains(plan, "max_staleness 1 hour)") {
		t.Errorf("EXPLAIN of a fresh accelerated table does not read its copy:\n%s", plan)
	}

	// Rows the source gains do not show in the copy.
	if err := pgExec(ctx, "INSERT INTO orders SELECT g, g % 50, 1.00, 'open', date '2025-01-01' FROM generate_series(1001, 1010) g"); err != nil {
		t.Fatal(err)
	}
	prepared, err := admin.Prepare(ctx, "count_orders", count)
	if err != nil {
		t.Fatal(err)
	}
	preparedCount := func() string {
		t.Helper()
		var n int64
		if err := admin.QueryRow(ctx, prepared.Name).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return strconv.FormatInt(n, 10)
	}
	if got, prep := queryValue(t, admin, count), preparedCount(); got != "1000" || prep != "1000" {
		t.Errorf("count of a fresh copy = %s, prepared %s; want the copy's 1000", got, prep)
	}

	// A session that demands live data reads the source.
	mustExec(t, admin, "SET junction.max_staleness = 0")
	if got, prep := queryValue(t, admin, count), preparedCount(); got != "1010" || prep != "1010" {
		t.Errorf("count with junction.max_staleness = 0 is %s, prepared %s; want the source's 1010", got, prep)
	}
	plan = matviewRows(t, admin, "EXPLAIN "+count)
	if !strings.Contains(plan, "Remote Query on shop") || !strings.Contains(plan, "Live: junction.max_staleness = 0") {
		t.Errorf("EXPLAIN with junction.max_staleness = 0 does not read the source:\n%s", plan)
	}
	if got := queryValue(t, admin, "SELECT setting FROM pg_settings WHERE name = 'junction.max_staleness'"); got != "0" {
		t.Errorf("pg_settings shows junction.max_staleness = %q", got)
	}
	mustExec(t, admin, "RESET junction.max_staleness")
	if got := preparedCount(); got != "1000" {
		t.Errorf("prepared count after RESET junction.max_staleness = %s, want the copy's 1000", got)
	}

	// A session bound a few seconds above the copy's age: the prepared
	// statement reads the copy, then the source once the copy is older.
	age, err := strconv.ParseFloat(queryValue(t, admin, "SELECT age_s FROM junction.accelerations"), 64)
	if err != nil {
		t.Fatal(err)
	}
	bound := int(math.Ceil(age)) + 4
	mustExec(t, admin, "SET junction.max_staleness = '"+strconv.Itoa(bound)+" s'")
	if got := preparedCount(); got != "1000" {
		t.Errorf("prepared count within junction.max_staleness = %s, want the copy's 1000", got)
	}
	time.Sleep(5 * time.Second)
	if got := preparedCount(); got != "1010" {
		t.Errorf("prepared count once the copy is older than junction.max_staleness = %s, want the source's 1010", got)
	}
	plan = matviewRows(t, admin, "EXPLAIN "+count)
	if !strings.Contains(plan, "Live: copy age ") || !strings.Contains(plan, "exceeds junction.max_staleness "+strconv.Itoa(bound)+" s") {
		t.Errorf("EXPLAIN of a copy too old for the session does not say so:\n%s", plan)
	}
	mustExec(t, admin, "RESET junction.max_staleness")

	// A small max_staleness: the background refresh appends the new rows.
	mustExec(t, admin, "ALTER SERVER shop OPTIONS (SET max_staleness '2 s')")
	waitForRows(t, admin, "SELECT rows, last_refresh_mode FROM junction.accelerations", "1010 incremental")
	if err := pgExec(ctx, "INSERT INTO orders SELECT g, g % 50, 2.50, NULL, date '2025-02-01' FROM generate_series(1011, 1015) g"); err != nil {
		t.Fatal(err)
	}
	waitForRows(t, admin, "SELECT rows, last_refresh_mode, failures FROM junction.accelerations", "1015 incremental 0")
	metrics := scrapeMetrics(t, srv)
	if n := metrics.get(t, "junction_acceleration_refreshes_total", "table", "shop.orders"); n < 3 {
		t.Errorf("junction_acceleration_refreshes_total of shop.orders = %v, want at least 3", n)
	}
	if age := metrics.get(t, "junction_acceleration_age_seconds", "table", "shop.orders"); age < 0 || age > 60 {
		t.Errorf("junction_acceleration_age_seconds of shop.orders = %v", age)
	}

	// The copy's answers are PostgreSQL's.
	mustExec(t, admin, "ALTER SERVER shop OPTIONS (SET max_staleness '1 hour')")
	waitForRows(t, admin, "SELECT state, rows FROM junction.accelerations", "fresh 1015")
	for _, q := range []string{
		"SELECT count(*), sum(amount), min(ordered), max(ordered) FROM {orders}",
		"SELECT status, count(*), sum(amount), avg(amount) FROM {orders} GROUP BY status ORDER BY status NULLS FIRST",
		"SELECT id, amount FROM {orders} WHERE amount > 99.5 AND status = 'open' ORDER BY id",
		"SELECT id, status FROM {orders} WHERE status IS NULL AND ordered >= date '2024-12-01' ORDER BY id LIMIT 5",
		"SELECT c.region, count(*), sum(o.amount) FROM {orders} o JOIN {customers} c ON c.id = o.customer_id GROUP BY c.region ORDER BY c.region",
		"SELECT c.name, max(o.ordered) FROM {customers} c LEFT JOIN {orders} o ON o.customer_id = c.id AND o.amount > 90 GROUP BY c.name ORDER BY c.name LIMIT 10",
		"SELECT date_trunc('month', ordered) AS m, count(DISTINCT customer_id) FROM {orders} GROUP BY m ORDER BY m",
	} {
		junctionSQL := strings.NewReplacer("{orders}", "shop.orders", "{customers}", "crm.customers").Replace(q)
		plan := matviewRows(t, admin, "EXPLAIN "+junctionSQL)
		if !strings.Contains(plan, "Local copy: orders") {
			t.Errorf("EXPLAIN %s does not read the copy:\n%s", junctionSQL, plan)
		}
		testenv.Compare(t, admin, pgConn, junctionSQL, strings.NewReplacer("{orders}", "orders", "{customers}", "customers").Replace(q), true)
	}

	// A refresh that fails (the table is away from the source for a
	// while) keeps the last good copy and says why; once that copy is too
	// old, queries read the source.
	mustExec(t, admin, "ALTER SERVER shop OPTIONS (SET max_staleness '2 s')")
	if err := pgExec(ctx, "ALTER TABLE orders RENAME TO orders_away"); err != nil {
		t.Fatal(err)
	}
	waitForRows(t, admin, "SELECT failures > 0, last_error LIKE '%orders%', rows FROM junction.accelerations", "t t 1015")
	waitFor(t, "queries to read the source once the copy is too old", func() bool {
		return strings.Contains(matviewRows(t, admin, "EXPLAIN "+count), "Live: copy age ")
	})
	if err := pgExec(ctx, "ALTER TABLE orders_away RENAME TO orders"); err != nil {
		t.Fatal(err)
	}
	waitForRows(t, admin, "SELECT rows, last_error IS NULL FROM junction.accelerations", "1015 t")
	if got := queryValue(t, admin, count); got != "1015" {
		t.Errorf("count after the table came back = %s, want 1015", got)
	}
	mustExec(t, admin, "ALTER SERVER shop OPTIONS (SET max_staleness '1 hour')")

	// The copy survives a restart and is read at once.
	srv.Restart(t)
	admin = srv.Connect(t)
	if got := matviewRows(t, admin, "SELECT state, rows FROM junction.accelerations"); got != "fresh 1015" {
		t.Errorf("junction.accelerations after a restart: %s", got)
	}
	if plan := matviewRows(t, admin, "EXPLAIN "+count); !strings.Contains(plan, "Local copy: orders") {
		t.Errorf("EXPLAIN after a restart does not read the copy:\n%s", plan)
	}

	// Dropping the option drops the copy: the table is read at the source.
	mustExec(t, admin, "ALTER SERVER shop OPTIONS (DROP accelerate, DROP max_staleness, DROP accelerate_key)")
	if got := matviewRows(t, admin, "SELECT count(*) FROM junction.accelerations"); got != "0" {
		t.Errorf("junction.accelerations lists %s tables after the option was dropped", got)
	}
	plan = matviewRows(t, admin, "EXPLAIN "+count)
	if !strings.Contains(plan, "Remote Query on shop") || strings.Contains(plan, "Local copy") || strings.Contains(plan, "Live:") {
		t.Errorf("EXPLAIN of a table no longer accelerated:\n%s", plan)
	}
	if got := queryValue(t, admin, count); got != "1015" {
		t.Errorf("count of a table no longer accelerated = %s, want 1015", got)
	}
	// Accelerated again, it starts from an empty copy and reads the
	// source until the copy is made.
	mustExec(t, admin, "ALTER SERVER shop OPTIONS (ADD accelerate 'orders', ADD max_staleness '1 hour')")
	waitForRows(t, admin, "SELECT state, mode, last_refresh_mode, rows FROM junction.accelerations", "fresh full full 1015")
	mustExec(t, admin, "DROP SERVER shop")
	if got := matviewRows(t, admin, "SELECT count(*) FROM junction.accelerations"); got != "0" {
		t.Errorf("junction.accelerations lists %s tables after DROP SERVER", got)
	}
}

// TestAccelerationMariaDB accelerates a MariaDB table without a key: each
// refresh reads it whole, catching new rows and deleted ones alike, and
// the copy answers as the source does.
func TestAccelerationMariaDB(t *testing.T) {
	testenv.RequireMariaDB(t)
	db, maria := testenv.NewMariaDB(t, "accelmy")
	ctx := context.Background()
	myExec := testenv.MariaDBExec(maria)
	rows := make([][]any, 200)
	for i := range rows {
		rows[i] = []any{i + 1, i % 17, strconv.Itoa(i%50) + ".25", "item " + strconv.Itoa(i%9)}
	}
	createTable(t, myExec, `CREATE TABLE items (id int PRIMARY KEY, qty int NOT NULL, price decimal(10,2) NOT NULL, name varchar(20))`, "items",
		[]string{"id", "qty", "price", "name"}, rows)
	srv := testenv.StartServer(t)
	admin := srv.Connect(t)
	ddl := mariadbServerDDL("stock", db, "root", "")
	mustExec(t, admin, strings.TrimSuffix(ddl, ")")+", accelerate 'items', max_staleness '2 s')")
	waitForRows(t, admin, "SELECT state, mode, last_refresh_mode, rows FROM junction.accelerations", "fresh full full 200")

	if err := myExec(ctx, "DELETE FROM items WHERE id <= 10"); err != nil {
		t.Fatal(err)
	}
	if err := myExec(ctx, "INSERT INTO items VALUES (201, 3, 9.99, 'new')"); err != nil {
		t.Fatal(err)
	}
	waitForRows(t, admin, "SELECT rows FROM junction.accelerations", "191")
	mustExec(t, admin, "ALTER SERVER stock OPTIONS (SET max_staleness '1 hour')")
	for _, q := range []string{
		"SELECT count(*), sum(qty), sum(price), min(name), max(id) FROM stock.items",
		"SELECT name, count(*), sum(price) FROM stock.items WHERE qty > 5 GROUP BY name ORDER BY name",
		"SELECT id, price FROM stock.items WHERE name = 'item 3' ORDER BY price DESC, id LIMIT 7",
	} {
		if plan := matviewRows(t, admin, "EXPLAIN "+q); !strings.Contains(plan, "Local copy: items") {
			t.Errorf("EXPLAIN %s does not read the copy:\n%s", q, plan)
		}
		fromCopy := matviewRows(t, admin, q)
		mustExec(t, admin, "SET junction.max_staleness = 0")
		if live := matviewRows(t, admin, q); live != fromCopy {
			t.Errorf("%s\nfrom the copy: %s\nfrom MariaDB:  %s", q, fromCopy, live)
		}
		mustExec(t, admin, "RESET junction.max_staleness")
	}
}
