package planner_test

import (
	"context"
	"testing"

	"github.com/junction-db/junction/planner"
	"github.com/junction-db/junction/types"
)

// outputTypes binds sql and returns the types of its columns.
func outputTypes(t *testing.T, sql string) []types.Type {
	t.Helper()
	stmts, err := planner.Parse(sql)
	if err != nil {
		t.Fatalf("parse %q: %v", sql, err)
	}
	q, err := planner.BindSelect(context.Background(), testEnv(t), stmts[0].Stmt.GetSelectStmt(), nil)
	if err != nil {
		t.Fatalf("bind %q: %v", sql, err)
	}
	var out []types.Type
	for _, c := range q.Plan.Columns() {
		out = append(out, c.Type)
	}
	return out
}

// The parser spells SQL's char and character as bpchar; "char" quoted is
// PostgreSQL's single-byte type.
func TestCharTypeNames(t *testing.T) {
	got := outputTypes(t, `SELECT 'a'::"char", 'a'::char, 'a'::character(3), 'a'::bpchar, 'a'::pg_catalog.char`)
	want := []types.Type{types.TChar, {Kind: types.Bpchar, Length: 1}, {Kind: types.Bpchar, Length: 3}, {Kind: types.Bpchar}, types.TChar}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("column %d has type %v, want %v", i+1, got[i], want[i])
		}
	}
}

// interval's field restrictions and the precisions of interval, time and
// timestamp become their type modifier.
func TestIntervalTypeNames(t *testing.T) {
	got := outputTypes(t, `SELECT interval '1' day to hour, interval(2) '1', '1'::interval minute to second(3), '1'::interval, now()::timestamp(0), '10:00'::time(2)`)
	want := []string{"interval day to hour", "interval(2)", "interval minute to second(3)", "interval", "timestamp(0) without time zone", "time(2) without time zone"}
	for i := range want {
		if got[i].String() != want[i] {
			t.Errorf("column %d has type %s, want %s", i+1, got[i], want[i])
		}
	}
}

// An untyped literal argument reads as text where a signature takes text
// there, and otherwise as the type of the signature that fits best.
func TestUnknownFunctionArguments(t *testing.T) {
	got := outputTypes(t, `SELECT power(2.0, '3'), substr('abc', '2'), length('abc'), round(2.5, '0')`)
	want := []types.Type{types.TNumeric, types.TText, types.TInt4, types.TNumeric}
	for i := range want {
		if got[i].Kind != want[i].Kind {
			t.Errorf("column %d has type %s, want %s", i+1, got[i], want[i])
		}
	}
}
