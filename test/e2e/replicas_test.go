package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/junction-db/junction/test/testenv"
)

// propagationDeadline is how soon a change made on one replica must be
// usable on the others for the test to tell that the notification
// carried it, not the periodic re-read (10 s). Notified changes land in
// well under a second (the test logs the times); the slack is for a
// loaded machine.
const propagationDeadline = 3 * time.Second

// startReplicas runs n servers that share the catalog database catalogURL.
func startReplicas(t *testing.T, n int, catalogURL string) ([]*testenv.Server, []*pgx.Conn) {
	t.Helper()
	servers := make([]*testenv.Server, n)
	conns := make([]*pgx.Conn, n)
	for i := range servers {
		servers[i] = testenv.StartServer(t, "serve", "--catalog", catalogURL)
		conns[i] = servers[i].Connect(t)
	}
	return servers, conns
}

// newSourceDB creates a PostgreSQL database with a table t of rows rows.
func newSourceDB(t *testing.T, rows int) string {
	t.Helper()
	name, conn := testenv.NewPostgresDB(t, "jrep_src")
	ctx := context.Background()
	if _, err := conn.Exec(ctx, fmt.Sprintf(`CREATE TABLE t AS SELECT g AS id FROM generate_series(1, %d) g`, rows)); err != nil {
		t.Fatal(err)
	}
	return name
}

// waitQueryable polls sql on conn until it returns want and reports how
// long that took, or fails the test after deadline.
func waitQueryable(t *testing.T, conn *pgx.Conn, sql, want string, start time.Time, deadline time.Duration) time.Duration {
	t.Helper()
	var last string
	for {
		ctx, cancel := context.WithTimeout(context.Background(), deadline)
		res, err := testenv.QueryText(ctx, conn, sql)
		cancel()
		if err == nil && len(res.Rows) == 1 && res.Rows[0][0].Text == want {
			return time.Since(start)
		}
		if err != nil {
			last = testenv.DescribeError(err)
		} else {
			last = fmt.Sprint(res.Rows)
		}
		if time.Since(start) > deadline {
			t.Fatalf("%s: not %s within %s of the change on another replica; last answer: %s", sql, want, deadline, last)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestReplicasSeeEachOthersServersWithinASecond(t *testing.T) {
	catalogDB, _ := testenv.NewPostgresDB(t, "jrep_cat")
	_, conns := startReplicas(t, 3, testenv.PostgresURL(catalogDB))
	for round := range 3 {
		src := newSourceDB(t, 10+round)
		name := fmt.Sprintf("shared%d", round)
		writer := conns[round%3]
		start := time.Now()
		mustExec(t, writer, testenv.PostgresServerDDL(name, src))
		for i, conn := range conns {
			if conn == writer {
				continue
			}
			took := waitQueryable(t, conn, "SELECT count(*) FROM "+name+".t", fmt.Sprint(10+round), start, propagationDeadline)
			t.Logf("CREATE SERVER %s on replica %d: queryable on replica %d after %s", name, round%3+1, i+1, took.Round(time.Millisecond))
		}
	}
	// A view, and a DROP, propagate the same way.
	start := time.Now()
	mustExec(t, conns[0], `CREATE VIEW big AS SELECT id FROM shared0.t WHERE id > 5`)
	took := waitQueryable(t, conns[2], `SELECT count(*) FROM big`, "5", start, propagationDeadline)
	t.Logf("CREATE VIEW on replica 1: queryable on replica 3 after %s", took.Round(time.Millisecond))
	mustExec(t, conns[1], `DROP VIEW big`)
	start = time.Now()
	mustExec(t, conns[1], `DROP SERVER shared1`)
	took = waitQueryable(t, conns[0], `SELECT count(*) FROM junction.sources WHERE name IN ('shared1')`, "0", start, propagationDeadline)
	t.Logf("DROP SERVER on replica 2: gone on replica 1 after %s", took.Round(time.Millisecond))
	if _, err := conns[0].Exec(context.Background(), `SELECT * FROM big`); sqlstate(err) != "42P01" {
		t.Errorf("the view dropped on replica 2 still answers on replica 1 (err %v)", err)
	}
}

func TestReplicasRacingOnDDLLoseNoChange(t *testing.T) {
	catalogDB, _ := testenv.NewPostgresDB(t, "jrep_cat")
	_, conns := startReplicas(t, 2, testenv.PostgresURL(catalogDB))
	src := newSourceDB(t, 3)
	mustExec(t, conns[0], testenv.PostgresServerDDL("base", src))
	waitQueryable(t, conns[1], "SELECT count(*) FROM base.t", "3", time.Now(), 5*time.Second)

	const rounds = 15
	var wg sync.WaitGroup
	errs := make(chan error, 2*rounds*2)
	for r, conn := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx := context.Background()
			for i := range rounds {
				for _, sql := range []string{
					testenv.PostgresServerDDL(fmt.Sprintf("race_r%d_%d", r, i), src),
					fmt.Sprintf(`CREATE VIEW race_v%d_%d AS SELECT id FROM base.t WHERE id <= %d`, r, i, i%3+1),
				} {
					if _, err := conn.Exec(ctx, sql); err != nil {
						errs <- fmt.Errorf("replica %d: %s: %v", r+1, sql, testenv.DescribeError(err))
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	// Every change of both replicas is in the catalog both see.
	want := fmt.Sprint(2*rounds + 1)
	for i, conn := range conns {
		waitQueryable(t, conn, `SELECT count(*) FROM junction.sources WHERE name = 'base' OR name LIKE 'race_r%'`, want, time.Now(), 5*time.Second)
		waitQueryable(t, conn, `SELECT count(*) FROM information_schema.views WHERE table_name LIKE 'race_v%'`, fmt.Sprint(2*rounds), time.Now(), 5*time.Second)
		t.Logf("replica %d sees all %d servers and %d views created by two replicas racing", i+1, 2*rounds, 2*rounds)
	}
	if got := queryValue(t, conns[1], `SELECT count(*) FROM race_r0_7.t`); got != "3" {
		t.Errorf("a server created on replica 1 answers %s rows on replica 2, want 3", got)
	}

	// Both replicas creating the same name at once: one wins, the other
	// fails as it would on one server, never silently replacing it.
	for i := range 5 {
		sql := fmt.Sprintf(`CREATE VIEW same_%d AS SELECT id FROM base.t`, i)
		results := make(chan error, 2)
		for _, conn := range conns {
			go func() {
				_, err := conn.Exec(context.Background(), sql)
				results <- err
			}()
		}
		var codes []string
		for range conns {
			if err := <-results; err != nil {
				codes = append(codes, sqlstate(err))
			} else {
				codes = append(codes, "ok")
			}
		}
		slices.Sort(codes)
		if !slices.Equal(codes, []string{"42P07", "ok"}) {
			t.Errorf("%s on both replicas at once: %v, want one success and one 42P07", sql, codes)
		}
	}
}

func TestReplicasConcurrentAlterNeverUndoesTheOther(t *testing.T) {
	catalogDB, _ := testenv.NewPostgresDB(t, "jrep_cat")
	_, conns := startReplicas(t, 2, testenv.PostgresURL(catalogDB))
	src := newSourceDB(t, 3)
	mustExec(t, conns[0], testenv.PostgresServerDDL("s", src))
	waitQueryable(t, conns[1], "SELECT count(*) FROM s.t", "3", time.Now(), 5*time.Second)
	mustExec(t, conns[0], `ALTER SERVER s OPTIONS (ADD breaker_failures '1')`)
	mustExec(t, conns[0], `ALTER SERVER s OPTIONS (ADD health_interval '1s')`)

	// Replica 1 changes only breaker_failures, replica 2 only
	// health_interval, of the same server at the same time. Each ALTER
	// either applies or fails with 40001 and is retried, as a client
	// would; a stale ALTER that applied would put back the other
	// replica's older value.
	const rounds = 15
	var retries [2]int
	var last [2]string
	var wg sync.WaitGroup
	for r, conn := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range rounds {
				value := fmt.Sprint(i + 2)
				sql := fmt.Sprintf(`ALTER SERVER s OPTIONS (SET breaker_failures '%s')`, value)
				if r == 1 {
					value += "s"
					sql = fmt.Sprintf(`ALTER SERVER s OPTIONS (SET health_interval '%s')`, value)
				}
				for attempt := 1; ; attempt++ {
					_, err := conn.Exec(context.Background(), sql)
					if err == nil {
						last[r] = value
						break
					}
					if sqlstate(err) != "40001" || attempt == 100 {
						t.Errorf("replica %d: %s (attempt %d): %s", r+1, sql, attempt, testenv.DescribeError(err))
						return
					}
					retries[r]++
				}
			}
		}()
	}
	wg.Wait()
	t.Logf("%d concurrent ALTER SERVERs of one server per replica: replica 1 got 40001 and retried %d times, replica 2 %d times",
		rounds, retries[0], retries[1])
	if t.Failed() {
		t.FailNow()
	}
	want := fmt.Sprintf("breaker_failures=%s health_interval=%s", last[0], last[1])
	for i, conn := range conns {
		opts := `SELECT string_agg(o, ' ' ORDER BY o) FROM (SELECT unnest(srvoptions) AS o FROM pg_catalog.pg_foreign_server WHERE srvname = 's') x WHERE o LIKE 'breaker_failures=%' OR o LIKE 'health_interval=%'`
		waitQueryable(t, conn, opts, want, time.Now(), 5*time.Second)
		t.Logf("replica %d shows %s: both replicas' last applied ALTERs", i+1, want)
	}
}

func TestReplicaKilledMidQueryLeavesOthersServing(t *testing.T) {
	catalogDB, _ := testenv.NewPostgresDB(t, "jrep_cat")
	servers, conns := startReplicas(t, 3, testenv.PostgresURL(catalogDB))
	src := newSourceDB(t, 200000)
	mustExec(t, conns[0], testenv.PostgresServerDDL("big", src))
	for _, conn := range conns[1:] {
		waitQueryable(t, conn, "SELECT count(*) FROM big.t", "200000", time.Now(), 5*time.Second)
	}
	// Replica 1 streams a result larger than any socket buffer (a cross
	// join it computes itself) when it dies.
	ctx := context.Background()
	rows, err := conns[0].Query(ctx, `SELECT a.id FROM big.t a CROSS JOIN big.t b`)
	if err != nil {
		t.Fatal(err)
	}
	if !rows.Next() {
		t.Fatalf("the query on replica 1 returned no row: %v", rows.Err())
	}
	servers[0].Kill()
	for rows.Next() {
	}
	if rows.Err() == nil {
		t.Errorf("the query of the killed replica ended without an error")
	}
	rows.Close()
	for i, conn := range conns[1:] {
		if got := queryValue(t, conn, `SELECT count(*) FROM big.t WHERE id % 2 = 0`); got != "100000" {
			t.Errorf("replica %d answers %s after replica 1 was killed, want 100000", i+2, got)
		}
	}
	// DDL still works and still propagates between the survivors.
	start := time.Now()
	mustExec(t, conns[1], `CREATE VIEW evens AS SELECT id FROM big.t WHERE id % 2 = 0`)
	took := waitQueryable(t, conns[2], `SELECT count(*) FROM evens`, "100000", start, propagationDeadline)
	t.Logf("after the kill: CREATE VIEW on replica 2 queryable on replica 3 after %s", took.Round(time.Millisecond))
}

func TestCatalogExportImportRoundTrip(t *testing.T) {
	src := newSourceDB(t, 4)
	// A catalog made in a data directory ...
	fileServer := testenv.StartServer(t)
	conn := fileServer.Connect(t)
	mustExec(t, conn, testenv.PostgresServerDDL("moved", src))
	mustExec(t, conn, `CREATE VIEW moved_view AS SELECT id FROM moved.t WHERE id > 1`)
	conn.Close(context.Background())
	fileServer.Stop(t)

	bin := testenv.BuildBinary(t)
	exported := runJunction(t, bin, "", "catalog", "export", "--data-dir", fileServer.DataDir)
	var doc struct {
		Sources map[string]json.RawMessage `json:"sources"`
		Views   map[string]json.RawMessage `json:"views"`
	}
	if err := json.Unmarshal([]byte(exported), &doc); err != nil {
		t.Fatalf("export is not JSON: %v\n%s", err, exported)
	}
	if _, ok := doc.Sources["moved"]; !ok || len(doc.Views) != 1 {
		t.Fatalf("export lacks the server or the view:\n%s", exported)
	}
	// ... moves to a catalog database, where replicas serve it ...
	catalogDB, _ := testenv.NewPostgresDB(t, "jrep_cat")
	catalogURL := testenv.PostgresURL(catalogDB)
	runJunction(t, bin, exported, "catalog", "import", "--catalog", catalogURL)
	_, conns := startReplicas(t, 2, catalogURL)
	for _, c := range conns {
		if got := queryValue(t, c, `SELECT count(*) FROM moved_view`); got != "3" {
			t.Errorf("the imported view answers %s, want 3", got)
		}
	}
	mustExec(t, conns[0], `CREATE VIEW added_in_db AS SELECT id FROM moved.t`)
	// ... and back to a data directory.
	back := runJunction(t, bin, "", "catalog", "export", "--catalog", catalogURL)
	dir := t.TempDir()
	runJunction(t, bin, back, "catalog", "import", "--data-dir", dir)
	if again := runJunction(t, bin, "", "catalog", "export", "--data-dir", dir); again != back {
		t.Errorf("a catalog exported from the database and imported into a data directory exports differently:\n%s\nwant:\n%s", again, back)
	}
	if !strings.Contains(back, "added_in_db") || !strings.Contains(back, "moved_view") {
		t.Errorf("the round trip lost a view:\n%s", back)
	}
	// An unreadable input changes nothing and says why.
	cmd := exec.Command(bin, "catalog", "import", "--catalog", catalogURL)
	cmd.Stdin = strings.NewReader("not json")
	out, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "not a Junction catalog") {
		t.Errorf("import of garbage: err %v, output %s", err, out)
	}
}

// runJunction runs the binary with stdin and returns its stdout, failing
// the test on a non-zero exit.
func runJunction(t *testing.T, bin, stdin string, args ...string) string {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Stdin = strings.NewReader(stdin)
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("junction %v: %v\n%s", args, err, stderr.String())
	}
	return stdout.String()
}

func TestReplicasServeWhileCatalogDatabaseIsUnreachable(t *testing.T) {
	catalogDB, _ := testenv.NewPostgresDB(t, "jrep_cat")
	_, conns := startReplicas(t, 2, testenv.PostgresURL(catalogDB))
	src := newSourceDB(t, 5)
	mustExec(t, conns[0], testenv.PostgresServerDDL("s", src))
	waitQueryable(t, conns[1], "SELECT count(*) FROM s.t", "5", time.Now(), 5*time.Second)

	// The catalog database refuses every connection, as if it were down;
	// the shared server itself keeps running.
	admin := testenv.RequirePostgres(t)
	ctx := context.Background()
	setReachable := func(on bool) {
		t.Helper()
		if _, err := admin.Exec(ctx, fmt.Sprintf(`ALTER DATABASE %s ALLOW_CONNECTIONS %t`, catalogDB, on)); err != nil {
			t.Fatal(err)
		}
		if !on {
			if _, err := admin.Exec(ctx, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1`, catalogDB); err != nil {
				t.Fatal(err)
			}
		}
	}
	setReachable(false)
	t.Cleanup(func() { setReachable(true) })

	for i, conn := range conns {
		if got := queryValue(t, conn, `SELECT count(*) FROM s.t`); got != "5" {
			t.Errorf("replica %d answers %s without its catalog database, want 5", i+1, got)
		}
	}
	_, err := conns[0].Exec(ctx, `CREATE VIEW while_down AS SELECT id FROM s.t`)
	if sqlstate(err) != "08006" || !strings.Contains(err.Error(), "catalog database") || !strings.Contains(err.Error(), catalogDB) {
		t.Fatalf("DDL without the catalog database: %v, want 08006 naming the catalog database %s", testenv.DescribeError(err), catalogDB)
	}
	t.Logf("DDL without the catalog database: %s", testenv.DescribeError(err))
	if _, err := conns[0].Exec(ctx, `SELECT * FROM while_down`); sqlstate(err) != "42P01" {
		t.Errorf("the refused view exists: %v", err)
	}

	// Back up: DDL works again and reaches the other replica, whose
	// listener reconnected by itself.
	setReachable(true)
	start := time.Now()
	for {
		_, err := conns[0].Exec(ctx, `CREATE VIEW after_down AS SELECT id FROM s.t`)
		if err == nil {
			break
		}
		if time.Since(start) > 10*time.Second {
			t.Fatalf("DDL still fails after the catalog database came back: %s", testenv.DescribeError(err))
		}
		time.Sleep(100 * time.Millisecond)
	}
	took := waitQueryable(t, conns[1], `SELECT count(*) FROM after_down`, "5", start, 15*time.Second)
	t.Logf("after the catalog database came back: a view created on replica 1 is queryable on replica 2 after %s", took.Round(time.Millisecond))
}
