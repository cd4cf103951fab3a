package executor

import (
	"slices"

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
// the default frame and running sums cost one pass. Any other frame is
// aggregated afresh, many frames at once as groups of one state, and a
// row whose frame equals the previous row's shares its result.
func (f *windowFunc) aggregate(p *windowPartition, r *windowResult) error {
	args := make([]*vector.Vector, len(f.args))
	for i, c := range f.args {
		args[i] = p.rows.cols[c]
	}
	fr := f.fn.Frame
	if fr.Start.Kind == plan.UnboundedPreceding && fr.Exclude == plan.ExcludeNoOthers {
		return f.runningAggregate(p, r, args)
	}
	return f.framedAggregate(p, r, args)
}

func (f *windowFunc) newState(groups int) (aggState, error) {
	st, err := newAggState(f.agg.call, f.agg.argTypes)
	if err != nil {
		return nil, err
	}
	st.resize(groups)
	return st, nil
}

func (f *windowFunc) runningAggregate(p *windowPartition, r *windowResult, args []*vector.Vector) error {
	st, err := f.newState(1)
	if err != nil {
		return err
	}
	added, lastEnd, last := p.start, -1, int32(-1)
	var zeros []int32
	for i := p.start; i < p.end; i++ {
		_, end, err := f.bounds(p, i)
		if err != nil {
			return err
		}
		if end > added {
			n := end - added
			if len(zeros) < n {
				zeros = make([]int32, n)
			}
			part := make([]*vector.Vector, len(args))
			for k, a := range args {
				part[k] = sliceVector(a, added, end)
			}
			if err := st.update(zeros[:n], part); err != nil {
				return err
			}
			added = end
		}
		if end != lastEnd {
			v, err := st.result()
			if err != nil {
				return err
			}
			last, lastEnd = r.add(v, 1), end
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
			gathered[k] = gather(a, sel)
		}
		if err := st.update(groups, gathered); err != nil {
			return err
		}
		v, err := st.result()
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
