package planner_test

import (
	"context"
	"strings"
	"testing"

	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/planner"
)

func TestWindowPushdown(t *testing.T) {
	env := testEnv(t)
	for _, c := range []struct{ name, sql, want string }{
		{"a PostgreSQL source runs the window",
			"SELECT id, rank() OVER (PARTITION BY country ORDER BY name DESC) FROM crm.customers",
			`Remote SQL: SELECT t1."id", rank() OVER (PARTITION BY t1."country" ORDER BY (t1."name")::text COLLATE "C" DESC NULLS FIRST) FROM "public"."customers" t1`},
		{"a filter above a window nests it",
			"SELECT * FROM (SELECT id, row_number() OVER (ORDER BY id) AS rn FROM crm.customers) s WHERE rn < 3",
			`WHERE (t2."c1" < '3'::bigint)`},
		{"a frame goes with its offsets",
			"SELECT sum(id) OVER (ORDER BY id ROWS BETWEEN 2 PRECEDING AND 1 FOLLOWING EXCLUDE TIES) FROM crm.customers",
			`ROWS BETWEEN '2'::bigint PRECEDING AND '1'::bigint FOLLOWING EXCLUDE TIES`},
		{"a MySQL source ranks by bytes",
			"SELECT id, row_number() OVER (PARTITION BY status ORDER BY id ROWS BETWEEN 1 PRECEDING AND CURRENT ROW), sum(amount) OVER (ORDER BY created_at) FROM shop.orders",
			"SUM(t2.`c1`) OVER (ORDER BY t2.`c3` IS NULL, t2.`c3` RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) FROM (SELECT t1.`id` AS `c0`, t1.`amount` AS `c1`, t1.`status` AS `c2`, t1.`created_at` AS `c3`, ROW_NUMBER() OVER (PARTITION BY CAST(CONVERT(t1.`status` USING utf8mb4) AS BINARY) ORDER BY t1.`id` IS NULL, t1.`id`) AS `c4` FROM `shop`.`orders` t1) t2"},
		{"a MySQL source keeps other frames",
			"SELECT id, count(*) OVER (ORDER BY id GROUPS 1 PRECEDING) FROM shop.orders",
			"Not pushed: the frame GROUPS BETWEEN '1'::bigint PRECEDING AND CURRENT ROW is computed in Junction for mysql sources (no GROUPS frames, exclusions or RANGE offsets)"},
		{"a filter on the partition key goes below the window",
			"SELECT * FROM (SELECT status, id, sum(amount) OVER (PARTITION BY status) FROM shop.orders) s WHERE status = 'paid'",
			"WHERE (t1.`status` = 'paid' AND"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if out := explain(t, env, c.sql); !strings.Contains(out, c.want) {
				t.Errorf("EXPLAIN lacks %q:\n%s", c.want, out)
			}
		})
	}
}

func TestWindowBindErrors(t *testing.T) {
	env := testEnv(t)
	for _, c := range []struct{ sql, code string }{
		{"SELECT id FROM crm.customers GROUP BY id HAVING rank() OVER () > 1", "42P20"},
		{"SELECT sum(row_number() OVER ()) FROM crm.customers", pgerr.GroupingError},
		{"SELECT rank() OVER (ORDER BY rank() OVER ()) FROM crm.customers", "42P20"},
		{"SELECT row_number() FROM crm.customers", pgerr.WrongObjectType},
		{"SELECT lower(name) OVER () FROM crm.customers", pgerr.WrongObjectType},
		{"SELECT nosuch(name) OVER () FROM crm.customers", pgerr.UndefinedFunction},
		{"SELECT sum(id) OVER w FROM crm.customers", pgerr.UndefinedObject},
		{"SELECT sum(id) OVER w FROM crm.customers WINDOW w AS (), w AS ()", "42P20"},
		{"SELECT sum(id) OVER (w PARTITION BY name) FROM crm.customers WINDOW w AS (PARTITION BY country)", "42P20"},
		{"SELECT sum(id) OVER (w ORDER BY name) FROM crm.customers WINDOW w AS (ORDER BY country)", "42P20"},
		{"SELECT sum(id) OVER (w) FROM crm.customers WINDOW w AS (ORDER BY id ROWS 1 PRECEDING)", "42P20"},
		{"SELECT sum(id) OVER (ORDER BY id ROWS id PRECEDING) FROM crm.customers", pgerr.InvalidColumnReference},
		{"SELECT sum(id) OVER (RANGE 1 PRECEDING) FROM crm.customers", "42P20"},
		{"SELECT sum(id) OVER (ORDER BY name RANGE 1 PRECEDING) FROM crm.customers", pgerr.FeatureNotSupported},
		{"SELECT sum(id) OVER (GROUPS 1 PRECEDING) FROM crm.customers", "42P20"},
		{"SELECT count(DISTINCT id) OVER () FROM crm.customers", pgerr.FeatureNotSupported},
		{"SELECT rank() FILTER (WHERE id > 1) OVER () FROM crm.customers", pgerr.FeatureNotSupported},
		{"SELECT name, rank() OVER (ORDER BY id) FROM crm.customers GROUP BY name", pgerr.GroupingError},
		{"SELECT ntile('x') OVER () FROM crm.customers", pgerr.InvalidTextRep},
		{"SELECT rank() OVER (ORDER BY id) FROM crm.customers GROUP BY 1", "42P20"},
	} {
		stmts, err := planner.Parse(c.sql)
		if err != nil {
			t.Fatalf("parse %q: %v", c.sql, err)
		}
		_, err = planner.BindSelect(context.Background(), env, stmts[0].Stmt.GetSelectStmt(), nil)
		if got := pgerr.Code(err); got != c.code {
			t.Errorf("%s: got %s (%v), want %s", c.sql, got, err, c.code)
		}
	}
}
