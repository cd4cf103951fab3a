package sqllogictest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/junction-db/junction/test/testenv"
)

func TestRouteSendsStatementsWhereTheyBelong(t *testing.T) {
	cases := []struct {
		sql  string
		want destination
	}{
		{"CREATE TABLE t1(a INTEGER)", toSourceSchema},
		{"CREATE UNIQUE INDEX idx ON tab0 (col0 DESC)", toSourceSchema},
		{"DROP TABLE tab0", toSourceSchema},
		{"INSERT INTO t1 VALUES(1)", toSourceData},
		{"delete from tab0 where col0 > 5", toSourceData},
		{"CREATE VIEW v AS SELECT 1", toJunction},
		{"CREATE OR REPLACE VIEW v AS SELECT 1", toJunction},
		{"DROP VIEW IF EXISTS view_1_tab0_77", toJunction},
		{"SELECT 1", toJunction},
		// A table named like a keyword is still a table.
		{"CREATE TABLE view_log(a INTEGER)", toSourceSchema},
	}
	for _, c := range cases {
		if got := route(c.sql); got != c.want {
			t.Errorf("route(%q) = %d, want %d", c.sql, got, c.want)
		}
	}
}

func TestToMariaDBKeepsFloatsDouble(t *testing.T) {
	got := toMariaDB("CREATE TABLE tab0(pk INTEGER PRIMARY KEY, col1 FLOAT, col2 TEXT, col4 float)")
	if want := "CREATE TABLE tab0(pk INTEGER PRIMARY KEY, col1 DOUBLE, col2 TEXT, col4 DOUBLE)"; got != want {
		t.Errorf("toMariaDB = %q, want %q", got, want)
	}
}

// runnerScript exercises every path of the runner: data and schema
// statements on the source, a table created mid-script, a view in
// Junction, expected errors, each sort mode and type, hashing, guards,
// an excluded record and halt. {excluded} marks the excluded query.
var runnerScript = fmt.Sprintf(`hash-threshold 4

statement ok
CREATE TABLE t1(a INTEGER, b TEXT, c FLOAT)

statement ok
INSERT INTO t1 VALUES(1,'x',0.5),(2,'',NULL),(3,'Y',2.25)

query IT rowsort
SELECT a, b FROM t1
----
1
x
2
(empty)
3
Y

query R nosort
SELECT c FROM t1 ORDER BY a
----
0.500
NULL
2.250

statement ok
CREATE VIEW v1 AS SELECT a FROM t1 WHERE a > 1

query I valuesort
SELECT a FROM v1
----
2
3

statement error
INSERT INTO no_such_table VALUES(1)

statement ok
CREATE TABLE t2(d INTEGER)

statement ok
INSERT INTO t2 VALUES(7),(8),(9),(10),(11)

query I rowsort
SELECT d FROM t2
----
5 values hashing to %s

query I nosort
SELECT d FROM t2 WHERE d = 7
----
8

query I nosort
SELECT no_such_column FROM t2
----
1

skipif postgresql
query I nosort
SELECT 1 FROM nowhere
----
1

{excluded}
query I nosort
SELECT 1 FROM nowhere
----
1

statement ok
DROP VIEW v1

statement error
SELECT a FROM v1

halt

query I nosort
SELECT 1 FROM nowhere
----
1
`, HashValues([]string{"10", "11", "7", "8", "9"}))

func TestRunScriptThroughJunction(t *testing.T) {
	testenv.RequirePostgres(t)
	testenv.RequireMariaDB(t)
	dir := t.TempDir()
	lines := strings.Split(runnerScript, "\n")
	excludedLine := 0
	for i, line := range lines {
		if line == "{excluded}" {
			lines[i] = "# the exclusion list names the next record"
			excludedLine = i + 2
		}
	}
	files := map[string]string{
		"small.test":   strings.Join(lines, "\n"),
		ExclusionsFile: fmt.Sprintf("small.test:%d\twrong result: different values\n", excludedLine),
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	corpus, err := LoadCorpus(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, kind := range Kinds {
		t.Run(kind, func(t *testing.T) {
			run := &Run{}
			RunScript(t, corpus, "small.test", kind, Options{QueryTimeout: 30 * time.Second}, run)
			want := Tally{Passed: 4, Failed: 1, Errored: 1, Excluded: 2, StatementsOK: 8}
			if run.Tally != want {
				t.Errorf("tally = %+v, want %+v; failures:\n%s", run.Tally, want, Report([]*Run{run}, 10, 10))
			}
			categories := map[string]bool{}
			for _, f := range run.Failures {
				categories[f.Category] = true
			}
			for _, c := range []string{"wrong result: different values", "ERROR 42703: column \"no_such_column\" does not exist"} {
				if !categories[c] {
					t.Errorf("no failure in category %q; got %v", c, categories)
				}
			}
		})
	}
}
