package clients

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/junction-db/junction/test/testenv"
)

// paramStatements use $n where drivers put them; {t} stands for a table
// of the shop database.
var paramStatements = []string{
	`SELECT id FROM {orders} WHERE id = $1`,
	`SELECT id FROM {orders} ORDER BY id LIMIT $1 OFFSET $2`,
	`SELECT $1::int + 1, $2`,
	`SELECT upper($1), coalesce($2, 0), substr('abcdef', $3, $4)`,
	`SELECT id FROM {orders} WHERE placed BETWEEN $1 AND $2`,
	`SELECT id FROM {orders} WHERE customer_id IN ($1, $2)`,
	`SELECT id FROM {orders} WHERE amount > $1 AND note LIKE $2`,
	`SELECT id FROM {orders} WHERE $1::text IS NULL OR note = $1`,
	`SELECT CASE WHEN amount > $1 THEN 'big' ELSE $2 END FROM {orders}`,
	`SELECT placed + $1::int FROM {orders}`,
	`SELECT placed - $1 FROM {orders}`,
	`SELECT count(*) FROM {orders} WHERE customer_id = $1 GROUP BY customer_id HAVING count(*) > $2`,
	`SELECT id FROM {orders} WHERE id = (SELECT max(id) FROM {orders} WHERE customer_id = $1)`,
	`SELECT c.relname FROM pg_catalog.pg_class c WHERE c.oid = $1::regclass`,
	`SELECT attname FROM pg_catalog.pg_attribute WHERE attrelid = $1 AND attnum > $2`,
	`SELECT name FROM {customers} WHERE name ILIKE $1 || '%'`,
	`SELECT $1`,
	`SELECT date_trunc($1, placed) FROM {orders}`,
	`SELECT id FROM {orders} WHERE placed > $1::date - $2::interval`,
	`SELECT round(amount, $1), amount * $2 FROM {orders}`,
	`SELECT id FROM {orders} o WHERE EXISTS (SELECT 1 FROM {customers} c WHERE c.id = o.customer_id AND c.name = $1)`,
	`SELECT id FROM {orders} WHERE note IS DISTINCT FROM $1`,
	`SELECT nspname FROM pg_catalog.pg_namespace WHERE nspname = $1 OR nspname ~ $2`,
	`SELECT * FROM generate_series($1::int, $2) g`,
	`SELECT id FROM {orders} ORDER BY id OFFSET $1 ROWS FETCH FIRST $2 ROWS ONLY`,
	`VALUES ($1::int, $2)`,
	`SELECT id FROM {orders} WHERE customer_id IN (SELECT id FROM {customers} WHERE name = $1)`,
	`SELECT id, $1::numeric(10,2) FROM {orders} WHERE placed = $2::date`,
	`SELECT extract(year FROM placed) = $1 FROM {orders}`,
	`SELECT id FROM {orders} WHERE note ~ $1 AND note NOT LIKE $2`,
	`SELECT id FROM {orders} UNION SELECT $1`,
	`SELECT id FROM {orders} WHERE id = ANY($1)`,
}

// paramPending are statements whose parameters Junction cannot type as
// PostgreSQL does yet.
var paramPending = map[string]pending{}

// TestParameterTypes prepares statements with parameters on Junction
// and on PostgreSQL and requires the same parameter types in
// ParameterDescription, which drivers use to encode the values.
func TestParameterTypes(t *testing.T) {
	s := newServer(t)
	junction := s.srv.Connect(t)
	ref := testenv.ConnectURL(t, testenv.PostgresURL(s.dbname))
	ctx := context.Background()
	for i, stmt := range paramStatements {
		name := fmt.Sprintf("s%d", i)
		j, err := junction.Prepare(ctx, name, strings.NewReplacer("{orders}", "shop.orders", "{customers}", "shop.customers").Replace(stmt))
		if err != nil {
			msg := testenv.DescribeError(err)
			if p, ok := paramPending[stmt]; ok && p.err.MatchString(msg) {
				t.Logf("%s\nskipped: needs %s, which Junction does not support yet: %s", stmt, p.feature, msg)
				continue
			}
			t.Errorf("%s\nJunction: %s", stmt, msg)
			continue
		}
		p, err := ref.Prepare(ctx, name, strings.NewReplacer("{orders}", "orders", "{customers}", "customers").Replace(stmt))
		if err != nil {
			t.Fatalf("%s\nPostgreSQL: %v", stmt, err)
		}
		if fmt.Sprint(j.ParamOIDs) != fmt.Sprint(p.ParamOIDs) {
			t.Errorf("%s\nparameter types %v, PostgreSQL's %v", stmt, j.ParamOIDs, p.ParamOIDs)
		}
	}
}
