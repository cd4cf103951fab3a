package e2e

import (
	"context"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/junction-db/junction/test/testenv"
)

// clientCertServer starts junction with TLS from ca, ca as the client CA,
// the given client_cert mode and the users analyst (password an4lyst) and
// other (password 0ther).
func clientCertServer(t *testing.T, ca *testCA, mode string) *testenv.Server {
	t.Helper()
	cert, key := ca.serverCert()
	config := "users:\n  - name: analyst\n    password: an4lyst\n  - name: other\n    password: 0ther\n" +
		tlsConfig(cert, key) + "  client_ca: " + ca.file + "\nauth:\n  client_cert: " + mode + "\n"
	path := filepath.Join(t.TempDir(), "junction.yaml")
	if err := os.WriteFile(path, []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	return testenv.StartServer(t, "serve", "--config", path)
}

// certQuery is the sslmode parameters verifying the server against ca and
// presenting the client certificate of user (none if user is empty).
func certQuery(ca *testCA, user string) string {
	q := url.Values{"sslmode": {"verify-full"}, "sslrootcert": {ca.file}}
	if user != "" {
		cert, key := ca.clientCert(user)
		q.Set("sslcert", cert)
		q.Set("sslkey", key)
	}
	return q.Encode()
}

// requireLoginAs logs in with pgx, and with psql when it is installed, and
// checks that the session's user is user.
func requireLoginAs(t *testing.T, url, user string) {
	t.Helper()
	conn := testenv.ConnectURL(t, url)
	if got := queryValue(t, conn, "SELECT current_user"); got != user {
		t.Fatalf("current_user = %q, want %s", got, user)
	}
	if _, err := exec.LookPath("psql"); err != nil {
		return
	}
	// -w: psql must not be asked for a password it does not have.
	if out, ok := psql(t, url, "-w", "-At", "-c", "SELECT current_user"); ok && strings.TrimSpace(out) != user {
		t.Fatalf("psql: current_user = %q, want %s", out, user)
	}
}

func requireRefusal(t *testing.T, what, url, code, message string) {
	t.Helper()
	pe := loginError(t, url)
	if pe == nil || pe.Severity != "FATAL" || pe.Code != code || pe.Message != message {
		t.Fatalf("%s: got %v, want FATAL %s %s", what, pe, code, message)
	}
}

func TestClientCertVerifyFull(t *testing.T) {
	ca := newTestCA(t, "Junction test CA")
	srv := clientCertServer(t, ca, "verify-full")

	// The certificate alone logs its Common Name in: no password is asked.
	requireLoginAs(t, userURL(srv, "analyst", "", certQuery(ca, "analyst")), "analyst")
	requireLoginAs(t, userURL(srv, "other", "", certQuery(ca, "other")), "other")

	mismatch := `certificate authentication failed for user "analyst"`
	requireRefusal(t, "certificate of another user", userURL(srv, "analyst", "an4lyst", certQuery(ca, "other")), "28000", mismatch)
	// A certificate for a user that is not configured fails the same way,
	// so that it cannot tell which users exist.
	requireRefusal(t, "certificate of an unknown user", userURL(srv, "ghost", "", certQuery(ca, "ghost")), "28000",
		`certificate authentication failed for user "ghost"`)
	requireRefusal(t, "no client certificate", userURL(srv, "analyst", "an4lyst", certQuery(ca, "")), "28000",
		"connection requires a valid client certificate")
	requireRefusal(t, "plain connection", userURL(srv, "analyst", "an4lyst", "sslmode=disable"), "28000",
		`no pg_hba.conf entry for host "127.0.0.1", user "analyst", database "junction", no encryption`)

	// A certificate from another CA does not get past the TLS handshake.
	stranger := newTestCA(t, "Another CA")
	cert, key := stranger.clientCert("analyst")
	q := url.Values{"sslmode": {"verify-full"}, "sslrootcert": {ca.file}, "sslcert": {cert}, "sslkey": {key}}
	ctx, cancel := context.WithTimeout(context.Background(), queryTimeout)
	defer cancel()
	if conn, err := pgx.Connect(ctx, userURL(srv, "analyst", "", q.Encode())); err == nil {
		conn.Close(ctx)
		t.Fatal("a certificate signed by another CA logged in")
	}
	srv.WaitForOutput(t, regexp.MustCompile(regexp.QuoteMeta(`certificate authentication failed" client=127.0.0.1 user=analyst common_name=other`)))
}

func TestClientCertVerifyCA(t *testing.T) {
	ca := newTestCA(t, "Junction test CA")
	srv := clientCertServer(t, ca, "verify-ca")

	// Any certificate of the CA, plus the user's password.
	requireLoginAs(t, userURL(srv, "analyst", "an4lyst", certQuery(ca, "analyst")), "analyst")
	requireLoginAs(t, userURL(srv, "analyst", "an4lyst", certQuery(ca, "other")), "analyst")
	requireRefusal(t, "wrong password", userURL(srv, "analyst", "wrong", certQuery(ca, "analyst")), "28P01",
		`password authentication failed for user "analyst"`)
	requireRefusal(t, "no client certificate", userURL(srv, "analyst", "an4lyst", certQuery(ca, "")), "28000",
		"connection requires a valid client certificate")
	requireRefusal(t, "plain connection", userURL(srv, "analyst", "an4lyst", "sslmode=disable"), "28000",
		`no pg_hba.conf entry for host "127.0.0.1", user "analyst", database "junction", no encryption`)
}

func TestClientCertOffKeepsPasswords(t *testing.T) {
	ca := newTestCA(t, "Junction test CA")
	srv := clientCertServer(t, ca, "off")

	// The client CA asks for certificates, but they prove nothing: a
	// password is still needed, with or without one.
	requireLoginAs(t, userURL(srv, "analyst", "an4lyst", certQuery(ca, "")), "analyst")
	requireLoginAs(t, userURL(srv, "analyst", "an4lyst", certQuery(ca, "analyst")), "analyst")
	requireLoginAs(t, userURL(srv, "analyst", "an4lyst", "sslmode=disable"), "analyst")
	requireRefusal(t, "certificate without password", userURL(srv, "analyst", "", certQuery(ca, "analyst")), "28P01",
		`password authentication failed for user "analyst"`)
}
