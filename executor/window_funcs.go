package executor

import (
	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/types"
	"github.com/junction-db/junction/vector"
)

// compute fills in the function's results for the rows of one partition.
func (f *windowFunc) compute(p *windowPartition, r *windowResult) error {
	if f.agg != nil {
		return f.aggregate(p, r)
	}
	switch f.fn.Name {
	case "row_number", "rank", "dense_rank", "percent_rank", "cume_dist":
		f.rank(p, r)
		return nil
	case "ntile":
		return f.ntile(p, r)
	case "lag", "lead":
		f.offsetValue(p, r)
		return nil
	}
	return f.frameValue(p, r)
}

// rank computes the ranking functions, which read only the row's position
// and its peer group.
func (f *windowFunc) rank(p *windowPartition, r *windowResult) {
	n := p.end - p.start
	out := vector.Make(f.fn.T, n)
	for i := p.start; i < p.end; i++ {
		k, g := i-p.start, p.group(i)
		rank := p.groupStart[g] - p.start + 1
		switch f.fn.Name {
		case "row_number":
			out.Int[k] = int64(k + 1)
		case "rank":
			out.Int[k] = int64(rank)
		case "dense_rank":
			out.Int[k] = int64(g + 1)
		case "percent_rank":
			if n > 1 {
				out.Float[k] = float64(rank-1) / float64(n-1)
			}
		case "cume_dist":
			out.Float[k] = float64(p.groupEnd[g]-p.start) / float64(n)
		}
	}
	base := r.add(out, n)
	for k := range n {
		r.idx[p.start+k] = base + int32(k)
	}
}

// ntile divides the partition into as equal buckets as it can, the first
// ones a row larger; the bucket count is read at the partition's first
// row.
func (f *windowFunc) ntile(p *windowPartition, r *windowResult) error {
	arg := p.rows.cols[f.args[0]]
	if arg.IsNull(p.start) {
		fillNull(r, p)
		return nil
	}
	buckets := arg.Int[p.start]
	if buckets <= 0 {
		return pgerr.New("22014", "argument of ntile must be greater than zero")
	}
	n := int64(p.end - p.start)
	size, rem := n/buckets, n%buckets
	out := vector.Make(types.TInt4, int(n))
	for k := range n {
		if k < rem*(size+1) {
			out.Int[k] = k/(size+1) + 1
		} else {
			out.Int[k] = rem + (k-rem*(size+1))/size + 1
		}
	}
	base := r.add(out, int(n))
	for k := range int(n) {
		r.idx[p.start+k] = base + int32(k)
	}
	return nil
}

func fillNull(r *windowResult, p *windowPartition) {
	for i := p.start; i < p.end; i++ {
		r.idx[i] = -1
	}
}

// offsetValue is lag and lead: the value offset rows before (after) the
// current one in the partition, or the default (evaluated at the current
// row) past its edge; a NULL offset gives NULL.
func (f *windowFunc) offsetValue(p *windowPartition, r *windowResult) {
	n := p.end - p.start
	values := r.add(vector.Slice(p.rows.cols[f.args[0]], p.start, p.end), n)
	defaults := int32(-1)
	if len(f.args) == 3 {
		defaults = r.add(vector.Slice(p.rows.cols[f.args[2]], p.start, p.end), n)
	}
	var offsets *vector.Vector
	if len(f.args) > 1 {
		offsets = p.rows.cols[f.args[1]]
	}
	sign := int64(-1)
	if f.fn.Name == "lead" {
		sign = 1
	}
	for i := p.start; i < p.end; i++ {
		off := int64(1)
		if offsets != nil {
			if offsets.IsNull(i) {
				r.idx[i] = -1
				continue
			}
			off = offsets.Int[i]
		}
		target := int64(i) + sign*off
		switch {
		case target >= int64(p.start) && target < int64(p.end):
			r.idx[i] = values + int32(target-int64(p.start))
		case defaults >= 0:
			r.idx[i] = defaults + int32(i-p.start)
		default:
			r.idx[i] = -1
		}
	}
}

// frameValue is first_value, last_value and nth_value: a row of the
// frame, or NULL when the frame has no such row.
func (f *windowFunc) frameValue(p *windowPartition, r *windowResult) error {
	values := r.add(vector.Slice(p.rows.cols[f.args[0]], p.start, p.end), p.end-p.start)
	var nth *vector.Vector
	if f.fn.Name == "nth_value" {
		nth = p.rows.cols[f.args[1]]
	}
	var buf [3]segment
	for i := p.start; i < p.end; i++ {
		segs, err := f.frameRows(p, i, buf[:])
		if err != nil {
			return err
		}
		row := -1
		switch {
		case len(segs) == 0:
		case f.fn.Name == "first_value":
			row = segs[0].from
		case f.fn.Name == "last_value":
			row = segs[len(segs)-1].to - 1
		case nth.IsNull(i):
		default:
			want := nth.Int[i]
			if want <= 0 {
				return pgerr.New("22016", "argument of nth_value must be greater than zero")
			}
			row = nthRow(segs, want)
		}
		if row < 0 {
			r.idx[i] = -1
		} else {
			r.idx[i] = values + int32(row-p.start)
		}
	}
	return nil
}

// nthRow is the n-th row (from 1) of the segments, or -1.
func nthRow(segs []segment, n int64) int {
	for _, s := range segs {
		if size := int64(s.to - s.from); n <= size {
			return s.from + int(n) - 1
		} else {
			n -= size
		}
	}
	return -1
}
