package e2e

import (
	"context"
	"regexp"
	"slices"
	"strconv"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/junction-db/junction/test/testenv"
)

// demoURL is the connection URL demo prints on stdout.
var demoURL = regexp.MustCompile(`psql '(postgres://[^']+)'`)

func startDemo(t *testing.T) *testenv.Server {
	t.Helper()
	return testenv.StartServer(t, "demo")
}

func TestDemoCrossSourceJoin(t *testing.T) {
	srv := startDemo(t)
	url := srv.WaitForOutput(t, demoURL)
	conn := testenv.ConnectURL(t, url)

	joined := query(t, conn, `SELECT count(*), sum(o.amount) FROM demo_crm.customers c JOIN demo_shop.orders o ON o.customer_id = c.id`)
	joinCount, joinSum := joined.Rows[0][0].Text, joined.Rows[0][1].Text
	if joinCount == "0" {
		t.Fatal("the join of demo_crm.customers and demo_shop.orders returned no rows")
	}

	// The same join computed here from each table read alone.
	customers := map[string]bool{}
	for _, id := range column(query(t, conn, `SELECT id FROM demo_crm.customers`), 0) {
		customers[id] = true
	}
	orders := query(t, conn, `SELECT customer_id, amount FROM demo_shop.orders`)
	count, sum := 0, decimal.Zero
	for _, row := range orders.Rows {
		if !customers[row[0].Text] {
			continue
		}
		amount, err := decimal.NewFromString(row[1].Text)
		if err != nil {
			t.Fatalf("demo_shop.orders.amount %q is not a number: %v", row[1].Text, err)
		}
		count++
		sum = sum.Add(amount)
	}
	if joinCount != strconv.Itoa(count) {
		t.Errorf("join count = %s, but the tables read alone give %d", joinCount, count)
	}
	if got, err := decimal.NewFromString(joinSum); err != nil || !got.Equal(sum) {
		t.Errorf("join sum(amount) = %s, but the tables read alone give %s", joinSum, sum)
	}

	rows := query(t, conn, `SELECT c.name, o.id, o.amount FROM demo_crm.customers c JOIN demo_shop.orders o ON o.customer_id = c.id ORDER BY o.id LIMIT 5`)
	if len(rows.Rows) != 5 {
		t.Errorf("join with LIMIT 5 returned %d rows", len(rows.Rows))
	}

	// psql's \dn.
	schemas := column(query(t, conn, `SELECT n.nspname AS "Name",
  pg_catalog.pg_get_userbyid(n.nspowner) AS "Owner"
FROM pg_catalog.pg_namespace n
WHERE n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
ORDER BY 1`), 0)
	for _, want := range []string{"demo_crm", "demo_shop"} {
		if !slices.Contains(schemas, want) {
			t.Errorf(`\dn lists %q, want it to include %q`, schemas, want)
		}
	}
}

func TestDemoRequiresPassword(t *testing.T) {
	srv := startDemo(t)
	srv.WaitForOutput(t, demoURL)
	ctx, cancel := context.WithTimeout(context.Background(), queryTimeout)
	defer cancel()
	conn, err := pgx.Connect(ctx, srv.URL(testenv.DemoUser, "wrong"))
	if err == nil {
		conn.Close(ctx)
		t.Fatal("demo accepted a wrong password")
	}
	if code := sqlstate(err); code != "28P01" {
		t.Errorf("wrong password: got %s, want SQLSTATE 28P01", testenv.DescribeError(err))
	}
}

// TestDemoJoinsSQLiteParquetAndCSV joins the demo's SQLite orders with its
// Parquet shipments and CSV carriers, and checks the answer against the
// three tables read alone.
func TestDemoJoinsSQLiteParquetAndCSV(t *testing.T) {
	srv := startDemo(t)
	conn := testenv.ConnectURL(t, srv.WaitForOutput(t, demoURL))

	joined := query(t, conn, `SELECT k.country, count(*), sum(o.amount)
		FROM demo_shop.orders o
		JOIN demo_lake.shipments s ON s.order_id = o.id
		JOIN demo_lake.carriers k ON k.code = s.carrier
		WHERE o.status IN ('shipped', 'delivered')
		GROUP BY k.country ORDER BY k.country`)
	if len(joined.Rows) == 0 {
		t.Fatal("the join of SQLite, Parquet and CSV returned no rows")
	}

	countryOf := map[string]string{}
	for _, row := range query(t, conn, `SELECT code, country FROM demo_lake.carriers`).Rows {
		countryOf[row[0].Text] = row[1].Text
	}
	carrierOf := map[string]string{}
	for _, row := range query(t, conn, `SELECT order_id, carrier FROM demo_lake.shipments`).Rows {
		carrierOf[row[0].Text] = row[1].Text
	}
	counts, sums := map[string]int{}, map[string]decimal.Decimal{}
	for _, row := range query(t, conn, `SELECT id, amount FROM demo_shop.orders WHERE status IN ('shipped', 'delivered')`).Rows {
		country, ok := countryOf[carrierOf[row[0].Text]]
		if !ok {
			continue
		}
		counts[country]++
		sums[country] = sums[country].Add(decimal.RequireFromString(row[1].Text))
	}
	if len(joined.Rows) != len(counts) {
		t.Fatalf("join gives %d countries, the tables read alone %d", len(joined.Rows), len(counts))
	}
	for _, row := range joined.Rows {
		country := row[0].Text
		if row[1].Text != strconv.Itoa(counts[country]) || !decimal.RequireFromString(row[2].Text).Equal(sums[country]) {
			t.Errorf("%s: join gives %s orders worth %s, the tables read alone %d worth %s", country, row[1].Text, row[2].Text, counts[country], sums[country])
		}
	}
}
