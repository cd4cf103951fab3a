package planner_test

import "testing"

func TestScalarAggregateOfTheFilteredRowsBecomesAWindow(t *testing.T) {
	const q15Shape = `WITH revenue AS (SELECT l_suppkey AS supplier, sum(l_quantity) AS total FROM pg.lineitem GROUP BY l_suppkey)
		SELECT c_name, total FROM my.customer, revenue WHERE c_custkey = supplier AND total = (SELECT max(total) FROM revenue)`
	cases := []explainCase{
		{
			name: "Q15: the maximum revenue is a window over the revenue rows, computed once",
			sql:  q15Shape,
			want: []string{`max(sum(t1."l_quantity")) OVER (RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)`},
			not:  []string{"SubPlan", "(SELECT max("},
		},
		{
			name: "count and an expression over it",
			sql: `WITH g AS (SELECT l_suppkey, count(*) AS c FROM pg.lineitem GROUP BY l_suppkey)
				SELECT l_suppkey FROM g WHERE c > (SELECT count(*) + 1 FROM g)`,
			want: []string{`count(*) OVER (`},
			not:  []string{"SubPlan"},
		},
		{
			name: "over a plain scan the source reads the aggregate itself",
			sql:  `SELECT o_orderkey FROM pg.orders WHERE o_custkey = (SELECT max(o_custkey) FROM pg.orders)`,
			want: []string{`(SELECT max(`},
			not:  []string{"OVER ("},
		},
		{
			name: "a subquery over other rows stays a subquery",
			sql:  `SELECT o_orderkey FROM pg.orders WHERE o_custkey = (SELECT max(o_custkey) FROM pg.orders WHERE o_orderkey > 10)`,
			not:  []string{"OVER ("},
		},
		{
			name: "averages stay subqueries",
			sql:  `SELECT o_orderkey FROM pg.orders WHERE o_custkey > (SELECT avg(o_custkey) FROM pg.orders)`,
			not:  []string{"OVER ("},
		},
		{
			name: "float sums stay subqueries",
			sql:  `SELECT l_orderkey FROM pg.lineitem WHERE l_tax > (SELECT sum(l_tax) FROM pg.lineitem)`,
			not:  []string{"OVER ("},
		},
	}
	checkExplains(t, cases)
}
