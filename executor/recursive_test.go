package executor

import (
	"testing"

	"github.com/junction-db/junction/plan"
)

// counter is WITH RECURSIVE t(n) AS (VALUES (1) UNION [ALL] SELECT
// step(n) FROM t WHERE n < upTo).
func counter(all bool, step plan.Expr, upTo string) *plan.RecursiveUnion {
	c := cols("n int4")
	work := &plan.WorkTable{Name: "t", ID: 1, Cols: c}
	return &plan.RecursiveUnion{
		Name: "t", ID: 1, All: all, Cols: c, MaxIterations: 1000, MaxRows: 1000,
		Init: values(c, row("1")),
		Recur: &plan.Project{
			Input: &plan.Filter{Input: work, Pred: boolOp("<", col(0, "int4"), lit("int4", upTo))},
			Exprs: []plan.Expr{step}, Cols: c,
		},
	}
}

func TestRecursiveUnionReadsOnlyThePreviousRound(t *testing.T) {
	n := counter(true, op("+", "int4", col(0, "int4"), lit("int4", "1")), "5")
	sameOrder(t, "counter", mustRun(t, n), []string{"1", "2", "3", "4", "5"})
}

func TestRecursiveUnionDropsRowsOfEarlierRounds(t *testing.T) {
	// n*2 % 7 cycles 1, 2, 4, 1: UNION stops at the repeat.
	step := op("%", "int4", op("*", "int4", col(0, "int4"), lit("int4", "2")), lit("int4", "7"))
	sameOrder(t, "cycle", mustRun(t, counter(false, step, "100")), []string{"1", "2", "4"})
	_, err := runPlan(t, counter(true, step, "100"), nil)
	wantCode(t, "UNION ALL over a cycle", err, "54000")
}

func TestRecursiveUnionStopsUnderALimit(t *testing.T) {
	n := &plan.Limit{Input: counter(true, op("+", "int4", col(0, "int4"), lit("int4", "1")), "100000"), Count: 3}
	sameOrder(t, "limited", mustRun(t, n), []string{"1", "2", "3"})
}

func TestDistinctOnKeepsTheFirstRowOfEachGroup(t *testing.T) {
	in := values(cols("k numeric", "v text"),
		row("1.0", "a"), row("1.00", "b"), row("2", "c"), row("NULL", "d"), row("NULL", "e"))
	sameOrder(t, "distinct on", mustRun(t, &plan.DistinctOn{Input: in, Keys: []int{0}}), []string{"1.0|a", "2|c", "NULL|d"})
}

func TestLimitTies(t *testing.T) {
	in := values(cols("k int4", "v text"),
		row("1", "a"), row("2", "b"), row("2", "c"), row("2", "d"), row("3", "e"))
	for _, c := range []struct {
		count, offset int64
		want          []string
	}{
		{2, 0, []string{"1|a", "2|b", "2|c", "2|d"}},
		{1, 1, []string{"2|b", "2|c", "2|d"}},
		{4, 0, []string{"1|a", "2|b", "2|c", "2|d"}},
		{0, 0, nil},
		{9, 0, []string{"1|a", "2|b", "2|c", "2|d", "3|e"}},
	} {
		got := mustRun(t, &plan.LimitTies{Input: in, Count: c.count, Offset: c.offset, Keys: []int{0}})
		sameOrder(t, "with ties", got, c.want)
	}
}

func TestApplyRunsTheRightSidePerLeftRow(t *testing.T) {
	left := values(cols("n int4"), row("0"), row("2"), row("NULL"), row("2"))
	right := &plan.FuncScan{Name: "generate_series", Args: []plan.Expr{lit("int4", "1"), &plan.OuterRef{Index: 0, T: typ("int4")}}, Cols: cols("g int4")}
	inner := &plan.Apply{Kind: plan.Inner, Left: left, Right: right}
	sameOrder(t, "inner apply", mustRun(t, inner), []string{"2|1", "2|2", "2|1", "2|2"})
	outer := &plan.Apply{Kind: plan.Left, Left: left, Right: right, Cond: boolOp("<>", col(1, "int4"), lit("int4", "1"))}
	sameOrder(t, "left apply", mustRun(t, outer), []string{"0|NULL", "2|2", "NULL|NULL", "2|2"})
}
