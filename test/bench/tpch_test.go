package bench

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/junction-db/junction/test/testenv"
)

// tpchTable is one generated table. Tables with a mysqlDDL live in the
// MariaDB source, the others in the PostgreSQL source; ddl creates each in
// PostgreSQL.
type tpchTable struct {
	name     string
	ddl      string
	mysqlDDL string
	columns  []string
	rows     [][]any
}

var regions = []string{"AFRICA", "AMERICA", "ASIA", "EUROPE", "MIDDLE EAST"}

// nations are TPC-H's, with their region keys.
var nations = []struct {
	name   string
	region int
}{
	{"ALGERIA", 0}, {"ARGENTINA", 1}, {"BRAZIL", 1}, {"CANADA", 1}, {"EGYPT", 4}, {"ETHIOPIA", 0}, {"FRANCE", 3},
	{"GERMANY", 3}, {"INDIA", 2}, {"INDONESIA", 2}, {"IRAN", 4}, {"IRAQ", 4}, {"JAPAN", 2}, {"JORDAN", 4},
	{"KENYA", 0}, {"MOROCCO", 0}, {"MOZAMBIQUE", 0}, {"PERU", 1}, {"CHINA", 2}, {"ROMANIA", 3}, {"SAUDI ARABIA", 4},
	{"VIETNAM", 2}, {"RUSSIA", 3}, {"UNITED KINGDOM", 3}, {"UNITED STATES", 1},
}

var (
	segments   = []string{"AUTOMOBILE", "BUILDING", "FURNITURE", "HOUSEHOLD", "MACHINERY"}
	priorities = []string{"1-URGENT", "2-HIGH", "3-MEDIUM", "4-NOT SPECIFIED", "5-LOW"}
	shipModes  = []string{"AIR", "FOB", "MAIL", "RAIL", "REG AIR", "SHIP", "TRUCK"}
)

// TPC-H's row counts at scale factor 1.
const (
	customersPerSF = 150_000
	ordersPerSF    = 1_500_000
)

var (
	firstOrderDate = time.Date(1992, 1, 1, 0, 0, 0, 0, time.UTC)
	lastOrderDate  = time.Date(1998, 8, 2, 0, 0, 0, 0, time.UTC)
	// currentDate decides, as in TPC-H, which lines are returned or open.
	currentDate = time.Date(1995, 6, 17, 0, 0, 0, 0, time.UTC)
)

func cents(c int) testenv.Decimal {
	sign := ""
	if c < 0 {
		sign, c = "-", -c
	}
	return testenv.Decimal(fmt.Sprintf("%s%d.%02d", sign, c/100, c%100))
}

// generateTPCH returns TPC-H-style tables at scale factor sf, the same on
// every run: the distributions TPC-H's queries depend on are kept, the
// text columns they do not read are short.
func generateTPCH(sf float64) []tpchTable {
	rng := rand.New(rand.NewPCG(19920101, uint64(sf*1e6)))
	region := tpchTable{name: "region", columns: []string{"r_regionkey", "r_name"},
		ddl: `CREATE TABLE region (r_regionkey int PRIMARY KEY, r_name char(25) NOT NULL)`}
	for i, r := range regions {
		region.rows = append(region.rows, []any{i, r})
	}
	nation := tpchTable{name: "nation", columns: []string{"n_nationkey", "n_name", "n_regionkey"},
		ddl: `CREATE TABLE nation (n_nationkey int PRIMARY KEY, n_name char(25) NOT NULL, n_regionkey int NOT NULL)`}
	for i, n := range nations {
		nation.rows = append(nation.rows, []any{i, n.name, n.region})
	}

	customers := max(1, int(sf*customersPerSF))
	customer := tpchTable{name: "customer",
		columns: []string{"c_custkey", "c_name", "c_nationkey", "c_phone", "c_acctbal", "c_mktsegment"},
		ddl: `CREATE TABLE customer (c_custkey int PRIMARY KEY, c_name varchar(25) NOT NULL, c_nationkey int NOT NULL,
			c_phone char(15) NOT NULL, c_acctbal numeric(15,2) NOT NULL, c_mktsegment char(10) NOT NULL)`}
	for key := 1; key <= customers; key++ {
		nationKey := rng.IntN(len(nations))
		customer.rows = append(customer.rows, []any{key, fmt.Sprintf("Customer#%09d", key), nationKey,
			fmt.Sprintf("%02d-%03d-%03d-%04d", 10+nationKey, rng.IntN(1000), rng.IntN(1000), rng.IntN(10000)),
			cents(rng.IntN(1_099_999) - 99_999), segments[rng.IntN(len(segments))]})
	}

	orders := tpchTable{name: "orders",
		columns: []string{"o_orderkey", "o_custkey", "o_orderstatus", "o_totalprice", "o_orderdate", "o_orderpriority", "o_shippriority"}}
	orders.ddl = `CREATE TABLE orders (o_orderkey int PRIMARY KEY, o_custkey int NOT NULL, o_orderstatus char(1) NOT NULL,
		o_totalprice numeric(15,2) NOT NULL, o_orderdate date NOT NULL, o_orderpriority char(15) NOT NULL, o_shippriority int NOT NULL)`
	orders.mysqlDDL = `CREATE TABLE orders (o_orderkey int PRIMARY KEY, o_custkey int NOT NULL, o_orderstatus char(1) NOT NULL,
		o_totalprice decimal(15,2) NOT NULL, o_orderdate date NOT NULL, o_orderpriority char(15) NOT NULL, o_shippriority int NOT NULL)`
	lineitem := tpchTable{name: "lineitem",
		columns: []string{"l_orderkey", "l_linenumber", "l_quantity", "l_extendedprice", "l_discount", "l_tax",
			"l_returnflag", "l_linestatus", "l_shipdate", "l_commitdate", "l_receiptdate", "l_shipmode"}}
	lineitem.ddl = `CREATE TABLE lineitem (l_orderkey int NOT NULL, l_linenumber int NOT NULL, l_quantity numeric(15,2) NOT NULL,
		l_extendedprice numeric(15,2) NOT NULL, l_discount numeric(15,2) NOT NULL, l_tax numeric(15,2) NOT NULL,
		l_returnflag char(1) NOT NULL, l_linestatus char(1) NOT NULL, l_shipdate date NOT NULL, l_commitdate date NOT NULL,
		l_receiptdate date NOT NULL, l_shipmode char(10) NOT NULL, PRIMARY KEY (l_orderkey, l_linenumber))`
	lineitem.mysqlDDL = `CREATE TABLE lineitem (l_orderkey int NOT NULL, l_linenumber int NOT NULL, l_quantity decimal(15,2) NOT NULL,
		l_extendedprice decimal(15,2) NOT NULL, l_discount decimal(15,2) NOT NULL, l_tax decimal(15,2) NOT NULL,
		l_returnflag char(1) NOT NULL, l_linestatus char(1) NOT NULL, l_shipdate date NOT NULL, l_commitdate date NOT NULL,
		l_receiptdate date NOT NULL, l_shipmode char(10) NOT NULL, PRIMARY KEY (l_orderkey, l_linenumber))`

	orderDays := int(lastOrderDate.Sub(firstOrderDate).Hours() / 24)
	for key := 1; key <= max(1, int(sf*ordersPerSF)); key++ {
		orderDate := firstOrderDate.AddDate(0, 0, rng.IntN(orderDays+1))
		total, open, lines := 0, 0, 1+rng.IntN(7)
		for line := 1; line <= lines; line++ {
			quantity := 1 + rng.IntN(50)
			price := quantity * (90_000 + rng.IntN(110_000)) / 100
			discount, tax := rng.IntN(11), rng.IntN(9)
			ship := orderDate.AddDate(0, 0, 1+rng.IntN(121))
			receipt := ship.AddDate(0, 0, 1+rng.IntN(30))
			returnFlag, lineStatus := "N", "O"
			if !receipt.After(currentDate) {
				returnFlag = []string{"R", "A"}[rng.IntN(2)]
			}
			if !ship.After(currentDate) {
				lineStatus = "F"
			} else {
				open++
			}
			total += price * (100 - discount) * (100 + tax) / 10_000
			lineitem.rows = append(lineitem.rows, []any{key, line, testenv.Decimal(fmt.Sprint(quantity)), cents(price),
				cents(discount), cents(tax), returnFlag, lineStatus, testenv.Date(ship),
				testenv.Date(orderDate.AddDate(0, 0, 30+rng.IntN(61))), testenv.Date(receipt), shipModes[rng.IntN(len(shipModes))]})
		}
		status := "P"
		switch open {
		case 0:
			status = "F"
		case lines:
			status = "O"
		}
		orders.rows = append(orders.rows, []any{key, 1 + rng.IntN(customers), status, cents(total),
			testenv.Date(orderDate), priorities[rng.IntN(len(priorities))], 0})
	}
	return []tpchTable{region, nation, customer, orders, lineitem}
}
