package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

func TestCommandLineErrors(t *testing.T) {
	for _, args := range [][]string{nil, {"bogus"}, {"serve", "--bogus"}, {"demo", "extra"}, {"version", "x"}} {
		var stdout, stderr bytes.Buffer
		if code := run(context.Background(), args, &stdout, &stderr); code != 2 {
			t.Errorf("%v: exit status %d, want 2", args, code)
		}
		if stderr.Len() == 0 {
			t.Errorf("%v: no usage on stderr", args)
		}
		if stdout.Len() != 0 {
			t.Errorf("%v: wrote %q to stdout", args, stdout.String())
		}
	}
}

func TestVersion(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"version"}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit status %d: %s", code, stderr.String())
	}
	if stdout.String() != "junction dev\n" {
		t.Fatalf("printed %q", stdout.String())
	}
}

// syncBuffer is a bytes.Buffer safe for a writer and a reader goroutine.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func freeAddress(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// TestDemoServes starts "junction demo", joins its two sources through the
// URL it prints, checks the health endpoints and stops it as a signal would.
func TestDemoServes(t *testing.T) {
	httpAddr := freeAddress(t)
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	stdoutReader, stdout := io.Pipe()
	var stderr syncBuffer
	exited := make(chan int, 1)
	go func() {
		exited <- run(ctx, []string{"demo", "--listen", "127.0.0.1:0", "--http", httpAddr, "--data-dir", t.TempDir()}, stdout, &stderr)
		stdout.Close()
	}()

	lines := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(stdoutReader).ReadString('\n')
		lines <- line
		io.Copy(io.Discard, stdoutReader) //nolint:errcheck
	}()
	var line string
	select {
	case line = <-lines:
	case code := <-exited:
		t.Fatalf("demo exited with %d: %s", code, stderr.String())
	case <-time.After(60 * time.Second):
		t.Fatalf("demo did not become ready: %s", stderr.String())
	}
	const prefix = "Junction demo is ready: psql '"
	if !strings.HasPrefix(line, prefix) || !strings.HasSuffix(line, "'\n") {
		t.Fatalf("first line on stdout: %q", line)
	}
	url := strings.TrimSuffix(strings.TrimPrefix(line, prefix), "'\n")
	if !strings.Contains(url, "junction:junction@127.0.0.1:") {
		t.Fatalf("URL %q does not carry the demo login", url)
	}

	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatalf("connect to %s: %v", url, err)
	}
	var customers, orders int64
	err = conn.QueryRow(ctx, `SELECT count(DISTINCT c.id), count(*) FROM demo_crm.customers c JOIN demo_shop.orders o ON o.customer_id = c.id`).Scan(&customers, &orders)
	if err != nil {
		t.Fatalf("cross-source join: %v", err)
	}
	if orders != demoOrders || customers == 0 || customers > demoCustomers {
		t.Fatalf("join found %d customers and %d orders", customers, orders)
	}
	conn.Close(ctx)

	for path, want := range map[string]string{"/healthz": "ok\n", "/readyz": `{"ready":true,"unhealthy":[]}` + "\n"} {
		resp, err := http.Get("http://" + httpAddr + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || string(body) != want {
			t.Fatalf("%s: %d %q", path, resp.StatusCode, body)
		}
	}

	stop()
	select {
	case code := <-exited:
		if code != 0 {
			t.Fatalf("exit status %d after shutdown: %s", code, stderr.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("demo did not shut down")
	}
}
