package e2e

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/junction-db/junction/test/testenv"
)

// The soak test's shape; JUNCTION_SOAK_DURATION (a Go duration) and
// JUNCTION_SOAK_SESSIONS change it.
const (
	defaultSoakDuration = 60 * time.Second
	defaultSoakSessions = 200
	soakCustomers       = 2000
	soakOrders          = 20000
	// soakPoolSize is each source's max_connections in the soak.
	soakPoolSize = 8
	// soakPeakRSS bounds the server's peak resident memory.
	soakPeakRSS = 1 << 30
)

func soakSetting(t *testing.T, name string, def time.Duration) time.Duration {
	t.Helper()
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		t.Fatalf("%s=%q is not a positive duration", name, v)
	}
	return d
}

// soakRig is a server with a PostgreSQL source pg holding customers and a
// MariaDB source maria holding orders, whose values are computed from
// their ids so that every answer can be checked.
type soakRig struct {
	srv        *testenv.Server
	pgDB, myDB string
	pgAdmin    *pgx.Conn
	mariaAdmin *sql.DB
}

func newSoakRig(t *testing.T, sessions int) *soakRig {
	t.Helper()
	ctx := context.Background()
	pgDB, pg := testenv.NewPostgresDB(t, "soak")
	if _, err := pg.Exec(ctx, fmt.Sprintf(`CREATE TABLE customers (id int PRIMARY KEY, name text NOT NULL, country text NOT NULL);
		INSERT INTO customers SELECT g, 'c' || g, 'C' || (g %% 7) FROM generate_series(1, %d) g; ANALYZE customers`, soakCustomers)); err != nil {
		t.Fatal(err)
	}
	myDB, my := testenv.NewMariaDB(t, "soak")
	for _, stmt := range []string{
		"CREATE TABLE orders (id int PRIMARY KEY, customer_id int NOT NULL, amount int NOT NULL, KEY (customer_id))",
		fmt.Sprintf("INSERT INTO orders SELECT seq, seq %% %d + 1, seq %% 100 FROM seq_1_to_%d", soakCustomers, soakOrders),
		"ANALYZE TABLE orders",
	} {
		if _, err := my.ExecContext(ctx, stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	my.Close()
	file := filepath.Join(t.TempDir(), "junction.yaml")
	yaml := fmt.Sprintf(`max_connections: %[3]d
sources:
  - name: pg
    wrapper: postgres
    options: {host: 127.0.0.1, port: 5432, dbname: %[1]s, user: root, max_connections: %[4]d}
  - name: maria
    wrapper: mysql
    options: {host: 127.0.0.1, port: 3306, dbname: %[2]s, user: root, max_connections: %[4]d}
`, pgDB, myDB, sessions+10, soakPoolSize)
	if err := os.WriteFile(file, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	return &soakRig{srv: testenv.StartServer(t, "serve", "--config", file), pgDB: pgDB, myDB: myDB,
		pgAdmin: testenv.RequirePostgres(t), mariaAdmin: testenv.RequireMariaDB(t)}
}

// soakQuery is one query of the mix: its SQL with $1 for a random key,
// and the answer it must give for that key.
type soakQuery struct {
	name string
	sql  string
	want func(k int) string
}

var soakMix = []soakQuery{
	{"point lookup on PostgreSQL", "SELECT name FROM pg.customers WHERE id = $1",
		func(k int) string { return "c" + strconv.Itoa(k) }},
	{"point lookup on MariaDB", "SELECT amount FROM maria.orders WHERE id = $1",
		func(k int) string { return strconv.Itoa(k % 100) }},
	{"cross-source join", "SELECT count(*), sum(o.amount) FROM pg.customers c JOIN maria.orders o ON o.customer_id = c.id WHERE c.id = $1",
		func(k int) string {
			n, sum := 0, 0
			for id := k - 1; id <= soakOrders; id += soakCustomers {
				if id >= 1 {
					n++
					sum += id % 100
				}
			}
			return fmt.Sprintf("%d %d", n, sum)
		}},
	{"cross-source aggregate", `SELECT count(DISTINCT c.country) FROM pg.customers c JOIN maria.orders o ON o.customer_id = c.id
		WHERE o.id BETWEEN $1 AND $1 + 49`,
		func(k int) string {
			seen := map[int]bool{}
			for id := k; id <= k+49 && id <= soakOrders; id++ {
				seen[(id%soakCustomers+1)%7] = true
			}
			return strconv.Itoa(len(seen))
		}},
	{"aggregate on MariaDB", "SELECT count(*), sum(amount) FROM maria.orders WHERE customer_id = $1",
		func(k int) string {
			n, sum := 0, 0
			for id := k - 1; id <= soakOrders; id += soakCustomers {
				if id >= 1 {
					n++
					sum += id % 100
				}
			}
			return fmt.Sprintf("%d %d", n, sum)
		}},
	{"aggregate on PostgreSQL", "SELECT count(*) FROM pg.customers WHERE id <= $1 AND country = 'C3'",
		func(k int) string { return strconv.Itoa((k + 4) / 7) }},
}

// serverState is what the soak compares before and after.
type serverState struct {
	sessions, goroutines int
	heapMB, liveMB       float64
	pgConns, myConns     int
	pgActive, myActive   int
}

func (r *soakRig) state(t *testing.T, conn *pgx.Conn) serverState {
	t.Helper()
	ctx := context.Background()
	var s serverState
	var heap, live int64
	if err := conn.QueryRow(ctx, "SELECT sessions, goroutines, heap_bytes, heap_live_bytes FROM junction.server").Scan(&s.sessions, &s.goroutines, &heap, &live); err != nil {
		t.Fatal(err)
	}
	s.heapMB, s.liveMB = float64(heap)/(1<<20), float64(live)/(1<<20)
	if err := r.pgAdmin.QueryRow(ctx, `SELECT count(*), count(*) FILTER (WHERE state = 'active') FROM pg_stat_activity
		WHERE datname = $1 AND application_name = 'junction'`, r.pgDB).Scan(&s.pgConns, &s.pgActive); err != nil {
		t.Fatal(err)
	}
	if err := r.mariaAdmin.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(COMMAND = 'Query'), 0) FROM information_schema.PROCESSLIST
		WHERE DB = ?`, r.myDB).Scan(&s.myConns, &s.myActive); err != nil {
		t.Fatal(err)
	}
	return s
}

func (s serverState) String() string {
	return fmt.Sprintf("%d sessions, %d goroutines, heap %.1f MiB (live at the last collection %.1f MiB), PostgreSQL connections %d (%d active), MariaDB connections %d (%d running)",
		s.sessions, s.goroutines, s.heapMB, s.liveMB, s.pgConns, s.pgActive, s.myConns, s.myActive)
}

// procStatus reads a field of the server's /proc status in kB.
func procStatus(t *testing.T, pid int, field string) int64 {
	t.Helper()
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, field+":"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			return kb
		}
	}
	t.Fatalf("/proc/%d/status has no %s", pid, field)
	return 0
}

// TestSoak runs many sessions at once, each a loop of point lookups,
// cross-source joins and aggregates whose answers it checks, and then
// requires that nothing failed and that the server went back to idle: its
// sessions, goroutines and source connections as before, no statement
// left running on a source, and its peak memory bounded.
func TestSoak(t *testing.T) {
	duration := soakSetting(t, "JUNCTION_SOAK_DURATION", defaultSoakDuration)
	sessions := defaultSoakSessions
	if v := os.Getenv("JUNCTION_SOAK_SESSIONS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			t.Fatalf("JUNCTION_SOAK_SESSIONS=%q is not a positive integer", v)
		}
		sessions = n
	}
	r := newSoakRig(t, sessions)
	admin := r.srv.Connect(t)
	url := r.srv.URL(testenv.DemoUser, testenv.DemoPassword)

	t.Logf("fresh server: %s", r.state(t, admin))

	// Warm up: every source connection the pools will hold is opened, so
	// that "idle" is the state of a server that has served.
	r.run(t, url, sessions, 3*time.Second)
	idle := r.waitIdle(t, admin, nil)
	t.Logf("idle before the soak: %s", idle)

	start := time.Now()
	queries, errs := r.run(t, url, sessions, duration)
	elapsed := time.Since(start)
	peakRSS := procStatus(t, r.srv.Pid(), "VmHWM")
	after := r.waitIdle(t, admin, &idle)
	t.Logf("soak: %d sessions for %s: %d queries (%.0f/s), %d errors; peak RSS %.1f MiB",
		sessions, elapsed.Round(time.Millisecond), queries, float64(queries)/elapsed.Seconds(), errs, float64(peakRSS)/1024)
	t.Logf("idle after the soak: %s", after)
	if errs != 0 {
		t.Errorf("%d of %d queries failed", errs, queries)
	}
	if peakRSS*1024 > soakPeakRSS {
		t.Errorf("peak RSS %.1f MiB is above %d MiB", float64(peakRSS)/1024, soakPeakRSS>>20)
	}
}

// run opens n sessions that run the mix until d has passed, and returns
// how many queries they ran and how many failed; the first failures are
// logged.
func (r *soakRig) run(t *testing.T, url string, n int, d time.Duration) (queries, failures int64) {
	t.Helper()
	var total, failed atomic.Int64
	var logged atomic.Int32
	fail := func(format string, args ...any) {
		failed.Add(1)
		if logged.Add(1) <= 10 {
			t.Errorf(format, args...)
		}
	}
	deadline := time.Now().Add(d)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx, cancel := context.WithTimeout(context.Background(), d+queryTimeout)
			defer cancel()
			conn, err := pgx.Connect(ctx, url)
			if err != nil {
				fail("session %d: connect: %v", i, err)
				return
			}
			defer conn.Close(context.Background())
			if i%2 == 1 {
				// Half the sessions run under a statement_timeout, which
				// their source connections learn as they pass between
				// sessions.
				if _, err := conn.Exec(ctx, "SET statement_timeout = '30s'"); err != nil {
					fail("session %d: SET statement_timeout: %v", i, err)
					return
				}
			}
			rng := rand.New(rand.NewPCG(uint64(i), 7))
			for j := 0; time.Now().Before(deadline); j++ {
				q := soakMix[(i+j)%len(soakMix)]
				k := 1 + rng.IntN(soakCustomers)
				var args []any
				if j%2 == 1 {
					// Every other query goes through the simple protocol.
					args = append(args, pgx.QueryExecModeSimpleProtocol)
				}
				args = append(args, k)
				rows, err := conn.Query(ctx, q.sql, args...)
				total.Add(1)
				if err != nil {
					fail("session %d: %s (%d): %v", i, q.name, k, err)
					continue
				}
				var got []string
				for rows.Next() {
					vals, err := rows.Values()
					if err != nil {
						break
					}
					for _, v := range vals {
						got = append(got, fmt.Sprint(v))
					}
				}
				if err := rows.Err(); err != nil {
					fail("session %d: %s (%d): %v", i, q.name, k, err)
					continue
				}
				if want := q.want(k); strings.Join(got, " ") != want {
					fail("session %d: %s (%d) = %q, want %q", i, q.name, k, strings.Join(got, " "), want)
				}
			}
		}()
	}
	wg.Wait()
	return total.Load(), failed.Load()
}

// waitIdle waits until the server has no session but admin's, no source
// runs a statement for it, its source connections are within their pools'
// bound and, given a baseline, its goroutines are back to the baseline's;
// it returns that state.
func (r *soakRig) waitIdle(t *testing.T, admin *pgx.Conn, baseline *serverState) serverState {
	t.Helper()
	const slack = 5 // goroutines that come and go: health checks, timers
	deadline := time.Now().Add(15 * time.Second)
	for {
		s := r.state(t, admin)
		settled := s.sessions == 1 && s.pgActive == 0 && s.myActive == 0 && s.pgConns <= soakPoolSize && s.myConns <= soakPoolSize
		if baseline != nil {
			// The pools may hold a few more idle connections than after the
			// warm-up, never more than their bound; each of MariaDB's has
			// a goroutine of its own.
			allowed := baseline.goroutines + slack + max(s.myConns-baseline.myConns, 0)
			settled = settled && s.goroutines <= allowed
		}
		if settled {
			return s
		}
		if time.Now().After(deadline) {
			if baseline != nil {
				t.Errorf("the server did not return to idle: %s; before: %s", s, *baseline)
			} else {
				t.Errorf("the server did not become idle: %s", s)
			}
			return s
		}
		time.Sleep(100 * time.Millisecond)
	}
}
