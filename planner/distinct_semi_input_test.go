package planner_test

import (
	"strings"
	"testing"
)

func TestSemiJoinInnerSideReadsDistinctRows(t *testing.T) {
	cases := []explainCase{
		{
			name: "Q22: customers without orders read each order's customer key once",
			sql:  `SELECT c_name FROM my.customer WHERE NOT EXISTS (SELECT * FROM pg.orders WHERE o_custkey = c_custkey)`,
			want: []string{`SELECT DISTINCT t1."o_custkey" FROM "public"."orders" t1`},
		},
		{
			name: "semi join on repeated keys",
			sql:  `SELECT c_name FROM my.customer WHERE c_custkey IN (SELECT o_custkey FROM pg.orders)`,
			want: []string{`SELECT DISTINCT t1."o_custkey" FROM "public"."orders" t1`},
		},
		{
			name: "too many distinct keys for the source to hash are read as they are",
			sql:  `SELECT c_name FROM my.customer WHERE EXISTS (SELECT * FROM pg.lineitem WHERE l_orderkey = c_custkey)`,
			not:  []string{"DISTINCT"},
		},
		{
			name: "keys awaited from a small outer side bound the groups to hash",
			sql:  `SELECT c_name FROM my.customer WHERE c_acctbal > 9950 AND EXISTS (SELECT * FROM pg.lineitem WHERE l_orderkey = c_custkey)`,
			want: []string{`SELECT DISTINCT t1."l_orderkey" FROM "public"."lineitem" t1`, "Dynamic Filter: l_orderkey = ANY"},
		},
		{
			name: "unique keys are read as they are",
			sql:  `SELECT c_name FROM my.customer WHERE c_custkey IN (SELECT o_orderkey FROM pg.orders)`,
			not:  []string{"DISTINCT"},
		},
		{
			name: "numeric keys are read as they are: 1.0 and 1.00 are one DISTINCT value",
			sql:  `SELECT c_name FROM my.customer WHERE EXISTS (SELECT * FROM pg.lineitem WHERE l_discount = c_acctbal)`,
			not:  []string{"DISTINCT"},
		},
	}
	checkExplains(t, cases)
}

// explainCase is a query over tpchEnv, with statistics unless noStats,
// and substrings its EXPLAIN must and must not show.
type explainCase struct {
	name, sql string
	noStats   bool
	want      []string
	not       []string
}

func checkExplains(t *testing.T, cases []explainCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out := explain(t, tpchEnv(t, !c.noStats), c.sql)
			for _, w := range c.want {
				if !strings.Contains(out, w) {
					t.Errorf("missing %q in\n%s", w, out)
				}
			}
			for _, w := range c.not {
				if strings.Contains(out, w) {
					t.Errorf("unexpected %q in\n%s", w, out)
				}
			}
		})
	}
}
