package clients

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/junction-db/junction/test/testenv"
)

func TestMain(m *testing.M) { testenv.Main(m) }

// shopDDL is the source database every client browses. The checks in
// testdata expect exactly these tables, keys, indexes, comments and rows.
const shopDDL = `
CREATE TABLE customers (
	id integer PRIMARY KEY,
	name text NOT NULL,
	email varchar(100) UNIQUE,
	created_at timestamptz,
	balance numeric(10,2));
COMMENT ON TABLE customers IS 'people who buy';
COMMENT ON COLUMN customers.name IS 'full name';
CREATE TABLE orders (
	id bigint PRIMARY KEY,
	customer_id integer NOT NULL REFERENCES customers (id),
	placed date,
	amount numeric(12,2),
	note text);
CREATE INDEX orders_placed_idx ON orders (placed DESC, customer_id);
CREATE TABLE lines (
	order_id bigint,
	line_no integer,
	sku text,
	qty integer,
	PRIMARY KEY (order_id, line_no),
	CONSTRAINT lines_order_fk FOREIGN KEY (order_id) REFERENCES orders (id) ON DELETE CASCADE);
CREATE VIEW big_orders AS SELECT id, customer_id, amount FROM orders WHERE amount > 100;
INSERT INTO customers VALUES
	(1, 'Ann', 'ann@example.org', '2024-01-02 03:04:05+00', 10.50),
	(2, 'Bob', NULL, NULL, NULL);
INSERT INTO orders VALUES
	(10, 1, '2024-02-01', 150.25, 'first'),
	(11, 2, '2024-02-02', 20, NULL),
	(12, 1, '2024-03-01', 300, 'third');
INSERT INTO lines VALUES (10, 1, 'a', 2), (10, 2, 'b', 1), (11, 1, 'c', 5);
`

// customerTotalsView is a view stored in Junction, whose definition the
// catalogs show (a source's own views keep their definition at the source).
const customerTotalsView = `CREATE VIEW customer_totals AS
	SELECT c.name, sum(o.amount) AS total FROM shop.customers c JOIN shop.orders o ON o.customer_id = c.id GROUP BY c.name`

// server is a Junction server with the shop database registered as the
// source "shop".
type server struct {
	srv    *testenv.Server
	dbname string // the shop database on PostgreSQL
}

func newServer(t *testing.T) *server {
	t.Helper()
	testenv.RequirePostgres(t)
	dbname, pg := testenv.NewPostgresDB(t, "clients")
	if _, err := pg.Exec(context.Background(), shopDDL); err != nil {
		t.Fatalf("create the shop database: %v", err)
	}
	// The demo user is declared, so every client logs in through
	// SCRAM-SHA-256 as it would against a server that has users; it is a
	// superuser, to create the servers and views.
	config := filepath.Join(t.TempDir(), "junction.yaml")
	users := fmt.Sprintf("users:\n  - name: %s\n    password: %s\n    superuser: true\n", testenv.DemoUser, testenv.DemoPassword)
	if err := os.WriteFile(config, []byte(users), 0o600); err != nil {
		t.Fatal(err)
	}
	s := &server{srv: testenv.StartServer(t, "serve", "--config", config), dbname: dbname}
	conn := s.srv.Connect(t)
	ddl := fmt.Sprintf(`CREATE SERVER shop FOREIGN DATA WRAPPER postgres OPTIONS (host '127.0.0.1', port '5432', dbname '%s', user 'root')`, dbname)
	for _, sql := range []string{ddl, customerTotalsView} {
		if _, err := conn.Exec(context.Background(), sql); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	return s
}

// env is the environment a client program reads its connection from.
func (s *server) env() []string {
	host, port, _ := strings.Cut(s.srv.Addr, ":")
	return append(os.Environ(),
		"JUNCTION_HOST="+host, "JUNCTION_PORT="+port,
		"JUNCTION_USER="+testenv.DemoUser, "JUNCTION_PASSWORD="+testenv.DemoPassword,
		"JUNCTION_DATABASE=junction")
}
