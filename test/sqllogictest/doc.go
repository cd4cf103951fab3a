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
// (fails under CI=true). TestSQLLogic runs every script in full with both
// kinds of source and requires every query to pass, since every query
// PostgreSQL passes, Junction must pass. The summary (per script and
// source, then the failures grouped by cause with examples) is test log
// output, so -v shows it:
//
//	go test ./test/sqllogictest -run TestSQLLogic -v -timeout 30m
//	go test ./test/sqllogictest -run TestSQLLogic/select1 -v -args -queries 300
//
// -queries N and -budget D bound a run for a quick look; such a run
// reports without requiring anything.
package sqllogictest
