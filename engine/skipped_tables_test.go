package engine

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/types"
)

// A file DuckDB cannot read leaves out its table only: CREATE SERVER and
// IMPORT FOREIGN SCHEMA warn naming it and why, junction.sources lists
// it, reading it is a missing relation, and the other tables answer.
func TestDiscoverySkipsUnreadableFiles(t *testing.T) {
	_, admin, _, lake := filesEngine(t, map[string]string{"good.csv": "id,name\n1,a\n", "junk.parquet": "this is no parquet file"})
	warnings := runNotices(t, admin, "CREATE SERVER lake FOREIGN DATA WRAPPER files OPTIONS (root '"+lake+"')")
	if len(warnings) != 1 || warnings[0].Code != "01000" || warnings[0].Severity != "" ||
		!strings.HasPrefix(warnings[0].Message, `skipped table "junk" of server "lake": could not read file "junk.parquet": `) {
		t.Fatalf("CREATE SERVER warnings: %+v", warnings)
	}
	if got := mustRun(t, admin, "SELECT name FROM lake.good"); got != nil {
		t.Errorf("notices reading good: %v", got)
	}
	wantError(t, admin, "SELECT * FROM lake.junk", pgerr.UndefinedTable, `relation "lake.junk" does not exist`)
	rows := queryRows(t, admin, "SELECT tables, skipped_tables FROM junction.sources WHERE name = 'lake'")
	if len(rows) != 1 || rows[0][0] != "1" || !strings.Contains(rows[0][1], `junk: could not read file \"junk.parquet\"`) {
		t.Errorf("junction.sources: %q", rows)
	}

	// Corrected, the file is a table again at the next discovery; a new
	// unreadable one warns.
	if err := os.Remove(filepath.Join(lake, "junk.parquet")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(lake, "junk.csv"), []byte("x\n1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(lake, "more.json"), []byte("{not json\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	warnings = runNotices(t, admin, "IMPORT FOREIGN SCHEMA lake FROM SERVER lake INTO lake")
	if len(warnings) != 1 || !strings.Contains(warnings[0].Message, `skipped table "more"`) || !strings.Contains(warnings[0].Message, `"more.json"`) {
		t.Fatalf("IMPORT FOREIGN SCHEMA warnings: %+v", warnings)
	}
	if rows := queryRows(t, admin, "SELECT x FROM lake.junk"); len(rows) != 1 || rows[0][0] != "1" {
		t.Errorf("junk after it was corrected: %q", rows)
	}
}

// queryRows runs a query in s and returns its rows as PostgreSQL's text
// forms ("NULL" for null).
func queryRows(t *testing.T, s *Session, sql string) [][]string {
	t.Helper()
	res := executeOne(t, s, sql)
	defer res.Rows.Close()
	var out [][]string
	for {
		b, err := res.Rows.Next()
		if err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
		if b == nil {
			return out
		}
		for i := 0; i < b.Len; i++ {
			row := make([]string, len(b.Cols))
			for j, v := range b.Cols {
				row[j] = "NULL"
				if !v.IsNull(i) {
					row[j] = types.FormatText(v.Type, v.Datum(i))
				}
			}
			out = append(out, row)
		}
	}
}
