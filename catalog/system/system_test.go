package system

import (
	"strings"
	"testing"
	"time"

	"github.com/junction-db/junction/catalog"
	"github.com/junction-db/junction/connectors"
	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
)

const (
	crmOID  = 16384
	shopOID = 16385
)

// testSnapshot has two sources: crm (PostgreSQL) with a table in its
// default schema, one in another remote schema and a remote view; shop
// (MySQL) whose customers table has the same name as crm's. There is a
// stored view in public and one in the crm schema.
func testSnapshot() *catalog.Snapshot {
	crm := &catalog.Source{
		Name: "crm", Wrapper: "postgres", OID: crmOID, DefaultSchema: "public",
		Options: map[string]string{"host": "db.example", "port": "5432", "user": "app", "password": "s3cret", "dbname": "crm"},
		Tables: []connectors.Table{
			{Schema: "public", Name: "customers", RowEstimate: 1200, Columns: []connectors.Column{
				{Name: "id", Type: types.TInt4},
				{Name: "name", Type: types.Type{Kind: types.Varchar, Length: 100}, Nullable: true},
				{Name: "balance", Type: types.Type{Kind: types.Numeric, Precision: 12, Scale: 2}, Nullable: true},
				{Name: "created", Type: types.TTimestampTZ, Nullable: true},
				{Name: "tags", Type: tTextArray, Nullable: true},
			}},
			{Schema: "sales", Name: "orders", RowEstimate: -1, Columns: []connectors.Column{
				{Name: "id", Type: types.TInt8},
				{Name: "customer_id", Type: types.TInt4, Nullable: true},
				{Name: "placed", Type: types.TDate, Nullable: true},
			}},
			{Schema: "public", Name: "active_customers", IsView: true, RowEstimate: -1, Columns: []connectors.Column{
				{Name: "id", Type: types.TInt4, Nullable: true},
			}},
		},
	}
	shop := &catalog.Source{
		Name: "shop", Wrapper: "mysql", OID: shopOID, DefaultSchema: "shop",
		Options: map[string]string{"dsn": "app:hunter2@tcp(localhost:3306)/shop", "passwd": "hunter3"},
		Tables: []connectors.Table{
			{Schema: "shop", Name: "orders", RowEstimate: 50, Columns: []connectors.Column{
				{Name: "id", Type: types.TInt4},
				{Name: "status", Type: types.Type{Kind: types.Bpchar, Length: 10}, Nullable: true},
				{Name: "amount", Type: types.TFloat8, Nullable: true},
				{Name: "paid", Type: types.TBool, Nullable: true},
			}},
			{Schema: "shop", Name: "customers", RowEstimate: 7, Columns: []connectors.Column{
				{Name: "id", Type: types.TInt4},
			}},
		},
	}
	return &catalog.Snapshot{
		Sources: map[string]*catalog.Source{"crm": crm, "shop": shop},
		Views: map[string]*catalog.View{
			"public.big_orders": {Schema: "public", Name: "big_orders", OID: 16390, Columns: []string{"id", "amount"},
				SQL: "SELECT id, amount FROM shop.orders WHERE amount > 100"},
			"crm.vip": {Schema: "crm", Name: "vip", OID: 16391, Columns: []string{"id"}, SQL: "SELECT id FROM crm.customers"},
		},
	}
}

func testInfo() *Info {
	return &Info{
		Snapshot: testSnapshot(),
		User:     "alice",
		Database: "analytics",
		Settings: map[string]string{"search_path": `"$user", public`, "DateStyle": "ISO, MDY", "server_version": "15.0 (Junction 1.2.3)"},
	}
}

// rowsOf fills a system table and returns its rows keyed by column name.
func rowsOf(t *testing.T, info *Info, schema, name string) []map[string]types.Datum {
	t.Helper()
	node, ok := Lookup(info, schema, name)
	if !ok {
		t.Fatalf("Lookup(%q, %q) found nothing", schema, name)
	}
	rows, err := node.Fill()
	if err != nil {
		t.Fatalf("filling %s.%s: %v", schema, name, err)
	}
	out := make([]map[string]types.Datum, len(rows))
	for i, row := range rows {
		if len(row) != len(node.Cols) {
			t.Fatalf("%s.%s row %d has %d values for %d columns", schema, name, i, len(row), len(node.Cols))
		}
		out[i] = map[string]types.Datum{}
		for c, col := range node.Cols {
			out[i][col.Name] = row[c]
		}
	}
	return out
}

// find returns the rows whose columns have the given string values.
func find(rows []map[string]types.Datum, match map[string]string) []map[string]types.Datum {
	var out []map[string]types.Datum
	for _, r := range rows {
		ok := true
		for k, v := range match {
			ok = ok && !r[k].Null && r[k].Str == v
		}
		if ok {
			out = append(out, r)
		}
	}
	return out
}

func findOne(t *testing.T, rows []map[string]types.Datum, match map[string]string) map[string]types.Datum {
	t.Helper()
	found := find(rows, match)
	if len(found) != 1 {
		t.Fatalf("want one row matching %v, found %d", match, len(found))
	}
	return found[0]
}

func namespaceOID(t *testing.T, info *Info, name string) int64 {
	t.Helper()
	return findOne(t, rowsOf(t, info, "", "pg_namespace"), map[string]string{"nspname": name})["oid"].Int
}

func TestSchemasAndTableNames(t *testing.T) {
	if got := strings.Join(Schemas(), ","); got != "pg_catalog,information_schema,junction" {
		t.Errorf("Schemas() = %s", got)
	}
	if got := strings.Join(TableNames(Junction), ","); got != "accelerations,materialized_views,queries,server,sources,tables" {
		t.Errorf("TableNames(junction) = %s", got)
	}
	for _, want := range []string{"pg_class", "pg_attribute", "pg_type", "pg_namespace", "pg_settings"} {
		if _, ok := Lookup(testInfo(), "", want); !ok {
			t.Errorf("pg_catalog.%s missing", want)
		}
	}
	if _, ok := Lookup(testInfo(), "", "columns"); ok {
		t.Error("an unqualified name must not reach information_schema")
	}
	if _, ok := Lookup(testInfo(), InformationSchema, "columns"); !ok {
		t.Error("information_schema.columns missing")
	}
}

func TestLookupDescribesColumnsForTheWireLayer(t *testing.T) {
	node, _ := Lookup(testInfo(), PgCatalog, "pg_class")
	if node.Cols[0].Name != "oid" || node.Cols[0].Type != types.TOID || node.Cols[0].TableOID != 1259 || node.Cols[0].Attnum != 1 {
		t.Errorf("first pg_class column = %+v", node.Cols[0])
	}
	if c := node.Cols[1]; c.Name != "relname" || c.Type != types.TName {
		t.Errorf("second pg_class column = %+v", c)
	}
}

func TestEveryTableFills(t *testing.T) {
	info := testInfo()
	info.Superuser = true // pg_authid is for superusers only
	info.SourceStatus = func(string) SourceStatus { return SourceStatus{Status: "up", CircuitState: "closed"} }
	info.Queries = func() []QueryRecord { return []QueryRecord{{ID: 1, User: "alice", SQL: "SELECT 1", State: "done"}} }
	for _, schema := range Schemas() {
		for _, name := range TableNames(schema) {
			node, _ := Lookup(info, schema, name)
			rows, err := node.Fill()
			if err != nil {
				t.Errorf("%s.%s: %v", schema, name, err)
				continue
			}
			table := bySchema[schema][name]
			for _, row := range rows {
				for i, c := range table.cols {
					if c.notNull && row[i].Null {
						t.Errorf("%s.%s.%s is NOT NULL but a row has NULL", schema, name, c.name)
					}
				}
			}
		}
	}
}

func TestNamespacesFollowTheNamingModel(t *testing.T) {
	info := testInfo()
	for name, want := range map[string]int64{"pg_catalog": PgCatalogOID, "public": PublicOID, "information_schema": InformationSchemaOID,
		"junction": JunctionOID, "crm": crmOID, "shop": shopOID} {
		if got := namespaceOID(t, info, name); got != want {
			t.Errorf("namespace %s has OID %d, want %d", name, got, want)
		}
	}
	sales := namespaceOID(t, info, "crm.sales")
	if sales < derivedOIDBase {
		t.Errorf("crm.sales has OID %d, outside the derived range", sales)
	}
	again := testInfo()
	again.Snapshot.Sources["zeta"] = &catalog.Source{Name: "zeta", OID: 16399, Tables: []connectors.Table{{Schema: "other", Name: "t"}}}
	if got := namespaceOID(t, again, "crm.sales"); got != sales {
		t.Errorf("crm.sales OID changed from %d to %d when another source was added", sales, got)
	}
}

func TestPgClassListsTablesViewsAndSystemTables(t *testing.T) {
	info := testInfo()
	classes := rowsOf(t, info, PgCatalog, "pg_class")
	sales := namespaceOID(t, info, "crm.sales")
	for _, c := range []struct {
		name      string
		namespace int64
		kind      string
		oid       int64
		natts     int64
		tuples    float64
	}{
		{"customers", crmOID, "r", crmOID*1000 + 1, 5, 1200},
		{"orders", sales, "r", crmOID*1000 + 2, 3, -1},
		{"active_customers", crmOID, "v", crmOID*1000 + 3, 1, -1},
		{"orders", shopOID, "r", shopOID*1000 + 1, 4, 50},
		{"big_orders", PublicOID, "v", 16390, 2, -1},
		{"vip", crmOID, "v", 16391, 1, -1},
		{"pg_class", PgCatalogOID, "r", 1259, int64(len(pgClassColumns)), -1},
		{"columns", InformationSchemaOID, "v", 13295, int64(len(columnsColumns)), -1},
		{"sources", JunctionOID, "v", JunctionOID + 1, 14, -1},
	} {
		var row map[string]types.Datum
		for _, r := range find(classes, map[string]string{"relname": c.name}) {
			if r["relnamespace"].Int == c.namespace {
				row = r
			}
		}
		if row == nil {
			t.Errorf("pg_class has no %s in namespace %d", c.name, c.namespace)
			continue
		}
		if row["relkind"].Str != c.kind || row["oid"].Int != c.oid || row["relnatts"].Int != c.natts || row["reltuples"].Float != c.tuples {
			t.Errorf("pg_class %s: relkind %q oid %d relnatts %d reltuples %v; want %q %d %d %v", c.name,
				row["relkind"].Str, row["oid"].Int, row["relnatts"].Int, row["reltuples"].Float, c.kind, c.oid, c.natts, c.tuples)
		}
		if row["relowner"].Int != superuserOID || row["relpersistence"].Str != "p" {
			t.Errorf("pg_class %s: relowner %d relpersistence %q", c.name, row["relowner"].Int, row["relpersistence"].Str)
		}
	}
}

func TestPgAttributeHasTypesAndModifiers(t *testing.T) {
	info := testInfo()
	attrs := rowsOf(t, info, PgCatalog, "pg_attribute")
	var customers []map[string]types.Datum
	for _, a := range attrs {
		if a["attrelid"].Int == crmOID*1000+1 {
			customers = append(customers, a)
		}
	}
	want := []struct {
		name    string
		typ     int64
		typmod  int64
		notNull bool
		dims    int64
		format  string
	}{
		{"id", 23, -1, true, 0, "integer"},
		{"name", 1043, 104, false, 0, "character varying(100)"},
		{"balance", 1700, 12<<16 | 2 + 4, false, 0, "numeric(12,2)"},
		{"created", 1184, -1, false, 0, "timestamp with time zone"},
		{"tags", 1009, -1, false, 1, "text[]"},
	}
	if len(customers) != len(want) {
		t.Fatalf("crm.customers has %d attributes, want %d", len(customers), len(want))
	}
	_, _, formatType, _ := Function(info, "format_type", []types.Type{types.TOID, types.TInt4})
	for i, w := range want {
		a := customers[i]
		if a["attname"].Str != w.name || a["atttypid"].Int != w.typ || a["atttypmod"].Int != w.typmod ||
			a["attnotnull"].Bool != w.notNull || a["attnum"].Int != int64(i+1) || a["attndims"].Int != w.dims {
			t.Errorf("attribute %d = %s type %d typmod %d notnull %v num %d dims %d; want %+v", i, a["attname"].Str,
				a["atttypid"].Int, a["atttypmod"].Int, a["attnotnull"].Bool, a["attnum"].Int, a["attndims"].Int, w)
		}
		got, err := formatType([]types.Datum{a["atttypid"], a["atttypmod"]})
		if err != nil || got.Str != w.format {
			t.Errorf("format_type(%d, %d) = %q, %v; want %q", w.typ, w.typmod, got.Str, err, w.format)
		}
	}
}

func TestStoredViewColumnsComeFromThePlanner(t *testing.T) {
	info := testInfo()
	attributesOf := func(oid int64) []map[string]types.Datum {
		var out []map[string]types.Datum
		for _, a := range rowsOf(t, info, PgCatalog, "pg_attribute") {
			if a["attrelid"].Int == oid {
				out = append(out, a)
			}
		}
		return out
	}
	for _, a := range attributesOf(16390) {
		if a["atttypid"].Int != 25 {
			t.Errorf("without a planner, view column %s should be text, got type %d", a["attname"].Str, a["atttypid"].Int)
		}
	}
	info.ViewColumns = func(v *catalog.View) ([]plan.Column, error) {
		return []plan.Column{{Name: "id", Type: types.TInt4}, {Name: "amount", Type: types.TFloat8}}, nil
	}
	got := attributesOf(16390)
	if len(got) != 2 || got[0]["atttypid"].Int != 23 || got[1]["atttypid"].Int != 701 || got[1]["attname"].Str != "amount" {
		t.Errorf("view attributes = %v", got)
	}
}

func TestInformationSchemaColumnsSpelling(t *testing.T) {
	info := testInfo()
	cols := rowsOf(t, info, InformationSchema, "columns")
	check := func(schema, table, column string, want map[string]any) {
		t.Helper()
		row := findOne(t, cols, map[string]string{"table_schema": schema, "table_name": table, "column_name": column})
		for k, v := range want {
			d := row[k]
			switch v := v.(type) {
			case nil:
				if !d.Null {
					t.Errorf("%s.%s.%s %s = %+v, want NULL", schema, table, column, k, d)
				}
			case string:
				if d.Null || d.Str != v {
					t.Errorf("%s.%s.%s %s = %+v, want %q", schema, table, column, k, d, v)
				}
			case int:
				if d.Null || d.Int != int64(v) {
					t.Errorf("%s.%s.%s %s = %+v, want %d", schema, table, column, k, d, v)
				}
			}
		}
	}
	check("crm", "customers", "id", map[string]any{"data_type": "integer", "udt_name": "int4", "is_nullable": "NO",
		"ordinal_position": 1, "numeric_precision": 32, "numeric_precision_radix": 2, "numeric_scale": 0,
		"character_maximum_length": nil, "table_catalog": "analytics", "is_updatable": "NO"})
	check("crm", "customers", "name", map[string]any{"data_type": "character varying", "udt_name": "varchar",
		"is_nullable": "YES", "character_maximum_length": 100, "character_octet_length": 400, "numeric_precision": nil})
	check("crm", "customers", "balance", map[string]any{"data_type": "numeric", "numeric_precision": 12, "numeric_scale": 2,
		"numeric_precision_radix": 10})
	check("crm", "customers", "created", map[string]any{"data_type": "timestamp with time zone", "udt_name": "timestamptz",
		"datetime_precision": 6})
	check("crm", "customers", "tags", map[string]any{"data_type": "ARRAY", "udt_name": "_text"})
	check("crm.sales", "orders", "placed", map[string]any{"data_type": "date", "datetime_precision": 0, "ordinal_position": 3})
	check("shop", "orders", "status", map[string]any{"data_type": "character", "udt_name": "bpchar", "character_maximum_length": 10})
	check("shop", "orders", "amount", map[string]any{"data_type": "double precision", "numeric_precision": 53})
	check("pg_catalog", "pg_class", "relkind", map[string]any{"data_type": `"char"`, "udt_name": "char", "is_nullable": "NO"})

	tables := rowsOf(t, info, InformationSchema, "tables")
	if r := findOne(t, tables, map[string]string{"table_schema": "crm", "table_name": "active_customers"}); r["table_type"].Str != "VIEW" {
		t.Errorf("remote view has table_type %q", r["table_type"].Str)
	}
	if r := findOne(t, tables, map[string]string{"table_schema": "shop", "table_name": "orders"}); r["table_type"].Str != "BASE TABLE" {
		t.Errorf("table has table_type %q", r["table_type"].Str)
	}
	view := findOne(t, rowsOf(t, info, InformationSchema, "views"), map[string]string{"table_name": "big_orders"})
	if view["view_definition"].Str != "SELECT id, amount FROM shop.orders WHERE amount > 100" || view["table_schema"].Str != "public" {
		t.Errorf("information_schema.views row = %v", view)
	}
	schemata := rowsOf(t, info, InformationSchema, "schemata")
	for _, name := range []string{"crm", "crm.sales", "shop", "public", "pg_catalog", "junction"} {
		findOne(t, schemata, map[string]string{"schema_name": name})
	}
}

func TestSourcesNeverShowPasswords(t *testing.T) {
	info := testInfo()
	checked := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	info.SourceStatus = func(name string) SourceStatus {
		if name == "shop" {
			return SourceStatus{Status: "down", CircuitState: "open", LastError: "connection refused", CheckedAt: checked,
				Latency: 1500 * time.Microsecond, RetryAt: checked.Add(10 * time.Second), Failures: 5, Required: true}
		}
		return SourceStatus{Status: "up", CircuitState: "closed", CheckedAt: checked}
	}
	secrets := []string{"s3cret", "hunter2", "hunter3"}
	for _, table := range [][2]string{{Junction, "sources"}, {PgCatalog, "pg_foreign_server"}, {Junction, "tables"}, {PgCatalog, "pg_foreign_table"}} {
		for _, row := range rowsOf(t, info, table[0], table[1]) {
			for col, d := range row {
				for _, s := range secrets {
					if strings.Contains(d.Str, s) {
						t.Errorf("%s.%s.%s shows a password: %q", table[0], table[1], col, d.Str)
					}
				}
			}
		}
	}
	sources := rowsOf(t, info, Junction, "sources")
	shop := findOne(t, sources, map[string]string{"name": "shop"})
	if shop["type"].Str != "mysql" || shop["status"].Str != "down" || shop["circuit_state"].Str != "open" ||
		shop["last_error"].Str != "connection refused" || shop["tables"].Int != 2 || shop["checked_at"].Int != checked.UnixMicro() {
		t.Errorf("junction.sources shop = %v", shop)
	}
	if shop["latency_ms"].Float != 1.5 || shop["consecutive_failures"].Int != 5 || !shop["required"].Bool ||
		shop["retry_at"].Int != checked.Add(10*time.Second).UnixMicro() {
		t.Errorf("junction.sources shop health = %v", shop)
	}
	if got := shop["options"].Str; got != `{dsn=app:********@tcp(localhost:3306)/shop,passwd=********}` {
		t.Errorf("shop options = %s", got)
	}
	crm := findOne(t, sources, map[string]string{"name": "crm"})
	if got := crm["options"].Str; got != `{dbname=crm,host=db.example,password=********,port=5432,user=app}` {
		t.Errorf("crm options = %s", got)
	}
	server := findOne(t, rowsOf(t, info, PgCatalog, "pg_foreign_server"), map[string]string{"srvname": "crm"})
	if got := server["srvoptions"].Str; got != `{dbname=crm,host=db.example,port=5432,user=app}` {
		t.Errorf("crm srvoptions = %s", got)
	}
	info.SourceStatus = nil
	if r := findOne(t, rowsOf(t, info, Junction, "sources"), map[string]string{"name": "crm"}); r["status"].Str != "unknown" || !r["circuit_state"].Null {
		t.Errorf("without live status: %v", r)
	}
}

func TestMaskEmbeddedSecrets(t *testing.T) {
	for in, want := range map[string]string{
		"postgres://app:pw@host:5432/db?sslmode=disable": "postgres://app:********@host:5432/db?sslmode=disable",
		"postgres://host/db?user=app&password=pw":        "postgres://host/db?user=app&password=********",
		"host=h user=app password='p w' dbname=d":        "host=h user=app password=******** dbname=d",
		"app:pw@tcp(h:3306)/db":                          "app:********@tcp(h:3306)/db",
		"/var/lib/data.db":                               "/var/lib/data.db",
	} {
		if got := maskEmbeddedSecrets(in); got != want {
			t.Errorf("maskEmbeddedSecrets(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestJunctionTablesAndQueries(t *testing.T) {
	info := testInfo()
	tables := rowsOf(t, info, Junction, "tables")
	orders := findOne(t, tables, map[string]string{"source": "crm", "remote_name": "orders"})
	if orders["schema"].Str != "crm.sales" || orders["remote_schema"].Str != "sales" || orders["kind"].Str != "table" ||
		orders["columns"].Int != 3 || !orders["row_estimate"].Null {
		t.Errorf("junction.tables crm orders = %v", orders)
	}
	if v := findOne(t, tables, map[string]string{"name": "active_customers"}); v["kind"].Str != "view" {
		t.Errorf("remote view kind = %q", v["kind"].Str)
	}
	if len(rowsOf(t, info, Junction, "queries")) != 0 {
		t.Error("junction.queries without a history should be empty")
	}
	started := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	info.Queries = func() []QueryRecord {
		return []QueryRecord{{ID: 7, User: "alice", SQL: "SELECT 1", State: "done", Started: started, Duration: 1500 * time.Microsecond, Rows: 1}}
	}
	q := rowsOf(t, info, Junction, "queries")
	if len(q) != 1 || q[0]["id"].Int != 7 || q[0]["duration_ms"].Float != 1.5 || q[0]["started"].Int != started.UnixMicro() || !q[0]["error"].Null {
		t.Errorf("junction.queries = %v", q)
	}
}

func TestJunctionServer(t *testing.T) {
	info := testInfo()
	if len(rowsOf(t, info, Junction, "server")) != 0 {
		t.Error("junction.server without a server should be empty")
	}
	started := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	info.Server = func() ServerStatus {
		return ServerStatus{Started: started, Sessions: 3, Goroutines: 42, HeapBytes: 1 << 20, HeapLiveBytes: 1 << 19}
	}
	rows := rowsOf(t, info, Junction, "server")
	if len(rows) != 1 || rows[0]["started"].Int != started.UnixMicro() || rows[0]["sessions"].Int != 3 ||
		rows[0]["goroutines"].Int != 42 || rows[0]["heap_bytes"].Int != 1<<20 || rows[0]["heap_live_bytes"].Int != 1<<19 {
		t.Errorf("junction.server = %v", rows)
	}
}

func TestPgTypeListsEveryKind(t *testing.T) {
	pgTypeRows := rowsOf(t, testInfo(), PgCatalog, "pg_type")
	for _, k := range types.AllKinds() {
		typ := types.Type{Kind: k}
		found := false
		for _, r := range pgTypeRows {
			if r["oid"].Int == int64(typ.OID()) {
				found = true
				if r["typlen"].Int != int64(typ.Size()) || r["typcategory"].Str != string(typ.Category()) || r["typnamespace"].Int != PgCatalogOID {
					t.Errorf("pg_type %s = %v", typ, r)
				}
			}
		}
		if !found {
			t.Errorf("pg_type lacks %s (OID %d)", typ, typ.OID())
		}
	}
	for name, want := range map[string]map[string]int64{
		"int4":  {"oid": 23, "typarray": 1007, "typinput": 42},
		"text":  {"oid": 25, "typarray": 1009, "typcollation": 100},
		"_text": {"oid": 1009, "typelem": 25, "typinput": arrayInOID},
		"name":  {"oid": 19, "typelem": 18, "typcollation": 950},
	} {
		row := findOne(t, pgTypeRows, map[string]string{"typname": name})
		for k, v := range want {
			if row[k].Int != v {
				t.Errorf("pg_type %s.%s = %d, want %d", name, k, row[k].Int, v)
			}
		}
	}
}

func TestDatabaseRolesAndSettings(t *testing.T) {
	info := testInfo()
	dbs := rowsOf(t, info, PgCatalog, "pg_database")
	findOne(t, dbs, map[string]string{"datname": "junction"})
	analytics := findOne(t, dbs, map[string]string{"datname": "analytics"})
	if analytics["encoding"].Int != utf8Encoding || analytics["datdba"].Int != superuserOID {
		t.Errorf("pg_database analytics = %v", analytics)
	}
	roles := rowsOf(t, info, PgCatalog, "pg_roles")
	if len(roles) != 1 || roles[0]["rolname"].Str != "alice" || roles[0]["oid"].Int != superuserOID || roles[0]["rolsuper"].Bool {
		t.Errorf("pg_roles of an ordinary user = %v", roles)
	}
	info.Superuser = true
	if roles := rowsOf(t, info, PgCatalog, "pg_roles"); !roles[0]["rolsuper"].Bool {
		t.Errorf("pg_roles of a superuser = %v", roles)
	}
	if users := rowsOf(t, info, PgCatalog, "pg_user"); !users[0]["usesuper"].Bool {
		t.Errorf("pg_user of a superuser = %v", users)
	}
	info.Superuser = false
	settings := rowsOf(t, info, PgCatalog, "pg_settings")
	ds := findOne(t, settings, map[string]string{"name": "DateStyle"})
	if ds["setting"].Str != "ISO, MDY" || ds["vartype"].Str != "string" || ds["category"].Str == "" {
		t.Errorf("pg_settings DateStyle = %v", ds)
	}
	info.BackendPID = 4242
	activity := rowsOf(t, info, PgCatalog, "pg_stat_activity")
	if len(activity) != 1 || activity[0]["pid"].Int != 4242 || activity[0]["usename"].Str != "alice" || activity[0]["datname"].Str != "analytics" {
		t.Errorf("pg_stat_activity = %v", activity)
	}
}

func TestDescriptions(t *testing.T) {
	info := testInfo()
	call := func(name string, args []types.Type, vals ...types.Datum) types.Datum {
		t.Helper()
		_, _, impl, ok := Function(info, name, args)
		if !ok {
			t.Fatalf("%s%v does not resolve", name, args)
		}
		d, err := impl(vals)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return d
	}
	if d := call("obj_description", []types.Type{types.TOID, types.TName}, types.IntDatum(PublicOID), types.StrDatum("pg_namespace")); d.Str != "standard public schema" {
		t.Errorf("obj_description(public) = %+v", d)
	}
	if d := call("obj_description", []types.Type{types.TOID, types.TName}, types.IntDatum(PublicOID), types.StrDatum("pg_class")); !d.Null {
		t.Errorf("obj_description(public, pg_class) = %+v, want NULL", d)
	}
	if d := call("obj_description", []types.Type{types.TOID, types.TName}, types.IntDatum(JunctionOID+1), types.StrDatum("pg_class")); !strings.Contains(d.Str, "never show a password") {
		t.Errorf("obj_description(junction.sources) = %+v", d)
	}
	if d := call("col_description", []types.Type{types.TOID, types.TInt4}, types.IntDatum(crmOID*1000+1), types.IntDatum(1)); !d.Null {
		t.Errorf("col_description = %+v, want NULL", d)
	}
	descs := rowsOf(t, info, PgCatalog, "pg_description")
	if len(find(descs, map[string]string{"description": "standard public schema"})) != 1 {
		t.Errorf("pg_description lacks the public schema's comment: %v", descs)
	}
}
