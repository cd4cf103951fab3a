package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/junction-db/junction/test/testenv"
)

// grantsServer starts Junction with a superuser (admin) and two ordinary
// users (alice, bob), and registers, as admin, a PostgreSQL source shop
// with tables orders and customers and a remote schema sales.
func grantsServer(t *testing.T) (pg, admin, alice, bob *pgx.Conn) {
	t.Helper()
	pgDB, pg := testenv.NewPostgresDB(t, "grants")
	if _, err := pg.Exec(context.Background(), `
		CREATE TABLE orders (id int PRIMARY KEY, amount int);
		INSERT INTO orders VALUES (1, 10), (2, 20), (3, 30);
		CREATE TABLE customers (id int PRIMARY KEY, name text);
		INSERT INTO customers VALUES (1, 'ann'), (2, 'ben');
		CREATE SCHEMA sales;
		CREATE TABLE sales.targets (region text, goal int);
		INSERT INTO sales.targets VALUES ('north', 5)`); err != nil {
		t.Fatal(err)
	}
	config := `users:
  - name: admin
    password: adm1n-pw
    superuser: true
  - name: alice
    password: al1ce-pw
  - name: bob
    password: b0b-pw
`
	srv := serveConfig(t, config)
	admin = testenv.ConnectURL(t, userURL(srv, "admin", "adm1n-pw", "sslmode=disable"))
	alice = testenv.ConnectURL(t, userURL(srv, "alice", "al1ce-pw", "sslmode=disable"))
	bob = testenv.ConnectURL(t, userURL(srv, "bob", "b0b-pw", "sslmode=disable"))
	mustExec(t, admin, fmt.Sprintf(`CREATE SERVER shop FOREIGN DATA WRAPPER postgres OPTIONS (host '127.0.0.1', port '5432', dbname '%s', user 'root')`, pgDB))
	return pg, admin, alice, bob
}

// serveConfig starts the server with the configuration file config.
func serveConfig(t *testing.T, config string) *testenv.Server {
	t.Helper()
	path := filepath.Join(t.TempDir(), "junction.yaml")
	if err := os.WriteFile(path, []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	return testenv.StartServer(t, "serve", "--config", path)
}

// expectValue runs sql and wants its one value to be want.
func expectValue(t *testing.T, conn *pgx.Conn, sql, want string) {
	t.Helper()
	if got := queryValue(t, conn, sql); got != want {
		t.Errorf("%s as %s = %q, want %q", sql, conn.Config().User, got, want)
	}
}

// expectDenied runs sql and wants PostgreSQL's 42501 with message.
func expectDenied(t *testing.T, conn *pgx.Conn, sql, message string) {
	t.Helper()
	if pe := expectError(t, conn, sql, "42501"); pe != nil && pe.Message != message {
		t.Errorf("%s: %q, want %q", sql, pe.Message, message)
	}
}

// TestGrantsUsageAndSelect: an ordinary user reads a source's table only
// with USAGE on its schema and SELECT on it, sees nothing of the source in
// the system tables before, and loses the right at once on REVOKE, in an
// open session and for a statement it prepared.
func TestGrantsUsageAndSelect(t *testing.T) {
	_, admin, alice, _ := grantsServer(t)
	ctx := context.Background()

	expectDenied(t, alice, "SELECT * FROM shop.orders", "permission denied for schema shop")
	expectError(t, alice, "SELECT * FROM orders", "42P01")
	for _, q := range []string{
		"SELECT count(*) FROM information_schema.tables WHERE table_schema LIKE 'shop%'",
		"SELECT count(*) FROM information_schema.schemata WHERE schema_name LIKE 'shop%'",
		"SELECT count(*) FROM information_schema.columns WHERE table_schema LIKE 'shop%'",
		"SELECT count(*) FROM pg_catalog.pg_namespace WHERE nspname LIKE 'shop%'",
		"SELECT count(*) FROM pg_catalog.pg_class WHERE relname IN ('orders', 'customers', 'targets', 'orders_pkey')",
		"SELECT count(*) FROM junction.tables WHERE source = 'shop'",
		"SELECT count(*) FROM junction.sources WHERE name = 'shop'",
		// psql's \dt
		`SELECT count(*) FROM pg_catalog.pg_class c LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
		 WHERE c.relkind IN ('r','p','') AND n.nspname <> 'pg_catalog' AND n.nspname !~ '^pg_toast'
		 AND n.nspname <> 'information_schema' AND n.nspname <> 'junction' AND pg_catalog.pg_table_is_visible(c.oid)`,
	} {
		expectValue(t, alice, q, "0")
	}
	expectValue(t, admin, "SELECT count(*) FROM information_schema.tables WHERE table_schema LIKE 'shop%'", "3")
	expectValue(t, alice, "SELECT has_schema_privilege('shop', 'USAGE')", "f")

	mustExec(t, admin, "GRANT USAGE ON SCHEMA shop TO alice")
	expectDenied(t, alice, "SELECT * FROM shop.orders", "permission denied for table orders")
	expectDenied(t, alice, "SELECT * FROM orders", "permission denied for table orders")
	expectValue(t, alice, "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'shop'", "0")
	expectValue(t, alice, "SELECT has_table_privilege('shop.orders', 'SELECT')", "f")

	mustExec(t, admin, "GRANT SELECT ON TABLE shop.orders TO alice")
	expectValue(t, alice, "SELECT sum(amount) FROM shop.orders", "60")
	expectValue(t, alice, "SELECT string_agg(table_name, ',') FROM information_schema.tables WHERE table_schema LIKE 'shop%'", "orders")
	for q, want := range map[string]string{
		"SELECT has_table_privilege('shop.orders', 'SELECT')":            "t",
		"SELECT has_table_privilege('shop.orders', 'INSERT')":            "f",
		"SELECT has_column_privilege('shop.orders', 'amount', 'SELECT')": "t",
		"SELECT has_schema_privilege('shop', 'USAGE')":                   "t",
		"SELECT has_table_privilege('shop.customers', 'SELECT')":         "f",
	} {
		expectValue(t, alice, q, want)
	}
	for q, want := range map[string]string{
		"SELECT has_table_privilege('alice', 'shop.orders', 'SELECT')":               "t",
		"SELECT has_table_privilege('bob', 'shop.orders', 'SELECT')":                 "f",
		"SELECT has_schema_privilege('bob', 'shop', 'USAGE')":                        "f",
		"SELECT relacl::text FROM pg_class WHERE oid = 'shop.orders'::regclass":      "{admin=r/admin,alice=r/admin}",
		"SELECT nspacl::text FROM pg_namespace WHERE nspname = 'shop'":               "{admin=U/admin,alice=U/admin}",
		"SELECT relacl IS NULL FROM pg_class WHERE oid = 'shop.customers'::regclass": "t",
	} {
		expectValue(t, admin, q, want)
	}

	// A REVOKE holds for the next statement of an open session and the
	// next execution of a prepared statement.
	if _, err := alice.Prepare(ctx, "alice_orders", "SELECT count(*) FROM shop.orders WHERE amount > $1"); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := alice.QueryRow(ctx, "alice_orders", 5).Scan(&n); err != nil || n != 3 {
		t.Fatalf("prepared statement before REVOKE: %d, %v", n, err)
	}
	mustExec(t, admin, "REVOKE SELECT ON shop.orders FROM alice")
	err := alice.QueryRow(ctx, "alice_orders", 5).Scan(&n)
	if sqlstate(err) != "42501" || !strings.Contains(err.Error(), "permission denied for table orders") {
		t.Errorf("prepared statement after REVOKE: %v", err)
	}
	expectDenied(t, alice, "SELECT * FROM shop.orders", "permission denied for table orders")
	mustExec(t, admin, "REVOKE USAGE ON SCHEMA shop FROM alice")
	expectDenied(t, alice, "SELECT * FROM shop.orders", "permission denied for schema shop")

	// PostgreSQL's errors.
	expectError(t, admin, "GRANT SELECT ON shop.nope TO alice", "42P01")
	expectError(t, admin, "GRANT SELECT ON shop.orders TO nobody", "42704")
	expectError(t, admin, "GRANT USAGE ON SCHEMA nope TO alice", "3F000")
	expectError(t, admin, "GRANT USAGE ON shop.orders TO alice", "0LP01")
	expectError(t, admin, "GRANT INSERT ON shop.orders TO alice", "0A000")
	expectError(t, admin, "GRANT SELECT ON pg_catalog.pg_class TO alice", "0A000")
	expectValue(t, alice, "SELECT 1", "1")
}

// TestGrantsAllTablesDefaultsAndPublic: GRANT ON ALL TABLES IN SCHEMA,
// default privileges for a table discovered later, grants to PUBLIC on a
// remote schema, and what a holder of a grant option may pass on.
func TestGrantsAllTablesDefaultsAndPublic(t *testing.T) {
	pg, admin, alice, bob := grantsServer(t)
	ctx := context.Background()

	mustExec(t, admin, "GRANT USAGE ON SCHEMA shop TO bob")
	mustExec(t, admin, "GRANT SELECT ON ALL TABLES IN SCHEMA shop TO bob")
	expectValue(t, bob, "SELECT (SELECT count(*) FROM shop.orders) + (SELECT count(*) FROM shop.customers)", "5")
	// The remote schema is a namespace of its own.
	expectDenied(t, bob, "SELECT * FROM shop.sales.targets", "permission denied for schema shop.sales")

	mustExec(t, admin, `GRANT USAGE ON SCHEMA "shop.sales" TO PUBLIC`)
	mustExec(t, admin, "GRANT SELECT ON shop.sales.targets TO PUBLIC")
	for _, conn := range []*pgx.Conn{alice, bob} {
		expectValue(t, conn, `SELECT goal FROM "shop.sales".targets`, "5")
	}
	expectValue(t, admin, "SELECT relacl::text FROM pg_class WHERE relname = 'targets'", "{admin=r/admin,=r/admin}")

	// Default privileges reach a table the source shows later.
	mustExec(t, admin, "ALTER DEFAULT PRIVILEGES IN SCHEMA shop GRANT SELECT ON TABLES TO alice")
	mustExec(t, admin, "GRANT USAGE ON SCHEMA shop TO alice")
	if _, err := pg.Exec(ctx, "CREATE TABLE refunds (id int); INSERT INTO refunds VALUES (7)"); err != nil {
		t.Fatal(err)
	}
	mustExec(t, admin, "IMPORT FOREIGN SCHEMA public FROM SERVER shop INTO shop")
	expectValue(t, alice, "SELECT id FROM shop.refunds", "7")
	// ... and not the tables that were there before.
	expectDenied(t, alice, "SELECT * FROM shop.orders", "permission denied for table orders")
	expectDenied(t, bob, "SELECT * FROM shop.refunds", "permission denied for table refunds")

	// Grant options: alice may pass on what she holds WITH GRANT OPTION,
	// bob holds SELECT without it and changes nothing, and revoking
	// alice's option needs CASCADE to take bob's grant from her too.
	expectDenied(t, alice, "GRANT SELECT ON shop.orders TO bob", "permission denied for table orders")
	mustExec(t, admin, "GRANT SELECT ON shop.customers TO alice WITH GRANT OPTION")
	mustExec(t, admin, "REVOKE SELECT ON shop.customers FROM bob")
	mustExec(t, bob, "GRANT SELECT ON shop.orders TO alice")
	expectDenied(t, alice, "SELECT * FROM shop.orders", "permission denied for table orders")
	mustExec(t, alice, "GRANT SELECT ON shop.customers TO bob")
	expectValue(t, bob, "SELECT count(*) FROM shop.customers", "2")
	expectValue(t, alice, "SELECT has_table_privilege('shop.customers', 'SELECT WITH GRANT OPTION')", "t")
	expectValue(t, bob, "SELECT has_table_privilege('shop.customers', 'SELECT WITH GRANT OPTION')", "f")
	expectValue(t, admin, "SELECT relacl::text FROM pg_class WHERE oid = 'shop.customers'::regclass", "{admin=r/admin,alice=r*/admin,bob=r/alice}")
	expectError(t, admin, "REVOKE SELECT ON shop.customers FROM alice", "2BP01")
	mustExec(t, admin, "REVOKE SELECT ON shop.customers FROM alice CASCADE")
	expectDenied(t, bob, "SELECT * FROM shop.customers", "permission denied for table customers")
}

// TestGrantsViewsRunAsOwner: a view owned by admin over a table alice may
// not read gives alice its rows once she may select from the view; bob,
// without SELECT on it, gets PostgreSQL's error naming the view. Other
// users' query text stays hidden from an ordinary user.
func TestGrantsViewsRunAsOwner(t *testing.T) {
	_, admin, alice, bob := grantsServer(t)
	mustExec(t, admin, "CREATE VIEW public.big_orders AS SELECT id, amount FROM shop.orders WHERE amount > 15")
	expectDenied(t, alice, "SELECT * FROM shop.orders", "permission denied for schema shop")
	expectDenied(t, alice, "SELECT * FROM big_orders", "permission denied for view big_orders")
	expectValue(t, alice, "SELECT count(*) FROM pg_class WHERE relname = 'big_orders'", "0")
	mustExec(t, admin, "GRANT SELECT ON big_orders TO alice")
	expectValue(t, alice, "SELECT sum(amount) FROM big_orders", "50")
	expectValue(t, alice, "SELECT string_agg(column_name, ',' ORDER BY ordinal_position) FROM information_schema.columns WHERE table_name = 'big_orders'", "id,amount")
	expectDenied(t, bob, "SELECT * FROM big_orders", "permission denied for view big_orders")
	expectDenied(t, alice, "SELECT * FROM shop.orders", "permission denied for schema shop")

	// The catalogs name the owners: the view's creator, and the role that
	// created the server for the source, its schema and its tables.
	expectValue(t, alice, "SELECT viewowner FROM pg_views WHERE viewname = 'big_orders'", "admin")
	expectValue(t, admin, "SELECT tableowner FROM pg_tables WHERE schemaname = 'shop' AND tablename = 'orders'", "admin")
	expectValue(t, admin, "SELECT pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = 'shop'", "admin")
	expectValue(t, admin, "SELECT pg_get_userbyid(srvowner) FROM pg_foreign_server WHERE srvname = 'shop'", "admin")
	expectValue(t, admin, "SELECT count(*) FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner WHERE c.oid = 'shop.orders'::regclass AND r.rolname = 'admin'", "1")

	mustExec(t, admin, "SELECT 'admin secret text' FROM shop.customers")
	res := query(t, alice, "SELECT query FROM junction.queries WHERE usename = 'admin'")
	if contains(res, "admin secret text") || !contains(res, "<insufficient privilege>") {
		t.Errorf("alice sees admin's queries: %v", res.Rows)
	}
	if !contains(query(t, alice, "SELECT query FROM junction.queries WHERE usename = 'alice'"), "big_orders") {
		t.Error("alice does not see her own query text")
	}
	if !contains(query(t, admin, "SELECT query FROM junction.queries WHERE usename = 'admin'"), "admin secret text") {
		t.Error("admin does not see the query text")
	}
}
