package plan

import (
	"strings"

	"github.com/junction-db/junction/types"
)

// FrameMode is how a window frame's bounds are measured: in rows, in
// values of the ORDER BY key (RANGE) or in peer groups (GROUPS).
type FrameMode uint8

// Frame modes.
const (
	RangeFrame FrameMode = iota
	RowsFrame
	GroupsFrame
)

func (m FrameMode) String() string { return [...]string{"RANGE", "ROWS", "GROUPS"}[m] }

// BoundKind is where a frame bound lies relative to the current row.
type BoundKind uint8

// Frame bound kinds, in the order they lie in a partition.
const (
	UnboundedPreceding BoundKind = iota
	OffsetPreceding
	CurrentRow
	OffsetFollowing
	UnboundedFollowing
)

// FrameBound is one end of a frame. Offset is set for OffsetPreceding and
// OffsetFollowing: a row or group count (int8) for ROWS and GROUPS, a
// distance in the ORDER BY key's terms for RANGE. It reads no column.
// For RANGE offsets Value is the bound's key value for the current row
// (key - offset or key + offset, as the sort direction says), computed in
// the type Frame.Key has.
type FrameBound struct {
	Kind   BoundKind
	Offset Expr
	Value  Expr
}

// FrameExclusion removes rows around the current one from its frame.
type FrameExclusion uint8

// Frame exclusions.
const (
	ExcludeNoOthers FrameExclusion = iota
	ExcludeCurrentRow
	ExcludeGroup
	ExcludeTies
)

// Frame is a window frame: the rows of the partition, relative to the
// current row, that a frame-aware window function reads.
type Frame struct {
	Mode    FrameMode
	Start   FrameBound
	End     FrameBound
	Exclude FrameExclusion
	// Key is the ORDER BY key RANGE offsets are measured on, in the type
	// its bound values have; set only for RANGE frames with an offset.
	Key Expr
}

// DefaultFrame is the frame of a window without a frame clause: from the
// partition's start to the current row's last peer.
var DefaultFrame = Frame{Mode: RangeFrame, Start: FrameBound{Kind: UnboundedPreceding}, End: FrameBound{Kind: CurrentRow}}

// WindowFunc is one window function call: a ranking or value function
// (row_number, rank, dense_rank, percent_rank, cume_dist, ntile, lag,
// lead, first_value, last_value, nth_value) with Args, or an aggregate
// over the frame, Agg (its FILTER already folded into its argument).
type WindowFunc struct {
	Name  string
	Args  []Expr
	Agg   *AggCall
	T     types.Type
	Frame Frame
}

// Window computes window functions over the partitions of its input (rows
// equal on PartitionBy) ordered by OrderBy, which all its Funcs share.
// Output columns are the input's followed by one per function.
type Window struct {
	Input       Node
	PartitionBy []Expr
	OrderBy     []SortKey
	Funcs       []WindowFunc
	Cols        []Column
}

func (n *Window) Columns() []Column { return n.Cols }
func (n *Window) Inputs() []Node    { return []Node{n.Input} }

// Exprs lists every expression a window node evaluates over its input.
func (n *Window) Exprs() []Expr {
	out := append([]Expr{}, n.PartitionBy...)
	for _, k := range n.OrderBy {
		out = append(out, k.Expr)
	}
	for _, f := range n.Funcs {
		out = append(out, f.Args...)
		if f.Agg != nil {
			out = append(out, f.Agg.Args...)
			if len(f.Agg.Args) == 0 && f.Agg.Arg != nil {
				out = append(out, f.Agg.Arg)
			}
		}
		for _, e := range []Expr{f.Frame.Start.Offset, f.Frame.Start.Value, f.Frame.End.Offset, f.Frame.End.Value, f.Frame.Key} {
			if e != nil {
				out = append(out, e)
			}
		}
	}
	return out
}

// MapExprs returns a copy of n over input with fn applied to every
// expression it evaluates.
func (n *Window) MapExprs(input Node, fn func(Expr) Expr) *Window {
	opt := func(e Expr) Expr {
		if e == nil {
			return nil
		}
		return fn(e)
	}
	list := func(es []Expr) []Expr {
		if es == nil {
			return nil
		}
		out := make([]Expr, len(es))
		for i, e := range es {
			out[i] = fn(e)
		}
		return out
	}
	w := &Window{Input: input, PartitionBy: list(n.PartitionBy), Cols: n.Cols}
	for _, k := range n.OrderBy {
		k.Expr = fn(k.Expr)
		w.OrderBy = append(w.OrderBy, k)
	}
	for _, f := range n.Funcs {
		f.Args = list(f.Args)
		if f.Agg != nil {
			a := *f.Agg
			a.Args, a.Arg = list(a.Args), opt(a.Arg)
			f.Agg = &a
		}
		fr := f.Frame
		fr.Start.Offset, fr.Start.Value = opt(fr.Start.Offset), opt(fr.Start.Value)
		fr.End.Offset, fr.End.Value = opt(fr.End.Offset), opt(fr.End.Value)
		fr.Key = opt(fr.Key)
		f.Frame = fr
		w.Funcs = append(w.Funcs, f)
	}
	return w
}

// UsesFrame reports whether the function reads its frame: aggregates,
// first_value, last_value and nth_value do; ranking and offset functions
// read the whole partition whatever the frame says.
func (f WindowFunc) UsesFrame() bool {
	return f.Agg != nil || f.Name == "first_value" || f.Name == "last_value" || f.Name == "nth_value"
}

// String renders the call without its window, for EXPLAIN.
func (f WindowFunc) String() string {
	var call string
	if f.Agg != nil {
		args := "*"
		if len(f.Agg.Args) > 0 {
			args = joinExprs(f.Agg.Args)
		} else if f.Agg.Arg != nil {
			args = f.Agg.Arg.String()
		}
		call = f.Agg.Func + "(" + args + ")"
	} else {
		call = f.Name + "(" + joinExprs(f.Args) + ")"
	}
	return call
}

// String renders the frame clause.
func (f Frame) String() string {
	s := f.Mode.String() + " BETWEEN " + f.Start.String() + " AND " + f.End.String()
	switch f.Exclude {
	case ExcludeCurrentRow:
		s += " EXCLUDE CURRENT ROW"
	case ExcludeGroup:
		s += " EXCLUDE GROUP"
	case ExcludeTies:
		s += " EXCLUDE TIES"
	}
	return s
}

func (b FrameBound) String() string {
	switch b.Kind {
	case UnboundedPreceding:
		return "UNBOUNDED PRECEDING"
	case OffsetPreceding:
		return b.Offset.String() + " PRECEDING"
	case CurrentRow:
		return "CURRENT ROW"
	case OffsetFollowing:
		return b.Offset.String() + " FOLLOWING"
	}
	return "UNBOUNDED FOLLOWING"
}

// String renders the key as ORDER BY writes it.
func (k SortKey) String() string {
	s := k.Expr.String()
	if k.Desc {
		s += " DESC"
	}
	if k.NullsFirst != k.Desc {
		if k.NullsFirst {
			return s + " NULLS FIRST"
		}
		return s + " NULLS LAST"
	}
	return s
}

// SpecString renders PARTITION BY and ORDER BY, for EXPLAIN.
func (n *Window) SpecString() string {
	var parts []string
	if len(n.PartitionBy) > 0 {
		parts = append(parts, "PARTITION BY "+joinExprs(n.PartitionBy))
	}
	if len(n.OrderBy) > 0 {
		keys := make([]string, len(n.OrderBy))
		for i, k := range n.OrderBy {
			keys[i] = k.String()
		}
		parts = append(parts, "ORDER BY "+strings.Join(keys, ", "))
	}
	return strings.Join(parts, " ")
}
