package bench

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/junction-db/junction/test/testenv"
)

// matviewQuery is the cross-source join of F7 (orders in PostgreSQL,
// customer in MariaDB) grouped by market segment.
const matviewQuery = `SELECT c_mktsegment, count(*), sum(o_totalprice)
FROM %s JOIN %s ON c_custkey = o_custkey
GROUP BY c_mktsegment
ORDER BY c_mktsegment`

// BenchmarkMatView times, side by side in one run, the cross-source join
// read live from both sources and read from materialized views: one that
// copies the join (the grouping then runs in the copy's DuckDB) and one
// that stores the grouped answer. It reports the median of
// JUNCTION_BENCH_RUNS runs of each and the time of a refresh:
//
//	JUNCTION_BENCH_SF=0.1 go test -run '^$' -bench MatView -benchtime 1x ./test/bench
func BenchmarkMatView(b *testing.B) {
	cfg, err := loadConfig()
	if err != nil {
		b.Fatal(err)
	}
	d := loadDatabases(b, cfg.sf, extras{})
	ctx := context.Background()
	junction := &target{name: junctionTarget, url: d.junction.URL(testenv.DemoUser, testenv.DemoPassword)}
	if err := junction.connect(ctx); err != nil {
		b.Fatal(err)
	}
	defer junction.close()
	exec := func(sql string) time.Duration {
		start := time.Now()
		if _, err := junction.conn.Exec(ctx, sql); err != nil {
			b.Fatalf("%s: %s", sql, testenv.DescribeError(err))
		}
		return time.Since(start)
	}
	exec(`CREATE MATERIALIZED VIEW order_customers AS
SELECT o_orderkey, o_totalprice, c_custkey, c_mktsegment FROM ` + postgresSource + `.orders JOIN ` + mariadbSource + `.customer ON c_custkey = o_custkey`)
	exec(`CREATE MATERIALIZED VIEW segment_totals AS ` + fmt.Sprintf(matviewQuery, postgresSource+".orders", mariadbSource+".customer"))

	variants := []struct{ name, sql string }{
		{"live", fmt.Sprintf(matviewQuery, postgresSource+".orders", mariadbSource+".customer")},
		// The join copy's rows grouped in its DuckDB.
		{"join copy", `SELECT c_mktsegment, count(*), sum(o_totalprice) FROM order_customers GROUP BY c_mktsegment ORDER BY c_mktsegment`},
		{"answer copy", "SELECT * FROM segment_totals ORDER BY c_mktsegment"},
	}
	var want fingerprint
	for i, v := range variants {
		var got fingerprint
		cols, err := junction.run(ctx, v.sql, got.add)
		if err != nil {
			b.Fatalf("%s: %s", v.name, testenv.DescribeError(err))
		}
		got.columns = fmt.Sprint(cols)
		if i == 0 {
			want = got
		} else if !got.same(want, true) {
			b.Fatalf("%s answers differently from the live join", v.name)
		}
	}
	times := make([][]float64, len(variants))
	var refresh []float64
	b.ResetTimer()
	for range b.N {
		for range cfg.runs {
			for i, v := range variants {
				start := time.Now()
				if _, err := junction.run(ctx, v.sql, func([][]byte) {}); err != nil {
					b.Fatal(err)
				}
				times[i] = append(times[i], float64(time.Since(start).Microseconds())/1000)
			}
			refresh = append(refresh, float64(exec("REFRESH MATERIALIZED VIEW order_customers").Microseconds())/1000)
		}
	}
	b.StopTimer()
	live := median(times[0])
	fmt.Printf("scale factor %g, median of %d runs:\n", cfg.sf, len(times[0]))
	for i, v := range variants {
		m := median(times[i])
		fmt.Printf("  %-12s %9.2f ms  %6.1fx faster than live\n", v.name, m, live/m)
		b.ReportMetric(m, "ms_"+map[int]string{0: "live", 1: "join_copy", 2: "answer_copy"}[i])
	}
	fmt.Printf("  refresh of the join copy %9.2f ms\n", median(refresh))
	b.ReportMetric(median(refresh), "ms_refresh")
}
