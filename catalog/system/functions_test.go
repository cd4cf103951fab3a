package system

import (
	"fmt"
	"strings"
	"testing"

	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/types"
	"github.com/shopspring/decimal"
)

var (
	oidT     = types.TOID
	textT    = types.TText
	unknownT = types.TUnknown
)

// call resolves a function for the argument types and runs it.
func call(t *testing.T, info *Info, name string, argTypes []types.Type, args ...types.Datum) (types.Datum, error) {
	t.Helper()
	_, _, impl, ok := Function(info, name, argTypes)
	if !ok {
		t.Fatalf("%s(%v) does not resolve", name, argTypes)
	}
	return impl(args)
}

// value calls a function that must succeed.
func value(t *testing.T, info *Info, name string, argTypes []types.Type, args ...types.Datum) types.Datum {
	t.Helper()
	d, err := call(t, info, name, argTypes, args...)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return d
}

func str(s string) types.Datum   { return types.StrDatum(s) }
func num(n int64) types.Datum    { return types.IntDatum(n) }
func boolean(b bool) types.Datum { return types.BoolDatum(b) }

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if err == nil || pgerr.Code(err) != code {
		t.Errorf("error = %v (%s), want SQLSTATE %s", err, pgerr.Code(err), code)
	}
}

func TestFunctionResolution(t *testing.T) {
	info := testInfo()
	result, castTo, _, ok := Function(info, "pg_table_is_visible", []types.Type{oidT})
	if !ok || result != types.TBool || castTo != nil {
		t.Errorf("pg_table_is_visible(oid) = %v %v %v", result, castTo, ok)
	}
	_, castTo, _, ok = Function(info, "pg_catalog.PG_TABLE_IS_VISIBLE", []types.Type{types.TInt4})
	if !ok || len(castTo) != 1 || castTo[0] != oidT {
		t.Errorf("pg_table_is_visible(int4) should cast to oid, got %v %v", castTo, ok)
	}
	_, castTo, _, ok = Function(info, "format_type", []types.Type{unknownT, unknownT})
	if !ok || castTo[0] != oidT || castTo[1] != types.TInt4 {
		t.Errorf("format_type(unknown, unknown) casts to %v", castTo)
	}
	// An untyped literal prefers the text signature, as in PostgreSQL.
	_, castTo, _, _ = Function(info, "pg_get_viewdef", []types.Type{unknownT})
	if castTo[0] != textT {
		t.Errorf("pg_get_viewdef('...') resolved to %v", castTo)
	}
	_, castTo, _, _ = Function(info, "has_table_privilege", []types.Type{oidT, unknownT})
	if castTo[0] != oidT || castTo[1] != textT {
		t.Errorf("has_table_privilege(oid, '...') resolved to %v", castTo)
	}
	_, castTo, _, ok = Function(info, "array_to_string", []types.Type{tTextArray, unknownT})
	if !ok || castTo[0] != tTextArray || castTo[1] != textT {
		t.Errorf("array_to_string(text[], '...') = %v %v", castTo, ok)
	}
	for _, bad := range []struct {
		name string
		args []types.Type
	}{
		{"no_such_function", nil},
		{"format_type", []types.Type{types.TBool, types.TInt4}},
		{"format_type", []types.Type{oidT}},
		{"array_to_string", []types.Type{textT, textT}},
	} {
		if _, _, _, ok := Function(info, bad.name, bad.args); ok {
			t.Errorf("%s(%v) resolved", bad.name, bad.args)
		}
	}
}

func TestStrictFunctionsReturnNullForNull(t *testing.T) {
	info := testInfo()
	for _, name := range []string{"pg_table_is_visible", "pg_get_userbyid", "pg_get_viewdef", "regclass_name"} {
		if d := value(t, info, name, []types.Type{oidT}, types.NullDatum); !d.Null {
			t.Errorf("%s(NULL) = %+v", name, d)
		}
	}
	if d := value(t, info, "format_type", []types.Type{oidT, types.TInt4}, types.NullDatum, num(4)); !d.Null {
		t.Errorf("format_type(NULL, 4) = %+v", d)
	}
	if d := value(t, info, "format_type", []types.Type{oidT, types.TInt4}, num(1042), types.NullDatum); d.Str != "character" {
		t.Errorf("format_type(1042, NULL) = %+v", d)
	}
}

func TestTableVisibilityFollowsTheSearchPath(t *testing.T) {
	info := testInfo()
	visible := func(oid int64) types.Datum {
		return value(t, info, "pg_table_is_visible", []types.Type{oidT}, num(oid))
	}
	for oid, want := range map[int64]bool{
		crmOID*1000 + 1:  true,  // crm.customers: crm comes before shop
		shopOID*1000 + 2: false, // shop.customers is hidden by crm.customers
		shopOID*1000 + 1: true,  // shop.orders
		crmOID*1000 + 2:  false, // crm.sales.orders is reached only by a qualified name
		16390:            true,  // public.big_orders
		1259:             true,  // pg_class
		13295:            false, // information_schema.columns
	} {
		if d := visible(oid); d.Null || d.Bool != want {
			t.Errorf("pg_table_is_visible(%d) = %+v, want %v", oid, d, want)
		}
	}
	if d := visible(99999); !d.Null {
		t.Errorf("pg_table_is_visible of an unknown OID = %+v, want NULL", d)
	}
	info.Settings["search_path"] = "shop"
	if !visible(shopOID*1000+2).Bool || visible(crmOID*1000+1).Bool {
		t.Error("with search_path = shop, shop.customers should hide crm.customers")
	}
	if got := strings.Join(SearchPath(info), ","); got != "pg_catalog,shop,crm" {
		t.Errorf("SearchPath = %s", got)
	}
}

func TestCurrentSchemas(t *testing.T) {
	info := testInfo()
	if d := value(t, info, "current_schema", nil); d.Str != "public" {
		t.Errorf("current_schema() = %+v", d)
	}
	if d := value(t, info, "current_schemas", []types.Type{types.TBool}, boolean(true)); d.Str != "{pg_catalog,public,crm,shop}" {
		t.Errorf("current_schemas(true) = %s", d.Str)
	}
	if d := value(t, info, "current_schemas", []types.Type{types.TBool}, boolean(false)); d.Str != "{public}" {
		t.Errorf("current_schemas(false) = %s", d.Str)
	}
	info.Settings["search_path"] = `"$user", "Nope"`
	if d := value(t, info, "current_schema", nil); !d.Null {
		t.Errorf("current_schema() with no existing schema on the path = %+v", d)
	}
	for _, name := range []string{"current_user", "session_user", "user", "current_role"} {
		if d := value(t, info, name, nil); d.Str != "alice" {
			t.Errorf("%s = %+v", name, d)
		}
	}
	if d := value(t, info, "current_database", nil); d.Str != "analytics" {
		t.Errorf("current_database() = %+v", d)
	}
}

func TestFormatType(t *testing.T) {
	for _, c := range []struct {
		oid    int64
		typmod types.Datum
		want   string
	}{
		{23, num(-1), "integer"},
		{1043, num(44), "character varying(40)"},
		{1043, num(-1), "character varying"},
		{1700, num(655366), "numeric(10,2)"},
		{1700, types.NullDatum, "numeric"},
		{1042, num(-1), "bpchar"},
		{1042, types.NullDatum, "character"},
		{1042, num(5), "character(1)"},
		{1114, num(3), "timestamp(3) without time zone"},
		{1184, num(-1), "timestamp with time zone"},
		{1186, num(0x7fff<<16 | 2), "interval(2)"},
		{1186, num(fieldDay<<16 | 0xffff), "interval day"},
		{1009, num(-1), "text[]"},
		{18, num(-1), `"char"`},
		{19, num(-1), "name"},
		{194, num(-1), "pg_node_tree"},
		{0, types.NullDatum, "-"},
		{99999, types.NullDatum, "???"},
	} {
		d := value(t, testInfo(), "format_type", []types.Type{oidT, types.TInt4}, num(c.oid), c.typmod)
		if d.Str != c.want {
			t.Errorf("format_type(%d, %+v) = %q, want %q", c.oid, c.typmod, d.Str, c.want)
		}
	}
}

func TestRegclassInputAndOutput(t *testing.T) {
	info := testInfo()
	in := func(name string) (types.Datum, error) {
		return call(t, info, "regclass_in", []types.Type{textT}, str(name))
	}
	for name, want := range map[string]int64{
		"crm.customers":              crmOID*1000 + 1,
		"customers":                  crmOID*1000 + 1,
		"shop.customers":             shopOID*1000 + 2,
		`"shop"."orders"`:            shopOID*1000 + 1,
		"SHOP.Orders":                shopOID*1000 + 1,
		"crm.sales.orders":           crmOID*1000 + 2,
		`"crm.sales".orders`:         crmOID*1000 + 2,
		"big_orders":                 16390,
		"pg_class":                   1259,
		"pg_catalog.pg_class":        1259,
		"information_schema.columns": 13295,
		"junction.sources":           JunctionOID + 1,
		"analytics.shop.orders":      shopOID*1000 + 1,
		"16390":                      16390,
		"4242":                       4242,
	} {
		d, err := in(name)
		if err != nil || d.Int != want {
			t.Errorf("regclass_in(%q) = %d, %v; want %d", name, d.Int, err, want)
		}
	}
	_, err := in("nope")
	wantCode(t, err, pgerr.UndefinedTable)
	_, err = in("nope.orders")
	wantCode(t, err, pgerr.UndefinedSchema)
	_, err = in(`"unterminated`)
	wantCode(t, err, invalidName)
	_, err = in("a.b.c.d")
	wantCode(t, err, pgerr.SyntaxError)
	_, err = in("otherdb.shop.orders")
	wantCode(t, err, pgerr.FeatureNotSupported)

	if d := value(t, info, "to_regclass", []types.Type{textT}, str("nope")); !d.Null {
		t.Errorf("to_regclass('nope') = %+v", d)
	}
	if d := value(t, info, "to_regclass", []types.Type{textT}, str("1259")); !d.Null {
		t.Errorf("to_regclass('1259') = %+v; it must not accept numbers", d)
	}
	if d := value(t, info, "to_regclass", []types.Type{textT}, str("shop.orders")); d.Int != shopOID*1000+1 {
		t.Errorf("to_regclass('shop.orders') = %+v", d)
	}

	for oid, want := range map[int64]string{
		crmOID*1000 + 1:  "customers",
		shopOID*1000 + 2: "shop.customers",
		crmOID*1000 + 2:  `"crm.sales".orders`,
		1259:             "pg_class",
		13295:            "information_schema.columns",
		0:                "-",
		99999:            "99999",
	} {
		if d := value(t, info, "regclass_name", []types.Type{oidT}, num(oid)); d.Str != want {
			t.Errorf("regclass_name(%d) = %q, want %q", oid, d.Str, want)
		}
	}
}

func TestRegtypeRegprocAndRegnamespace(t *testing.T) {
	info := testInfo()
	for name, want := range map[string]int64{
		"integer": 23, "int4": 23, "pg_catalog.int8": 20, "character varying(40)": 1043, "varchar": 1043,
		"text[]": 1009, "_text": 1009, `"char"`: 18, "char": 1042, "timestamp(3) with time zone": 1184,
		"double precision": 701, "regclass": 2205, "1186": 1186,
	} {
		d, err := call(t, info, "regtype_in", []types.Type{textT}, str(name))
		if err != nil || d.Int != want {
			t.Errorf("regtype_in(%q) = %d, %v; want %d", name, d.Int, err, want)
		}
	}
	_, err := call(t, info, "regtype_in", []types.Type{textT}, str("serial"))
	wantCode(t, err, pgerr.UndefinedObject)
	if d := value(t, info, "to_regtype", []types.Type{textT}, str("nope")); !d.Null {
		t.Errorf("to_regtype('nope') = %+v", d)
	}
	for oid, want := range map[int64]string{23: "integer", 1043: "character varying", 0: "-", 424242: "424242"} {
		if d := value(t, info, "regtype_name", []types.Type{oidT}, num(oid)); d.Str != want {
			t.Errorf("regtype_name(%d) = %q, want %q", oid, d.Str, want)
		}
	}

	if d := value(t, info, "regproc_in", []types.Type{textT}, str("pg_catalog.array_in")); d.Int != arrayInOID {
		t.Errorf("regproc_in(array_in) = %+v", d)
	}
	_, err = call(t, info, "regproc_in", []types.Type{textT}, str("pg_get_viewdef"))
	wantCode(t, err, ambiguousFunction)
	_, err = call(t, info, "regproc_in", []types.Type{textT}, str("nope"))
	wantCode(t, err, pgerr.UndefinedFunction)
	if d := value(t, info, "regproc_name", []types.Type{oidT}, num(1242)); d.Str != "boolin" {
		t.Errorf("regproc_name(1242) = %+v", d)
	}
	if d := value(t, info, "regproc_name", []types.Type{oidT}, num(0)); d.Str != "-" {
		t.Errorf("regproc_name(0) = %+v", d)
	}

	if d := value(t, info, "regnamespace_in", []types.Type{textT}, str("crm")); d.Int != crmOID {
		t.Errorf("regnamespace_in(crm) = %+v", d)
	}
	if d := value(t, info, "regnamespace_name", []types.Type{oidT}, num(namespaceOID(t, info, "crm.sales"))); d.Str != `"crm.sales"` {
		t.Errorf("regnamespace_name(crm.sales) = %+v", d)
	}
	_, err = call(t, info, "regnamespace_in", []types.Type{textT}, str("nope"))
	wantCode(t, err, pgerr.UndefinedSchema)
}

func TestViewDefinitions(t *testing.T) {
	info := testInfo()
	const sql = "SELECT id, amount FROM shop.orders WHERE amount > 100"
	if d := value(t, info, "pg_get_viewdef", []types.Type{oidT, types.TBool}, num(16390), boolean(true)); d.Str != sql {
		t.Errorf("pg_get_viewdef(oid) = %+v", d)
	}
	if d := value(t, info, "pg_get_viewdef", []types.Type{unknownT}, str("public.big_orders")); d.Str != sql {
		t.Errorf("pg_get_viewdef(name) = %+v", d)
	}
	if d := value(t, info, "pg_get_viewdef", []types.Type{oidT}, num(crmOID*1000+1)); !d.Null {
		t.Errorf("pg_get_viewdef of a table = %+v, want NULL", d)
	}
	_, err := call(t, info, "pg_get_viewdef", []types.Type{textT}, str("nope"))
	wantCode(t, err, pgerr.UndefinedTable)
	views := rowsOf(t, info, PgCatalog, "pg_views")
	if r := findOne(t, views, map[string]string{"viewname": "vip"}); r["schemaname"].Str != "crm" || r["definition"].Str != "SELECT id FROM crm.customers" {
		t.Errorf("pg_views vip = %v", r)
	}
}

func TestPrivileges(t *testing.T) {
	info := testInfo()
	two := []types.Type{textT, textT}
	for _, c := range []struct {
		name  string
		types []types.Type
		args  []types.Datum
		want  bool
		code  string
	}{
		{"has_table_privilege", two, []types.Datum{str("crm.customers"), str("SELECT")}, true, ""},
		{"has_table_privilege", two, []types.Datum{str("crm.customers"), str("select, insert")}, true, ""},
		{"has_table_privilege", two, []types.Datum{str("crm.customers"), str("INSERT")}, false, ""},
		{"has_table_privilege", two, []types.Datum{str("crm.customers"), str("select with grant option")}, true, ""},
		{"has_table_privilege", two, []types.Datum{str("crm.customers"), str("foo")}, false, pgerr.InvalidParameterValue},
		{"has_table_privilege", two, []types.Datum{str("nope"), str("SELECT")}, false, pgerr.UndefinedTable},
		{"has_table_privilege", []types.Type{types.TName, textT, textT}, []types.Datum{str("alice"), str("shop.orders"), str("UPDATE")}, false, ""},
		{"has_schema_privilege", two, []types.Datum{str("crm"), str("USAGE")}, true, ""},
		{"has_schema_privilege", two, []types.Datum{str("nope"), str("USAGE")}, false, pgerr.UndefinedSchema},
		{"has_database_privilege", two, []types.Datum{str("analytics"), str("CONNECT")}, true, ""},
		{"has_database_privilege", two, []types.Datum{str("nope"), str("CONNECT")}, false, undefinedDatabase},
		{"has_column_privilege", []types.Type{textT, textT, textT}, []types.Datum{str("crm.customers"), str("name"), str("SELECT")}, true, ""},
		{"has_column_privilege", []types.Type{textT, textT, textT}, []types.Datum{str("crm.customers"), str("nope"), str("SELECT")}, false, pgerr.UndefinedColumn},
		// PostgreSQL's predefined roles have no members in Junction: only
		// a superuser has them, and alice is none.
		{"pg_has_role", []types.Type{unknownT, unknownT}, []types.Datum{str("pg_read_all_stats"), str("USAGE")}, false, ""},
		{"pg_has_role", []types.Type{unknownT, unknownT}, []types.Datum{str("nobody"), str("USAGE")}, false, pgerr.UndefinedObject},
	} {
		d, err := call(t, info, c.name, c.types, c.args...)
		if c.code != "" {
			wantCode(t, err, c.code)
			continue
		}
		if err != nil || d.Bool != c.want {
			t.Errorf("%s%v = %+v, %v; want %v", c.name, c.args, d, err, c.want)
		}
	}
	// PostgreSQL answers NULL for an OID no object has.
	if d := value(t, info, "has_table_privilege", []types.Type{oidT, textT}, num(99999), str("SELECT")); !d.Null {
		t.Errorf("has_table_privilege(99999) = %+v; want NULL", d)
	}
}

func TestSettingsAndVersion(t *testing.T) {
	info := testInfo()
	for _, name := range []string{"DateStyle", "datestyle"} {
		if d := value(t, info, "current_setting", []types.Type{textT}, str(name)); d.Str != "ISO, MDY" {
			t.Errorf("current_setting(%s) = %+v", name, d)
		}
	}
	_, err := call(t, info, "current_setting", []types.Type{textT}, str("nope"))
	wantCode(t, err, pgerr.UndefinedObject)
	if d := value(t, info, "current_setting", []types.Type{textT, types.TBool}, str("nope"), boolean(true)); !d.Null {
		t.Errorf("current_setting(nope, true) = %+v", d)
	}
	if d := value(t, info, "version", nil); !strings.HasPrefix(d.Str, "PostgreSQL 15.0 (Junction 1.2.3) on ") {
		t.Errorf("version() = %q", d.Str)
	}
	info.BackendPID = 77
	if d := value(t, info, "pg_backend_pid", nil); d.Int != 77 {
		t.Errorf("pg_backend_pid() = %+v", d)
	}
	if d := value(t, info, "pg_postmaster_start_time", nil); d.Null || d.Int <= 0 {
		t.Errorf("pg_postmaster_start_time() = %+v", d)
	}
	if d := value(t, info, "pg_get_userbyid", []types.Type{oidT}, num(10)); d.Str != "alice" {
		t.Errorf("pg_get_userbyid(10) = %+v", d)
	}
	if d := value(t, info, "pg_get_userbyid", []types.Type{oidT}, num(12345)); d.Str != "unknown (OID=12345)" {
		t.Errorf("pg_get_userbyid(12345) = %+v", d)
	}
}

func TestSizeFunctions(t *testing.T) {
	info := testInfo()
	for in, want := range map[int64]string{
		0: "0 bytes", 10239: "10239 bytes", 10240: "10 kB", -10240: "-10 kB", 10485247: "10239 kB",
		10485248: "10 MB", 1e15: "909 TB", -1e18: "-888 PB", 9223372036854775807: "8192 PB",
	} {
		if d := value(t, info, "pg_size_pretty", []types.Type{types.TInt8}, num(in)); d.Str != want {
			t.Errorf("pg_size_pretty(%d) = %q, want %q", in, d.Str, want)
		}
	}
	for in, want := range map[string]string{"1.5": "1.5 bytes", "10239.50": "10239.50 bytes", "10240": "10 kB", "-1e18": "-888 PB"} {
		if d := value(t, info, "pg_size_pretty", []types.Type{types.TNumeric}, types.DecDatum(decimal.RequireFromString(in))); d.Str != want {
			t.Errorf("pg_size_pretty(%s::numeric) = %q, want %q", in, d.Str, want)
		}
	}
	if d := value(t, info, "pg_table_size", []types.Type{oidT}, num(crmOID*1000+1)); d.Null || d.Int != 0 {
		t.Errorf("pg_table_size(crm.customers) = %+v", d)
	}
	if d := value(t, info, "pg_relation_size", []types.Type{oidT}, num(99999)); !d.Null {
		t.Errorf("pg_relation_size(unknown) = %+v", d)
	}
	_, err := call(t, info, "pg_relation_size", []types.Type{oidT, textT}, num(1259), str("xx"))
	wantCode(t, err, pgerr.InvalidParameterValue)
	_, err = call(t, info, "pg_database_size", []types.Type{types.TName}, str("nope"))
	wantCode(t, err, undefinedDatabase)
}

func TestTextFunctions(t *testing.T) {
	info := testInfo()
	for in, want := range map[string]string{
		"Foo": `"Foo"`, "select": `"select"`, "abc": "abc", "a b": `"a b"`, "": `""`, "_x1": "_x1", "1a": `"1a"`,
		"é": `"é"`, `a"b`: `"a""b"`, "name": "name",
	} {
		if d := value(t, info, "quote_ident", []types.Type{textT}, str(in)); d.Str != want {
			t.Errorf("quote_ident(%q) = %s, want %s", in, d.Str, want)
		}
	}
	arr := []types.Type{tTextArray, textT}
	arr3 := []types.Type{tTextArray, textT, textT}
	for _, c := range []struct {
		types []types.Type
		args  []types.Datum
		want  types.Datum
	}{
		{arr, []types.Datum{str(`{a,NULL,"b,c"}`), str("-")}, str("a-b,c")},
		{arr3, []types.Datum{str(`{a,NULL,b}`), str("-"), str("*")}, str("a-*-b")},
		{arr3, []types.Datum{str(`{a,NULL,b}`), str("-"), types.NullDatum}, str("a-b")},
		{arr3, []types.Datum{types.NullDatum, str("-"), str("*")}, types.NullDatum},
		{arr, []types.Datum{str(`{}`), str("-")}, str("")},
		{arr, []types.Datum{str(`{{a,b},{c,d}}`), str("-")}, str("a-b-c-d")},
		{arr, []types.Datum{str(`{"x \"y\"", z\,w}`), str("|")}, str(`x "y"|z,w`)},
	} {
		d := value(t, info, "array_to_string", c.types, c.args...)
		if d.Null != c.want.Null || d.Str != c.want.Str {
			t.Errorf("array_to_string(%v) = %+v, want %+v", c.args, d, c.want)
		}
	}
	_, err := call(t, info, "array_to_string", arr, str("a,b"), str("-"))
	wantCode(t, err, pgerr.InvalidTextRep)
	if got := textArray([]string{"a", "b c", "", "NULL", `q"`}); got != `{a,"b c","","NULL","q\""}` {
		t.Errorf("textArray = %s", got)
	}
	if d := value(t, info, "pg_encoding_to_char", []types.Type{types.TInt4}, num(6)); d.Str != "UTF8" {
		t.Errorf("pg_encoding_to_char(6) = %+v", d)
	}
	if d := value(t, info, "pg_encoding_to_char", []types.Type{types.TInt4}, num(99)); d.Str != "" || d.Null {
		t.Errorf("pg_encoding_to_char(99) = %+v", d)
	}
	if d := value(t, info, "pg_char_to_encoding", []types.Type{types.TName}, str("utf-8")); d.Int != 6 {
		t.Errorf("pg_char_to_encoding(utf-8) = %+v", d)
	}
}

func TestFunctionsAboutObjectsJunctionDoesNotHave(t *testing.T) {
	info := testInfo()
	for _, name := range []string{"pg_get_indexdef", "pg_get_constraintdef", "pg_get_ruledef", "pg_get_triggerdef",
		"pg_get_partkeydef", "pg_get_statisticsobjdef_columns", "pg_conversion_is_visible"} {
		if d := value(t, info, name, []types.Type{oidT}, num(1259)); !d.Null {
			t.Errorf("%s = %+v, want NULL", name, d)
		}
	}
	_, err := call(t, info, "pg_get_expr", []types.Type{textT, oidT}, str("x"), num(0))
	wantCode(t, err, pgerr.FeatureNotSupported)
	if d := value(t, info, "pg_get_expr", []types.Type{textT, oidT, types.TBool}, types.NullDatum, num(0), boolean(true)); !d.Null {
		t.Errorf("pg_get_expr(NULL) = %+v", d)
	}
	if d := value(t, info, "pg_relation_is_publishable", []types.Type{oidT}, num(1259)); d.Null || d.Bool {
		t.Errorf("pg_relation_is_publishable = %+v", d)
	}
	if d := value(t, info, "pg_is_in_recovery", nil); d.Bool {
		t.Errorf("pg_is_in_recovery() = %+v", d)
	}
	if d := value(t, info, "pg_get_function_arguments", []types.Type{oidT}, num(1081)); d.Str != "oid, integer" {
		t.Errorf("pg_get_function_arguments(format_type) = %+v", d)
	}
	if d := value(t, info, "pg_get_function_arguments", []types.Type{oidT}, num(384)); d.Str != "anyarray, text, text" {
		t.Errorf("pg_get_function_arguments(array_to_string) = %+v", d)
	}
	if d := value(t, info, "pg_get_function_result", []types.Type{oidT}, num(1081)); d.Str != "text" {
		t.Errorf("pg_get_function_result(format_type) = %+v", d)
	}
	_, err = call(t, info, "pg_get_serial_sequence", []types.Type{textT, textT}, str("crm.customers"), str("nope"))
	wantCode(t, err, pgerr.UndefinedColumn)
	if d := value(t, info, "pg_get_serial_sequence", []types.Type{textT, textT}, str("crm.customers"), str("id")); !d.Null {
		t.Errorf("pg_get_serial_sequence = %+v", d)
	}
	if d := value(t, info, "pg_tablespace_location", []types.Type{oidT}, num(defaultTablespaceOID)); d.Str != "" || d.Null {
		t.Errorf("pg_tablespace_location(pg_default) = %+v", d)
	}
	procs := rowsOf(t, info, PgCatalog, "pg_proc")
	ft := findOne(t, procs, map[string]string{"proname": "format_type"})
	if ft["oid"].Int != 1081 || ft["proargtypes"].Str != "26 23" || ft["prorettype"].Int != 25 || ft["proisstrict"].Bool {
		t.Errorf("pg_proc format_type = %v", ft)
	}
	if len(find(procs, map[string]string{"proname": "regclass_name"})) != 0 {
		t.Error("Junction's own helpers must not be listed in pg_proc")
	}
	if d := value(t, info, "pg_function_is_visible", []types.Type{oidT}, num(1081)); !d.Bool {
		t.Errorf("pg_function_is_visible(format_type) = %+v", d)
	}
}

func TestSetConfig(t *testing.T) {
	info := testInfo()
	var got []string
	info.SetConfig = func(name, value string, local bool) (string, error) {
		got = append(got, fmt.Sprint(name, "=", value, " local=", local))
		return value, nil
	}
	argTypes := []types.Type{types.TText, types.TText, types.TBool}
	if v := value(t, info, "set_config", argTypes, str("search_path"), str("shop"), boolean(false)); v.Str != "shop" {
		t.Errorf("set_config returned %v, want shop", v)
	}
	if len(got) != 1 || got[0] != "search_path=shop local=false" {
		t.Errorf("set_config set %v", got)
	}
	_, err := call(t, info, "set_config", argTypes, types.NullDatum, str("x"), boolean(false))
	wantCode(t, err, "22004")
	if !Volatile("set_config") || Volatile("current_setting") {
		t.Error("set_config must be volatile and current_setting not")
	}
	rows, ok := LookupTableFunction(info, "pg_show_all_settings")
	if !ok || rows.Cols[0].Name != "name" {
		t.Fatalf("pg_show_all_settings() does not return pg_settings' rows")
	}
}

func TestKeywords(t *testing.T) {
	rows, ok := LookupTableFunction(testInfo(), "pg_get_keywords")
	if !ok {
		t.Fatal("pg_get_keywords() is not a table function")
	}
	got, err := rows.Fill()
	if err != nil {
		t.Fatal(err)
	}
	byWord := map[string][]types.Datum{}
	for _, r := range got {
		byWord[r[0].Str] = r
	}
	if sel := byWord["select"]; sel == nil || sel[1].Str != "R" || sel[3].Str != "reserved" || !sel[2].Bool {
		t.Errorf("select: %v", sel)
	}
	if abort := byWord["abort"]; abort == nil || abort[1].Str != "U" {
		t.Errorf("abort: %v", abort)
	}
	if len(got) < 400 {
		t.Errorf("%d keywords", len(got))
	}
}
