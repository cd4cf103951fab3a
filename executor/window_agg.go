package executor

import (
	"slices"

	"github.com/junction-db/junction/executor/functions"
	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/vector"
)

// maxRebuildRows bounds how many frame rows are gathered before the
// frames collected so far are aggregated.
const maxRebuildRows = 1 << 16

// aggregate computes an aggregate over each row's frame with the
// aggregate's own state. A frame that starts at the partition's start and
// excludes nothing only grows from row to row, so one state takes each
// row once and its running result is read wherever the frame's end moves:
// the default frame and running sums cost one pass. A frame that ends at
// the partition's end grows the same way from the last row back, for
// aggregates whose result does not depend on the order of their input.
// Any other frame is aggregated afresh, many frames at once as groups of
// one state, and a row whose frame equals the previous row's shares its
// result.
func (f *windowFunc) aggregate(p *windowPartition, r *windowResult) error {
	args := make([]*vector.Vector, len(f.args))
	for i, c := range f.args {
		args[i] = p.rows.cols[c]
	}
	fr := f.fn.Frame
	if fr.Start.Kind == plan.UnboundedPreceding && fr.Exclude == plan.ExcludeNoOthers {
		return f.runningAggregate(p, r, args, false)
	}
	if fr.End.Kind == plan.UnboundedFollowing && fr.Exclude == plan.ExcludeNoOthers && f.orderFree() {
		return f.runningAggregate(p, r, args, true)
	}
	return f.framedAggregate(p, r, args)
}

// orderFree reports whether the aggregate's result is the same whatever
// order it takes its rows in: those whose partial results merge exactly,
// as parallel aggregation, which splits rows arbitrarily, relies on.
func (f *windowFunc) orderFree() bool {
	st, err := functions.NewAgg(*f.agg, f.aggTypes)
	if err != nil {
		return false
	}
	return st.Mergeable()
}

func (f *windowFunc) newState(groups int) (*functions.Agg, error) {
	st, err := functions.NewAgg(*f.agg, f.aggTypes)
	if err != nil {
		return nil, err
	}
	st.Resize(groups)
	return st, nil
}

// runningAggregate aggregates frames that share their start (or, when
// backward, their end) with one state, taking rows in as the frame's
// other bound moves: forward from the first row, or backward from the
// last.
func (f *windowFunc) runningAggregate(p *windowPartition, r *windowResult, args []*vector.Vector, backward bool) error {
	st, err := f.newState(1)
	if err != nil {
		return err
	}
	// The state holds rows [lo, hi); edge is the frame bound it was last
	// read at.
	lo, hi, edge, last := p.start, p.start, -1, int32(-1)
	first, stop, step := p.start, p.end, 1
	if backward {
		lo, hi = p.end, p.end
		first, stop, step = p.end-1, p.start-1, -1
	}
	var zeros []int32
	add := func(from, to int) error {
		n := to - from
		if len(zeros) < n {
			zeros = make([]int32, n)
		}
		part := make([]*vector.Vector, len(args))
		for k, a := range args {
			part[k] = vector.Slice(a, from, to)
		}
		return st.Update(zeros[:n], part)
	}
	for i := first; i != stop; i += step {
		start, end, err := f.bounds(p, i)
		if err != nil {
			return err
		}
		bound := end
		if backward {
			bound = start
		}
		switch {
		case !backward && end > hi:
			err, hi = add(hi, end), end
		case backward && start < lo && start < end:
			err, lo = add(start, lo), start
		}
		if err != nil {
			return err
		}
		if bound != edge {
			v, err := st.Result()
			if err != nil {
				return err
			}
			last, edge = r.add(v, 1), bound
		}
		r.idx[i] = last
	}
	return nil
}

// framedAggregate aggregates each distinct frame afresh.
func (f *windowFunc) framedAggregate(p *windowPartition, r *windowResult, args []*vector.Vector) error {
	var (
		groups, sel []int32
		rows        []int   // rows waiting for their frame's result
		rowGroup    []int32 // their frames' groups
		prev, segs  []segment
		buf         [3]segment
	)
	flush := func() error {
		if len(rows) == 0 {
			return nil
		}
		ngroups := int(rowGroup[len(rowGroup)-1]) + 1
		st, err := f.newState(ngroups)
		if err != nil {
			return err
		}
		gathered := make([]*vector.Vector, len(args))
		for k, a := range args {
			gathered[k] = vector.Gather(a, sel)
		}
		if err := st.Update(groups, gathered); err != nil {
			return err
		}
		v, err := st.Result()
		if err != nil {
			return err
		}
		base := r.add(v, ngroups)
		for k, row := range rows {
			r.idx[row] = base + rowGroup[k]
		}
		groups, sel, rows, rowGroup, prev = groups[:0], sel[:0], rows[:0], rowGroup[:0], prev[:0]
		return nil
	}
	for i := p.start; i < p.end; i++ {
		var err error
		if segs, err = f.frameRows(p, i, buf[:]); err != nil {
			return err
		}
		if len(rows) > 0 && slices.Equal(segs, prev) {
			rows, rowGroup = append(rows, i), append(rowGroup, rowGroup[len(rowGroup)-1])
			continue
		}
		g := int32(0)
		if len(rowGroup) > 0 {
			g = rowGroup[len(rowGroup)-1] + 1
		}
		for _, s := range segs {
			for row := s.from; row < s.to; row++ {
				sel = append(sel, int32(row))
				groups = append(groups, g)
			}
		}
		rows, rowGroup = append(rows, i), append(rowGroup, g)
		prev = append(prev[:0], segs...)
		if len(sel) >= maxRebuildRows {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	return flush()
}
