package catalog_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/junction-db/junction/catalog"
	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/test/testenv"
)

// sharedCatalogs opens n catalogs on one new catalog database, as n
// servers would.
func sharedCatalogs(t *testing.T, n int) []*catalog.Catalog {
	t.Helper()
	name, _ := testenv.NewPostgresDB(t, "jcat")
	out := make([]*catalog.Catalog, n)
	for i := range out {
		st, err := catalog.NewPostgresStore(context.Background(), testenv.PostgresURL(name))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		if out[i], err = catalog.OpenStore(context.Background(), st); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

func addView(name string) func(*catalog.Snapshot) error {
	return func(s *catalog.Snapshot) error {
		key := catalog.ViewKey("public", name)
		if _, ok := s.Views[key]; ok {
			return pgerr.New(pgerr.DuplicateObject, "relation %q already exists", name)
		}
		s.Views[key] = &catalog.View{Schema: "public", Name: name, SQL: "SELECT 1", OID: s.AllocOID()}
		return nil
	}
}

func TestStoresKeepOnlyWhatIsNotBuiltin(t *testing.T) {
	name, _ := testenv.NewPostgresDB(t, "jcat")
	fileStore, err := catalog.NewFileStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	pgStore, err := catalog.NewPostgresStore(context.Background(), testenv.PostgresURL(name))
	if err != nil {
		t.Fatal(err)
	}
	defer pgStore.Close()
	for _, st := range []catalog.Store{fileStore, pgStore} {
		c, err := catalog.OpenStore(context.Background(), st)
		if err != nil {
			t.Fatal(err)
		}
		err = c.Update(func(s *catalog.Snapshot) error {
			s.Sources["declared"] = &catalog.Source{Name: "declared", Wrapper: "sqlite", Builtin: true}
			s.Sources["created"] = &catalog.Source{Name: "created", Wrapper: "sqlite", Options: map[string]string{"path": "x.db"}, OID: s.AllocOID()}
			return addView("v")(s)
		})
		if err != nil {
			t.Fatal(err)
		}
		snap, _, err := st.Load(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := snap.Sources["declared"]; ok {
			t.Errorf("%s stored a source declared in the configuration", st.Describe())
		}
		if src, ok := snap.Sources["created"]; !ok || src.Options["path"] != "x.db" || len(snap.Views) != 1 {
			t.Errorf("%s lost the created source or the view: %+v", st.Describe(), snap)
		}
	}
}

func TestUpdateThatLostARaceAppliesAgainToTheNewerCatalog(t *testing.T) {
	cats := sharedCatalogs(t, 2)
	a, b := cats[0], cats[1]
	var reloaded []*catalog.Snapshot
	b.OnReload(func(s *catalog.Snapshot) { reloaded = append(reloaded, s) })
	if err := a.Update(addView("x")); err != nil {
		t.Fatal(err)
	}
	// b has not heard of x: its write loses, it re-reads and applies its
	// change to the catalog with x.
	if err := b.Update(addView("y")); err != nil {
		t.Fatal(err)
	}
	snap := b.Snapshot()
	x, y := snap.Views[catalog.ViewKey("public", "x")], snap.Views[catalog.ViewKey("public", "y")]
	if x == nil || y == nil {
		t.Fatalf("b's catalog lost a change: %v", snap.Views)
	}
	if x.OID == y.OID {
		t.Errorf("x and y got the same OID %d", x.OID)
	}
	if len(reloaded) != 1 || reloaded[0].Views[catalog.ViewKey("public", "x")] == nil {
		t.Errorf("b's OnReload was told %d times, want once with x", len(reloaded))
	}
	// A change that the newer catalog makes invalid fails as it would
	// have on one server.
	if err := a.Update(addView("y")); pgerr.Code(err) != pgerr.DuplicateObject {
		t.Errorf("a creating y after b did: %v, want 42710", err)
	}
	if err := a.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(a.Snapshot().Views) != 2 {
		t.Errorf("a sees %d views after Refresh, want 2", len(a.Snapshot().Views))
	}
	reloaded = nil
	if err := b.Refresh(context.Background()); err != nil || len(reloaded) != 0 {
		t.Errorf("a Refresh without a change told OnReload %d times (err %v)", len(reloaded), err)
	}
}

func TestConcurrentUpdatesOfSeveralCatalogsLoseNothing(t *testing.T) {
	cats := sharedCatalogs(t, 3)
	const perCatalog = 20
	var wg sync.WaitGroup
	var mu sync.Mutex
	retried := 0
	for i, c := range cats {
		for j := range perCatalog {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					err := c.Update(addView(fmt.Sprintf("v%d_%d", i, j)))
					if pgerr.Code(err) == pgerr.SerializationFailure {
						mu.Lock()
						retried++
						mu.Unlock()
						continue
					}
					if err != nil {
						t.Error(err)
					}
					return
				}
			}()
		}
	}
	wg.Wait()
	t.Logf("%d updates from %d catalogs; %d gave up with 40001 and were retried by the caller", 3*perCatalog, len(cats), retried)
	for i, c := range cats {
		if err := c.Refresh(context.Background()); err != nil {
			t.Fatal(err)
		}
		if got := len(c.Snapshot().Views); got != 3*perCatalog {
			t.Errorf("catalog %d holds %d views, want %d", i, got, 3*perCatalog)
		}
	}
}

func TestFileStoreRefusesAStaleWrite(t *testing.T) {
	st, err := catalog.NewFileStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	snap, version, err := st.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Save(context.Background(), snap, version); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Save(context.Background(), snap, version); !errors.Is(err, catalog.ErrConflict) {
		t.Errorf("a write based on an old version: %v, want ErrConflict", err)
	}
}

func TestFileStoreTightensPermissions(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, catalog.FileName), []byte(`{"sources":{}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	st, err := catalog.NewFileStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	changed, err := st.TightenPermissions()
	if err != nil || len(changed) != 2 {
		t.Fatalf("changed %v, %v", changed, err)
	}
	for path, want := range map[string]os.FileMode{dir: 0o700, filepath.Join(dir, catalog.FileName): 0o600} {
		if info, err := os.Stat(path); err != nil || info.Mode().Perm() != want {
			t.Fatalf("%s: mode %v, %v", path, info.Mode().Perm(), err)
		}
	}
	if changed, _ := st.TightenPermissions(); len(changed) != 0 {
		t.Fatalf("tightened again: %v", changed)
	}
}
