package executor

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/junction-db/junction/executor/memory"
	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
	"github.com/junction-db/junction/vector"
)

// spillRows makes n rows (id int4, pad text) whose ids repeat every
// distinct values and are NULL every 97th row.
func spillRows(n, distinct int, tag string) *plan.Values {
	rows := make([][]string, n)
	for i := range rows {
		id := strconv.Itoa((i * 7919) % distinct)
		if i%97 == 0 {
			id = "NULL"
		}
		rows[i] = row(id, fmt.Sprintf("%s-%06d-padding-padding", tag, i))
	}
	return values(cols("id int4", "pad text"), rows...)
}

// tinyBudget runs a plan with a budget far below its inputs, checking
// that the temporary directory is empty once the run is closed.
func tinyBudget(t *testing.T, n plan.Node, limit int64) ([]string, *memory.Budget, error) {
	t.Helper()
	dir := t.TempDir()
	budget := memory.NewBudget(memory.NewPool(0), limit, dir)
	rows, err := runPlan(t, n, &Env{Memory: budget})
	left, _ := filepath.Glob(filepath.Join(dir, "*"))
	if len(left) > 0 {
		t.Errorf("temporary files left after the run: %v", left)
	}
	return rows, budget, err
}

func TestHashJoinSpills(t *testing.T) {
	left := spillRows(6000, 3000, "l")
	right := spillRows(5000, 2500, "r")
	cond := boolOp("=", col(0, "int4"), col(2, "int4"))
	residual := boolOp("AND", cond, boolOp("<>", col(3, "text"), lit("text", "r-000007-padding-padding")))
	for _, kind := range []plan.JoinKind{plan.Inner, plan.Left, plan.Right, plan.Full, plan.Semi, plan.Anti} {
		for name, c := range map[string]plan.Expr{"keys": cond, "residual": residual} {
			n := &plan.Join{Kind: kind, Left: left, Right: right, Cond: c}
			want := mustRun(t, n)
			got, budget, err := tinyBudget(t, n, 64<<10)
			if err != nil {
				t.Fatalf("%s %s: %v", kind, name, err)
			}
			if budget.Spilled() == 0 {
				t.Errorf("%s %s: nothing spilled", kind, name)
			}
			sameRows(t, kind.String()+" "+name, got, want)
		}
	}
}

func TestNestedLoopOutOfMemory(t *testing.T) {
	n := &plan.Join{Kind: plan.Inner, Left: spillRows(100, 10, "l"), Right: spillRows(5000, 10, "r"),
		Cond: boolOp("NOT", boolOp("<>", col(0, "int4"), col(2, "int4")))}
	_, _, err := tinyBudget(t, n, 64<<10)
	wantCode(t, "nested loop over budget", err, "53200")
}

func TestSortSpills(t *testing.T) {
	input := spillRows(20000, 500, "s")
	for name, keys := range map[string][]plan.SortKey{
		"asc":                    {{Expr: col(0, "int4")}},
		"desc nulls first, text": {{Expr: col(0, "int4"), Desc: true, NullsFirst: true}, {Expr: col(1, "text")}},
	} {
		n := &plan.Sort{Input: input, Keys: keys}
		want := mustRun(t, n)
		got, budget, err := tinyBudget(t, n, 256<<10)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if budget.Spilled() == 0 {
			t.Errorf("%s: nothing spilled", name)
		}
		sameOrder(t, name, got, want)
	}
}

func TestHashAggregateSpills(t *testing.T) {
	input := spillRows(30000, 20000, "a")
	n := &plan.Aggregate{Input: input, GroupBy: []plan.Expr{col(0, "int4")},
		Aggs: []plan.AggCall{{Func: "count", T: types.TInt8}, {Func: "max", Arg: col(1, "text"), T: types.TText},
			{Func: "sum", Arg: col(0, "int4"), T: types.TInt8}},
		Cols: cols("id int4", "c int8", "m text", "s int8")}
	want := mustRun(t, n)
	got, budget, err := tinyBudget(t, n, 256<<10)
	if err != nil {
		t.Fatal(err)
	}
	if budget.Spilled() == 0 {
		t.Errorf("nothing spilled")
	}
	sameRows(t, "grouped", got, want)
}

func TestAggregateOutOfMemory(t *testing.T) {
	n := &plan.Aggregate{Input: spillRows(30000, 10, "a"),
		Aggs: []plan.AggCall{{Func: "string_agg", Args: []plan.Expr{col(1, "text"), lit("text", ",")}, T: types.TText}},
		Cols: cols("s text")}
	_, _, err := tinyBudget(t, n, 256<<10)
	wantCode(t, "string_agg over budget", err, "53200")
}

func TestNonSpillingOperatorsOutOfMemory(t *testing.T) {
	input := spillRows(30000, 30000, "x")
	for name, n := range map[string]plan.Node{
		"distinct":  &plan.Distinct{Input: input},
		"union":     &plan.SetOp{Kind: plan.Union, Left: input, Right: spillRows(10, 10, "y")},
		"intersect": &plan.SetOp{Kind: plan.Intersect, Left: input, Right: spillRows(10, 10, "y")},
	} {
		_, _, err := tinyBudget(t, n, 256<<10)
		wantCode(t, name, err, "53200")
	}
}

// An aggregation that runs in parallel when it outgrows its budget
// merges its workers' groups, then spills.
func TestParallelAggregateSpills(t *testing.T) {
	rows := make([][]string, 200000)
	for i := range rows {
		rows[i] = row(strconv.Itoa(i/4), "v")
	}
	n := &plan.Aggregate{Input: values(cols("id int4", "pad text"), rows...), GroupBy: []plan.Expr{col(0, "int4")},
		Aggs: []plan.AggCall{{Func: "count", T: types.TInt8}, {Func: "sum", Arg: col(0, "int4"), T: types.TInt8}},
		Cols: cols("id int4", "c int8", "s int8")}
	want := mustRun(t, n)
	got, budget, err := tinyBudget(t, n, 4<<20)
	if err != nil {
		t.Fatal(err)
	}
	if budget.Spilled() == 0 {
		t.Errorf("nothing spilled")
	}
	sameRows(t, "parallel then spilled", got, want)
}

// Rows of one key cannot be split by partitioning: the join gives up with
// 53200 naming itself after its levels of partitioning.
func TestHashJoinOfOneKeyOutOfMemory(t *testing.T) {
	n := &plan.Join{Kind: plan.Inner, Left: spillRows(100, 1, "l"), Right: spillRows(20000, 1, "r"),
		Cond: boolOp("=", col(0, "int4"), col(2, "int4"))}
	_, _, err := tinyBudget(t, n, 64<<10)
	wantCode(t, "one key over budget", err, "53200")
	if err != nil && !strings.Contains(pgerr.As(err).Detail, "hash join") {
		t.Errorf("53200 detail %q does not name the hash join", pgerr.As(err).Detail)
	}
}

// A sort of more runs than a merge takes at once merges them in steps.
func TestSortMergesManyRuns(t *testing.T) {
	rows := make([][]string, (maxMergeWidth+6)*vector.BatchSize)
	for i := range rows {
		rows[i] = row(strconv.Itoa((i*7919)%1000), strconv.Itoa(i))
	}
	n := &plan.Sort{Input: values(cols("k int4", "i int4"), rows...), Keys: []plan.SortKey{{Expr: col(0, "int4")}}}
	want := mustRun(t, n)
	got, budget, err := tinyBudget(t, n, 64<<10)
	if err != nil {
		t.Fatal(err)
	}
	if budget.Spilled() == 0 {
		t.Errorf("nothing spilled")
	}
	sameOrder(t, "many runs", got, want)
}
