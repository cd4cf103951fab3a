package e2e

import (
	"context"
	"slices"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/junction-db/junction/test/testenv"
)

func TestBadInputKeepsSessionUsable(t *testing.T) {
	srv := startDemo(t)
	conn := srv.Connect(t)
	const healthy = `SELECT count(*) FROM demo_crm.customers`
	want := queryValue(t, conn, healthy)

	for _, c := range []struct {
		name, sql, code string
	}{
		{"syntax error", `SELEC id FROM demo_crm.customers`, "42601"},
		{"unterminated string", `SELECT 'abc FROM demo_crm.customers`, "42601"},
		{"unknown table", `SELECT * FROM demo_crm.no_such_table`, "42P01"},
		{"unknown schema", `SELECT * FROM no_such_source.customers`, "42P01"},
		{"unknown column", `SELECT no_such_column FROM demo_crm.customers`, "42703"},
		{"unknown function", `SELECT no_such_function(id) FROM demo_crm.customers`, "42883"},
		{"INSERT", `INSERT INTO demo_crm.customers (id, name) VALUES (9999, 'x')`, "25006"},
		{"UPDATE", `UPDATE demo_shop.orders SET status = 'paid'`, "25006"},
		{"DELETE", `DELETE FROM demo_shop.orders`, "25006"},
		{"CREATE TABLE", `CREATE TABLE demo_crm.t (id int)`, "25006"},
		{"DISTINCT in a window aggregate", `SELECT id, count(DISTINCT name) OVER () FROM demo_crm.customers`, "0A000"},
		{"division by zero", `SELECT id / 0 FROM demo_crm.customers`, "22012"},
		{"bad cast", `SELECT 'abc'::integer`, "22P02"},
	} {
		t.Run(c.name, func(t *testing.T) {
			expectError(t, conn, c.sql, c.code)
			if got := queryValue(t, conn, healthy); got != want {
				t.Errorf("after the error %s = %s, want %s", healthy, got, want)
			}
		})
	}
}

func TestPreparedStatements(t *testing.T) {
	srv := startDemo(t)
	conn := srv.Connect(t)
	ctx := context.Background()

	sd, err := conn.Prepare(ctx, "customers_after", `SELECT id, name FROM demo_crm.customers WHERE id > $1::int AND name <> $2::text ORDER BY id LIMIT 3`)
	if err != nil {
		t.Fatalf("prepare: %s", testenv.DescribeError(err))
	}
	if want := []uint32{pgtype.Int4OID, pgtype.TextOID}; !slices.Equal(sd.ParamOIDs, want) {
		t.Errorf("parameter types = %v, want %v (int4, text)", sd.ParamOIDs, want)
	}
	if len(sd.Fields) != 2 || sd.Fields[0].Name != "id" || sd.Fields[1].Name != "name" || sd.Fields[1].DataTypeOID != pgtype.TextOID {
		t.Errorf("described columns = %+v, want id and name (text)", sd.Fields)
	}
	for _, c := range []struct {
		after   int
		notName any
		want    []int64
	}{
		{0, "nobody", []int64{1, 2, 3}},
		{100, "nobody", []int64{101, 102, 103}},
		{198, "nobody", []int64{199, 200}},
		{0, nil, nil},
	} {
		rows, err := conn.Query(ctx, "customers_after", c.after, c.notName)
		if err != nil {
			t.Fatalf("execute with (%d, %v): %s", c.after, c.notName, testenv.DescribeError(err))
		}
		ids, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (int64, error) {
			var id int64
			var name string
			err := r.Scan(&id, &name)
			return id, err
		})
		if err != nil {
			t.Fatalf("execute with (%d, %v): %s", c.after, c.notName, testenv.DescribeError(err))
		}
		if !slices.Equal(ids, c.want) {
			t.Errorf("execute with (%d, %v) returned ids %v, want %v", c.after, c.notName, ids, c.want)
		}
	}

	// Parameter types inferred from the column they are compared with,
	// and result types described before execution.
	sd, err = conn.Prepare(ctx, "order_by_id", `SELECT id, amount, status, created_at FROM demo_shop.orders WHERE id = $1`)
	if err != nil {
		t.Fatalf("prepare: %s", testenv.DescribeError(err))
	}
	if len(sd.Fields) != 4 {
		t.Fatalf("described %d columns, want 4", len(sd.Fields))
	}
	if len(sd.ParamOIDs) != 1 || sd.ParamOIDs[0] != sd.Fields[0].DataTypeOID {
		t.Errorf("$1 compared with id has type %v, want id's type %d", sd.ParamOIDs, sd.Fields[0].DataTypeOID)
	}
	got := []uint32{sd.Fields[1].DataTypeOID, sd.Fields[2].DataTypeOID, sd.Fields[3].DataTypeOID}
	if want := []uint32{pgtype.NumericOID, pgtype.TextOID, pgtype.TimestampOID}; !slices.Equal(got, want) {
		t.Errorf("amount, status, created_at described as %v, want %v (numeric, text, timestamp)", got, want)
	}
	for _, id := range []int{1, 2000} {
		var gotID int64
		var amount pgtype.Numeric
		var status string
		var created pgtype.Timestamp
		if err := conn.QueryRow(ctx, "order_by_id", id).Scan(&gotID, &amount, &status, &created); err != nil {
			t.Fatalf("order %d: %s", id, testenv.DescribeError(err))
		}
		if gotID != int64(id) || !amount.Valid || status == "" || !created.Valid {
			t.Errorf("order %d read as id %d, amount %+v, status %q, created_at %+v", id, gotID, amount, status, created)
		}
	}
}
