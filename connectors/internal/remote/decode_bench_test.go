package remote

import (
	"fmt"
	"testing"

	"github.com/junction-db/junction/types"
)

// BenchmarkDecodeWideRows decodes rows shaped like TPC-H's lineitem (16
// columns: integers, numeric(15,2), character(1), dates, varchar, text)
// from their text form into batches, as a remote scan does; ns/op is per
// row.
func BenchmarkDecodeWideRows(b *testing.B) {
	cols := []types.Type{
		types.TInt8, types.TInt4, types.TInt4, types.TInt4,
		{Kind: types.Numeric, Precision: 15, Scale: 2}, {Kind: types.Numeric, Precision: 15, Scale: 2},
		{Kind: types.Numeric, Precision: 15, Scale: 2}, {Kind: types.Numeric, Precision: 15, Scale: 2},
		{Kind: types.Bpchar, Length: 1}, {Kind: types.Bpchar, Length: 1},
		types.TDate, types.TDate, types.TDate,
		{Kind: types.Varchar, Length: 25}, {Kind: types.Varchar, Length: 10}, types.TText,
	}
	rows := make([][][]byte, 1024)
	for i := range rows {
		row := []string{
			fmt.Sprint(i/4 + 1), fmt.Sprint(i*7919%20000 + 1), fmt.Sprint(i*104729%1000 + 1), fmt.Sprint(i%4 + 1),
			fmt.Sprintf("%d.00", i%50+1), fmt.Sprintf("%d.%02d", 900+i*37%1000, i%100), fmt.Sprintf("0.%02d", i%11), fmt.Sprintf("0.%02d", i%9),
			"RAN"[i%3 : i%3+1], "OF"[i%2 : i%2+1],
			fmt.Sprintf("199%d-0%d-1%d", i%7+2, i%9+1, i%10), "1995-03-15", "1996-12-01",
			"DELIVER IN PERSON", "TRUCK", fmt.Sprintf("carefully regular %032x", i*2654435761),
		}
		rows[i] = make([][]byte, len(row))
		for c, v := range row {
			rows[i][c] = []byte(v)
		}
	}
	names := make([]string, len(cols))
	apps := make([]Appender, len(cols))
	for i, c := range cols {
		names[i] = fmt.Sprintf("c%d", i)
		apps[i] = ParseAppender(c)
	}
	build := NewBuilder(cols, names, apps)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if err := build.Append(rows[i%len(rows)]); err != nil {
			b.Fatal(err)
		}
		if build.Full() {
			build.Take()
		}
	}
}
