package e2e

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/junction-db/junction/test/testenv"
)

// keyFederation holds a facts table in a PostgreSQL source pk and another
// in a MariaDB source mk, with join keys of several types, NULLs and
// duplicates; the reference database holds both as pfacts and mfacts.
type keyFederation struct {
	*federation
}

var factColumns = []string{"id", "k_int", "k_big", "k_text", "k_date", "v"}

const (
	factsDDL = `CREATE TABLE facts (
		id int PRIMARY KEY,
		k_int int NULL,
		k_big bigint NULL,
		k_text varchar(20) NULL,
		k_date date NULL,
		v int NOT NULL)`
	postgresFacts = 30000
	mariadbFacts  = 20000
)

// generateFacts returns n rows whose keys repeat every period rows; every
// nullEvery-th row has NULL keys. textCase varies the case and trailing
// spaces of the text key, which MariaDB's collation ignores.
func generateFacts(n, period, nullEvery int, textCase bool) [][]any {
	epoch := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	rows := make([][]any, n)
	for id := 1; id <= n; id++ {
		k := (id * 7) % period
		text := fmt.Sprintf("key%05d", k)
		if textCase && id%3 == 1 {
			text = strings.ToUpper(text)
		} else if textCase && id%3 == 2 {
			text += " "
		}
		row := []any{id, k, int64(k) * 1000000007, text, testenv.Date(epoch.AddDate(0, 0, k%4000)), id % 100}
		if id%nullEvery == 0 {
			row[1], row[2], row[3], row[4] = nil, nil, nil, nil
		}
		rows[id-1] = row
	}
	return rows
}

func newKeyFederation(t *testing.T) *keyFederation {
	t.Helper()
	testenv.RequirePostgres(t)
	testenv.RequireMariaDB(t)
	ctx := context.Background()
	pgRows := generateFacts(postgresFacts, 15000, 97, false)
	myRows := generateFacts(mariadbFacts, 20000, 50, true)

	f := &federation{t: t}
	f.crmDB, f.crm = testenv.NewPostgresDB(t, "pk")
	f.shopDB, f.shop = testenv.NewMariaDB(t, "mk")
	f.referenceDB, f.reference = testenv.NewReferenceDB(t, "reference")
	pg, my, ref := testenv.PostgresExec(f.crm), testenv.MariaDBExec(f.shop), testenv.PostgresExec(f.reference)
	for _, step := range []struct {
		exec  testenv.Exec
		table string
		rows  [][]any
	}{
		{pg, "facts", pgRows},
		{my, "facts", myRows},
		{ref, "pfacts", pgRows},
		{ref, "mfacts", myRows},
	} {
		createTable(t, step.exec, strings.Replace(factsDDL, "facts", step.table, 1), step.table, factColumns, step.rows)
	}
	// Row estimates decide where dynamic filters go.
	for _, exec := range []testenv.Exec{pg, ref} {
		if err := exec(ctx, "ANALYZE"); err != nil {
			t.Fatal(err)
		}
	}
	if err := my(ctx, "ANALYZE TABLE facts"); err != nil {
		t.Fatal(err)
	}
	f.srv = testenv.StartServer(t)
	f.junction = f.srv.Connect(t)
	mustExec(t, f.junction, testenv.PostgresServerDDL("pk", f.crmDB))
	mustExec(t, f.junction, mariadbServerDDL("mk", f.shopDB, "root", ""))
	return &keyFederation{f}
}

var (
	keyJunctionTables  = strings.NewReplacer("{p}", "pk.facts", "{m}", "mk.facts")
	keyReferenceTables = strings.NewReplacer("{p}", "pfacts", "{m}", "mfacts")
)

func (f *keyFederation) compare(t *testing.T, sql string, ordered bool) {
	t.Helper()
	testenv.Compare(t, f.conn(), f.reference, keyJunctionTables.Replace(sql), keyReferenceTables.Replace(sql), ordered)
}

// explain returns EXPLAIN's lines (with ANALYZE when analyze is set).
func (f *keyFederation) explain(t *testing.T, sql string, analyze bool) string {
	t.Helper()
	prefix := "EXPLAIN "
	if analyze {
		prefix = "EXPLAIN ANALYZE "
	}
	return strings.Join(column(query(t, f.conn(), prefix+keyJunctionTables.Replace(sql)), 0), "\n")
}

// dynamicFilterQueries join a small, filtered side of one source to the
// other source's table, so the probe side gets the build side's keys.
var dynamicFilterQueries = []struct {
	name string
	sql  string
	// probe is the source whose query carries the dynamic filter.
	probe string
}{
	{"int keys, MariaDB build, PostgreSQL probe", `SELECT p.id, m.id, p.v FROM {p} p JOIN {m} m ON p.k_int = m.k_int WHERE m.v = 3`, "pk"},
	{"int keys, PostgreSQL build, MariaDB probe", `SELECT p.id, m.id, m.v FROM {p} p JOIN {m} m ON p.k_int = m.k_int WHERE p.v = 3 AND p.id > 0`, "mk"},
	{"bigint keys", `SELECT p.id, m.id FROM {p} p JOIN {m} m ON p.k_big = m.k_big WHERE m.v = 7`, "pk"},
	{"bigint keys into MariaDB", `SELECT p.id, m.id FROM {p} p JOIN {m} m ON p.k_big = m.k_big WHERE p.v = 7 AND p.id > 0`, "mk"},
	{"text keys", `SELECT p.id, m.id, m.k_text FROM {p} p JOIN {m} m ON p.k_text = m.k_text WHERE m.v = 11`, "pk"},
	{"text keys into MariaDB's collation", `SELECT p.id, m.id, m.k_text FROM {p} p JOIN {m} m ON p.k_text = m.k_text WHERE p.v = 11 AND p.id > 0`, "mk"},
	{"date keys", `SELECT p.id, m.id FROM {p} p JOIN {m} m ON p.k_date = m.k_date WHERE m.v = 13`, "pk"},
	{"date keys into MariaDB", `SELECT p.id, m.id FROM {p} p JOIN {m} m ON p.k_date = m.k_date WHERE p.v = 13 AND p.id > 0`, "mk"},
	{"two keys", `SELECT p.id, m.id FROM {p} p JOIN {m} m ON p.k_int = m.k_int AND p.k_date = m.k_date WHERE m.v = 17`, "pk"},
	{"NULL keys in the build side", `SELECT p.id, m.id FROM {p} p JOIN {m} m ON p.k_int = m.k_int WHERE m.v = 0`, "pk"},
	{"empty build side", `SELECT p.id, m.id FROM {p} p JOIN {m} m ON p.k_int = m.k_int WHERE m.v = 1000`, "pk"},
	{"empty build side into MariaDB", `SELECT p.id, m.id FROM {p} p JOIN {m} m ON p.k_int = m.k_int WHERE p.v = -1 AND p.id > 0`, "mk"},
	{"large build side sends a range", `SELECT count(*), sum(p.v + m.v) FROM {p} p JOIN {m} m ON p.k_int = m.k_int WHERE m.v < 90`, "pk"},
	{"large build side sends a range to MariaDB", `SELECT count(*), sum(p.v + m.v) FROM {p} p JOIN {m} m ON p.k_int = m.k_int WHERE p.v < 90 AND p.id > 0`, "mk"},
	{"large text build side sends a range to MariaDB", `SELECT count(*) FROM {p} p JOIN {m} m ON p.k_text = m.k_text WHERE p.v < 90 AND p.id > 0`, "mk"},
	{"semi join from IN", `SELECT p.id, p.k_int FROM {p} p WHERE p.k_int IN (SELECT k_int FROM {m} WHERE v = 21)`, "pk"},
	{"semi join from IN into MariaDB", `SELECT m.id FROM {m} m WHERE m.k_text IN (SELECT k_text FROM {p} WHERE v = 21 AND id > 0)`, "mk"},
	{"right join keeps the build side", `SELECT p.id, m.id FROM {p} p RIGHT JOIN (SELECT * FROM {m} WHERE v = 23) m ON p.k_int = m.k_int`, "pk"},
	{"anti join reads its small left side first", `SELECT m.id, m.k_int FROM {m} m WHERE m.v = 41 AND NOT EXISTS (SELECT 1 FROM {p} p WHERE p.k_int = m.k_int)`, "pk"},
	{"anti join with NULL text keys into MariaDB", `SELECT p.id FROM {p} p WHERE p.v = 47 AND p.id > 0 AND NOT EXISTS (SELECT 1 FROM {m} m WHERE m.k_text = p.k_text)`, "mk"},
	{"anti join with an empty left side", `SELECT m.id FROM {m} m WHERE m.v = 1000 AND NOT EXISTS (SELECT 1 FROM {p} p WHERE p.k_int = m.k_int)`, "pk"},
	{"semi join reads its small left side first", `SELECT m.id FROM {m} m WHERE m.v = 43 AND EXISTS (SELECT 1 FROM {p} p WHERE p.k_date = m.k_date)`, "pk"},
	{"left join reads its small left side first", `SELECT m.id, p.id FROM {m} m LEFT JOIN {p} p ON p.k_int = m.k_int WHERE m.v = 45`, "pk"},
	{"filter and projection above the probe", `SELECT p.id, p.doubled, m.id FROM (SELECT id, k_int, v * 2 AS doubled FROM {p} WHERE v > 10) p JOIN {m} m ON p.k_int = m.k_int WHERE m.v = 31 AND m.id > 0`, "pk"},
}

// filtered reports whether EXPLAIN's output shows a dynamic filter on the
// query sent to source, with keys from the join's build side or from its
// left side when that is read first.
func filtered(plan, source string) bool {
	lines := strings.Split(plan, "\n")
	for i, l := range lines {
		if strings.HasSuffix(l, "Remote Query on "+source) && i+3 < len(lines) &&
			regexp.MustCompile(`Dynamic Filter: .*(= ANY|IN )\(keys from (build side|left side, read first)`).MatchString(lines[i+3]) {
			return true
		}
	}
	return false
}

func TestCrossSourceKeyJoins(t *testing.T) {
	f := newKeyFederation(t)
	t.Run("dynamic filter", func(t *testing.T) { testDynamicFilter(t, f) })
	t.Run("top-N bind join", func(t *testing.T) { testTopNBindJoin(t, f) })
}

func testDynamicFilter(t *testing.T, f *keyFederation) {
	for _, q := range dynamicFilterQueries {
		t.Run(q.name, func(t *testing.T) {
			f.compare(t, q.sql, false)
			plan := f.explain(t, q.sql, false)
			if !filtered(plan, q.probe) {
				t.Errorf("EXPLAIN shows no dynamic filter on the %s query:\n%s", q.probe, plan)
			}
		})
	}
	t.Run("EXPLAIN ANALYZE shows the keys sent", func(t *testing.T) {
		plan := f.explain(t, `SELECT p.id FROM {p} p JOIN {m} m ON p.k_int = m.k_int WHERE m.id <= 10`, true)
		if !regexp.MustCompile(`dynamic filter keys=10 ranges=0`).MatchString(plan) {
			t.Errorf("EXPLAIN ANALYZE does not show the 10 keys sent:\n%s", plan)
		}
		plan = f.explain(t, `SELECT count(*) FROM {p} p JOIN {m} m ON p.k_int = m.k_int WHERE m.v < 90`, true)
		if !regexp.MustCompile(`dynamic filter keys=0 ranges=1`).MatchString(plan) {
			t.Errorf("EXPLAIN ANALYZE does not show the range sent for a large build side:\n%s", plan)
		}
	})
}
