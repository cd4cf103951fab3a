package e2e

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/junction-db/junction/test/testenv"
)

// federation is a Junction server with a PostgreSQL source crm holding
// customers and a MariaDB source shop holding orders, next to a reference
// PostgreSQL database holding both tables.
type federation struct {
	// t is the test that owns the federation's resources.
	t           *testing.T
	srv         *testenv.Server
	junction    *pgx.Conn
	referenceDB string
	reference   *pgx.Conn
	crmDB       string
	crm         *pgx.Conn
	shopDB      string
	shop        *sql.DB
}

var (
	customerColumns = []string{"id", "name", "country", "email", "created_at"}
	orderColumns    = []string{"id", "customer_id", "amount", "status", "created_at", "note", "due_date"}
)

const (
	postgresCustomersDDL = `CREATE TABLE customers (
		id int PRIMARY KEY,
		name text NOT NULL,
		country text NOT NULL,
		email text NULL,
		created_at date NOT NULL)`
	mariadbOrdersDDL = `CREATE TABLE orders (
		id int PRIMARY KEY,
		customer_id int NOT NULL,
		amount decimal(10,2) NOT NULL,
		status varchar(20) NOT NULL,
		created_at datetime NOT NULL,
		note text NULL,
		due_date date NULL)`
	postgresOrdersDDL = `CREATE TABLE orders (
		id int PRIMARY KEY,
		customer_id int NOT NULL,
		amount numeric(10,2) NOT NULL,
		status varchar(20) NOT NULL,
		created_at timestamp NOT NULL,
		note text NULL,
		due_date date NULL)`
)

// newFederation loads the generated data and registers both sources with a
// fresh Junction server over the wire.
func newFederation(t *testing.T) *federation {
	t.Helper()
	testenv.RequirePostgres(t)
	testenv.RequireMariaDB(t)
	customers, orders := generateShopData()

	f := &federation{t: t}
	f.crmDB, f.crm = testenv.NewPostgresDB(t, "crm")
	f.shopDB, f.shop = testenv.NewMariaDB(t, "shop")
	f.referenceDB, f.reference = testenv.NewReferenceDB(t, "reference")
	crm, shop, ref := testenv.PostgresExec(f.crm), testenv.MariaDBExec(f.shop), testenv.PostgresExec(f.reference)
	for _, step := range []struct {
		exec    testenv.Exec
		ddl     string
		table   string
		columns []string
		rows    [][]any
	}{
		{crm, postgresCustomersDDL, "customers", customerColumns, customers},
		{shop, mariadbOrdersDDL, "orders", orderColumns, orders},
		{ref, postgresCustomersDDL, "customers", customerColumns, customers},
		{ref, postgresOrdersDDL, "orders", orderColumns, orders},
	} {
		createTable(t, step.exec, step.ddl, step.table, step.columns, step.rows)
	}

	f.srv = testenv.StartServer(t)
	f.junction = f.srv.Connect(t)
	mustExec(t, f.junction, testenv.PostgresServerDDL("crm", f.crmDB))
	mustExec(t, f.junction, mariadbServerDDL("shop", f.shopDB, "root", ""))
	return f
}

// createTable creates a table and loads its rows.
func createTable(t *testing.T, exec testenv.Exec, ddl, table string, columns []string, rows [][]any) {
	t.Helper()
	ctx := context.Background()
	if err := exec(ctx, ddl); err != nil {
		t.Fatalf("create %s: %v", table, err)
	}
	if err := testenv.LoadRows(ctx, exec, table, columns, rows); err != nil {
		t.Fatal(err)
	}
}

func mariadbServerDDL(name, dbname, user, password string) string {
	return fmt.Sprintf(`CREATE SERVER %s FOREIGN DATA WRAPPER mysql OPTIONS (host '127.0.0.1', port '3306', dbname '%s', user '%s', password '%s')`, name, dbname, user, password)
}

// Junction names the tables by source; the reference database has them
// in its public schema.
var (
	junctionTables  = strings.NewReplacer("{customers}", "crm.customers", "{orders}", "shop.orders")
	referenceTables = strings.NewReplacer("{customers}", "customers", "{orders}", "orders")
)

// conn is the connection to Junction, opened again if a failed query
// closed it, so that one failure does not fail every later query.
func (f *federation) conn() *pgx.Conn {
	if f.junction.IsClosed() {
		f.junction = f.srv.Connect(f.t)
	}
	return f.junction
}

// compare runs a query written with {customers} and {orders} on Junction
// and on the reference database and requires the same answer.
func (f *federation) compare(t *testing.T, sql string, ordered bool) {
	t.Helper()
	testenv.Compare(t, f.conn(), f.reference, junctionTables.Replace(sql), referenceTables.Replace(sql), ordered)
}

// Shape of the generated data.
const (
	customerCount = 500
	orderCount    = 5000
	// Customers above lastOrderingCustomer (up to customerCount) never
	// order; orders of the customers after customerCount have no customer.
	// Outer joins and NOT EXISTS need both.
	lastOrderingCustomer = 480
	orphanCustomers      = 20
)

type weighted struct {
	value  string
	weight int
}

func pick(rng *rand.Rand, choices []weighted) string {
	total := 0
	for _, c := range choices {
		total += c.weight
	}
	n := rng.IntN(total)
	for _, c := range choices {
		if n < c.weight {
			return c.value
		}
		n -= c.weight
	}
	return choices[len(choices)-1].value
}

var (
	// Lower-case and accented names tell LIKE from ILIKE and byte order
	// from dictionary order; O'Brien needs quoting.
	firstNames = []string{"Anna", "Alice", "Aaron", "aart", "Bram", "Bob", "Chloé", "Daan", "Emma", "Émile", "Fleur",
		"Finn", "Gijs", "Hanna", "Isa", "Jan", "Julia", "Lars", "Lotte", "Mila", "Noah", "Olivia", "Pieter", "Sanne",
		"Sem", "Tess", "Thijs", "Zoë"}
	lastNames = []string{"de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "Mulder", "de Boer", "O'Brien",
		"Müller", "Dubois", "Smith", "Peeters", "Janssens"}
	// Many NL customers, so the query has plenty of groups.
	countries = []weighted{{"NL", 30}, {"DE", 15}, {"FR", 12}, {"BE", 12}, {"US", 12}, {"GB", 10}, {"nl", 3}}
	// Statuses that MySQL's case-insensitive, PAD SPACE collation takes
	// for equal and PostgreSQL does not.
	statuses = []weighted{{"paid", 25}, {"Paid", 8}, {"PAID", 4}, {"paid ", 4}, {"shipped", 20}, {"Shipped", 5},
		{"pending", 15}, {"cancelled", 10}, {"refunded", 9}}
	// The empty note is not NULL; "express " differs from "express".
	notes = []string{"gift", "Gift", "express", "express ", "", "call before delivery", "leave at door", "fragile: glass"}
)

// generateShopData returns the customers and orders rows, the same on
// every run.
func generateShopData() (customers, orders [][]any) {
	rng := rand.New(rand.NewPCG(2024, 6))
	customerEpoch := time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC)
	for id := 1; id <= customerCount; id++ {
		var email any
		switch n := rng.IntN(100); {
		case n < 15:
			email = nil
		case n < 25:
			email = fmt.Sprintf("Customer%d@Example.COM", id)
		default:
			email = fmt.Sprintf("customer%d@example.com", id)
		}
		customers = append(customers, []any{
			id,
			firstNames[rng.IntN(len(firstNames))] + " " + lastNames[rng.IntN(len(lastNames))],
			pick(rng, countries),
			email,
			testenv.Date(customerEpoch.AddDate(0, 0, rng.IntN(6*365))),
		})
	}
	orderEpoch := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)
	orderSpan := int(time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC).Sub(orderEpoch) / time.Second)
	for id := 1; id <= orderCount; id++ {
		customer := 1 + rng.IntN(lastOrderingCustomer)
		if rng.IntN(100) < 4 {
			customer = customerCount + 1 + rng.IntN(orphanCustomers)
		}
		cents := 50 + rng.IntN(99950)
		var note any
		if rng.IntN(2) == 0 {
			note = notes[rng.IntN(len(notes))]
		}
		created := orderEpoch.Add(time.Duration(rng.IntN(orderSpan)) * time.Second)
		// The due date derives from the order, so adding it left the
		// other columns' generated values as they were.
		var due any
		if id%10 != 0 {
			due = testenv.Date(created.AddDate(0, 0, id%45))
		}
		orders = append(orders, []any{
			id,
			customer,
			testenv.Decimal(fmt.Sprintf("%d.%02d", cents/100, cents%100)),
			pick(rng, statuses),
			created,
			note,
			due,
		})
	}
	return customers, orders
}
