package wire

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgproto3"
	"github.com/junction-db/junction/catalog"
	"github.com/junction-db/junction/engine"
	"github.com/junction-db/junction/telemetry"
)

// startServer runs a Server with a fresh in-memory engine on a random port
// and returns its address.
func startServer(t testing.TB, users []catalog.User, opts Options) string {
	t.Helper()
	cat, err := catalog.Open("")
	if err != nil {
		t.Fatal(err)
	}
	// The metrics are counted as in the binary, so that the benchmarks
	// that start servers here pay for them.
	eng, err := engine.New(context.Background(), engine.Config{Catalog: cat, Users: users, Metrics: telemetry.NewMetrics()})
	if err != nil {
		t.Fatal(err)
	}
	opts.Logger = slog.New(slog.DiscardHandler)
	srv, err := New(eng, opts)
	if err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(l) }()
	t.Cleanup(func() {
		if err := srv.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
		if err := <-served; err != nil {
			t.Errorf("serve: %v", err)
		}
		eng.Close()
	})
	return l.Addr().String()
}

func connect(t testing.TB, url string) *pgx.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatalf("connect %s: %v", url, err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

func testURL(addr string) string {
	return "postgres://tester@" + addr + "/test?sslmode=disable"
}

func sqlState(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code
	}
	return ""
}

// bothProtocols runs fn once with the extended protocol (binary results
// where pgx prefers them) and once with the simple protocol (text).
func bothProtocols(t *testing.T, fn func(t *testing.T, mode pgx.QueryExecMode)) {
	t.Run("extended", func(t *testing.T) { fn(t, pgx.QueryExecModeCacheStatement) })
	t.Run("simple", func(t *testing.T) { fn(t, pgx.QueryExecModeSimpleProtocol) })
}

func TestSelectOne(t *testing.T) {
	conn := connect(t, testURL(startServer(t, nil, Options{})))
	bothProtocols(t, func(t *testing.T, mode pgx.QueryExecMode) {
		var one int32
		if err := conn.QueryRow(context.Background(), "SELECT 1", mode).Scan(&one); err != nil {
			t.Fatal(err)
		}
		if one != 1 {
			t.Fatalf("SELECT 1 = %d", one)
		}
	})
}

func TestValuesOfSeveralTypes(t *testing.T) {
	conn := connect(t, testURL(startServer(t, nil, Options{})))
	bothProtocols(t, func(t *testing.T, mode pgx.QueryExecMode) {
		rows, err := conn.Query(context.Background(), "SELECT 'a'::text, 2::int8, NULL", mode)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		fields := rows.FieldDescriptions()
		wantOIDs := []uint32{25, 20, 25}
		if len(fields) != 3 {
			t.Fatalf("got %d columns, want 3", len(fields))
		}
		for i, f := range fields {
			if f.DataTypeOID != wantOIDs[i] {
				t.Errorf("column %d has type OID %d, want %d", i+1, f.DataTypeOID, wantOIDs[i])
			}
		}
		if !rows.Next() {
			t.Fatalf("no row: %v", rows.Err())
		}
		var s string
		var n int64
		var null *string
		if err := rows.Scan(&s, &n, &null); err != nil {
			t.Fatal(err)
		}
		if s != "a" || n != 2 || null != nil {
			t.Fatalf("got (%q, %d, %v), want (a, 2, NULL)", s, n, null)
		}
		if rows.Next() {
			t.Fatal("more than one row")
		}
		if tag := rows.CommandTag().String(); tag != "SELECT 1" {
			t.Fatalf("command tag %q, want SELECT 1", tag)
		}
	})
}

func TestServerVersionIsReported(t *testing.T) {
	conn := connect(t, testURL(startServer(t, nil, Options{})))
	want := "15.0 (Junction)"
	if got := conn.PgConn().ParameterStatus("server_version"); got != want {
		t.Fatalf("ParameterStatus server_version = %q, want %q", got, want)
	}
	var shown string
	if err := conn.QueryRow(context.Background(), "SHOW server_version").Scan(&shown); err != nil {
		t.Fatal(err)
	}
	if shown != want {
		t.Fatalf("SHOW server_version = %q, want %q", shown, want)
	}
}

func TestSyntaxErrorLeavesSessionUsable(t *testing.T) {
	conn := connect(t, testURL(startServer(t, nil, Options{})))
	bothProtocols(t, func(t *testing.T, mode pgx.QueryExecMode) {
		_, err := conn.Exec(context.Background(), "SELEC 1", mode)
		if code := sqlState(err); code != "42601" {
			t.Fatalf("SELEC 1: got %v (SQLSTATE %q), want 42601", err, code)
		}
		var two int32
		if err := conn.QueryRow(context.Background(), "SELECT 2", mode).Scan(&two); err != nil || two != 2 {
			t.Fatalf("query after the error: %d, %v", two, err)
		}
	})
}

func TestParameters(t *testing.T) {
	conn := connect(t, testURL(startServer(t, nil, Options{})))
	var got int32
	// pgx sends an int4 parameter in binary.
	if err := conn.QueryRow(context.Background(), "SELECT $1::int4 + 1", int32(41)).Scan(&got); err != nil {
		t.Fatal(err)
	}
	if got != 42 {
		t.Fatalf("$1 + 1 with $1 = 41 gave %d", got)
	}
	// A string argument goes in text format.
	if err := conn.QueryRow(context.Background(), "SELECT $1::int4 + 1", pgx.QueryExecModeExec, "9").Scan(&got); err != nil {
		t.Fatal(err)
	}
	if got != 10 {
		t.Fatalf("$1 + 1 with $1 = '9' gave %d", got)
	}
	_, err := conn.Exec(context.Background(), "SELECT $1::int4 + 1", pgx.QueryExecModeExec, "nine")
	if code := sqlState(err); code != "22P02" {
		t.Fatalf("bad int4 parameter: got %v (SQLSTATE %q), want 22P02", err, code)
	}
}

func TestPasswordAuthentication(t *testing.T) {
	addr := startServer(t, []catalog.User{{Name: "alice", Password: "s3cret"}}, Options{})
	ctx := context.Background()
	_, err := pgx.Connect(ctx, "postgres://alice:wrong@"+addr+"/test?sslmode=disable")
	var pe *pgconn.PgError
	if !errors.As(err, &pe) || pe.Code != "28P01" || pe.Message != `password authentication failed for user "alice"` {
		t.Fatalf("wrong password: got %v, want 28P01 password authentication failed for user \"alice\"", err)
	}
	conn := connect(t, "postgres://alice:s3cret@"+addr+"/test?sslmode=disable")
	var one int32
	if err := conn.QueryRow(ctx, "SELECT 1").Scan(&one); err != nil {
		t.Fatal(err)
	}
}

func TestEmptyQueryAndSeveralStatements(t *testing.T) {
	conn := connect(t, testURL(startServer(t, nil, Options{})))
	ctx := context.Background()
	for _, empty := range []string{"", " ", ";", "-- nothing"} {
		results, err := conn.PgConn().Exec(ctx, empty).ReadAll()
		if err != nil {
			t.Fatalf("%q: %v", empty, err)
		}
		for _, r := range results {
			if len(r.Rows) != 0 || r.CommandTag.String() != "" {
				t.Fatalf("%q: got rows %v tag %q, want an empty query response", empty, r.Rows, r.CommandTag)
			}
		}
	}
	results, err := conn.PgConn().Exec(ctx, "SELECT 1; SELECT 'two'").ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(results) != 2 || string(results[0].Rows[0][0]) != "1" || string(results[1].Rows[0][0]) != "two" {
		t.Fatalf("SELECT 1; SELECT 'two' gave %+v", results)
	}
	// A syntax error anywhere rejects the whole string before anything runs.
	results, err = conn.PgConn().Exec(ctx, "SELECT 1; SELEC 2").ReadAll()
	if code := sqlState(err); code != "42601" || len(results) > 0 && len(results[0].Rows) > 0 {
		t.Fatalf("SELECT 1; SELEC 2: got %+v, %v; want only a 42601 error", results, err)
	}
}

func TestRowDescriptionReportsTypeModifier(t *testing.T) {
	conn := connect(t, testURL(startServer(t, nil, Options{})))
	results, err := conn.PgConn().Exec(context.Background(), "SELECT 1.5::numeric(10,2)").ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	f := results[0].FieldDescriptions[0]
	if f.DataTypeOID != 1700 || f.TypeModifier != (10<<16|2)+4 {
		t.Fatalf("numeric(10,2) described as OID %d typmod %d", f.DataTypeOID, f.TypeModifier)
	}
	if got := string(results[0].Rows[0][0]); got != "1.50" {
		t.Fatalf("1.5::numeric(10,2) = %q, want 1.50", got)
	}
}

// TestPortalRowLimit drives the extended protocol by hand: an Execute with
// a row limit suspends the portal, and the next Execute continues it.
func TestPortalRowLimit(t *testing.T) {
	fe := rawSession(t, startServer(t, nil, Options{}))
	fe.SendParse(&pgproto3.Parse{Query: "SELECT x FROM (VALUES (1), (2), (3)) AS t(x)"})
	fe.SendBind(&pgproto3.Bind{})
	fe.SendExecute(&pgproto3.Execute{MaxRows: 2})
	fe.SendExecute(&pgproto3.Execute{MaxRows: 2})
	fe.SendSync(&pgproto3.Sync{})
	if err := fe.Flush(); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, msg := range receiveUntilReady(t, fe) {
		switch m := msg.(type) {
		case *pgproto3.DataRow:
			got = append(got, "row "+string(m.Values[0]))
		case *pgproto3.PortalSuspended:
			got = append(got, "suspended")
		case *pgproto3.CommandComplete:
			got = append(got, string(m.CommandTag))
		case *pgproto3.ErrorResponse:
			t.Fatalf("error: %s %s", m.Code, m.Message)
		}
	}
	want := []string{"row 1", "row 2", "suspended", "row 3", "SELECT 3"}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("got %v, want %v", got, want)
		}
	}
}

// receiveUntilReady collects backend messages up to ReadyForQuery.
func receiveUntilReady(t *testing.T, fe *pgproto3.Frontend) []pgproto3.BackendMessage {
	t.Helper()
	var msgs []pgproto3.BackendMessage
	for {
		msg, err := fe.Receive()
		if err != nil {
			t.Fatal(err)
		}
		if e, ok := msg.(*pgproto3.ErrorResponse); ok && e.Severity == "FATAL" {
			t.Fatalf("fatal error: %s %s", e.Code, e.Message)
		}
		if _, ok := msg.(*pgproto3.ReadyForQuery); ok {
			return msgs
		}
		// Receive reuses its messages; keep copies of the ones inspected.
		switch m := msg.(type) {
		case *pgproto3.DataRow:
			values := make([][]byte, len(m.Values))
			for i, v := range m.Values {
				values[i] = append([]byte(nil), v...)
			}
			msgs = append(msgs, &pgproto3.DataRow{Values: values})
		case *pgproto3.CommandComplete:
			msgs = append(msgs, &pgproto3.CommandComplete{CommandTag: append([]byte(nil), m.CommandTag...)})
		case *pgproto3.ErrorResponse:
			copied := *m
			msgs = append(msgs, &copied)
		default:
			msgs = append(msgs, msg)
		}
	}
}

func TestStartupParametersAreApplied(t *testing.T) {
	addr := startServer(t, nil, Options{})
	conn := connect(t, testURL(addr)+"&application_name=wire-test")
	var name string
	if err := conn.QueryRow(context.Background(), "SHOW application_name").Scan(&name); err != nil {
		t.Fatal(err)
	}
	if name != "wire-test" {
		t.Fatalf("application_name = %q, want wire-test", name)
	}
	if got := conn.PgConn().ParameterStatus("application_name"); got != "wire-test" {
		t.Fatalf("reported application_name = %q, want wire-test", got)
	}
}

func TestUnsupportedStartupSettingIsAWarning(t *testing.T) {
	addr := startServer(t, nil, Options{})
	cfg, err := pgx.ParseConfig(testURL(addr))
	if err != nil {
		t.Fatal(err)
	}
	cfg.RuntimeParams["TimeZone"] = "Europe/Berlin"
	notices := make(chan *pgconn.Notice, 1)
	cfg.OnNotice = func(_ *pgconn.PgConn, n *pgconn.Notice) { notices <- n }
	conn, err := pgx.ConnectConfig(context.Background(), cfg)
	if err != nil {
		t.Fatalf("a time zone Junction does not support refused the connection: %v", err)
	}
	defer conn.Close(context.Background())
	select {
	case n := <-notices:
		if n.Severity != "WARNING" || n.Code != "0A000" {
			t.Fatalf("notice %+v, want a 0A000 warning", n)
		}
	case <-time.After(time.Second):
		t.Fatal("no warning about the ignored time zone")
	}
	var one int32
	if err := conn.QueryRow(context.Background(), "SELECT 1").Scan(&one); err != nil {
		t.Fatal(err)
	}
}

func TestSetIsReportedToTheClient(t *testing.T) {
	conn := connect(t, testURL(startServer(t, nil, Options{})))
	if _, err := conn.Exec(context.Background(), "SET application_name = 'changed'"); err != nil {
		t.Fatal(err)
	}
	if got := conn.PgConn().ParameterStatus("application_name"); got != "changed" {
		t.Fatalf("reported application_name = %q after SET, want changed", got)
	}
}

// endlessQuery is a cross join of 10^10 rows, which runs until cancelled.
var endlessQuery = func() string {
	var values strings.Builder
	for i := range 100 {
		if i > 0 {
			values.WriteString(", ")
		}
		fmt.Fprintf(&values, "(%d)", i)
	}
	v := values.String()
	return fmt.Sprintf("SELECT count(*) FROM (VALUES %[1]s) a(x), (VALUES %[1]s) b(x), (VALUES %[1]s) c(x), (VALUES %[1]s) d(x), (VALUES %[1]s) e(x)", v)
}()

func TestCancelRequestStopsTheQuery(t *testing.T) {
	conn := connect(t, testURL(startServer(t, nil, Options{})))
	ctx := context.Background()
	go func() {
		time.Sleep(300 * time.Millisecond)
		conn.PgConn().CancelRequest(ctx) //nolint:errcheck // the query's error is what the test checks
	}()
	start := time.Now()
	_, err := conn.Exec(ctx, endlessQuery)
	if code := sqlState(err); code != "57014" {
		t.Fatalf("cancelled query: got %v (SQLSTATE %q), want 57014", err, code)
	}
	if elapsed := time.Since(start); elapsed > 1300*time.Millisecond {
		t.Fatalf("the query stopped %v after it started; the cancel came at 300ms", elapsed)
	}
	var one int32
	if err := conn.QueryRow(ctx, "SELECT 1").Scan(&one); err != nil {
		t.Fatalf("query after cancel: %v", err)
	}
}

// TestDisconnectStopsTheQuery hangs up while a query runs and watches the
// query end in junction.queries.
func TestDisconnectStopsTheQuery(t *testing.T) {
	addr := startServer(t, nil, Options{})
	nc, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	fe := pgproto3.NewFrontend(nc, nc)
	fe.Send(&pgproto3.StartupMessage{ProtocolVersion: pgproto3.ProtocolVersionNumber, Parameters: map[string]string{"user": "tester"}})
	fe.Send(&pgproto3.Query{String: endlessQuery})
	if err := fe.Flush(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	nc.Close()
	hungUp := time.Now()

	conn := connect(t, testURL(addr))
	for {
		var state string
		err := conn.QueryRow(context.Background(),
			"SELECT state FROM junction.queries WHERE query = $1", endlessQuery).Scan(&state)
		if err != nil {
			t.Fatal(err)
		}
		if state != "running" {
			break
		}
		if time.Since(hungUp) > time.Second {
			t.Fatal("the query still runs a second after its client hung up")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestTLS(t *testing.T) {
	certFile, keyFile := writeSelfSignedCert(t)
	addr := startServer(t, nil, Options{TLSCert: certFile, TLSKey: keyFile})
	conn := connect(t, "postgres://tester@"+addr+"/test?sslmode=require")
	if _, ok := conn.PgConn().Conn().(*tls.Conn); !ok {
		t.Fatalf("connection is %T, want a TLS connection", conn.PgConn().Conn())
	}
	var one int32
	if err := conn.QueryRow(context.Background(), "SELECT 1").Scan(&one); err != nil {
		t.Fatal(err)
	}
	// Type modifiers are written into the RowDescription of a Describe
	// before it is encrypted.
	sd, err := conn.Prepare(context.Background(), "typmods", "SELECT 1.5::numeric(4,2) AS n, 'x'::varchar(9) AS v")
	if err != nil {
		t.Fatal(err)
	}
	if n, v := sd.Fields[0].TypeModifier, sd.Fields[1].TypeModifier; n != 4<<16+2+4 || v != 9+4 {
		t.Errorf("described typmods %d and %d, want numeric(4,2)'s %d and varchar(9)'s %d", n, v, 4<<16+2+4, 9+4)
	}
}

func TestTLSNeedsCertAndKey(t *testing.T) {
	eng, err := engine.New(context.Background(), engine.Config{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := New(eng, Options{TLSCert: "server.crt"}); err == nil {
		t.Fatal("a certificate without a key was accepted")
	}
}

func TestCloseEndsConnections(t *testing.T) {
	srv, l, served := serveEmptyCatalog(t)
	conn := connect(t, testURL(l.Addr().String()))

	closed := make(chan error, 1)
	go func() { closed <- srv.Close() }()
	select {
	case err := <-closed:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not return while a client was connected")
	}
	if err := <-served; err != nil {
		t.Fatalf("Serve: %v", err)
	}
	if _, err := conn.Exec(context.Background(), "SELECT 1"); err == nil {
		t.Fatal("a query succeeded on a connection of a closed server")
	}
	if _, err := net.DialTimeout("tcp", l.Addr().String(), time.Second); err == nil {
		t.Fatal("the closed server still accepts connections")
	}
}

// writeSelfSignedCert writes a certificate for 127.0.0.1 and its key.
func writeSelfSignedCert(t *testing.T) (certFile, keyFile string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "127.0.0.1"},
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "server.crt"), filepath.Join(dir, "server.key")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		t.Fatal(err)
	}
	return certFile, keyFile
}

// serveEmptyCatalog runs a server over an empty in-memory catalog on a
// loopback port; served receives what Serve returns.
func serveEmptyCatalog(t *testing.T) (srv *Server, l net.Listener, served chan error) {
	t.Helper()
	cat, err := catalog.Open("")
	if err != nil {
		t.Fatal(err)
	}
	eng, err := engine.New(context.Background(), engine.Config{Catalog: cat})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(eng.Close)
	srv, err = New(eng, Options{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	l, err = net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	served = make(chan error, 1)
	go func() { served <- srv.Serve(l) }()
	return srv, l, served
}
