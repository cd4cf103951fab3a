package testenv

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// uniqueName is prefix followed by random hex, a valid unquoted identifier
// in both PostgreSQL and MariaDB when prefix is one.
func uniqueName(prefix string) string {
	return fmt.Sprintf("%s_%012x", strings.ToLower(prefix), rand.Uint64()>>16)
}

// NewPostgresDB creates a uniquely named database on the test PostgreSQL
// server (with the server's default locale, as a user's database would
// have) and drops it when the test ends. It returns the name and a
// connection to it.
func NewPostgresDB(tb testing.TB, prefix string) (string, *pgx.Conn) {
	tb.Helper()
	return newPostgresDB(tb, prefix, "")
}

// NewReferenceDB is NewPostgresDB for the database whose answers Junction's
// are compared with. It uses the C collation because Junction compares and
// orders text by code point, as PostgreSQL does under that collation, and
// the C.UTF-8 character classes because Junction's lower, upper and ILIKE
// fold the case of every Unicode letter, not only of ASCII ones.
func NewReferenceDB(tb testing.TB, prefix string) (string, *pgx.Conn) {
	tb.Helper()
	return newPostgresDB(tb, prefix, "TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C.UTF-8'")
}

func newPostgresDB(tb testing.TB, prefix, createOptions string) (string, *pgx.Conn) {
	tb.Helper()
	admin := RequirePostgres(tb)
	name := uniqueName(prefix)
	ctx := context.Background()
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+name+" "+createOptions); err != nil {
		tb.Fatalf("create PostgreSQL database %s: %v", name, err)
	}
	tb.Cleanup(func() {
		// FORCE ends the connections Junction still holds to the database.
		if _, err := admin.Exec(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			tb.Errorf("drop PostgreSQL database %s: %v", name, err)
		}
	})
	connectCtx, cancel := context.WithTimeout(ctx, connectTimeout)
	defer cancel()
	conn, err := pgx.Connect(connectCtx, PostgresURL(name))
	if err != nil {
		tb.Fatalf("connect to PostgreSQL database %s: %v", name, err)
	}
	tb.Cleanup(func() { conn.Close(context.Background()) })
	return name, conn
}

// NewMariaDB creates a uniquely named database on the test MariaDB server
// with the server's default character set and collation (case-insensitive
// and PAD SPACE, the MySQL behaviour Junction must hide) and drops it when
// the test ends. It returns the name and a pool connected to it.
func NewMariaDB(tb testing.TB, prefix string) (string, *sql.DB) {
	tb.Helper()
	admin := RequireMariaDB(tb)
	name := uniqueName(prefix)
	ctx := context.Background()
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		tb.Fatalf("create MariaDB database %s: %v", name, err)
	}
	tb.Cleanup(func() {
		if _, err := admin.ExecContext(context.Background(), "DROP DATABASE IF EXISTS "+name); err != nil {
			tb.Errorf("drop MariaDB database %s: %v", name, err)
		}
	})
	db, err := openMariaDB(name)
	if err != nil {
		tb.Fatalf("connect to MariaDB database %s: %v", name, err)
	}
	tb.Cleanup(func() { db.Close() })
	return name, db
}

// Exec runs one SQL statement on a database being loaded.
type Exec func(ctx context.Context, sql string) error

// PostgresExec runs statements on a PostgreSQL connection.
func PostgresExec(conn *pgx.Conn) Exec {
	return func(ctx context.Context, sql string) error {
		_, err := conn.Exec(ctx, sql)
		return err
	}
}

// MariaDBExec runs statements on a MariaDB pool.
func MariaDBExec(db *sql.DB) Exec {
	return func(ctx context.Context, sql string) error {
		_, err := db.ExecContext(ctx, sql)
		return err
	}
}

// Decimal is a numeric value written as a SQL number literal, exactly as
// given, so both databases store the same digits.
type Decimal string

// Date is written as a 'YYYY-MM-DD' literal; a time.Time is written as a
// 'YYYY-MM-DD hh:mm:ss' literal.
type Date time.Time

// insertBatch is how many rows go into one INSERT: few enough statements
// to load quickly, each well below both servers' packet limits.
const insertBatch = 500

// LoadRows inserts rows into table with multi-row INSERT statements that
// PostgreSQL and MariaDB both accept. Values may be nil (NULL), int,
// int64, bool, string, Decimal, Date or time.Time.
func LoadRows(ctx context.Context, exec Exec, table string, columns []string, rows [][]any) error {
	for start := 0; start < len(rows); start += insertBatch {
		end := min(start+insertBatch, len(rows))
		var b strings.Builder
		fmt.Fprintf(&b, "INSERT INTO %s (%s) VALUES ", table, strings.Join(columns, ", "))
		for i, row := range rows[start:end] {
			if len(row) != len(columns) {
				return fmt.Errorf("%s row %d has %d values for %d columns", table, start+i, len(row), len(columns))
			}
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteByte('(')
			for j, v := range row {
				if j > 0 {
					b.WriteString(", ")
				}
				lit, err := literal(v)
				if err != nil {
					return fmt.Errorf("%s row %d column %s: %w", table, start+i, columns[j], err)
				}
				b.WriteString(lit)
			}
			b.WriteByte(')')
		}
		if err := exec(ctx, b.String()); err != nil {
			return fmt.Errorf("load %s: %w", table, err)
		}
	}
	return nil
}

func literal(v any) (string, error) {
	switch x := v.(type) {
	case nil:
		return "NULL", nil
	case int:
		return strconv.Itoa(x), nil
	case int64:
		return strconv.FormatInt(x, 10), nil
	case bool:
		if x {
			return "TRUE", nil
		}
		return "FALSE", nil
	case Decimal:
		return string(x), nil
	case string:
		if strings.ContainsRune(x, '\\') {
			// MariaDB reads backslashes in literals as escapes, PostgreSQL
			// does not; the loaded data would differ.
			return "", fmt.Errorf("string %q contains a backslash", x)
		}
		return "'" + strings.ReplaceAll(x, "'", "''") + "'", nil
	case Date:
		return "'" + time.Time(x).Format(time.DateOnly) + "'", nil
	case time.Time:
		return "'" + x.Format(time.DateTime) + "'", nil
	}
	return "", fmt.Errorf("unsupported value %T", v)
}
