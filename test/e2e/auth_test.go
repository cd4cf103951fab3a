package e2e

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgproto3"
	"github.com/junction-db/junction/test/testenv"
)

// authServer starts junction with a configuration file declaring the
// superuser alice (password s3cret) plus extra, and the further flags
// given.
func authServer(t *testing.T, extra string, flags ...string) *testenv.Server {
	t.Helper()
	return configServer(t, "users:\n  - name: alice\n    password: s3cret\n    superuser: true\n"+extra, flags...)
}

// configServer starts junction with the configuration file config and
// the further flags given.
func configServer(t *testing.T, config string, flags ...string) *testenv.Server {
	t.Helper()
	path := filepath.Join(t.TempDir(), "junction.yaml")
	if err := os.WriteFile(path, []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	return testenv.StartServer(t, append([]string{"serve", "--config", path}, flags...)...)
}

// userURL is srv's URL for user and password with the given sslmode
// parameters.
func userURL(srv *testenv.Server, user, password, query string) string {
	u := url.URL{Scheme: "postgres", User: url.UserPassword(user, password), Host: srv.Addr, Path: "/junction", RawQuery: query}
	return u.String()
}

// loginError connects and returns the server's error (nil if the login
// worked).
func loginError(t *testing.T, url string) *pgconn.PgError {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), queryTimeout)
	defer cancel()
	conn, err := pgx.Connect(ctx, url)
	if err == nil {
		conn.Close(ctx)
		return nil
	}
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		t.Fatalf("connect %s: %v, want a server error", url, err)
	}
	return pe
}

func requireLogin(t *testing.T, url string) {
	t.Helper()
	conn := testenv.ConnectURL(t, url)
	if got := queryValue(t, conn, "SELECT current_user"); got != "alice" {
		t.Fatalf("current_user = %q, want alice", got)
	}
}

func requirePsqlLogin(t *testing.T, url string) {
	t.Helper()
	if _, err := exec.LookPath("psql"); err != nil {
		testenv.Unavailable(t, "psql is not on PATH")
	}
	if out, ok := psql(t, url, "-At", "-c", "SELECT current_user"); ok && strings.TrimSpace(out) != "alice" {
		t.Fatalf("psql: current_user = %q, want alice", out)
	}
}

// firstAuthRequest sends a start-up packet for alice and returns the
// server's first answer, on a connection left open for more.
func firstAuthRequest(t *testing.T, addr string) (pgproto3.BackendMessage, *pgproto3.Frontend) {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, queryTimeout)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	c.SetDeadline(time.Now().Add(queryTimeout)) //nolint:errcheck // a failed read reports it
	fe := pgproto3.NewFrontend(c, c)
	fe.Send(&pgproto3.StartupMessage{ProtocolVersion: pgproto3.ProtocolVersionNumber, Parameters: map[string]string{"user": "alice", "database": "junction"}})
	if err := fe.Flush(); err != nil {
		t.Fatal(err)
	}
	msg, err := fe.Receive()
	if err != nil {
		t.Fatal(err)
	}
	return msg, fe
}

func TestSCRAMAuthentication(t *testing.T) {
	srv := authServer(t, "")
	requireLogin(t, userURL(srv, "alice", "s3cret", "sslmode=disable"))
	requirePsqlLogin(t, userURL(srv, "alice", "s3cret", "sslmode=disable"))

	for _, user := range []string{"alice", "mallory"} {
		pe := loginError(t, userURL(srv, user, "wrong", "sslmode=disable"))
		want := fmt.Sprintf(`password authentication failed for user "%s"`, user)
		if pe == nil || pe.Code != "28P01" || pe.Message != want || pe.Severity != "FATAL" {
			t.Fatalf("%s with a wrong password: got %v, want FATAL 28P01 %s", user, pe, want)
		}
	}

	// The server asks for SCRAM-SHA-256 only, and a client that answers
	// with its password in clear text is refused.
	msg, fe := firstAuthRequest(t, srv.Addr)
	sasl, ok := msg.(*pgproto3.AuthenticationSASL)
	if !ok || len(sasl.AuthMechanisms) != 1 || sasl.AuthMechanisms[0] != "SCRAM-SHA-256" {
		t.Fatalf("first authentication request: %#v, want AuthenticationSASL offering SCRAM-SHA-256", msg)
	}
	fe.Send(&pgproto3.PasswordMessage{Password: "s3cret"})
	if err := fe.Flush(); err != nil {
		t.Fatal(err)
	}
	msg, err := fe.Receive()
	if e, ok := msg.(*pgproto3.ErrorResponse); err != nil || !ok || e.Code != "08P01" || e.Severity != "FATAL" {
		t.Fatalf("clear-text password sent to a SCRAM request: got %#v (%v), want FATAL 08P01", msg, err)
	}

	srv.WaitForOutput(t, regexp.MustCompile(`password authentication failed" client=127.0.0.1 user=mallory`))
	if strings.Contains(srv.Output(), "s3cret") || strings.Contains(srv.Output(), "wrong") {
		t.Fatalf("the log shows a password:\n%s", srv.Output())
	}
}

// writeTestCertificates writes a CA and a server certificate for
// 127.0.0.1 and localhost signed by it; it returns the files.
func writeTestCertificates(t *testing.T) (caFile, certFile, keyFile string) {
	t.Helper()
	ca := newTestCA(t, "Junction test CA")
	certFile, keyFile = ca.serverCert()
	return ca.file, certFile, keyFile
}

func tlsConfig(cert, key string) string {
	return fmt.Sprintf("tls:\n  cert: %s\n  key: %s\n", cert, key)
}

func TestRequireTLS(t *testing.T) {
	ca, cert, key := writeTestCertificates(t)
	srv := authServer(t, tlsConfig(cert, key)+"auth:\n  require_tls: true\n")

	pe := loginError(t, userURL(srv, "alice", "s3cret", "sslmode=disable"))
	want := `no pg_hba.conf entry for host "127.0.0.1", user "alice", database "junction", no encryption`
	if pe == nil || pe.Code != "28000" || pe.Message != want || pe.Severity != "FATAL" {
		t.Fatalf("plain connection: got %v, want FATAL 28000 %s", pe, want)
	}
	// On TLS the server also offers SCRAM-SHA-256-PLUS, bound to its
	// certificate (tls-server-end-point); clients use it by default,
	// channel_binding=require insists on it and =disable does without.
	verified := "sslmode=verify-full&sslrootcert=" + url.QueryEscape(ca)
	for _, query := range []string{"sslmode=require", verified, verified + "&channel_binding=require", "sslmode=require&channel_binding=disable"} {
		requireLogin(t, userURL(srv, "alice", "s3cret", query))
		requirePsqlLogin(t, userURL(srv, "alice", "s3cret", query))
		if pe := loginError(t, userURL(srv, "alice", "wrong", query)); pe == nil || pe.Code != "28P01" {
			t.Fatalf("%s, wrong password: got %v, want 28P01", query, pe)
		}
	}
}

func TestCleartextPasswordOnlyOverTLS(t *testing.T) {
	ca, cert, key := writeTestCertificates(t)

	// Clear-text passwords without required TLS: the server does not start.
	path := filepath.Join(t.TempDir(), "junction.yaml")
	config := "users:\n  - name: alice\n    password: s3cret\n" + tlsConfig(cert, key) + "auth:\n  method: password\n"
	if err := os.WriteFile(path, []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(testenv.BuildBinary(t), "serve", "--config", path, "--listen", "127.0.0.1:0", "--http", "", "--data-dir", t.TempDir()).CombinedOutput()
	if err == nil || !strings.Contains(string(out), "require_tls") {
		t.Fatalf("method password without require_tls: %v\n%s", err, out)
	}

	srv := authServer(t, tlsConfig(cert, key)+"auth:\n  method: password\n  require_tls: true\n")
	verified := "sslmode=verify-full&sslrootcert=" + url.QueryEscape(ca)
	requireLogin(t, userURL(srv, "alice", "s3cret", verified))
	requirePsqlLogin(t, userURL(srv, "alice", "s3cret", verified))
	if pe := loginError(t, userURL(srv, "alice", "wrong", verified)); pe == nil || pe.Code != "28P01" {
		t.Fatalf("wrong password: got %v, want 28P01", pe)
	}
	if pe := loginError(t, userURL(srv, "alice", "s3cret", "sslmode=disable")); pe == nil || pe.Code != "28000" {
		t.Fatalf("plain connection: got %v, want 28000", pe)
	}
}

func TestFailedLoginsAreLimitedPerHost(t *testing.T) {
	srv := authServer(t, "auth:\n  max_failed_logins: 3\n  failed_login_refill: 1h\n")
	for i := 0; i < 3; i++ {
		if pe := loginError(t, userURL(srv, "alice", "guess"+fmt.Sprint(i), "sslmode=disable")); pe == nil || pe.Code != "28P01" {
			t.Fatalf("failed login %d: got %v, want 28P01", i+1, pe)
		}
	}
	pe := loginError(t, userURL(srv, "alice", "s3cret", "sslmode=disable"))
	want := `too many failed logins from host "127.0.0.1"; try again later`
	if pe == nil || pe.Code != "28000" || pe.Message != want {
		t.Fatalf("login after 3 failures: got %v, want 28000 %s", pe, want)
	}
	srv.WaitForOutput(t, regexp.MustCompile(`login refused: too many failed logins" client=127.0.0.1 user=alice`))
	if strings.Contains(srv.Output(), "guess") {
		t.Fatalf("passwords logged:\n%s", srv.Output())
	}
}
