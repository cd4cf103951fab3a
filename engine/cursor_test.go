package engine

import (
	"slices"
	"testing"

	"github.com/junction-db/junction/types"
	"github.com/junction-db/junction/vector"
)

// countingStream yields rows 1..rows in batches of size and counts the
// batches read.
type countingStream struct {
	next, rows, size int
	batches          int
}

func (s *countingStream) Next() (*vector.Batch, error) {
	if s.next >= s.rows {
		return nil, nil
	}
	b := vector.NewBatch([]types.Type{types.TInt4}, s.size)
	for ; b.Len < s.size && s.next < s.rows; b.Len++ {
		s.next++
		b.Cols[0].AppendDatum(types.IntDatum(int64(s.next)))
	}
	s.batches++
	return b, nil
}

func (s *countingStream) Close() {}

func newTestCursor(scroll bool, rows int) (*cursor, *countingStream) {
	s := &countingStream{rows: rows, size: 3}
	return &cursor{rows: s, scroll: scroll, atStart: true, cancel: func() {}}, s
}

// fetchValues runs a FETCH and returns the values it returned.
func fetchValues(t *testing.T, c *cursor, dir fetchDirection, count int64) []int64 {
	t.Helper()
	out := &fetchOutput{types: []types.Type{types.TInt4}}
	n, err := c.fetch(dir, count, out)
	if err != nil {
		t.Fatal(err)
	}
	var got []int64
	for _, b := range out.batches {
		for r := 0; r < b.Len; r++ {
			got = append(got, b.Cols[0].Int[r])
		}
	}
	if int64(len(got)) != n {
		t.Fatalf("fetch reported %d rows but returned %d", n, len(got))
	}
	return got
}

func TestForwardCursorReadsOnlyWhatItNeeds(t *testing.T) {
	c, s := newTestCursor(false, 1000)
	if got := fetchValues(t, c, fetchForward, 2); !slices.Equal(got, []int64{1, 2}) || s.batches != 1 {
		t.Fatalf("FETCH 2 = %v after reading %d batches", got, s.batches)
	}
	if got := fetchValues(t, c, fetchForward, 5); !slices.Equal(got, []int64{3, 4, 5, 6, 7}) || s.batches != 3 {
		t.Fatalf("FETCH 5 = %v after reading %d batches", got, s.batches)
	}
	if len(c.batches) != 1 {
		t.Errorf("a forward-only cursor keeps %d batches", len(c.batches))
	}
	if _, err := c.fetch(fetchBackward, 1, nil); err == nil {
		t.Error("a NO SCROLL cursor moved backwards")
	}
	if got := fetchValues(t, c, fetchRelative, 3); !slices.Equal(got, []int64{10}) {
		t.Errorf("FETCH RELATIVE 3 = %v", got)
	}
}

func TestScrollCursorMovesBothWays(t *testing.T) {
	c, _ := newTestCursor(true, 10)
	for _, step := range []struct {
		dir   fetchDirection
		count int64
		want  []int64
	}{
		{fetchForward, 3, []int64{1, 2, 3}},
		{fetchBackward, 1, []int64{2}},
		{fetchAbsolute, -1, []int64{10}},
		{fetchAbsolute, 4, []int64{4}},
		{fetchRelative, -2, []int64{2}},
		{fetchRelative, 0, []int64{2}},
		{fetchForward, fetchAll, []int64{3, 4, 5, 6, 7, 8, 9, 10}},
		{fetchForward, 1, nil},
		{fetchBackward, 2, []int64{10, 9}},
		{fetchAbsolute, 0, nil},
		{fetchAbsolute, 11, nil},
		{fetchBackward, fetchAll, []int64{10, 9, 8, 7, 6, 5, 4, 3, 2, 1}},
	} {
		if got := fetchValues(t, c, step.dir, step.count); !slices.Equal(got, step.want) {
			t.Fatalf("fetch %d %d = %v, want %v", step.dir, step.count, got, step.want)
		}
	}
}
