package planner

import (
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/junction-db/junction/catalog/system"
	"github.com/junction-db/junction/executor/functions"
	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
)

// rangeFunction binds a function call in FROM. A set-returning function
// (generate_series, unnest, ...) becomes a plan.FuncScan; any other
// function or expression yields its value as a one-row table, as in
// PostgreSQL. The table is named after the function unless aliased, and
// so is the column of a function returning plain values. The arguments
// may read the enclosing query's row (in a correlated subquery) or, as
// outer, the items to the left in the same FROM list (lateral.go).
func (b *binder) rangeFunction(rf *pg.RangeFunction, outer *scope) (plan.Node, *scope, error) {
	if rf.IsRowsfrom || len(rf.Functions) != 1 {
		return nil, nil, pgerr.NotSupported("ROWS FROM (...)")
	}
	parts := rf.Functions[0].GetList().GetItems()
	if len(parts) == 0 {
		return nil, nil, pgerr.New(pgerr.SyntaxError, "a function call in FROM names no function")
	}
	if len(rf.Coldeflist) > 0 || len(parts) > 1 && len(parts[1].GetList().GetItems()) > 0 {
		return nil, nil, pgerr.NotSupported("a column definition list for a function in FROM")
	}
	call := parts[0]
	alias, colNames := "", []string(nil)
	if rf.Alias != nil {
		alias, colNames = rf.Alias.Aliasname, stringList(rf.Alias.Colnames)
	}
	x := &exprBinder{binder: b, sc: &scope{parent: outer}, clause: "functions in FROM"}
	var node plan.Node
	name := columnName(call)
	if rows, ok := b.tableFunction(call); ok {
		node = rows
	} else if fc := call.GetFuncCall(); fc != nil && functions.IsSetFunc(functionName(fc)) {
		scan, err := x.setFunction(fc)
		if err != nil {
			return nil, nil, err
		}
		node = scan
	} else {
		e, err := x.expr(call)
		if err != nil {
			return nil, nil, err
		}
		if isUnknown(e) {
			if e, err = b.coerce(e, types.TText); err != nil {
				return nil, nil, err
			}
		}
		node = &plan.Values{Rows: [][]plan.Expr{{e}}, Cols: []plan.Column{{Type: e.Type()}}}
	}
	table := name
	if alias != "" {
		table = alias
	}
	cols := node.Columns() // the new node's own columns, named here
	if len(cols) == 1 && cols[0].Name == "" {
		// A function returning plain values names its column after the
		// table, so that "FROM unnest(a) AS x" has a column x.
		cols[0].Name = table
	}
	if rf.Ordinality {
		node = withOrdinality(node)
		cols = node.Columns()
	}
	// The columns' table is what EXPLAIN and RowDescription show.
	for i := range cols {
		cols[i].Table = table
	}
	return b.aliased(node, table, colNames)
}

// tableFunction binds a catalog function that returns a system table's
// rows (pg_show_all_settings()).
func (b *binder) tableFunction(call *pg.Node) (plan.Node, bool) {
	fc := call.GetFuncCall()
	if fc == nil || len(fc.Args) > 0 || b.env.System == nil {
		return nil, false
	}
	if parts := stringList(fc.Funcname); len(parts) > 1 && parts[0] != system.PgCatalog {
		return nil, false
	}
	rows, ok := system.LookupTableFunction(b.env.System, functionName(fc))
	if !ok {
		return nil, false
	}
	return rows, true
}

// functionName is the lower-case name a call names, without pg_catalog.
func functionName(fc *pg.FuncCall) string {
	parts := stringList(fc.Funcname)
	return parts[len(parts)-1]
}

// setFunction binds a call of a set-returning function.
func (x *exprBinder) setFunction(fc *pg.FuncCall) (*plan.FuncScan, error) {
	parts := stringList(fc.Funcname)
	name := functionName(fc)
	if !knownFunctionSchema(parts) {
		return nil, pgerr.New(pgerr.UndefinedFunction, "function %s does not exist", strings.Join(parts, "."))
	}
	switch {
	case fc.Over != nil:
		return nil, pgerr.New(pgerr.WrongObjectType, "OVER specified, but %s is not a window function nor an aggregate function", name)
	case fc.AggStar || fc.AggDistinct || len(fc.AggOrder) > 0 || fc.AggFilter != nil:
		return nil, pgerr.New(pgerr.WrongObjectType, "%s is not an aggregate function", name)
	case fc.FuncVariadic:
		return nil, pgerr.NotSupported("VARIADIC arguments")
	}
	args, err := x.exprs(fc.Args)
	if err != nil {
		return nil, err
	}
	argTypes := make([]types.Type, len(args))
	for i, a := range args {
		argTypes[i] = a.Type()
	}
	cols, castTo, ok := functions.ResolveSetFunc(name, argTypes)
	if !ok && name == "unnest" && len(args) > 1 && allArrays(argTypes) {
		return nil, pgerr.NotSupported("unnest with more than one argument")
	}
	if !ok {
		return nil, undefinedFunction(name, args)
	}
	for i := range args {
		if castTo != nil {
			if args[i], err = x.coerce(args[i], castTo[i]); err != nil {
				return nil, err
			}
		}
	}
	return &plan.FuncScan{Name: name, Args: args, Cols: append([]plan.Column{}, cols...)}, nil
}

// withOrdinality adds WITH ORDINALITY's column, numbering the rows from 1.
func withOrdinality(n plan.Node) plan.Node {
	ordinality := plan.Column{Name: "ordinality", Type: types.TInt8}
	switch x := n.(type) {
	case *plan.FuncScan:
		s := *x
		s.Ordinality = true
		s.Cols = append(append([]plan.Column{}, x.Cols...), ordinality)
		return &s
	case *plan.Values:
		v := &plan.Values{Cols: append(append([]plan.Column{}, x.Cols...), ordinality)}
		for i, row := range x.Rows {
			v.Rows = append(v.Rows, append(append([]plan.Expr{}, row...), &plan.Const{Value: types.IntDatum(int64(i + 1)), T: types.TInt8}))
		}
		return v
	}
	return n
}

// undefinedFunction is PostgreSQL's error for a call no signature fits,
// or 0A000 for a PostgreSQL built-in function Junction does not have.
func undefinedFunction(name string, args []plan.Expr) error {
	if builtinFunctionsNotSupported[name] {
		return pgerr.NotSupported("function " + name)
	}
	names := make([]string, len(args))
	for i, a := range args {
		names[i] = a.Type().BaseName()
	}
	return pgerr.New(pgerr.UndefinedFunction, "function %s(%s) does not exist", name, strings.Join(names, ", ")).
		WithHint("No function matches the given name and argument types. You might need to add explicit type casts.")
}

func allArrays(ts []types.Type) bool {
	for _, t := range ts {
		if !t.IsArray() {
			return false
		}
	}
	return true
}
