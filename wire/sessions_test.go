package wire

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

func TestStatementTimeoutEndsTheStatementAndKeepsTheSession(t *testing.T) {
	conn := connect(t, testURL(startServer(t, nil, Options{})))
	ctx := context.Background()
	if _, err := conn.Exec(ctx, "SET statement_timeout = '200ms'"); err != nil {
		t.Fatal(err)
	}
	bothProtocols(t, func(t *testing.T, mode pgx.QueryExecMode) {
		_, err := conn.Exec(ctx, endlessQuery, mode)
		var pe *pgconn.PgError
		if !errors.As(err, &pe) || pe.Code != "57014" || pe.Message != "canceling statement due to statement timeout" {
			t.Fatalf("endless query: got %v, want 57014 canceling statement due to statement timeout", err)
		}
		var one int32
		if err := conn.QueryRow(ctx, "SELECT 1", mode).Scan(&one); err != nil || one != 1 {
			t.Fatalf("after the timeout: %d, %v", one, err)
		}
	})
}

// TestMessagesLargerThanTheReadBuffer sends a query and a parameter
// larger than the buffer psql-wire reads through.
func TestMessagesLargerThanTheReadBuffer(t *testing.T) {
	conn := connect(t, testURL(startServer(t, nil, Options{})))
	big := strings.Repeat("x", 4*readBuffer)
	bothProtocols(t, func(t *testing.T, mode pgx.QueryExecMode) {
		var n int64
		if err := conn.QueryRow(context.Background(), "SELECT length('"+big+"')", mode).Scan(&n); err != nil || n != int64(len(big)) {
			t.Fatalf("a %d-byte query: %d, %v", len(big), n, err)
		}
		if err := conn.QueryRow(context.Background(), "SELECT length($1::text)", mode, big).Scan(&n); err != nil || n != int64(len(big)) {
			t.Fatalf("a %d-byte parameter: %d, %v", len(big), n, err)
		}
	})
}
