package executor

import (
	"testing"

	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
)

func TestGroupingSets(t *testing.T) {
	in := values(cols("g text", "h text", "x int4"),
		row("a", "p", "1"), row("a", "q", "2"), row("b", "p", "4"), row("NULL", "p", "8"))
	g, h := col(0, "text"), col(1, "text")
	n := &plan.Aggregate{Input: in, GroupBy: []plan.Expr{g, h},
		Sets: [][]int{{0, 1}, {0}, {}, {}},
		Aggs: []plan.AggCall{
			{Func: "sum", Arg: col(2, "int4"), T: types.TInt8},
			{Func: "grouping", Args: []plan.Expr{g, h}, Arg: g, GroupingKeys: []int{0, 1}, T: types.TInt4},
			{Func: "grouping", Args: []plan.Expr{h}, Arg: h, GroupingKeys: []int{1}, T: types.TInt4},
		},
		Cols: cols("g text", "h text", "s int8", "gg int4", "gh int4")}
	sameRows(t, "rollup with an extra empty set", mustRun(t, n), []string{
		"a|p|1|0|0", "a|q|2|0|0", "b|p|4|0|0", "NULL|p|8|0|0",
		"a|NULL|3|1|1", "b|NULL|4|1|1", "NULL|NULL|8|1|1",
		"NULL|NULL|15|3|1", "NULL|NULL|15|3|1",
	})

	empty := &plan.Filter{Input: in, Pred: lit("bool", "false")}
	n.Input = empty
	sameRows(t, "over no rows only the empty sets yield a row", mustRun(t, n), []string{"NULL|NULL|NULL|3|1", "NULL|NULL|NULL|3|1"})
}

func TestStatisticalAggregates(t *testing.T) {
	in := values(cols("x int4", "y float8"), row("1", "2.0"), row("2", "3.5"), row("4", "4.0"), row("NULL", "1.0"))
	x, y := col(0, "int4"), col(1, "float8")
	xf, xn := cast(x, "float8"), cast(x, "numeric")
	n := &plan.Aggregate{Input: in, Aggs: []plan.AggCall{
		{Func: "var_pop", Arg: xf, T: types.TFloat8},
		{Func: "var_samp", Arg: xn, T: types.TNumeric},
		{Func: "stddev", Arg: x, T: types.TNumeric},
		{Func: "corr", Arg: xf, Args: []plan.Expr{xf, y}, T: types.TFloat8},
		{Func: "regr_slope", Arg: xf, Args: []plan.Expr{xf, y}, T: types.TFloat8},
		{Func: "bit_and", Arg: x, T: types.TInt4},
		{Func: "bit_xor", Arg: x, T: types.TInt4},
	}, Cols: cols("a float8", "b numeric", "c numeric", "d float8", "e float8", "f int4", "g int4")}
	// PostgreSQL 15's answers.
	sameOrder(t, "statistics", mustRun(t, n), []string{
		"1.5555555555555556|2.3333333333333333|1.5275252316519467|0.8910421112136305|1.3076923076923077|0|7"})
}

func TestOrderedAggregates(t *testing.T) {
	in := values(cols("x int4"), row("1"), row("2"), row("2"), row("4"), row("NULL"))
	x := col(0, "int4")
	xf := cast(x, "float8")
	asc, desc, nullsFirst := []plan.SortOrder{{}}, []plan.SortOrder{{Desc: true, NullsFirst: true}}, []plan.SortOrder{{NullsFirst: true}}
	frac := func(s string) plan.Expr { return lit("float8", s) }
	n := &plan.Aggregate{Input: in, Aggs: []plan.AggCall{
		{Func: "percentile_cont", Arg: xf, Args: []plan.Expr{xf, frac("0.25"), xf}, Direct: 1, Order: asc, T: types.TFloat8},
		{Func: "percentile_disc", Arg: x, Args: []plan.Expr{x, frac("0.5"), x}, Direct: 1, Order: asc, T: types.TInt4},
		{Func: "mode", Arg: x, Args: []plan.Expr{x, x}, Order: asc, T: types.TInt4},
		{Func: "rank", Args: []plan.Expr{lit("int4", "2"), x}, Direct: 1, Order: asc, T: types.TInt8},
		{Func: "dense_rank", Args: []plan.Expr{lit("int4", "3"), x}, Direct: 1, Order: desc, T: types.TInt8},
		{Func: "percent_rank", Args: []plan.Expr{lit("int4", "2"), x}, Direct: 1, Order: asc, T: types.TFloat8},
		{Func: "cume_dist", Args: []plan.Expr{lit("int4", "2"), x}, Direct: 1, Order: nullsFirst, T: types.TFloat8},
		{Func: "string_agg", Arg: cast(x, "text"), Args: []plan.Expr{cast(x, "text"), lit("text", ","), x}, Order: desc, T: types.TText},
	}, Cols: cols("a float8", "b int4", "c int4", "d int8", "e int8", "f float8", "g float8", "h text")}
	// PostgreSQL 15's answers.
	sameOrder(t, "ordered aggregates", mustRun(t, n), []string{"1.75|2|2|2|3|0.2|0.8333333333333334|4,2,2,1"})
}
