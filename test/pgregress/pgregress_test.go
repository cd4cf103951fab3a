package pgregress

import (
	"context"
	"flag"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/junction-db/junction/test/testenv"
)

// passFloor is how many of the corpus's queries Junction answers as
// PostgreSQL does today. It only goes up: raise it as support grows.
const passFloor = 2870

var (
	scriptsFlag  = flag.String("scripts", "", "run only these comma-separated scripts (a quick look: passFloor does not apply)")
	sessionsFlag = flag.Int("sessions", 4, "how many queries run at once")
)

// reportEnv names the file the full report goes to.
const reportEnv = "JUNCTION_PGREGRESS_REPORT"

// queryTimeout bounds one query; the slowest regression queries take a
// second or two.
const queryTimeout = 30 * time.Second

func TestMain(m *testing.M) { testenv.Main(m) }

func requireCorpus(t *testing.T) *Corpus {
	t.Helper()
	dir, err := FindCorpus()
	if err != nil {
		testenv.Unavailable(t, "PostgreSQL regression corpus not found: %v", err)
	}
	c, err := LoadCorpus(dir)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestPostgresRegression(t *testing.T) {
	corpus := requireCorpus(t)
	queries := corpus.Queries
	if *scriptsFlag != "" {
		only := strings.Split(*scriptsFlag, ",")
		queries = slices.DeleteFunc(slices.Clone(queries), func(q Query) bool { return !slices.Contains(only, q.Script) })
	}
	testenv.RequirePostgres(t)
	start := time.Now()
	database := LoadSetup(t, corpus)
	loaded := time.Since(start)
	target := NewTarget(t, testenv.StartServer(t), database)

	outcomes, err := Run(context.Background(), target, queries, Options{Sessions: *sessionsFlag, QueryTimeout: queryTimeout})
	if err != nil {
		t.Errorf("the run stopped early: %v", err)
		outcomes = slices.DeleteFunc(outcomes, func(o Outcome) bool { return o.Query == nil })
	}
	s := Summarize(outcomes)
	writeReport(t, s.Text(0, 0, 0))
	t.Logf("PostgreSQL regression queries through Junction (setup %s, all %s):\n%s",
		loaded.Round(time.Second), time.Since(start).Round(time.Second), s.Text(10, 25, 6))

	if s.Total.Wrong > 0 {
		t.Errorf("%d queries answer differently from PostgreSQL (the report lists them)", s.Total.Wrong)
	}
	for _, o := range s.Unexplained {
		t.Errorf("%s fails with an error other than 0A000 (feature not supported): %s", o.Query.ID, oneLine(o.Detail))
	}
	if *scriptsFlag == "" && s.Total.Passed < passFloor {
		t.Errorf("%d of %d queries pass, fewer than the %d that passed before", s.Total.Passed, len(queries), passFloor)
	}
}

func writeReport(t *testing.T, text string) {
	t.Helper()
	path := os.Getenv(reportEnv)
	if path == "" {
		f, err := os.CreateTemp("", "junction-pgregress-*.txt")
		if err != nil {
			t.Fatal(err)
		}
		f.Close()
		path = f.Name()
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("full report in %s (set %s to choose the file)", path, reportEnv)
}
