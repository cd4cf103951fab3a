package planner_test

import (
	"context"
	"strings"
	"testing"

	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/planner"
	"github.com/junction-db/junction/types"
)

// TestLimitParams checks that LIMIT and OFFSET take parameters, typed
// bigint as PostgreSQL infers them, and that the bound values reach the
// source's SQL as they would have as literals.
func TestLimitParams(t *testing.T) {
	env := testEnv(t)
	ctx := context.Background()
	sql := "SELECT id FROM crm.customers ORDER BY id LIMIT $1 OFFSET $2 + 1"
	stmts, err := planner.Parse(sql)
	if err != nil {
		t.Fatal(err)
	}
	q, err := planner.BindSelect(ctx, env, stmts[0].Stmt.GetSelectStmt(), nil)
	if err != nil {
		t.Fatalf("bind: %v", err)
	}
	if len(q.Params) != 2 || q.Params[0] != types.TInt8 || q.Params[1] != types.TInt4 {
		t.Fatalf("parameter types %v, want bigint, integer (as PostgreSQL infers for $2 + 1)", q.Params)
	}
	run := func(limit, offset types.Datum) (string, error) {
		p, err := planner.Optimize(ctx, env, planner.BindParams(q.Plan, []types.Datum{limit, offset}))
		if err != nil {
			return "", err
		}
		return strings.Join(planner.Explain(env, p, nil), "\n"), nil
	}
	got, err := run(types.IntDatum(5), types.IntDatum(1))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(got, "LIMIT 5 OFFSET 2") {
		t.Errorf("LIMIT $1 OFFSET $2 + 1 with 5, 1 does not send LIMIT 5 OFFSET 2:\n%s", got)
	}
	if got, err = run(types.NullDatum, types.IntDatum(0)); err != nil || strings.Contains(got, "LIMIT") {
		t.Errorf("LIMIT NULL limits: %v\n%s", err, got)
	}
	if _, err := run(types.IntDatum(-1), types.IntDatum(0)); pgerr.Code(err) != "2201W" {
		t.Errorf("LIMIT -1: got %v, want SQLSTATE 2201W", err)
	}
	if _, err := run(types.IntDatum(1), types.IntDatum(-2)); pgerr.Code(err) != "2201X" {
		t.Errorf("OFFSET -1: got %v, want SQLSTATE 2201X", err)
	}
}

// TestParamTypesFromFunctions checks that a parameter passed to a
// function takes the type the function's signature gives it, as
// PostgreSQL reports in ParameterDescription.
func TestParamTypesFromFunctions(t *testing.T) {
	env := testEnv(t)
	for _, c := range []struct {
		sql  string
		want []types.Type
	}{
		{"SELECT substr('abcdef', $1, $2)", []types.Type{types.TInt4, types.TInt4}},
		{"SELECT upper($1)", []types.Type{types.TText}},
		{"SELECT $1", []types.Type{types.TText}},
		{"SELECT id FROM crm.customers WHERE id = $1", []types.Type{types.TInt4}},
	} {
		stmts, err := planner.Parse(c.sql)
		if err != nil {
			t.Fatal(err)
		}
		q, err := planner.BindSelect(context.Background(), env, stmts[0].Stmt.GetSelectStmt(), nil)
		if err != nil {
			t.Errorf("%s: %v", c.sql, err)
			continue
		}
		if len(q.Params) != len(c.want) {
			t.Errorf("%s: parameters %v, want %v", c.sql, q.Params, c.want)
			continue
		}
		for i := range c.want {
			if q.Params[i].Kind != c.want[i].Kind {
				t.Errorf("%s: parameters %v, want %v", c.sql, q.Params, c.want)
				break
			}
		}
	}
}

// TestLimitParamsInSubqueries checks LIMIT $n in a derived table and in a
// subquery expression, where a negative value must fail too.
func TestLimitParamsInSubqueries(t *testing.T) {
	env := testEnv(t)
	ctx := context.Background()
	for _, sql := range []string{
		"SELECT s.id FROM (SELECT id FROM crm.customers ORDER BY id LIMIT $1) s",
		"SELECT id FROM crm.customers WHERE id IN (SELECT customer_id FROM crm.segments ORDER BY 1 LIMIT $1)",
	} {
		stmts, err := planner.Parse(sql)
		if err != nil {
			t.Fatal(err)
		}
		q, err := planner.BindSelect(ctx, env, stmts[0].Stmt.GetSelectStmt(), nil)
		if err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
		if _, err := planner.Optimize(ctx, env, planner.BindParams(q.Plan, []types.Datum{types.IntDatum(3)})); err != nil {
			t.Errorf("%s with 3: %v", sql, err)
		}
		if _, err := planner.Optimize(ctx, env, planner.BindParams(q.Plan, []types.Datum{types.IntDatum(-3)})); pgerr.Code(err) != "2201W" {
			t.Errorf("%s with -3: got %v, want SQLSTATE 2201W", sql, err)
		}
	}
}
