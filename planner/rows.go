package planner

import (
	"strconv"

	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/junction-db/junction/executor/functions"
	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
)

// Row values: ROW(a, b) and (a, b) bind to the executor's function "row",
// whose value is a record (see types.RecordOf); so does a whole-row
// reference, a table's name or t.* as a value, with the table's columns
// as fields. Comparisons between row constructors and IS [NOT] NULL of a
// row look at the fields, as PostgreSQL's row-wise comparison does, and
// are written as comparisons of the fields so that sources can run them.

// rowFields binds the fields of a row constructor: t.* among them stands
// for all of t's columns. Untyped literals become text in a record value
// (asValue) and keep their type for a field-by-field comparison.
func (x *exprBinder) rowFields(args []*pg.Node, asValue bool) ([]plan.Expr, []types.Field, error) {
	var exprs []plan.Expr
	var fields []types.Field
	for _, a := range args {
		if cr := a.GetColumnRef(); cr != nil && len(cr.Fields) > 1 && cr.Fields[len(cr.Fields)-1].GetAStar() != nil {
			es, fs, err := x.tableColumns(cr.Fields[len(cr.Fields)-2].GetString_().Sval, false)
			if err != nil {
				return nil, nil, err
			}
			exprs, fields = append(exprs, es...), append(fields, fs...)
			continue
		}
		e, err := x.expr(a)
		if err != nil {
			return nil, nil, err
		}
		if isUnknown(e) && asValue {
			if e, err = x.coerce(e, types.TText); err != nil {
				return nil, nil, err
			}
		}
		exprs = append(exprs, e)
		fields = append(fields, types.Field{Name: "f" + strconv.Itoa(len(fields)+1), Type: e.Type()})
	}
	return exprs, fields, nil
}

// rowConstructor binds ROW(...) as a record value.
func (x *exprBinder) rowConstructor(r *pg.RowExpr) (plan.Expr, error) {
	exprs, fields, err := x.rowFields(r.Args, true)
	if err != nil {
		return nil, err
	}
	for i := range fields {
		fields[i].Name = "f" + strconv.Itoa(i+1)
	}
	return recordOf(exprs, fields), nil
}

func recordOf(exprs []plan.Expr, fields []types.Field) plan.Expr {
	for i := range fields {
		fields[i].Type = exprs[i].Type()
	}
	return &plan.Func{Name: "row", Args: exprs, T: types.RecordOf(fields)}
}

// wholeRow binds a table's name used as a value: the record of its
// columns.
func (x *exprBinder) wholeRow(table string) (plan.Expr, error) {
	exprs, fields, witness, err := x.tableColumnsWitness(table, true)
	if err != nil {
		return nil, err
	}
	row := recordOf(exprs, fields)
	if witness == nil {
		return row, nil
	}
	// The rows an outer join filled have a NULL whole row.
	return &plan.Case{
		Whens: []plan.When{{Cond: &plan.IsNull{Arg: witness}, Result: &plan.Const{Value: types.NullDatum, T: row.Type()}}},
		Else:  row,
		T:     row.Type(),
	}, nil
}

// tableColumns lists the columns of the table named in the nearest scope
// that has it. A whole-row value (asValue) of a table on the nullable side
// of an outer join is NULL in the rows the join adds, which the columns
// alone cannot tell from a row of NULLs; it is refused.
func (x *exprBinder) tableColumns(table string, asValue bool) ([]plan.Expr, []types.Field, error) {
	exprs, fields, _, err := x.tableColumnsWitness(table, asValue)
	return exprs, fields, err
}

// tableColumnsWitness is tableColumns that also returns, for a table on
// the nullable side of an outer join, its witness column (see scopeCol),
// which a whole-row value tests; nil otherwise.
func (x *exprBinder) tableColumnsWitness(table string, asValue bool) ([]plan.Expr, []types.Field, plan.Expr, error) {
	level := 0
	for s := x.sc; s != nil; s, level = s.parent, level+1 {
		var exprs []plan.Expr
		var fields []types.Field
		var witness plan.Expr
		ref := func(i int, c scopeCol) (plan.Expr, error) {
			switch level {
			case 0:
				return &plan.ColRef{Index: i, T: c.typ, Name: qualified(c)}, nil
			case 1:
				return &plan.OuterRef{Index: i, T: c.typ, Name: qualified(c)}, nil
			}
			return nil, pgerr.NotSupported("a reference to a column two or more query levels up")
		}
		for i, c := range s.cols {
			if c.table != table {
				continue
			}
			if c.nullable && asValue && witness == nil {
				w, ok := s.witnessOf(c)
				if !ok {
					return nil, nil, nil, pgerr.NotSupported("a whole-row reference to table " + table + " on the nullable side of an outer join whose condition does not compare one of its columns")
				}
				var err error
				if witness, err = ref(w, s.cols[w]); err != nil {
					return nil, nil, nil, err
				}
			}
			e, err := ref(i, c)
			if err != nil {
				return nil, nil, nil, err
			}
			exprs = append(exprs, e)
			fields = append(fields, types.Field{Name: c.name, Type: c.typ})
		}
		if len(exprs) > 0 {
			if level == 1 {
				x.sc.correlated = true
			}
			return exprs, fields, witness, nil
		}
	}
	return nil, nil, nil, pgerr.New(pgerr.UndefinedTable, "missing FROM-clause entry for table %q", table)
}

// witnessOf finds the witness column of c's table: the one column of that
// table with the witness's name, every column of the table agreeing on it.
func (s *scope) witnessOf(c scopeCol) (int, bool) {
	found := -1
	for i, o := range s.cols {
		if o.table != c.table {
			continue
		}
		if o.nullable && o.witness != c.witness {
			return 0, false
		}
		if c.witness != "" && o.name == c.witness {
			if found >= 0 {
				return 0, false
			}
			found = i
		}
	}
	return found, found >= 0
}

// markWitnesses records, for the tables an outer join makes nullable, a
// witness column: one the join condition compares with a strict operator
// in a top-level conjunct, so that a matched row has it non-NULL.
func markWitnesses(sc *scope, cond plan.Expr, nLeft int, kind plan.JoinKind) {
	if kind != plan.Left && kind != plan.Right && kind != plan.Full {
		return
	}
	nullableSide := func(i int) bool {
		return kind == plan.Full || kind == plan.Left && i >= nLeft || kind == plan.Right && i < nLeft
	}
	for _, conj := range plan.SplitAnd(cond) {
		for _, a := range comparisonOperands(conj) {
			if c, ok := a.(*plan.Cast); ok {
				a = c.Arg
			}
			ref, ok := a.(*plan.ColRef)
			if !ok || ref.Index >= len(sc.cols) || !nullableSide(ref.Index) {
				continue
			}
			w := sc.cols[ref.Index]
			for i := range sc.cols {
				if sc.cols[i].table == w.table && nullableSide(i) && sc.cols[i].witness == "" {
					sc.cols[i].witness = w.name
				}
			}
		}
	}
}

// rowComparison binds a comparison of two row constructors field by field:
// = holds when every pair is equal, <> when one pair differs, and the
// ordering operators decide at the first pair that differs; a NULL pair
// where the answer depends on it makes the answer NULL.
func (x *exprBinder) rowComparison(op string, l, r *pg.RowExpr) (plan.Expr, error) {
	ls, _, err := x.rowFields(l.Args, false)
	if err != nil {
		return nil, err
	}
	rs, _, err := x.rowFields(r.Args, false)
	if err != nil {
		return nil, err
	}
	return x.compareFields(op, ls, rs)
}

func (x *exprBinder) compareFields(op string, ls, rs []plan.Expr) (plan.Expr, error) {
	if op == "!=" {
		op = plan.OpNe
	}
	if len(ls) != len(rs) {
		return nil, pgerr.New(pgerr.SyntaxError, "unequal number of entries in row expressions")
	}
	if len(ls) == 0 {
		return nil, pgerr.NotSupported("comparison of zero-column rows")
	}
	cmp := func(op string, i int) (plan.Expr, error) { return x.binaryOp(op, ls[i], rs[i]) }
	switch op {
	case plan.OpEq, plan.OpNe:
		parts := make([]plan.Expr, len(ls))
		for i := range ls {
			p, err := cmp(op, i)
			if err != nil {
				return nil, err
			}
			parts[i] = p
		}
		if len(parts) == 1 {
			return parts[0], nil
		}
		joiner := plan.OpAnd
		if op == plan.OpNe {
			joiner = plan.OpOr
		}
		return &plan.Op{Op: joiner, Args: parts, T: types.TBool}, nil
	case plan.OpLt, plan.OpLe, plan.OpGt, plan.OpGe:
		strict := map[string]string{plan.OpLt: plan.OpLt, plan.OpLe: plan.OpLt, plan.OpGt: plan.OpGt, plan.OpGe: plan.OpGt}[op]
		// Built from the last pair: a1 < b1 OR (a1 = b1 AND (rest)).
		last := len(ls) - 1
		e, err := cmp(op, last)
		if err != nil {
			return nil, err
		}
		for i := last - 1; i >= 0; i-- {
			lt, err := cmp(strict, i)
			if err != nil {
				return nil, err
			}
			eq, err := cmp(plan.OpEq, i)
			if err != nil {
				return nil, err
			}
			e = &plan.Op{Op: plan.OpOr, T: types.TBool, Args: []plan.Expr{lt,
				&plan.Op{Op: plan.OpAnd, T: types.TBool, Args: []plan.Expr{eq, e}}}}
		}
		return e, nil
	}
	return nil, pgerr.NotSupported("operator " + op + " between rows")
}

// rowNullTest is row IS [NOT] NULL: true when every field is NULL (IS
// NULL) or none is (IS NOT NULL).
func rowNullTest(row *plan.Func, negated bool) plan.Expr {
	parts := make([]plan.Expr, len(row.Args))
	for i, a := range row.Args {
		parts[i] = &plan.IsNull{Arg: a, Negated: negated}
	}
	if len(parts) == 1 {
		return parts[0]
	}
	return &plan.Op{Op: plan.OpAnd, Args: parts, T: types.TBool}
}

// fieldSelection binds (record).field.
func fieldSelection(rec plan.Expr, field string) (plan.Expr, error) {
	t := rec.Type()
	if t.Kind != types.Record {
		return nil, pgerr.New(pgerr.WrongObjectType, "column notation .%s applied to type %s, which is not a composite type", field, t.String())
	}
	fs := t.Fields()
	for i, f := range fs {
		if f.Name == field {
			if row, ok := rec.(*plan.Func); ok && row.Name == "row" && row.Impl == nil {
				return row.Args[i], nil
			}
			return &plan.Func{Name: "record_field", Args: []plan.Expr{rec}, T: f.Type, Impl: functions.RecordField(t, i)}, nil
		}
	}
	return nil, pgerr.New(pgerr.UndefinedColumn, "column \"%s\" not found in data type record", field)
}

// unifyRecords is the common type of two record types (or arrays of
// them): records whose fields have the same types are alike whatever the
// fields' names, the first one's names winning; others do not unify, as
// Junction's records are read by their fields' types.
func unifyRecords(a, b types.Type) (types.Type, bool) {
	fa, fb := a.Fields(), b.Fields()
	if fa == nil || fb == nil || len(fa) != len(fb) {
		return types.Type{}, false
	}
	for i := range fa {
		if fa[i].Type != fb[i].Type {
			if u, ok := unify(fa[i].Type, fb[i].Type); !ok || u != fa[i].Type {
				return types.Type{}, false
			}
		}
	}
	return a, true
}

// tableInReach reports whether the scope or an enclosing one has a table
// of that name.
func (s *scope) tableInReach(name string) bool {
	for ; s != nil; s = s.parent {
		if s.hasTable(name) {
			return true
		}
	}
	return false
}
