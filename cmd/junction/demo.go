package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/junction-db/junction/catalog"
	_ "modernc.org/sqlite" // the database/sql driver that writes the demo databases
)

// demoUser may log in to the demo when the configuration declares no users.
var demoUser = catalog.User{Name: "junction", Password: "junction", Superuser: true}

// demoDatabase is one generated SQLite database of the demo and the source
// it becomes.
type demoDatabase struct {
	source string
	file   string
	fill   func(tx *sql.Tx, rng *rand.Rand) error
}

var demoDatabases = []demoDatabase{
	{source: "demo_crm", file: "crm.db", fill: fillCRM},
	{source: "demo_shop", file: "shop.db", fill: fillShop},
}

// Sizes of the generated tables.
const (
	demoCustomers = 200
	demoOrders    = 2000
)

// prepareDemo makes sure the demo's databases exist in dir, generating the
// missing ones, and returns them as sources. The data is the same on every
// machine: each database is generated from a fixed seed.
func prepareDemo(dir string) ([]catalog.Source, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	sources := make([]catalog.Source, 0, len(demoDatabases))
	for i, db := range demoDatabases {
		path := filepath.Join(dir, db.file)
		if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
			if err := generateDatabase(path, db.fill, uint64(i)+1); err != nil {
				return nil, fmt.Errorf("generate %s: %w", path, err)
			}
		} else if err != nil {
			return nil, err
		}
		sources = append(sources, catalog.Source{Name: db.source, Wrapper: "sqlite", Options: map[string]string{"path": path}, Builtin: true})
	}
	lake, err := prepareDemoLake(dir)
	if err != nil {
		return nil, err
	}
	return append(sources, lake), nil
}

// generateDatabase writes a database next to path and renames it into
// place once complete, so an interrupted run never leaves half a database
// that a later start would take as done.
func generateDatabase(path string, fill func(*sql.Tx, *rand.Rand) error, seed uint64) (err error) {
	tmp := path + ".partial"
	if err := os.Remove(tmp); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	defer func() {
		if err != nil {
			os.Remove(tmp) //nolint:errcheck // best-effort clean-up of a failed run
		}
	}()
	db, err := sql.Open("sqlite", tmp)
	if err != nil {
		return err
	}
	defer db.Close()
	tx, err := db.BeginTx(context.Background(), nil)
	if err != nil {
		return err
	}
	if err := fill(tx, rand.New(rand.NewPCG(seed, 20240101))); err != nil {
		tx.Rollback() //nolint:errcheck // the fill error is what matters
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	if err := db.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

var (
	firstNames = []string{"Ada", "Alan", "Barbara", "Claude", "Dennis", "Edsger", "Frances", "Grace", "Hedy", "Ivan",
		"Jean", "John", "Ken", "Linus", "Margaret", "Niklaus", "Ole", "Radia", "Shafi", "Tim"}
	lastNames = []string{"Lovelace", "Turing", "Liskov", "Shannon", "Ritchie", "Dijkstra", "Allen", "Hopper", "Lamarr",
		"Sutherland", "Bartik", "Backus", "Thompson", "Torvalds", "Hamilton", "Wirth", "Dahl", "Perlman", "Goldwasser", "Berners-Lee"}
	countries = []string{"Germany", "France", "Netherlands", "United Kingdom", "United States", "Canada", "Brazil",
		"Japan", "India", "Australia"}
)

// demoStart is the first day of the demo's data.
var demoStart = time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC)

// customerSince is the sign-up day of customer id (1-based), shared by the
// two generators so that nobody orders before signing up.
func customerSince(id int) time.Time {
	return demoStart.AddDate(0, 0, (id*997)%900)
}

func fillCRM(tx *sql.Tx, rng *rand.Rand) error {
	if _, err := tx.Exec(`CREATE TABLE customers (
		id INTEGER PRIMARY KEY,
		name TEXT NOT NULL,
		email TEXT,
		country TEXT,
		created_at DATE
	)`); err != nil {
		return err
	}
	insert, err := tx.Prepare(`INSERT INTO customers (id, name, email, country, created_at) VALUES (?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer insert.Close()
	for id := 1; id <= demoCustomers; id++ {
		first, last := firstNames[rng.IntN(len(firstNames))], lastNames[rng.IntN(len(lastNames))]
		var email, country any
		if rng.IntN(100) >= 8 {
			email = fmt.Sprintf("%s.%s%d@example.com", strings.ToLower(first), strings.ToLower(last), id)
		}
		if rng.IntN(100) >= 4 {
			country = countries[rng.IntN(len(countries))]
		}
		if _, err := insert.Exec(id, first+" "+last, email, country, customerSince(id).Format(time.DateOnly)); err != nil {
			return err
		}
	}
	return nil
}

// demoProduct is one product of the shop, priced in cents.
type demoProduct struct {
	name, category string
	cents          int
}

var demoProducts = []demoProduct{
	{"The Art of Computer Programming", "Books", 18900}, {"Structure and Interpretation", "Books", 5500},
	{"The C Programming Language", "Books", 4250}, {"Designing Data-Intensive Applications", "Books", 3999},
	{"Mechanical Keyboard", "Electronics", 12900}, {"27-inch Monitor", "Electronics", 32950},
	{"USB-C Dock", "Electronics", 8999}, {"Noise-Cancelling Headphones", "Electronics", 24900},
	{"Espresso Machine", "Kitchen", 44900}, {"Burr Grinder", "Kitchen", 12450},
	{"Cast Iron Pan", "Kitchen", 3995}, {"Chef's Knife", "Kitchen", 8900},
	{"Standing Desk", "Office", 49900}, {"Desk Lamp", "Office", 4590},
	{"Ergonomic Chair", "Office", 38900}, {"Notebook Set", "Office", 1250},
}

var orderStatuses = []struct {
	status string
	weight int
}{{"delivered", 55}, {"shipped", 15}, {"paid", 12}, {"pending", 10}, {"cancelled", 8}}

func fillShop(tx *sql.Tx, rng *rand.Rand) error {
	for _, ddl := range []string{
		`CREATE TABLE products (
			id INTEGER PRIMARY KEY,
			name TEXT NOT NULL,
			category TEXT NOT NULL,
			price NUMERIC(10,2) NOT NULL
		)`,
		`CREATE TABLE orders (
			id INTEGER PRIMARY KEY,
			customer_id INTEGER NOT NULL,
			amount NUMERIC(10,2) NOT NULL,
			status TEXT NOT NULL,
			created_at TIMESTAMP NOT NULL
		)`,
		`CREATE TABLE order_items (
			order_id INTEGER NOT NULL,
			product_id INTEGER NOT NULL,
			quantity INTEGER NOT NULL,
			unit_price NUMERIC(10,2) NOT NULL,
			PRIMARY KEY (order_id, product_id)
		)`,
	} {
		if _, err := tx.Exec(ddl); err != nil {
			return err
		}
	}
	insertProduct, err := tx.Prepare(`INSERT INTO products (id, name, category, price) VALUES (?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer insertProduct.Close()
	for i, p := range demoProducts {
		if _, err := insertProduct.Exec(i+1, p.name, p.category, formatCents(p.cents)); err != nil {
			return err
		}
	}
	insertOrder, err := tx.Prepare(`INSERT INTO orders (id, customer_id, amount, status, created_at) VALUES (?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer insertOrder.Close()
	insertItem, err := tx.Prepare(`INSERT INTO order_items (order_id, product_id, quantity, unit_price) VALUES (?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer insertItem.Close()
	for id := 1; id <= demoOrders; id++ {
		customer := 1 + rng.IntN(demoCustomers)
		placed := customerSince(customer).Add(time.Duration(rng.IntN(600*24*3600)) * time.Second)
		total := 0
		for _, product := range rng.Perm(len(demoProducts))[:1+rng.IntN(3)] {
			quantity := 1 + rng.IntN(3)
			price := demoProducts[product].cents
			total += quantity * price
			if _, err := insertItem.Exec(id, product+1, quantity, formatCents(price)); err != nil {
				return err
			}
		}
		if _, err := insertOrder.Exec(id, customer, formatCents(total), pickStatus(rng), placed.Format(time.DateTime)); err != nil {
			return err
		}
	}
	return nil
}

func pickStatus(rng *rand.Rand) string {
	n := rng.IntN(100)
	for _, s := range orderStatuses {
		if n < s.weight {
			return s.status
		}
		n -= s.weight
	}
	return orderStatuses[0].status
}

// formatCents writes an amount with exactly two decimals ("12.50").
func formatCents(cents int) string {
	return fmt.Sprintf("%d.%02d", cents/100, cents%100)
}

// demoQuery is a join across the two demo sources, shown at start.
const demoQuery = `SELECT c.country, count(*) AS orders, sum(o.amount) AS revenue
  FROM demo_crm.customers c JOIN demo_shop.orders o ON o.customer_id = c.id
  WHERE o.status <> 'cancelled'
  GROUP BY c.country ORDER BY revenue DESC LIMIT 5;`

// demoLakeQuery joins SQLite, Parquet and CSV: orders, their shipments
// and the shipments' carriers.
const demoLakeQuery = `SELECT k.name AS carrier, count(*) AS shipments, sum(o.amount) AS value
  FROM demo_shop.orders o
  JOIN demo_lake.shipments s ON s.order_id = o.id
  JOIN demo_lake.carriers k ON k.code = s.carrier
  WHERE o.status IN ('shipped', 'delivered')
  GROUP BY k.name ORDER BY value DESC;`

// printDemoGreeting prints the connection command on stdout (one line, for
// scripts) and an example query on stderr.
func printDemoGreeting(stdout, stderr io.Writer, addr net.Addr, users []catalog.User, tls bool) {
	host, port := "127.0.0.1", "15432"
	if tcp, ok := addr.(*net.TCPAddr); ok {
		port = fmt.Sprint(tcp.Port)
		if !tcp.IP.IsUnspecified() {
			host = tcp.IP.String()
		}
	}
	u := url.URL{Scheme: "postgres", Host: net.JoinHostPort(host, port), Path: "/junction"}
	switch {
	case len(users) == 0:
		u.User = url.User(demoUser.Name)
	case users[0] == demoUser:
		u.User = url.UserPassword(demoUser.Name, demoUser.Password)
	default:
		u.User = url.User(users[0].Name)
	}
	sslmode := "disable"
	if tls {
		sslmode = "require"
	}
	u.RawQuery = "sslmode=" + sslmode
	fmt.Fprintf(stdout, "Junction demo is ready: psql '%s'\n", u.String())
	fmt.Fprintf(stderr, "\nTry a join across the SQLite sources demo_crm and demo_shop:\n\n  %s\n\n", demoQuery)
	fmt.Fprintf(stderr, "and one across SQLite, Parquet and CSV (demo_lake is a directory of files):\n\n  %s\n\n", demoLakeQuery)
}
