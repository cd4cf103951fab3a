package planner

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/junction-db/junction/catalog/system"
	"github.com/junction-db/junction/executor/functions"
	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
)

// aggContext collects the aggregate calls of a query level while its
// select list, HAVING and ORDER BY are bound.
type aggContext struct {
	calls []plan.AggCall
	// where names the clause being bound when aggregates are not allowed.
	where string
	// outer, set for a window aggregate's own call, is the query level's
	// context, which aggregates in the call's arguments belong to.
	outer *aggContext
	// disallowed names the clause being bound when it allows no aggregate
	// of its own level (an aggregate of the enclosing query is fine).
	disallowed string
}

// aggRef stands for aggregate call Index until the aggregate's output
// layout is known.
type aggRef struct {
	Index int
	T     types.Type
	Name  string
	// Outer marks, inside a subquery, an aggregate of the enclosing
	// query, which the subquery reads as an outer column.
	Outer bool
}

func (a *aggRef) Type() types.Type { return a.T }
func (a *aggRef) String() string   { return a.Name }

// exprBinder binds expressions of one clause.
type exprBinder struct {
	*binder
	sc  *scope
	agg *aggContext    // nil where aggregates are not allowed
	win *windowContext // nil where window functions are not allowed
	srf *srfContext    // nil where set-returning functions are not allowed
	// clause names the clause for error messages.
	clause string
}

func (b *binder) boolExpr(n *pg.Node, sc *scope, clause string) (plan.Expr, error) {
	e, err := (&exprBinder{binder: b, sc: sc, clause: clause}).expr(n)
	if err != nil {
		return nil, err
	}
	return b.requireBool(e, clause)
}

func (b *binder) requireBool(e plan.Expr, clause string) (plan.Expr, error) {
	if isUnknown(e) {
		return b.coerce(e, types.TBool)
	}
	if e.Type().Kind != types.Bool {
		return nil, pgerr.New(pgerr.DatatypeMismatch, "argument of %s must be type boolean, not type %s", clause, e.Type().BaseName())
	}
	return e, nil
}

func (x *exprBinder) exprs(ns []*pg.Node) ([]plan.Expr, error) {
	out := make([]plan.Expr, len(ns))
	for i, n := range ns {
		e, err := x.expr(n)
		if err != nil {
			return nil, err
		}
		out[i] = e
	}
	return out, nil
}

func (x *exprBinder) expr(n *pg.Node) (plan.Expr, error) {
	if err := x.ctx.Err(); err != nil {
		return nil, err
	}
	switch {
	case n.GetAConst() != nil:
		return constant(n.GetAConst())
	case n.GetColumnRef() != nil:
		return x.columnRef(n.GetColumnRef())
	case n.GetParamRef() != nil:
		return x.param(int(n.GetParamRef().Number))
	case n.GetAExpr() != nil:
		return x.aExpr(n.GetAExpr())
	case n.GetBoolExpr() != nil:
		return x.boolOp(n.GetBoolExpr())
	case n.GetNullTest() != nil:
		nt := n.GetNullTest()
		arg, err := x.expr(nt.Arg)
		if err != nil {
			return nil, err
		}
		negated := nt.Nulltesttype == pg.NullTestType_IS_NOT_NULL
		if row, ok := arg.(*plan.Func); ok && row.Name == "row" && row.Impl == nil {
			return rowNullTest(row, negated), nil
		}
		if arg.Type().Kind == types.Record {
			return nil, pgerr.NotSupported("IS NULL of a record that is not a row constructor")
		}
		return &plan.IsNull{Arg: arg, Negated: negated}, nil
	case n.GetBooleanTest() != nil:
		return x.booleanTest(n.GetBooleanTest())
	case n.GetTypeCast() != nil:
		tc := n.GetTypeCast()
		t, err := typeFromName(tc.TypeName)
		if err != nil {
			return nil, err
		}
		if ae := tc.Arg.GetAArrayExpr(); ae != nil && len(ae.Elements) == 0 {
			return emptyArrayCast(t)
		}
		arg, err := x.expr(tc.Arg)
		if err != nil {
			return nil, err
		}
		return x.castTo(arg, t)
	case n.GetFuncCall() != nil:
		return x.funcCall(n.GetFuncCall())
	case n.GetCaseExpr() != nil:
		e, err := x.caseExpr(n.GetCaseExpr())
		if err == nil {
			err = srfInside(e, "CASE")
		}
		return e, err
	case n.GetCoalesceExpr() != nil:
		args, err := x.exprs(n.GetCoalesceExpr().Args)
		if err != nil {
			return nil, err
		}
		if err := srfInside(&plan.Func{Args: args}, "COALESCE"); err != nil {
			return nil, err
		}
		args, t, err := x.coerceAll(args, "COALESCE")
		if err != nil {
			return nil, err
		}
		return &plan.Func{Name: "coalesce", Args: args, T: t}, nil
	case n.GetMinMaxExpr() != nil:
		mm := n.GetMinMaxExpr()
		args, err := x.exprs(mm.Args)
		if err != nil {
			return nil, err
		}
		name := "greatest"
		if mm.Op == pg.MinMaxOp_IS_LEAST {
			name = "least"
		}
		args, t, err := x.coerceAll(args, strings.ToUpper(name))
		if err != nil {
			return nil, err
		}
		return &plan.Func{Name: name, Args: args, T: t}, nil
	case n.GetSubLink() != nil:
		return x.subLink(n.GetSubLink())
	case n.GetSqlvalueFunction() != nil:
		return x.sqlValueFunction(n.GetSqlvalueFunction())
	case n.GetCollateClause() != nil:
		cc := n.GetCollateClause()
		coll := stringList(cc.Collname)
		name := coll[len(coll)-1]
		if name != "default" && name != "C" && name != "POSIX" && name != "C.UTF-8" && name != "ucs_basic" {
			return nil, pgerr.NotSupported(fmt.Sprintf("collation %q (text compares in the C collation)", name))
		}
		return x.expr(cc.Arg)
	case n.GetAArrayExpr() != nil:
		return x.arrayConstructor(n.GetAArrayExpr())
	case n.GetRowExpr() != nil:
		return x.rowConstructor(n.GetRowExpr())
	case n.GetGroupingFunc() != nil:
		return x.groupingAggregate(n.GetGroupingFunc().Args)
	case n.GetAIndirection() != nil:
		return x.indirection(n.GetAIndirection())
	}
	return nil, pgerr.NotSupported(fmt.Sprintf("expression %T", n.Node))
}

// constant types a literal the way PostgreSQL's parser does: integers are
// int4 (int8 if larger), decimals are numeric, strings are unknown until
// context decides.
func constant(c *pg.A_Const) (plan.Expr, error) {
	if c.Isnull {
		return &plan.Const{Value: types.NullDatum, T: types.TUnknown}, nil
	}
	switch v := c.Val.(type) {
	case *pg.A_Const_Ival:
		return &plan.Const{Value: types.IntDatum(int64(v.Ival.Ival)), T: types.TInt4}, nil
	case *pg.A_Const_Fval:
		s := v.Fval.Fval
		if i, err := strconv.ParseInt(s, 10, 64); err == nil {
			return &plan.Const{Value: types.IntDatum(i), T: types.TInt8}, nil
		}
		d, err := types.ParseText(types.TNumeric, s)
		if err != nil {
			return nil, err
		}
		return &plan.Const{Value: d, T: types.TNumeric}, nil
	case *pg.A_Const_Sval:
		return &plan.Const{Value: types.StrDatum(v.Sval.Sval), T: types.TUnknown}, nil
	case *pg.A_Const_Boolval:
		return &plan.Const{Value: types.BoolDatum(v.Boolval.Boolval), T: types.TBool}, nil
	case *pg.A_Const_Bsval:
		return nil, pgerr.NotSupported("bit string literals")
	}
	return nil, pgerr.NotSupported("this literal")
}

func (x *exprBinder) columnRef(cr *pg.ColumnRef) (plan.Expr, error) {
	var parts []string
	for i, f := range cr.Fields {
		if f.GetAStar() != nil {
			if i > 0 && i == len(cr.Fields)-1 {
				// t.* as a value is t's whole row.
				return x.wholeRow(parts[i-1])
			}
			return nil, pgerr.NotSupported("* in this position")
		}
		parts = append(parts, f.GetString_().Sval)
	}
	name := parts[len(parts)-1]
	qual := parts[:len(parts)-1]
	if x.sc == nil {
		return nil, undefinedColumn(qual, name)
	}
	idx, col, outer, err := x.sc.resolve(qual, name)
	if err != nil {
		return nil, err
	}
	if idx < 0 {
		if name == "tableoid" {
			if e, err := tableOIDColumn(x.sc, qual); e != nil || err != nil {
				return e, err
			}
		}
		if len(qual) == 1 && !x.sc.hasTable(qual[0]) {
			return nil, pgerr.New(pgerr.UndefinedTable, "missing FROM-clause entry for table %q", qual[0])
		}
		if len(qual) == 0 && x.sc.tableInReach(name) {
			// A table's name as a value is its whole row, a record.
			return x.wholeRow(name)
		}
		return nil, undefinedColumn(qual, name)
	}
	if outer {
		if x.sc.parent != nil && x.sc.parent.parent != nil && !x.sc.parent.owns(col) {
			return nil, pgerr.NotSupported("a reference to a column two or more query levels up")
		}
		return &plan.OuterRef{Index: idx, T: col.typ, Name: qualified(col)}, nil
	}
	return &plan.ColRef{Index: idx, T: col.typ, Name: qualified(col)}, nil
}

// tableOIDColumn resolves the system column tableoid, the OID of the
// table a row comes from: the same for every row of a table, so a
// constant. It returns nil when no table in reach matches the qualifier.
func tableOIDColumn(sc *scope, qual []string) (plan.Expr, error) {
	for s := sc; s != nil; s = s.parent {
		var oid uint32
		tables := map[string]bool{}
		for _, c := range s.cols {
			if c.relation != 0 && (len(qual) == 0 || c.table == qual[len(qual)-1]) {
				oid = c.relation
				tables[c.table] = true
			}
		}
		if len(tables) > 1 {
			return nil, pgerr.New(pgerr.AmbiguousColumn, "column reference %q is ambiguous", "tableoid")
		}
		if len(tables) == 1 {
			return &plan.Const{Value: types.IntDatum(int64(oid)), T: types.TOID}, nil
		}
	}
	return nil, nil
}

// owns reports whether col is one of the scope's own columns.
func (s *scope) owns(col scopeCol) bool {
	for _, c := range s.cols {
		if c == col {
			return true
		}
	}
	return false
}

func qualified(c scopeCol) string {
	if c.table == "" {
		return c.name
	}
	return c.table + "." + c.name
}

func (x *exprBinder) param(number int) (plan.Expr, error) {
	if number < 1 || number > 65535 {
		return nil, pgerr.New(pgerr.UndefinedParameter, "there is no parameter $%d", number)
	}
	for len(x.params) < number {
		x.params = append(x.params, types.TUnknown)
	}
	return &plan.Param{Index: number - 1, T: x.params[number-1]}, nil
}

func opName(names []*pg.Node) string {
	parts := stringList(names)
	return parts[len(parts)-1] // OPERATOR(pg_catalog.~) is ~
}

func (x *exprBinder) aExpr(a *pg.A_Expr) (plan.Expr, error) {
	switch a.Kind {
	case pg.A_Expr_Kind_AEXPR_OP:
		op := opName(a.Name)
		if lr, rr := a.Lexpr.GetRowExpr(), a.Rexpr.GetRowExpr(); lr != nil && rr != nil {
			return x.rowComparison(op, lr, rr)
		}
		if a.Lexpr == nil {
			r, err := x.expr(a.Rexpr)
			if err != nil {
				return nil, err
			}
			return x.unaryOp(op, r)
		}
		l, err := x.expr(a.Lexpr)
		if err != nil {
			return nil, err
		}
		r, err := x.expr(a.Rexpr)
		if err != nil {
			return nil, err
		}
		return x.binaryOp(op, l, r)
	case pg.A_Expr_Kind_AEXPR_DISTINCT, pg.A_Expr_Kind_AEXPR_NOT_DISTINCT:
		l, r, err := x.pair(a)
		if err != nil {
			return nil, err
		}
		args, _, err := x.coerceAll([]plan.Expr{l, r}, "IS DISTINCT FROM")
		if err != nil {
			return nil, err
		}
		op := plan.OpDistinct
		if a.Kind == pg.A_Expr_Kind_AEXPR_NOT_DISTINCT {
			op = plan.OpNotDist
		}
		return &plan.Op{Op: op, Args: args, T: types.TBool}, nil
	case pg.A_Expr_Kind_AEXPR_NULLIF:
		l, r, err := x.pair(a)
		if err != nil {
			return nil, err
		}
		args, _, err := x.coerceAll([]plan.Expr{l, r}, "NULLIF")
		if err != nil {
			return nil, err
		}
		// NULLIF's type is the input type of the = it applies; varchar
		// has no = of its own and compares as text.
		t := args[0].Type()
		if t.Kind == types.Varchar {
			t = types.TText
		}
		return &plan.Func{Name: "nullif", Args: args, T: t}, nil
	case pg.A_Expr_Kind_AEXPR_IN:
		return x.inList(a)
	case pg.A_Expr_Kind_AEXPR_LIKE, pg.A_Expr_Kind_AEXPR_ILIKE, pg.A_Expr_Kind_AEXPR_SIMILAR:
		// x SIMILAR TO p is x ~ similar_to_escape(p), as the parser
		// writes it.
		l, r, err := x.pair(a)
		if err != nil {
			return nil, err
		}
		return x.binaryOp(opName(a.Name), l, r)
	case pg.A_Expr_Kind_AEXPR_BETWEEN, pg.A_Expr_Kind_AEXPR_NOT_BETWEEN, pg.A_Expr_Kind_AEXPR_BETWEEN_SYM, pg.A_Expr_Kind_AEXPR_NOT_BETWEEN_SYM:
		return x.between(a)
	case pg.A_Expr_Kind_AEXPR_OP_ANY, pg.A_Expr_Kind_AEXPR_OP_ALL:
		return x.anyAll(a)
	}
	return nil, pgerr.NotSupported("operator kind " + a.Kind.String())
}

func (x *exprBinder) pair(a *pg.A_Expr) (plan.Expr, plan.Expr, error) {
	l, err := x.expr(a.Lexpr)
	if err != nil {
		return nil, nil, err
	}
	r, err := x.expr(a.Rexpr)
	if err != nil {
		return nil, nil, err
	}
	return l, r, nil
}

func (x *exprBinder) unaryOp(op string, r plan.Expr) (plan.Expr, error) {
	if op == "~" {
		if e, ok, err := x.bitwiseNot(r); ok {
			return e, err
		}
	}
	if e, ok, err := x.prefixMathOperator(op, r); ok {
		return e, err
	}
	switch op {
	case "-":
		if c, ok := r.(*plan.Const); ok && c.T.Kind == types.Unknown {
			var err error
			if r, err = x.coerce(r, types.TNumeric); err != nil {
				return nil, err
			}
		}
		if numericRank(r.Type().Kind) == 0 && r.Type().Kind != types.Interval {
			return nil, pgerr.New(pgerr.UndefinedFunction, "operator does not exist: - %s", typeName(r))
		}
		if c, ok := r.(*plan.Const); ok && !c.Value.Null {
			// Fold negative literals so that -2147483648 is an int4.
			return negateConst(c), nil
		}
		// An operator's result has no type modifier in PostgreSQL:
		// -x of a numeric(10,2) is a numeric.
		return &plan.Op{Op: plan.OpNeg, Args: []plan.Expr{r}, T: types.Type{Kind: r.Type().Kind}}, nil
	case "+":
		if numericRank(r.Type().Kind) == 0 {
			return nil, pgerr.New(pgerr.UndefinedFunction, "operator does not exist: + %s", typeName(r))
		}
		return r, nil
	}
	return nil, pgerr.New(pgerr.UndefinedFunction, "operator does not exist: %s %s", op, typeName(r))
}

func negateConst(c *plan.Const) plan.Expr {
	v := c.Value
	switch c.T.Physical() {
	case types.PhysInt:
		if v.Int == -v.Int && v.Int != 0 { // MinInt64 has no positive twin
			return &plan.Op{Op: plan.OpNeg, Args: []plan.Expr{c}, T: c.T}
		}
		v.Int = -v.Int
	case types.PhysFloat:
		v.Float = -v.Float
	case types.PhysDecimal:
		v.Dec = v.Dec.Neg()
	default:
		return &plan.Op{Op: plan.OpNeg, Args: []plan.Expr{c}, T: c.T}
	}
	if c.T.Kind == types.Int8 && v.Int >= -2147483648 && v.Int <= 2147483647 {
		// The parser typed 2147483648 as int8; its negation fits int4.
		return &plan.Const{Value: v, T: types.TInt4}
	}
	return &plan.Const{Value: v, T: c.T}
}

func (x *exprBinder) boolOp(be *pg.BoolExpr) (plan.Expr, error) {
	args, err := x.exprs(be.Args)
	if err != nil {
		return nil, err
	}
	name := map[pg.BoolExprType]string{pg.BoolExprType_AND_EXPR: "AND", pg.BoolExprType_OR_EXPR: "OR", pg.BoolExprType_NOT_EXPR: "NOT"}[be.Boolop]
	for i, a := range args {
		if args[i], err = x.requireBool(a, name); err != nil {
			return nil, err
		}
	}
	switch be.Boolop {
	case pg.BoolExprType_AND_EXPR:
		return &plan.Op{Op: plan.OpAnd, Args: args, T: types.TBool}, nil
	case pg.BoolExprType_OR_EXPR:
		return &plan.Op{Op: plan.OpOr, Args: args, T: types.TBool}, nil
	}
	return &plan.Op{Op: plan.OpNot, Args: args, T: types.TBool}, nil
}

func (x *exprBinder) booleanTest(bt *pg.BooleanTest) (plan.Expr, error) {
	arg, err := x.expr(bt.Arg)
	if err != nil {
		return nil, err
	}
	if arg, err = x.requireBool(arg, "IS TRUE"); err != nil {
		return nil, err
	}
	switch bt.Booltesttype {
	case pg.BoolTestType_IS_TRUE:
		return &plan.IsBool{Arg: arg, Value: "TRUE"}, nil
	case pg.BoolTestType_IS_NOT_TRUE:
		return &plan.IsBool{Arg: arg, Value: "TRUE", Negated: true}, nil
	case pg.BoolTestType_IS_FALSE:
		return &plan.IsBool{Arg: arg, Value: "FALSE"}, nil
	case pg.BoolTestType_IS_NOT_FALSE:
		return &plan.IsBool{Arg: arg, Value: "FALSE", Negated: true}, nil
	case pg.BoolTestType_IS_UNKNOWN:
		return &plan.IsBool{Arg: arg, Value: "UNKNOWN"}, nil
	}
	return &plan.IsBool{Arg: arg, Value: "UNKNOWN", Negated: true}, nil
}

func (x *exprBinder) inList(a *pg.A_Expr) (plan.Expr, error) {
	l, err := x.expr(a.Lexpr)
	if err != nil {
		return nil, err
	}
	list := a.Rexpr.GetList()
	if list == nil {
		return nil, pgerr.NotSupported("IN with this right-hand side")
	}
	items, err := x.exprs(list.Items)
	if err != nil {
		return nil, err
	}
	all, _, err := x.coerceAll(append([]plan.Expr{l}, items...), "IN")
	if err != nil {
		return nil, err
	}
	return &plan.InList{Arg: all[0], List: all[1:], Negated: opName(a.Name) == "<>"}, nil
}

func (x *exprBinder) between(a *pg.A_Expr) (plan.Expr, error) {
	arg, err := x.expr(a.Lexpr)
	if err != nil {
		return nil, err
	}
	bounds := a.Rexpr.GetList().Items
	lo, err := x.expr(bounds[0])
	if err != nil {
		return nil, err
	}
	hi, err := x.expr(bounds[1])
	if err != nil {
		return nil, err
	}
	all, _, err := x.coerceAll([]plan.Expr{arg, lo, hi}, "BETWEEN")
	if err != nil {
		return nil, err
	}
	arg, lo, hi = all[0], all[1], all[2]
	in := func(lo, hi plan.Expr) plan.Expr {
		return &plan.Op{Op: plan.OpAnd, T: types.TBool, Args: []plan.Expr{
			&plan.Op{Op: plan.OpGe, Args: []plan.Expr{arg, lo}, T: types.TBool},
			&plan.Op{Op: plan.OpLe, Args: []plan.Expr{arg, hi}, T: types.TBool},
		}}
	}
	var e plan.Expr
	switch a.Kind {
	case pg.A_Expr_Kind_AEXPR_BETWEEN, pg.A_Expr_Kind_AEXPR_NOT_BETWEEN:
		e = in(lo, hi)
	default:
		e = &plan.Op{Op: plan.OpOr, T: types.TBool, Args: []plan.Expr{in(lo, hi), in(hi, lo)}}
	}
	if a.Kind == pg.A_Expr_Kind_AEXPR_NOT_BETWEEN || a.Kind == pg.A_Expr_Kind_AEXPR_NOT_BETWEEN_SYM {
		e = &plan.Op{Op: plan.OpNot, Args: []plan.Expr{e}, T: types.TBool}
	}
	return e, nil
}

// anyAll binds x op ANY/ALL (ARRAY[...]) and x = ANY('{...}') as IN lists
// or their conjunction.
func (x *exprBinder) anyAll(a *pg.A_Expr) (plan.Expr, error) {
	op := opName(a.Name)
	l, err := x.expr(a.Lexpr)
	if err != nil {
		return nil, err
	}
	var items []plan.Expr
	switch {
	case a.Rexpr.GetAArrayExpr() != nil:
		if items, err = x.exprs(a.Rexpr.GetAArrayExpr().Elements); err != nil {
			return nil, err
		}
	default:
		r, err := x.expr(a.Rexpr)
		if err != nil {
			return nil, err
		}
		if isUnknown(r) && !isUnknown(l) {
			if _, isParam := r.(*plan.Param); isParam {
				// x = ANY($1): the parameter is an array of x's type.
				at, ok := functions.ArrayOf(l.Type())
				if !ok {
					return nil, pgerr.New(pgerr.FeatureNotSupported, "arrays of type %s are not supported", l.Type().String())
				}
				if r, err = x.coerce(r, at); err != nil {
					return nil, err
				}
			}
		}
		c, ok := r.(*plan.Const)
		if isArrayKind(r.Type().Kind) && (!ok || !c.Value.Null) {
			return x.arrayMembership(op, a.Kind == pg.A_Expr_Kind_AEXPR_OP_ALL, l, r)
		}
		if !ok || (c.T.Kind != types.Unknown && !isArrayKind(c.T.Kind)) {
			return nil, pgerr.NotSupported("ANY/ALL over a non-array value")
		}
		for _, s := range splitArrayLiteral(c.Value.Str) {
			items = append(items, &plan.Const{Value: types.StrDatum(s), T: types.TUnknown})
		}
	}
	if a.Kind == pg.A_Expr_Kind_AEXPR_OP_ANY && op == "=" {
		all, _, err := x.coerceAll(append([]plan.Expr{l}, items...), "ANY")
		if err != nil {
			return nil, err
		}
		return &plan.InList{Arg: all[0], List: all[1:]}, nil
	}
	var parts []plan.Expr
	for _, it := range items {
		p, err := x.binaryOp(op, l, it)
		if err != nil {
			return nil, err
		}
		parts = append(parts, p)
	}
	joiner := plan.OpOr
	if a.Kind == pg.A_Expr_Kind_AEXPR_OP_ALL {
		joiner = plan.OpAnd
	}
	if len(parts) == 0 {
		return &plan.Const{Value: types.BoolDatum(joiner == plan.OpAnd), T: types.TBool}, nil
	}
	if len(parts) == 1 {
		return parts[0], nil
	}
	return &plan.Op{Op: joiner, Args: parts, T: types.TBool}, nil
}

// splitArrayLiteral reads the elements of a one-dimensional array literal
// such as '{r,p,"a b"}'.
func splitArrayLiteral(s string) []string {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(strings.TrimSuffix(s, "}"), "{")
	var out []string
	var cur strings.Builder
	quoted := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"':
			quoted = !quoted
		case c == '\\' && i+1 < len(s):
			i++
			cur.WriteByte(s[i])
		case c == ',' && !quoted:
			out = append(out, cur.String())
			cur.Reset()
		default:
			cur.WriteByte(c)
		}
	}
	if cur.Len() > 0 || len(out) > 0 {
		out = append(out, cur.String())
	}
	return out
}

func (x *exprBinder) caseExpr(c *pg.CaseExpr) (plan.Expr, error) {
	var operand plan.Expr
	var err error
	if c.Arg != nil {
		if operand, err = x.expr(c.Arg); err != nil {
			return nil, err
		}
	}
	var conds, results []plan.Expr
	for _, w := range c.Args {
		cw := w.GetCaseWhen()
		cond, err := x.expr(cw.Expr)
		if err != nil {
			return nil, err
		}
		if operand != nil {
			if cond, err = x.binaryOp("=", operand, cond); err != nil {
				return nil, err
			}
		} else if cond, err = x.requireBool(cond, "CASE/WHEN"); err != nil {
			return nil, err
		}
		res, err := x.expr(cw.Result)
		if err != nil {
			return nil, err
		}
		conds = append(conds, cond)
		results = append(results, res)
	}
	var elseExpr plan.Expr
	if c.Defresult != nil {
		if elseExpr, err = x.expr(c.Defresult); err != nil {
			return nil, err
		}
		results = append(results, elseExpr)
	}
	results, t, err := x.coerceAll(results, "CASE")
	if err != nil {
		return nil, err
	}
	out := &plan.Case{T: t}
	for i := range conds {
		out.Whens = append(out.Whens, plan.When{Cond: conds[i], Result: results[i]})
	}
	if elseExpr != nil {
		out.Else = results[len(results)-1]
	}
	return out, nil
}

// statementTime is the statement's start time as a value of type t
// (CURRENT_TIME, LOCALTIMESTAMP, ...), rounded to precision digits of
// seconds unless precision is negative (not given).
func (x *exprBinder) statementTime(t types.Type, precision int32) (plan.Expr, error) {
	now, err := x.callFunction("now", nil)
	if err != nil {
		return nil, err
	}
	if precision >= 0 {
		if t, err = types.WithSecondsPrecision(t, precision); err != nil {
			return nil, err
		}
	}
	return &plan.Cast{Arg: now, T: t}, nil
}

func (x *exprBinder) sqlValueFunction(f *pg.SQLValueFunction) (plan.Expr, error) {
	call := func(name string) (plan.Expr, error) {
		return x.callFunction(name, nil)
	}
	switch f.Op {
	case pg.SQLValueFunctionOp_SVFOP_CURRENT_DATE:
		return call("current_date")
	case pg.SQLValueFunctionOp_SVFOP_CURRENT_TIMESTAMP:
		return call("now")
	case pg.SQLValueFunctionOp_SVFOP_CURRENT_TIMESTAMP_N:
		return x.statementTime(types.TTimestampTZ, f.Typmod)
	case pg.SQLValueFunctionOp_SVFOP_LOCALTIMESTAMP, pg.SQLValueFunctionOp_SVFOP_LOCALTIMESTAMP_N:
		return x.statementTime(types.TTimestamp, f.Typmod)
	case pg.SQLValueFunctionOp_SVFOP_CURRENT_TIME, pg.SQLValueFunctionOp_SVFOP_CURRENT_TIME_N:
		return x.statementTime(types.TTimeTZ, f.Typmod)
	case pg.SQLValueFunctionOp_SVFOP_LOCALTIME, pg.SQLValueFunctionOp_SVFOP_LOCALTIME_N:
		return x.statementTime(types.TTime, f.Typmod)
	case pg.SQLValueFunctionOp_SVFOP_CURRENT_USER, pg.SQLValueFunctionOp_SVFOP_USER, pg.SQLValueFunctionOp_SVFOP_CURRENT_ROLE:
		return call("current_user")
	case pg.SQLValueFunctionOp_SVFOP_SESSION_USER:
		return call("session_user")
	case pg.SQLValueFunctionOp_SVFOP_CURRENT_CATALOG:
		return call("current_database")
	case pg.SQLValueFunctionOp_SVFOP_CURRENT_SCHEMA:
		return call("current_schema")
	}
	return nil, pgerr.NotSupported(f.Op.String())
}

// aggregateNames are the aggregate functions Junction computes.
var aggregateNames = map[string]bool{"array_agg": true, "count": true, "sum": true, "avg": true, "min": true, "max": true, "bool_and": true, "bool_or": true, "every": true, "string_agg": true,
	"json_agg": true, "jsonb_agg": true, "json_object_agg": true, "jsonb_object_agg": true,
	"percentile_cont": true, "percentile_disc": true, "mode": true,
	"bit_and": true, "bit_or": true, "bit_xor": true,
	"var_pop": true, "var_samp": true, "variance": true, "stddev_pop": true, "stddev_samp": true, "stddev": true,
	"corr": true, "covar_pop": true, "covar_samp": true, "regr_count": true, "regr_sxx": true, "regr_syy": true,
	"regr_sxy": true, "regr_avgx": true, "regr_avgy": true, "regr_r2": true, "regr_slope": true, "regr_intercept": true}

func (x *exprBinder) funcCall(f *pg.FuncCall) (plan.Expr, error) {
	parts := stringList(f.Funcname)
	name := parts[len(parts)-1]
	if !knownFunctionSchema(parts) {
		return nil, pgerr.New(pgerr.UndefinedFunction, "function %s does not exist", strings.Join(parts, "."))
	}
	// rank() WITHIN GROUP is the hypothetical-set aggregate, not the
	// window function of the same name.
	withinGroup := f.AggWithinGroup && f.Over == nil && withinGroupAggregates[name]
	if !withinGroup && (f.Over != nil || windowFunctions[name]) {
		return x.windowCall(name, f)
	}
	if aggregateNames[name] || withinGroup {
		return x.aggregate(name, f)
	}
	if functions.IsSetFunc(name) {
		return x.setCall(name, f, "")
	}
	if f.AggStar || f.AggDistinct || len(f.AggOrder) > 0 || f.AggFilter != nil {
		return nil, pgerr.New(pgerr.WrongObjectType, "%s is not an aggregate function", name)
	}
	argNodes, err := positionalArguments(name, f.Args)
	if err != nil {
		return nil, err
	}
	args, err := x.exprs(argNodes)
	if err != nil {
		return nil, err
	}
	if f.FuncVariadic {
		return x.variadicCall(name, args)
	}
	if name == "pg_typeof" && len(args) == 1 {
		// The argument's type is known when the query is bound, so the
		// answer is a constant; the argument is never evaluated.
		return &plan.Const{Value: types.IntDatum(int64(args[0].Type().OID())), T: types.Type{Kind: types.RegType}}, nil
	}
	return x.callFunction(name, args)
}

// callFunction resolves a scalar function: the catalog's functions first
// (pg_table_is_visible, format_type, ...), then the executor's.
func (b *binder) callFunction(name string, args []plan.Expr) (plan.Expr, error) {
	argTypes := make([]types.Type, len(args))
	for i, a := range args {
		argTypes[i] = a.Type()
	}
	var (
		result types.Type
		castTo []types.Type
		impl   plan.RowFunc
		ok     bool
	)
	// The catalog's functions resolve unknown literals against their
	// parameter types, as PostgreSQL does ('16385'::regclass and friends).
	if b.env.System != nil {
		result, castTo, impl, ok = system.Function(b.env.System, name, argTypes)
	}
	// The executor's functions read unknown literals and parameters as
	// text, or, where no signature takes text there, as whatever type fits
	// best: power(numeric, '3') is numeric's, jsonb_set(j, '{a}', '1')
	// takes jsonb, substr('abc', $1, $2) integers, as PostgreSQL infers.
	asText := slices.Clone(argTypes)
	for i, t := range asText {
		if t.Kind == types.Unknown {
			asText[i] = types.TText
		}
	}
	if !ok {
		result, castTo, ok = functions.ResolveFunc(name, asText)
		if !ok && !slices.Equal(asText, argTypes) {
			result, castTo, ok = functions.ResolveFunc(name, argTypes)
		}
	}
	argTypes = asText
	if !ok {
		if t, isType := types.ByName(name); isType && len(args) == 1 {
			// A type's name called on one value is a cast, as in
			// PostgreSQL: date(now()), int8(x).
			return b.castTo(args[0], t)
		}
		return nil, undefinedFunction(name, args)
	}
	out := make([]plan.Expr, len(args))
	for i, a := range args {
		want := argTypes[i]
		if castTo != nil && i < len(castTo) && castTo[i].Kind != types.Unknown {
			want = castTo[i]
		}
		c, err := b.coerce(a, want)
		if err != nil {
			return nil, err
		}
		out[i] = c
	}
	return &plan.Func{Name: name, Args: out, T: result, Impl: impl}, nil
}

func (x *exprBinder) aggregate(name string, f *pg.FuncCall) (plan.Expr, error) {
	x, err := x.aggBinder()
	if err != nil {
		return nil, err
	}
	if withinGroupAggregates[name] {
		return x.withinGroup(name, f)
	}
	if f.AggWithinGroup {
		return nil, pgerr.New(pgerr.WrongObjectType, "%s is not an ordered-set aggregate, so it cannot have WITHIN GROUP", name)
	}
	call := plan.AggCall{Func: name, Distinct: f.AggDistinct}
	if name == "every" {
		call.Func = "bool_and"
	}
	if f.AggStar {
		if name != "count" {
			return nil, pgerr.New(pgerr.SyntaxError, "%s(*) is not allowed; only count(*) takes *", name)
		}
		call.T = types.TInt8
	} else {
		arity := 1
		if name == "string_agg" || name == "json_object_agg" || name == "jsonb_object_agg" || regressionAggregates[name] {
			arity = 2
		}
		if len(f.Args) != arity {
			return nil, pgerr.New(pgerr.UndefinedFunction, "function %s with %d arguments does not exist", name, len(f.Args))
		}
		// The arguments are bound in the input scope, where aggregates
		// nest illegally.
		x.agg.where = "argument"
		args, err := x.exprs(f.Args)
		x.agg.where = ""
		if err != nil {
			return nil, err
		}
		for i, a := range args {
			if isUnknown(a) {
				if args[i], err = x.coerce(a, types.TText); err != nil {
					return nil, err
				}
			}
		}
		if len(args) > 1 {
			switch {
			case name == "string_agg":
				args, err = x.stringAggArgs(args)
			case regressionAggregates[name]:
				args, err = x.regressionArgs(name, args)
			}
			if err != nil {
				return nil, err
			}
			call.Args = args
		}
		t, err := aggResultType(call.Func, args[0].Type())
		if native := x.unmodelledType(args[0]); err != nil && native != "" {
			return nil, pgerr.NotSupported(call.Func + " of type " + native)
		}
		if err != nil {
			return nil, err
		}
		call.Arg, call.T = args[0], t
	}
	if f.AggFilter != nil && strings.HasPrefix(name, "json") {
		// FILTER turns rows into NULLs, which these aggregates keep.
		return nil, pgerr.NotSupported("FILTER on " + name + "()")
	}
	if f.AggFilter != nil && name != "array_agg" {
		if err := x.applyAggFilter(&call, f.AggFilter); err != nil {
			return nil, err
		}
	}
	if len(f.AggOrder) > 0 {
		if err := x.aggOrder(&call, f.AggOrder); err != nil {
			return nil, err
		}
	} else if call.Distinct && orderSensitive[call.Func] {
		// PostgreSQL sorts the values to remove duplicates, so they come
		// out in ascending order.
		call.Args = append(aggArgs(call), call.Arg)
		call.Order = []plan.SortOrder{{}}
	}
	if f.AggFilter != nil && name == "array_agg" {
		if err := x.carriedFilter(&call, f.AggFilter); err != nil {
			return nil, err
		}
	}
	return x.addAggregate(call)
}

// applyAggFilter implements agg(x) FILTER (WHERE cond) as agg(CASE WHEN
// cond THEN x END): every aggregate Junction computes skips NULL inputs,
// so rows failing the condition drop out (count(*) counts a constant).
func (x *exprBinder) applyAggFilter(call *plan.AggCall, filter *pg.Node) error {
	cond, err := x.filterCond(filter)
	if err != nil {
		return err
	}
	arg := call.Arg
	if arg == nil {
		arg = &plan.Const{Value: types.IntDatum(1), T: types.TInt4}
	}
	filtered := &plan.Case{Whens: []plan.When{{Cond: cond, Result: arg}}, T: arg.Type()}
	call.Arg = filtered
	if len(call.Args) > 0 {
		call.Args[0] = filtered
	}
	return nil
}

// stringAggArgs types string_agg(value, delimiter): both are text, as
// in PostgreSQL's string_agg(text, text), so character(n) values lose
// their trailing blanks.
func (x *exprBinder) stringAggArgs(args []plan.Expr) ([]plan.Expr, error) {
	out := make([]plan.Expr, len(args))
	for i, a := range args {
		if !a.Type().IsString() {
			return nil, pgerr.New(pgerr.UndefinedFunction, "function string_agg(%s, %s) does not exist", typeName(args[0]), typeName(args[1])).
				WithHint("No function matches the given name and argument types. You might need to add explicit type casts.")
		}
		c, err := x.coerce(a, types.TText)
		if err != nil {
			return nil, err
		}
		out[i] = c
	}
	return out, nil
}

// aggDisplay is how EXPLAIN names an aggregate's result.
func aggDisplay(a plan.AggCall) string {
	if a.Plain() || a.Func == "grouping" {
		arg := "*"
		if args := aggArgs(a); len(args) > 0 {
			arg = joinExprList(args)
		}
		if a.Distinct {
			arg = "DISTINCT " + arg
		}
		return a.Func + "(" + arg + ")"
	}
	return aggCallText(a)
}

// aggResultType is PostgreSQL's result type for an aggregate over t.
func aggResultType(fn string, t types.Type) (types.Type, error) {
	bad := func() (types.Type, error) {
		return types.Type{}, pgerr.New(pgerr.UndefinedFunction, "function %s(%s) does not exist", fn, t.BaseName()).
			WithHint("No function matches the given name and argument types. You might need to add explicit type casts.")
	}
	switch fn {
	case "count":
		return types.TInt8, nil
	case "sum":
		switch t.Kind {
		case types.Int2, types.Int4:
			return types.TInt8, nil
		case types.Int8, types.Numeric:
			return types.TNumeric, nil
		case types.Float4, types.Float8, types.Interval:
			return types.Type{Kind: t.Kind}, nil
		}
		return bad()
	case "avg":
		switch t.Kind {
		case types.Int2, types.Int4, types.Int8, types.Numeric:
			return types.TNumeric, nil
		case types.Float4, types.Float8:
			return types.TFloat8, nil
		case types.Interval:
			return types.TInterval, nil
		}
		return bad()
	case "min", "max":
		switch t.Kind {
		case types.Bool, types.Bytea, types.JSON, types.JSONB, types.TextArray:
			return bad()
		}
		// PostgreSQL has no min(varchar) or min(name): they resolve to
		// min(text), which returns text.
		if t.Kind == types.Unknown || t.Kind == types.Varchar || t.Kind == types.Name {
			return types.TText, nil
		}
		// An aggregate's result has no type modifier: max of a
		// numeric(10,2) is a numeric.
		return types.Type{Kind: t.Kind}, nil
	case "bool_and", "bool_or":
		if t.Kind != types.Bool {
			return bad()
		}
		return types.TBool, nil
	case "string_agg":
		return types.TText, nil
	case "json_agg", "json_object_agg":
		return types.TJSON, nil
	case "jsonb_agg", "jsonb_object_agg":
		return types.TJSONB, nil
	case "bit_and", "bit_or", "bit_xor":
		if !t.IsInteger() {
			return bad()
		}
		return t, nil
	case "var_pop", "var_samp", "variance", "stddev_pop", "stddev_samp", "stddev":
		switch t.Kind {
		case types.Int2, types.Int4, types.Int8, types.Numeric:
			return types.TNumeric, nil
		case types.Float4, types.Float8:
			return types.TFloat8, nil
		}
		return bad()
	case "regr_count":
		return types.TInt8, nil
	case "array_agg":
		return arrayAggType(t)
	}
	if regressionAggregates[fn] {
		return types.TFloat8, nil
	}
	return bad()
}

// typeFromName resolves a TypeName (with typmods) to a Junction type.
func typeFromName(tn *pg.TypeName) (types.Type, error) {
	names := stringList(tn.Names)
	name := names[len(names)-1]
	if len(tn.ArrayBounds) > 0 {
		if elem, ok := types.ByName(name); ok {
			if t, ok := functions.ArrayOf(elem); ok {
				return t, nil
			}
		}
		return types.Type{}, pgerr.NotSupported("array type " + name + "[]")
	}
	if tn.PctType || tn.Setof {
		return types.Type{}, pgerr.NotSupported("%TYPE and SETOF")
	}
	t, ok := types.ByName(name)
	if name == "char" {
		// The parser spells SQL's char and character as bpchar; a type
		// still called char was written "char", the single-byte type.
		t = types.TChar
	}
	if !ok {
		t, ok = arrayTypeByName(name)
	}
	if !ok && builtinTypesNotSupported[name] && (len(names) == 1 || names[0] == "pg_catalog") {
		return types.Type{}, pgerr.NotSupported("type " + name)
	}
	if !ok {
		return types.Type{}, pgerr.New(pgerr.UndefinedObject, "type %q does not exist", strings.Join(names, "."))
	}
	var mods []int32
	for _, m := range tn.Typmods {
		c := m.GetAConst()
		if c == nil || c.GetIval() == nil {
			return types.Type{}, pgerr.New(pgerr.SyntaxError, "type modifiers must be simple constants or identifiers")
		}
		mods = append(mods, c.GetIval().Ival)
	}
	switch t.Kind {
	case types.Numeric:
		if len(mods) >= 1 {
			if mods[0] < 1 || mods[0] > 1000 {
				return types.Type{}, pgerr.New(pgerr.InvalidParameterValue, "NUMERIC precision %d must be between 1 and 1000", mods[0])
			}
			t.Precision = mods[0]
		}
		if len(mods) >= 2 {
			if mods[1] < 0 || mods[1] > t.Precision {
				return types.Type{}, pgerr.New(pgerr.InvalidParameterValue, "NUMERIC scale %d must be between 0 and precision %d", mods[1], t.Precision)
			}
			t.Scale = mods[1]
		}
	case types.Time, types.TimeTZ, types.Timestamp, types.TimestampTZ:
		if len(mods) >= 1 {
			return types.WithSecondsPrecision(t, mods[0])
		}
	case types.Interval:
		fields, precision := types.IntervalFullRange, types.IntervalFullPrecision
		if len(mods) >= 1 {
			fields = mods[0]
		}
		if len(mods) >= 2 {
			precision = mods[1]
		}
		return types.IntervalType(fields, precision)
	case types.Varchar, types.Bpchar:
		if len(mods) >= 1 {
			if mods[0] < 1 {
				return types.Type{}, pgerr.New(pgerr.InvalidParameterValue, "length for type %s must be at least 1", name)
			}
			t.Length = mods[0]
		} else if t.Kind == types.Bpchar && name != "bpchar" {
			t.Length = 1 // char without length is char(1)
		}
	}
	return t, nil
}

// arrayMembership computes x op ANY(array) and x op ALL(array) row by row
// for an array that is not a constant, comparing in the common type of x
// and the array's elements.
func (x *exprBinder) arrayMembership(op string, all bool, left, arr plan.Expr) (plan.Expr, error) {
	if op == "!=" {
		op = plan.OpNe
	}
	elem := arrayElement(arr.Type())
	t := elem
	if !isUnknown(left) {
		u, ok := unify(left.Type(), elem)
		if !ok {
			return nil, operatorMismatch(op, left, &plan.Const{T: elem})
		}
		t = u
	}
	left, err := x.coerce(left, t)
	if err != nil {
		return nil, err
	}
	impl, err := functions.ArrayMembership(op, all, t, arr.Type())
	if err != nil {
		return nil, err
	}
	return &plan.Func{Name: "array_membership", Args: []plan.Expr{left, arr}, T: types.TBool, Impl: impl}, nil
}
