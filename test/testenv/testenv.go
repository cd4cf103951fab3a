// Package testenv owns what the end-to-end tests and the benchmark share:
// reaching the PostgreSQL and MariaDB servers they run against, creating
// throw-away databases on them, building and running the junction binary,
// and comparing a result from Junction with PostgreSQL's own answer.
//
// Tests that need a server skip when it is unreachable, so that a machine
// with only Go can still run the rest; with CI=true in the environment a
// missing server fails the test instead, so CI cannot pass by skipping.
package testenv

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	// The MariaDB tests reach the server through database/sql.
	_ "github.com/go-sql-driver/mysql"
)

// Addresses of the servers the tests run against.
const (
	PostgresAddr = "127.0.0.1:5432"
	MariaDBAddr  = "127.0.0.1:3306"
)

// connectTimeout bounds every attempt to reach a test server, so a missing
// server costs seconds, not minutes.
const connectTimeout = 5 * time.Second

// Unavailable skips the test because something it needs is missing, or
// fails it when CI=true, where everything must be present.
func Unavailable(tb testing.TB, format string, args ...any) {
	tb.Helper()
	msg := fmt.Sprintf(format, args...)
	if os.Getenv("CI") == "true" {
		tb.Fatalf("%s (CI=true requires it)", msg)
	}
	tb.Skipf("%s (set CI=true to make this fatal)", msg)
}

// PostgresURL is the URL of database dbname on the test PostgreSQL server.
func PostgresURL(dbname string) string {
	return fmt.Sprintf("postgres://root@%s/%s?sslmode=disable&connect_timeout=%d", PostgresAddr, dbname, int(connectTimeout.Seconds()))
}

// MariaDBDSN is the go-sql-driver DSN of database dbname on the test
// MariaDB server.
func MariaDBDSN(dbname string) string {
	return fmt.Sprintf("root:@tcp(%s)/%s?timeout=%s&multiStatements=true", MariaDBAddr, dbname, connectTimeout)
}

// RequirePostgres returns a connection to the postgres database of the
// test PostgreSQL server, closed when the test ends; it skips the test when
// the server is unreachable.
func RequirePostgres(tb testing.TB) *pgx.Conn {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), connectTimeout)
	defer cancel()
	conn, err := pgx.Connect(ctx, PostgresURL("postgres"))
	if err == nil {
		err = conn.Ping(ctx)
	}
	if err != nil {
		Unavailable(tb, "PostgreSQL not reachable at %s: %v", PostgresAddr, err)
	}
	tb.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

// RequireMariaDB returns a connection pool to the test MariaDB server with
// no database selected, closed when the test ends; it skips the test when
// the server is unreachable.
func RequireMariaDB(tb testing.TB) *sql.DB {
	tb.Helper()
	db, err := openMariaDB("")
	if err != nil {
		Unavailable(tb, "MariaDB not reachable at %s: %v", MariaDBAddr, err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

func openMariaDB(dbname string) (*sql.DB, error) {
	db, err := sql.Open("mysql", MariaDBDSN(dbname))
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), connectTimeout)
	defer cancel()
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}
