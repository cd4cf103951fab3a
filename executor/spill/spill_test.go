package spill

import (
	"testing"

	"github.com/junction-db/junction/executor/memory"
	"github.com/junction-db/junction/types"
	"github.com/junction-db/junction/vector"
	"github.com/shopspring/decimal"
)

// Every physical representation, NULLs included, reads back as written.
func TestFileRoundTrip(t *testing.T) {
	ts := []types.Type{types.TBool, types.TInt8, types.TFloat8, types.TNumeric, types.TText, types.TBytea, types.TInterval}
	b := vector.NewBatch(ts, 0)
	for i := range 200 {
		if i%7 == 3 {
			for _, v := range b.Cols {
				v.AppendNull()
			}
			b.Len++
			continue
		}
		b.Cols[0].AppendDatum(types.Datum{Bool: i%2 == 0})
		b.Cols[1].AppendDatum(types.Datum{Int: int64(i*i) - 5000})
		b.Cols[2].AppendDatum(types.Datum{Float: float64(i) / 3})
		b.Cols[3].AppendDatum(types.Datum{Dec: decimal.New(int64(i)*1001-90000, -int32(i%4))})
		b.Cols[4].AppendDatum(types.Datum{Str: string(rune('a'+i%26)) + "é"})
		b.Cols[5].AppendDatum(types.Datum{Bytes: []byte{byte(i), 0, 255}})
		b.Cols[6].AppendDatum(types.Datum{Iv: types.IntervalValue{Months: int32(i), Days: -int32(i), Micros: int64(i) << 40}})
		b.Len++
	}
	budget := memory.NewBudget(nil, 0, t.TempDir())
	defer budget.Close()
	f, err := Create(budget, ts)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for range 2 {
		if err := f.Write(b); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.Rewind(); err != nil {
		t.Fatal(err)
	}
	for pass := range 2 {
		got, err := f.Read()
		if err != nil || got == nil {
			t.Fatalf("batch %d: %v, %v", pass, got, err)
		}
		if got.Len != b.Len {
			t.Fatalf("batch %d has %d rows, want %d", pass, got.Len, b.Len)
		}
		for c, v := range b.Cols {
			for i := range b.Len {
				w, g := v.Datum(i), got.Cols[c].Datum(i)
				same := w.Null == g.Null && (w.Null || w.Bool == g.Bool && w.Int == g.Int && w.Float == g.Float &&
					w.Dec.String() == g.Dec.String() && w.Dec.Exponent() == g.Dec.Exponent() && w.Str == g.Str &&
					string(w.Bytes) == string(g.Bytes) && w.Iv == g.Iv)
				if !same {
					t.Errorf("batch %d column %s row %d: got %v, want %v", pass, ts[c].BaseName(), i, g, w)
				}
			}
		}
	}
	if end, err := f.Read(); end != nil || err != nil {
		t.Errorf("after the last batch: %v, %v", end, err)
	}
	if budget.Spilled() != f.Bytes() || f.Bytes() == 0 {
		t.Errorf("spilled %d bytes, file has %d", budget.Spilled(), f.Bytes())
	}
}
