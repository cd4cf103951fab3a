package wire

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	_ "github.com/junction-db/junction/connectors/postgres" // the benchmark's source
	"github.com/junction-db/junction/test/testenv"
)

// BenchmarkWideScan streams every row of a lineitem-like table (16 columns:
// integers, numeric(15,2), character(1), date, varchar, text) to a client,
// once through Junction and once from PostgreSQL directly, in the same
// iteration, and reports Junction's time (ns/op), the direct time
// (direct_ns/op) and their ratio (x_vs_direct). "text" reads with the
// simple protocol as psql does, "binary" with pgx's extended protocol and
// binary results. The server runs in this process, so
//
//	go test -run '^$' -bench WideScan -cpuprofile cpu.out ./wire
//
// profiles the server's side of the scan; JUNCTION_WIDESCAN_ROWS sets the
// table's size (default 300,000 rows).
func BenchmarkWideScan(b *testing.B) {
	rows := 300_000
	if v := os.Getenv("JUNCTION_WIDESCAN_ROWS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			b.Fatalf("JUNCTION_WIDESCAN_ROWS=%q: want a positive number", v)
		}
		rows = n
	}
	dbname, load := testenv.NewPostgresDB(b, "widescan")
	ctx := context.Background()
	if _, err := load.Exec(ctx, wideTableDDL); err != nil {
		b.Fatal(err)
	}
	if _, err := load.Exec(ctx, wideTableLoad, rows); err != nil {
		b.Fatal(err)
	}
	if _, err := load.Exec(ctx, "VACUUM ANALYZE lineitem"); err != nil {
		b.Fatal(err)
	}
	addr := serveSource(b, dbname)
	direct := connect(b, testenv.PostgresURL(dbname))
	through := connect(b, testURL(addr))
	const query = "SELECT * FROM %s WHERE l_orderkey <= 2000000000"
	for _, mode := range []struct {
		name string
		exec pgx.QueryExecMode
	}{{"text", pgx.QueryExecModeSimpleProtocol}, {"binary", pgx.QueryExecModeCacheStatement}} {
		b.Run(mode.name, func(b *testing.B) {
			var directTime, junctionTime time.Duration
			for i := 0; i < b.N; i++ {
				d, n := timeScan(b, direct, fmt.Sprintf(query, "lineitem"), mode.exec)
				if n != rows {
					b.Fatalf("PostgreSQL returned %d rows, want %d", n, rows)
				}
				j, n := timeScan(b, through, fmt.Sprintf(query, "src.lineitem"), mode.exec)
				if n != rows {
					b.Fatalf("Junction returned %d rows, want %d", n, rows)
				}
				directTime += d
				junctionTime += j
			}
			b.ReportMetric(float64(junctionTime.Nanoseconds())/float64(b.N), "ns/op")
			b.ReportMetric(float64(directTime.Nanoseconds())/float64(b.N), "direct_ns/op")
			b.ReportMetric(float64(junctionTime)/float64(directTime), "x_vs_direct")
		})
	}
}

const wideTableDDL = `CREATE TABLE lineitem (
	l_orderkey bigint NOT NULL, l_partkey integer NOT NULL, l_suppkey integer NOT NULL, l_linenumber integer NOT NULL,
	l_quantity numeric(15,2) NOT NULL, l_extendedprice numeric(15,2) NOT NULL, l_discount numeric(15,2) NOT NULL,
	l_tax numeric(15,2) NOT NULL, l_returnflag character(1) NOT NULL, l_linestatus character(1) NOT NULL,
	l_shipdate date NOT NULL, l_commitdate date NOT NULL, l_receiptdate date, l_shipinstruct character varying(25) NOT NULL,
	l_shipmode character varying(10) NOT NULL, l_comment text,
	PRIMARY KEY (l_orderkey, l_linenumber))`

// wideTableLoad fills the table deterministically from generate_series,
// with TPC-H's value shapes and a NULL now and then.
const wideTableLoad = `INSERT INTO lineitem
SELECT i / 4 + 1, (i * 7919) % 20000 + 1, (i * 104729) % 1000 + 1, i % 4 + 1,
	(i % 50 + 1)::numeric(15,2), round(((i * 37) % 100000 + 90000) / 100.0, 2), ((i % 11) / 100.0)::numeric(15,2),
	((i % 9) / 100.0)::numeric(15,2), substr('RAN', (i % 3 + 1)::int, 1), substr('OF', (i % 2 + 1)::int, 1),
	date '1992-01-02' + (i % 2500)::int, date '1992-01-31' + (i % 2500)::int,
	CASE WHEN i % 97 = 0 THEN NULL ELSE date '1992-01-05' + (i % 2520)::int END,
	(ARRAY['DELIVER IN PERSON', 'COLLECT COD', 'NONE', 'TAKE BACK RETURN'])[i % 4 + 1],
	(ARRAY['TRUCK', 'MAIL', 'REG AIR', 'AIR', 'FOB', 'RAIL', 'SHIP'])[i % 7 + 1],
	CASE WHEN i % 89 = 0 THEN NULL ELSE 'carefully regular ' || md5(i::text) END
FROM generate_series(0::bigint, $1 - 1) AS i`

// timeScan runs query and reads every row's raw values, as a client that
// prints them would, returning the time taken and the row count.
func timeScan(b *testing.B, conn *pgx.Conn, query string, mode pgx.QueryExecMode) (time.Duration, int) {
	b.Helper()
	start := time.Now()
	rows, err := conn.Query(context.Background(), query, mode)
	if err != nil {
		b.Fatal(err)
	}
	n := 0
	for rows.Next() {
		_ = rows.RawValues()
		n++
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		b.Fatal(err)
	}
	return time.Since(start), n
}

// serveSource starts an in-process server with the PostgreSQL database
// dbname registered as the source src and returns its address.
func serveSource(b *testing.B, dbname string) string {
	b.Helper()
	addr := startServer(b, nil, Options{})
	createServer := fmt.Sprintf(`CREATE SERVER src FOREIGN DATA WRAPPER postgres OPTIONS (host '127.0.0.1', port '5432', dbname '%s', user 'root')`, dbname)
	if _, err := connect(b, testURL(addr)).Exec(context.Background(), createServer, pgx.QueryExecModeSimpleProtocol); err != nil {
		b.Fatal(err)
	}
	return addr
}
