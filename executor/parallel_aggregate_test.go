package executor

import (
	"fmt"
	"math/rand"
	goruntime "runtime"
	"testing"

	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
	"github.com/junction-db/junction/vector"
)

// randomBatches makes rows rows of the given column types with random
// values (a few NULLs each), in batches of varying size.
func randomBatches(rng *rand.Rand, ts []types.Type, rows int) []*vector.Batch {
	var out []*vector.Batch
	for rows > 0 {
		n := min(rows, 1+rng.Intn(vector.BatchSize))
		rows -= n
		b := vector.NewBatch(ts, n)
		for _, v := range b.Cols {
			for range n {
				if rng.Intn(40) == 0 {
					v.AppendNull()
					continue
				}
				switch v.Type.Kind {
				case types.Int8:
					v.AppendDatum(types.IntDatum(rng.Int63n(300)))
				case types.Int4:
					v.AppendDatum(types.IntDatum(rng.Int63n(2000) - 1000))
				case types.Text:
					v.AppendDatum(types.Datum{Str: fmt.Sprintf("k%d", rng.Intn(20))})
				case types.Numeric:
					d, _ := types.ParseText(types.TNumeric, fmt.Sprintf("%d.%02d", rng.Intn(100), rng.Intn(100)))
					v.AppendDatum(d)
				case types.Bool:
					v.AppendDatum(types.Datum{Bool: rng.Intn(50) > 0})
				}
			}
		}
		b.Len = n
		out = append(out, b)
	}
	return out
}

// TestParallelAggregate checks that an aggregation large enough to run in
// parallel gives what it gives on one core, with integer, text and no
// group keys.
func TestParallelAggregate(t *testing.T) {
	rng := rand.New(rand.NewSource(11))
	ts := []types.Type{types.TInt8, types.TText, types.TInt4, types.TNumeric, types.TBool}
	src := &fakeSource{results: map[string][]*vector.Batch{}}
	src.results["t"] = randomBatches(rng, ts, 5*parallelRows)
	in := &plan.Remote{Source: "mem", SQL: "t", Cols: cols("k int8", "s text", "x int4", "y numeric", "b bool")}
	x, y, b := col(2, "int4"), col(3, "numeric"), col(4, "bool")
	var aggs []plan.AggCall
	for _, a := range []struct {
		fn  string
		arg plan.Expr
		t   types.Type
	}{
		{"count", nil, types.TInt8}, {"count", x, types.TInt8}, {"sum", x, types.TInt8},
		{"avg", x, types.TNumeric}, {"sum", y, types.TNumeric}, {"min", y, types.TNumeric},
		{"max", x, types.TInt4}, {"bool_and", b, types.TBool}, {"bool_or", b, types.TBool},
	} {
		aggs = append(aggs, plan.AggCall{Func: a.fn, Arg: a.arg, T: a.t})
	}
	aggCols := cols("c int8", "cx int8", "sx int8", "ax numeric", "sy numeric", "mn numeric", "mx int4", "ba bool", "bo bool")
	env := &Env{Source: src.lookup}
	for _, c := range []struct {
		name string
		keys []plan.Expr
		cols []plan.Column
	}{
		{"bigint key", []plan.Expr{col(0, "int8")}, cols("k int8")},
		{"text and bigint keys", []plan.Expr{col(1, "text"), col(0, "int8")}, cols("s text", "k int8")},
		{"no key", nil, nil},
	} {
		n := &plan.Aggregate{Input: in, GroupBy: c.keys, Aggs: aggs, Cols: append(c.cols, aggCols...)}
		run := func(procs int) []string {
			defer goruntime.GOMAXPROCS(goruntime.GOMAXPROCS(procs))
			rows, err := runPlan(t, n, env)
			if err != nil {
				t.Fatalf("%s with %d procs: %v", c.name, procs, err)
			}
			return rows
		}
		alone := run(1)
		if len(alone) < 2 && c.keys != nil {
			t.Fatalf("%s: %d groups", c.name, len(alone))
		}
		sameRows(t, c.name, run(3), alone)
		sameOrder(t, c.name+", run twice", run(3), run(3))
	}
}

// TestParallelAggregateError checks that an error in a partial
// aggregation on another goroutine fails the statement: sum(interval)
// overflows only in the batches that partial gets.
func TestParallelAggregateError(t *testing.T) {
	defer goruntime.GOMAXPROCS(goruntime.GOMAXPROCS(2))
	small, _ := types.ParseText(types.TInterval, "1 day")
	huge, _ := types.ParseText(types.TInterval, "100000000 years")
	var batches []*vector.Batch
	for i := range 40 {
		b := vector.NewBatch([]types.Type{types.TInterval}, vector.BatchSize)
		d := small
		// From the 17th batch on the operator's partial and the other
		// take turns; the other gets the odd ones.
		if i > 16 && i%2 == 1 {
			d = huge
		}
		for range vector.BatchSize {
			b.Cols[0].AppendDatum(d)
		}
		b.Len = vector.BatchSize
		batches = append(batches, b)
	}
	src := &fakeSource{results: map[string][]*vector.Batch{"t": batches}}
	n := &plan.Aggregate{Input: &plan.Remote{Source: "mem", SQL: "t", Cols: cols("iv interval")},
		Aggs: []plan.AggCall{{Func: "sum", Arg: col(0, "interval"), T: types.TInterval}}, Cols: cols("s interval")}
	_, err := runPlan(t, n, &Env{Source: src.lookup})
	wantCode(t, "sum(interval) overflowing in a partial", err, "22008")
}
