package planner_test

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/junction-db/junction/planner"
	"github.com/junction-db/junction/types"
)

// Every aggregate pg_aggregate lists binds, with the result type pg_proc
// gives it.
func TestCatalogAggregatesBind(t *testing.T) {
	env := testEnv(t)
	rows, err := runLocal(t, env, `SELECT p.proname, p.proargtypes, p.prorettype, a.aggkind, a.aggnumdirectargs
		FROM pg_catalog.pg_aggregate a JOIN pg_catalog.pg_proc p ON p.oid = a.aggfnoid ORDER BY p.oid`)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) < 80 {
		t.Fatalf("pg_aggregate lists %d aggregates", len(rows))
	}
	// Pseudo-types bind as a type they accept.
	concrete := map[uint32]types.Type{2276: types.TInt4, 2283: types.TInt4, 2776: types.TInt4, 2277: {Kind: types.Int4Array}}
	for _, r := range rows {
		f := strings.Split(r, "|")
		name, kind := f[0], f[3]
		direct, _ := strconv.Atoi(f[4])
		result, _ := strconv.ParseUint(f[2], 10, 32)
		var args []string
		for _, a := range strings.Fields(f[1]) {
			oid, _ := strconv.ParseUint(a, 10, 32)
			ty, ok := concrete[uint32(oid)]
			if !ok {
				if ty, ok = types.ByOID(uint32(oid)); !ok {
					t.Errorf("%s: argument type %d unknown", name, oid)
					continue
				}
			}
			args = append(args, "NULL::"+ty.CastName())
		}
		var sql string
		switch kind {
		case "n":
			if len(args) == 0 {
				args = []string{"*"}
			}
			sql = fmt.Sprintf("SELECT %s(%s)", name, strings.Join(args, ", "))
		case "o":
			sql = fmt.Sprintf("SELECT %s(%s) WITHIN GROUP (ORDER BY %s)", name, strings.Join(args[:direct], ", "), strings.Join(args[direct:], ", "))
		case "h":
			sql = fmt.Sprintf("SELECT %s(1) WITHIN GROUP (ORDER BY 1)", name)
		}
		stmts, err := planner.Parse(sql)
		if err != nil {
			t.Fatal(err)
		}
		q, err := planner.BindSelect(context.Background(), env, stmts[0].Stmt.GetSelectStmt(), nil)
		if err != nil {
			t.Errorf("%s: %v", sql, err)
			continue
		}
		got := q.Plan.Columns()[0].Type.OID()
		if _, polymorphic := concrete[uint32(result)]; !polymorphic && got != uint32(result) {
			t.Errorf("%s returns type %d, pg_proc says %d", sql, got, result)
		}
	}
}
