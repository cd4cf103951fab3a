// Package sqlgen renders a pushed-down plan subtree as one SELECT statement
// in a source's dialect. It builds the statement as query blocks the way a
// person would write it (filters in WHERE, joins in FROM, aggregates with
// GROUP BY and HAVING, ORDER BY, LIMIT), and only nests a derived table
// where SQL's clause order requires one (a filter above a LIMIT, for
// example). The Dialect decides, construct by construct, whether the
// source computes it exactly as PostgreSQL does; anything it declines makes
// rendering fail, and the planner keeps that operator in Junction.
package sqlgen

import (
	"errors"
	"fmt"
	"strings"

	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
)

// ErrNotRenderable means the dialect cannot express part of the plan.
var ErrNotRenderable = errors.New("not renderable in this dialect")

// block is one SELECT being built. cols[i] is the SQL of output column i,
// valid in the block's scope (after aggregation if grouped).
type block struct {
	from     string
	shape    fromShape
	cols     []string
	types    []types.Type
	where    []string
	groupBy  []string
	grouped  bool
	having   []string
	orderBy  []string
	limit    string
	distinct bool
	// distinctOn holds the expressions of DISTINCT ON (distinct is set
	// too, so that every clause added later nests the block).
	distinctOn []string
	// projected marks a block whose select list was set by a Project, so a
	// second projection must nest.
	projected bool
	// correlated marks a block whose SQL reads columns of an enclosing
	// query (it is, or is inside, a correlated subquery).
	correlated bool
	// windowed marks a block whose select list computes window
	// functions, which WHERE, GROUP BY and another window cannot read.
	windowed bool
}

// fromShape is what a block's FROM clause is, which decides how it can
// be combined with another.
type fromShape uint8

const (
	oneItem   fromShape = iota // a table or a derived table
	commaList                  // inner-joined items separated by commas
	joinChain                  // an outer join
)

type renderer struct {
	d     Dialect
	alias int
	// source is the source of the first table rendered: one statement
	// reads the tables of one source only.
	source string
	// outer gives the SQL of the enclosing query's columns while a
	// subquery renders (nil outside subqueries); outerRefs counts the
	// references to them rendered at the current level.
	outer     func(int) (string, types.Type)
	outerRefs int
	// params are the client's parameters the statement binds, in the
	// order of their numbers ($1 is params[0]).
	params []*plan.Param
	// err is a failure found where the renderer cannot return it (a
	// derived table the dialect cannot correlate).
	err error
}

// Render renders the plan subtree q as one SELECT in dialect d.
func Render(d Dialect, q plan.Node) (string, error) {
	sql, _, err := RenderParams(d, q)
	return sql, err
}

// RenderParams renders q like Render and returns the client parameters
// (plan.Param) the statement binds, in the order of their numbers: a
// dialect implementing ScalarParams keeps them parameters rather than
// needing their values.
func RenderParams(d Dialect, q plan.Node) (string, []*plan.Param, error) {
	r := &renderer{d: d}
	b, err := r.node(q)
	if err == nil {
		err = r.err
	}
	if err != nil {
		return "", nil, err
	}
	return r.sql(b, false), r.params, nil
}

// ExprRenderable reports whether the dialect can express e (with its
// column references as plain columns).
func ExprRenderable(d Dialect, e plan.Expr) bool {
	r := &renderer{d: d}
	_, err := r.expr(e, func(i int) (string, types.Type) { return "c", e.Type() })
	return err == nil && r.err == nil
}

func (r *renderer) nextAlias() string {
	r.alias++
	return fmt.Sprintf("t%d", r.alias)
}

func (r *renderer) sql(b *block, aliasCols bool) string {
	var s strings.Builder
	s.WriteString("SELECT ")
	if b.distinct {
		s.WriteString(b.distinctClause())
	}
	for i, c := range b.cols {
		if i > 0 {
			s.WriteString(", ")
		}
		s.WriteString(c)
		if aliasCols {
			s.WriteString(" AS " + r.d.QuoteIdent(fmt.Sprintf("c%d", i)))
		}
	}
	if len(b.cols) == 0 {
		s.WriteString("1")
	}
	if b.from != "" {
		s.WriteString(" FROM " + b.from)
	}
	if len(b.where) > 0 {
		s.WriteString(" WHERE " + strings.Join(b.where, " AND "))
	}
	if len(b.groupBy) > 0 {
		s.WriteString(" GROUP BY " + strings.Join(b.groupBy, ", "))
	}
	if len(b.having) > 0 {
		s.WriteString(" HAVING " + strings.Join(b.having, " AND "))
	}
	if len(b.orderBy) > 0 {
		s.WriteString(" ORDER BY " + strings.Join(b.orderBy, ", "))
	}
	if b.limit != "" {
		s.WriteString(" " + b.limit)
	}
	return s.String()
}

// wrap nests a block as a derived table so further clauses apply to its
// result.
func (r *renderer) wrap(b *block) *block {
	if b.correlated && !correlatedDerivedTables(r.d) {
		r.err = ErrNotRenderable
	}
	alias := r.nextAlias()
	out := &block{from: "(" + r.sql(b, true) + ") " + alias, types: b.types, correlated: b.correlated}
	for i := range b.cols {
		out.cols = append(out.cols, alias+"."+r.d.QuoteIdent(fmt.Sprintf("c%d", i)))
	}
	return out
}

func (b *block) ref(i int) (string, types.Type) { return b.cols[i], b.types[i] }

// node renders a plan subtree as a block, marking it correlated when it
// reads the enclosing query's columns.
func (r *renderer) node(n plan.Node) (*block, error) {
	refs := r.outerRefs
	b, err := r.block(n)
	if err != nil {
		return nil, err
	}
	if r.outerRefs > refs {
		b.correlated = true
	}
	return b, nil
}

func (r *renderer) block(n plan.Node) (*block, error) {
	switch x := n.(type) {
	case *plan.Scan:
		if r.source == "" {
			r.source = x.Table.Source
		} else if x.Table.Source != r.source {
			return nil, ErrNotRenderable
		}
		alias := r.nextAlias()
		table := r.d.QuoteIdent(x.Table.RemoteName)
		if x.Table.RemoteSchema != "" {
			table = r.d.QuoteIdent(x.Table.RemoteSchema) + "." + table
		}
		b := &block{from: table + " " + alias}
		for i, c := range x.RemoteCols {
			b.cols = append(b.cols, alias+"."+r.d.QuoteIdent(c))
			b.types = append(b.types, x.Cols[i].Type)
		}
		return b, nil
	case *plan.Filter:
		b, err := r.node(x.Input)
		if err != nil {
			return nil, err
		}
		if b.limit != "" || b.distinct || b.windowed || b.grouped && correlatedSubquery(x.Pred) {
			b = r.wrap(b)
		}
		for _, p := range plan.SplitAnd(x.Pred) {
			s, err := r.expr(p, b.ref)
			if err != nil {
				return nil, err
			}
			if b.grouped {
				b.having = append(b.having, s)
			} else {
				b.where = append(b.where, s)
			}
		}
		return b, nil
	case *plan.Project:
		b, err := r.node(x.Input)
		if err != nil {
			return nil, err
		}
		if b.distinct || b.projected && b.limit != "" || b.grouped && correlatedSubquery(x.Exprs...) {
			b = r.wrap(b)
		}
		cols := make([]string, len(x.Exprs))
		ts := make([]types.Type, len(x.Exprs))
		for i, e := range x.Exprs {
			s, err := r.expr(e, b.ref)
			if err != nil {
				return nil, err
			}
			cols[i], ts[i] = s, e.Type()
		}
		b.cols, b.types, b.projected = cols, ts, true
		return b, nil
	case *plan.Join:
		return r.join(x)
	case *plan.Aggregate:
		b, err := r.node(x.Input)
		if err != nil {
			return nil, err
		}
		// Grouping sets group by the input's columns: a computed input
		// column would be inlined into GROUPING SETS, where PostgreSQL
		// reads a bare constant as no expression at all.
		if b.grouped || b.limit != "" || b.distinct || len(b.orderBy) > 0 || b.windowed || x.Sets != nil && b.projected {
			b = r.wrap(b)
		}
		gs, sets := r.d.(GroupingSetser)
		if x.Sets != nil && (!sets || !gs.GroupingSets()) {
			return nil, ErrNotRenderable
		}
		var cols []string
		var ts []types.Type
		var groupBy []string
		for _, k := range x.GroupBy {
			s, err := r.expr(k, b.ref)
			if err != nil {
				return nil, err
			}
			cols = append(cols, s)
			ts = append(ts, k.Type())
			if x.Sets == nil && constantKey(k, x.Input) {
				continue
			}
			key, ok := groupKey(r.d, s, k.Type())
			if !ok || x.Sets != nil && (key != s || !readsColumns(k)) {
				// A constant is no grouping expression to PostgreSQL.
				return nil, ErrNotRenderable
			}
			groupBy = append(groupBy, key)
		}
		if len(x.GroupBy) > 0 && len(groupBy) == 0 {
			// Grouping by constants alone yields no row from no input,
			// which no GROUP BY clause without them says.
			return nil, ErrNotRenderable
		}
		for _, a := range x.Aggs {
			if a.Func == "grouping" {
				if !sets || !gs.GroupingSets() {
					return nil, ErrNotRenderable
				}
				cols = append(cols, groupingCall(groupBy, a.GroupingKeys))
				ts = append(ts, a.T)
				continue
			}
			if len(a.Args) > 1 || !a.Plain() {
				// Dialect.Aggregate renders one argument; string_agg's
				// delimiter would be lost.
				return nil, ErrNotRenderable
			}
			if plan.OuterOnly(a.Arg) {
				// SQL would make this aggregate the enclosing query's.
				return nil, ErrNotRenderable
			}
			arg := ""
			var argType types.Type
			if a.Arg != nil {
				s, err := r.expr(a.Arg, b.ref)
				if err != nil {
					return nil, err
				}
				arg, argType = s, a.Arg.Type()
				if a.Distinct && !r.d.Groupable(argType) {
					return nil, ErrNotRenderable
				}
			}
			s, ok := r.d.Aggregate(a.Func, arg, argType, a.Distinct, a.T)
			if !ok {
				return nil, ErrNotRenderable
			}
			cols = append(cols, s)
			ts = append(ts, a.T)
		}
		b.cols, b.types, b.groupBy, b.grouped, b.projected = cols, ts, groupBy, true, true
		if x.Sets != nil {
			// Above grouping sets, an expression holding a key must read
			// the key's nulled output column, which SQL reaches only
			// through a derived table: PostgreSQL does not null a key
			// that is part of a larger select-list expression.
			b.groupBy = []string{groupingSets(groupBy, x.Sets)}
			return r.wrap(b), nil
		}
		return b, nil
	case *plan.Sort:
		b, err := r.node(x.Input)
		if err != nil {
			return nil, err
		}
		// Under DISTINCT, PostgreSQL accepts only ORDER BY keys of the
		// select list, and a dialect's key may be a different expression
		// (a collation, a NULL test): the sort goes outside.
		if b.limit != "" || b.distinct || len(b.distinctOn) > 0 || b.grouped && correlatedSubquery(sortExprs(x.Keys)...) {
			b = r.wrap(b)
		}
		var keys []string
		for _, k := range x.Keys {
			if constantKey(k.Expr, x.Input) {
				continue
			}
			s, err := r.expr(k.Expr, b.ref)
			if err != nil {
				return nil, err
			}
			key, ok := r.d.OrderKey(s, k.Expr.Type(), k.Desc, k.NullsFirst)
			if !ok {
				return nil, ErrNotRenderable
			}
			keys = append(keys, key)
		}
		b.orderBy = keys
		return b, nil
	case *plan.Limit:
		b, err := r.node(x.Input)
		if err != nil {
			return nil, err
		}
		if b.limit != "" {
			b = r.wrap(b)
		}
		b.limit = r.d.Limit(x.Count, x.Offset)
		return b, nil
	case *plan.Window:
		return r.window(x)
	case *plan.Distinct:
		b, err := r.node(x.Input)
		if err != nil {
			return nil, err
		}
		for _, t := range b.types {
			if !r.d.Groupable(t) {
				return nil, ErrNotRenderable
			}
		}
		if b.limit != "" || len(b.orderBy) > 0 {
			b = r.wrap(b)
		}
		b.distinct = true
		return b, nil
	case *plan.RecursiveUnion:
		return r.recursiveQuery(x)
	case *plan.WorkTable:
		return r.workTable(x)
	case *plan.Apply:
		return r.lateral(x)
	case *plan.DistinctOn:
		return r.distinctOn(x)
	case *plan.LimitTies:
		return r.limitTies(x)
	}
	return nil, ErrNotRenderable
}

// plainFrom reports whether a block is only a FROM list with filters, so
// that it can take part in a join without nesting.
func (b *block) plainFrom() bool {
	return !b.grouped && b.limit == "" && !b.distinct && len(b.orderBy) == 0 && !b.projected
}

func (r *renderer) join(x *plan.Join) (*block, error) {
	var op string
	switch x.Kind {
	case plan.Inner, plan.Cross:
	case plan.Left:
		op = "LEFT JOIN"
	case plan.Right:
		op = "RIGHT JOIN"
	case plan.Full:
		if !r.d.SupportsFullJoin() {
			return nil, ErrNotRenderable
		}
		op = "FULL JOIN"
	case plan.Semi, plan.Anti:
		return r.semiJoin(x)
	default:
		return nil, ErrNotRenderable
	}
	l, err := r.node(x.Left)
	if err != nil {
		return nil, err
	}
	rb, err := r.node(x.Right)
	if err != nil {
		return nil, err
	}
	if lim, ok := r.d.(JoinLimiter); ok && countTables(x) > lim.MaxJoinTables() {
		return nil, ErrNotRenderable
	}
	inner := op == ""
	// A side's WHERE may stay in WHERE only where the join cannot add
	// NULL-extended rows for that side; otherwise the side nests. An
	// outer join cannot take a comma list as an operand (JOIN binds
	// tighter than the comma), so such a side nests too.
	keepLeftWhere := inner || x.Kind == plan.Left
	keepRightWhere := inner || x.Kind == plan.Right
	if !l.plainFrom() || (len(l.where) > 0 && !keepLeftWhere) || (!inner && l.shape == commaList) {
		l = r.wrap(l)
	}
	if !rb.plainFrom() || (len(rb.where) > 0 && !keepRightWhere) || (!inner && rb.shape == commaList) {
		rb = r.wrap(rb)
	}
	right := rb.from
	if rb.shape == joinChain {
		// A right side that is itself an outer join keeps its shape.
		right = "(" + right + ")"
	}
	out := &block{
		cols:  append(append([]string{}, l.cols...), rb.cols...),
		types: append(append([]types.Type{}, l.types...), rb.types...),
		where: append(append([]string{}, l.where...), rb.where...),
	}
	var conds []string
	if x.Cond != nil {
		for _, c := range plan.SplitAnd(x.Cond) {
			s, err := r.expr(c, out.ref)
			if err != nil {
				return nil, err
			}
			conds = append(conds, s)
		}
	}
	if inner {
		// Inner joins are written as a FROM list with their conditions in
		// WHERE, which leaves the join order to the source's optimizer
		// (PostgreSQL keeps explicit JOIN order beyond join_collapse_limit).
		out.from, out.shape = l.from+", "+right, commaList
		out.where = append(out.where, conds...)
		return out, nil
	}
	on := "TRUE"
	if len(conds) > 0 {
		on = strings.Join(conds, " AND ")
	}
	out.from, out.shape = l.from+" "+op+" "+right+" ON "+on, joinChain
	return out, nil
}

// maxNumericPrecision bounds the precision numericShape derives; beyond it
// the shape is left unknown.
const maxNumericPrecision = 65

// numericShape is e's type, with the precision and scale of an
// unconstrained numeric filled in where PostgreSQL's rules fix them: a
// literal's own digits, an integer cast to numeric, and + - * of such
// operands (scale max(s1, s2) for + and -, s1 + s2 for *). The planner
// types arithmetic results as plain numeric, as PostgreSQL does; a dialect
// whose source computes decimals with declared scales (MySQL) needs the
// scale to know the result is the same.
func numericShape(e plan.Expr) types.Type {
	t := e.Type()
	if t.Kind != types.Numeric || t.Precision > 0 {
		return t
	}
	p, s, ok := decimalShape(e)
	if !ok || p > maxNumericPrecision {
		return t
	}
	return types.Type{Kind: types.Numeric, Precision: p, Scale: s}
}

func decimalShape(e plan.Expr) (precision, scale int32, ok bool) {
	t := e.Type()
	switch t.Kind {
	case types.Int2:
		return 5, 0, true
	case types.Int4:
		return 10, 0, true
	case types.Int8:
		return 19, 0, true
	case types.Numeric:
		if t.Precision > 0 {
			return t.Precision, t.Scale, true
		}
	default:
		return 0, 0, false
	}
	switch x := e.(type) {
	case *plan.Const:
		if x.Value.Null || types.IsNumericSpecial(x.Value.Dec) {
			return 0, 0, false
		}
		scale := max(-x.Value.Dec.Exponent(), 0)
		digits := int32(len(x.Value.Dec.Abs().Coefficient().String()))
		return max(digits, scale+1), scale, true
	case *plan.Cast:
		return decimalShape(x.Arg)
	case *plan.Op:
		if len(x.Args) != 2 {
			return 0, 0, false
		}
		p1, s1, ok1 := decimalShape(x.Args[0])
		p2, s2, ok2 := decimalShape(x.Args[1])
		if !ok1 || !ok2 {
			return 0, 0, false
		}
		switch x.Op {
		case plan.OpAdd, plan.OpSub:
			s := max(s1, s2)
			return max(p1-s1, p2-s2) + s + 1, s, true
		case plan.OpMul:
			return p1 + p2, s1 + s2, true
		}
	}
	return 0, 0, false
}

// countTables counts the base tables a plan subtree reads.
func countTables(n plan.Node) int {
	if _, ok := n.(*plan.Scan); ok {
		return 1
	}
	total := 0
	for _, in := range n.Inputs() {
		total += countTables(in)
	}
	return total
}

// expr renders an expression; col gives the SQL and type of input column i.
func (r *renderer) expr(e plan.Expr, col func(int) (string, types.Type)) (string, error) {
	switch x := e.(type) {
	case *plan.ColRef:
		s, _ := col(x.Index)
		return s, nil
	case *plan.Const:
		s, ok := r.d.Literal(x.T, x.Value)
		if !ok {
			return "", ErrNotRenderable
		}
		return s, nil
	case *plan.Op:
		args, ts, err := r.list(x.Args, col)
		if err != nil {
			return "", err
		}
		if x.Op == plan.OpAdd || x.Op == plan.OpSub || x.Op == plan.OpMul {
			for i, a := range x.Args {
				ts[i] = numericShape(a)
			}
		}
		s, ok := r.d.Op(x.Op, args, ts, x.T)
		if !ok {
			return "", ErrNotRenderable
		}
		return s, nil
	case *plan.Cast:
		arg, err := r.expr(x.Arg, col)
		if err != nil {
			return "", err
		}
		s, ok := r.d.Cast(arg, x.Arg.Type(), x.T)
		if !ok {
			return "", ErrNotRenderable
		}
		return s, nil
	case *plan.Func:
		if x.Impl != nil || x.Variadic {
			return "", ErrNotRenderable
		}
		args, ts, err := r.list(x.Args, col)
		if err != nil {
			return "", err
		}
		s, ok := r.d.Func(x.Name, args, ts, x.T)
		if !ok {
			return "", ErrNotRenderable
		}
		return s, nil
	case *plan.Case:
		if c, ok := r.d.(CaseChecker); ok && !c.CaseRenderable(x.T, caseBranchTypes(x)) {
			return "", ErrNotRenderable
		}
		var s strings.Builder
		s.WriteString("CASE")
		for _, w := range x.Whens {
			c, err := r.expr(w.Cond, col)
			if err != nil {
				return "", err
			}
			v, err := r.expr(w.Result, col)
			if err != nil {
				return "", err
			}
			s.WriteString(" WHEN " + c + " THEN " + v)
		}
		if x.Else != nil {
			v, err := r.expr(x.Else, col)
			if err != nil {
				return "", err
			}
			s.WriteString(" ELSE " + v)
		}
		s.WriteString(" END")
		return s.String(), nil
	case *plan.InList:
		arg, err := r.expr(x.Arg, col)
		if err != nil {
			return "", err
		}
		list, _, err := r.list(x.List, col)
		if err != nil {
			return "", err
		}
		s, ok := r.d.In(arg, list, x.Arg.Type(), x.Negated)
		if !ok {
			return "", ErrNotRenderable
		}
		return s, nil
	case *plan.Like:
		arg, err := r.expr(x.Arg, col)
		if err != nil {
			return "", err
		}
		pat, err := r.expr(x.Pattern, col)
		if err != nil {
			return "", err
		}
		s, ok := r.d.Like(arg, pat, x.Arg.Type(), x.CaseInsensitive, x.Negated)
		if !ok {
			return "", ErrNotRenderable
		}
		return s, nil
	case *plan.IsNull:
		arg, err := r.expr(x.Arg, col)
		if err != nil {
			return "", err
		}
		if x.Negated {
			return "(" + arg + " IS NOT NULL)", nil
		}
		return "(" + arg + " IS NULL)", nil
	case *KeyParam:
		ap, ok := r.d.(ArrayParams)
		if !ok {
			return "", ErrNotRenderable
		}
		arg, err := r.expr(x.Arg, col)
		if err != nil {
			return "", err
		}
		s, ok := ap.AnyParam(arg, x.N, x.Arg.Type())
		if !ok {
			return "", ErrNotRenderable
		}
		return s, nil
	case *plan.IsBool:
		// A source that cannot write a boolean literal stores booleans in
		// some other form, where IS TRUE may not mean what it does here.
		if _, ok := r.d.Literal(types.TBool, types.BoolDatum(true)); !ok {
			return "", ErrNotRenderable
		}
		arg, err := r.expr(x.Arg, col)
		if err != nil {
			return "", err
		}
		not := ""
		if x.Negated {
			not = "NOT "
		}
		return "(" + arg + " IS " + not + x.Value + ")", nil
	case *plan.OuterRef:
		if r.outer == nil {
			return "", ErrNotRenderable
		}
		s, t := r.outer(x.Index)
		if !correlates(r.d, t) {
			return "", ErrNotRenderable
		}
		r.outerRefs++
		return s, nil
	case *plan.Subquery:
		return r.subquery(x, col)
	case *plan.Param:
		return r.param(x)
	}
	return "", ErrNotRenderable
}

func (r *renderer) list(es []plan.Expr, col func(int) (string, types.Type)) ([]string, []types.Type, error) {
	out := make([]string, len(es))
	ts := make([]types.Type, len(es))
	for i, e := range es {
		s, err := r.expr(e, col)
		if err != nil {
			return nil, nil, err
		}
		out[i], ts[i] = s, e.Type()
	}
	return out, ts, nil
}

// caseBranchTypes are the types of a CASE's results, its ELSE included.
func caseBranchTypes(c *plan.Case) []types.Type {
	ts := make([]types.Type, 0, len(c.Whens)+1)
	for _, w := range c.Whens {
		ts = append(ts, w.Result.Type())
	}
	if c.Else != nil {
		ts = append(ts, c.Else.Type())
	}
	return ts
}
