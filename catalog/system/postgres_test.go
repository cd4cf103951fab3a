package system

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/junction-db/junction/types"
)

// These tests compare the system schemas with a real PostgreSQL 15: the
// catalogs' columns, the pg_type and pg_proc rows, and what the catalog
// functions return.

const postgresURL = "postgres://root@127.0.0.1:5432/%s?sslmode=disable"

// connectPostgres opens a connection to a fresh database, dropped when
// the test ends.
func connectPostgres(t *testing.T) *pgx.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	admin, err := pgx.Connect(ctx, fmt.Sprintf(postgresURL, "test"))
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("PostgreSQL at 127.0.0.1:5432 is unreachable: %v", err)
		}
		t.Skipf("PostgreSQL at 127.0.0.1:5432 is unreachable (%v); skipping the comparison with PostgreSQL", err)
	}
	name := fmt.Sprintf("junction_system_%d", time.Now().UnixNano())
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatal(err)
	}
	conn, err := pgx.Connect(ctx, fmt.Sprintf(postgresURL, name))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		conn.Close(ctx)
		if _, err := admin.Exec(ctx, "DROP DATABASE "+name); err != nil {
			t.Errorf("dropping %s: %v", name, err)
		}
		admin.Close(ctx)
	})
	var version int
	if err := conn.QueryRow(ctx, "SELECT current_setting('server_version_num')::int").Scan(&version); err != nil {
		t.Fatal(err)
	}
	if version/10000 != 15 {
		t.Skipf("the comparison needs PostgreSQL 15, the server runs %d", version)
	}
	return conn
}

// skippedTypes are PostgreSQL column types the system tables leave out.
var skippedTypes = map[string]bool{"xid": true, "anyarray": true}

func TestColumnsMatchPostgres(t *testing.T) {
	conn := connectPostgres(t)
	ctx := context.Background()
	for _, schema := range []string{PgCatalog, InformationSchema} {
		for _, name := range TableNames(schema) {
			table := bySchema[schema][name]
			rows, err := conn.Query(ctx, `SELECT a.attname, format_type(a.atttypid, NULL), c.oid FROM pg_attribute a
				JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
				WHERE n.nspname = $1 AND c.relname = $2 AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`, schema, name)
			if err != nil {
				t.Fatal(err)
			}
			var want []string
			var oid uint32
			for rows.Next() {
				var col, typ string
				if err := rows.Scan(&col, &typ, &oid); err != nil {
					t.Fatal(err)
				}
				if !skippedTypes[typ] {
					want = append(want, col)
				}
			}
			if rows.Err() != nil {
				t.Fatal(rows.Err())
			}
			got := make([]string, len(table.cols))
			for i, c := range table.cols {
				got[i] = c.name
			}
			if strings.Join(got, ",") != strings.Join(want, ",") {
				t.Errorf("%s.%s columns differ from PostgreSQL's:\n got %v\nwant %v", schema, name, got, want)
			}
			if oid != table.oid {
				t.Errorf("%s.%s has OID %d, PostgreSQL's is %d", schema, name, table.oid, oid)
			}
		}
	}
}

func TestTypesAndProceduresMatchPostgres(t *testing.T) {
	conn := connectPostgres(t)
	ctx := context.Background()
	for _, typ := range pgTypes {
		var name, typtype, category, align, storage string
		var length int16
		var byVal bool
		var elem, input, output, collation uint32
		err := conn.QueryRow(ctx, `SELECT typname, typlen, typbyval, typtype::text, typcategory::text, typelem,
			typinput::oid, typoutput::oid, typalign::text, typstorage::text, typcollation FROM pg_type WHERE oid = $1`, typ.oid).
			Scan(&name, &length, &byVal, &typtype, &category, &elem, &input, &output, &align, &storage, &collation)
		if err != nil {
			t.Errorf("type %d (%s): %v", typ.oid, typ.name, err)
			continue
		}
		got := fmt.Sprint(typ.name, typ.length, typ.byVal(), string(rune(typ.typtype)), string(rune(typ.category)), typ.elem,
			typ.input, typ.output, string(rune(typ.align)), string(rune(typ.storage)), typ.collation)
		want := fmt.Sprint(name, length, byVal, typtype, category, elem, input, output, align, storage, collation)
		if got != want {
			t.Errorf("pg_type %d differs:\n got %s\nwant %s", typ.oid, got, want)
		}
	}
	for _, p := range procedures {
		var name, volatile, argTypes string
		var result uint32
		var strict bool
		err := conn.QueryRow(ctx, `SELECT proname, prorettype, proargtypes::text, provolatile::text, proisstrict FROM pg_proc WHERE oid = $1`, p.oid).
			Scan(&name, &result, &argTypes, &volatile, &strict)
		if err != nil {
			t.Errorf("function %d (%s): %v", p.oid, p.name, err)
			continue
		}
		args := make([]string, len(p.args))
		for i, a := range p.args {
			args[i] = fmt.Sprint(a)
		}
		// Junction's current_schemas returns text[] where PostgreSQL's returns name[].
		if p.name == "current_schemas" {
			result = types.Type{Kind: types.TextArray}.OID()
		}
		got := fmt.Sprint(p.name, p.result, strings.Join(args, " "), string(rune(p.volatile)), p.strict)
		want := fmt.Sprint(name, result, argTypes, volatile, strict)
		if got != want {
			t.Errorf("pg_proc %d differs:\n got %s\nwant %s", p.oid, got, want)
		}
	}
}

func TestFunctionsMatchPostgres(t *testing.T) {
	conn := connectPostgres(t)
	ctx := context.Background()
	info := testInfo()
	compare := func(sql, name string, argTypes []types.Type, args ...types.Datum) {
		t.Helper()
		var want *string
		if err := conn.QueryRow(ctx, sql).Scan(&want); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
		got := value(t, info, name, argTypes, args...)
		switch {
		case want == nil && !got.Null:
			t.Errorf("%s: Junction %q, PostgreSQL NULL", sql, got.Str)
		case want != nil && (got.Null || got.Str != *want):
			t.Errorf("%s: Junction %q (null %v), PostgreSQL %q", sql, got.Str, got.Null, *want)
		}
	}
	for _, typ := range pgTypes {
		typmods := []int32{-1, 0, 5, 44, 655366}
		if typ.kind == types.Interval || typ.kind == types.IntervalArray {
			typmods = []int32{-1, intervalFullRange<<16 | 3, (fieldHour|fieldMinute)<<16 | intervalFullPrecision, fieldYear<<16 | intervalFullPrecision}
		}
		for _, typmod := range typmods {
			compare(fmt.Sprintf("SELECT format_type(%d, %d)", typ.oid, typmod), "format_type",
				[]types.Type{oidT, types.TInt4}, num(int64(typ.oid)), num(int64(typmod)))
		}
		compare(fmt.Sprintf("SELECT format_type(%d, NULL)", typ.oid), "format_type",
			[]types.Type{oidT, types.TInt4}, num(int64(typ.oid)), types.NullDatum)
	}
	for _, n := range []int64{0, 1, 10239, 10240, 10752, 1 << 20, 20*1024*1024 - 1, 1 << 40, -123456789, 1 << 62} {
		compare(fmt.Sprintf("SELECT pg_size_pretty(%d::bigint)", n), "pg_size_pretty", []types.Type{types.TInt8}, num(n))
	}
	for _, s := range []string{"abc", "Abc", "user", "table", "name", "a-b", "_1", "9z", "", "x y", "données"} {
		compare(fmt.Sprintf("SELECT quote_ident('%s')", s), "quote_ident", []types.Type{textT}, str(s))
	}
	for _, s := range []string{`{a,b}`, `{"a b",NULL,c}`, `{{1,2},{3,4}}`, `{"\"q\"",\\x}`, `[0:1]={x,y}`} {
		compare(fmt.Sprintf("SELECT array_to_string('%s'::text[], '/', '?')", s), "array_to_string",
			[]types.Type{tTextArray, textT, textT}, str(s), str("/"), str("?"))
	}
	for _, p := range procedures {
		compare(fmt.Sprintf("SELECT pg_get_function_arguments(%d)", p.oid), "pg_get_function_arguments", []types.Type{oidT}, num(int64(p.oid)))
	}
	for i := int64(-1); i < 45; i++ {
		compare(fmt.Sprintf("SELECT pg_encoding_to_char(%d)::text", i), "pg_encoding_to_char", []types.Type{types.TInt4}, num(i))
	}
}
