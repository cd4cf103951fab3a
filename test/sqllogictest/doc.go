// Package sqllogictest owns the runner that measures Junction's SQL
// correctness against the public sqllogictest corpus (SQLite's scripts,
// filtered to the records PostgreSQL 15 passes): the parser of the record
// format, the rendering and comparison of results the way sqllogictest
// prints them, and the execution of every script through Junction with its
// tables in a PostgreSQL source and, separately, in a MariaDB source.
//
// Junction is read-only, so a script's data and schema statements (CREATE
// TABLE, CREATE INDEX, INSERT, DELETE, DROP TABLE) run directly on the
// source database; Junction then re-discovers the source's tables. The
// scripts' CREATE VIEW and DROP VIEW statements run in Junction, so its
// views are exercised too, and every query runs through Junction over the
// PostgreSQL wire protocol with the simple query protocol, whose results
// arrive as text.
//
// The corpus is found as shared/sqllogictest in the module root or one of
// its parents. Without it, or without the database servers, the test skips
// (fails under CI=true). By default TestSQLLogic runs a bounded sample of
// each script and requires at least the number of passing queries Junction
// achieved when the floors were last raised. The summary (per script and
// source, then the failures grouped by cause with examples) is test log
// output, so -v shows it:
//
//	go test ./test/sqllogictest -run TestSQLLogic -v                 # the sample
//	go test ./test/sqllogictest -run TestSQLLogic -v -timeout 2h -args -full
//	go test ./test/sqllogictest -run TestSQLLogic/select1 -v -args -queries 300
//
// JUNCTION_SLT_FULL=1 is the same as -full; -budget 10m bounds each script's
// run with each source, counting what is left as not run.
package sqllogictest
