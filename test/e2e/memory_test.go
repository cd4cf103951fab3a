package e2e

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/junction-db/junction/test/testenv"
)

// newMemoryRig starts a Junction server with a small memory budget and
// two sources, pg1 and pg2, over one PostgreSQL database, so that a join
// of their tables runs in Junction. build has buildRows rows of about 100
// bytes each: held in memory, its estimate is about 48 MiB, six times
// work_mem, and the join peaks near 110 MiB of resident memory without a
// budget, which the bound below would not allow.
const (
	buildRows   = 400000
	rigWorkMem  = 8 << 20
	rigMaxMem   = 32 << 20
	rigMemories = "max_memory: 32MB\nwork_mem: 8MB\n"
)

func newMemoryRig(t *testing.T) (*testenv.Server, *pgx.Conn, string) {
	t.Helper()
	ctx := context.Background()
	db, pg := testenv.NewPostgresDB(t, "memory")
	for _, stmt := range []string{
		"CREATE TABLE build (id int PRIMARY KEY, pad text NOT NULL)",
		fmt.Sprintf("INSERT INTO build SELECT g, md5(g::text) || md5((g+1)::text) || md5((g+2)::text) FROM generate_series(1, %d) g", buildRows),
		"CREATE TABLE probe (id int PRIMARY KEY, k int NOT NULL)",
		fmt.Sprintf("INSERT INTO probe SELECT g, (g::bigint * 7919) %% %d + 1 FROM generate_series(1, %d) g", buildRows, buildRows),
		"ANALYZE",
	} {
		if _, err := pg.Exec(ctx, stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	file := filepath.Join(t.TempDir(), "junction.yaml")
	yaml := rigMemories + fmt.Sprintf(`
sources:
  - name: pg1
    wrapper: postgres
    options: {host: 127.0.0.1, port: 5432, dbname: %[1]s, user: root}
  - name: pg2
    wrapper: postgres
    options: {host: 127.0.0.1, port: 5432, dbname: %[1]s, user: root}
`, db)
	if err := os.WriteFile(file, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	return testenv.StartServer(t, "serve", "--config", file), pg, db
}

// A cross-source join whose build side is several times work_mem spills
// and still gives PostgreSQL's answer, and the server's peak resident
// memory stays within max_memory, plus what it held before the query,
// plus a margin of 32 MiB for what the budget does not count: the
// sources' connections and their buffers, the batches in flight between
// the remote queries and the operators, and garbage the collector has not
// reclaimed yet (the Go heap's soft limit is max_memory plus a quarter).
func TestJoinOverBudgetSpillsWithinMemory(t *testing.T) {
	srv, pg, _ := newMemoryRig(t)
	ctx := context.Background()
	conn := srv.Connect(t)
	const query = `SELECT count(*), sum(length(b.pad)), sum(p.id::bigint * b.id) FROM %s.probe p JOIN %s.build b ON b.id = p.k`
	var wantCount, wantLen, wantSum int64
	if err := pg.QueryRow(ctx, fmt.Sprintf(query, "public", "public")).Scan(&wantCount, &wantLen, &wantSum); err != nil {
		t.Fatal(err)
	}
	var setting string
	if err := conn.QueryRow(ctx, "SHOW work_mem").Scan(&setting); err != nil || setting != "8MB" {
		t.Fatalf("work_mem is %q (%v), want the configured 8MB", setting, err)
	}
	before := procStatus(t, srv.Pid(), "VmRSS") << 10
	start := time.Now()
	var count, length, sum int64
	if err := conn.QueryRow(ctx, fmt.Sprintf(query, "pg1", "pg2")).Scan(&count, &length, &sum); err != nil {
		t.Fatalf("join over budget: %v", err)
	}
	elapsed := time.Since(start)
	if count != wantCount || length != wantLen || sum != wantSum {
		t.Errorf("join over budget gives count %d, length %d, sum %d; PostgreSQL says %d, %d, %d", count, length, sum, wantCount, wantLen, wantSum)
	}
	peak := procStatus(t, srv.Pid(), "VmHWM") << 10
	const margin = 32 << 20
	t.Logf("build side %d rows; RSS before %d MiB, peak %d MiB; max_memory %d MiB, work_mem %d MiB; %s",
		buildRows, before>>20, peak>>20, rigMaxMem>>20, rigWorkMem>>20, elapsed)
	if limit := before + rigMaxMem + margin; peak > limit {
		t.Errorf("peak RSS %d MiB exceeds what the process held before (%d MiB) + max_memory (%d MiB) + margin (%d MiB)",
			peak>>20, before>>20, rigMaxMem>>20, margin>>20)
	}

	if spilled, _ := scrapeMetrics(t, srv).value("junction_spilled_bytes_total"); spilled <= 0 {
		t.Errorf("/metrics counts %v bytes spilled after a join over budget", spilled)
	}

	rows, err := conn.Query(ctx, "EXPLAIN ANALYZE "+fmt.Sprintf(query, "pg1", "pg2"))
	if err != nil {
		t.Fatal(err)
	}
	var plan []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, line)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(plan, "\n"), "spilled bytes=") {
		t.Errorf("EXPLAIN ANALYZE shows no spilled bytes:\n%s", strings.Join(plan, "\n"))
	}
	t.Logf("%s", strings.Join(plan, "\n"))

	// A grouping of the join's rows and an ordering of some of them, each
	// beyond work_mem too, answer as PostgreSQL does.
	const grouped = `SELECT p.k %% 50000 AS g, count(*), max(b.pad), sum(p.id) FROM %s.probe p JOIN %s.build b ON b.id = p.k GROUP BY 1`
	testenv.Compare(t, conn, pg, fmt.Sprintf(grouped, "pg1", "pg2"), fmt.Sprintf(grouped, "public", "public"), false)
	const ordered = `SELECT b.pad, p.id FROM %s.probe p JOIN %s.build b ON b.id = p.k WHERE p.id %% 4 = 0 ORDER BY b.pad DESC, p.id`
	testenv.Compare(t, conn, pg, fmt.Sprintf(ordered, "pg1", "pg2"), fmt.Sprintf(ordered, "public", "public"), true)
	for _, q := range []string{grouped, ordered} {
		var spilled bool
		rows, err := conn.Query(ctx, "EXPLAIN ANALYZE "+fmt.Sprintf(q, "pg1", "pg2"))
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var line string
			if err := rows.Scan(&line); err != nil {
				t.Fatal(err)
			}
			if (strings.Contains(line, "Aggregate") || strings.Contains(line, "Sort")) && strings.Contains(line, "spilled bytes=") {
				spilled = true
			}
		}
		if !spilled {
			t.Errorf("%s: the aggregation or sort did not spill", q)
		}
	}
	peak = procStatus(t, srv.Pid(), "VmHWM") << 10
	t.Logf("peak RSS after grouping and ordering: %d MiB", peak>>20)
	if peak > before+rigMaxMem+margin {
		t.Errorf("peak RSS after grouping and ordering %d MiB exceeds the bound of %d MiB", peak>>20, (before+rigMaxMem+margin)>>20)
	}

	entries, _ := os.ReadDir(filepath.Join(srv.DataDir, "tmp"))
	if len(entries) > 0 {
		t.Errorf("temporary directory not empty after the queries: %d entries", len(entries))
	}
}

// A window function does not spill: over budget the query fails with
// 53200 naming it, and the session goes on.
func TestWindowOverBudgetFailsWith53200(t *testing.T) {
	srv, _, _ := newMemoryRig(t)
	ctx := context.Background()
	conn := srv.Connect(t)
	if _, err := conn.Exec(ctx, "SET work_mem = '1MB'"); err != nil {
		t.Fatal(err)
	}
	var rn int64
	err := conn.QueryRow(ctx, `SELECT max(rn) FROM (SELECT row_number() OVER (ORDER BY u.id) AS rn FROM
		(SELECT id FROM pg1.build UNION ALL SELECT k FROM pg2.probe) u) w`).Scan(&rn)
	var pe *pgconn.PgError
	if !errors.As(err, &pe) || pe.Code != "53200" || !strings.Contains(pe.Detail, "window function") {
		t.Fatalf("window over budget: %v, want 53200 naming the window function", err)
	}
	if _, err := conn.Exec(ctx, "SET work_mem = '1kB'"); err == nil {
		t.Errorf("work_mem of 1kB accepted; PostgreSQL's minimum is 64kB")
	}
	var one int
	if err := conn.QueryRow(ctx, "SELECT 1").Scan(&one); err != nil {
		t.Errorf("session after 53200: %v", err)
	}
}
