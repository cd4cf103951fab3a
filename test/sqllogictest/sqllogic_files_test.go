package sqllogictest

import (
	"flag"
	"strings"
	"testing"
	"time"
)

// filesScripts are the scripts run with their tables in files: all four
// take about five minutes, select1 alone under one.
var filesScripts = flag.String("files-scripts", "select1,select2,select3,select4", "comma-separated scripts TestSQLLogicFiles runs (of select1,select2,select3,select4)")

// TestSQLLogicFiles runs select1 to select4 (or those -files-scripts names)
// with their tables written as Parquet files, and again as CSV files, in a
// files source, and requires every query to pass as it does with the
// tables in PostgreSQL:
//
//	go test ./test/sqllogictest -run TestSQLLogicFiles -v -args -files-scripts select1
func TestSQLLogicFiles(t *testing.T) {
	corpus := requireCorpus(t)
	start := time.Now()
	var runs []*Run
	for _, name := range strings.Split(*filesScripts, ",") {
		script := strings.TrimSpace(name) + ".test"
		t.Run(script, func(t *testing.T) {
			for _, kind := range FileKinds {
				t.Run(kind, func(t *testing.T) {
					run := &Run{}
					runs = append(runs, run)
					defer func() { t.Logf("\n%s", RunLine(run)) }()
					RunScript(t, corpus, script, kind, Options{MaxQueries: *queriesFlag, QueryTimeout: queryTimeout, Budget: *budgetFlag}, run)
					if *queriesFlag == 0 && *budgetFlag == 0 && (run.Tally.Failed > 0 || run.Tally.Errored > 0 || run.Tally.StatementsFailed > 0) {
						t.Errorf("%s with a %s source: %d queries failed, %d errored, %d statements misbehaved (the summary lists them)",
							run.Script, run.Kind, run.Tally.Failed, run.Tally.Errored, run.Tally.StatementsFailed)
					}
				})
			}
		})
	}
	t.Logf("sqllogictest through Junction with files sources (%s):\n%s", time.Since(start).Round(time.Second), Report(runs, reportCategories, reportExamples))
}
