package clients

import (
	"context"
	"os/exec"
	"strings"
	"testing"

	"github.com/junction-db/junction/test/testenv"
)

// TestCatalogAnswers checks, over the wire, catalog answers clients
// print: regclass output, key and index definitions, psql's \d of a
// source table, and set_config.
func TestCatalogAnswers(t *testing.T) {
	s := newServer(t)
	conn := s.srv.Connect(t)
	ctx := context.Background()
	for _, c := range []struct{ sql, want string }{
		{`SELECT indexrelid::regclass, indrelid::regclass FROM pg_index WHERE indexrelid = 'shop.orders_placed_idx'::regclass`,
			// The demo source has an orders table too, earlier on the search path.
			"orders_placed_idx|shop.orders"},
		{`SELECT 'pg_class'::regclass, 'int4'::regtype, 0::oid::regclass`, "pg_class|integer|-"},
		{`SELECT pg_get_indexdef('shop.orders_placed_idx'::regclass)`,
			"CREATE INDEX orders_placed_idx ON shop.orders USING btree (placed DESC, customer_id)"},
		{`SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'shop.lines'::regclass ORDER BY conname`,
			"lines_order_fk|FOREIGN KEY (order_id) REFERENCES shop.orders(id) ON DELETE CASCADE\nlines_pkey|PRIMARY KEY (order_id, line_no)"},
		{`SELECT obj_description('shop.customers'::regclass, 'pg_class'), col_description('shop.customers'::regclass, 2)`,
			"people who buy|full name"},
		{`SELECT set_config('search_path', 'shop, public', false)`, "shop, public"},
		{`SELECT current_setting('search_path')`, "shop, public"},
		{`SELECT set_config('search_path', 'public', true)`, "public"},
		{`SELECT current_setting('search_path')`, "shop, public"},
	} {
		res, err := testenv.QueryText(ctx, conn, c.sql)
		if err != nil {
			t.Errorf("%s\nfailed: %s", c.sql, testenv.DescribeError(err))
			continue
		}
		var got []string
		for _, row := range res.Rows {
			var cells []string
			for _, cell := range row {
				cells = append(cells, cell.Text)
			}
			got = append(got, strings.Join(cells, "|"))
		}
		if strings.Join(got, "\n") != c.want {
			t.Errorf("%s\ngot  %q\nwant %q", c.sql, strings.Join(got, "\n"), c.want)
		}
	}

	if _, err := exec.LookPath("psql"); err != nil {
		testenv.Unavailable(t, "psql is not on PATH")
	}
	out, err := exec.Command("psql", s.srv.URL(testenv.DemoUser, testenv.DemoPassword), "-X", "-c", `\d shop.orders`).CombinedOutput()
	if err != nil {
		t.Fatalf("psql \\d shop.orders: %v\n%s", err, out)
	}
	for _, want := range []string{"Indexes:", `"orders_pkey" PRIMARY KEY, btree (id)`, `"orders_placed_idx" btree (placed DESC, customer_id)`} {
		if !strings.Contains(string(out), want) {
			t.Errorf("psql \\d shop.orders does not show %q:\n%s", want, out)
		}
	}
}
