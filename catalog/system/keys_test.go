package system

import (
	"testing"

	"github.com/junction-db/junction/catalog"
	"github.com/junction-db/junction/connectors"
	"github.com/junction-db/junction/types"
)

// keyedInfo has a source whose orders reference customers, with a
// primary key, a unique key, a descending index and comments.
func keyedInfo() *Info {
	src := &catalog.Source{Name: "shop", Wrapper: "postgres", OID: 16384, DefaultSchema: "public", Tables: []connectors.Table{
		{Schema: "public", Name: "customers", Comment: "people who buy", Columns: []connectors.Column{
			{Name: "id", Type: types.TInt4}, {Name: "email", Type: types.TText, Nullable: true, Comment: "where to write"},
		}, Keys: []connectors.Key{
			{Name: "customers_pkey", Kind: connectors.PrimaryKey, Columns: []string{"id"}},
			{Name: "customers_email_key", Kind: connectors.UniqueKey, Columns: []string{"email"}},
		}, Indexes: []connectors.Index{
			{Name: "customers_pkey", Columns: []string{"id"}, Unique: true, Primary: true, Method: "btree"},
			{Name: "customers_email_key", Columns: []string{"email"}, Unique: true, Method: "btree"},
		}},
		{Schema: "public", Name: "orders", Columns: []connectors.Column{
			{Name: "id", Type: types.TInt8}, {Name: "customer_id", Type: types.TInt4}, {Name: "placed", Type: types.TDate},
		}, Keys: []connectors.Key{
			{Name: "orders_customer_fk", Kind: connectors.ForeignKey, Columns: []string{"customer_id"},
				RefSchema: "public", RefTable: "customers", RefColumns: []string{"id"}, OnUpdate: "a", OnDelete: "c", Match: "s"},
			{Name: "orders_missing_fk", Kind: connectors.ForeignKey, Columns: []string{"customer_id"},
				RefSchema: "hidden", RefTable: "t", RefColumns: []string{"id"}},
		}, Indexes: []connectors.Index{
			{Name: "orders_placed_idx", Columns: []string{"placed", "customer_id"}, Descending: []bool{true, false},
				NullsFirst: []bool{true, false}, Method: "btree"},
		}},
	}}
	return &Info{Snapshot: &catalog.Snapshot{Sources: map[string]*catalog.Source{"shop": src}}, User: "alice", Database: "junction",
		Settings: map[string]string{"search_path": `"$user", public`}}
}

func TestKeysAndIndexes(t *testing.T) {
	info := keyedInfo()
	cons := rowsOf(t, info, PgCatalog, "pg_constraint")
	if len(cons) != 3 {
		t.Fatalf("pg_constraint has %d rows, want 3 (a foreign key to a table Junction does not list is left out)", len(cons))
	}
	fk := find(cons, map[string]string{"conname": "orders_customer_fk"})
	if len(fk) != 1 || fk[0]["conkey"].Str != "{2}" || fk[0]["confkey"].Str != "{1}" || fk[0]["confdeltype"].Str != "c" {
		t.Errorf("foreign key row %v", fk)
	}
	defs := map[string]string{}
	for _, c := range cons {
		defs[c["conname"].Str] = value(t, info, "pg_get_constraintdef", []types.Type{types.TOID}, c["oid"]).Str
	}
	for name, want := range map[string]string{
		"customers_pkey":      "PRIMARY KEY (id)",
		"customers_email_key": "UNIQUE (email)",
		"orders_customer_fk":  "FOREIGN KEY (customer_id) REFERENCES customers(id) ON DELETE CASCADE",
	} {
		if defs[name] != want {
			t.Errorf("pg_get_constraintdef of %s = %q, want %q", name, defs[name], want)
		}
	}
	idx := rowsOf(t, info, PgCatalog, "pg_index")
	placed := find(rowsOf(t, info, PgCatalog, "pg_class"), map[string]string{"relname": "orders_placed_idx"})
	if len(idx) != 3 || len(placed) != 1 || placed[0]["relkind"].Str != "i" {
		t.Fatalf("pg_index has %d rows, pg_class shows orders_placed_idx as %v", len(idx), placed)
	}
	def := value(t, info, "pg_get_indexdef", []types.Type{types.TOID}, placed[0]["oid"]).Str
	if want := "CREATE INDEX orders_placed_idx ON shop.orders USING btree (placed DESC, customer_id)"; def != want {
		t.Errorf("pg_get_indexdef = %q, want %q", def, want)
	}
	col := value(t, info, "pg_get_indexdef", []types.Type{types.TOID, types.TInt4, types.TBool}, placed[0]["oid"], num(2), boolean(false)).Str
	if col != "customer_id" {
		t.Errorf("pg_get_indexdef(oid, 2, false) = %q, want customer_id", col)
	}
	for _, r := range idx {
		if r["indexrelid"].Int == placed[0]["oid"].Int && (r["indkey"].Str != "3 2" || r["indoption"].Str != "3 0") {
			t.Errorf("pg_index row of orders_placed_idx: indkey %q indoption %q, want \"3 2\" and \"3 0\"", r["indkey"].Str, r["indoption"].Str)
		}
	}
	usage := rowsOf(t, info, InformationSchema, "key_column_usage")
	if fk := find(usage, map[string]string{"constraint_name": "orders_customer_fk"}); len(fk) != 1 || fk[0]["column_name"].Str != "customer_id" {
		t.Errorf("key_column_usage of the foreign key: %v", fk)
	}
	ref := rowsOf(t, info, InformationSchema, "referential_constraints")
	if len(ref) != 1 || ref[0]["unique_constraint_name"].Str != "customers_pkey" || ref[0]["delete_rule"].Str != "CASCADE" {
		t.Errorf("referential_constraints: %v", ref)
	}
}

func TestSourceComments(t *testing.T) {
	info := keyedInfo()
	customers := find(rowsOf(t, info, PgCatalog, "pg_class"), map[string]string{"relname": "customers"})[0]["oid"]
	if got := value(t, info, "obj_description", []types.Type{types.TOID, types.TName}, customers, str("pg_class")); got.Str != "people who buy" {
		t.Errorf("obj_description = %v", got)
	}
	if got := value(t, info, "col_description", []types.Type{types.TOID, types.TInt4}, customers, num(2)); got.Str != "where to write" {
		t.Errorf("col_description = %v", got)
	}
}
