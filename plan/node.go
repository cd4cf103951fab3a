package plan

import (
	"github.com/junction-db/junction/types"
)

// Column describes one output column of a node.
type Column struct {
	Name  string
	Type  types.Type
	Table string // qualifier the column was reached through, for EXPLAIN and RowDescription
	// TableOID and Attnum identify the base table column, when there is one,
	// for RowDescription.
	TableOID uint32
	Attnum   int16
}

// Node is a relational operator.
type Node interface {
	Columns() []Column
	Inputs() []Node
}

// TableRef identifies a table in a source.
type TableRef struct {
	Source       string // Junction schema name (the source's name)
	Name         string // Junction table name
	RemoteSchema string // schema (or database) at the source; empty for the default
	RemoteName   string // table name at the source
	OID          uint32
	// CopyOf is, for a scan of an accelerated table's local copy, the
	// table at its source, whose statistics the copy's rows share.
	CopyOf *TableRef
}

// Scan reads columns of a source table. Cols[i] is the table's column
// ColIdx[i] (RemoteCols[i] is its name at the source).
type Scan struct {
	Table      TableRef
	ColIdx     []int
	RemoteCols []string
	Cols       []Column
	Alias      string
	// Security says, for EXPLAIN, which row filter and column masks the
	// binder put over the scan (see planner/policies.go).
	Security []string
	// Acceleration says, for EXPLAIN, whether the scan of an accelerated
	// table reads its local copy or the source, and why (see
	// planner/acceleration.go); "" for a table that is not accelerated.
	Acceleration string
}

// Rows produces in-memory rows computed by the catalog (system tables):
// Fill is called when the query runs, so the rows reflect the catalog then.
type Rows struct {
	Name string
	Cols []Column
	Fill func() ([][]types.Datum, error)
}

// Values is a VALUES list; each row has one expression per column.
type Values struct {
	Rows [][]Expr
	Cols []Column
}

// FuncScan produces the rows of a set-returning function called in FROM
// (generate_series, unnest, ...), by its lower-case PostgreSQL name. Args
// are evaluated once per execution and may read the enclosing query's row
// through OuterRef. With Ordinality the last column numbers the rows from
// 1 (WITH ORDINALITY). It always runs in Junction.
type FuncScan struct {
	Name       string
	Args       []Expr
	Ordinality bool
	Cols       []Column
}

// Filter keeps the rows for which Pred is true.
type Filter struct {
	Input Node
	Pred  Expr
}

// Project computes Exprs over each input row.
type Project struct {
	Input Node
	Exprs []Expr
	Cols  []Column
}

// JoinKind is the SQL join type.
type JoinKind uint8

// Join kinds. Semi and Anti keep left rows that have (or have no) match;
// they come from IN/EXISTS subqueries.
const (
	Inner JoinKind = iota
	Left
	Right
	Full
	Cross
	Semi
	Anti
)

func (k JoinKind) String() string {
	return [...]string{"Inner", "Left", "Right", "Full", "Cross", "Semi", "Anti"}[k]
}

// Join combines Left and Right. Cond refers to the left columns followed by
// the right ones; nil means true. Output columns are Left's then Right's
// (only Left's for Semi and Anti).
type Join struct {
	Kind  JoinKind
	Left  Node
	Right Node
	Cond  Expr
}

// AggCall is one aggregate call by its lower-case PostgreSQL name (count,
// sum, avg, min, max, string_agg, stddev, percentile_cont, grouping, ...).
// A nil Arg is count(*).
type AggCall struct {
	Func string
	Arg  Expr
	// Args lists every argument of an aggregate that takes more than one
	// (string_agg(value, delimiter)); Arg is then Args[0].
	Args     []Expr
	Distinct bool
	T        types.Type

	// The parts below are carried at the end of Args, after the
	// aggregated arguments, so that every rewrite that maps an aggregate's
	// arguments maps them too; a call using any of them has at least two
	// Args.

	// Direct counts the direct arguments of an ordered-set or
	// hypothetical-set aggregate (percentile_cont's fraction), which follow
	// the aggregated ones; they are constant within a group.
	Direct int
	// Order sorts the rows the aggregate reads: agg(x ORDER BY k) and
	// WITHIN GROUP (ORDER BY k). Its keys follow the direct arguments.
	Order []SortOrder
	// Filter is set when FILTER (WHERE cond) is carried as the last of
	// Args. Aggregates that skip NULLs take a filter as agg(CASE WHEN cond
	// THEN x END) instead, which every renderer understands.
	Filter bool
	// GroupingKeys are, for grouping(), the positions in the Aggregate's
	// GroupBy of its arguments.
	GroupingKeys []int
}

// SortOrder is the direction of one ORDER BY key inside an aggregate.
type SortOrder struct {
	Desc       bool
	NullsFirst bool
}

// Values is the number of aggregated arguments: Args less the direct
// arguments, the ORDER BY keys and the filter.
func (a AggCall) Values() int {
	n := len(a.Args)
	if n == 0 && a.Arg != nil {
		return 1
	}
	n -= a.Direct + len(a.Order)
	if a.Filter {
		n--
	}
	return n
}

// Plain reports whether the call is a bare aggregate over its arguments:
// no direct arguments, ORDER BY, carried filter or grouping keys.
func (a AggCall) Plain() bool {
	return a.Direct == 0 && len(a.Order) == 0 && !a.Filter && a.GroupingKeys == nil
}

// Aggregate groups its input by GroupBy and computes Aggs per group. Output
// columns are the group keys followed by the aggregates. With no GroupBy it
// yields exactly one row.
type Aggregate struct {
	Input   Node
	GroupBy []Expr
	Aggs    []AggCall
	Cols    []Column
	// Sets, when not nil, are GROUPING SETS: each lists the positions in
	// GroupBy it groups by, and the output holds every set's groups, with
	// NULL for the keys a set leaves out. A set without keys yields one
	// row even over no input, as an aggregate without GROUP BY does.
	Sets [][]int
}

// InEverySet reports whether group key k is a key of every grouping set
// (always true without grouping sets): only then does a predicate on it
// mean the same below the aggregate as above.
func (n *Aggregate) InEverySet(k int) bool {
	for _, s := range n.Sets {
		found := false
		for _, i := range s {
			found = found || i == k
		}
		if !found {
			return false
		}
	}
	return true
}

// SortKey is one ORDER BY item.
type SortKey struct {
	Expr       Expr
	Desc       bool
	NullsFirst bool
}

// Sort orders its input.
type Sort struct {
	Input Node
	Keys  []SortKey
}

// Limit skips Offset rows and then passes at most Count (Count < 0: all).
type Limit struct {
	Input  Node
	Count  int64
	Offset int64
	// CountExpr and OffsetExpr hold a LIMIT or OFFSET that reads a
	// parameter ($n) until the parameter's value is bound; planning then
	// computes Count and Offset from them. Nil otherwise.
	CountExpr, OffsetExpr Expr
}

// Distinct removes duplicate rows.
type Distinct struct {
	Input Node
}

// SetOpKind is UNION, INTERSECT or EXCEPT.
type SetOpKind uint8

// Set operation kinds.
const (
	Union SetOpKind = iota
	Intersect
	Except
)

// SetOp combines two inputs with the same column types.
type SetOp struct {
	Kind  SetOpKind
	All   bool
	Left  Node
	Right Node
	Cols  []Column
}

// Remote is the part of a plan a source runs: Query is the pushed-down
// subtree, SQL its rendering in the source's dialect. It is Vitess's Route
// with a source instead of a shard.
type Remote struct {
	Source string
	Query  Node
	SQL    string
	Cols   []Column
	// Dynamic, when set, narrows the query to the keys of the join above
	// it once that join's build side is read.
	Dynamic *DynamicFilter
	// Params are the client's parameters SQL binds ($1 is Params[0]) in a
	// plan made for any parameter values; their values are sent apart
	// from the text when the query runs.
	Params []*Param
	// PointLookup marks a query with parameters that reads at most one
	// row of one table: its filter sets a column that is alone a primary
	// key or unique constraint equal to a parameter. Such queries may
	// share a source connection, sent one after another without waiting
	// for the answers between them (see connectors.LookupQuerier).
	PointLookup bool
}

func (n *Scan) Columns() []Column      { return n.Cols }
func (n *Rows) Columns() []Column      { return n.Cols }
func (n *Values) Columns() []Column    { return n.Cols }
func (n *FuncScan) Columns() []Column  { return n.Cols }
func (n *Filter) Columns() []Column    { return n.Input.Columns() }
func (n *Project) Columns() []Column   { return n.Cols }
func (n *Aggregate) Columns() []Column { return n.Cols }
func (n *Sort) Columns() []Column      { return n.Input.Columns() }
func (n *Limit) Columns() []Column     { return n.Input.Columns() }
func (n *Distinct) Columns() []Column  { return n.Input.Columns() }
func (n *SetOp) Columns() []Column     { return n.Cols }
func (n *Remote) Columns() []Column    { return n.Cols }

func (n *Join) Columns() []Column {
	if n.Kind == Semi || n.Kind == Anti {
		return n.Left.Columns()
	}
	l, r := n.Left.Columns(), n.Right.Columns()
	out := make([]Column, 0, len(l)+len(r))
	return append(append(out, l...), r...)
}

func (n *Scan) Inputs() []Node      { return nil }
func (n *Rows) Inputs() []Node      { return nil }
func (n *Values) Inputs() []Node    { return nil }
func (n *FuncScan) Inputs() []Node  { return nil }
func (n *Filter) Inputs() []Node    { return []Node{n.Input} }
func (n *Project) Inputs() []Node   { return []Node{n.Input} }
func (n *Join) Inputs() []Node      { return []Node{n.Left, n.Right} }
func (n *Aggregate) Inputs() []Node { return []Node{n.Input} }
func (n *Sort) Inputs() []Node      { return []Node{n.Input} }
func (n *Limit) Inputs() []Node     { return []Node{n.Input} }
func (n *Distinct) Inputs() []Node  { return []Node{n.Input} }
func (n *SetOp) Inputs() []Node     { return []Node{n.Left, n.Right} }
func (n *Remote) Inputs() []Node    { return nil }

// ColumnTypes lists the types of a node's output columns.
func ColumnTypes(n Node) []types.Type {
	cols := n.Columns()
	out := make([]types.Type, len(cols))
	for i, c := range cols {
		out[i] = c.Type
	}
	return out
}
