package sqllogictest

import (
	"flag"
	"fmt"
	"os"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/junction-db/junction/test/testenv"
)

var (
	fullFlag    = flag.Bool("full", false, "run every record of every script (also JUNCTION_SLT_FULL=1) instead of the sample")
	queriesFlag = flag.Int("queries", 0, "run the first N queries of each script instead of the sample, without checking the floors")
	budgetFlag  = flag.Duration("budget", 0, "stop each script with each source after this long (0: no limit); the rest counts as not run")
)

func TestMain(m *testing.M) { testenv.Main(m) }

// The default run is a sample: the first sampleQueries queries of each
// script, with the statements before them, except select5.test, whose
// later queries join up to 64 tables and take seconds each. The floors
// below were measured with this sample.
const (
	sampleQueries        = 2000
	select5SampleQueries = 96
)

func sampleSize(script string) int {
	if script == "select5.test" {
		return select5SampleQueries
	}
	return sampleQueries
}

// Per-query time limits. The sample's is generous so that a loaded CI
// machine does not turn a slow pass into a failure below the floor.
const (
	sampleTimeout = 30 * time.Second
	fullTimeout   = 20 * time.Second
)

// sampleFloors is, per script and source kind, how many of the sample's
// queries Junction passed when the floors were last raised. A run below a
// floor is a regression; a run above it should raise it.
var sampleFloors = map[string]map[string]int{
	"index/between/1000/slt_good_0.test":      {PostgreSQL: 2000, MariaDB: 2000},
	"index/commute/1000/slt_good_0.test":      {PostgreSQL: 2000, MariaDB: 2000},
	"index/delete/10/slt_good_0.test":         {PostgreSQL: 2000, MariaDB: 2000},
	"index/orderby_nosort/10/slt_good_0.test": {PostgreSQL: 2000, MariaDB: 2000},
	"index/random/10/slt_good_0.test":         {PostgreSQL: 2000, MariaDB: 2000},
	"index/view/100/slt_good_0.test":          {PostgreSQL: 2000, MariaDB: 2000},
	"random/aggregates/slt_good_0.test":       {PostgreSQL: 2000, MariaDB: 2000},
	"random/expr/slt_good_0.test":             {PostgreSQL: 2000, MariaDB: 2000},
	"random/groupby/slt_good_0.test":          {PostgreSQL: 2000, MariaDB: 2000},
	"random/select/slt_good_0.test":           {PostgreSQL: 2000, MariaDB: 2000},
	"select1.test":                            {PostgreSQL: 1000, MariaDB: 1000},
	"select2.test":                            {PostgreSQL: 997, MariaDB: 997},
	"select3.test":                            {PostgreSQL: 1998, MariaDB: 1998},
	"select4.test":                            {PostgreSQL: 2000, MariaDB: 2000},
	"select5.test":                            {PostgreSQL: 96, MariaDB: 96},
}

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

	full := *fullFlag || os.Getenv("JUNCTION_SLT_FULL") == "1"
	maxQueries := sampleSize
	description := fmt.Sprintf("the first %d queries of each script, %d of select5.test", sampleQueries, select5SampleQueries)
	timeout := sampleTimeout
	switch {
	case full:
		maxQueries = func(string) int { return 0 }
		description = "every query"
		timeout = fullTimeout
	case *queriesFlag > 0:
		maxQueries = func(string) int { return *queriesFlag }
		description = fmt.Sprintf("the first %d queries of each script", *queriesFlag)
	}
	checkFloors := !full && *queriesFlag == 0 && *budgetFlag == 0

	start := time.Now()
	var (
		mu   sync.Mutex
		runs []*Run
	)
	for _, script := range corpus.Scripts {
		opts := Options{MaxQueries: maxQueries(script), QueryTimeout: timeout, Budget: *budgetFlag}
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
					if checkFloors {
						checkFloor(t, run)
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

func checkFloor(t *testing.T, run *Run) {
	t.Helper()
	floor, ok := sampleFloors[run.Script][run.Kind]
	switch {
	case !ok:
		t.Errorf("no floor for %s with a %s source; it passed %d of %d sample queries: add that to sampleFloors", run.Script, run.Kind, run.Tally.Passed, run.Tally.Queries())
	case run.Tally.Passed < floor:
		t.Errorf("%s with a %s source passed %d of %d sample queries, below its floor of %d: a regression (the failures are in the summary)", run.Script, run.Kind, run.Tally.Passed, run.Tally.Queries(), floor)
	case run.Tally.Passed > floor:
		t.Logf("%s with a %s source passed %d sample queries, above its floor of %d: raise the floor in sampleFloors", run.Script, run.Kind, run.Tally.Passed, floor)
	}
}
