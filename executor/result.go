package executor

import "github.com/junction-db/junction/vector"

// result is the output of an operator that computes all of it before its
// first row (aggregation, windows), handed out a batch at a time.
type result struct {
	loaded bool
	out    *vector.Batch
	pos    int
}

// emit computes the result with load on first use and returns its next
// batch, nil at the end.
func (r *result) emit(load func() error) (*vector.Batch, error) {
	if !r.loaded {
		if err := load(); err != nil {
			return nil, err
		}
		r.loaded = true
	}
	if r.out == nil || r.pos >= r.out.Len {
		return nil, nil
	}
	end := min(r.pos+vector.BatchSize, r.out.Len)
	b := vector.SliceBatch(r.out, r.pos, end)
	r.pos = end
	return b, nil
}
