package e2e

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/junction-db/junction/test/testenv"
)

// describeCommand is one psql describe command with the catalog queries
// psql sends for it.
type describeCommand struct {
	name    string
	queries []string
}

// describeCommands reads catalog/system/testdata/psql_describe_queries.sql:
// each command's queries follow a "-- command:" line and end with a
// semicolon at the end of a line.
func describeCommands(t *testing.T) []describeCommand {
	t.Helper()
	root, err := testenv.ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(root, "catalog", "system", "testdata", "psql_describe_queries.sql"))
	if err != nil {
		t.Fatal(err)
	}
	var commands []describeCommand
	var current []string
	for _, line := range strings.Split(string(data), "\n") {
		if name, ok := strings.CutPrefix(line, "-- command: "); ok {
			commands = append(commands, describeCommand{name: name})
			continue
		}
		if strings.HasPrefix(line, "--") || len(current) == 0 && strings.TrimSpace(line) == "" {
			continue
		}
		current = append(current, line)
		if strings.HasSuffix(line, ";") {
			if len(commands) == 0 {
				t.Fatalf("query before the first command line:\n%s", strings.Join(current, "\n"))
			}
			last := &commands[len(commands)-1]
			last.queries = append(last.queries, strings.Join(current, "\n"))
			current = nil
		}
	}
	return commands
}

// TestPsqlDescribe runs, against a federation whose sources are crm
// (PostgreSQL) and shop (MariaDB) with the view shop.big_orders, every
// catalog query psql 15 sends for its describe commands, then psql itself.
func TestPsqlDescribe(t *testing.T) {
	f := newFederation(t)
	mustExec(t, f.junction, `CREATE VIEW shop.big_orders AS SELECT id, customer_id, amount FROM shop.orders WHERE amount > 100`)

	t.Run("catalog queries", func(t *testing.T) { testDescribeQueries(t, f) })
	t.Run("psql \\d and \\d+", func(t *testing.T) { testDescribeTable(t, f) })
}

// testDescribeQueries replays the queries command by command, as psql
// does: {{oid}} is the OID the command's first query found for the object
// it describes (or, when it finds none, the OID of shop.orders).
func testDescribeQueries(t *testing.T, f *federation) {
	commands := describeCommands(t)
	if len(commands) < 30 {
		t.Fatalf("read only %d commands", len(commands))
	}
	ordersOID := queryValue(t, f.conn(), `SELECT 'shop.orders'::regclass::oid`)
	ctx := context.Background()
	ran := 0
	for _, c := range commands {
		oid := ordersOID
		for i, q := range c.queries {
			q = strings.ReplaceAll(q, "{{oid}}", oid)
			res, err := testenv.QueryText(ctx, f.conn(), q)
			if err != nil {
				t.Errorf("%s: query %d failed: %s\n%s", c.name, i+1, testenv.DescribeError(err), q)
				continue
			}
			ran++
			if i == 0 && len(res.Rows) > 0 {
				for c, name := range res.Columns {
					if name == "oid" {
						oid = res.Rows[0][c].Text
					}
				}
			}
			if strings.HasPrefix(c.name, `\d shop.`) && i == 0 && len(res.Rows) != 1 {
				t.Errorf("%s: the lookup found %d relations, want 1", c.name, len(res.Rows))
			}
		}
	}
	t.Logf("%d catalog queries of %d commands ran", ran, len(commands))

	// The queries describe what is there: the columns of shop.orders,
	// crm and shop among the schemas, both servers.
	attrs := query(t, f.conn(), `SELECT a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull
		FROM pg_catalog.pg_attribute a WHERE a.attrelid = `+ordersOID+` AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`)
	if got := strings.Join(column(attrs, 0), ","); got != strings.Join(orderColumns, ",") {
		t.Errorf("shop.orders has columns %s, want %s", got, strings.Join(orderColumns, ","))
	}
	servers := query(t, f.conn(), `SELECT s.srvname, f.fdwname FROM pg_catalog.pg_foreign_server s
		JOIN pg_catalog.pg_foreign_data_wrapper f ON f.oid = s.srvfdw WHERE s.srvname IN ('crm', 'shop') ORDER BY 1`)
	if got := strings.Join(column(servers, 0), ",") + "/" + strings.Join(column(servers, 1), ","); got != "crm,shop/postgres,mysql" {
		t.Errorf("pg_foreign_server lists %s, want crm,shop/postgres,mysql", got)
	}
}

// psqlTableBody is the column rows of psql's \d output: the lines
// between the header's dashes and the first empty line or footer.
func psqlTableBody(out string) []string {
	lines := strings.Split(out, "\n")
	var body []string
	inBody := false
	for _, l := range lines {
		switch {
		case strings.HasPrefix(l, "---"):
			inBody = true
		case inBody && (strings.TrimSpace(l) == "" || !strings.HasPrefix(l, " ")):
			return body
		case inBody:
			body = append(body, l)
		}
	}
	return body
}

var psqlTitle = regexp.MustCompile(`(?m)^\s*Table "([^"]+)"\s*$`)

// testDescribeTable runs psql's \d and \d+ on crm.customers and requires
// the column rows PostgreSQL prints for the same table: names, types,
// nullability, storage. The title names the source's schema; PostgreSQL's
// index and access method footers have no counterpart in Junction.
func testDescribeTable(t *testing.T, f *federation) {
	if _, err := exec.LookPath("psql"); err != nil {
		testenv.Unavailable(t, "psql is not on PATH")
	}
	url := f.srv.URL(testenv.DemoUser, testenv.DemoPassword)
	for _, verbose := range []string{"", "+"} {
		got, ok := psql(t, url, "-c", `\d`+verbose+` crm.customers`)
		want, wantOK := psql(t, testenv.PostgresURL(f.referenceDB), "-c", `\d`+verbose+` customers`)
		if !ok || !wantOK {
			continue
		}
		if m := psqlTitle.FindStringSubmatch(got); m == nil || m[1] != "crm.customers" {
			t.Errorf(`psql \d%s crm.customers has no title Table "crm.customers":%s`, verbose, got)
		}
		gotBody, wantBody := psqlTableBody(got), psqlTableBody(want)
		if len(wantBody) != len(customerColumns) {
			t.Fatalf("reference psql output has %d column rows, want %d:\n%s", len(wantBody), len(customerColumns), want)
		}
		if strings.Join(gotBody, "\n") != strings.Join(wantBody, "\n") {
			t.Errorf("psql \\d%s prints the columns differently from PostgreSQL:\n--- Junction\n%s\n--- PostgreSQL\n%s", verbose, got, want)
		}
	}
	got, ok := psql(t, url, "-c", `\d+ shop.big_orders`)
	if ok && (!strings.Contains(got, `View "shop.big_orders"`) || !strings.Contains(got, "View definition:") || !strings.Contains(got, "amount > 100")) {
		t.Errorf("psql \\d+ shop.big_orders does not describe the view:\n%s", got)
	}
}
