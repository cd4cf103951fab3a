package planner_test

import (
	"context"
	"strings"
	"testing"

	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/planner"
)

func TestGroupingSetsExpand(t *testing.T) {
	env := testEnv(t)
	cases := []struct {
		sql  string
		sets []string
	}{
		{`SELECT status, customer_id, count(*) FROM shop.orders GROUP BY CUBE (status, customer_id)`,
			[]string{"(status, customer_id)", "(customer_id)", "(status)", "()"}},
		{`SELECT status, customer_id, count(*) FROM shop.orders GROUP BY ROLLUP (status, customer_id)`,
			[]string{"(status, customer_id)", "(status)", "()"}},
		{`SELECT status, id, count(*) FROM shop.orders GROUP BY status, ROLLUP (id)`,
			[]string{"(status, id)", "(status)"}},
		{`SELECT status, count(*) FROM shop.orders GROUP BY DISTINCT ROLLUP (status), ROLLUP (status)`,
			[]string{"()", "(status)"}},
		{`SELECT count(*) FROM shop.orders GROUP BY GROUPING SETS ((), GROUPING SETS ((), ()))`,
			[]string{"()", "()", "()"}},
		{`SELECT status, id, count(*) FROM shop.orders GROUP BY GROUPING SETS ((status, (id)), status)`,
			[]string{"(status, id)", "(status)"}},
		{`SELECT count(*) FROM shop.orders GROUP BY GROUPING SETS ((status, (id, customer_id)), status)`,
			[]string{"(status, id, customer_id)", "(status)"}},
	}
	for _, c := range cases {
		plan := explain(t, env, c.sql)
		var got []string
		for _, line := range strings.Split(plan, "\n") {
			if _, set, ok := strings.Cut(line, "Grouping Set: "); ok {
				got = append(got, strings.ReplaceAll(set, "orders.", ""))
			}
		}
		if strings.Join(got, " ") != strings.Join(c.sets, " ") {
			t.Errorf("%s\nsets %v, want %v\n%s", c.sql, got, c.sets, plan)
		}
		if strings.Contains(plan, "GROUP BY GROUPING SETS") {
			t.Errorf("%s: grouping sets pushed to MySQL:\n%s", c.sql, plan)
		}
	}
}

func TestGroupingSetsPushedToPostgres(t *testing.T) {
	plan := explain(t, testEnv(t), `SELECT country, count(*), grouping(country) FROM crm.customers GROUP BY ROLLUP (country) HAVING count(*) > 1`)
	for _, want := range []string{`GROUP BY GROUPING SETS ((t1."country"), ())`, `GROUPING(t1."country")`} {
		if !strings.Contains(plan, want) {
			t.Errorf("remote SQL lacks %s:\n%s", want, plan)
		}
	}
}

func TestGroupingErrors(t *testing.T) {
	env := testEnv(t)
	for _, c := range []struct{ sql, code string }{
		{`SELECT grouping(name) FROM crm.customers GROUP BY country`, pgerr.GroupingError},
		{`SELECT count(*) FROM crm.customers WHERE grouping(country) = 0`, pgerr.GroupingError},
		{`SELECT percentile_cont(0.5) FROM crm.customers`, pgerr.WrongObjectType},
		{`SELECT sum(id) WITHIN GROUP (ORDER BY id) FROM crm.customers`, pgerr.WrongObjectType},
		{`SELECT name AS a, name AS b FROM crm.customers GROUP BY a, ROLLUP (b)`, "0A000"},
	} {
		stmts, err := planner.Parse(c.sql)
		if err != nil {
			t.Fatal(err)
		}
		_, err = planner.BindSelect(context.Background(), env, stmts[0].Stmt.GetSelectStmt(), nil)
		if got := pgerr.Code(err); got != c.code {
			t.Errorf("%s: error %v, want SQLSTATE %s", c.sql, err, c.code)
		}
	}
}

func TestOrderedAggregatesExplained(t *testing.T) {
	plan := explain(t, testEnv(t), `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY amount DESC), string_agg(status, ',' ORDER BY id) FROM shop.orders`)
	for _, want := range []string{"percentile_cont('0.5'::double precision) WITHIN GROUP (ORDER BY orders.amount::double precision DESC)", "string_agg(orders.status::text, ',' ORDER BY orders.id)"} {
		if !strings.Contains(plan, want) {
			t.Errorf("EXPLAIN lacks %s:\n%s", want, plan)
		}
	}
}
