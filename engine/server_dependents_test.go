package engine

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/junction-db/junction/catalog"
	"github.com/junction-db/junction/connectors/files"
	"github.com/junction-db/junction/pgerr"
)

// newFilesEngine starts an engine with local copies and a files server
// lake whose table t is a small CSV file, for the superuser admin.
func newFilesEngine(t *testing.T) (*Engine, *Session, *files.LocalCopies) {
	t.Helper()
	e, admin, copies, lake := filesEngine(t, map[string]string{"t.csv": "id,label\n1,one\n2,two\n"})
	mustRun(t, admin, "CREATE SERVER lake FOREIGN DATA WRAPPER files OPTIONS (root '"+lake+"')")
	return e, admin, copies
}

// filesEngine starts an engine with local copies that may read files
// below lake, a directory holding files (by path below it), and returns
// it with a session of the superuser admin.
func filesEngine(t *testing.T, lakeFiles map[string]string) (e *Engine, admin *Session, copies *files.LocalCopies, lake string) {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	lake = filepath.Join(dir, "lake")
	for rel, content := range lakeFiles {
		path := filepath.Join(lake, rel)
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	copies, err := files.OpenLocalCopies(ctx, filepath.Join(dir, "matviews.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	e, err = New(ctx, Config{Users: []catalog.User{{Name: "admin", Password: "adm1n-pw", Superuser: true}},
		FilesDirs: []string{dir}, LocalCopies: copies})
	if err != nil {
		copies.Close()
		t.Fatal(err)
	}
	t.Cleanup(e.Close)
	return e, e.NewSession("admin", "junction"), copies, lake
}

// runNotices executes sql and returns its notices.
func runNotices(t *testing.T, s *Session, sql string) []*pgerr.Error {
	t.Helper()
	return executeOne(t, s, sql).Notices
}

// executeOne executes sql, one statement, failing the test on an error.
func executeOne(t *testing.T, s *Session, sql string) *Result {
	t.Helper()
	stmts, err := s.Parse(context.Background(), sql, nil)
	if err != nil || len(stmts) != 1 {
		t.Fatalf("%s: %v", sql, err)
	}
	res, err := s.Execute(context.Background(), stmts[0], nil)
	if err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return res
}

// DROP SERVER refuses while views and materialized views read the
// server, naming each as PostgreSQL does, and CASCADE drops them, their
// dependents and the copies, saying so in a notice.
func TestDropServerWithDependentViews(t *testing.T) {
	e, admin, copies := newFilesEngine(t)
	mustRun(t, admin, "CREATE MATERIALIZED VIEW mv AS SELECT id FROM lake.t")
	mustRun(t, admin, "CREATE VIEW direct AS SELECT label FROM lake.t WHERE id > 1")
	mustRun(t, admin, "CREATE VIEW over_mv AS SELECT id FROM mv")
	mustRun(t, admin, "CREATE VIEW unrelated AS SELECT 1 AS one")

	_, err := run(t, admin, "DROP SERVER lake")
	var pe *pgerr.Error
	if !errors.As(err, &pe) || pe.Code != pgerr.DependentObjectsExist {
		t.Fatalf("DROP SERVER lake: got %v, want 2BP01", err)
	}
	if pe.Message != "cannot drop server lake because other objects depend on it" {
		t.Errorf("message %q", pe.Message)
	}
	wantDetail := "view direct depends on server lake\nmaterialized view mv depends on server lake\nview over_mv depends on materialized view mv"
	if pe.Detail != wantDetail {
		t.Errorf("detail %q, want %q", pe.Detail, wantDetail)
	}
	if pe.Hint != "Use DROP ... CASCADE to drop the dependent objects too." {
		t.Errorf("hint %q", pe.Hint)
	}
	if _, ok := e.catalog.Snapshot().Sources["lake"]; !ok {
		t.Fatal("the refused DROP SERVER dropped the server")
	}

	notices := runNotices(t, admin, "DROP SERVER lake CASCADE")
	if len(notices) != 1 || notices[0].Message != "drop cascades to 3 other objects" || notices[0].Severity != "NOTICE" ||
		notices[0].Detail != "drop cascades to view direct\ndrop cascades to materialized view mv\ndrop cascades to view over_mv" {
		t.Errorf("DROP SERVER lake CASCADE notices: %+v", notices)
	}
	snap := e.catalog.Snapshot()
	if len(snap.MatViews) != 0 || len(snap.Views) != 1 || snap.Views[catalog.ViewKey("public", "unrelated")] == nil {
		t.Errorf("after CASCADE: views %v, materialized views %v; want only unrelated", snap.Views, snap.MatViews)
	}
	if left, err := copies.Copies(context.Background()); err != nil || len(left) != 0 {
		t.Errorf("copies after CASCADE: %v, %v", left, err)
	}
	wantError(t, admin, "SELECT * FROM mv", pgerr.UndefinedTable, `relation "mv" does not exist`)
}

// One dependent is named in the notice itself; a view in a schema off
// the search path is named with its schema.
func TestDropServerCascadeNamesOneDependent(t *testing.T) {
	_, admin, _ := newFilesEngine(t)
	mustRun(t, admin, "CREATE MATERIALIZED VIEW lake.mv AS SELECT id FROM lake.t")
	wantError(t, admin, "DROP SERVER lake", pgerr.DependentObjectsExist, "cannot drop server lake")
	notices := runNotices(t, admin, "DROP SERVER lake CASCADE")
	if len(notices) != 1 || notices[0].Message != "drop cascades to materialized view lake.mv" || notices[0].Detail != "" {
		t.Errorf("DROP SERVER lake CASCADE notices: %+v", notices)
	}
	if notices := runNotices(t, admin, "DROP SERVER IF EXISTS lake"); len(notices) != 1 || notices[0].Message != `server "lake" does not exist, skipping` {
		t.Errorf("DROP SERVER IF EXISTS of a dropped server: %+v", notices)
	}
}

// Servers are not renamed: the views reading one name it in their SQL.
func TestRenameServerRefused(t *testing.T) {
	_, admin, _ := newFilesEngine(t)
	wantError(t, admin, "ALTER SERVER lake RENAME TO pond", pgerr.FeatureNotSupported, "")
}

// Views of a catalog written before the servers they read were recorded
// gain them when the server starts.
func TestStartRecordsTheServersOldViewsRead(t *testing.T) {
	e, admin, _ := newFilesEngine(t)
	mustRun(t, admin, "CREATE MATERIALIZED VIEW mv AS SELECT id FROM lake.t")
	mustRun(t, admin, "CREATE VIEW v AS SELECT label FROM t")
	mustRun(t, admin, "CREATE VIEW none AS SELECT 1 AS one")
	err := e.catalog.Update(func(s *catalog.Snapshot) error {
		v := *s.Views[catalog.ViewKey("public", "v")]
		v.Servers, v.Owner = nil, "" // and made by the bootstrap superuser
		s.Views[catalog.ViewKey("public", "v")] = &v
		m := *s.MatViews[catalog.ViewKey("public", "mv")]
		m.Servers = nil
		s.MatViews[catalog.ViewKey("public", "mv")] = &m
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	e.recordServerDependencies(context.Background())
	snap := e.catalog.Snapshot()
	for key, got := range map[string][]string{"v": snap.Views[catalog.ViewKey("public", "v")].Servers,
		"mv": snap.MatViews[catalog.ViewKey("public", "mv")].Servers, "none": snap.Views[catalog.ViewKey("public", "none")].Servers} {
		want := "lake"
		if key == "none" {
			want = ""
		}
		if strings.Join(got, ",") != want {
			t.Errorf("servers of %s: %v, want %q", key, got, want)
		}
	}
	wantError(t, admin, "DROP SERVER lake", pgerr.DependentObjectsExist, "cannot drop server lake")
}
