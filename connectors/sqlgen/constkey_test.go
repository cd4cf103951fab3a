package sqlgen_test

import (
	"strings"
	"testing"

	"github.com/junction-db/junction/connectors/mysql"
	"github.com/junction-db/junction/connectors/postgres"
	"github.com/junction-db/junction/connectors/sqlgen"
	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
)

func constant(v int64) plan.Expr { return &plan.Const{Value: types.IntDatum(v), T: types.TInt4} }

// A constant GROUP BY or ORDER BY key would read as a select-list
// position at the source; it is left out of the clause.
func TestConstantKeysAreNotPositions(t *testing.T) {
	projected := &plan.Project{Input: scan("a", "x"), Exprs: []plan.Expr{constant(10), col(0)}, Cols: []plan.Column{{Name: "c", Type: types.TInt4}, {Name: "x", Type: types.TInt4}}}
	sorted := &plan.Sort{Input: projected, Keys: []plan.SortKey{{Expr: col(0)}, {Expr: col(1)}}}
	grouped := &plan.Aggregate{Input: scan("a", "x"), GroupBy: []plan.Expr{constant(10), col(0)}, Cols: []plan.Column{{Name: "c", Type: types.TInt4}, {Name: "x", Type: types.TInt4}}}
	for _, d := range []sqlgen.Dialect{&postgres.Dialect{}, mysql.Dialect{}} {
		for _, q := range []plan.Node{sorted, grouped} {
			got, err := sqlgen.Render(d, q)
			if err != nil {
				t.Fatal(err)
			}
			for _, clause := range []string{"ORDER BY 10", "GROUP BY 10"} {
				if strings.Contains(got, clause) {
					t.Errorf("%T: %s has the constant key as %q", d, got, clause)
				}
			}
		}
	}
	onlyConstants := &plan.Aggregate{Input: scan("a", "x"), GroupBy: []plan.Expr{constant(10)}, Cols: []plan.Column{{Name: "c", Type: types.TInt4}}}
	if got, err := sqlgen.Render(&postgres.Dialect{}, onlyConstants); err == nil {
		t.Errorf("grouping by constants alone rendered as %s; without the key it would return a row from no input", got)
	}
}
