package sqllogictest

import (
	"flag"
	"fmt"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/junction-db/junction/test/testenv"
)

var (
	queriesFlag = flag.Int("queries", 0, "run only the first N queries of each script (a quick look; nothing is required to pass)")
	budgetFlag  = flag.Duration("budget", 0, "stop each script with each source after this long (0: no limit); the rest counts as not run")
)

func TestMain(m *testing.M) { testenv.Main(m) }

// queryTimeout bounds one query; the slowest, select5's joins of up to 64
// tables, take a few seconds.
const queryTimeout = 60 * time.Second

// reportCategories and reportExamples bound the failure list of the
// summary.
const (
	reportCategories = 40
	reportExamples   = 3
)

func TestSQLLogic(t *testing.T) {
	corpus := requireCorpus(t)
	testenv.RequirePostgres(t)
	testenv.RequireMariaDB(t)

	maxQueries := 0
	description := "every query"
	if *queriesFlag > 0 {
		maxQueries = *queriesFlag
		description = fmt.Sprintf("the first %d queries of each script", *queriesFlag)
	}
	// Every query PostgreSQL passes, Junction must pass; a bounded run is
	// only a quick look.
	requireAll := *queriesFlag == 0 && *budgetFlag == 0

	start := time.Now()
	var (
		mu   sync.Mutex
		runs []*Run
	)
	for _, script := range corpus.Scripts {
		opts := Options{MaxQueries: maxQueries, QueryTimeout: queryTimeout, Budget: *budgetFlag}
		t.Run(script, func(t *testing.T) {
			for _, kind := range Kinds {
				t.Run(kind, func(t *testing.T) {
					// The two sources' runs share the machine's cores
					// with the servers; -parallel 1 runs them in turn.
					t.Parallel()
					run := &Run{}
					mu.Lock()
					runs = append(runs, run)
					mu.Unlock()
					defer func() { t.Logf("\n%s", RunLine(run)) }()
					RunScript(t, corpus, script, kind, opts, run)
					if requireAll && (run.Tally.Failed > 0 || run.Tally.Errored > 0 || run.Tally.StatementsFailed > 0) {
						t.Errorf("%s with a %s source: %d queries failed, %d errored, %d statements misbehaved (the summary lists them)",
							run.Script, run.Kind, run.Tally.Failed, run.Tally.Errored, run.Tally.StatementsFailed)
					}
				})
			}
		})
	}
	// Runs finish in any order; the report lists them by script.
	sort.SliceStable(runs, func(i, j int) bool {
		if runs[i].Script != runs[j].Script {
			return runs[i].Script < runs[j].Script
		}
		return runs[i].Kind == PostgreSQL && runs[j].Kind != PostgreSQL
	})
	t.Logf("sqllogictest through Junction, %s (%s):\n%s", description, time.Since(start).Round(time.Second), Report(runs, reportCategories, reportExamples))
}
