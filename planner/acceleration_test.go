package planner_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/junction-db/junction/catalog"
	"github.com/junction-db/junction/connectors"
	"github.com/junction-db/junction/connectors/files"
	"github.com/junction-db/junction/connectors/sqlgen"
	"github.com/junction-db/junction/planner"
)

// accelerated makes env read crm.customers as choice says, and the local
// copies in their dialect.
func accelerated(env *planner.Env, choice planner.Acceleration) *planner.Env {
	dialect := env.Dialect
	env.Dialect = func(name string) (sqlgen.Dialect, bool) {
		if name == catalog.LocalCopiesSource {
			return (&files.LocalCopies{}).Dialect(), true
		}
		return dialect(name)
	}
	env.Acceleration = func(src *catalog.Source, t *connectors.Table) (planner.Acceleration, bool) {
		return choice, src.Name == "crm" && t.Name == "customers"
	}
	return env
}

func bindQuery(t *testing.T, env *planner.Env, sql string) *planner.Query {
	t.Helper()
	stmts, err := planner.Parse(sql)
	if err != nil {
		t.Fatal(err)
	}
	q, err := planner.BindSelect(context.Background(), env, stmts[0].Stmt.GetSelectStmt(), nil)
	if err != nil {
		t.Fatal(err)
	}
	return q
}

func TestAcceleratedTableReadsItsCopyWhileFresh(t *testing.T) {
	until := time.Now().Add(time.Minute)
	env := accelerated(testEnv(t), planner.Acceleration{Copy: "accel_1_ab", Until: until, Note: "Local copy: customers (age 3 s, max_staleness 5 min)"})
	const sql = "SELECT c.country, count(*) FROM crm.customers c JOIN shop.orders o ON o.customer_id = c.id GROUP BY c.country"
	plan := explain(t, env, sql)
	for _, want := range []string{"Remote Query on local copies", `FROM "accel_1_ab" t1`, "Local copy: customers (age 3 s, max_staleness 5 min)", "Remote Query on shop"} {
		if !strings.Contains(plan, want) {
			t.Errorf("plan lacks %q:\n%s", want, plan)
		}
	}
	if strings.Contains(plan, "Remote Query on crm") {
		t.Errorf("a fresh copy's table is read at its source:\n%s", plan)
	}
	if q := bindQuery(t, env, sql); !q.Accelerated || !q.AcceleratedUntil.Equal(until) {
		t.Errorf("the query holds until %v (accelerated %v), want until %v", q.AcceleratedUntil, q.Accelerated, until)
	}
	if q := bindQuery(t, env, "SELECT count(*) FROM shop.orders"); q.Accelerated {
		t.Errorf("a query of a table not accelerated depends on the copies")
	}
}

func TestAcceleratedTableReadsItsSourceWhenTheCopyIsTooOld(t *testing.T) {
	env := accelerated(testEnv(t), planner.Acceleration{Note: "Live: copy age 7 min exceeds max_staleness 5 min"})
	plan := explain(t, env, "SELECT count(*) FROM crm.customers")
	if !strings.Contains(plan, "Remote Query on crm") || !strings.Contains(plan, "Live: copy age 7 min exceeds max_staleness 5 min") {
		t.Errorf("a stale copy's table is not read at its source, saying why:\n%s", plan)
	}
	if q := bindQuery(t, env, "SELECT count(*) FROM crm.customers"); !q.Accelerated || !q.AcceleratedUntil.IsZero() {
		t.Errorf("the live choice holds until %v (accelerated %v), want until a new copy", q.AcceleratedUntil, q.Accelerated)
	}
}

// The copy is read under the table's row policies and masks, as the
// source would be.
func TestAcceleratedTableKeepsRowPoliciesAndMasks(t *testing.T) {
	policies := []catalog.Policy{{Name: "dutch", Command: "all", Roles: []string{"staff"}, Using: "country = 'NL'"}}
	env := accelerated(securedEnv(t, "alice", policies, "staff"), planner.Acceleration{Copy: "accel_1_ab", Note: "Local copy: customers (age 1 s, max_staleness 1 min)"})
	plan := explain(t, env, "SELECT name FROM crm.customers WHERE id > 5")
	for _, want := range []string{"Remote Query on local copies", "Row Filter (policy dutch on crm.customers)", "Masked: name", "Local copy: customers"} {
		if !strings.Contains(plan, want) {
			t.Errorf("plan lacks %q:\n%s", want, plan)
		}
	}
	if !strings.Contains(plan, `(t1."country" = 'NL')`) && !strings.Contains(plan, "Filter: (customers.country = 'NL')") {
		t.Errorf("the policy's predicate is not applied to the copy:\n%s", plan)
	}
}
