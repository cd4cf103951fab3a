package e2e

import (
	"strings"
	"testing"

	"github.com/junction-db/junction/test/testenv"
)

// numericRows hold numeric's special values beside numbers of several
// scales; MariaDB's DECIMAL has no special values, so its table holds
// the numbers only.
var (
	numericColumns   = []string{"id", "x"}
	numericPgRows    = [][]any{{1, "1.5"}, {2, "-2.25"}, {3, "NaN"}, {4, "Infinity"}, {5, "-Infinity"}, {6, "0"}, {7, nil}, {8, "NaN"}}
	numericMyRows    = [][]any{{1, "1.50"}, {2, "-2.25"}, {3, "7.00"}, {6, "0.00"}}
	numericPgDDL     = `CREATE TABLE nums (id int PRIMARY KEY, x numeric)`
	numericMyDDL     = `CREATE TABLE nums (id int PRIMARY KEY, x decimal(10,2))`
	numericRefPgDDL  = `CREATE TABLE pgnums (id int PRIMARY KEY, x numeric)`
	numericRefMyDDL  = `CREATE TABLE mynums (id int PRIMARY KEY, x numeric(10,2))`
	numericSpecialQs = []struct {
		name    string
		sql     string
		ordered bool
	}{
		{"as stored", `SELECT id, x FROM {pg}`, false},
		{"sorted: NaN above Infinity", `SELECT id, x FROM {pg} ORDER BY x, id`, true},
		{"sorted descending", `SELECT id, x FROM {pg} ORDER BY x DESC NULLS LAST, id`, true},
		{"NaN equals NaN", `SELECT id FROM {pg} WHERE x = 'NaN'`, false},
		{"comparison with infinities", `SELECT id, x < 'Infinity', x > '-Infinity', x >= 'NaN' FROM {pg}`, false},
		{"grouped", `SELECT x, count(*) FROM {pg} GROUP BY x`, false},
		{"distinct", `SELECT DISTINCT x FROM {pg}`, false},
		{"arithmetic", `SELECT id, x + 1, x - x, x * 0, x * -2, x / 2, -x, abs(x), sign(x), round(x, 1), floor(x) FROM {pg}`, false},
		{"functions", `SELECT id, sqrt(abs(x)), exp(-abs(x)), ln(abs(x) + 1), scale(x), trim_scale(x), x::float8, x ^ 2 FROM {pg}`, false},
		{"aggregates", `SELECT sum(x), avg(x), min(x), max(x), var_pop(x) FROM {pg}`, false},
		{"aggregates without NaN", `SELECT sum(x), avg(x), min(x), max(x) FROM {pg} WHERE x <> 'NaN'`, false},
		{"cross-source join", `SELECT a.id, a.x, b.x FROM {pg} a JOIN {my} b ON a.x = b.x`, false},
		{"special literals against MariaDB", `SELECT id, x < 'Infinity'::numeric, x + 'NaN'::numeric, greatest(x, '-Infinity') FROM {my}`, false},
		{"filter on a special literal at MariaDB", `SELECT id FROM {my} WHERE x < 'Infinity'::numeric AND x <> 'NaN'::numeric`, false},
	}
)

// TestNumericSpecialValues runs queries over NaN and the infinities in a
// PostgreSQL source, and over special literals against a MariaDB source,
// comparing Junction's answers (read in binary by the client) with
// PostgreSQL's.
func TestNumericSpecialValues(t *testing.T) {
	testenv.RequirePostgres(t)
	testenv.RequireMariaDB(t)
	pgDB, pg := testenv.NewPostgresDB(t, "numpg")
	myDB, my := testenv.NewMariaDB(t, "nummy")
	_, ref := testenv.NewReferenceDB(t, "numref")
	createTable(t, testenv.PostgresExec(pg), numericPgDDL, "nums", numericColumns, numericPgRows)
	createTable(t, testenv.MariaDBExec(my), numericMyDDL, "nums", numericColumns, numericMyRows)
	createTable(t, testenv.PostgresExec(ref), numericRefPgDDL, "pgnums", numericColumns, numericPgRows)
	createTable(t, testenv.PostgresExec(ref), numericRefMyDDL, "mynums", numericColumns, numericMyRows)
	srv := testenv.StartServer(t)
	junction := srv.Connect(t)
	mustExec(t, junction, testenv.PostgresServerDDL("npg", pgDB))
	mustExec(t, junction, mariadbServerDDL("nmy", myDB, "root", ""))

	onJunction := strings.NewReplacer("{pg}", "npg.nums", "{my}", "nmy.nums")
	onReference := strings.NewReplacer("{pg}", "pgnums", "{my}", "mynums")
	for _, q := range numericSpecialQs {
		t.Run(q.name, func(t *testing.T) {
			if junction.IsClosed() {
				junction = srv.Connect(t)
			}
			testenv.Compare(t, junction, ref, onJunction.Replace(q.sql), onReference.Replace(q.sql), q.ordered)
		})
	}

	// MariaDB's DECIMAL cannot hold a special value: a predicate on one
	// stays in Junction.
	res := query(t, junction, `EXPLAIN SELECT id FROM nmy.nums WHERE x < 'Infinity'::numeric`)
	for _, line := range column(res, 0) {
		if strings.Contains(line, "Remote SQL:") && strings.Contains(strings.ToLower(line), "infinity") {
			t.Errorf("a numeric infinity was sent to MariaDB: %s", line)
		}
	}
}
