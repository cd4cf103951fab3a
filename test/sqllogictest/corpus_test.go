package sqllogictest

import (
	"testing"

	"github.com/junction-db/junction/test/testenv"
)

// postgresQueries is how many of the corpus's queries PostgreSQL 15 runs
// and passes, as its README states.
const postgresQueries = 80312

// requireCorpus loads the corpus beside the module, skipping the test
// (failing it under CI=true) when there is none.
func requireCorpus(t *testing.T) *Corpus {
	t.Helper()
	dir, err := FindCorpus()
	if err != nil {
		testenv.Unavailable(t, "sqllogictest corpus not found: %v", err)
	}
	corpus, err := LoadCorpus(dir)
	if err != nil {
		t.Fatal(err)
	}
	return corpus
}

func TestCorpusHasThePostgreSQLQueryCount(t *testing.T) {
	corpus := requireCorpus(t)
	runnable := 0
	for _, script := range corpus.Scripts {
		records, err := corpus.Load(script)
		if err != nil {
			t.Fatal(err)
		}
		for i := range records {
			if records[i].Kind == Query && corpus.Runnable(script, &records[i]) {
				runnable++
			}
		}
	}
	if runnable != postgresQueries {
		t.Errorf("%d runnable queries in %d scripts, want the %d the corpus's README states", runnable, len(corpus.Scripts), postgresQueries)
	}
}
