package system

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	pg_query "github.com/pganalyze/pg_query_go/v6"
)

// executorFunctions are the general-purpose functions psql's queries call
// that the executor implements rather than the catalog.
var executorFunctions = map[string]bool{
	"generate_series": true, "array_upper": true, "unnest": true, "string_agg": true, "rtrim": true,
	"pg_options_to_table": true,
}

// setFunctionColumns are the columns of the set-returning functions
// psql's queries read in FROM.
var setFunctionColumns = map[string]bool{"option_name": true, "option_value": true}

// systemColumns are the system columns every table has that psql reads.
var systemColumns = map[string]bool{"tableoid": true}

// psqlQueries reads testdata/psql_describe_queries.sql into its queries.
func psqlQueries(t *testing.T) []string {
	t.Helper()
	data, err := os.ReadFile("testdata/psql_describe_queries.sql")
	if err != nil {
		t.Fatal(err)
	}
	var queries []string
	var current []string
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(line, "--") || (len(current) == 0 && strings.TrimSpace(line) == "") {
			continue
		}
		current = append(current, strings.ReplaceAll(line, "{{oid}}", "16390"))
		if strings.HasSuffix(line, ";") {
			queries = append(queries, strings.Join(current, "\n"))
			current = nil
		}
	}
	return queries
}

// queryRefs are the catalog objects one query mentions.
type queryRefs struct {
	tables    map[string][]string // alias or table name -> system tables
	columns   [][]string          // column references, qualified or not
	functions []string
	names     map[string]bool // output and function aliases, usable unqualified
}

func collectRefs(node any, refs *queryRefs) {
	switch n := node.(type) {
	case []any:
		for _, c := range n {
			collectRefs(c, refs)
		}
	case map[string]any:
		if rv, ok := n["RangeVar"].(map[string]any); ok {
			name, _ := rv["relname"].(string)
			schema, _ := rv["schemaname"].(string)
			if schema == PgCatalog || strings.HasPrefix(name, "pg_") {
				key := name
				if alias, ok := rv["alias"].(map[string]any); ok {
					key, _ = alias["aliasname"].(string)
				}
				refs.tables[key] = append(refs.tables[key], name)
				refs.tables[name] = append(refs.tables[name], name)
			}
		}
		if cr, ok := n["ColumnRef"].(map[string]any); ok {
			var parts []string
			for _, f := range cr["fields"].([]any) {
				if s, ok := f.(map[string]any)["String"].(map[string]any); ok {
					parts = append(parts, s["sval"].(string))
				}
			}
			refs.columns = append(refs.columns, parts)
		}
		if fc, ok := n["FuncCall"].(map[string]any); ok {
			names := fc["funcname"].([]any)
			last := names[len(names)-1].(map[string]any)["String"].(map[string]any)["sval"].(string)
			refs.functions = append(refs.functions, last)
		}
		if rt, ok := n["ResTarget"].(map[string]any); ok {
			if name, ok := rt["name"].(string); ok {
				refs.names[name] = true
			}
		}
		if alias, ok := n["alias"].(map[string]any); ok {
			if name, ok := alias["aliasname"].(string); ok {
				refs.names[name] = true
			}
		}
		for _, c := range n {
			collectRefs(c, refs)
		}
	}
}

func hasSystemColumn(table, column string) bool {
	t := bySchema[PgCatalog][table]
	if t == nil {
		return false
	}
	_, ok := t.index[column]
	return ok
}

// TestPsqlDescribeQueriesFindEverything checks that every catalog table,
// column and function psql's describe commands use exists here.
func TestPsqlDescribeQueriesFindEverything(t *testing.T) {
	queries := psqlQueries(t)
	if len(queries) < 40 {
		t.Fatalf("read only %d queries", len(queries))
	}
	for _, q := range queries {
		tree, err := pg_query.ParseToJSON(q)
		if err != nil {
			t.Fatalf("parsing %s: %v", q, err)
		}
		var parsed any
		if err := json.Unmarshal([]byte(tree), &parsed); err != nil {
			t.Fatal(err)
		}
		refs := &queryRefs{tables: map[string][]string{}, names: map[string]bool{}}
		collectRefs(parsed, refs)
		for _, tables := range refs.tables {
			for _, name := range tables {
				if _, ok := Lookup(testInfo(), PgCatalog, name); !ok {
					t.Errorf("pg_catalog.%s is missing; used by\n%s", name, q)
				}
			}
		}
		for _, col := range refs.columns {
			found := systemColumns[col[len(col)-1]] || len(col) == 1 && setFunctionColumns[col[0]]
			switch len(col) {
			case 1:
				found = found || refs.names[col[0]]
				for _, tables := range refs.tables {
					for _, table := range tables {
						found = found || hasSystemColumn(table, col[0])
					}
				}
			case 2:
				tables, isTable := refs.tables[col[0]]
				found = found || !isTable
				for _, table := range tables {
					found = found || hasSystemColumn(table, col[1])
				}
			default:
				found = true
			}
			if !found {
				t.Errorf("column %s is missing; used by\n%s", strings.Join(col, "."), q)
			}
		}
		for _, fn := range refs.functions {
			if overloadsByName[fn] == nil && !executorFunctions[fn] {
				t.Errorf("function %s is missing; used by\n%s", fn, q)
			}
		}
	}
}
