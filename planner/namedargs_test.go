package planner

import (
	"testing"

	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/junction-db/junction/pgerr"
)

func callArgs(t *testing.T, sql string) []*pg.Node {
	t.Helper()
	tree, err := pg.Parse(sql)
	if err != nil {
		t.Fatal(err)
	}
	return tree.Stmts[0].Stmt.GetSelectStmt().TargetList[0].GetResTarget().Val.GetFuncCall().Args
}

func TestPositionalArguments(t *testing.T) {
	args, err := positionalArguments("make_interval", callArgs(t, `SELECT make_interval(1, days => 3, secs := 1.5)`))
	if err != nil {
		t.Fatal(err)
	}
	if len(args) != 7 {
		t.Fatalf("%d arguments, want 7", len(args))
	}
	ints := func(n *pg.Node) int32 { return n.GetAConst().GetIval().GetIval() }
	if ints(args[0]) != 1 || ints(args[1]) != 0 || ints(args[3]) != 3 || args[6].GetAConst().GetFval().GetFval() != "1.5" {
		t.Errorf("arguments = %v", args)
	}
	for _, c := range []struct{ name, sql, code string }{
		{"make_interval", `SELECT make_interval(fortnights => 1)`, pgerr.UndefinedFunction},
		{"make_interval", `SELECT make_interval(days => 1, days => 2)`, pgerr.SyntaxError},
		{"make_date", `SELECT make_date(year => 2020, month => 1)`, pgerr.UndefinedFunction},
		{"lower", `SELECT lower(x => 'A')`, pgerr.UndefinedFunction},
	} {
		if _, err := positionalArguments(c.name, callArgs(t, c.sql)); pgerr.Code(err) != c.code {
			t.Errorf("%s: %v, want %s", c.sql, err, c.code)
		}
	}
}
