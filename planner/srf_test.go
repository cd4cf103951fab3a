package planner_test

import (
	"testing"

	"github.com/junction-db/junction/pgerr"
)

func TestSetReturningFunctionsInSelectList(t *testing.T) {
	env := testEnv(t)
	checkRows(t, env, []rowCase{
		{"SELECT generate_series(1, 3)", []string{"1", "2", "3"}},
		// Several run in lockstep, the shorter padded with NULLs.
		{"SELECT generate_series(1, 2), generate_series(1, 3)", []string{"1|1", "2|2", "NULL|3"}},
		{"SELECT generate_series(1, 3) AS x, generate_series(3, 6) + 1 AS y", []string{"1|4", "2|5", "3|6", "NULL|7"}},
		// A nested call runs a level below the one around it.
		{"SELECT generate_series(1, generate_series(1, 3)), generate_series(2, 4)", []string{"1|2", "1|3", "2|3", "1|4", "2|4", "3|4"}},
		{"SELECT n, generate_series(1, n) FROM (VALUES (2), (0), (NULL)) v(n)", []string{"2|1", "2|2"}},
		// After grouping, before ORDER BY, DISTINCT and LIMIT.
		{"SELECT n % 2, count(*), generate_series(1, count(*)::int) g FROM generate_series(1, 3) n GROUP BY 1 ORDER BY 1, g DESC", []string{"0|1|1", "1|2|2", "1|2|1"}},
		{"SELECT DISTINCT generate_series(1, 4) % 2 ORDER BY 1", []string{"0", "1"}},
		{"SELECT generate_series(1, 3) + 1 ORDER BY generate_series(1, 3) DESC LIMIT 2", []string{"4", "3"}},
		{"SELECT unnest('{a,b}'::text[]) x, unnest('{c}'::text[]) y", []string{"a|c", "b|NULL"}},
		{"SELECT jsonb_array_elements('[1, {\"a\": 2}]'), jsonb_object_keys('{\"k\": 1}')", []string{`1|k`, `{"a": 2}|NULL`}},
		{"SELECT generate_series(1, 2) FROM (VALUES (1)) v(x) WHERE false", nil},
		// Results longer than a batch, and many input rows, stream.
		{"SELECT count(*), sum(x), max(x) FROM (SELECT generate_series(1, 5000) x) s", []string{"5000|12502500|5000"}},
		{"SELECT count(*), sum(g) FROM (SELECT n, generate_series(1, n) g FROM generate_series(1, 200) n) s", []string{"20100|1353400"}},
		// SQLAlchemy's reflection pairs elements with their subscripts.
		{"SELECT unnest('3 1'::int2vector), generate_subscripts('3 1'::int2vector, 1), generate_subscripts('{a,b}'::text[], 1, true)", []string{"3|0|2", "1|1|1"}},
		// In GROUP BY they run before grouping, and the select list's
		// same call is the key.
		{"SELECT x % 2, unnest('{1,1,3}'::int[]) u, count(*) FROM generate_series(1, 3) x GROUP BY 1, 2 ORDER BY 1, 2", []string{"0|1|2", "0|3|1", "1|1|4", "1|3|2"}},
		{"SELECT count(*) FROM generate_series(1, 3) x GROUP BY generate_series(1, x) ORDER BY 1", []string{"1", "2", "3"}},
		// A field of a function returning rows.
		{"SELECT (information_schema._pg_expandarray('{a,b}'::text[])).n, (information_schema._pg_expandarray('{a,b}'::text[])).x", []string{"1|a", "2|b"}},
		{"SELECT x, n FROM information_schema._pg_expandarray('[0:1]={c,d}'::text[])", []string{"c|1", "d|2"}},
		{"SELECT (jsonb_each('{\"b\": [1], \"a\": 2}')).key", []string{"a", "b"}},
		// Or its whole row, a record.
		{"SELECT jsonb_each('{\"b\": [1], \"a\": \"x y\"}'), information_schema._pg_expandarray('{a,b}'::text[])", []string{`(a,"""x y""")|(a,1)`, `(b,[1])|(b,2)`}},
	})
}

func TestSetReturningFunctionPlacementErrors(t *testing.T) {
	env := testEnv(t)
	const unsupported = pgerr.FeatureNotSupported
	checkErrors(t, env, []errorCase{
		{"SELECT CASE WHEN true THEN generate_series(1, 2) END", unsupported, "set-returning functions are not allowed in CASE"},
		{"SELECT coalesce(generate_series(1, 2), 0)", unsupported, "set-returning functions are not allowed in COALESCE"},
		{"SELECT sum(generate_series(1, 2))", unsupported, "aggregate function calls cannot contain set-returning function calls"},
		{"SELECT 1 WHERE generate_series(1, 2) = 1", unsupported, "set-returning functions are not allowed in WHERE"},
		{"SELECT count(*) HAVING generate_series(1, 2) > 0", unsupported, "set-returning functions are not allowed in HAVING"},
		{"SELECT * FROM generate_series(1, generate_series(1, 2))", unsupported, "set-returning functions must appear at top level of FROM"},
	})
}
