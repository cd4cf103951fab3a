package executor

import (
	"slices"
	"testing"

	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
	"github.com/junction-db/junction/vector"
)

func TestKeySetKeepsDistinctKeysThenARange(t *testing.T) {
	v := vector.New(types.TInt8, 6)
	for _, x := range []int64{5, 3, 5, -2, 9} {
		v.AppendDatum(types.IntDatum(x))
	}
	v.AppendNull()
	s := newKeySet(types.TInt8, 4)
	s.add(v, 6)
	got := s.values()
	slices.SortFunc(got, func(a, b types.Datum) int { return int(a.Int - b.Int) })
	if s.overflow || len(got) != 4 || got[0].Int != -2 || got[3].Int != 9 {
		t.Fatalf("distinct keys %v (overflow %v), want -2 3 5 9 without NULL", got, s.overflow)
	}
	more := vector.New(types.TInt8, 1)
	more.AppendDatum(types.IntDatum(100))
	s.add(more, 1)
	if !s.overflow || s.min.Int != -2 || s.top.Int != 100 {
		t.Fatalf("past the limit: overflow %v, range %d..%d, want -2..100", s.overflow, s.min.Int, s.top.Int)
	}
}

func TestKeySetOfOnlyNullsIsEmpty(t *testing.T) {
	v := vector.New(types.TText, 2)
	v.AppendNull()
	v.AppendNull()
	s := newKeySet(types.TText, 10)
	s.add(v, 2)
	if s.any || s.len() != 0 {
		t.Fatalf("NULL keys were collected: %v", s.values())
	}
}

func TestArrayTextQuotesEveryElement(t *testing.T) {
	keys := []types.Datum{types.StrDatum(`a"b`), types.StrDatum(`c\d`), types.StrDatum(`{x, y}`), types.StrDatum("NULL")}
	want := `{"a\"b","c\\d","{x, y}","NULL"}`
	if got := arrayText(types.TText, keys); got != want {
		t.Fatalf("arrayText = %s, want %s", got, want)
	}
	if got := arrayText(types.TDate, []types.Datum{types.IntDatum(0)}); got != `{"1970-01-01"}` {
		t.Fatalf("date key: %s", got)
	}
}

func TestInListsBatchTheKeys(t *testing.T) {
	keys := make([]types.Datum, 5)
	for i := range keys {
		keys[i] = types.IntDatum(int64(i))
	}
	e := inLists(&plan.ColRef{T: types.TInt4, Name: "k"}, types.TInt4, keys, 2)
	if got := e.String(); got != "(k IN (0, 1) OR k IN (2, 3) OR k IN (4))" {
		t.Fatalf("batched IN lists: %s", got)
	}
}
