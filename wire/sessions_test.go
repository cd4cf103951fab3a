package wire

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

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

// expectFatal checks that err is a FATAL error with the given SQLSTATE.
func expectFatal(t *testing.T, what string, err error, code string) {
	t.Helper()
	var pe *pgconn.PgError
	if !errors.As(err, &pe) || pe.Code != code || pe.Severity != "FATAL" {
		t.Fatalf("%s: got %v, want FATAL %s", what, err, code)
	}
}

func TestIdleInTransactionEndsTheSession(t *testing.T) {
	conn := connect(t, testURL(startServer(t, nil, Options{})))
	ctx := context.Background()
	for _, sql := range []string{"SET idle_in_transaction_session_timeout = '200ms'", "BEGIN", "SELECT 1"} {
		if _, err := conn.Exec(ctx, sql); err != nil {
			t.Fatal(err)
		}
	}
	time.Sleep(600 * time.Millisecond)
	_, err := conn.Exec(ctx, "SELECT 1")
	expectFatal(t, "after idling in a block", err, "25P03")
}

func TestMaxConnectionsRefusesWithTooManyClients(t *testing.T) {
	url := testURL(startServer(t, nil, Options{MaxConnections: 1}))
	connect(t, url)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err := pgx.Connect(ctx, url)
	expectFatal(t, "the second client", err, "53300")
}

func TestShutdownDrainsThenCancels(t *testing.T) {
	srv, l, served := serveEmptyCatalog(t)
	idle := connect(t, testURL(l.Addr().String()))
	busy := connect(t, testURL(l.Addr().String()))
	ctx := context.Background()
	busyDone := make(chan error, 1)
	go func() { _, err := busy.Exec(ctx, endlessQuery); busyDone <- err }()
	time.Sleep(200 * time.Millisecond)

	drain, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancel()
	if err := srv.Shutdown(drain); err != nil {
		t.Fatal(err)
	}
	if err := <-served; err != nil {
		t.Fatalf("Serve: %v", err)
	}
	expectFatal(t, "the running statement", <-busyDone, "57P01")
	_, err := idle.Exec(ctx, "SELECT 1")
	expectFatal(t, "the idle session", err, "57P01")
	if srv.Sessions() != 0 {
		t.Fatalf("%d sessions are open after Shutdown", srv.Sessions())
	}
	if _, err := net.DialTimeout("tcp", l.Addr().String(), time.Second); err == nil {
		t.Fatal("the server still accepts connections after Shutdown")
	}
}
