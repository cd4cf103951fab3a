package executor

import (
	"context"
	"fmt"
	"math/rand"
	"strings"
	"testing"

	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
	"github.com/junction-db/junction/vector"
	"github.com/shopspring/decimal"
)

// benchRows is the size of each benchmark input.
const benchRows = 1 << 20

// int64Batches splits columns of int64 values into batches of type int8.
func int64Batches(columns ...[]int64) []*vector.Batch {
	var out []*vector.Batch
	n := len(columns[0])
	for from := 0; from < n; from += vector.BatchSize {
		to := min(from+vector.BatchSize, n)
		b := &vector.Batch{Len: to - from}
		for _, c := range columns {
			b.Cols = append(b.Cols, &vector.Vector{Type: types.TInt8, Int: c[from:to:to]})
		}
		out = append(out, b)
	}
	return out
}

// benchRemote is a Remote node served from memory by src.
func benchRemote(src *fakeSource, sql string, batches []*vector.Batch, names ...string) *plan.Remote {
	if src.results == nil {
		src.results = map[string][]*vector.Batch{}
	}
	src.results[sql] = batches
	c := make([]plan.Column, len(names))
	for i, n := range names {
		c[i] = plan.Column{Name: n, Type: types.TInt8}
	}
	return &plan.Remote{Source: "mem", SQL: sql, Cols: c}
}

// drainPlan runs a plan to the end and returns the number of rows.
func drainPlan(b *testing.B, n plan.Node, env *Env) int {
	r, err := Build(context.Background(), n, env)
	if err != nil {
		b.Fatal(err)
	}
	defer r.Close()
	rows := 0
	for {
		batch, err := r.Next()
		if err != nil {
			b.Fatal(err)
		}
		if batch == nil {
			return rows
		}
		rows += batch.Len
	}
}

func reportRows(b *testing.B, rowsPerOp int) {
	b.ReportMetric(float64(rowsPerOp)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkFilter filters int64 columns with x > constant, keeping half.
func BenchmarkFilter(b *testing.B) {
	rng := rand.New(rand.NewSource(1))
	x, y := make([]int64, benchRows), make([]int64, benchRows)
	for i := range x {
		x[i], y[i] = rng.Int63n(1000), int64(i)
	}
	src := &fakeSource{}
	in := benchRemote(src, "SELECT x, y FROM t", int64Batches(x, y), "x", "y")
	n := &plan.Filter{Input: in, Pred: boolOp(">", col(0, "int8"), lit("int8", "499"))}
	env := &Env{Source: src.lookup}
	benchPlan(b, benchRows, func() {
		if got := drainPlan(b, n, env); got < benchRows/3 {
			b.Fatalf("%d rows passed", got)
		}
	})
}

// joinInputs is two inputs of n rows each, (k, v) with n unique keys
// (0..n-1 when dense, else spread over all of bigint), the right side's in
// random order.
func joinInputs(src *fakeSource, n int, dense bool) (left, right *plan.Remote) {
	rng := rand.New(rand.NewSource(2))
	lk, lv := make([]int64, n), make([]int64, n)
	rk, rv := make([]int64, n), make([]int64, n)
	for i := range lk {
		k := int64(i)
		if !dense {
			k = int64(mix64(uint64(i)))
		}
		lk[i], lv[i] = k, int64(i)
		rk[i], rv[i] = k, int64(2*i)
	}
	rng.Shuffle(len(rk), func(i, j int) { rk[i], rk[j] = rk[j], rk[i] })
	left = benchRemote(src, "SELECT k, v FROM l", int64Batches(lk, lv), "k", "v")
	right = benchRemote(src, "SELECT k, v FROM r", int64Batches(rk, rv), "k", "v")
	return left, right
}

// BenchmarkHashJoin runs SELECT count(*), sum(r.v) FROM l JOIN r ON l.k =
// r.k over 1M by 1M rows with the unique int64 keys 0..1M-1: the join and
// the aggregate above it as a plan executes them. rows/s counts the input
// rows of both sides.
func BenchmarkHashJoin(b *testing.B) { joinCountSum(b, true) }

// BenchmarkHashJoinSparse is BenchmarkHashJoin with keys spread over all
// of bigint, which a dense array cannot index.
func BenchmarkHashJoinSparse(b *testing.B) { joinCountSum(b, false) }

func joinCountSum(b *testing.B, dense bool) {
	src := &fakeSource{}
	left, right := joinInputs(src, benchRows, dense)
	join := &plan.Join{Kind: plan.Inner, Left: left, Right: right, Cond: boolOp("=", col(0, "int8"), col(2, "int8"))}
	n := &plan.Aggregate{Input: join,
		Aggs: []plan.AggCall{{Func: "count", T: types.TInt8}, {Func: "sum", Arg: col(3, "int8"), T: types.TNumeric}},
		Cols: cols("c int8", "s numeric")}
	want := fmt.Sprintf("%d %d", benchRows, int64(benchRows)*(benchRows-1))
	env := &Env{Source: src.lookup}
	benchPlan(b, 2*benchRows, func() {
		if got := firstRow(b, n, env); got != want {
			b.Fatalf("got %s, want %s", got, want)
		}
	})
}

// benchPlan times run, one execution of a plan, and reports rows/s over
// rowsPerOp input rows.
func benchPlan(b *testing.B, rowsPerOp int, run func()) {
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		run()
	}
	reportRows(b, rowsPerOp)
}

// BenchmarkHashJoinRows joins 1M by 1M rows on unique int64 keys and
// emits every joined row; rows/s counts the input rows of both sides.
func BenchmarkHashJoinRows(b *testing.B) {
	src := &fakeSource{}
	left, right := joinInputs(src, benchRows, true)
	n := &plan.Join{Kind: plan.Inner, Left: left, Right: right, Cond: boolOp("=", col(0, "int8"), col(2, "int8"))}
	env := &Env{Source: src.lookup}
	benchPlan(b, 2*benchRows, func() {
		if got := drainPlan(b, n, env); got != benchRows {
			b.Fatalf("%d rows joined, want %d", got, benchRows)
		}
	})
}

// firstRow runs a plan and returns its first row as text, values separated
// by blanks.
func firstRow(b *testing.B, n plan.Node, env *Env) string {
	r, err := Build(context.Background(), n, env)
	if err != nil {
		b.Fatal(err)
	}
	defer r.Close()
	batch, err := r.Next()
	if err != nil || batch == nil {
		b.Fatalf("no row: %v", err)
	}
	vals := make([]string, len(batch.Cols))
	for c, v := range batch.Cols {
		vals[c] = types.FormatText(v.Type, v.Datum(0))
	}
	return strings.Join(vals, " ")
}

// aggregateBench groups rows (k, v) by k, with k drawn from groups
// distinct values, computing sum(v) and count(*) per group; v is a bigint,
// or with numeric a numeric(15,2).
func aggregateBench(b *testing.B, rows, groups int, numeric bool) {
	rng := rand.New(rand.NewSource(3))
	k, v := make([]int64, rows), make([]int64, rows)
	for i := range k {
		k[i], v[i] = rng.Int63n(int64(groups)), rng.Int63n(100000)
	}
	src := &fakeSource{}
	batches := int64Batches(k, v)
	vt := "int8"
	if numeric {
		vt = "numeric"
		for _, bt := range batches {
			ints := bt.Cols[1].Int
			bt.Cols[1] = vector.New(types.TNumeric, len(ints))
			for _, x := range ints {
				bt.Cols[1].Dec = append(bt.Cols[1].Dec, decimal.New(x, -2))
			}
		}
	}
	in := benchRemote(src, "SELECT k, v FROM t", batches, "k", "v")
	in.Cols[1].Type = typ(vt)
	n := &plan.Aggregate{Input: in, GroupBy: []plan.Expr{col(0, "int8")},
		Aggs: []plan.AggCall{{Func: "sum", Arg: col(1, vt), T: types.TNumeric}, {Func: "count", T: types.TInt8}},
		Cols: cols("k int8", "s numeric", "c int8")}
	env := &Env{Source: src.lookup}
	benchPlan(b, rows, func() {
		if got := drainPlan(b, n, env); got != groups {
			b.Fatalf("%d groups, want %d", got, groups)
		}
	})
}

// BenchmarkHashAggregate groups 10M rows into 1,000 groups by an int64
// key, computing sum and count per group.
func BenchmarkHashAggregate(b *testing.B) { aggregateBench(b, 10_000_000, 1000, false) }

// BenchmarkHashAggregateManyGroups groups 1M rows into 10,000 groups.
func BenchmarkHashAggregateManyGroups(b *testing.B) { aggregateBench(b, benchRows, 10000, false) }

// BenchmarkHashAggregateNumeric groups 1M rows into 1,000 groups, summing
// a numeric(15,2).
func BenchmarkHashAggregateNumeric(b *testing.B) { aggregateBench(b, benchRows, 1000, true) }
