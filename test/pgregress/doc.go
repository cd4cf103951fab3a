// Package pgregress owns the runner that replays PostgreSQL's own
// regression queries (shared/pgregress beside the module: 2,927 read-only
// queries from PostgreSQL 15's regression scripts and the tables they
// read) through Junction and compares every answer with PostgreSQL's.
//
// The corpus's setup.sql is loaded once, with psql as its README says,
// into a fresh PostgreSQL database; that database is registered with
// Junction as the source regress, and sessions reach its tables by their
// unqualified names the way a user would, with search_path set in the
// connection's start-up options. Each query then runs on Junction and on
// the database itself, so the reference answers are computed live (two
// tables hold 'now' rows). Values compare in PostgreSQL's text format, in
// order or as a multiset as the corpus says; where PostgreSQL errs, an
// error of the same SQLSTATE class passes. A query whose answer SQL
// leaves to the implementation (the order among a window's peer rows) is
// reported apart when the answers differ, neither passed nor wrong.
//
// Several sessions run the queries in parallel. TestPostgresRegression
// writes the full report (per script, the errors grouped by message, every
// wrong result) to the file $JUNCTION_PGREGRESS_REPORT or, without it, a
// new file in the system's temporary directory, logs a summary, and fails
// on any wrong result, on any error other than 0A000 (a query may fail
// only by Junction refusing, as not supported, a construct it lacks) and
// when fewer queries pass than passFloor:
//
//	go test ./test/pgregress -count=1 -v
//	go test ./test/pgregress -count=1 -v -args -scripts numeric,strings
//
// -scripts runs only the named scripts, a quick look that does not
// require passFloor.
package pgregress
