package sqlgen

import (
	"strings"

	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
)

// Windower is implemented by dialects whose source computes window
// functions exactly as PostgreSQL does, peers and frames included, for
// the PARTITION BY keys Groupable accepts and the ORDER BY keys OrderKey
// renders. Aggregates over a window render through Aggregate.
type Windower interface {
	// WindowFunc renders a ranking or value window function call
	// (row_number, rank, lag, nth_value, ...), without its OVER clause.
	WindowFunc(name string, args []string, argTypes []types.Type, result types.Type) (string, bool)
	// WindowFrame reports whether the source runs the frame as
	// PostgreSQL does (ORDER BY keys as OrderKey renders them).
	WindowFrame(f plan.Frame) bool
}

// window renders window functions as select-list items of the input's
// block; a block that already orders, limits, deduplicates or computes
// window functions nests first, since those come after windows in SQL.
func (r *renderer) window(x *plan.Window) (*block, error) {
	wd, ok := r.d.(Windower)
	if !ok {
		return nil, ErrNotRenderable
	}
	b, err := r.node(x.Input)
	if err != nil {
		return nil, err
	}
	if b.limit != "" || b.distinct || len(b.orderBy) > 0 || b.windowed {
		b = r.wrap(b)
	}
	var spec []string
	if len(x.PartitionBy) > 0 {
		keys := make([]string, len(x.PartitionBy))
		for i, p := range x.PartitionBy {
			s, err := r.expr(p, b.ref)
			if err != nil {
				return nil, err
			}
			if keys[i], ok = groupKey(r.d, s, p.Type()); !ok {
				return nil, ErrNotRenderable
			}
		}
		spec = append(spec, "PARTITION BY "+strings.Join(keys, ", "))
	}
	if len(x.OrderBy) > 0 {
		keys := make([]string, len(x.OrderBy))
		for i, k := range x.OrderBy {
			s, err := r.expr(k.Expr, b.ref)
			if err != nil {
				return nil, err
			}
			if keys[i], ok = r.d.OrderKey(s, k.Expr.Type(), k.Desc, k.NullsFirst); !ok {
				return nil, ErrNotRenderable
			}
		}
		spec = append(spec, "ORDER BY "+strings.Join(keys, ", "))
	}
	cols := append([]string{}, b.cols...)
	ts := append([]types.Type{}, b.types...)
	for _, f := range x.Funcs {
		call, err := r.windowCall(wd, f, b)
		if err != nil {
			return nil, err
		}
		over := append([]string{}, spec...)
		if f.UsesFrame() {
			if !wd.WindowFrame(f.Frame) {
				return nil, ErrNotRenderable
			}
			frame, err := r.frame(f.Frame, b)
			if err != nil {
				return nil, err
			}
			over = append(over, frame)
		}
		cols = append(cols, call+" OVER ("+strings.Join(over, " ")+")")
		ts = append(ts, f.T)
	}
	b.cols, b.types, b.projected, b.windowed = cols, ts, true, true
	return b, nil
}

func (r *renderer) windowCall(wd Windower, f plan.WindowFunc, b *block) (string, error) {
	if f.Agg != nil {
		if len(f.Agg.Args) > 1 || !f.Agg.Plain() || plan.OuterOnly(f.Agg.Arg) {
			return "", ErrNotRenderable
		}
		arg, argType := "", types.TUnknown
		if f.Agg.Arg != nil {
			s, err := r.expr(f.Agg.Arg, b.ref)
			if err != nil {
				return "", err
			}
			arg, argType = s, f.Agg.Arg.Type()
		}
		s, ok := r.d.Aggregate(f.Agg.Func, arg, argType, false, f.Agg.T)
		if !ok {
			return "", ErrNotRenderable
		}
		return s, nil
	}
	args := make([]string, len(f.Args))
	for i, a := range f.Args {
		s, err := r.expr(a, b.ref)
		if err != nil {
			return "", err
		}
		args[i] = s
	}
	s, ok := wd.WindowFunc(f.Name, args, argTypes(f.Args), f.T)
	if !ok {
		return "", ErrNotRenderable
	}
	return s, nil
}

// frame renders a frame clause with its offsets.
func (r *renderer) frame(f plan.Frame, b *block) (string, error) {
	bound := func(fb plan.FrameBound) (string, error) {
		switch fb.Kind {
		case plan.OffsetPreceding, plan.OffsetFollowing:
			s, err := r.expr(fb.Offset, b.ref)
			if err != nil {
				return "", err
			}
			if fb.Kind == plan.OffsetPreceding {
				return s + " PRECEDING", nil
			}
			return s + " FOLLOWING", nil
		}
		return fb.String(), nil
	}
	start, err := bound(f.Start)
	if err != nil {
		return "", err
	}
	end, err := bound(f.End)
	if err != nil {
		return "", err
	}
	s := f.Mode.String() + " BETWEEN " + start + " AND " + end
	switch f.Exclude {
	case plan.ExcludeCurrentRow:
		s += " EXCLUDE CURRENT ROW"
	case plan.ExcludeGroup:
		s += " EXCLUDE GROUP"
	case plan.ExcludeTies:
		s += " EXCLUDE TIES"
	}
	return s, nil
}

// windowReason says why d cannot run the window functions of w.
func windowReason(d Dialect, w *plan.Window, exprs func(...plan.Expr) string) string {
	if _, ok := d.(Windower); !ok {
		return computedIn(d, "a window function", "window", nil)
	}
	sent := append([]plan.Expr{}, w.PartitionBy...)
	for _, k := range w.OrderBy {
		sent = append(sent, k.Expr)
	}
	for _, f := range w.Funcs {
		sent = append(sent, f.Args...)
		if f.Agg != nil && f.Agg.Arg != nil {
			sent = append(sent, f.Agg.Arg)
		}
	}
	if why := exprs(sent...); why != "" {
		return why
	}
	for _, p := range w.PartitionBy {
		if _, ok := groupKey(d, "x", p.Type()); !ok {
			return computedIn(d, "PARTITION BY on "+p.Type().String(), "GROUP BY", []types.Type{p.Type()})
		}
	}
	for _, k := range w.OrderBy {
		if _, ok := d.OrderKey("x", k.Expr.Type(), k.Desc, k.NullsFirst); !ok {
			return computedIn(d, "window ORDER BY on "+k.Expr.Type().String(), "ORDER BY", []types.Type{k.Expr.Type()})
		}
	}
	for _, f := range w.Funcs {
		if f.UsesFrame() && !d.(Windower).WindowFrame(f.Frame) {
			return computedIn(d, "the frame "+f.Frame.String(), "window frame", nil)
		}
		if !renders(d, &plan.Window{Input: w.Input, PartitionBy: w.PartitionBy, OrderBy: w.OrderBy, Funcs: []plan.WindowFunc{f}}) {
			name := f.Name
			if f.Agg != nil {
				name = f.Agg.Func
			}
			return computedIn(d, name+"() as a window function", "window function", argTypes(f.Args))
		}
	}
	return ""
}

func renders(d Dialect, n plan.Node) bool {
	_, err := Render(d, n)
	return err == nil
}
