package planner_test

import (
	"context"
	"strings"
	"testing"

	"github.com/junction-db/junction/executor"
	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/planner"
	"github.com/junction-db/junction/types"
)

// runLocal plans and runs a query that reads no source (system tables,
// functions in FROM, VALUES) and returns its rows, each row's values in
// their text form joined with "|".
func runLocal(t *testing.T, env *planner.Env, sql string) ([]string, error) {
	t.Helper()
	stmts, err := planner.Parse(sql)
	if err != nil {
		t.Fatalf("parse %q: %v", sql, err)
	}
	q, err := planner.BindSelect(context.Background(), env, stmts[0].Stmt.GetSelectStmt(), nil)
	if err != nil {
		return nil, err
	}
	p, err := planner.Optimize(context.Background(), env, q.Plan)
	if err != nil {
		return nil, err
	}
	run, err := executor.Build(context.Background(), p, nil)
	if err != nil {
		return nil, err
	}
	defer run.Close()
	var out []string
	for {
		b, err := run.Next()
		if err != nil {
			return out, err
		}
		if b == nil {
			return out, nil
		}
		for i := 0; i < b.Len; i++ {
			parts := make([]string, len(b.Cols))
			for c, v := range b.Cols {
				parts[c] = "NULL"
				if !v.IsNull(i) {
					parts[c] = types.FormatText(v.Type, v.Datum(i))
				}
			}
			out = append(out, strings.Join(parts, "|"))
		}
	}
}

func TestFunctionsInFrom(t *testing.T) {
	env := testEnv(t)
	cases := []rowCase{
		{"SELECT * FROM generate_series(1, 3)", []string{"1", "2", "3"}},
		{"SELECT s FROM generate_series(1, 3) s WHERE s > 1", []string{"2", "3"}},
		{"SELECT i * 10 FROM pg_catalog.generate_series(3, 1, -1) AS s(i)", []string{"30", "20", "10"}},
		{"SELECT generate_series.generate_series FROM generate_series(1, 1)", []string{"1"}},
		{"SELECT x, n FROM unnest('{a,NULL,c}'::text[]) WITH ORDINALITY AS u(x, n)", []string{"a|1", "NULL|2", "c|3"}},
		{"SELECT option_value FROM pg_options_to_table('{host=db,port=5432}') WHERE option_name = 'port'", []string{"5432"}},
		{"SELECT count(*), min(s), max(s) FROM generate_series(1, 5000) s", []string{"5000|1|5000"}},
		{"SELECT a, b FROM generate_series(1, 2) a, generate_series(1, 2) b WHERE a < b", []string{"1|2"}},
		// A function that returns one value is a one-row table.
		{"SELECT l, up FROM lower('ABC') l, upper('x') AS up", []string{"abc|X"}},
		// Arguments may read the enclosing query's row.
		{"SELECT n, (SELECT string_agg(x::text, '+') FROM generate_series(1, n) x) FROM (VALUES (2), (3)) v(n) ORDER BY n", []string{"2|1+2", "3|1+2+3"}},
		{"SELECT relname, array(SELECT 'toast.' || x FROM unnest(reloptions) x) FROM pg_class WHERE relname = 'pg_class'", []string{"pg_class|{}"}},
	}
	checkRows(t, env, cases)
}

func TestArraysAndStringAgg(t *testing.T) {
	env := testEnv(t)
	cases := []rowCase{
		{"SELECT ARRAY['a', 'b c', NULL]", []string{`{a,"b c",NULL}`}},
		{"SELECT (ARRAY[ARRAY['a','b'], ARRAY['c','d']])[2][1]", []string{"c"}},
		{"SELECT ARRAY[]::text[], ARRAY[1::int2, '2']", []string{"{}|{1,2}"}},
		{"SELECT ('{a,b,c}'::text[])[2], ('{a,b,c}'::text[])[4], ('1 2 3'::int2vector)[0]", []string{"b|NULL|1"}},
		{"SELECT '1 2 3'::int2vector::int2[], array_upper('1 2 3'::int2vector::int2[], 1)", []string{"[0:2]={1,2,3}|2"}},
		{"SELECT '{a}'::text[] || '{b}', '{a}'::text[] || 'b'::text, 'z'::text || '{a}'::text[], NULL::text[] || '{a}'::text[]", []string{"{a,b}|{a,b}|{z,a}|{a}"}},
		{"SELECT array_to_string(NULL::text[] || array(SELECT 'toast.' || x FROM unnest(NULL::text[]) x), ', ')", []string{""}},
		{"SELECT string_agg(x, ', ') FROM unnest('{a,NULL,b}'::text[]) x", []string{"a, b"}},
		{"SELECT string_agg(x, '-') FILTER (WHERE x <> 'b') FROM unnest('{a,b,c}'::text[]) x", []string{"a-c"}},
		{"SELECT string_agg(x, ',') FROM unnest('{}'::text[]) x", []string{"NULL"}},
		{"SELECT (array(SELECT oid FROM pg_class WHERE relname = 'pg_class'))[1] = 1259::oid, array_length(array(SELECT relname FROM pg_class WHERE relname LIKE 'pg_cla%'), 1)", []string{"t|1"}},
	}
	checkRows(t, env, cases)
}

func TestTableOID(t *testing.T) {
	env := testEnv(t)
	got, err := runLocal(t, env, "SELECT s.tableoid, tableoid = 'pg_catalog.pg_namespace'::regclass FROM pg_namespace s WHERE nspname = 'pg_catalog'")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(got, "\n") != "2615|t" {
		t.Errorf("tableoid of pg_namespace: got %q, want 2615|t", got)
	}
	_, err = runLocal(t, env, "SELECT tableoid FROM pg_class, pg_namespace")
	if pgerr.Code(err) != pgerr.AmbiguousColumn {
		t.Errorf("tableoid over two tables: got %v, want 42702", err)
	}
	_, err = runLocal(t, env, "SELECT tableoid FROM (SELECT relname FROM pg_class) c")
	if pgerr.Code(err) != pgerr.UndefinedColumn {
		t.Errorf("tableoid of a derived table: got %v, want 42703", err)
	}
}

func TestFunctionScanPlan(t *testing.T) {
	env := testEnv(t)
	out := explain(t, env, "SELECT c.name, s FROM crm.customers c, generate_series(1, 2) s WHERE c.id = s")
	for _, want := range []string{"Function Scan on generate_series", "Call: generate_series(1, 2)", `Remote SQL: SELECT t1."id", t1."name" FROM "public"."customers" t1`} {
		if !strings.Contains(out, want) {
			t.Errorf("EXPLAIN lacks %q:\n%s", want, out)
		}
	}
	// string_agg's delimiter has no place in a dialect's aggregate, so
	// the aggregation runs in Junction.
	out = explain(t, env, "SELECT string_agg(name, ', ') FROM crm.customers")
	if !strings.Contains(out, "Aggregates: string_agg(customers.name, ', ')") || strings.Contains(out, "string_agg(t1") {
		t.Errorf("string_agg was pushed or lost its delimiter:\n%s", out)
	}
}

func TestFunctionAndArrayErrors(t *testing.T) {
	env := testEnv(t)
	cases := []struct{ sql, code string }{
		{"SELECT 1 WHERE generate_series(1, 2) = 1", pgerr.FeatureNotSupported},
		{"SELECT * FROM generate_series(1, 'x')", pgerr.InvalidTextRep},
		{"SELECT * FROM generate_series(1, 3, 0)", pgerr.InvalidParameterValue},
		{"SELECT * FROM unnest(1)", pgerr.UndefinedFunction},
		{"SELECT * FROM generate_series(1, count(*))", pgerr.GroupingError},
		{"SELECT * FROM ROWS FROM (generate_series(1, 2), generate_series(1, 3))", pgerr.FeatureNotSupported},
		{"SELECT * FROM generate_series(1, 2) AS s(a, b)", pgerr.InvalidColumnReference},
		{"SELECT c.name FROM generate_series(1, c.id) s, crm.customers c", pgerr.UndefinedTable},
		{"SELECT ARRAY[]", pgerr.IndeterminateDatatype},
		{`SELECT ARRAY['x'::"char"]`, pgerr.FeatureNotSupported},
		{"SELECT ARRAY['a'::text, ARRAY['b']]", pgerr.DatatypeMismatch},
		{"SELECT ('{1,2}'::int2[])[1:2]", pgerr.FeatureNotSupported},
		{"SELECT ('{1,2}'::int2[])['x']", pgerr.InvalidTextRep},
		{"SELECT ('{1,2}'::int2[])[1.5]", pgerr.DatatypeMismatch},
		{"SELECT (1)[1]", pgerr.DatatypeMismatch},
		{"SELECT '{a,b'::text[]", pgerr.InvalidTextRep},
		{"SELECT '{a}'::text[] || 1", pgerr.UndefinedFunction},
		{"SELECT '{1}'::int2[] || '{a}'::text[]", pgerr.UndefinedFunction},
		{"SELECT string_agg(1, ',')", pgerr.UndefinedFunction},
		{"SELECT string_agg('a')", pgerr.UndefinedFunction},
	}
	for _, c := range cases {
		_, err := runLocal(t, env, c.sql)
		if got := pgerr.Code(err); got != c.code {
			t.Errorf("%s: got %s (%v), want %s", c.sql, got, err, c.code)
		}
	}
}
