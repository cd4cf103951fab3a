package planner_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/junction-db/junction/catalog"
	"github.com/junction-db/junction/connectors"
	"github.com/junction-db/junction/connectors/mysql"
	"github.com/junction-db/junction/connectors/postgres"
	"github.com/junction-db/junction/connectors/sqlgen"
	"github.com/junction-db/junction/connectors/sqlite"
	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/planner"
	"github.com/junction-db/junction/types"
)

// planTimeout bounds planning one input: far above what any statement
// needs, so that only a planner that loops forever exceeds it.
const planTimeout = 10 * time.Second

// fuzzSeeds are statements in the style of the end-to-end and
// differential tests, over fuzzEnv's tables, and malformed ones.
var fuzzSeeds = []string{
	`SELECT * FROM pg.t1`,
	`SELECT * FROM pg.t1 ORDER BY id`,
	`SELECT id, i, s, b, n, f, txt, c, v, d, ts, flag FROM pg.t1 ORDER BY f NULLS FIRST, n, txt DESC, id`,
	`SELECT DISTINCT txt FROM my.t3 ORDER BY txt`,
	`SELECT id, c = 'ab', c = 'ab  ', v = 'x', v = 'x ', c < v, c || '|', v || '|' FROM pg.t1`,
	`SELECT id FROM my.t3 WHERE txt = 'alpha '`,
	`SELECT id, txt FROM lite.t4 WHERE txt LIKE 'a\_b' OR txt LIKE 'a\%b'`,
	`SELECT id, txt FROM my.t3 WHERE txt ILIKE 'é'`,
	`SELECT i, sum(n), avg(n), min(n), max(n), count(DISTINCT n) FROM pg.t1 GROUP BY i`,
	`SELECT id, n / 3, n / 7.0, round(n / 3, 2), n * 1.5 FROM pg.t1 WHERE n IS NOT NULL`,
	`SELECT id, d + 1, d - 1, d - date '2000-01-01' FROM pg.t1 WHERE d BETWEEN date '1000-01-01' AND date '9000-01-01'`,
	`SELECT id, ts + interval '1 day', date_trunc('month', ts) FROM pg.t1 WHERE ts > timestamp '1500-01-01'`,
	`SELECT id FROM pg.t1 WHERE i NOT IN (SELECT i FROM pg.t2)`,
	`SELECT a.id FROM pg.t1 a WHERE NOT EXISTS (SELECT 1 FROM pg.t2 b WHERE b.t1_id = a.id)`,
	`SELECT a.id, b.id FROM pg.t1 a FULL JOIN my.t3 b ON a.id = b.id WHERE a.id IS NULL OR b.id IS NULL`,
	`SELECT a.id, b.id, c.id FROM pg.t1 a JOIN pg.t2 b ON b.t1_id = a.id LEFT JOIN lite.t4 c ON c.id = b.i`,
	`SELECT a.id, (SELECT sum(b.n) FROM pg.t2 b WHERE b.t1_id = a.id) FROM pg.t1 a`,
	`SELECT i FROM pg.t1 INTERSECT ALL SELECT i FROM pg.t2`,
	`SELECT txt FROM my.t3 UNION SELECT v FROM pg.t1 EXCEPT SELECT txt FROM lite.t4`,
	`SELECT id, txt FROM pg.t1 ORDER BY txt DESC NULLS LAST, id LIMIT 7 OFFSET 3`,
	`SELECT t1_id, count(DISTINCT i) FROM pg.t2 GROUP BY t1_id HAVING count(DISTINCT i) > 1`,
	`SELECT count(*), sum(n), avg(n), max(txt) FROM pg.t1 WHERE false`,
	`SELECT id, substr(txt, 2, 2), left(txt, -1), replace(txt, 'a', 'A'), lpad(txt, 6, '*') FROM my.t3`,
	`SELECT id, row_number() OVER (PARTITION BY i ORDER BY id), sum(n) OVER (ORDER BY id ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) FROM pg.t1`,
	`SELECT i, txt, count(*) FROM pg.t2 GROUP BY GROUPING SETS ((i), (txt), ())`,
	`SELECT i, count(*) FROM pg.t1 GROUP BY ROLLUP (i, flag)`,
	`WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 10) SELECT * FROM r`,
	`WITH x AS (SELECT id, txt FROM my.t3) SELECT * FROM x JOIN lite.t4 USING (id)`,
	`SELECT * FROM pg.t1 a, LATERAL (SELECT * FROM pg.t2 b WHERE b.t1_id = a.id ORDER BY b.n LIMIT 2) l`,
	`SELECT DISTINCT ON (i) i, id FROM pg.t1 ORDER BY i, id DESC`,
	`SELECT * FROM generate_series(1, 3) g, unnest(ARRAY['a', 'b']) u`,
	`SELECT CASE WHEN i > 0 THEN 'pos' WHEN i < 0 THEN 'neg' ELSE NULL END, coalesce(txt, '') FROM pg.t1`,
	`SELECT id FROM pg.t1 WHERE id = $1 AND txt = $2`,
	`SELECT id FROM my.t3 WHERE txt IN ('a', 'b', NULL) AND id BETWEEN 1 AND 10`,
	`SELECT '{"a": [1, 2]}'::jsonb -> 'a' ->> 1, to_char(now(), 'YYYY'), 'x' ~ '^[a-z]$'`,
	`SELECT * FROM pg.t1 WHERE (i, s) IN (SELECT i, id FROM pg.t2)`,
	`SELECT max(id) FILTER (WHERE flag), array_agg(txt ORDER BY id), string_agg(txt, ',') FROM pg.t1`,
	`VALUES (1, 'a'), (2, 'b') ORDER BY 1 DESC`,
	`SELECT 1/0, 'x'::int, 9223372036854775807 + 1`,
	`SELECT`,
	`SELECT * FROM`,
	`SELECT * FROM pg.nope`,
	`SELECT nope FROM pg.t1`,
	`SELECT (SELECT 1, 2)`,
	`SELECT id FROM pg.t1 GROUP BY i`,
	`SELECT sum(sum(n)) FROM pg.t1`,
	`SELECT row_number() OVER w FROM pg.t1`,
	`SELECT * FROM pg.t1 ORDER BY 99`,
	`SELECT ((((((((((1))))))))))`,
	`SELECT 'unterminated`,
	`SELECT "unterminated`,
	`SELECT $99999999999`,
	`SELECT ARRAY[[1], [2, 3]]`,
	`SELECT 1 UNION SELECT 'a', 2`,
	`WITH RECURSIVE r AS (SELECT 1 UNION SELECT * FROM r, r r2) SELECT * FROM r`,
	`SELECT 0E100000000, 0E-100000000`,
	"SELECT \x00",
	"SELECT '\xff'",
}

func FuzzPlan(f *testing.F) {
	for _, sql := range fuzzSeeds {
		f.Add(sql)
	}
	env := fuzzEnv(f)
	f.Fuzz(func(t *testing.T, sql string) {
		done := make(chan error, 1)
		go func() { done <- planEach(env, sql) }()
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("%q: %v", sql, err)
			}
		case <-time.After(planTimeout):
			t.Fatalf("%q: planning did not finish within %s", sql, planTimeout)
		}
	})
}

// planEach parses sql and plans each of its queries down to the remote
// SQL EXPLAIN shows. It reports a failure other than a PostgreSQL-style
// error for the user.
func planEach(env *planner.Env, sql string) error {
	stmts, err := planner.Parse(sql)
	if err != nil {
		return userError(err)
	}
	ctx := context.Background()
	for _, stmt := range stmts {
		sel := stmt.Stmt.GetSelectStmt()
		if sel == nil {
			continue
		}
		q, err := planner.BindSelect(ctx, env, sel, nil)
		if err != nil {
			if err := userError(err); err != nil {
				return err
			}
			continue
		}
		p, err := planner.Optimize(ctx, env, q.Plan)
		if err != nil {
			if err := userError(err); err != nil {
				return err
			}
			continue
		}
		planner.Explain(env, p, nil)
	}
	return nil
}

// userError returns nil for an error a user may be shown, and a
// description of err otherwise.
func userError(err error) error {
	var pe *pgerr.Error
	if !errors.As(err, &pe) {
		return fmt.Errorf("an error without SQLSTATE: %v", err)
	}
	if pe.Code == pgerr.InternalError {
		return fmt.Errorf("an internal error: %v", err)
	}
	return nil
}

// fuzzEnv is a catalog with tables like the differential tests', on a
// PostgreSQL, a MySQL and a SQLite source.
func fuzzEnv(tb testing.TB) *planner.Env {
	num := types.Type{Kind: types.Numeric, Precision: 12, Scale: 2}
	col := func(name string, t types.Type) connectors.Column { return connectors.Column{Name: name, Type: t} }
	t1 := []connectors.Column{col("id", types.TInt4), col("i", types.TInt4), col("s", types.TInt2), col("b", types.TInt8),
		col("n", num), col("f", types.TFloat8), col("txt", types.TText), col("c", types.Type{Kind: types.Bpchar, Length: 5}),
		col("v", types.Type{Kind: types.Varchar, Length: 10}), col("d", types.TDate), col("ts", types.TTimestamp), col("flag", types.TBool)}
	t2 := []connectors.Column{col("id", types.TInt4), col("t1_id", types.TInt4), col("i", types.TInt4), col("n", num), col("txt", types.TText)}
	small := []connectors.Column{col("id", types.TInt4), col("txt", types.TText)}
	return catalogEnv(tb, func(s *catalog.Snapshot) {
		s.Sources["pg"] = &catalog.Source{Name: "pg", Wrapper: "postgres", DefaultSchema: "public", OID: s.AllocOID(), Tables: []connectors.Table{
			{Schema: "public", Name: "t1", Columns: t1}, {Schema: "public", Name: "t2", Columns: t2},
		}}
		s.Sources["my"] = &catalog.Source{Name: "my", Wrapper: "mysql", DefaultSchema: "db", OID: s.AllocOID(), Tables: []connectors.Table{
			{Schema: "db", Name: "t3", Columns: small},
		}}
		s.Sources["lite"] = &catalog.Source{Name: "lite", Wrapper: "sqlite", DefaultSchema: "main", OID: s.AllocOID(), Tables: []connectors.Table{
			{Schema: "main", Name: "t4", Columns: small},
		}}
	}, map[string]sqlgen.Dialect{"pg": &postgres.Dialect{}, "my": mysql.Dialect{}, "lite": sqlite.Dialect{}})
}
