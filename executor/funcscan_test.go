package executor

import (
	"context"
	"fmt"
	"testing"

	"github.com/junction-db/junction/executor/functions"
	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
	"github.com/junction-db/junction/vector"
)

// funcScan builds a FuncScan the way the planner does: ResolveSetFunc
// decides the columns and the argument casts.
func funcScan(t *testing.T, name string, args ...plan.Expr) *plan.FuncScan {
	t.Helper()
	argTypes := make([]types.Type, len(args))
	for i, a := range args {
		argTypes[i] = a.Type()
	}
	columns, castTo, ok := functions.ResolveSetFunc(name, argTypes)
	if !ok {
		t.Fatalf("no set-returning function %s%v", name, argTypes)
	}
	for i := range args {
		if castTo != nil && castTo[i].Kind != args[i].Type().Kind {
			args[i] = &plan.Cast{Arg: args[i], T: castTo[i]}
		}
	}
	out := &plan.FuncScan{Name: name, Args: args, Cols: append([]plan.Column{}, columns...)}
	for i := range out.Cols {
		if out.Cols[i].Name == "" {
			out.Cols[i].Name = name
		}
	}
	return out
}

func TestGenerateSeries(t *testing.T) {
	i4 := func(v string) plan.Expr { return lit("int4", v) }
	cases := []struct {
		name string
		scan *plan.FuncScan
		want []string
	}{
		{"up", funcScan(t, "generate_series", i4("1"), i4("3")), []string{"1", "2", "3"}},
		{"down by two", funcScan(t, "generate_series", i4("5"), i4("1"), i4("-2")), []string{"5", "3", "1"}},
		{"empty", funcScan(t, "generate_series", i4("3"), i4("1")), nil},
		{"NULL bound", funcScan(t, "generate_series", i4("1"), i4("NULL")), nil},
		{"int8 near the top stops before overflowing", funcScan(t, "generate_series", lit("int8", "9223372036854775806"), lit("int8", "9223372036854775807")),
			[]string{"9223372036854775806", "9223372036854775807"}},
		{"numeric keeps the scale", funcScan(t, "generate_series", lit("numeric", "1.5"), lit("numeric", "3"), lit("numeric", "0.5")),
			[]string{"1.5", "2.0", "2.5", "3.0"}},
		{"timestamps by interval", funcScan(t, "generate_series", lit("timestamp", "2024-01-30"), lit("timestamp", "2024-04-01"), lit("interval", "1 month")),
			[]string{"2024-01-30 00:00:00", "2024-02-29 00:00:00", "2024-03-29 00:00:00"}},
		{"dates read as timestamptz", funcScan(t, "generate_series", lit("date", "2024-01-01"), lit("date", "2024-01-02"), lit("interval", "12 hours")),
			[]string{"2024-01-01 00:00:00+00", "2024-01-01 12:00:00+00", "2024-01-02 00:00:00+00"}},
	}
	for _, c := range cases {
		sameOrder(t, c.name, mustRun(t, c.scan), c.want)
	}
	_, err := runPlan(t, funcScan(t, "generate_series", i4("1"), i4("5"), i4("0")), nil)
	wantCode(t, "step 0", err, pgerr.InvalidParameterValue)
	_, err = runPlan(t, funcScan(t, "generate_series", lit("timestamp", "2024-01-01"), lit("timestamp", "2024-01-02"), lit("interval", "0 days")), nil)
	wantCode(t, "interval step 0", err, pgerr.InvalidParameterValue)
}

func TestGenerateSeriesStreamsInBatches(t *testing.T) {
	n := 3*vector.BatchSize + 7
	r, err := Build(context.Background(), funcScan(t, "generate_series", lit("int8", "1"), lit("int8", fmt.Sprint(n))), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	total, batches := 0, 0
	var last int64
	for {
		b, err := r.Next()
		if err != nil {
			t.Fatal(err)
		}
		if b == nil {
			break
		}
		if b.Len > vector.BatchSize {
			t.Fatalf("batch of %d rows, more than %d", b.Len, vector.BatchSize)
		}
		total += b.Len
		batches++
		last = b.Cols[0].Int[b.Len-1]
	}
	if total != n || last != int64(n) || batches != 4 {
		t.Errorf("got %d rows in %d batches ending at %d, want %d rows in 4 batches", total, batches, last, n)
	}
}

func TestUnnestAndOptions(t *testing.T) {
	unnest := funcScan(t, "unnest", arrayLit(textArray, `{a,NULL,"b c"}`))
	sameOrder(t, "unnest text[]", mustRun(t, unnest), []string{"a", "NULL", "b c"})
	if got := unnest.Cols[0].Type; got.Kind != types.Text {
		t.Errorf("unnest(text[]) yields %s, want text", got)
	}
	vec := funcScan(t, "unnest", arrayLit(int2Vector, "3 1 2"))
	sameOrder(t, "unnest int2vector", mustRun(t, vec), []string{"3", "1", "2"})
	if got := vec.Cols[0].Type; got.Kind != types.Int2 {
		t.Errorf("unnest(int2vector) yields %s, want smallint", got)
	}
	sameOrder(t, "unnest of two dimensions", mustRun(t, funcScan(t, "unnest", arrayLit(int2Array, "{{1,2},{3,4}}"))), []string{"1", "2", "3", "4"})
	sameOrder(t, "unnest NULL", mustRun(t, funcScan(t, "unnest", arrayLit(textArray, "NULL"))), nil)

	withOrdinality := funcScan(t, "unnest", arrayLit(textArray, `{x,y}`))
	withOrdinality.Ordinality = true
	withOrdinality.Cols = append(withOrdinality.Cols, plan.Column{Name: "ordinality", Type: types.TInt8})
	sameOrder(t, "WITH ORDINALITY", mustRun(t, withOrdinality), []string{"x|1", "y|2"})

	options := funcScan(t, "pg_options_to_table", arrayLit(textArray, `{host=db,"opt=a=b",flag}`))
	if len(options.Cols) != 2 || options.Cols[0].Name != "option_name" || options.Cols[1].Name != "option_value" {
		t.Errorf("pg_options_to_table columns are %v", options.Cols)
	}
	sameOrder(t, "pg_options_to_table", mustRun(t, options), []string{"host|db", "opt|a=b", "flag|NULL"})

	if _, _, ok := functions.ResolveSetFunc("unnest", []types.Type{types.TInt4}); ok {
		t.Errorf("unnest(integer) resolved")
	}
	if !functions.IsSetFunc("generate_series") || functions.IsSetFunc("lower") {
		t.Errorf("IsSetFunc does not tell set-returning functions apart")
	}
}

// TestFuncScanReadsOuterRow runs a correlated subquery whose function in
// FROM takes its argument from the outer row, once per outer row.
func TestFuncScanReadsOuterRow(t *testing.T) {
	outer := values(cols("n int4"), row("2"), row("3"), row("NULL"))
	series := funcScan(t, "generate_series", lit("int4", "1"), &plan.OuterRef{Index: 0, T: types.TInt4, Name: "n"})
	sum := &plan.Aggregate{
		Input: series,
		Aggs:  []plan.AggCall{{Func: "count", T: types.TInt8}},
		Cols:  cols("count int8"),
	}
	project := &plan.Project{
		Input: outer,
		Exprs: []plan.Expr{col(0, "int4"), &plan.Subquery{Kind: plan.ScalarSubquery, Plan: sum, Correlated: true, T: types.TInt8}},
		Cols:  cols("n int4", "count int8"),
	}
	sameOrder(t, "count(*) FROM generate_series(1, outer.n)", mustRun(t, project), []string{"2|2", "3|3", "NULL|0"})
}
