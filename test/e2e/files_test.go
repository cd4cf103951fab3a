package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/junction-db/junction/test/testenv"
)

// writeLakeFile writes content to root/rel, making its directories.
func writeLakeFile(t *testing.T, root, rel, content string) string {
	t.Helper()
	path := filepath.Join(root, rel)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestFilesSource registers a directory of files as a source and checks,
// over the real binary, what a user meets: discovery, CREATE FOREIGN
// TABLE for a file sniffing cannot read, paths kept inside root, and
// clear errors for malformed and changed files, after which the session
// goes on.
func TestFilesSource(t *testing.T) {
	outside := t.TempDir()
	secret := writeLakeFile(t, outside, "secret.csv", "password\nhunter2\n")
	srv := testenv.StartServer(t)
	conn := srv.Connect(t)
	// Files servers made by SQL read below the data directory by default
	// (files_dirs).
	expectError(t, conn, "CREATE SERVER elsewhere FOREIGN DATA WRAPPER files OPTIONS (root '"+outside+"')", "42501")
	root := filepath.Join(srv.DataDir, "lake")
	writeLakeFile(t, root, "cities.csv", "id,name,population\n1,Amsterdam,921402\n2,Utrecht,361924\n3,Zwolle,130592\n")
	writeLakeFile(t, root, "raw/visits.txt", "1|2024-05-01|3\n2|2024-05-02|\n1|2024-05-03|7\n")
	var big strings.Builder
	big.WriteString("n\n")
	for i := 0; i < 25000; i++ {
		big.WriteString("1\n")
	}
	big.WriteString("seven\n")
	writeLakeFile(t, root, "broken.csv", big.String())
	if err := os.Symlink(secret, filepath.Join(root, "leak.csv")); err != nil {
		t.Fatal(err)
	}

	mustExec(t, conn, "CREATE SERVER lake FOREIGN DATA WRAPPER files OPTIONS (root '"+root+"')")

	tables := strings.Join(column(query(t, conn, `SELECT table_name FROM information_schema.tables WHERE table_schema = 'lake' ORDER BY 1`), 0), ",")
	if tables != "broken,cities" {
		t.Errorf("tables of lake: %s (the link out of root must not be one)", tables)
	}
	if got := queryValue(t, conn, `SELECT string_agg(name, ',' ORDER BY population DESC) FROM lake.cities WHERE population > 200000`); got != "Amsterdam,Utrecht" {
		t.Errorf("cities: %s", got)
	}

	// A file without a header: its columns declared as in file_fdw.
	mustExec(t, conn, `CREATE FOREIGN TABLE lake.visits (city_id integer NOT NULL, day date, guests integer)
		SERVER lake OPTIONS (filename 'raw/visits.txt', format 'csv', delimiter '|', header 'false')`)
	if got := queryValue(t, conn, `SELECT string_agg(column_name || ':' || is_nullable, ',' ORDER BY ordinal_position)
		FROM information_schema.columns WHERE table_schema = 'lake' AND table_name = 'visits'`); got != "city_id:NO,day:YES,guests:YES" {
		t.Errorf("nullability of the declared columns: %s", got)
	}
	if got := queryValue(t, conn, `SELECT string_agg(c.name || ':' || coalesce(v.guests::text, '-'), ',' ORDER BY v.day)
		FROM lake.visits v JOIN lake.cities c ON c.id = v.city_id`); got != "Amsterdam:3,Utrecht:-,Amsterdam:7" {
		t.Errorf("visits joined to cities: %s", got)
	}
	expectError(t, conn, `CREATE FOREIGN TABLE lake.visits (a int) SERVER lake OPTIONS (filename 'cities.csv')`, "42P07")
	mustExec(t, conn, `CREATE FOREIGN TABLE IF NOT EXISTS lake.visits (a int) SERVER lake OPTIONS (filename 'cities.csv')`)

	// Nothing outside root is read: not by ../, an absolute path or a link.
	for _, filename := range []string{"../" + filepath.Base(outside) + "/secret.csv", secret, "leak.csv"} {
		pe := expectError(t, conn, `CREATE FOREIGN TABLE lake.stolen (password text) SERVER lake OPTIONS (filename '`+filename+`')`, "42501")
		if pe != nil && strings.Contains(pe.Message+pe.Detail, "hunter2") {
			t.Errorf("the error shows the secret: %s", pe.Message)
		}
	}
	expectError(t, conn, `CREATE FOREIGN TABLE lake.x (a int) SERVER lake OPTIONS (filename 'cities.csv', colour 'red')`, "HV00D")
	expectError(t, conn, `SELECT * FROM lake.leak`, "42P01")

	// A malformed file: the error names the file and the line.
	pe := expectError(t, conn, `SELECT sum(n) FROM lake.broken`, "22P04")
	if pe != nil && (!strings.Contains(pe.Message, "broken.csv") || !strings.Contains(pe.Message, "line 25002")) {
		t.Errorf("malformed file error: %s", pe.Message)
	}
	if got := queryValue(t, conn, `SELECT count(*) FROM lake.cities`); got != "3" {
		t.Errorf("after the error: %s", got)
	}

	// A file that changed: new rows are read where they fit; another
	// layout is an error that says what to do, and IMPORT FOREIGN SCHEMA
	// rediscovers it.
	writeLakeFile(t, root, "cities.csv", "id,name,population\n1,Amsterdam,921402\n2,Utrecht,361924\n3,Zwolle,130592\n4,Delft,103659\n")
	if got := queryValue(t, conn, `SELECT count(*) FROM lake.cities`); got != "4" {
		t.Errorf("grown file: %s rows", got)
	}
	writeLakeFile(t, root, "cities.csv", "city,country\nGhent,BE\n")
	pe = expectError(t, conn, `SELECT name FROM lake.cities`, "HV000", "22P04")
	if pe != nil && !strings.Contains(pe.Message+pe.Hint, "IMPORT FOREIGN SCHEMA") {
		t.Errorf("changed layout error: %s (hint %s)", pe.Message, pe.Hint)
	}
	mustExec(t, conn, "IMPORT FOREIGN SCHEMA lake FROM SERVER lake INTO lake")
	if got := queryValue(t, conn, `SELECT city || '/' || country FROM lake.cities`); got != "Ghent/BE" {
		t.Errorf("after IMPORT FOREIGN SCHEMA: %s", got)
	}

	// Definitions are kept with the server across a restart, and dropped.
	srv.Restart(t)
	conn = srv.Connect(t)
	if got := queryValue(t, conn, `SELECT sum(guests) FROM lake.visits`); got != "10" {
		t.Errorf("visits after restart: %s", got)
	}
	// Options change with ALTER FOREIGN TABLE; a change the source cannot
	// read leaves the table as it was.
	writeLakeFile(t, root, "raw/visits2.txt", "3;2024-06-01;11\n")
	mustExec(t, conn, `ALTER FOREIGN TABLE lake.visits OPTIONS (SET filename 'raw/visits2.txt', SET delimiter ';')`)
	if got := queryValue(t, conn, `SELECT sum(guests) FROM lake.visits`); got != "11" {
		t.Errorf("visits after ALTER FOREIGN TABLE: %s", got)
	}
	expectError(t, conn, `ALTER FOREIGN TABLE lake.visits OPTIONS (ADD colour 'red')`, "HV00D")
	expectError(t, conn, `ALTER FOREIGN TABLE lake.visits ADD COLUMN extra text`, "0A000")
	expectError(t, conn, `ALTER FOREIGN TABLE lake.nosuch OPTIONS (SET header 'true')`, "42P01")
	if got := queryValue(t, conn, `SELECT sum(guests) FROM lake.visits`); got != "11" {
		t.Errorf("visits after a refused ALTER FOREIGN TABLE: %s", got)
	}
	mustExec(t, conn, `DROP FOREIGN TABLE lake.visits`)
	expectError(t, conn, `SELECT * FROM lake.visits`, "42P01")
	expectError(t, conn, `DROP FOREIGN TABLE lake.visits`, "42P01")
	mustExec(t, conn, `DROP FOREIGN TABLE IF EXISTS lake.visits`)
	expectError(t, conn, `CREATE FOREIGN TABLE demo_x.t (a int) SERVER nosuch OPTIONS (filename 'x.csv')`, "42704", "3F000")
}
