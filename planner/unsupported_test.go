package planner_test

import (
	"testing"

	"github.com/junction-db/junction/pgerr"
)

func TestConstructsPostgresAnswersAsItDoes(t *testing.T) {
	env := testEnv(t)
	checkRows(t, env, []rowCase{
		{`SELECT x FROM generate_series(1, 2) x UNION ALL SELECT NULL UNION ALL SELECT '3' ORDER BY 1`, []string{"1", "2", "3", "NULL"}},
		{`SELECT int4mul(6, 7), int8pl(1, 2), booland_statefunc(true, false), boolor_statefunc(true, NULL) IS NULL`, []string{"42|3|f|t"}},
		{`SELECT row(row(1)) = ANY (SELECT row(1))`, []string{"t"}},
		{`SELECT s.* FROM (VALUES (1, 2)) t(a, b), LATERAL (SELECT t.*) s`, []string{"1|2"}},
		{`SELECT * FROM (VALUES (1)) x(a) JOIN ((VALUES (1)) y(a) CROSS JOIN (VALUES (2)) z(b)) j(c) ON x.a = c`, []string{"1|1|2"}},
	})
}

func TestUnsupportedConstructsAreNamed(t *testing.T) {
	env := testEnv(t)
	checkErrors(t, env, []errorCase{
		{`SELECT 1::money`, pgerr.FeatureNotSupported, "type money is not supported"},
		{`SELECT 'a' ~<~ 'b'`, pgerr.FeatureNotSupported, "operator ~<~ is not supported"},
		{`SELECT interval_hash('1 day')`, pgerr.FeatureNotSupported, "function interval_hash is not supported"},
		{`SELECT * FROM unnest(ARRAY[1], ARRAY['a'])`, pgerr.FeatureNotSupported, "unnest with more than one argument is not supported"},
		{`SELECT 1 LIMIT (CASE WHEN random() < 2 THEN 1 END)`, pgerr.FeatureNotSupported, "a non-constant LIMIT is not supported"},
		{`SELECT (SELECT 1 OFFSET x) FROM (VALUES (1)) v(x)`, pgerr.FeatureNotSupported, "OFFSET reading a column of an outer query is not supported"},
		{`SELECT (WITH c AS (SELECT x) SELECT * FROM c) FROM (VALUES (1)) v(x)`, pgerr.FeatureNotSupported, "a WITH query reading a column of an outer query is not supported"},
		{`SELECT '294276-12-31'::timestamp`, pgerr.FeatureNotSupported, "a timestamp after 294247-01-09 23:59:59.999999 is not supported"},
		{`SELECT '294277-01-01'::timestamp`, pgerr.DatetimeFieldOverflow, `timestamp out of range: "294277-01-01"`},
		{`SELECT 1 ~<~ 2`, pgerr.UndefinedFunction, "operator does not exist: integer ~<~ integer"},
		{`SELECT * FROM (SELECT * FROM (VALUES (1)) v(a) LIMIT x) s`, pgerr.UndefinedColumn, `column "x" does not exist`},
	})
}
