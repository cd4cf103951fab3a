package planner_test

import (
	"context"
	"testing"

	"github.com/junction-db/junction/catalog"
	"github.com/junction-db/junction/connectors"
	"github.com/junction-db/junction/connectors/postgres"
	"github.com/junction-db/junction/connectors/sqlgen"
	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/planner"
	"github.com/junction-db/junction/types"
)

// A remote query with parameters is a point lookup when its filter sets
// a column that alone is a primary key or unique constraint equal to a
// parameter of its type, and nothing reads more than that row.
func TestPointLookups(t *testing.T) {
	env := catalogEnv(t, func(s *catalog.Snapshot) {
		s.Sources["crm"] = &catalog.Source{Name: "crm", Wrapper: "postgres", DefaultSchema: "public", OID: s.AllocOID(), Tables: []connectors.Table{
			{Schema: "public", Name: "customers", Columns: []connectors.Column{
				{Name: "id", Type: types.TInt4}, {Name: "email", Type: types.TText}, {Name: "country", Type: types.TText}, {Name: "region", Type: types.TInt4},
			}, Keys: []connectors.Key{
				{Name: "customers_pkey", Kind: connectors.PrimaryKey, Columns: []string{"id"}},
				{Name: "customers_email_key", Kind: connectors.UniqueKey, Columns: []string{"email"}},
				{Name: "customers_place_key", Kind: connectors.UniqueKey, Columns: []string{"country", "region"}},
			}},
		}}
	}, map[string]sqlgen.Dialect{"crm": &postgres.Dialect{}})
	for sql, want := range map[string]bool{
		`SELECT * FROM crm.customers WHERE id = $1`:                                                true,
		`SELECT country FROM crm.customers WHERE $1 = id AND country <> 'NL'`:                      true,
		`SELECT id, upper(country) FROM crm.customers WHERE email = $1`:                            true,
		`SELECT id FROM crm.customers WHERE id = $1::int8`:                                         false, // a cast: not the key's type
		`SELECT id FROM crm.customers WHERE country = $1`:                                          false, // not unique
		`SELECT id FROM crm.customers WHERE country = $1 AND region = $2`:                          false, // a key of two columns
		`SELECT id FROM crm.customers WHERE id > $1`:                                               false,
		`SELECT count(*) FROM crm.customers WHERE id = $1`:                                         false, // an aggregate: not a row of the table
		`SELECT id FROM crm.customers WHERE id = $1 OR email = 'x'`:                                false,
		`SELECT a.id FROM crm.customers a JOIN crm.customers b ON b.id = a.region WHERE a.id = $1`: false,
	} {
		stmts, err := planner.Parse(sql)
		if err != nil {
			t.Fatal(err)
		}
		q, err := planner.BindSelect(context.Background(), env, stmts[0].Stmt.GetSelectStmt(), nil)
		if err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
		p, err := planner.Optimize(context.Background(), env, q.Plan)
		if err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
		var remotes []*plan.Remote
		var walk func(n plan.Node)
		walk = func(n plan.Node) {
			if r, ok := n.(*plan.Remote); ok {
				remotes = append(remotes, r)
			}
			for _, in := range n.Inputs() {
				walk(in)
			}
		}
		walk(p)
		if len(remotes) != 1 {
			t.Fatalf("%s: %d remote queries, want one", sql, len(remotes))
		}
		if got := remotes[0].PointLookup; got != want {
			t.Errorf("%s: point lookup %v, want %v (%s)", sql, got, want, remotes[0].SQL)
		}
	}
}
