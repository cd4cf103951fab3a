// Package bench owns Junction's TPC-H benchmark: a deterministic
// generator of TPC-H's eight tables at any scale factor, the loading of
// that data into the split Junction federates (lineitem, orders, partsupp
// and part in PostgreSQL; customer, supplier, nation and region in
// MariaDB), into a single PostgreSQL database (the reference), into an
// FDW peer (PostgreSQL with postgres_fdw and mysql_fdw over the split)
// and into the lake (lineitem and orders as Parquet files in a files
// source of a second Junction server, the rest as in the split), TPC-H's
// 22 queries and federation queries, and the run that checks and times
// them on every target. README.md ("Benchmark") documents the command and
// its JUNCTION_BENCH_* variables.
//
// TestTPCHAnswers is the correctness check CI runs at a small scale, over
// the split and over the lake; BenchmarkTPCH is the measurement.
package bench
