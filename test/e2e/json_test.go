package e2e

import (
	"regexp"
	"strings"
	"testing"

	"github.com/junction-db/junction/test/testenv"
)

// jsonDocs are the rows of the docs tables: JSON with nesting, arrays,
// duplicate keys (which json keeps and jsonb drops), numbers with
// trailing zeros and exponents, quotes, non-ASCII text, JSON null and SQL
// NULL. (No backslashes: MariaDB reads them in literals as escapes.)
var jsonDocs = [][]any{
	{1, `{"name": "ann", "tags": ["a", "b"], "n": 1.50, "addr": {"city": "Utrecht", "zip": null}}`, "red"},
	{2, `{"name": "bob",  "tags": [], "n": 2, "name": "Bob"}`, "blue"},
	{3, `[1, "two", null, {"three": 3}]`, nil},
	{4, `{"name": "it's", "tags": ["c"], "n": -0.5e2, "addr": {"city": "Zürich"}}`, "red"},
	{5, `"just a string"`, "green"},
	{6, `42`, nil},
	{7, `null`, "blue"},
	{8, nil, "red"},
	{9, `{"tags": ["a", "c", "a"], "n": 1.5, "extra": {"deep": [1, [2, 3]]}}`, "blue"},
}

var jsonDocColumns = []string{"id", "doc", "color"}

const (
	// The PostgreSQL source and the reference hold the document as json
	// (kept as written) and as jsonb (normalized).
	postgresDocsDDL = `CREATE TABLE docs (id int PRIMARY KEY, doc json, color text, docb jsonb GENERATED ALWAYS AS (doc::jsonb) STORED)`
	// MariaDB's JSON is longtext with a json_valid check.
	mariadbDocsDDL  = `CREATE TABLE docs (id int PRIMARY KEY, doc JSON, color varchar(10))`
	referenceMyDDL  = `CREATE TABLE mydocs (id int PRIMARY KEY, doc json, color varchar(10))`
	referencePgDDL  = `CREATE TABLE pgdocs (id int PRIMARY KEY, doc json, color text, docb jsonb GENERATED ALWAYS AS (doc::jsonb) STORED)`
	jsonObjectsOnly = ` WHERE json_typeof(doc) = 'object'`
)

// jsonQueries run against the PostgreSQL source ({pg}) or the MariaDB
// source ({my}), whose doc column is json in both; {pg} also has docb
// jsonb.
var jsonQueries = []struct {
	name    string
	sql     string
	ordered bool
}{
	{"pg columns as stored", `SELECT id, doc, docb FROM {pg}`, false},
	{"pg field and element access", `SELECT id, doc -> 'name', doc ->> 'name', docb -> 'tags' -> 0, docb ->> 'n', doc -> 1, docb -> -1, docb #> '{addr,city}', doc #>> '{extra,deep,1,0}' FROM {pg}`, false},
	{"pg filter on a field", `SELECT id FROM {pg} WHERE docb ->> 'name' = 'Bob'`, false},
	{"pg containment and existence", `SELECT id, docb @> '{"tags": ["a"]}', docb <@ '{"name": "bob", "tags": [], "n": 2}', docb ? 'addr', docb ?| '{extra,zip}', docb ?& '{name,n}' FROM {pg}`, false},
	{"pg filter on containment", `SELECT id FROM {pg} WHERE docb @> '{"addr": {"city": "Utrecht"}}' OR docb @> '2'`, false},
	{"pg numeric equality inside jsonb", `SELECT id FROM {pg} WHERE docb @> '{"n": 1.5}'`, false},
	{"pg typeof and lengths", `SELECT id, json_typeof(doc), jsonb_typeof(docb), jsonb_array_length(docb -> 'tags') FROM {pg}`, false},
	{"pg strip nulls and pretty", `SELECT id, json_strip_nulls(doc), jsonb_strip_nulls(docb), jsonb_pretty(docb) FROM {pg}`, false},
	{"pg concatenation and deletion", `SELECT id, docb || '{"n": 0}', docb - 'tags', docb - '{name,n}'::text[] FROM {pg}` + jsonObjectsOnly, false},
	{"pg jsonb_set", `SELECT id, jsonb_set(docb, '{tags,0}', '"z"'), jsonb_set(docb, '{new}', to_jsonb(color)) FROM {pg}` + jsonObjectsOnly, false},
	{"pg constructors over columns", `SELECT id, json_build_object('id', id, 'color', color, 'doc', doc), jsonb_build_object('c', color, 'd', docb), json_build_array(id, color), to_json(color), to_jsonb(id) FROM {pg}`, false},
	{"pg json_object", `SELECT id, json_object(ARRAY['id', id::text, 'color', color]) FROM {pg}`, false},
	{"pg aggregates by group", `SELECT color, jsonb_object_agg(id, docb -> 'n'), count(*) FROM {pg} GROUP BY color`, false},
	{"pg json_agg of one row per group", `SELECT id, json_agg(doc), jsonb_agg(color) FROM {pg} GROUP BY id`, false},
	{"pg elements in the select list", `SELECT id, jsonb_array_elements(docb -> 'tags'), json_array_elements_text(doc -> 'tags') FROM {pg}`, false},
	{"pg keys in the select list", `SELECT id, jsonb_object_keys(docb), json_object_keys(doc) FROM {pg}` + jsonObjectsOnly, false},
	{"pg each in the select list", `SELECT id, (jsonb_each(docb)).key, (jsonb_each_text(docb)).value FROM {pg}` + jsonObjectsOnly, false},
	{"pg elements ordered", `SELECT id, jsonb_array_elements_text(docb -> 'tags') AS t FROM {pg} ORDER BY id, t`, true},
	{"pg jsonb order", `SELECT id, docb FROM {pg} ORDER BY docb DESC, id`, true},
	{"pg jsonb range", `SELECT id FROM {pg} WHERE docb > '{"name": "a"}' AND docb -> 'n' >= '1.5'`, false},
	{"pg element count", `SELECT count(*), count(DISTINCT e) FROM (SELECT jsonb_array_elements(docb -> 'tags') AS e FROM {pg}) s`, false},

	{"mysql columns as stored", `SELECT id, doc FROM {my}`, false},
	{"mysql field access", `SELECT id, doc -> 'name', doc ->> 'name', doc -> 'tags' ->> 1, doc #>> '{addr,city}' FROM {my}`, false},
	{"mysql filter on a field", `SELECT id, color FROM {my} WHERE doc ->> 'name' = 'bob' OR doc ->> 'name' = 'Bob'`, false},
	{"mysql jsonb of json", `SELECT id, doc::jsonb, doc::jsonb @> '{"tags": ["c"]}' FROM {my}`, false},
	{"mysql typeof", `SELECT id, json_typeof(doc) FROM {my}`, false},
	{"mysql constructors", `SELECT id, json_build_object('color', color, 'name', doc -> 'name'), to_json(color) FROM {my}`, false},
	{"mysql aggregates by group", `SELECT color, jsonb_object_agg(id, doc::jsonb -> 'n') FROM {my} GROUP BY color`, false},
	{"mysql elements in the select list", `SELECT id, json_array_elements(doc -> 'tags') FROM {my}`, false},
	{"mysql jsonb order", `SELECT doc::jsonb AS d, id FROM {my} ORDER BY d, id`, true},
	{"mysql jsonb groups", `SELECT doc::jsonb -> 'n', count(*) FROM {my} GROUP BY 1`, false},
	{"mysql jsonb distinct", `SELECT DISTINCT doc::jsonb -> 'tags' -> 0 FROM {my}`, false},
	{"mysql jsonb equality", `SELECT a.id, b.id FROM {my} a JOIN {my} b ON a.doc::jsonb -> 'n' = b.doc::jsonb -> 'n' WHERE a.id < b.id`, false},
	{"mysql keys in the select list", `SELECT id, json_object_keys(doc) FROM {my}` + jsonObjectsOnly, false},
}

func TestJSON(t *testing.T) {
	testenv.RequirePostgres(t)
	testenv.RequireMariaDB(t)
	pgDB, pg := testenv.NewPostgresDB(t, "jsonpg")
	myDB, my := testenv.NewMariaDB(t, "jsonmy")
	_, ref := testenv.NewReferenceDB(t, "jsonref")
	for _, step := range []struct {
		exec  testenv.Exec
		ddl   string
		table string
	}{
		{testenv.PostgresExec(pg), postgresDocsDDL, "docs"},
		{testenv.MariaDBExec(my), mariadbDocsDDL, "docs"},
		{testenv.PostgresExec(ref), referencePgDDL, "pgdocs"},
		{testenv.PostgresExec(ref), referenceMyDDL, "mydocs"},
	} {
		createTable(t, step.exec, step.ddl, step.table, jsonDocColumns, jsonDocs)
	}
	srv := testenv.StartServer(t)
	junction := srv.Connect(t)
	mustExec(t, junction, testenv.PostgresServerDDL("jpg", pgDB))
	mustExec(t, junction, mariadbServerDDL("jmy", myDB, "root", ""))

	onJunction := strings.NewReplacer("{pg}", "jpg.docs", "{my}", "jmy.docs")
	onReference := strings.NewReplacer("{pg}", "pgdocs", "{my}", "mydocs")
	for _, q := range jsonQueries {
		t.Run(q.name, func(t *testing.T) {
			if junction.IsClosed() {
				junction = srv.Connect(t)
			}
			testenv.Compare(t, junction, ref, onJunction.Replace(q.sql), onReference.Replace(q.sql), q.ordered)
		})
	}

	// JSON operators reach PostgreSQL as its own functions; MariaDB,
	// whose JSON functions differ, receives none of them.
	explain := func(sql string) string {
		res := query(t, junction, "EXPLAIN "+sql)
		return strings.Join(column(res, 0), "\n")
	}
	if plan := explain(`SELECT id FROM jpg.docs WHERE docb @> '{"n": 2}' AND doc ->> 'name' = 'bob'`); !strings.Contains(plan, "jsonb_contains(") || !strings.Contains(plan, "json_object_field_text(") {
		t.Errorf("JSON predicates were not pushed to PostgreSQL:\n%s", plan)
	}
	plan := explain(`SELECT id FROM jmy.docs WHERE doc ->> 'name' = 'bob'`)
	jsonCall := regexp.MustCompile(`(?i)\bjson\w*\(|->`)
	for _, line := range strings.Split(plan, "\n") {
		if strings.Contains(line, "Remote SQL:") && jsonCall.MatchString(line) {
			t.Errorf("a JSON function was pushed to MariaDB: %s", line)
		}
	}
}
