package clients

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/junction-db/junction/test/testenv"
)

// replayPending lists replayed statements that need a feature Junction
// does not have yet, by file and query name.
var replayPending = map[string]pending{}

// TestReplayToolQueries replays the statements BI tools and drivers send
// on connect and while browsing (testdata/replay, one file per tool,
// captured from the tools' public sources) and requires each to run:
// through the simple protocol, as a batch, and where it is a single
// statement through the extended protocol too, as JDBC-based tools send
// it.
func TestReplayToolQueries(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "replay", "*.sql"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no replay files: %v", err)
	}
	s := newServer(t)
	conn := s.srv.Connect(t)
	for _, file := range files {
		tool := strings.TrimSuffix(filepath.Base(file), ".sql")
		text, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range splitQueries(string(text)) {
			t.Run(tool+"/"+q.name, func(t *testing.T) {
				if conn.IsClosed() {
					conn = s.srv.Connect(t)
				}
				err := replay(conn, q.sql)
				if err == nil {
					return
				}
				msg := testenv.DescribeError(err)
				if p, ok := replayPending[tool+"/"+q.name]; ok && p.err.MatchString(msg) {
					t.Skipf("needs %s, which Junction does not support yet: %.300s", p.feature, msg)
				}
				t.Errorf("%s\nfailed: %s", q.sql, msg)
			})
		}
	}
}

func replay(conn *pgx.Conn, sql string) error {
	ctx, cancel := context.WithTimeout(context.Background(), clientTimeout)
	defer cancel()
	if _, err := conn.PgConn().Exec(ctx, sql).ReadAll(); err != nil {
		return err
	}
	if strings.Count(strings.TrimRight(strings.TrimSpace(sql), ";"), ";") > 0 {
		return nil // a batch: the simple protocol only
	}
	rows, err := conn.Query(ctx, sql)
	if err != nil {
		return err
	}
	for rows.Next() {
	}
	return rows.Err()
}

type replayQuery struct{ name, sql string }

// splitQueries reads a replay file: each query starts with a line
// "-- query: name"; comments before the first one describe the file.
func splitQueries(text string) []replayQuery {
	var out []replayQuery
	for _, line := range strings.Split(text, "\n") {
		if name, ok := strings.CutPrefix(line, "-- query: "); ok {
			out = append(out, replayQuery{name: name})
			continue
		}
		if len(out) > 0 {
			out[len(out)-1].sql += line + "\n"
		}
	}
	for i := range out {
		out[i].sql = strings.TrimSpace(out[i].sql)
	}
	return out
}
