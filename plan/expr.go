// Package plan owns the bound query representation that the planner builds,
// the connectors render as remote SQL and the executor runs: typed scalar
// expressions and the relational operator tree.
//
// Expressions are fully typed: the planner has already applied PostgreSQL's
// operator and coercion rules, inserting Cast nodes where PostgreSQL would
// coerce implicitly, so an evaluator or renderer never guesses a type.
// Column references are positional: ColRef.Index is the position of the
// column in the input of the operator that holds the expression (for a Join,
// the left input's columns followed by the right input's).
package plan

import (
	"fmt"
	"strings"

	"github.com/junction-db/junction/types"
)

// Expr is a typed scalar expression.
type Expr interface {
	Type() types.Type
	String() string
}

// ColRef reads column Index of the operator's input.
type ColRef struct {
	Index int
	T     types.Type
	Name  string // for EXPLAIN only
}

// Const is a literal value.
type Const struct {
	Value types.Datum
	T     types.Type
}

// Param is a client-supplied parameter ($1 is Index 0).
type Param struct {
	Index int
	T     types.Type
}

// Operator names used in Op. Arithmetic and comparison operands have been
// coerced to a common type by the planner, except for the date/time
// combinations PostgreSQL defines (date + int4, date - date, timestamp +
// interval, ...).
const (
	OpAdd      = "+"
	OpSub      = "-"
	OpMul      = "*"
	OpDiv      = "/"
	OpMod      = "%"
	OpNeg      = "neg"
	OpConcat   = "||"
	OpEq       = "="
	OpNe       = "<>"
	OpLt       = "<"
	OpLe       = "<="
	OpGt       = ">"
	OpGe       = ">="
	OpAnd      = "AND"
	OpOr       = "OR"
	OpNot      = "NOT"
	OpDistinct = "IS DISTINCT FROM"
	OpNotDist  = "IS NOT DISTINCT FROM"
	OpRegex    = "~"   // POSIX regular expression match
	OpRegexI   = "~*"  // case-insensitive
	OpNRegex   = "!~"  // negated
	OpNRegexI  = "!~*" // negated, case-insensitive
)

// Op applies an operator to its arguments (one for NOT and neg, two
// otherwise; AND and OR take two or more).
type Op struct {
	Op   string
	Args []Expr
	T    types.Type
}

// Cast converts Arg to T with PostgreSQL's cast semantics.
type Cast struct {
	Arg Expr
	T   types.Type
}

// Func calls a scalar function by its lower-case PostgreSQL name (coalesce,
// nullif, lower, upper, length, abs, round, date_trunc, ...). Impl is set
// for functions implemented outside the executor (the catalog's functions
// such as pg_table_is_visible); the executor calls it row by row.
type Func struct {
	Name string
	Args []Expr
	T    types.Type
	Impl RowFunc
	// Variadic says the last argument is an array whose elements are
	// the variadic arguments (VARIADIC in the call).
	Variadic bool
}

// RowFunc computes a function from one row's argument values.
type RowFunc func(args []types.Datum) (types.Datum, error)

// OuterRef reads column Index of the current row of the enclosing query
// (one level up) from inside a correlated subquery.
type OuterRef struct {
	Index int
	T     types.Type
	Name  string
}

// SubqueryKind says how a subquery's rows become a value.
type SubqueryKind uint8

// Subquery kinds.
const (
	// ScalarSubquery yields the single column of the single row (NULL for no
	// row; more than one row is error 21000).
	ScalarSubquery SubqueryKind = iota
	// ExistsSubquery yields whether the subquery returns any row.
	ExistsSubquery
	// InSubquery yields Arg IN (subquery) with SQL's three-valued logic.
	InSubquery
	// ArraySubquery yields ARRAY(subquery) in its text form.
	ArraySubquery
)

// Subquery is a subquery used as an expression. When Correlated is false
// the executor may evaluate it once per query; otherwise once per outer row,
// with OuterRef expressions inside Plan reading that row.
type Subquery struct {
	Kind       SubqueryKind
	Plan       Node
	Arg        Expr // InSubquery only
	Negated    bool // NOT IN / NOT EXISTS
	Correlated bool
	T          types.Type
}

// When is one branch of a searched CASE.
type When struct {
	Cond   Expr
	Result Expr
}

// Case is a searched CASE; the planner rewrites the simple form into it. A
// nil Else yields NULL.
type Case struct {
	Whens []When
	Else  Expr
	T     types.Type
}

// InList is Arg [NOT] IN (List...). Elements have Arg's type.
type InList struct {
	Arg     Expr
	List    []Expr
	Negated bool
}

// Like is Arg [NOT] LIKE/ILIKE Pattern (escape character backslash).
type Like struct {
	Arg             Expr
	Pattern         Expr
	CaseInsensitive bool
	Negated         bool
}

// IsNull is Arg IS [NOT] NULL.
type IsNull struct {
	Arg     Expr
	Negated bool
}

// IsBool is Arg IS [NOT] TRUE/FALSE/UNKNOWN; Value is "TRUE", "FALSE" or "UNKNOWN".
type IsBool struct {
	Arg     Expr
	Value   string
	Negated bool
}

func (e *ColRef) Type() types.Type   { return e.T }
func (e *Const) Type() types.Type    { return e.T }
func (e *Param) Type() types.Type    { return e.T }
func (e *Op) Type() types.Type       { return e.T }
func (e *Cast) Type() types.Type     { return e.T }
func (e *Func) Type() types.Type     { return e.T }
func (e *Case) Type() types.Type     { return e.T }
func (e *InList) Type() types.Type   { return types.TBool }
func (e *Like) Type() types.Type     { return types.TBool }
func (e *IsNull) Type() types.Type   { return types.TBool }
func (e *IsBool) Type() types.Type   { return types.TBool }
func (e *OuterRef) Type() types.Type { return e.T }
func (e *Subquery) Type() types.Type { return e.T }

func (e *OuterRef) String() string { return "outer." + e.Name }

func (e *Subquery) String() string {
	switch e.Kind {
	case ExistsSubquery:
		if e.Negated {
			return "NOT EXISTS(subquery)"
		}
		return "EXISTS(subquery)"
	case InSubquery:
		if e.Negated {
			return e.Arg.String() + " NOT IN (subquery)"
		}
		return e.Arg.String() + " IN (subquery)"
	case ArraySubquery:
		return "ARRAY(subquery)"
	}
	return "(subquery)"
}

func (e *ColRef) String() string {
	if e.Name != "" {
		return e.Name
	}
	return fmt.Sprintf("#%d", e.Index)
}

func (e *Const) String() string {
	if e.Value.Null {
		return "NULL"
	}
	return types.Literal(e.T, e.Value)
}

func (e *Param) String() string { return fmt.Sprintf("$%d", e.Index+1) }

func (e *Op) String() string {
	switch len(e.Args) {
	case 1:
		if e.Op == OpNeg {
			return "(- " + e.Args[0].String() + ")"
		}
		return "(" + e.Op + " " + e.Args[0].String() + ")"
	default:
		parts := make([]string, len(e.Args))
		for i, a := range e.Args {
			parts[i] = a.String()
		}
		return "(" + strings.Join(parts, " "+e.Op+" ") + ")"
	}
}

func (e *Cast) String() string { return e.Arg.String() + "::" + e.T.String() }

func (e *Func) String() string {
	if e.Variadic {
		last := len(e.Args) - 1
		fixed := joinExprs(e.Args[:last])
		if fixed != "" {
			fixed += ", "
		}
		return e.Name + "(" + fixed + "VARIADIC " + e.Args[last].String() + ")"
	}
	return e.Name + "(" + joinExprs(e.Args) + ")"
}

func (e *Case) String() string {
	var b strings.Builder
	b.WriteString("CASE")
	for _, w := range e.Whens {
		b.WriteString(" WHEN " + w.Cond.String() + " THEN " + w.Result.String())
	}
	if e.Else != nil {
		b.WriteString(" ELSE " + e.Else.String())
	}
	b.WriteString(" END")
	return b.String()
}

func (e *InList) String() string {
	not := ""
	if e.Negated {
		not = "NOT "
	}
	return e.Arg.String() + " " + not + "IN (" + joinExprs(e.List) + ")"
}

func (e *Like) String() string {
	op := "LIKE"
	if e.CaseInsensitive {
		op = "ILIKE"
	}
	if e.Negated {
		op = "NOT " + op
	}
	return e.Arg.String() + " " + op + " " + e.Pattern.String()
}

func (e *IsNull) String() string {
	if e.Negated {
		return e.Arg.String() + " IS NOT NULL"
	}
	return e.Arg.String() + " IS NULL"
}

func (e *IsBool) String() string {
	not := ""
	if e.Negated {
		not = "NOT "
	}
	return e.Arg.String() + " IS " + not + e.Value
}

func joinExprs(es []Expr) string {
	parts := make([]string, len(es))
	for i, a := range es {
		parts[i] = a.String()
	}
	return strings.Join(parts, ", ")
}

// Walk calls fn for e and every expression below it, depth first; fn returns
// false to skip a subtree.
func Walk(e Expr, fn func(Expr) bool) {
	if e == nil || !fn(e) {
		return
	}
	for _, c := range Children(e) {
		Walk(c, fn)
	}
}

// Children lists the direct sub-expressions of e.
func Children(e Expr) []Expr {
	switch e := e.(type) {
	case *Op:
		return e.Args
	case *Cast:
		return []Expr{e.Arg}
	case *Func:
		return e.Args
	case *Case:
		var out []Expr
		for _, w := range e.Whens {
			out = append(out, w.Cond, w.Result)
		}
		if e.Else != nil {
			out = append(out, e.Else)
		}
		return out
	case *InList:
		return append([]Expr{e.Arg}, e.List...)
	case *Like:
		return []Expr{e.Arg, e.Pattern}
	case *IsNull:
		return []Expr{e.Arg}
	case *IsBool:
		return []Expr{e.Arg}
	case *Subquery:
		if e.Arg != nil {
			return []Expr{e.Arg}
		}
	}
	return nil
}

// MapCols returns a copy of e with every ColRef replaced by fn(ref).
func MapCols(e Expr, fn func(*ColRef) Expr) Expr {
	switch e := e.(type) {
	case *ColRef:
		return fn(e)
	case *Op:
		return &Op{Op: e.Op, Args: mapList(e.Args, fn), T: e.T}
	case *Cast:
		return &Cast{Arg: MapCols(e.Arg, fn), T: e.T}
	case *Func:
		return &Func{Name: e.Name, Args: mapList(e.Args, fn), T: e.T, Impl: e.Impl, Variadic: e.Variadic}
	case *Case:
		c := &Case{T: e.T, Whens: make([]When, len(e.Whens))}
		for i, w := range e.Whens {
			c.Whens[i] = When{Cond: MapCols(w.Cond, fn), Result: MapCols(w.Result, fn)}
		}
		if e.Else != nil {
			c.Else = MapCols(e.Else, fn)
		}
		return c
	case *InList:
		return &InList{Arg: MapCols(e.Arg, fn), List: mapList(e.List, fn), Negated: e.Negated}
	case *Like:
		return &Like{Arg: MapCols(e.Arg, fn), Pattern: MapCols(e.Pattern, fn), CaseInsensitive: e.CaseInsensitive, Negated: e.Negated}
	case *IsNull:
		return &IsNull{Arg: MapCols(e.Arg, fn), Negated: e.Negated}
	case *IsBool:
		return &IsBool{Arg: MapCols(e.Arg, fn), Value: e.Value, Negated: e.Negated}
	case *Subquery:
		if e.Arg != nil {
			c := *e
			c.Arg = MapCols(e.Arg, fn)
			return &c
		}
	}
	return e
}

func mapList(es []Expr, fn func(*ColRef) Expr) []Expr {
	out := make([]Expr, len(es))
	for i, a := range es {
		out[i] = MapCols(a, fn)
	}
	return out
}

// ColsUsed returns the set of input column indexes e reads.
func ColsUsed(e Expr, into map[int]bool) {
	Walk(e, func(x Expr) bool {
		if c, ok := x.(*ColRef); ok {
			into[c.Index] = true
		}
		return true
	})
}

// OuterOnly reports whether the expressions read the enclosing query's
// row and none of their own input's columns: SQL makes an aggregate over
// such arguments an aggregate of the enclosing query.
func OuterOnly(es ...Expr) bool {
	outer, local := false, false
	for _, e := range es {
		Walk(e, func(x Expr) bool {
			switch x.(type) {
			case *OuterRef:
				outer = true
			case *ColRef:
				local = true
			}
			return true
		})
	}
	return outer && !local
}

// SplitAnd flattens a conjunction into its conjuncts.
func SplitAnd(e Expr) []Expr {
	if op, ok := e.(*Op); ok && op.Op == OpAnd {
		var out []Expr
		for _, a := range op.Args {
			out = append(out, SplitAnd(a)...)
		}
		return out
	}
	return []Expr{e}
}

// And joins conjuncts; nil for none.
func And(es []Expr) Expr {
	switch len(es) {
	case 0:
		return nil
	case 1:
		return es[0]
	}
	return &Op{Op: OpAnd, Args: es, T: types.TBool}
}
