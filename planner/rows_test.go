package planner_test

import (
	"testing"

	"github.com/junction-db/junction/pgerr"
)

// The expected values are PostgreSQL 15's answers.
func TestRowValues(t *testing.T) {
	env := testEnv(t)
	checkRows(t, env, []rowCase{
		{`SELECT ROW(1, 'a b', NULL), (2, '', '"q"')`, []string{`(1,"a b",)|(2,"","""q""")`}},
		{`SELECT (1, 2) = (1, 2), (1, 2) <> (1, 3), (1, NULL) = (1, 2), (1, NULL) = (2, 2), (1, 2) < (1, 3), (1, 3) <= (1, 2), (NULL, 1) < (2, 1)`, []string{"t|t|NULL|f|t|f|NULL"}},
		{`SELECT ROW(NULL, NULL) IS NULL, ROW(1, NULL) IS NULL, ROW(1, NULL) IS NOT NULL, ROW(1, 2) IS NOT NULL`, []string{"t|f|f|t"}},
		{`SELECT row_to_json(t), t, (t).b FROM (VALUES (1, 'x'), (2, NULL)) t(a, b) ORDER BY 1::text`, []string{`{"a":1,"b":"x"}|(1,x)|x`, `{"a":2,"b":null}|(2,)|NULL`}},
		{`SELECT count(t.*), ROW(t.*) FROM (VALUES (1, 2)) t(a, b) GROUP BY 2`, []string{"1|(1,2)"}},
		// The rows an outer join fills have a NULL whole row.
		{`SELECT a.x, count(b.*), row_to_json(b) IS NULL FROM (VALUES (1), (2)) a(x) LEFT JOIN (VALUES (1, NULL::int), (1, 5)) b(y, z) ON a.x = b.y GROUP BY a.x, 3 ORDER BY 1`, []string{"1|2|f", "2|0|t"}},
		{`SELECT x FROM (VALUES (ROW(1, 2)), (ROW(1, 10)), (ROW(1, 2)), (ROW(NULL::int, 1))) v(x) UNION SELECT ROW(1, 9) ORDER BY 1`, []string{"(1,2)", "(1,9)", "(1,10)", "(,1)"}},
		{`SELECT ARRAY[ROW(1, 'a'), ROW(2, 'b c')], ROW(2, 'b c') = ANY (ARRAY[ROW(1, 'a'), ROW(2, 'b c')])`, []string{`{"(1,a)","(2,\"b c\")"}|t`}},
		{`SELECT a, b, (a, b) IN (SELECT x, y FROM (VALUES (1, 2), (NULL, 3)) s(x, y)), (a, b) NOT IN (SELECT x, y FROM (VALUES (1, 2), (NULL, 3)) s(x, y)) FROM (VALUES (1, 2), (1, 3), (2, 3), (5, NULL), (1, NULL)) t(a, b) ORDER BY a, b`,
			[]string{"1|2|t|f", "1|3|NULL|NULL", "1|NULL|NULL|NULL", "2|3|NULL|NULL", "5|NULL|NULL|NULL"}},
		{`SELECT percentile_cont(ARRAY[[0.5, NULL], [0, 1]]) WITHIN GROUP (ORDER BY x), percentile_disc('[0:1]={0.25,0.75}'::float8[]) WITHIN GROUP (ORDER BY x::text) FROM generate_series(1, 4) x`,
			[]string{"{{2.5,NULL},{1,4}}|[0:1]={1,3}"}},
		{`SELECT a, a > ALL (SELECT x FROM (VALUES (1), (3)) s(x)), a < ANY (SELECT x FROM (VALUES (1), (NULL), (3)) s(x)), a >= ALL (SELECT x FROM (VALUES (1), (NULL)) s(x)), a = ALL (SELECT x FROM (VALUES (1)) s(x) WHERE false) FROM (VALUES (0), (2), (4), (NULL)) t(a) ORDER BY a`,
			[]string{"0|f|t|f|t", "2|f|t|NULL|t", "4|t|NULL|NULL|t", "NULL|NULL|NULL|NULL|t"}},
		// A whole row of the enclosing query.
		{`SELECT a.x, (SELECT coalesce(a) FROM (VALUES (1)) j(y) WHERE j.y = a.x) FROM (VALUES (1), (2)) a(x)`, []string{"1|(1)", "2|NULL"}},
		// A USING clause's alias names the merged columns.
		{`SELECT x.*, row_to_json(x), x.i FROM (VALUES (1, 'a'), (2, 'b')) a(i, s) JOIN (VALUES (1, 'c')) b(i, t) USING (i) AS x`, []string{`1|{"i":1}|1`}},
		{`SELECT ARRAY[10, 9] < ARRAY[9], '{1,2}'::int[] @> '{2}', '{1.0}'::numeric[] = '{1.00}', ARRAY[1, 2] && ARRAY[3], 3 = ANY ('{1,2,NULL}'::int[]), 1 < ALL (ARRAY[2, 3])`, []string{"f|t|t|f|NULL|t"}},
	})
}

func TestRowErrors(t *testing.T) {
	env := testEnv(t)
	for _, c := range []struct {
		sql, code string
	}{
		{`SELECT (1, 2) = (1, 2, 3)`, pgerr.SyntaxError},
		{`SELECT (ROW(1, 2)).c`, pgerr.UndefinedColumn},
		{`SELECT (1).a`, pgerr.WrongObjectType},
		{`SELECT count(b.*) FROM (VALUES (1)) a(x) LEFT JOIN (VALUES (1)) b(y) ON true`, pgerr.FeatureNotSupported},
		{`SELECT ARRAY[1] @> ARRAY[1::bigint]`, pgerr.UndefinedFunction},
	} {
		_, err := runLocal(t, env, c.sql)
		if got := pgerr.Code(err); got != c.code {
			t.Errorf("%s: got %s (%v), want %s", c.sql, got, err, c.code)
		}
	}
}

func TestSearchAndCycle(t *testing.T) {
	env := testEnv(t)
	graph := `WITH RECURSIVE g(f, t) AS (VALUES (1, 2), (2, 3), (3, 1), (1, 4)),
		walk(f, t) AS (SELECT f, t FROM g WHERE f = 1 UNION ALL SELECT g.f, g.t FROM g, walk w WHERE g.f = w.t) `
	checkRows(t, env, []rowCase{
		{graph + `SEARCH DEPTH FIRST BY f, t SET seq CYCLE f, t SET is_cycle USING path SELECT f, t, seq, is_cycle FROM walk ORDER BY seq`, []string{
			`1|2|{"(1,2)"}|f`,
			`2|3|{"(1,2)","(2,3)"}|f`,
			`3|1|{"(1,2)","(2,3)","(3,1)"}|f`,
			`1|2|{"(1,2)","(2,3)","(3,1)","(1,2)"}|t`,
			`1|4|{"(1,2)","(2,3)","(3,1)","(1,4)"}|f`,
			`1|4|{"(1,4)"}|f`,
		}},
		{`WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 3) SEARCH BREADTH FIRST BY x SET s SELECT * FROM c ORDER BY s`, []string{"1|(0,1)", "2|(1,2)", "3|(2,3)"}},
		{`WITH RECURSIVE c(x) AS (SELECT 0 UNION ALL SELECT (x + 1) % 3 FROM c) CYCLE x SET m TO 'Y' DEFAULT 'N' USING p SELECT * FROM c`, []string{`0|N|{(0)}`, `1|N|{(0),(1)}`, `2|N|{(0),(1),(2)}`, `0|Y|{(0),(1),(2),(0)}`}},
	})
}
