// Package bench owns Junction's benchmark: TPC-H-style data split across a
// PostgreSQL source (customer, nation, region) and a MariaDB source
// (orders, lineitem), the same data in one PostgreSQL database for
// reference, and TPC-H-like queries timed on both. Each query reports
// Junction's time per run (ns/op), the reference PostgreSQL's
// (postgres_ns/op) and their ratio (x_vs_postgres), after checking that
// both return the same rows.
//
//	go test -run '^$' -bench . ./test/bench
//	JUNCTION_BENCH_SF=0.05 go test -run '^$' -bench . ./test/bench
//
// JUNCTION_BENCH_SF is the TPC-H scale factor (default 0.005, about 30,000
// lineitems; 1 is TPC-H's 6 million). Nothing is generated or loaded
// unless benchmarks are run.
package bench
