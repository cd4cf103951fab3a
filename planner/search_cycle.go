package planner

import (
	pg "github.com/pganalyze/pg_query_go/v6"
	"google.golang.org/protobuf/proto"

	"github.com/junction-db/junction/executor/functions"
	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
)

// SEARCH and CYCLE clauses of WITH RECURSIVE add columns to the item, as
// PostgreSQL's rewriteSearchCycle.c does:
//
//   - SEARCH DEPTH FIRST BY c SET seq: seq is the array of ROW(c) along
//     the path to the row, so ORDER BY seq lists rows depth first;
//   - SEARCH BREADTH FIRST BY c SET seq: seq is ROW(depth, c), depth
//     counting from 0 (a bigint field named *DEPTH*);
//   - CYCLE c SET mark [TO v DEFAULT d] USING path: path is the array of
//     ROW(c) along the path, mark is v where ROW(c) was on the path
//     already, else d (true and false by default); rows marked v are not
//     followed further.
//
// The non-recursive term computes the columns from its own row; the
// recursive term reads their previous values from the working table, which
// it is given as extra select-list items, and its rows are then extended.

// searchCycle is what an item's SEARCH and CYCLE clauses ask for.
type searchCycle struct {
	search *pg.CTESearchClause
	cycle  *pg.CTECycleClause
}

// added describes one column the clauses add, with how the non-recursive
// and recursive terms compute it.
type addedColumn struct {
	name string
	t    types.Type
	// init computes the column from the non-recursive term's row (its
	// columns are ColRefs 0..n-1).
	init plan.Expr
	// recur computes it from the recursive term's row followed by the
	// previous values of every added column (ColRefs n..n+k-1).
	recur plan.Expr
}

// columnIndexes resolves the columns a clause names in the item's columns.
func columnIndexes(list []*pg.Node, cols []plan.Column, clause string) ([]int, error) {
	var out []int
	for _, n := range list {
		name := n.GetString_().Sval
		found := -1
		for i, c := range cols {
			if c.Name == name {
				found = i
			}
		}
		if found < 0 {
			return nil, pgerr.New(pgerr.SyntaxError, "%s column \"%s\" not in WITH query column list", clause, name)
		}
		out = append(out, found)
	}
	return out, nil
}

// rowOf is ROW(...) of the given columns of a row.
func rowOf(idx []int, cols []plan.Column, offset int) plan.Expr {
	args := make([]plan.Expr, len(idx))
	for i, c := range idx {
		args[i] = &plan.ColRef{Index: offset + c, T: cols[c].Type, Name: cols[c].Name}
	}
	return &plan.Func{Name: "row", Args: args, T: functions.RecordType(typesOf(args))}
}

func typesOf(es []plan.Expr) []types.Type {
	out := make([]types.Type, len(es))
	for i, e := range es {
		out[i] = e.Type()
	}
	return out
}

// searchCycleColumns plans the columns the clauses add to an item with
// columns cols.
func (b *binder) searchCycleColumns(sc searchCycle, cols []plan.Column) ([]addedColumn, plan.Expr, error) {
	n := len(cols)
	var added []addedColumn
	prev := func(i int) plan.Expr { return &plan.ColRef{Index: n + i, T: added[i].t, Name: added[i].name} }
	if s := sc.search; s != nil {
		idx, err := columnIndexes(s.SearchColList, cols, "search")
		if err != nil {
			return nil, nil, err
		}
		k := len(added)
		if s.SearchBreadthFirst {
			fields := []types.Field{{Name: "*DEPTH*", Type: types.TInt8}}
			for _, c := range idx {
				fields = append(fields, types.Field{Name: cols[c].Name, Type: cols[c].Type})
			}
			t := types.RecordOf(fields)
			build := func(depth plan.Expr, offset int) plan.Expr {
				args := []plan.Expr{depth}
				for _, c := range idx {
					args = append(args, &plan.ColRef{Index: offset + c, T: cols[c].Type, Name: cols[c].Name})
				}
				return &plan.Func{Name: "row", Args: args, T: t}
			}
			added = append(added, addedColumn{name: s.SearchSeqColumn, t: t,
				init: build(&plan.Const{Value: types.IntDatum(0), T: types.TInt8}, 0)})
			depth := &plan.Func{Name: "record_field", Args: []plan.Expr{prev(k)}, T: types.TInt8, Impl: functions.RecordField(t, 0)}
			added[k].recur = build(&plan.Op{Op: plan.OpAdd, Args: []plan.Expr{depth, &plan.Const{Value: types.IntDatum(1), T: types.TInt8}}, T: types.TInt8}, 0)
		} else {
			row := rowOf(idx, cols, 0)
			t, _ := types.ArrayOf(row.Type())
			added = append(added, addedColumn{name: s.SearchSeqColumn, t: t,
				init: &plan.Func{Name: "array", Args: []plan.Expr{row}, T: t}})
			added[k].recur = &plan.Func{Name: "array_append", Args: []plan.Expr{prev(k), row}, T: t}
		}
	}
	var keep plan.Expr
	if c := sc.cycle; c != nil {
		idx, err := columnIndexes(c.CycleColList, cols, "cycle")
		if err != nil {
			return nil, nil, err
		}
		mark, unmarked, err := b.cycleMarks(c)
		if err != nil {
			return nil, nil, err
		}
		row := rowOf(idx, cols, 0)
		pathType, _ := types.ArrayOf(row.Type())
		km, kp := len(added), len(added)+1
		added = append(added,
			addedColumn{name: c.CycleMarkColumn, t: mark.Type(), init: unmarked},
			addedColumn{name: c.CyclePathColumn, t: pathType, init: &plan.Func{Name: "array", Args: []plan.Expr{row}, T: pathType}})
		onPath, err := functions.ArrayMembership(plan.OpEq, false, row.Type(), pathType)
		if err != nil {
			return nil, nil, err
		}
		seen := &plan.Func{Name: "array_membership", Args: []plan.Expr{row, prev(kp)}, T: types.TBool, Impl: onPath}
		added[km].recur = &plan.Case{Whens: []plan.When{{Cond: seen, Result: mark}}, Else: unmarked, T: mark.Type()}
		added[kp].recur = &plan.Func{Name: "array_append", Args: []plan.Expr{prev(kp), row}, T: pathType}
		keep = &plan.Op{Op: plan.OpDistinct, Args: []plan.Expr{prev(km), mark}, T: types.TBool}
	}
	return added, keep, nil
}

// cycleMarks binds a CYCLE clause's mark values, true and false unless
// given, to their common type.
func (b *binder) cycleMarks(c *pg.CTECycleClause) (mark, unmarked plan.Expr, err error) {
	mark = &plan.Const{Value: types.BoolDatum(true), T: types.TBool}
	unmarked = &plan.Const{Value: types.BoolDatum(false), T: types.TBool}
	x := &exprBinder{binder: b, clause: "CYCLE"}
	if c.CycleMarkValue != nil {
		if mark, err = x.expr(c.CycleMarkValue); err != nil {
			return nil, nil, err
		}
		if unmarked, err = x.expr(c.CycleMarkDefault); err != nil {
			return nil, nil, err
		}
	}
	both, _, err := b.coerceAll([]plan.Expr{mark, unmarked}, "CYCLE")
	if err != nil {
		return nil, nil, err
	}
	for i, e := range both {
		if isUnknown(e) {
			if both[i], err = b.coerce(e, types.TText); err != nil {
				return nil, nil, err
			}
		}
		if _, ok := both[i].(*plan.Const); !ok {
			return nil, nil, pgerr.New(pgerr.FeatureNotSupported, "CYCLE mark values must be constants")
		}
	}
	return both[0], both[1], nil
}

// withPreviousColumns returns a copy of the recursive term that also
// selects the added columns of the working table it reads, so that they
// can be carried to the next step.
func withPreviousColumns(rarg *pg.SelectStmt, name string, added []addedColumn) (*pg.SelectStmt, error) {
	if rarg.Op != pg.SetOperation_SETOP_NONE || len(rarg.ValuesLists) > 0 {
		return nil, pgerr.NotSupported("SEARCH or CYCLE with a recursive term that is not a simple SELECT")
	}
	ref := workTableAlias(rarg.FromClause, name)
	if ref == "" {
		return nil, pgerr.NotSupported("SEARCH or CYCLE with a recursive term that reads the working table from a subquery")
	}
	out := proto.Clone(rarg).(*pg.SelectStmt)
	for _, a := range added {
		out.TargetList = append(out.TargetList, &pg.Node{Node: &pg.Node_ResTarget{ResTarget: &pg.ResTarget{
			Val: &pg.Node{Node: &pg.Node_ColumnRef{ColumnRef: &pg.ColumnRef{Fields: []*pg.Node{
				{Node: &pg.Node_String_{String_: &pg.String{Sval: ref}}},
				{Node: &pg.Node_String_{String_: &pg.String{Sval: a.name}}},
			}}}},
		}}})
	}
	return out, nil
}

// workTableAlias is the name by which a FROM list reads the item name.
func workTableAlias(from []*pg.Node, name string) string {
	for _, n := range from {
		if rv := n.GetRangeVar(); rv != nil && rv.Schemaname == "" && rv.Relname == name {
			if rv.Alias != nil {
				return rv.Alias.Aliasname
			}
			return name
		}
		if j := n.GetJoinExpr(); j != nil {
			if a := workTableAlias([]*pg.Node{j.Larg, j.Rarg}, name); a != "" {
				return a
			}
		}
	}
	return ""
}

// addColumns extends the non-recursive term's rows with the added columns.
func addColumns(init plan.Node, cols []plan.Column, added []addedColumn, name string) (plan.Node, []plan.Column) {
	exprs := make([]plan.Expr, 0, len(cols)+len(added))
	out := append([]plan.Column{}, cols...)
	for i, c := range cols {
		exprs = append(exprs, &plan.ColRef{Index: i, T: c.Type, Name: c.Name})
	}
	for _, a := range added {
		exprs = append(exprs, a.init)
		out = append(out, plan.Column{Name: a.name, Type: a.t, Table: name})
	}
	return &plan.Project{Input: init, Exprs: exprs, Cols: out}, out
}

// extendRecursiveRows computes the added columns of the recursive term's
// rows from the previous values they carry, dropping the rows that
// continue a cycle (keep false).
func extendRecursiveRows(recur plan.Node, keep plan.Expr, cols []plan.Column, added []addedColumn) plan.Node {
	if keep != nil {
		recur = &plan.Filter{Input: recur, Pred: keep}
	}
	n := len(cols) - len(added)
	exprs := make([]plan.Expr, 0, len(cols))
	for i := 0; i < n; i++ {
		exprs = append(exprs, &plan.ColRef{Index: i, T: cols[i].Type, Name: cols[i].Name})
	}
	for _, a := range added {
		exprs = append(exprs, a.recur)
	}
	return &plan.Project{Input: recur, Exprs: exprs, Cols: cols}
}
