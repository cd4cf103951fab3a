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
}{}

// knownSymptoms are errors of known failures that generated queries
// run into without a simple way for the generator to avoid them; a
// generated query failing with one is counted as known, not failed.
// None is known at present.
var knownSymptoms = []string{}

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
