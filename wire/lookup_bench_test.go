package wire

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/junction-db/junction/test/testenv"
)

// BenchmarkPointLookup runs primary-key lookups from 8 clients, through an
// in-process Junction and from PostgreSQL directly, and reports Junction's
// time per lookup (ns/op), the direct time (direct_ns/op) and their ratio
// (x_vs_direct): with the simple protocol, with the extended protocol and
// an unnamed statement per query (as pgbench -M extended), and with
// prepared statements:
//
//	go test -run '^$' -bench PointLookup -cpuprofile cpu.out ./wire
//
// test/bench/pgbench measures the same with pgbench against the binary.
func BenchmarkPointLookup(b *testing.B) {
	dbname, load := testenv.NewPostgresDB(b, "lookup")
	ctx := context.Background()
	for _, sql := range []string{
		`CREATE TABLE orders (o_orderkey integer PRIMARY KEY, o_custkey integer NOT NULL, o_totalprice numeric(15,2) NOT NULL,
			o_orderdate date NOT NULL, o_clerk character varying(15) NOT NULL, o_comment character varying(79) NOT NULL)`,
		`INSERT INTO orders SELECT i, i % 15000 + 1, round((i * 7919 % 50000000) / 100.0, 2), date '1992-01-01' + i % 2400,
			'Clerk#' || lpad((i % 1000)::text, 9, '0'), md5(i::text) FROM generate_series(1, 100000) AS i`,
		"VACUUM ANALYZE orders",
	} {
		if _, err := load.Exec(ctx, sql); err != nil {
			b.Fatal(err)
		}
	}
	addr := serveSource(b, dbname)
	const clients = 8
	direct := make([]*pgx.Conn, clients)
	through := make([]*pgx.Conn, clients)
	for i := range clients {
		direct[i] = connect(b, testenv.PostgresURL(dbname))
		through[i] = connect(b, testURL(addr))
	}
	const query = "SELECT * FROM %s WHERE o_orderkey = $1"
	for _, mode := range []struct {
		name string
		exec pgx.QueryExecMode
	}{{"simple", pgx.QueryExecModeSimpleProtocol}, {"extended", pgx.QueryExecModeExec}, {"prepared", pgx.QueryExecModeCacheStatement}} {
		b.Run(mode.name, func(b *testing.B) {
			// Rounds alternate between the targets, so that both see the
			// same load from whatever else runs on the machine.
			const rounds = 10
			var d, j time.Duration
			for round := range rounds {
				n := b.N/rounds + min(1, max(0, b.N%rounds-round))
				d += lookups(b, direct, fmt.Sprintf(query, "orders"), mode.exec, n)
				j += lookups(b, through, fmt.Sprintf(query, "src.orders"), mode.exec, n)
			}
			b.ReportMetric(float64(j.Nanoseconds())/float64(b.N), "ns/op")
			b.ReportMetric(float64(d.Nanoseconds())/float64(b.N), "direct_ns/op")
			b.ReportMetric(float64(j)/float64(d), "x_vs_direct")
		})
	}
}

// lookups runs count lookups spread over conns and returns the time taken.
func lookups(b *testing.B, conns []*pgx.Conn, query string, mode pgx.QueryExecMode, count int) time.Duration {
	b.Helper()
	var wg sync.WaitGroup
	errs := make(chan error, len(conns))
	start := time.Now()
	for i, conn := range conns {
		n := count / len(conns)
		if i < count%len(conns) {
			n++
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(i), uint64(n)))
			for range n {
				id := r.IntN(100000) + 1
				var rows pgx.Rows
				var err error
				if mode == pgx.QueryExecModeSimpleProtocol {
					// The key as a plain number in the text, as pgbench
					// writes it (pgx would send a quoted string).
					rows, err = conn.Query(context.Background(), strings.Replace(query, "$1", strconv.Itoa(id), 1), mode)
				} else {
					// Results in text, as libpq (and so pgbench) asks for them.
					rows, err = conn.Query(context.Background(), query, mode, pgx.QueryResultFormats{pgx.TextFormatCode}, id)
				}
				if err != nil {
					errs <- err
					return
				}
				for rows.Next() {
				}
				if rows.Err() != nil {
					errs <- rows.Err()
					return
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	close(errs)
	for err := range errs {
		b.Fatal(err)
	}
	return elapsed
}
