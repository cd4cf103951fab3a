package e2e

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/junction-db/junction/test/testenv"
)

func TestMain(m *testing.M) { testenv.Main(m) }

// queryTimeout bounds one statement, so that a hung query fails its test
// with the statement named instead of stalling the suite.
const queryTimeout = 60 * time.Second

// mustExec runs sql and ends the test if it fails.
func mustExec(t *testing.T, conn *pgx.Conn, sql string) {
	t.Helper()
	if !tryExec(t, conn, sql) {
		t.FailNow()
	}
}

// tryExec runs sql and reports whether it succeeded; a failure fails the
// test but lets it go on.
func tryExec(t *testing.T, conn *pgx.Conn, sql string) bool {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), queryTimeout)
	defer cancel()
	if _, err := conn.Exec(ctx, sql); err != nil {
		t.Errorf("%s\nfailed: %s", sql, testenv.DescribeError(err))
		return false
	}
	return true
}

// query returns all rows of sql as text.
func query(t *testing.T, conn *pgx.Conn, sql string) *testenv.Result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), queryTimeout)
	defer cancel()
	res, err := testenv.QueryText(ctx, conn, sql)
	if err != nil {
		t.Fatalf("%s\nfailed: %s", sql, testenv.DescribeError(err))
	}
	return res
}

// queryValue returns the single value of a one-row, one-column query.
func queryValue(t *testing.T, conn *pgx.Conn, sql string) string {
	t.Helper()
	res := query(t, conn, sql)
	if len(res.Rows) != 1 || len(res.Rows[0]) != 1 {
		t.Fatalf("%s\nreturned %d rows of %d columns, want one value", sql, len(res.Rows), len(res.Columns))
	}
	return res.Rows[0][0].Text
}

// column returns the values of column i of a result.
func column(res *testenv.Result, i int) []string {
	out := make([]string, len(res.Rows))
	for r, row := range res.Rows {
		out[r] = row[i].Text
	}
	return out
}

// expectError runs sql and returns the server's error, failing the test
// unless it carries one of the given SQLSTATEs.
func expectError(t *testing.T, conn *pgx.Conn, sql string, codes ...string) *pgconn.PgError {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), queryTimeout)
	defer cancel()
	_, err := conn.Exec(ctx, sql)
	if err == nil {
		t.Errorf("%s\nsucceeded, want an error with SQLSTATE %s", sql, strings.Join(codes, " or "))
		return nil
	}
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		t.Errorf("%s\nfailed without a server error: %v", sql, err)
		return nil
	}
	for _, c := range codes {
		if pe.Code == c {
			if pe.Message == "" {
				t.Errorf("%s\nfailed with SQLSTATE %s and no message", sql, pe.Code)
			}
			return pe
		}
	}
	t.Errorf("%s\nfailed with %s, want SQLSTATE %s", sql, testenv.DescribeError(err), strings.Join(codes, " or "))
	return pe
}

// contains reports whether any cell of a result contains s.
func contains(res *testenv.Result, s string) bool {
	for _, row := range res.Rows {
		for _, c := range row {
			if strings.Contains(c.Text, s) {
				return true
			}
		}
	}
	return false
}

// sqlstate is the SQLSTATE of a server error, or "" for other errors.
func sqlstate(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code
	}
	return ""
}
