// Package clients owns the tests that drive Junction with the client
// libraries people connect with: pgjdbc, psycopg2, psycopg 3, SQLAlchemy
// and node-postgres. Each client runs a small program of its own language
// (in testdata) against a Junction server whose PostgreSQL source holds
// tables with primary keys, foreign keys, indexes, comments and a view;
// the program checks what the client reports and prints one line per
// check, which the Go test turns into a subtest.
//
// A client that is not installed skips its test with a message saying
// what to install; with CI=true it fails instead. .ci/run installs them
// all.
package clients
