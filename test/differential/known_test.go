package differential

import (
	"strings"
	"testing"

	"github.com/junction-db/junction/test/testenv"
)

// knownFailures are minimised queries on which Junction still fails
// where PostgreSQL answers, with the reason; the generator keeps away
// from what triggers them. They run in the PostgreSQL run and are
// reported, not required: one that starts passing should move to the
// hand-written queries as a regression case.
var knownFailures = []struct {
	name string
	// run is the name of the run it fails in.
	run    string
	sql    string
	reason string
}{
	{
		"no column read beside a subquery on another source", "cross-source",
		`SELECT 1 AS one FROM {t3} a WHERE 10 IN (SELECT i FROM {t4})`,
		"error HV000: the remote query returns a column where Junction's plan expects none",
	},
	{
		"no column read from a derived table beside a subquery on another source", "cross-source",
		`SELECT 'b' AS c1 FROM (SELECT a.d FROM {t1} a CROSS JOIN {t3} b) d WHERE 10 IN (SELECT i FROM {t4})`,
		"error HV000: the remote query returns a column where Junction's plan expects none",
	},
	{
		"aggregate of an outer column in a scalar subquery", "postgresql",
		`SELECT a.i, (SELECT max(a.id) FROM {t3} c WHERE c.id = 1) FROM {t1} a GROUP BY a.i`,
		"0A000: a correlated subquery in an aggregated query's select list is not supported",
	},
	{
		"NOT IN over numerics with a NULL at MariaDB", "mariadb",
		`SELECT a1.id FROM {t2} a1 WHERE a1.n NOT IN (SELECT a2.n FROM {t3} a2)`,
		"wrong result: PostgreSQL returns no row (the subquery has a NULL); Junction returns rows",
	},
	{
		"correlated subquery in an aggregate's argument", "mariadb",
		`SELECT a.id, count(date '2024-02-29' < (SELECT min(b.d) FROM {t2} b WHERE b.t1_id = a.i)) FROM {t3} a GROUP BY 1`,
		"wrong result (with the tables in PostgreSQL: error 42883 operator does not exist: integer = text)",
	},
	{
		"correlated subquery in a GROUP BY key", "postgresql",
		`SELECT a.txt IN (SELECT b.v FROM {t1} b WHERE b.c = a.txt) AS g, count(*) FROM {t3} a GROUP BY 1`,
		"error 42883: operator does not exist: text = integer (the subquery's correlation is bound to the wrong column)",
	},
}

// knownSymptoms are errors of known failures that generated queries
// run into without a simple way for the generator to avoid them; a
// generated query failing with one is counted as known, not failed.
var knownSymptoms = []string{
	// See "no column read beside a subquery on another source".
	"returned 1 columns, expected 0",
}

func knownSymptom(problem string) bool {
	for _, s := range knownSymptoms {
		if strings.Contains(problem, s) {
			return true
		}
	}
	return false
}

func (e *env) checkKnownFailures(t *testing.T) {
	ref := testenv.ConnectURL(t, testenv.PostgresURL(e.reference))
	conn := e.srv.Connect(t)
	for _, k := range knownFailures {
		r := runNamed(k.run)
		want, err := referenceAnswer(ref, r.referenceSQL(k.sql))
		if err != nil {
			t.Errorf("the reference rejects known failure %q (a bug in the suite): %s", k.name, testenv.DescribeError(err))
			continue
		}
		if conn.IsClosed() {
			conn = e.srv.Connect(t)
		}
		if problem := e.check(conn, r, suiteQuery{sql: k.sql, want: want}); problem != "" {
			t.Logf("still failing: %s (%s)\n%s", k.name, k.reason, problem)
		} else {
			t.Logf("now passes, make it a regression case: %s", k.name)
		}
	}
}

func runNamed(name string) run {
	for _, r := range runs {
		if r.name == name {
			return r
		}
	}
	panic("no run " + name)
}
