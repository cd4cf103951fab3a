package executor

import (
	"math"
	"sort"

	"github.com/junction-db/junction/executor/functions"
	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
	"github.com/junction-db/junction/vector"
)

// segment is rows [from, to) of the sorted input.
type segment struct{ from, to int }

// frameRows is the frame of row i as at most three segments in partition
// order: the rows between its bounds, less those its exclusion removes.
func (f *windowFunc) frameRows(p *windowPartition, i int, buf []segment) ([]segment, error) {
	start, end, err := f.bounds(p, i)
	if err != nil {
		return nil, err
	}
	segs := buf[:0]
	keep := func(from, to int) {
		from, to = max(from, start), min(to, end)
		if from < to {
			segs = append(segs, segment{from, to})
		}
	}
	g := p.group(i)
	switch f.fn.Frame.Exclude {
	case plan.ExcludeNoOthers:
		keep(start, end)
	case plan.ExcludeCurrentRow:
		keep(start, i)
		keep(i+1, end)
	case plan.ExcludeGroup:
		keep(start, p.groupStart[g])
		keep(p.groupEnd[g], end)
	case plan.ExcludeTies:
		keep(start, p.groupStart[g])
		keep(i, i+1)
		keep(p.groupEnd[g], end)
	}
	return segs, nil
}

// bounds is the frame of row i before exclusion: rows [start, end) of
// its partition, possibly empty.
func (f *windowFunc) bounds(p *windowPartition, i int) (start, end int, err error) {
	fr := f.fn.Frame
	if start, err = f.bound(p, i, fr.Start, f.startOff, f.startValue, true); err != nil {
		return 0, 0, err
	}
	if end, err = f.bound(p, i, fr.End, f.endOff, f.endValue, false); err != nil {
		return 0, 0, err
	}
	return start, max(start, end), nil
}

// bound places one frame bound for row i: the first row of the frame for
// the start bound, one past its last for the end bound.
func (f *windowFunc) bound(p *windowPartition, i int, b plan.FrameBound, offCol, valueCol int, isStart bool) (int, error) {
	switch b.Kind {
	case plan.UnboundedPreceding:
		return p.start, nil
	case plan.UnboundedFollowing:
		return p.end, nil
	}
	g := p.group(i)
	mode := f.fn.Frame.Mode
	if b.Kind == plan.CurrentRow {
		switch {
		case mode == plan.RowsFrame && isStart:
			return i, nil
		case mode == plan.RowsFrame:
			return i + 1, nil
		case isStart:
			return p.groupStart[g], nil
		}
		return p.groupEnd[g], nil
	}
	if mode == plan.RangeFrame {
		return f.rangeBound(p, i, offCol, valueCol, isStart)
	}
	off, err := frameOffset(p.rows.cols[offCol], p.start, isStart)
	if err != nil {
		return 0, err
	}
	if b.Kind == plan.OffsetPreceding {
		off = -off
	}
	if mode == plan.RowsFrame {
		pos := clampAdd(i, off, p.start, p.end)
		if !isStart {
			pos = min(clampAdd(i, off, p.start-1, p.end-1)+1, p.end)
		}
		return pos, nil
	}
	// GROUPS: the start of the group off groups away, or the end of it.
	ng := len(p.groupStart)
	target := clampAdd(g, off, -1, ng)
	switch {
	case target < 0:
		return p.start, nil
	case target >= ng:
		return p.end, nil
	case isStart:
		return p.groupStart[target], nil
	}
	return p.groupEnd[target], nil
}

// clampAdd is base+off limited to [lo, hi], without overflow.
func clampAdd(base int, off int64, lo, hi int) int {
	switch {
	case off < int64(lo-base):
		return lo
	case off > int64(hi-base):
		return hi
	}
	return base + int(off)
}

// frameOffset reads a ROWS or GROUPS offset, which is the same for every
// row.
func frameOffset(v *vector.Vector, row int, isStart bool) (int64, error) {
	which := "ending"
	if isStart {
		which = "starting"
	}
	if v.IsNull(row) {
		return 0, pgerr.New("22004", "frame %s offset must not be null", which)
	}
	if v.Int[row] < 0 {
		return 0, pgerr.New("22013", "frame %s offset must not be negative", which)
	}
	return v.Int[row], nil
}

// rangeBound places a RANGE offset bound: the first row (for the start)
// or the first row past the rows (for the end) whose key reaches the
// current row's bound value. Rows with a NULL key are in range only of
// each other: a NULL row's frame bound is its peer group's.
func (f *windowFunc) rangeBound(p *windowPartition, i int, offCol, valueCol int, isStart bool) (int, error) {
	offsets := p.rows.cols[offCol]
	if offsets.IsNull(p.start) {
		return 0, pgerr.New("22004", "frame %s offset must not be null", map[bool]string{true: "starting", false: "ending"}[isStart])
	}
	if negativeValue(offsets, p.start) {
		return 0, pgerr.New("22013", "invalid preceding or following size in window function")
	}
	keys := p.rows.cols[f.rangeKey]
	g := p.group(i)
	if keys.IsNull(i) {
		if isStart {
			return p.groupStart[g], nil
		}
		return p.groupEnd[g], nil
	}
	lo, hi := p.nonNullKeys(f.rangeKey)
	values := p.rows.cols[valueCol]
	if values.Type.Physical() == types.PhysFloat && math.IsNaN(values.Float[i]) && !math.IsNaN(keys.Float[i]) {
		// Infinity minus infinity: PostgreSQL counts every value but NaN
		// in range, and NaNs sort together at one end.
		for lo < hi && math.IsNaN(keys.Float[lo]) {
			lo++
		}
		for hi > lo && math.IsNaN(keys.Float[hi-1]) {
			hi--
		}
		if isStart {
			return lo, nil
		}
		return hi, nil
	}
	desc := f.orderDesc
	return lo + sort.Search(hi-lo, func(k int) bool {
		c := functions.CompareRows(keys, lo+k, values, i)
		if desc {
			c = -c
		}
		if isStart {
			return c >= 0
		}
		return c > 0
	}), nil
}

// nonNullKeys is the block of the partition's rows whose key (column
// col) is not NULL: NULLs sort together at one end.
func (p *windowPartition) nonNullKeys(col int) (lo, hi int) {
	if r, ok := p.nonNull[col]; ok {
		return r.from, r.to
	}
	keys := p.rows.cols[col]
	lo, hi = p.start, p.end
	for lo < hi && keys.IsNull(lo) {
		lo++
	}
	for hi > lo && keys.IsNull(hi-1) {
		hi--
	}
	p.nonNull[col] = segment{lo, hi}
	return lo, hi
}

// negativeValue reports whether a RANGE offset is below zero (or NaN).
func negativeValue(v *vector.Vector, i int) bool {
	switch v.Type.Physical() {
	case types.PhysInt:
		return v.Int[i] < 0
	case types.PhysFloat:
		return v.Float[i] < 0 || math.IsNaN(v.Float[i])
	case types.PhysDecimal:
		return v.Dec[i].Sign() < 0
	case types.PhysInterval:
		return functions.CompareInterval(v.Iv[i], types.IntervalValue{}) < 0
	}
	return false
}
