package e2e

import (
	"context"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/junction-db/junction/test/testenv"
)

// noticeConn connects to srv as the demo user, collecting the notices
// the server sends.
func noticeConn(t *testing.T, srv *testenv.Server) (*pgx.Conn, func() []*pgconn.Notice) {
	t.Helper()
	cfg, err := pgx.ParseConfig(srv.URL(testenv.DemoUser, testenv.DemoPassword))
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var notices []*pgconn.Notice
	cfg.OnNotice = func(_ *pgconn.PgConn, n *pgconn.Notice) {
		mu.Lock()
		defer mu.Unlock()
		notices = append(notices, n)
	}
	conn, err := pgx.ConnectConfig(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn, func() []*pgconn.Notice {
		mu.Lock()
		defer mu.Unlock()
		out := notices
		notices = nil
		return out
	}
}

// TestFilesSourceWithUnreadableFileAndDependents checks over the real
// binary that a file DuckDB cannot read is left out of discovery with a
// WARNING naming it, and that DROP SERVER refuses while a materialized
// view reads the server and CASCADE drops the view with a NOTICE.
func TestFilesSourceWithUnreadableFileAndDependents(t *testing.T) {
	srv := testenv.StartServer(t)
	conn, notices := noticeConn(t, srv)
	root := filepath.Join(srv.DataDir, "lake")
	writeLakeFile(t, root, "cities.csv", "id,name\n1,Amsterdam\n2,Utrecht\n")
	writeLakeFile(t, root, "junk.parquet", "this is no parquet file")

	mustExec(t, conn, "CREATE SERVER lake FOREIGN DATA WRAPPER files OPTIONS (root '"+root+"')")
	got := notices()
	if len(got) != 1 || got[0].Severity != "WARNING" || got[0].Code != "01000" ||
		!strings.HasPrefix(got[0].Message, `skipped table "junk" of server "lake": could not read file "junk.parquet": `) {
		t.Errorf("CREATE SERVER notices: %+v", got)
	}
	if n := queryValue(t, conn, `SELECT count(*) FROM lake.cities`); n != "2" {
		t.Errorf("cities: %s rows", n)
	}
	expectError(t, conn, `SELECT * FROM lake.junk`, "42P01")
	if s := queryValue(t, conn, `SELECT skipped_tables[1] FROM junction.sources WHERE name = 'lake'`); !strings.HasPrefix(s, `junk: could not read file "junk.parquet"`) {
		t.Errorf("junction.sources.skipped_tables: %q", s)
	}
	mustExec(t, conn, "IMPORT FOREIGN SCHEMA lake FROM SERVER lake INTO lake")
	if got := notices(); len(got) != 1 || !strings.Contains(got[0].Message, `"junk.parquet"`) {
		t.Errorf("IMPORT FOREIGN SCHEMA notices: %+v", got)
	}

	mustExec(t, conn, "CREATE MATERIALIZED VIEW city_names AS SELECT name FROM lake.cities")
	pe := expectError(t, conn, "DROP SERVER lake", "2BP01")
	if pe != nil && (pe.Message != "cannot drop server lake because other objects depend on it" ||
		pe.Detail != "materialized view city_names depends on server lake" || pe.Hint != "Use DROP ... CASCADE to drop the dependent objects too.") {
		t.Errorf("DROP SERVER lake: %s / %s / %s", pe.Message, pe.Detail, pe.Hint)
	}
	if n := queryValue(t, conn, `SELECT count(*) FROM city_names`); n != "2" {
		t.Errorf("city_names after the refused drop: %s rows", n)
	}
	notices()
	mustExec(t, conn, "DROP SERVER lake CASCADE")
	if got := notices(); len(got) != 1 || got[0].Severity != "NOTICE" || got[0].Message != "drop cascades to materialized view city_names" {
		t.Errorf("DROP SERVER lake CASCADE notices: %+v", got)
	}
	expectError(t, conn, `SELECT * FROM city_names`, "42P01")
}
