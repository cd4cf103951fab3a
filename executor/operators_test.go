package executor

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
	"github.com/junction-db/junction/vector"
)

func TestFilterProjectValues(t *testing.T) {
	in := values(cols("x int4", "s text"), row("1", "a"), row("2", "b"), row("NULL", "c"), row("4", "d"))
	n := &plan.Project{
		Input: &plan.Filter{Input: in, Pred: boolOp(">", col(0, "int4"), lit("int4", "1"))},
		Exprs: []plan.Expr{op("*", "int4", col(0, "int4"), lit("int4", "10")), col(1, "text"), lit("text", "k")},
		Cols:  cols("y int4", "s text", "k text"),
	}
	sameOrder(t, "filter and project", mustRun(t, n), []string{"20|b|k", "40|d|k"})
}

func TestRowsNode(t *testing.T) {
	calls := 0
	n := &plan.Rows{Name: "t", Cols: cols("a int4", "b text"), Fill: func() ([][]types.Datum, error) {
		calls++
		rows := make([][]types.Datum, vector.BatchSize+10)
		for i := range rows {
			rows[i] = []types.Datum{types.IntDatum(int64(i)), types.StrDatum(fmt.Sprint("r", i))}
		}
		rows[3][1] = types.NullDatum
		return rows, nil
	}}
	got := mustRun(t, n)
	if len(got) != vector.BatchSize+10 || got[3] != "3|NULL" || got[vector.BatchSize+9] != fmt.Sprintf("%d|r%d", vector.BatchSize+9, vector.BatchSize+9) {
		t.Errorf("rows: %d rows, row 3 %q", len(got), got[3])
	}
	if calls != 1 {
		t.Errorf("Fill called %d times", calls)
	}
}

func TestValuesCastsCells(t *testing.T) {
	n := &plan.Values{Cols: cols("x numeric", "d date"), Rows: [][]plan.Expr{
		{lit("int4", "3"), lit("unknown", "2020-01-02")},
		{lit("numeric", "NULL"), lit("date", "NULL")},
	}}
	sameOrder(t, "values", mustRun(t, n), []string{"3|2020-01-02", "NULL|NULL"})
}

// Join inputs with duplicate and NULL keys.
var (
	joinLeft = values(cols("id int4", "lv text"),
		row("1", "a"), row("2", "b"), row("2", "b2"), row("NULL", "n"), row("4", "d"))
	joinRight = values(cols("id int4", "rv text"),
		row("2", "x"), row("2", "y"), row("3", "z"), row("NULL", "rn"), row("1", "w"))
)

// equiCond is l.id = r.id; loopCond says the same without an equi-key
// (NOT l.id <> r.id), which forces a nested loop with equal results.
var (
	equiCond = boolOp("=", col(0, "int4"), col(2, "int4"))
	loopCond = boolOp("NOT", boolOp("<>", col(0, "int4"), col(2, "int4")))
)

func TestJoinKinds(t *testing.T) {
	inner := []string{"1|a|1|w", "2|b|2|x", "2|b|2|y", "2|b2|2|x", "2|b2|2|y"}
	leftOnly := []string{"NULL|n|NULL|NULL", "4|d|NULL|NULL"}
	rightOnly := []string{"NULL|NULL|3|z", "NULL|NULL|NULL|rn"}
	want := map[plan.JoinKind][]string{
		plan.Inner: inner,
		plan.Left:  append(append([]string{}, inner...), leftOnly...),
		plan.Right: append(append([]string{}, inner...), rightOnly...),
		plan.Full:  append(append(append([]string{}, inner...), leftOnly...), rightOnly...),
		plan.Semi:  {"1|a", "2|b", "2|b2"},
		plan.Anti:  {"NULL|n", "4|d"},
	}
	for kind, rows := range want {
		for name, cond := range map[string]plan.Expr{"hash": equiCond, "nested loop": loopCond} {
			got := mustRun(t, &plan.Join{Kind: kind, Left: joinLeft, Right: joinRight, Cond: cond})
			sameRows(t, kind.String()+" "+name, got, rows)
		}
	}
	cross := mustRun(t, &plan.Join{Kind: plan.Cross, Left: joinLeft, Right: joinRight})
	if len(cross) != 25 {
		t.Errorf("cross join: %d rows, want 25", len(cross))
	}
}

func TestJoinResidual(t *testing.T) {
	residual := boolOp("<>", col(3, "text"), lit("text", "x"))
	inner := []string{"1|a|1|w", "2|b|2|y", "2|b2|2|y"}
	want := map[plan.JoinKind][]string{
		plan.Inner: inner,
		plan.Left:  append(append([]string{}, inner...), "NULL|n|NULL|NULL", "4|d|NULL|NULL"),
		plan.Right: append(append([]string{}, inner...), "NULL|NULL|2|x", "NULL|NULL|3|z", "NULL|NULL|NULL|rn"),
		plan.Semi:  {"1|a", "2|b", "2|b2"},
		plan.Anti:  {"NULL|n", "4|d"},
	}
	for kind, rows := range want {
		for name, key := range map[string]plan.Expr{"hash": equiCond, "nested loop": loopCond} {
			cond := boolOp("AND", key, residual)
			got := mustRun(t, &plan.Join{Kind: kind, Left: joinLeft, Right: joinRight, Cond: cond})
			sameRows(t, kind.String()+" "+name+" with residual", got, rows)
		}
	}
}

// TestJoinManyBatches joins inputs larger than a batch, with many
// duplicates, and checks the hash join against the nested loop and the
// row count against a direct count.
func TestJoinManyBatches(t *testing.T) {
	mk := func(n, mod int, nullEvery int) *plan.Values {
		v := &plan.Values{Cols: cols("k int4", "v int4")}
		for i := 0; i < n; i++ {
			k := lit("int4", fmt.Sprint(i%mod))
			if i%nullEvery == 0 {
				k = lit("int4", "NULL")
			}
			v.Rows = append(v.Rows, []plan.Expr{k, lit("int4", fmt.Sprint(i))})
		}
		return v
	}
	left, right := mk(5000, 700, 97), mk(1200, 900, 89)
	count := 0
	for i := 0; i < 5000; i++ {
		for j := 0; j < 1200; j++ {
			if i%97 != 0 && j%89 != 0 && i%700 == j%900 {
				count++
			}
		}
	}
	odd := boolOp("=", op("%", "int4", col(3, "int4"), lit("int4", "2")), lit("int4", "1"))
	for _, kind := range []plan.JoinKind{plan.Inner, plan.Left, plan.Right, plan.Full, plan.Semi, plan.Anti} {
		hash := mustRun(t, &plan.Join{Kind: kind, Left: left, Right: right, Cond: boolOp("AND", equiCond, odd)})
		loop := mustRun(t, &plan.Join{Kind: kind, Left: left, Right: right, Cond: boolOp("AND", loopCond, odd)})
		sameRows(t, kind.String()+" hash vs nested loop", hash, loop)
	}
	inner := mustRun(t, &plan.Join{Kind: plan.Inner, Left: left, Right: right, Cond: equiCond})
	if len(inner) != count {
		t.Errorf("inner join: %d rows, want %d", len(inner), count)
	}
}

func TestAggregate(t *testing.T) {
	in := values(cols("g text", "x int4", "y numeric", "f float8", "b bool"),
		row("a", "1", "1.50", "1", "true"),
		row("a", "2", "2.50", "NULL", "false"),
		row("b", "NULL", "NULL", "3", "true"),
		row("NULL", "4", "4.0", "4", "NULL"),
		row("NULL", "4", "NULL", "NULL", "true"))
	x, y, f, b := col(1, "int4"), col(2, "numeric"), col(3, "float8"), col(4, "bool")
	n := &plan.Aggregate{Input: in, GroupBy: []plan.Expr{col(0, "text")}, Aggs: []plan.AggCall{
		{Func: "count", T: types.TInt8},
		{Func: "count", Arg: x, T: types.TInt8},
		{Func: "sum", Arg: x, T: types.TInt8},
		{Func: "avg", Arg: x, T: types.TNumeric},
		{Func: "sum", Arg: y, T: types.TNumeric},
		{Func: "avg", Arg: y, T: types.TNumeric},
		{Func: "min", Arg: x, T: types.TInt4},
		{Func: "max", Arg: y, T: types.TNumeric},
		{Func: "bool_and", Arg: b, T: types.TBool},
		{Func: "bool_or", Arg: b, T: types.TBool},
		{Func: "count", Arg: x, Distinct: true, T: types.TInt8},
		{Func: "sum", Arg: f, T: types.TFloat8},
		{Func: "avg", Arg: f, T: types.TFloat8},
	}}
	n.Cols = cols("g text", "c1 int8", "c2 int8", "s int8", "a numeric", "sy numeric", "ay numeric", "mn int4", "mx numeric",
		"ba bool", "bo bool", "cd int8", "sf float8", "af float8")
	sameRows(t, "grouped aggregates", mustRun(t, n), []string{
		"a|2|2|3|1.5000000000000000|4.00|2.0000000000000000|1|2.50|f|t|2|1|1",
		"b|1|0|NULL|NULL|NULL|NULL|NULL|NULL|t|t|0|3|3",
		"NULL|2|2|8|4.0000000000000000|4.0|4.0000000000000000|4|4.0|t|t|1|4|4",
	})
}

func TestAggregateEmptyInput(t *testing.T) {
	empty := &plan.Filter{Input: values(cols("x int4"), row("1")), Pred: lit("bool", "false")}
	aggs := []plan.AggCall{
		{Func: "count", T: types.TInt8},
		{Func: "sum", Arg: col(0, "int4"), T: types.TInt8},
		{Func: "avg", Arg: col(0, "int4"), T: types.TNumeric},
		{Func: "max", Arg: col(0, "int4"), T: types.TInt4},
	}
	got := mustRun(t, &plan.Aggregate{Input: empty, Aggs: aggs, Cols: cols("c int8", "s int8", "a numeric", "m int4")})
	sameOrder(t, "no GROUP BY over no rows", got, []string{"0|NULL|NULL|NULL"})
	got = mustRun(t, &plan.Aggregate{Input: empty, GroupBy: []plan.Expr{col(0, "int4")}, Aggs: aggs,
		Cols: cols("x int4", "c int8", "s int8", "a numeric", "m int4")})
	sameOrder(t, "GROUP BY over no rows", got, nil)
}

func TestAggregateSums(t *testing.T) {
	big := values(cols("x int8", "s int2", "iv interval", "f float4", "t text"),
		row("9223372036854775807", "1", "1 day", "0.1", "b"),
		row("10", "2", "12 hours", "0.2", "a"),
		row("-5", "NULL", "NULL", "NULL", "c"))
	n := &plan.Aggregate{Input: big, Aggs: []plan.AggCall{
		{Func: "sum", Arg: col(0, "int8"), T: types.TNumeric},
		{Func: "avg", Arg: col(0, "int8"), T: types.TNumeric},
		{Func: "avg", Arg: col(1, "int2"), T: types.TNumeric},
		{Func: "sum", Arg: col(2, "interval"), T: types.TInterval},
		{Func: "avg", Arg: col(2, "interval"), T: types.TInterval},
		{Func: "sum", Arg: col(3, "float4"), T: types.TFloat4},
		{Func: "min", Arg: col(4, "text"), T: types.TText},
		{Func: "max", Arg: col(4, "text"), T: types.TText},
	}, Cols: cols("a numeric", "b numeric", "c numeric", "d interval", "e interval", "f float4", "g text", "h text")}
	sameOrder(t, "sums beyond bigint", mustRun(t, n), []string{
		"9223372036854775812|3074457345618258604|1.5000000000000000|1 day 12:00:00|18:00:00|0.3|a|c"})
}

func TestSort(t *testing.T) {
	in := values(cols("x int4", "s text"),
		row("3", "c"), row("NULL", "n1"), row("1", "a"), row("3", "b"), row("NULL", "n2"), row("2", "a"))
	x, s := col(0, "int4"), col(1, "text")
	cases := []struct {
		name string
		keys []plan.SortKey
		want []string
	}{
		{"ASC NULLS LAST, stable", []plan.SortKey{{Expr: x}}, []string{"1|a", "2|a", "3|c", "3|b", "NULL|n1", "NULL|n2"}},
		{"DESC NULLS FIRST then ASC", []plan.SortKey{{Expr: x, Desc: true, NullsFirst: true}, {Expr: s}},
			[]string{"NULL|n1", "NULL|n2", "3|b", "3|c", "2|a", "1|a"}},
		{"ASC NULLS FIRST", []plan.SortKey{{Expr: x, NullsFirst: true}}, []string{"NULL|n1", "NULL|n2", "1|a", "2|a", "3|c", "3|b"}},
		{"text DESC", []plan.SortKey{{Expr: s, Desc: true}}, []string{"NULL|n2", "NULL|n1", "3|c", "3|b", "1|a", "2|a"}},
		{"expression key", []plan.SortKey{{Expr: op("%", "int4", x, lit("int4", "2")), Desc: true}, {Expr: s}},
			[]string{"1|a", "3|b", "3|c", "2|a", "NULL|n1", "NULL|n2"}},
	}
	for _, c := range cases {
		sameOrder(t, c.name, mustRun(t, &plan.Sort{Input: in, Keys: c.keys}), c.want)
	}
}

func TestSortManyRows(t *testing.T) {
	in := &plan.Values{Cols: cols("x int4")}
	for i := 0; i < 3*vector.BatchSize; i++ {
		in.Rows = append(in.Rows, []plan.Expr{lit("int4", fmt.Sprint((i*7919)%10007))})
	}
	got := mustRun(t, &plan.Sort{Input: in, Keys: []plan.SortKey{{Expr: col(0, "int4")}}})
	if len(got) != 3*vector.BatchSize {
		t.Fatalf("%d rows", len(got))
	}
	prev := -1
	for _, r := range got {
		var v int
		fmt.Sscan(r, &v)
		if v < prev {
			t.Fatalf("out of order: %d after %d", v, prev)
		}
		prev = v
	}
}

func TestLimitClosesInputEarly(t *testing.T) {
	src := &fakeSource{endless: true}
	remote := &plan.Remote{Source: "s", SQL: "SELECT n FROM numbers", Cols: cols("n int8")}
	r, err := Build(context.Background(), &plan.Limit{Input: remote, Count: 5, Offset: 3}, &Env{Source: src.lookup})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for {
		b, err := r.Next()
		if err != nil {
			t.Fatal(err)
		}
		if b == nil {
			break
		}
		for i := 0; i < b.Len; i++ {
			got = append(got, format(b.Cols[0], i))
		}
	}
	sameOrder(t, "limit 5 offset 3", got, []string{"3", "4", "5", "6", "7"})
	src.mu.Lock()
	closed := src.closed
	src.mu.Unlock()
	if closed != 1 {
		t.Errorf("the remote query was closed %d times before Run.Close, want 1", closed)
	}
	r.Close()
	r.Close()
}

func TestLimitZeroAndOffsetPastEnd(t *testing.T) {
	in := values(cols("x int4"), row("1"), row("2"), row("3"))
	sameOrder(t, "limit 0", mustRun(t, &plan.Limit{Input: in, Count: 0}), nil)
	sameOrder(t, "offset past end", mustRun(t, &plan.Limit{Input: in, Count: -1, Offset: 5}), nil)
	sameOrder(t, "offset only", mustRun(t, &plan.Limit{Input: in, Count: -1, Offset: 1}), []string{"2", "3"})
}

func TestSetOperations(t *testing.T) {
	l := values(cols("x int4"), row("1"), row("1"), row("2"), row("NULL"), row("NULL"), row("3"))
	r := values(cols("x int4"), row("1"), row("NULL"), row("4"), row("3"), row("3"))
	cases := []struct {
		kind plan.SetOpKind
		all  bool
		want []string
	}{
		{plan.Union, false, []string{"1", "2", "NULL", "3", "4"}},
		{plan.Union, true, []string{"1", "1", "2", "NULL", "NULL", "3", "1", "NULL", "4", "3", "3"}},
		{plan.Intersect, false, []string{"1", "NULL", "3"}},
		{plan.Intersect, true, []string{"1", "NULL", "3"}},
		{plan.Except, false, []string{"2"}},
		{plan.Except, true, []string{"1", "2", "NULL"}},
	}
	for _, c := range cases {
		got := mustRun(t, &plan.SetOp{Kind: c.kind, All: c.all, Left: l, Right: r, Cols: cols("x int4")})
		sameRows(t, fmt.Sprintf("set operation %d all=%v", c.kind, c.all), got, c.want)
	}
}

func TestDistinct(t *testing.T) {
	in := values(cols("x int4", "y numeric"), row("1", "1.0"), row("NULL", "2"), row("1", "1.00"), row("NULL", "2"), row("2", "NULL"))
	sameOrder(t, "distinct", mustRun(t, &plan.Distinct{Input: in}), []string{"1|1.0", "NULL|2", "2|NULL"})
}

func TestSubqueries(t *testing.T) {
	one := values(cols("x int4"), row("5"))
	two := values(cols("x int4"), row("1"), row("NULL"))
	none := &plan.Filter{Input: one, Pred: lit("bool", "false")}
	sq := func(kind plan.SubqueryKind, p plan.Node, arg plan.Expr, negated bool, t types.Type) plan.Expr {
		return &plan.Subquery{Kind: kind, Plan: p, Arg: arg, Negated: negated, T: t}
	}
	words := values(cols("w text"), row("a"), row("b c"), row("NULL"), row(`q"`))
	runExprCases(t, []exprCase{
		{"scalar", sq(plan.ScalarSubquery, one, nil, false, types.TInt4), "5", ""},
		{"scalar of no rows", sq(plan.ScalarSubquery, none, nil, false, types.TInt4), "NULL", ""},
		{"scalar of two rows", sq(plan.ScalarSubquery, two, nil, false, types.TInt4), "", "21000"},
		{"exists", sq(plan.ExistsSubquery, one, nil, false, types.TBool), "t", ""},
		{"not exists", sq(plan.ExistsSubquery, none, nil, true, types.TBool), "t", ""},
		{"in", sq(plan.InSubquery, two, lit("int4", "1"), false, types.TBool), "t", ""},
		{"in with NULL", sq(plan.InSubquery, two, lit("int4", "3"), false, types.TBool), "NULL", ""},
		{"NULL in empty", sq(plan.InSubquery, none, lit("int4", "NULL"), false, types.TBool), "f", ""},
		{"not in", sq(plan.InSubquery, one, lit("int4", "3"), true, types.TBool), "t", ""},
		{"not in with NULL", sq(plan.InSubquery, two, lit("int4", "3"), true, types.TBool), "NULL", ""},
		{"array", sq(plan.ArraySubquery, words, nil, false, types.Type{Kind: types.TextArray}), `{a,"b c",NULL,"q\""}`, ""},
		{"array of nothing", sq(plan.ArraySubquery, none, nil, false, types.Type{Kind: types.TextArray}), "{}", ""},
	})
}

func TestCorrelatedSubqueries(t *testing.T) {
	outer := values(cols("x int4"), row("1"), row("2"), row("3"), row("2"), row("NULL"))
	inner := values(cols("y int4"), row("1"), row("2"), row("2"))
	outerX := &plan.OuterRef{Index: 0, T: types.TInt4, Name: "x"}
	count := &plan.Aggregate{
		Input: &plan.Filter{Input: inner, Pred: boolOp("<", col(0, "int4"), outerX)},
		Aggs:  []plan.AggCall{{Func: "count", T: types.TInt8}}, Cols: cols("c int8")}
	n := &plan.Project{Input: outer, Cols: cols("x int4", "c int8"), Exprs: []plan.Expr{col(0, "int4"),
		&plan.Subquery{Kind: plan.ScalarSubquery, Plan: count, Correlated: true, T: types.TInt8}}}
	sameOrder(t, "correlated scalar", mustRun(t, n), []string{"1|0", "2|1", "3|3", "2|1", "NULL|0"})

	exists := &plan.Filter{Input: outer, Pred: &plan.Subquery{Kind: plan.ExistsSubquery, Correlated: true, T: types.TBool,
		Plan: &plan.Filter{Input: inner, Pred: boolOp("=", col(0, "int4"), outerX)}}}
	sameOrder(t, "correlated exists", mustRun(t, exists), []string{"1", "2", "2"})

	// x IN (SELECT y FROM inner WHERE y <> x - 1): for x = 2 the 1 is
	// excluded but 2 remains; for NULL the subquery is empty.
	in := &plan.Project{Input: outer, Cols: cols("x int4", "r bool"), Exprs: []plan.Expr{col(0, "int4"),
		&plan.Subquery{Kind: plan.InSubquery, Correlated: true, T: types.TBool, Arg: col(0, "int4"),
			Plan: &plan.Filter{Input: inner, Pred: boolOp("<>", col(0, "int4"), op("-", "int4", outerX, lit("int4", "1")))}}}}
	sameOrder(t, "correlated in", mustRun(t, in), []string{"1|t", "2|t", "3|f", "2|t", "NULL|f"})
}

func TestRemoteQueriesRunConcurrently(t *testing.T) {
	left := cols("id int4", "name text")
	right := cols("id int4", "amount numeric")
	src := &fakeSource{
		results: map[string][]*vector.Batch{
			"SELECT id, name FROM customers": {batchOf(left, row("1", "ann"), row("2", "bob"))},
			"SELECT id, amount FROM orders":  {batchOf(right, row("1", "9.50"), row("1", "1.25")), batchOf(right, row("3", "4"))},
		},
		started: make(chan string, 2),
		gate:    make(chan struct{}),
	}
	join := &plan.Join{Kind: plan.Left,
		Left:  &plan.Remote{Source: "crm", SQL: "SELECT id, name FROM customers", Cols: left},
		Right: &plan.Remote{Source: "shop", SQL: "SELECT id, amount FROM orders", Cols: right},
		Cond:  equiCond}
	done := make(chan []string)
	errs := make(chan error, 1)
	go func() {
		rows, err := runPlan(t, join, &Env{Source: src.lookup})
		if err != nil {
			errs <- err
			return
		}
		done <- rows
	}()
	// Neither query returns a row before both have started: the join can
	// only finish if the left query starts while the right one is read.
	for i := 0; i < 2; i++ {
		select {
		case <-src.started:
		case err := <-errs:
			t.Fatal(err)
		case <-time.After(5 * time.Second):
			t.Fatal("the remote queries did not start together")
		}
	}
	close(src.gate)
	select {
	case rows := <-done:
		sameRows(t, "cross-source join", rows, []string{"1|ann|1|9.50", "1|ann|1|1.25", "2|bob|NULL|NULL"})
	case err := <-errs:
		t.Fatal(err)
	case <-time.After(5 * time.Second):
		t.Fatal("join did not finish")
	}
	if src.closed != 2 {
		t.Errorf("%d remote results closed, want 2", src.closed)
	}
}

func TestCloseCancelsRemoteQueries(t *testing.T) {
	src := &fakeSource{endless: true}
	remote := &plan.Remote{Source: "s", SQL: "SELECT n FROM numbers", Cols: cols("n int8")}
	r, err := Build(context.Background(), &plan.Filter{Input: remote, Pred: lit("bool", "true")}, &Env{Source: src.lookup})
	if err != nil {
		t.Fatal(err)
	}
	if b, err := r.Next(); err != nil || b == nil {
		t.Fatalf("first batch: %v %v", b, err)
	}
	start := time.Now()
	r.Close()
	if d := time.Since(start); d > time.Second {
		t.Errorf("Close took %v", d)
	}
	src.mu.Lock()
	defer src.mu.Unlock()
	if src.closed != 1 {
		t.Errorf("remote result closed %d times, want 1", src.closed)
	}
	if b, err := r.Next(); b != nil || err != nil {
		t.Errorf("Next after Close = %v, %v", b, err)
	}
}

func TestCancelledContext(t *testing.T) {
	src := &fakeSource{endless: true}
	ctx, cancel := context.WithCancel(context.Background())
	remote := &plan.Remote{Source: "s", SQL: "SELECT n FROM numbers", Cols: cols("n int8")}
	r, err := Build(ctx, &plan.Sort{Input: remote, Keys: []plan.SortKey{{Expr: col(0, "int8")}}}, &Env{Source: src.lookup})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	go func() {
		time.Sleep(50 * time.Millisecond)
		cancel()
	}()
	_, err = r.Next()
	wantCode(t, "cancelled sort of an endless source", err, "57014")
}

func TestRemoteErrorPassesThrough(t *testing.T) {
	src := &fakeSource{results: map[string][]*vector.Batch{}}
	_, err := runPlan(t, &plan.Remote{Source: "s", SQL: "SELECT broken", Cols: cols("x int4")}, &Env{Source: src.lookup})
	wantCode(t, "source error", err, "HV000")
	if err == nil || !strings.Contains(err.Error(), "SELECT broken") {
		t.Errorf("error %v does not carry the source's message", err)
	}
}

func TestAnalyzeStats(t *testing.T) {
	c := cols("x int4")
	src := &fakeSource{results: map[string][]*vector.Batch{"q": {batchOf(c, row("1"), row("2"), row("3")), batchOf(c, row("4"))}}}
	remote := &plan.Remote{Source: "s", SQL: "q", Cols: c}
	filter := &plan.Filter{Input: remote, Pred: boolOp(">", col(0, "int4"), lit("int4", "2"))}
	r, err := Build(context.Background(), filter, &Env{Source: src.lookup, Analyze: true})
	if err != nil {
		t.Fatal(err)
	}
	for {
		b, err := r.Next()
		if err != nil {
			t.Fatal(err)
		}
		if b == nil {
			break
		}
	}
	r.Close()
	fs, ok := r.Stats(filter)
	if !ok || fs.Rows != 2 {
		t.Errorf("filter stats %+v %v, want 2 rows", fs, ok)
	}
	rs, ok := r.Stats(remote)
	if !ok || rs.Rows != 4 || rs.Batches != 2 || rs.SourceRows != 4 || rs.SourceBytes != 32 || rs.SourceTime <= 0 {
		t.Errorf("remote stats %+v %v", rs, ok)
	}
}

func TestBuildErrors(t *testing.T) {
	_, err := Build(context.Background(), &plan.Scan{Table: plan.TableRef{Source: "s", Name: "t"}}, nil)
	wantCode(t, "scan", err, "XX000")
	_, err = Build(context.Background(), &plan.Aggregate{Input: values(cols("x text"), row("a")),
		Aggs: []plan.AggCall{{Func: "xmlagg", Arg: col(0, "text"), T: types.TText}}}, nil)
	wantCode(t, "unknown aggregate", err, "0A000")
	_, err = Build(context.Background(), &plan.Aggregate{Input: values(cols("x text"), row("a")),
		Aggs: []plan.AggCall{{Func: "string_agg", Arg: col(0, "text"), T: types.TText}}}, nil)
	wantCode(t, "string_agg without delimiter", err, "42883")
}

func TestJoinEmptySides(t *testing.T) {
	empty := &plan.Filter{Input: joinRight, Pred: lit("bool", "false")}
	emptyLeft := &plan.Filter{Input: joinLeft, Pred: lit("bool", "false")}
	for name, cond := range map[string]plan.Expr{"hash": equiCond, "nested loop": loopCond} {
		sameRows(t, "full join with empty right "+name,
			mustRun(t, &plan.Join{Kind: plan.Full, Left: joinLeft, Right: empty, Cond: cond}),
			[]string{"1|a|NULL|NULL", "2|b|NULL|NULL", "2|b2|NULL|NULL", "NULL|n|NULL|NULL", "4|d|NULL|NULL"})
		sameRows(t, "right join with empty left "+name,
			mustRun(t, &plan.Join{Kind: plan.Right, Left: emptyLeft, Right: joinRight, Cond: cond}),
			[]string{"NULL|NULL|2|x", "NULL|NULL|2|y", "NULL|NULL|3|z", "NULL|NULL|NULL|rn", "NULL|NULL|1|w"})
		sameRows(t, "anti join with empty right "+name,
			mustRun(t, &plan.Join{Kind: plan.Anti, Left: joinLeft, Right: empty, Cond: cond}),
			[]string{"1|a", "2|b", "2|b2", "NULL|n", "4|d"})
		sameRows(t, "semi join with empty right "+name,
			mustRun(t, &plan.Join{Kind: plan.Semi, Left: joinLeft, Right: empty, Cond: cond}), nil)
	}
	sameRows(t, "cross join with empty side",
		mustRun(t, &plan.Join{Kind: plan.Cross, Left: joinLeft, Right: empty}), nil)
}

// TestJoinKeyTypes joins on text, numeric and multi-column keys, where
// equality is PostgreSQL's (1.0 = 1.00) rather than representation.
func TestJoinKeyTypes(t *testing.T) {
	l := values(cols("a text", "b numeric"), row("x", "1.0"), row("y", "2"), row("x", "NULL"))
	r := values(cols("a text", "b numeric"), row("x", "1.00"), row("y", "2.5"), row("x", "NULL"))
	cond := boolOp("AND", boolOp("=", col(0, "text"), col(2, "text")), boolOp("=", col(1, "numeric"), col(3, "numeric")))
	sameRows(t, "two-column key", mustRun(t, &plan.Join{Kind: plan.Full, Left: l, Right: r, Cond: cond}), []string{
		"x|1.0|x|1.00", "y|2|NULL|NULL", "x|NULL|NULL|NULL", "NULL|NULL|y|2.5", "NULL|NULL|x|NULL"})
}

func TestRowsFillError(t *testing.T) {
	n := &plan.Rows{Name: "t", Cols: cols("a int4"), Fill: func() ([][]types.Datum, error) {
		return nil, pgerr.New(pgerr.UndefinedTable, "gone")
	}}
	_, err := runPlan(t, n, nil)
	wantCode(t, "fill error", err, "42P01")
}

func TestStringAgg(t *testing.T) {
	in := values(cols("g int4", "s text", "d text"),
		row("1", "a", ","), row("1", "NULL", ";"), row("1", "b", ";"), row("1", "a", "NULL"), row("2", "NULL", ","))
	agg := func(distinct bool) plan.AggCall {
		args := []plan.Expr{col(1, "text"), col(2, "text")}
		return plan.AggCall{Func: "string_agg", Arg: args[0], Args: args, Distinct: distinct, T: types.TText}
	}
	n := &plan.Aggregate{Input: in, GroupBy: []plan.Expr{col(0, "int4")}, Aggs: []plan.AggCall{agg(false), agg(true)},
		Cols: cols("g int4", "s text", "ds text")}
	sameRows(t, "string_agg", mustRun(t, n), []string{"1|a;ba|a;b", "2|NULL|NULL"})
}
