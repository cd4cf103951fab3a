// Package remotetest owns what the tests of the SQL-server connectors share:
// scratch databases on the local PostgreSQL and MariaDB servers, the rule
// that a missing server skips a test except in CI, reading a connector's
// result as text, and discovering a source with its statistics.
package remotetest

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"testing"

	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5"

	"github.com/junction-db/junction/connectors"
	"github.com/junction-db/junction/types"
)

// The servers the tests use.
const (
	PostgresAddr = "127.0.0.1:5432" // user root, trust authentication
	MySQLAddr    = "127.0.0.1:3306" // user root, empty password
)

// Unavailable ends a test that cannot reach a server it needs: a skip on a
// developer machine, a failure in CI (CI=true), where the servers must be
// there.
func Unavailable(t testing.TB, server string, err error) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s is required when CI=true: %v", server, err)
	}
	t.Skipf("%s is not reachable, skipping: %v", server, err)
}

func databaseName() string {
	return fmt.Sprintf("junction_test_%08x", rand.Uint32())
}

// PostgresDB creates a database on the PostgreSQL server, runs setup in it
// and drops it when the test ends. It returns the database's name.
func PostgresDB(t testing.TB, setup ...string) string {
	t.Helper()
	ctx := context.Background()
	const admin = "host=127.0.0.1 port=5432 user=root dbname=test sslmode=disable connect_timeout=3"
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		Unavailable(t, "PostgreSQL at "+PostgresAddr, err)
	}
	name := databaseName()
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		conn.Close(ctx)
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("dropping %s: %v", name, err)
		}
		conn.Close(ctx)
	})
	db, err := pgx.Connect(ctx, strings.Replace(admin, "dbname=test", "dbname="+name, 1))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close(ctx)
	for _, stmt := range setup {
		if _, err := db.Exec(ctx, stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	return name
}

// MySQLDB creates a utf8mb4 database on the MariaDB (or MySQL) server, runs
// setup in it on one connection and drops it when the test ends. It
// returns the database's name.
func MySQLDB(t testing.TB, setup ...string) string {
	t.Helper()
	ctx := context.Background()
	cfg := mysql.NewConfig()
	cfg.User, cfg.Net, cfg.Addr = "root", "tcp", MySQLAddr
	connector, err := mysql.NewConnector(cfg)
	if err != nil {
		t.Fatal(err)
	}
	db := sql.OpenDB(connector)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		Unavailable(t, "MariaDB at "+MySQLAddr, err)
	}
	name := databaseName()
	if _, err := db.ExecContext(ctx, "CREATE DATABASE "+name+" CHARACTER SET utf8mb4"); err != nil {
		db.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if _, err := db.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name); err != nil {
			t.Errorf("dropping %s: %v", name, err)
		}
		db.Close()
	})
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	for _, stmt := range append([]string{"USE " + name, "SET NAMES utf8mb4"}, setup...) {
		if _, err := conn.ExecContext(ctx, stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	return name
}

// DiscoverWithStats discovers c's tables and reads their statistics, as
// the engine does when a source is registered.
func DiscoverWithStats(t testing.TB, c connectors.Connector) []connectors.Table {
	t.Helper()
	d, err := c.Discover(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	sr, ok := c.(connectors.StatsReader)
	if !ok {
		t.Fatalf("%T reads no statistics", c)
	}
	if err := sr.ReadStats(context.Background(), d.Tables); err != nil {
		t.Fatal(err)
	}
	return d.Tables
}

// QueryText runs sql on c and returns every row as the text PostgreSQL
// prints for the decoded values, "NULL" for NULL.
func QueryText(t testing.TB, c connectors.Connector, sql string, cols ...types.Type) [][]string {
	t.Helper()
	out, err := TryQueryText(c, sql, cols...)
	if err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return out
}

// TryQueryText is QueryText returning the error.
func TryQueryText(c connectors.Connector, sql string, cols ...types.Type) ([][]string, error) {
	rows, err := c.Query(context.Background(), sql, cols)
	if err != nil {
		return nil, err
	}
	return ReadText(rows)
}

// ReadText reads all of rows as text, NULL for NULL, and closes rows.
func ReadText(rows connectors.Rows) ([][]string, error) {
	defer rows.Close()
	var out [][]string
	for {
		b, err := rows.Next()
		if err != nil || b == nil {
			return out, err
		}
		for i := 0; i < b.Len; i++ {
			row := make([]string, len(b.Cols))
			for c, col := range b.Cols {
				row[c] = "NULL"
				if d := col.Datum(i); !d.Null {
					row[c] = types.FormatText(col.Type, d)
				}
			}
			out = append(out, row)
		}
	}
}

// BatchSizes drains rows of one integer column and returns the size of
// each batch and the sum of the values, which is how the connector tests
// check that results stream in batches of vector.BatchSize rows.
func BatchSizes(t testing.TB, rows connectors.Rows) (sizes []int, sum int64) {
	t.Helper()
	for {
		b, err := rows.Next()
		if err != nil {
			t.Fatal(err)
		}
		if b == nil {
			return sizes, sum
		}
		sizes = append(sizes, b.Len)
		for _, v := range b.Cols[0].Int {
			sum += v
		}
	}
}
