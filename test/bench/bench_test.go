package bench

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/junction-db/junction/test/testenv"
)

func TestMain(m *testing.M) { testenv.Main(m) }

// defaultScaleFactor gives about 30,000 lineitems: a run of a few minutes
// on a small machine.
const defaultScaleFactor = 0.005

func scaleFactor(b *testing.B) float64 {
	b.Helper()
	v := os.Getenv("JUNCTION_BENCH_SF")
	if v == "" {
		return defaultScaleFactor
	}
	sf, err := strconv.ParseFloat(v, 64)
	if err != nil || sf <= 0 {
		b.Fatalf("JUNCTION_BENCH_SF=%q: want a positive number such as 0.01", v)
	}
	return sf
}

// tpchQueries are written with {table} placeholders: Junction reads
// customer, nation and region from the source tpch_pg and orders and
// lineitem from tpch_my; the reference database has them all in public.
var tpchQueries = []struct{ name, sql string }{
	{"Q1_lineitem_aggregate", `SELECT l_returnflag, l_linestatus, sum(l_quantity) AS sum_qty, sum(l_extendedprice) AS sum_base_price,
		sum(l_extendedprice * (1 - l_discount)) AS sum_disc_price, sum(l_extendedprice * (1 - l_discount) * (1 + l_tax)) AS sum_charge,
		avg(l_quantity) AS avg_qty, avg(l_extendedprice) AS avg_price, avg(l_discount) AS avg_disc, count(*) AS count_order
		FROM {lineitem}
		WHERE l_shipdate <= date '1998-12-01' - interval '90' day
		GROUP BY l_returnflag, l_linestatus
		ORDER BY l_returnflag, l_linestatus`},
	{"Q3_shipping_priority", `SELECT l.l_orderkey, sum(l.l_extendedprice * (1 - l.l_discount)) AS revenue, o.o_orderdate, o.o_shippriority
		FROM {customer} c JOIN {orders} o ON c.c_custkey = o.o_custkey JOIN {lineitem} l ON l.l_orderkey = o.o_orderkey
		WHERE c.c_mktsegment = 'BUILDING' AND o.o_orderdate < date '1995-03-15' AND l.l_shipdate > date '1995-03-15'
		GROUP BY l.l_orderkey, o.o_orderdate, o.o_shippriority
		ORDER BY revenue DESC, o.o_orderdate, l.l_orderkey
		LIMIT 10`},
	{"Q5_local_supplier_volume", `SELECT n.n_name, sum(l.l_extendedprice * (1 - l.l_discount)) AS revenue
		FROM {customer} c JOIN {orders} o ON c.c_custkey = o.o_custkey JOIN {lineitem} l ON l.l_orderkey = o.o_orderkey
		JOIN {nation} n ON c.c_nationkey = n.n_nationkey JOIN {region} r ON n.n_regionkey = r.r_regionkey
		WHERE r.r_name = 'ASIA' AND o.o_orderdate >= date '1994-01-01' AND o.o_orderdate < date '1994-01-01' + interval '1' year
		GROUP BY n.n_name
		ORDER BY revenue DESC, n.n_name`},
	{"Q10_returned_items", `SELECT c.c_custkey, c.c_name, sum(l.l_extendedprice * (1 - l.l_discount)) AS revenue, c.c_acctbal, n.n_name
		FROM {customer} c JOIN {orders} o ON c.c_custkey = o.o_custkey JOIN {lineitem} l ON l.l_orderkey = o.o_orderkey
		JOIN {nation} n ON c.c_nationkey = n.n_nationkey
		WHERE o.o_orderdate >= date '1993-10-01' AND o.o_orderdate < date '1993-10-01' + interval '3' month AND l.l_returnflag = 'R'
		GROUP BY c.c_custkey, c.c_name, c.c_acctbal, n.n_name
		ORDER BY revenue DESC, c.c_custkey
		LIMIT 20`},
}

// Source names in Junction.
const (
	postgresSource = "tpch_pg"
	mariadbSource  = "tpch_my"
)

type federation struct {
	junction, reference *pgx.Conn
	junctionTables      *strings.Replacer
	referenceTables     *strings.Replacer
}

// setUp generates the data at the configured scale, loads it into the two
// sources and the reference database, and registers the sources with a
// fresh Junction server.
func setUp(b *testing.B) *federation {
	b.Helper()
	testenv.RequirePostgres(b)
	testenv.RequireMariaDB(b)
	ctx := context.Background()
	sf := scaleFactor(b)
	start := time.Now()
	tables := generateTPCH(sf)

	pgName, pgConn := testenv.NewPostgresDB(b, "tpch_pg")
	myName, myDB := testenv.NewMariaDB(b, "tpch_my")
	_, refConn := testenv.NewReferenceDB(b, "tpch_ref")
	pgExec, myExec, refExec := testenv.PostgresExec(pgConn), testenv.MariaDBExec(myDB), testenv.PostgresExec(refConn)

	var junctionNames, referenceNames []string
	lineitems := 0
	for _, t := range tables {
		source, sourceExec, sourceDDL := postgresSource, pgExec, t.ddl
		if t.mysqlDDL != "" {
			source, sourceExec, sourceDDL = mariadbSource, myExec, t.mysqlDDL
		}
		for _, load := range []struct {
			exec testenv.Exec
			ddl  string
		}{{sourceExec, sourceDDL}, {refExec, t.ddl}} {
			if err := load.exec(ctx, load.ddl); err != nil {
				b.Fatalf("create %s: %v", t.name, err)
			}
			if err := testenv.LoadRows(ctx, load.exec, t.name, t.columns, t.rows); err != nil {
				b.Fatal(err)
			}
		}
		junctionNames = append(junctionNames, "{"+t.name+"}", source+"."+t.name)
		referenceNames = append(referenceNames, "{"+t.name+"}", t.name)
		if t.name == "lineitem" {
			lineitems = len(t.rows)
		}
	}
	// Fresh statistics, so both planners see the tables as loaded.
	for _, conn := range []*pgx.Conn{pgConn, refConn} {
		if _, err := conn.Exec(ctx, "ANALYZE"); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := myDB.ExecContext(ctx, "ANALYZE TABLE orders, lineitem"); err != nil {
		b.Fatal(err)
	}

	srv := testenv.StartServer(b)
	junction := srv.Connect(b)
	for _, stmt := range []string{
		fmt.Sprintf(`CREATE SERVER %s FOREIGN DATA WRAPPER postgres OPTIONS (host '127.0.0.1', port '5432', dbname '%s', user 'root')`, postgresSource, pgName),
		fmt.Sprintf(`CREATE SERVER %s FOREIGN DATA WRAPPER mysql OPTIONS (host '127.0.0.1', port '3306', dbname '%s', user 'root', password '')`, mariadbSource, myName),
	} {
		if _, err := junction.Exec(ctx, stmt); err != nil {
			b.Fatalf("%s: %s", stmt, testenv.DescribeError(err))
		}
	}
	b.Logf("scale factor %g: %d lineitems generated and loaded in %s", sf, lineitems, time.Since(start).Round(time.Millisecond))
	return &federation{
		junction:        junction,
		reference:       refConn,
		junctionTables:  strings.NewReplacer(junctionNames...),
		referenceTables: strings.NewReplacer(referenceNames...),
	}
}

func BenchmarkTPCH(b *testing.B) {
	f := setUp(b)
	for _, q := range tpchQueries {
		junctionSQL, referenceSQL := f.junctionTables.Replace(q.sql), f.referenceTables.Replace(q.sql)
		b.Run(q.name, func(b *testing.B) {
			// A fast wrong answer is no result: check before timing.
			testenv.Compare(b, f.junction, f.reference, junctionSQL, referenceSQL, true)
			if b.Failed() {
				return
			}
			var referenceTime time.Duration
			b.ResetTimer()
			for range b.N {
				run(b, f.junction, junctionSQL)
				b.StopTimer()
				start := time.Now()
				run(b, f.reference, referenceSQL)
				referenceTime += time.Since(start)
				b.StartTimer()
			}
			b.StopTimer()
			junctionPerOp := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
			referencePerOp := float64(referenceTime.Nanoseconds()) / float64(b.N)
			b.ReportMetric(referencePerOp, "postgres_ns/op")
			b.ReportMetric(junctionPerOp/referencePerOp, "x_vs_postgres")
		})
	}
}

// run executes a query and reads all of its rows, as a client would.
func run(b *testing.B, conn *pgx.Conn, sql string) {
	b.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), testenv.CompareTimeout)
	defer cancel()
	if _, err := testenv.QueryText(ctx, conn, sql); err != nil {
		b.Fatalf("%s\n%s", sql, testenv.DescribeError(err))
	}
}
