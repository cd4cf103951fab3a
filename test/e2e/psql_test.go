package e2e

import (
	"context"
	"os/exec"
	"strings"
	"testing"

	"github.com/junction-db/junction/test/testenv"
)

// psql runs PostgreSQL's own client against url and returns its output;
// ok is false (and the test failed) if psql reported an error.
func psql(t *testing.T, url string, args ...string) (out string, ok bool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), queryTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "psql", append([]string{url, "-X", "-v", "ON_ERROR_STOP=1"}, args...)...)
	b, err := cmd.CombinedOutput()
	if err != nil {
		t.Errorf("psql %q failed: %v\n%s", args, err, b)
		return string(b), false
	}
	return string(b), true
}

// testPsql checks what a psql user sees of the federation: the schemas,
// tables and columns with their PostgreSQL types, and a join's rows
// printed exactly as psql prints PostgreSQL's own answer.
func testPsql(t *testing.T, f *federation) {
	if _, err := exec.LookPath("psql"); err != nil {
		testenv.Unavailable(t, "psql is not on PATH")
	}
	url := f.srv.URL(testenv.DemoUser, testenv.DemoPassword)

	for _, c := range []struct {
		command string
		want    []string
	}{
		{`\dn`, []string{"crm", "shop"}},
		{`\dt crm.*`, []string{"customers"}},
		{`\dt shop.*`, []string{"orders"}},
		{`\d crm.customers`, []string{"id", "integer", "name", "text", "created_at", "date", "not null"}},
		{`\d shop.orders`, []string{"customer_id", "integer", "numeric(10,2)", "character varying(20)", "timestamp without time zone", "note", "text"}},
	} {
		out, ok := psql(t, url, "-c", c.command)
		if !ok {
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(out, w) {
				t.Errorf("psql %s does not show %q:\n%s", c.command, w, out)
			}
		}
	}

	join := `SELECT c.name, c.country, o.id, o.amount, o.status, o.created_at FROM {customers} c JOIN {orders} o ON o.customer_id = c.id WHERE o.id <= 40 ORDER BY o.id`
	got, ok := psql(t, url, "-c", junctionTables.Replace(join))
	want, _ := psql(t, testenv.PostgresURL(f.referenceDB), "-c", referenceTables.Replace(join))
	if ok && got != want {
		t.Errorf("psql prints the join differently from PostgreSQL's:\n--- Junction\n%s\n--- PostgreSQL\n%s", got, want)
	}
}
