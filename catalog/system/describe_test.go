package system

import (
	"testing"

	"github.com/junction-db/junction/catalog"
	"github.com/junction-db/junction/types"
)

func TestDescribeObject(t *testing.T) {
	info := testInfo()
	args := []types.Type{oidT, oidT, types.TInt4}
	customers := catalog.TableOID(info.Snapshot.Sources["crm"], 0)
	// shop.customers is hidden behind crm.customers on the search path.
	hidden := catalog.TableOID(info.Snapshot.Sources["shop"], 1)
	for _, c := range []struct {
		class, oid uint32
		sub        int64
		want       string
	}{
		{pgClassOID, customers, 0, "table customers"},
		{pgClassOID, customers, 2, "column name of table customers"},
		{pgClassOID, hidden, 1, "column id of table shop.customers"},
		{pgClassOID, 16390, 0, "view big_orders"},
		{pgClassOID, pgClassOID, 0, "table pg_class"},
		{pgNamespaceOID, crmOID, 0, "schema crm"},
		{pgTypeOID, 23, 0, "type integer"},
		{pgProcOID, 2079, 0, "function pg_table_is_visible(oid)"},
		{pgForeignServerOID, shopOID, 0, "server shop"},
		{pgAuthIDOID, superuserOID, 0, "role alice"},
		{pgDatabaseOID, junctionDatabaseOID, 0, "database junction"},
	} {
		d := value(t, info, "pg_describe_object", args, num(int64(c.class)), num(int64(c.oid)), num(c.sub))
		if d.Null || d.Str != c.want {
			t.Errorf("pg_describe_object(%d, %d, %d) = %v, want %q", c.class, c.oid, c.sub, d, c.want)
		}
	}
	for _, c := range []struct {
		class, oid uint32
		sub        int64
	}{
		{pgClassOID, 999999, 0},
		{pgClassOID, customers, 99},
		{pgProcOID, 1, 0},
		{4242, 1, 0},
	} {
		if d := value(t, info, "pg_describe_object", args, num(int64(c.class)), num(int64(c.oid)), num(c.sub)); !d.Null {
			t.Errorf("pg_describe_object(%d, %d, %d) = %q, want NULL for a missing object", c.class, c.oid, c.sub, d.Str)
		}
	}
}

func TestQuoteLiteral(t *testing.T) {
	info := testInfo()
	for in, want := range map[string]string{
		"abc": "'abc'", "it's": "'it''s'", `a\b`: `E'a\\b'`, "": "''", `x'\`: `E'x''\\'`,
	} {
		if d := value(t, info, "quote_literal", []types.Type{textT}, str(in)); d.Str != want {
			t.Errorf("quote_literal(%q) = %s, want %s", in, d.Str, want)
		}
		if d := value(t, info, "quote_nullable", []types.Type{textT}, str(in)); d.Str != want {
			t.Errorf("quote_nullable(%q) = %s, want %s", in, d.Str, want)
		}
	}
	if d := value(t, info, "quote_literal", []types.Type{textT}, types.NullDatum); !d.Null {
		t.Errorf("quote_literal(NULL) = %q, want NULL", d.Str)
	}
	if d := value(t, info, "quote_nullable", []types.Type{textT}, types.NullDatum); d.Null || d.Str != "NULL" {
		t.Errorf("quote_nullable(NULL) = %v, want the word NULL", d)
	}
	if d := value(t, info, "pg_get_function_sqlbody", []types.Type{oidT}, num(2079)); !d.Null {
		t.Errorf("pg_get_function_sqlbody of a built-in function = %q, want NULL", d.Str)
	}
}
