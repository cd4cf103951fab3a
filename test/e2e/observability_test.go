package e2e

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/junction-db/junction/test/testenv"
)

// metricsSnapshot is one scrape of /metrics, by family name.
type metricsSnapshot map[string]*dto.MetricFamily

func scrapeMetrics(t *testing.T, srv *testenv.Server) metricsSnapshot {
	t.Helper()
	resp, err := http.Get("http://" + srv.HTTPAddr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("/metrics answered %s", resp.Status)
	}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatalf("/metrics is not the Prometheus text format: %v", err)
	}
	return families
}

// value is the value of the series of name with the given labels (a
// histogram's sample count); ok is false when there is no such series.
func (m metricsSnapshot) value(name string, labels ...string) (float64, bool) {
	f, ok := m[name]
	if !ok {
		return 0, false
	}
	want := map[string]string{}
	for i := 0; i+1 < len(labels); i += 2 {
		want[labels[i]] = labels[i+1]
	}
series:
	for _, s := range f.Metric {
		got := map[string]string{}
		for _, l := range s.Label {
			got[l.GetName()] = l.GetValue()
		}
		for k, v := range want {
			if got[k] != v {
				continue series
			}
		}
		switch {
		case s.Counter != nil:
			return s.Counter.GetValue(), true
		case s.Gauge != nil:
			return s.Gauge.GetValue(), true
		case s.Histogram != nil:
			return float64(s.Histogram.GetSampleCount()), true
		case s.Untyped != nil:
			return s.Untyped.GetValue(), true
		}
	}
	return 0, false
}

// get is value for a series that must exist.
func (m metricsSnapshot) get(t *testing.T, name string, labels ...string) float64 {
	t.Helper()
	v, ok := m.value(name, labels...)
	if !ok {
		t.Fatalf("/metrics has no %s%v", name, labels)
	}
	return v
}

// orZero is value for a series that may not exist yet (a counter not
// moved yet).
func (m metricsSnapshot) orZero(name string, labels ...string) float64 {
	v, _ := m.value(name, labels...)
	return v
}

// auditLine is one line of the audit log.
type auditLine struct {
	Time        time.Time `json:"time"`
	QueryID     int64     `json:"query_id"`
	User        string    `json:"user"`
	Client      string    `json:"client_addr"`
	Statement   string    `json:"statement"`
	Sources     []string  `json:"sources"`
	Rows        int64     `json:"rows"`
	SourceRows  int64     `json:"source_rows"`
	SourceBytes int64     `json:"source_bytes"`
	DurationMS  *float64  `json:"duration_ms"`
	Outcome     string    `json:"outcome"`
	SQLState    string    `json:"sqlstate"`
}

// readAudit waits until the audit log holds a line for every id in ids
// and returns all its lines, failing on a line that is not JSON.
func readAudit(t *testing.T, path string, ids ...int64) ([]auditLine, string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		data, _ := os.ReadFile(path)
		// A line being written may not be whole yet.
		data = data[:strings.LastIndexByte(string(data), '\n')+1]
		var lines []auditLine
		seen := map[int64]bool{}
		sc := bufio.NewScanner(strings.NewReader(string(data)))
		for sc.Scan() {
			var l auditLine
			if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
				t.Fatalf("audit line %q is not JSON: %v", sc.Text(), err)
			}
			lines = append(lines, l)
			seen[l.QueryID] = true
		}
		missing := false
		for _, id := range ids {
			missing = missing || !seen[id]
		}
		if !missing {
			return lines, string(data)
		}
		if time.Now().After(deadline) {
			t.Fatalf("the audit log lacks some of the queries %v after 10 s:\n%s", ids, data)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// lastQueryID is the id of the latest statement of junction.queries
// whose text is sql, read after it ended.
func lastQueryID(t *testing.T, conn *pgx.Conn, sql string) int64 {
	t.Helper()
	var id int64
	if err := conn.QueryRow(context.Background(), `SELECT max(id) FROM junction.queries WHERE query = $1 AND state <> 'running'`, sql).Scan(&id); err != nil {
		t.Fatalf("junction.queries has no ended %q: %v", sql, err)
	}
	return id
}

func TestObservabilityMetricsAuditAndHistory(t *testing.T) {
	testenv.RequirePostgres(t)
	testenv.RequireMariaDB(t)
	ctx := context.Background()
	pgDB, pg := testenv.NewPostgresDB(t, "obs")
	if _, err := pg.Exec(ctx, `CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL);
		INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, 10) g`); err != nil {
		t.Fatal(err)
	}
	myDB, my := testenv.NewMariaDB(t, "obs")
	for _, stmt := range []string{
		"CREATE TABLE orders (id int PRIMARY KEY, item_id int NOT NULL, amount int NOT NULL)",
		"INSERT INTO orders SELECT seq, 1 + seq % 10, seq * 10 FROM seq_1_to_20",
	} {
		if _, err := my.ExecContext(ctx, stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	configPath := filepath.Join(t.TempDir(), "junction.yaml")
	if err := os.WriteFile(configPath, []byte("log:\n  format: json\n  level: debug\naudit:\n  path: audit/statements.jsonl\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	srv := testenv.StartServer(t, "serve", "--config", configPath)
	auditPath := filepath.Join(srv.DataDir, "audit", "statements.jsonl")
	conn := srv.Connect(t)
	const password = "Obs-Secret-7f3a"
	mustExec(t, conn, fmt.Sprintf(`CREATE SERVER pg FOREIGN DATA WRAPPER postgres OPTIONS (host '127.0.0.1', port '5432', dbname '%s', user 'root', password '%s')`, pgDB, password))
	mustExec(t, conn, fmt.Sprintf(`CREATE SERVER my FOREIGN DATA WRAPPER mysql OPTIONS (host '127.0.0.1', port '3306', dbname '%s', user 'root', password '')`, myDB))

	before := scrapeMetrics(t, srv)
	if got := before.get(t, "junction_sessions_active"); got != 1 {
		t.Errorf("junction_sessions_active = %v with one client, want 1", got)
	}
	if got := before.get(t, "junction_source_circuit_state", "source", "pg", "state", "closed"); got != 1 {
		t.Errorf("pg's circuit_state{closed} = %v, want 1", got)
	}
	if got := before.get(t, "junction_memory_heap_bytes"); got <= 0 {
		t.Errorf("junction_memory_heap_bytes = %v", got)
	}
	for _, name := range []string{"go_goroutines", "process_resident_memory_bytes", "junction_memory_query_bytes", "junction_spilled_bytes_total"} {
		if _, ok := before[name]; !ok {
			t.Errorf("/metrics lacks the metric %s", name)
		}
	}

	// Single-source statements: what each fetched is known exactly.
	const (
		scanSQL    = `SELECT id, name FROM pg.items`
		literalSQL = `SELECT id FROM pg.items WHERE name = 'Literal-Value-ABC'`
		ordersSQL  = `SELECT id, amount FROM my.orders`
		missingSQL = `SELECT * FROM pg.no_such_table`
		divSQL     = `SELECT 1 / (id - id) FROM pg.items`
		paramSQL   = `SELECT id FROM pg.items WHERE name = $1`
		crossSQL   = `SELECT count(*) FROM pg.items i JOIN my.orders o ON o.item_id = i.id`
		paramValue = "Param-Value-XYZ"
	)
	if got := len(query(t, conn, scanSQL).Rows); got != 10 {
		t.Fatalf("%s: %d rows", scanSQL, got)
	}
	if got := len(query(t, conn, literalSQL).Rows); got != 0 {
		t.Fatalf("%s: %d rows", literalSQL, got)
	}
	if got := len(query(t, conn, ordersSQL).Rows); got != 20 {
		t.Fatalf("%s: %d rows", ordersSQL, got)
	}
	rows, err := conn.Query(ctx, paramSQL, paramValue)
	if err != nil {
		t.Fatal(err)
	}
	rows.Close()
	for sql, code := range map[string]string{missingSQL: "42P01", divSQL: "22012"} {
		if _, err := conn.Exec(ctx, sql); err == nil || !strings.Contains(err.Error(), code) {
			t.Fatalf("%s: got %v, want SQLSTATE %s", sql, err, code)
		}
	}
	mid := scrapeMetrics(t, srv)
	delta := func(after metricsSnapshot, from metricsSnapshot, name string, labels ...string) float64 {
		return after.orZero(name, labels...) - from.orZero(name, labels...)
	}
	// Four statements succeeded, two failed; the prepared statement ran once.
	if got := delta(mid, before, "junction_queries_total", "status", "ok"); got != 4 {
		t.Errorf("junction_queries_total{status=ok} rose by %v, want 4", got)
	}
	if got := delta(mid, before, "junction_queries_total", "status", "error", "sqlstate_class", "42"); got != 1 {
		t.Errorf("junction_queries_total{status=error,sqlstate_class=42} rose by %v, want 1", got)
	}
	if got := delta(mid, before, "junction_queries_total", "status", "error", "sqlstate_class", "22"); got != 1 {
		t.Errorf("junction_queries_total{status=error,sqlstate_class=22} rose by %v, want 1", got)
	}
	if got := delta(mid, before, "junction_query_duration_seconds"); got != 6 {
		t.Errorf("junction_query_duration_seconds observed %v statements, want 6", got)
	}
	// pg sent 10 rows for the scan, none for the two lookups nor for
	// 1/(id-id), which it ran and refused; MariaDB sent 20.
	if got := delta(mid, before, "junction_source_rows_fetched_total", "source", "pg"); got != 10 {
		t.Errorf("junction_source_rows_fetched_total{source=pg} rose by %v, want 10", got)
	}
	if got := delta(mid, before, "junction_source_rows_fetched_total", "source", "my"); got != 20 {
		t.Errorf("junction_source_rows_fetched_total{source=my} rose by %v, want 20", got)
	}
	pgBytes := delta(mid, before, "junction_source_bytes_fetched_total", "source", "pg")
	myBytes := delta(mid, before, "junction_source_bytes_fetched_total", "source", "my")
	// my.orders: 20 rows of two 4-byte integers, decoded as 8 bytes each.
	if myBytes != 20*2*8 {
		t.Errorf("junction_source_bytes_fetched_total{source=my} rose by %v, want %d", myBytes, 20*2*8)
	}
	// The missing table is Junction's own finding; the division by zero
	// is pg's.
	if got := delta(mid, before, "junction_source_errors_total", "source", "pg", "kind", "query"); got != 1 {
		t.Errorf("junction_source_errors_total{source=pg,kind=query} rose by %v, want 1 (the division by zero)", got)
	}
	if got := delta(mid, before, "junction_source_errors_total", "source", "pg", "kind", "connection"); got != 0 {
		t.Errorf("junction_source_errors_total{source=pg,kind=connection} rose by %v, want 0", got)
	}

	// A cross-source statement: its sources, rows and bytes agree
	// everywhere.
	if got := queryValue(t, conn, crossSQL); got != "20" {
		t.Fatalf("%s = %s, want 20", crossSQL, got)
	}
	after := scrapeMetrics(t, srv)
	crossRows := delta(after, mid, "junction_source_rows_fetched_total", "source", "pg") + delta(after, mid, "junction_source_rows_fetched_total", "source", "my")
	crossBytes := delta(after, mid, "junction_source_bytes_fetched_total", "source", "pg") + delta(after, mid, "junction_source_bytes_fetched_total", "source", "my")
	if delta(after, mid, "junction_source_rows_fetched_total", "source", "pg") == 0 || delta(after, mid, "junction_source_rows_fetched_total", "source", "my") == 0 {
		t.Errorf("the cross-source statement fetched nothing from one source: %v rows in all", crossRows)
	}
	if got := delta(after, mid, "junction_queries_total", "status", "ok"); got != 1 {
		t.Errorf("junction_queries_total{status=ok} rose by %v for one statement", got)
	}

	// A second client is an active session while it is connected.
	other := srv.Connect(t)
	if got := scrapeMetrics(t, srv).get(t, "junction_sessions_active"); got != 2 {
		t.Errorf("junction_sessions_active = %v with two clients, want 2", got)
	}
	other.Close(ctx)
	waitFor(t, "the closed session to leave junction_sessions_active", func() bool {
		return scrapeMetrics(t, srv).get(t, "junction_sessions_active") == 1
	})

	// A cursor's rows are fetched by its FETCH statements, which account
	// for what its query fetched from the source.
	const fetch4, fetchAll = `FETCH 4 FROM obs_cursor`, `FETCH ALL FROM obs_cursor`
	mustExec(t, conn, `BEGIN`)
	mustExec(t, conn, `DECLARE obs_cursor CURSOR FOR SELECT id FROM pg.items`)
	if got := len(query(t, conn, fetch4).Rows); got != 4 {
		t.Fatalf("%s: %d rows", fetch4, got)
	}
	if got := len(query(t, conn, fetchAll).Rows); got != 6 {
		t.Fatalf("%s: %d rows", fetchAll, got)
	}
	mustExec(t, conn, `COMMIT`)

	// junction.queries: the new columns, and ids shared with the audit log.
	ids := map[string]int64{}
	for _, sql := range []string{scanSQL, literalSQL, ordersSQL, missingSQL, divSQL, paramSQL, crossSQL, fetch4, fetchAll} {
		ids[sql] = lastQueryID(t, conn, sql)
	}
	res := query(t, conn, fmt.Sprintf(`SELECT client_addr, coalesce(sqlstate, ''), array_to_string(sources, ','), source_rows, source_bytes, rows, state
		FROM junction.queries WHERE id = %d`, ids[crossSQL]))
	cross := res.Rows[0]
	if !strings.HasPrefix(cross[0].Text, "127.0.0.1:") || cross[1].Text != "" || cross[2].Text != "my,pg" ||
		cross[3].Text != fmt.Sprint(crossRows) || cross[4].Text != fmt.Sprint(crossBytes) || cross[5].Text != "1" || cross[6].Text != "done" {
		t.Errorf("junction.queries for the cross-source statement = %v; want client 127.0.0.1:*, sources my,pg, source_rows %v, source_bytes %v, rows 1",
			res.Rows[0], crossRows, crossBytes)
	}
	if got := queryValue(t, conn, fmt.Sprintf(`SELECT sqlstate || ' ' || state FROM junction.queries WHERE id = %d`, ids[missingSQL])); got != "42P01 failed" {
		t.Errorf("junction.queries for the missing table: %q, want 42P01 failed", got)
	}

	idList := make([]int64, 0, len(ids))
	for _, id := range ids {
		idList = append(idList, id)
	}
	lines, raw := readAudit(t, auditPath, idList...)
	byID := map[int64]auditLine{}
	for _, l := range lines {
		byID[l.QueryID] = l
	}
	for _, secret := range []string{password, "Literal-Value-ABC", paramValue} {
		if strings.Contains(raw, secret) {
			t.Errorf("the audit log shows %q", secret)
		}
	}
	want := map[string]auditLine{
		scanSQL:    {Statement: scanSQL, Sources: []string{"pg"}, Rows: 10, SourceRows: 10, Outcome: "ok"},
		literalSQL: {Statement: `SELECT id FROM pg.items WHERE name = $1`, Sources: []string{"pg"}, Rows: 0, SourceRows: 0, Outcome: "ok"},
		ordersSQL:  {Statement: ordersSQL, Sources: []string{"my"}, Rows: 20, SourceRows: 20, SourceBytes: 320, Outcome: "ok"},
		paramSQL:   {Statement: paramSQL, Sources: []string{"pg"}, Rows: 0, SourceRows: 0, Outcome: "ok"},
		missingSQL: {Statement: missingSQL, Sources: []string{}, Outcome: "error", SQLState: "42P01"},
		divSQL:     {Statement: `SELECT $1 / (id - id) FROM pg.items`, Sources: []string{"pg"}, Outcome: "error", SQLState: "22012"},
		crossSQL:   {Statement: crossSQL, Sources: []string{"my", "pg"}, Rows: 1, SourceRows: int64(crossRows), SourceBytes: int64(crossBytes), Outcome: "ok"},
	}
	f4, fAll := byID[ids[fetch4]], byID[ids[fetchAll]]
	if f4.Rows != 4 || fAll.Rows != 6 || f4.SourceRows+fAll.SourceRows != 10 ||
		strings.Join(f4.Sources, ",") != "pg" || strings.Join(fAll.Sources, ",") != "pg" {
		t.Errorf("the cursor's FETCH lines %+v and %+v do not account for its 10 rows from pg", f4, fAll)
	}
	var singleSourceBytes int64
	for sql, w := range want {
		got, ok := byID[ids[sql]]
		if !ok {
			t.Errorf("no audit line for %s", sql)
			continue
		}
		if sql != crossSQL {
			singleSourceBytes += got.SourceBytes
		}
		if got.Statement != w.Statement || strings.Join(got.Sources, ",") != strings.Join(w.Sources, ",") || got.Rows != w.Rows ||
			got.SourceRows != w.SourceRows || (w.SourceBytes != 0 && got.SourceBytes != w.SourceBytes) || got.Outcome != w.Outcome || got.SQLState != w.SQLState {
			t.Errorf("audit line for %s:\n got %+v\nwant %+v", sql, got, w)
		}
		if got.User != "junction" || !strings.HasPrefix(got.Client, "127.0.0.1:") || got.Time.IsZero() || got.DurationMS == nil {
			t.Errorf("audit line for %s lacks its user, client, time or duration: %+v", sql, got)
		}
	}
	if float64(singleSourceBytes) != pgBytes+myBytes {
		t.Errorf("the audit lines' source_bytes add up to %d, /metrics rose by %v", singleSourceBytes, pgBytes+myBytes)
	}
	var ddl *auditLine
	for _, l := range lines {
		if strings.HasPrefix(l.Statement, "CREATE SERVER pg ") {
			ddl = &l
		}
	}
	if ddl == nil || !strings.Contains(ddl.Statement, "password $") {
		t.Fatalf("the audit line of CREATE SERVER pg is %+v, want its password replaced by a placeholder", ddl)
	}

	// The log is JSON, never shows the password, and its lines about a
	// statement carry the statement's id.
	requireNoSecret(t, srv, conn, password)
	var statementLines, registeredLines int
	for _, line := range strings.Split(strings.TrimSpace(srv.Output()), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Errorf("log line %q is not JSON: %v", line, err)
			continue
		}
		if rec["msg"] == "statement ended" && rec["query_id"] == float64(ids[crossSQL]) {
			statementLines++
		}
		if rec["msg"] == "source registered" && rec["source"] == "pg" && rec["query_id"] == float64(ddl.QueryID) {
			registeredLines++
		}
	}
	if statementLines != 1 {
		t.Errorf("%d log lines end statement %d, want 1", statementLines, ids[crossSQL])
	}
	if registeredLines != 1 {
		t.Errorf("%d log lines tell of pg's registration with the id %d of its CREATE SERVER, want 1", registeredLines, ddl.QueryID)
	}
}

// TestObservabilityBreakerTransitions kills a private MariaDB and checks
// that /metrics follows its source's breaker: opened, then closed again
// once the source is back.
func TestObservabilityBreakerTransitions(t *testing.T) {
	m := testenv.StartPrivateMariaDB(t)
	admin, err := m.Open("mysql")
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	ctx := context.Background()
	for _, stmt := range []string{"CREATE DATABASE obs", "CREATE TABLE obs.t (id int PRIMARY KEY)", "INSERT INTO obs.t VALUES (1), (2)"} {
		if _, err := admin.ExecContext(ctx, stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	srv := testenv.StartServer(t)
	conn := srv.Connect(t)
	mustExec(t, conn, fmt.Sprintf(`CREATE SERVER maria FOREIGN DATA WRAPPER mysql OPTIONS (host '127.0.0.1', port '%d', dbname 'obs', user 'root',
		breaker_failures '2', breaker_cooldown '1s', health_interval '60s')`, m.Port))
	if got := queryValue(t, conn, `SELECT count(*) FROM maria.t`); got != "2" {
		t.Fatalf("count = %s", got)
	}
	state := func(s metricsSnapshot, name string) float64 {
		return s.get(t, "junction_source_circuit_state", "source", "maria", "state", name)
	}
	if s := scrapeMetrics(t, srv); state(s, "closed") != 1 || state(s, "open") != 0 {
		t.Fatalf("maria's circuit before the fault: closed=%v open=%v", state(s, "closed"), state(s, "open"))
	}
	m.Kill(t)
	waitFor(t, "maria's breaker to open", func() bool {
		timedQuery(conn, `SELECT count(*) FROM maria.t`) //nolint:errcheck // failing is the point
		return state(scrapeMetrics(t, srv), "open") == 1
	})
	// A statement that could not reach its source names it.
	if got := queryValue(t, conn, `SELECT array_to_string(sources, ',') || ' ' || left(sqlstate, 2) FROM junction.queries
		WHERE query = 'SELECT count(*) FROM maria.t' AND state = 'failed' ORDER BY id DESC LIMIT 1`); got != "maria 08" {
		t.Errorf("junction.queries for a statement during the outage: %q, want sources maria and SQLSTATE class 08", got)
	}
	s := scrapeMetrics(t, srv)
	if got := s.get(t, "junction_source_circuit_transitions_total", "source", "maria", "from", "closed", "to", "open"); got != 1 {
		t.Errorf("transitions closed→open = %v, want 1", got)
	}
	if got := s.get(t, "junction_source_errors_total", "source", "maria", "kind", "connection"); got < 2 {
		t.Errorf("connection errors of maria = %v, want at least the 2 that opened the breaker", got)
	}
	if got := s.get(t, "junction_source_retries_total", "source", "maria"); got < 1 {
		t.Errorf("retries of maria = %v; a query start that cannot connect is retried", got)
	}
	m.Start(t)
	waitFor(t, "maria's breaker to close again", func() bool {
		timedQuery(conn, `SELECT count(*) FROM maria.t`) //nolint:errcheck // failing until it is back
		return state(scrapeMetrics(t, srv), "closed") == 1
	})
	s = scrapeMetrics(t, srv)
	if s.get(t, "junction_source_circuit_transitions_total", "source", "maria", "from", "open", "to", "half-open") < 1 ||
		s.get(t, "junction_source_circuit_transitions_total", "source", "maria", "from", "half-open", "to", "closed") != 1 {
		t.Errorf("transitions after recovery: open→half-open %v, half-open→closed %v",
			s.orZero("junction_source_circuit_transitions_total", "source", "maria", "from", "open", "to", "half-open"),
			s.orZero("junction_source_circuit_transitions_total", "source", "maria", "from", "half-open", "to", "closed"))
	}
	if !strings.Contains(srv.Output(), "circuit breaker changed state") {
		t.Errorf("the log does not tell of the breaker's changes")
	}
}

// waitFor polls cond for up to 30 seconds.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
