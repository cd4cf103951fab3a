package e2e

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/junction-db/junction/test/testenv"
)

// The private MariaDB's source trips its breaker after three failures and
// probes again two seconds later; health checks run twice a second.
const (
	faultFailures = 3
	faultCooldown = 2 * time.Second
	faultRows     = 300000
)

// faultRig is a Junction server with a PostgreSQL source pg on the shared
// server and a MariaDB source maria on a private server the test kills.
type faultRig struct {
	srv   *testenv.Server
	maria *testenv.PrivateMariaDB
	conn  *pgx.Conn
}

func newFaultRig(t *testing.T) *faultRig {
	t.Helper()
	m := testenv.StartPrivateMariaDB(t)
	admin, err := m.Open("mysql")
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	ctx := context.Background()
	for _, stmt := range []string{
		"CREATE DATABASE faults",
		"CREATE TABLE faults.big (id int PRIMARY KEY, pad varchar(200) NOT NULL)",
		fmt.Sprintf("INSERT INTO faults.big SELECT seq, repeat('x', 200) FROM seq_1_to_%d", faultRows),
	} {
		if _, err := admin.ExecContext(ctx, stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	pgDB, pg := testenv.NewPostgresDB(t, "faults")
	if _, err := pg.Exec(ctx, "CREATE TABLE small (id int PRIMARY KEY, name text NOT NULL); INSERT INTO small SELECT g, 'n' || g FROM generate_series(0, 9) g"); err != nil {
		t.Fatal(err)
	}
	srv := testenv.StartServer(t)
	conn := srv.Connect(t)
	mustExec(t, conn, fmt.Sprintf(`CREATE SERVER pg FOREIGN DATA WRAPPER postgres OPTIONS (host '127.0.0.1', port '5432', dbname '%s', user 'root')`, pgDB))
	mustExec(t, conn, fmt.Sprintf(`CREATE SERVER maria FOREIGN DATA WRAPPER mysql OPTIONS (host '127.0.0.1', port '%d', dbname 'faults', user 'root',
		breaker_failures '%d', breaker_cooldown '%s', health_interval '500ms', required 'true')`, m.Port, faultFailures, faultCooldown))
	return &faultRig{srv: srv, maria: m, conn: conn}
}

// timedQuery runs sql to its end and returns how long it took and its error.
func timedQuery(conn *pgx.Conn, sql string) (time.Duration, error) {
	ctx, cancel := context.WithTimeout(context.Background(), queryTimeout)
	defer cancel()
	start := time.Now()
	_, err := conn.Exec(ctx, sql)
	return time.Since(start), err
}

// readyz returns /readyz's status code and body.
func readyz(t *testing.T, srv *testenv.Server) (int, map[string]any) {
	t.Helper()
	resp, err := http.Get("http://" + srv.HTTPAddr + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	var out map[string]any
	if err := json.Unmarshal(body, &out); err != nil {
		t.Fatalf("/readyz body %q is not JSON: %v", body, err)
	}
	return resp.StatusCode, out
}

// sourceRow is maria's row of junction.sources.
func sourceRow(t *testing.T, conn *pgx.Conn) map[string]string {
	t.Helper()
	res := query(t, conn, `SELECT status, circuit_state, coalesce(last_error, ''), checked_at IS NOT NULL,
		coalesce(latency_ms::text, ''), consecutive_failures, coalesce(retry_at::text, ''), required
		FROM junction.sources WHERE name = 'maria'`)
	if len(res.Rows) != 1 {
		t.Fatalf("junction.sources has %d rows for maria", len(res.Rows))
	}
	r := res.Rows[0]
	return map[string]string{"status": r[0].Text, "circuit": r[1].Text, "last_error": r[2].Text, "checked": r[3].Text,
		"latency_ms": r[4].Text, "failures": r[5].Text, "retry_at": r[6].Text, "required": r[7].Text}
}

func TestSourceFailureBreakerAndRecovery(t *testing.T) {
	rig := newFaultRig(t)
	conn := rig.conn
	const cross = `SELECT b.id, b.pad, s.name FROM maria.big b JOIN pg.small s ON s.id = b.id % 10`
	if got := queryValue(t, conn, `SELECT count(*) FROM maria.big b JOIN pg.small s ON s.id = b.id % 10`); got != fmt.Sprint(faultRows) {
		t.Fatalf("cross-source count = %s, want %d", got, faultRows)
	}
	if st := sourceRow(t, conn); st["status"] != "up" || st["circuit"] != "closed" || st["required"] != "t" {
		t.Fatalf("junction.sources before the fault: %v", st)
	}
	if code, body := readyz(t, rig.srv); code != http.StatusOK || body["ready"] != true {
		t.Fatalf("/readyz before the fault: %d %v", code, body)
	}

	// Kill the source while the client is reading a streaming join.
	ctx, cancel := context.WithTimeout(context.Background(), queryTimeout)
	defer cancel()
	rows, err := conn.Query(ctx, cross)
	if err != nil {
		t.Fatal(err)
	}
	if !rows.Next() {
		t.Fatalf("the streaming join returned no row: %v", rows.Err())
	}
	read := 1
	rig.maria.Kill(t)
	killed := time.Now()
	for rows.Next() {
		read++
	}
	rows.Close()
	errAfter := time.Since(killed)
	var pe *pgconn.PgError
	if !errors.As(rows.Err(), &pe) || !strings.Contains(pe.Message, `"maria"`) || !strings.HasPrefix(pe.Code, "08") {
		t.Fatalf("after killing the source mid-stream the client got %v (after %d rows), want an 08xxx error naming maria", rows.Err(), read)
	}
	t.Logf("kill mid-stream: error after %d ms and %d of %d rows: %s: %s", errAfter.Milliseconds(), read, faultRows, pe.Code, pe.Message)
	if errAfter > 2*time.Second {
		t.Errorf("the error took %v after the kill, want under 2s", errAfter)
	}
	if got := queryValue(t, conn, "SELECT 1"); got != "1" {
		t.Fatalf("session after the error: SELECT 1 = %s", got)
	}

	// The PostgreSQL source is untouched, and the dead one soon fails fast.
	var fast []time.Duration
	var slow []string
	for i := 0; i < 20 && len(fast) < 5; i++ {
		d, err := timedQuery(conn, "SELECT count(*) FROM pg.small")
		if err != nil {
			t.Fatalf("PostgreSQL source while maria is down: %v", err)
		}
		if d > time.Second {
			t.Errorf("PostgreSQL source query took %v while maria is down", d)
		}
		d, err = timedQuery(conn, "SELECT count(*) FROM maria.big")
		if !errors.As(err, &pe) || !strings.Contains(pe.Message, `"maria"`) {
			t.Fatalf("query on the dead source: %v, want an error naming maria", err)
		}
		if !strings.Contains(pe.Message, "is unavailable") {
			slow = append(slow, fmt.Sprintf("%dms %s", d.Milliseconds(), pe.Code))
			continue
		}
		if pe.Code != "08001" || !strings.Contains(pe.Message, "retried at") {
			t.Errorf("open breaker: %s %s", pe.Code, pe.Message)
		}
		if d > 50*time.Millisecond {
			t.Errorf("open breaker took %v to fail, want under 50ms", d)
		}
		fast = append(fast, d)
	}
	if len(fast) < 5 {
		t.Fatalf("the breaker never opened: %d fast failures, queries that reached for the source: %v", len(fast), slow)
	}
	t.Logf("before the breaker opened: %d queries %v; then %d fail-fast queries took %v; message: %s", len(slow), slow, len(fast), fast, pe.Message)

	st := sourceRow(t, conn)
	if st["status"] != "down" || st["circuit"] != "open" || st["last_error"] == "" || st["checked"] != "t" || st["retry_at"] == "" {
		t.Errorf("junction.sources while the source is down: %v", st)
	}
	code, body := readyz(t, rig.srv)
	if code != http.StatusServiceUnavailable || !strings.Contains(fmt.Sprint(body["unhealthy"]), "maria") {
		t.Errorf("/readyz while a required source is down: %d %v", code, body)
	}
	t.Logf("junction.sources while down: %v; /readyz: %d %v", st, code, body)

	// Restart the source: after the cool-down the next query succeeds, with no DDL.
	rig.maria.Start(t)
	restarted := time.Now()
	retryAt := time.Now().Add(faultCooldown)
	if at, err := time.Parse("2006-01-02 15:04:05.999999-07", st["retry_at"]); err == nil {
		retryAt = at
	}
	time.Sleep(time.Until(retryAt) + 50*time.Millisecond)
	d, err := timedQuery(conn, "SELECT count(*) FROM maria.big")
	if err != nil {
		t.Fatalf("first query after the restart and the cool-down: %v", err)
	}
	t.Logf("restart: first query %d ms after the restart (cool-down ended %d ms after it) succeeded in %d ms",
		time.Since(restarted).Milliseconds(), retryAt.Sub(restarted).Milliseconds(), d.Milliseconds())
	if st := sourceRow(t, conn); st["status"] != "up" || st["circuit"] != "closed" {
		t.Errorf("junction.sources after recovery: %v", st)
	}
	if got := queryValue(t, conn, `SELECT count(*) FROM maria.big b JOIN pg.small s ON s.id = b.id % 10`); got != fmt.Sprint(faultRows) {
		t.Errorf("cross-source count after recovery = %s", got)
	}
	waitReady(t, rig.srv, 2*time.Second)
}

// waitReady waits until /readyz answers 200.
func waitReady(t *testing.T, srv *testenv.Server, within time.Duration) time.Duration {
	t.Helper()
	start := time.Now()
	for {
		code, body := readyz(t, srv)
		if code == http.StatusOK {
			return time.Since(start)
		}
		if time.Since(start) > within {
			t.Fatalf("/readyz still %d %v after %v", code, body, within)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestSourceDownAtStartBecomesUsable(t *testing.T) {
	rig := newFaultRig(t)
	rig.srv.Stop(t)
	rig.maria.Kill(t)
	start := time.Now()
	rig.srv.Restart(t)
	t.Logf("junction started in %d ms with maria down", time.Since(start).Milliseconds())
	conn := rig.srv.Connect(t)
	if got := queryValue(t, conn, "SELECT count(*) FROM pg.small"); got != "10" {
		t.Errorf("PostgreSQL source with maria down: %s", got)
	}
	if st := sourceRow(t, conn); st["status"] != "down" || st["last_error"] == "" {
		t.Errorf("junction.sources with maria down at start: %v", st)
	}
	if code, body := readyz(t, rig.srv); code != http.StatusServiceUnavailable {
		t.Errorf("/readyz with a required source down at start: %d %v", code, body)
	}

	rig.maria.Start(t)
	up := time.Now()
	var tries int
	for {
		tries++
		_, err := timedQuery(conn, "SELECT count(*) FROM maria.big")
		if err == nil {
			break
		}
		if time.Since(up) > faultCooldown+10*time.Second {
			t.Fatalf("maria not usable %v after it started: %v", time.Since(up), err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	usable := time.Since(up)
	ready := waitReady(t, rig.srv, 2*time.Second)
	st := sourceRow(t, conn)
	if st["status"] != "up" || st["circuit"] != "closed" || st["latency_ms"] == "" {
		t.Errorf("junction.sources once maria is back: %v", st)
	}
	t.Logf("down at start: usable %d ms after MariaDB answered (%d tries), /readyz 200 %d ms later; junction.sources %v",
		usable.Milliseconds(), tries, ready.Milliseconds(), st)
}

func TestSourceGuardOptions(t *testing.T) {
	db, _ := testenv.NewPostgresDB(t, "guardopts")
	srv := testenv.StartServer(t)
	conn := srv.Connect(t)
	base := fmt.Sprintf(`host '127.0.0.1', port '5432', dbname '%s', user 'root'`, db)
	for _, bad := range []string{"breaker_failures '0'", "breaker_cooldown 'soon'", "health_interval '-1s'", "required 'perhaps'"} {
		pe := expectError(t, conn, fmt.Sprintf(`CREATE SERVER g FOREIGN DATA WRAPPER postgres OPTIONS (%s, %s)`, base, bad), "22023")
		if pe != nil && !strings.Contains(pe.Message, strings.Fields(bad)[0]) {
			t.Errorf("%s: message %q does not name the option", bad, pe.Message)
		}
	}
	if got := column(query(t, conn, `SELECT name FROM junction.sources WHERE name = 'g'`), 0); len(got) != 0 {
		t.Fatalf("a server with bad options was registered: %v", got)
	}
	mustExec(t, conn, fmt.Sprintf(`CREATE SERVER g FOREIGN DATA WRAPPER postgres OPTIONS (%s, breaker_failures '2')`, base))
	mustExec(t, conn, `ALTER SERVER g OPTIONS (ADD required 'true', SET breaker_failures '4')`)
	res := query(t, conn, `SELECT status, circuit_state, required, array_to_string(options, ',') FROM junction.sources WHERE name = 'g'`)
	if r := res.Rows[0]; r[0].Text != "up" || r[1].Text != "closed" || r[2].Text != "t" ||
		!strings.Contains(r[3].Text, "breaker_failures=4") || !strings.Contains(r[3].Text, "required=true") {
		t.Errorf("junction.sources after ALTER SERVER: %v", r)
	}
	if code, body := readyz(t, srv); code != http.StatusOK {
		t.Errorf("/readyz with a required source up: %d %v", code, body)
	}
}

func TestFrozenSourceFailsFastOnceFound(t *testing.T) {
	rig := newFaultRig(t)
	conn := rig.conn
	rig.maria.Freeze(t)
	frozen := time.Now()
	// The health checks (every 500 ms, each given 500 ms) find it and
	// open the breaker without a query having to hang on it.
	var st map[string]string
	for st = sourceRow(t, conn); st["circuit"] != "open"; st = sourceRow(t, conn) {
		if time.Since(frozen) > 15*time.Second {
			rig.maria.Thaw(t)
			t.Fatalf("the breaker of a frozen source did not open within 15s: %v", st)
		}
		time.Sleep(100 * time.Millisecond)
	}
	opened := time.Since(frozen)
	d, err := timedQuery(conn, "SELECT count(*) FROM maria.big")
	var pe *pgconn.PgError
	if !errors.As(err, &pe) || pe.Code != "08001" || !strings.Contains(pe.Message, `"maria" is unavailable`) {
		t.Errorf("query on the frozen source: %v", err)
	}
	if d > 50*time.Millisecond {
		t.Errorf("query on the frozen source took %v with the breaker open", d)
	}
	if got := queryValue(t, conn, "SELECT count(*) FROM pg.small"); got != "10" {
		t.Errorf("PostgreSQL source while maria is frozen: %s", got)
	}
	t.Logf("frozen: breaker open %d ms after SIGSTOP (last error %q); a query then failed in %.2f ms",
		opened.Milliseconds(), st["last_error"], float64(d.Microseconds())/1000)
	rig.maria.Thaw(t)
	thawed := time.Now()
	for {
		if _, err := timedQuery(conn, "SELECT count(*) FROM maria.big"); err == nil {
			break
		}
		if time.Since(thawed) > faultCooldown+10*time.Second {
			t.Fatalf("maria not usable %v after SIGCONT: %v", time.Since(thawed), err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Logf("thawed: usable again %d ms after SIGCONT", time.Since(thawed).Milliseconds())
}

func TestDeclaredSourceDownAtStartIsDiscoveredWhenItStarts(t *testing.T) {
	m := testenv.StartPrivateMariaDB(t)
	admin, err := m.Open("mysql")
	if err != nil {
		t.Fatal(err)
	}
	for _, stmt := range []string{"CREATE DATABASE declared", "CREATE TABLE declared.t (id int PRIMARY KEY)", "INSERT INTO declared.t VALUES (1), (2), (3)"} {
		if _, err := admin.ExecContext(context.Background(), stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	admin.Close()
	m.Kill(t)
	config := filepath.Join(t.TempDir(), "junction.yaml")
	yaml := fmt.Sprintf(`source_defaults:
  health_interval: 300ms
sources:
  - name: declared
    wrapper: mysql
    options: {host: 127.0.0.1, port: %d, dbname: declared, user: root, required: true}
`, m.Port)
	if err := os.WriteFile(config, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	testenv.BuildBinary(t) // not part of the start's time
	start := time.Now()
	srv := testenv.StartServer(t, "serve", "--config", config)
	t.Logf("junction started in %d ms with its declared source down", time.Since(start).Milliseconds())
	conn := srv.Connect(t)
	if got := queryValue(t, conn, `SELECT status || '/' || tables FROM junction.sources WHERE name = 'declared'`); got != "down/0" {
		t.Errorf("declared source down at start: %s, want down/0", got)
	}
	if code, _ := readyz(t, srv); code != http.StatusServiceUnavailable {
		t.Errorf("/readyz with the required declared source down: %d", code)
	}
	m.Start(t)
	up := time.Now()
	for {
		d, err := timedQuery(conn, "SELECT count(*) FROM declared.t")
		if err == nil {
			t.Logf("declared source: discovered and queried %d ms after MariaDB answered (query %d ms)", time.Since(up).Milliseconds(), d.Milliseconds())
			break
		}
		if time.Since(up) > 10*time.Second {
			t.Fatalf("declared source not usable %v after it started: %v", time.Since(up), err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if got := queryValue(t, conn, "SELECT sum(id) FROM declared.t"); got != "6" {
		t.Errorf("sum(id) = %s, want 6", got)
	}
	waitReady(t, srv, 2*time.Second)
}
