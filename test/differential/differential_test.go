package differential

import (
	"context"
	"flag"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/junction-db/junction/test/testenv"
)

var (
	seedFlag     = flag.Uint64("seed", 1, "seed of the query generator")
	queriesFlag  = flag.Int("queries", 2000, "generated queries per run that the reference answers")
	onlyFlag     = flag.Int("only", 0, "run only generated query number K of the seed (to replay a failure)")
	featuresFlag = flag.Bool("all-features", false, "also generate the constructs that Features switches off")
)

func TestMain(m *testing.M) { testenv.Main(m) }

// Bounds of one query: the reference answers the generated queries in
// milliseconds, so one that takes seconds there is dropped as too big.
const (
	referenceTimeout = 5 * time.Second
	junctionTimeout  = 60 * time.Second
)

// workers is how many connections run queries through Junction at once.
const workers = 4

// reportLimit bounds the failures shown per run; the tally counts all.
const reportLimit = 25

// suiteQuery is a query with the reference's answer.
type suiteQuery struct {
	label   string
	sql     string
	ordered bool
	want    *testenv.Result
}

func TestDifferential(t *testing.T) {
	e := newEnv(t)
	features := enabledFeatures
	if *featuresFlag {
		features = Features{Windows: true, DistinctOn: true, GroupingSets: true, Recursive: true, Lateral: true}
	}
	for _, r := range runs {
		t.Run(r.name, func(t *testing.T) {
			ref := testenv.ConnectURL(t, testenv.PostgresURL(e.reference))
			if _, err := ref.Exec(context.Background(), fmt.Sprintf("SET statement_timeout = %d", referenceTimeout.Milliseconds())); err != nil {
				t.Fatal(err)
			}
			var queries []suiteQuery
			if *onlyFlag == 0 {
				queries = handWrittenQueries(t, ref, r)
			}
			generated, dropped := generatedQueries(t, ref, r, features)
			queries = append(queries, generated...)
			passed, known, failed := e.compareAll(t, r, queries)
			t.Logf("%s: %d hand-written and %d generated queries (seed %d; %d generated ones the reference rejected were dropped): %d passed, %d failed with a known symptom, %d failed",
				r.name, len(queries)-len(generated), len(generated), *seedFlag, dropped, passed, known, failed)
		})
	}
	t.Run("known failures", func(t *testing.T) { e.checkKnownFailures(t) })
}

// handWrittenQueries answers the hand-written queries on the reference;
// each must run there.
func handWrittenQueries(t *testing.T, ref *pgx.Conn, r run) []suiteQuery {
	var out []suiteQuery
	for _, q := range handWritten {
		want, err := referenceAnswer(ref, r.referenceSQL(q.sql))
		if err != nil {
			t.Errorf("the reference rejects hand-written query %q (a bug in the suite): %s", q.name, testenv.DescribeError(err))
			continue
		}
		out = append(out, suiteQuery{label: "hand-written " + q.name, sql: q.sql, ordered: q.ordered, want: want})
	}
	return out
}

// generatedQueries draws queries from the seed until the reference has
// answered *queriesFlag of them (or just query *onlyFlag).
func generatedQueries(t *testing.T, ref *pgx.Conn, r run, f Features) (out []suiteQuery, dropped int) {
	g := newGenerator(*seedFlag, f)
	for n := 1; len(out) < *queriesFlag; n++ {
		if n > 4**queriesFlag {
			t.Fatalf("the reference rejected %d of %d generated queries; the generator writes too many invalid ones", dropped, n)
		}
		q := g.query()
		if *onlyFlag != 0 && n != *onlyFlag {
			continue
		}
		want, err := referenceAnswer(ref, r.referenceSQL(q.sql))
		if err != nil {
			dropped++
		} else {
			out = append(out, suiteQuery{label: fmt.Sprintf("generated query %d of seed %d (-seed %d -only %d)", n, *seedFlag, *seedFlag, n), sql: q.sql, ordered: q.ordered, want: want})
		}
		if *onlyFlag != 0 {
			break
		}
	}
	return out, dropped
}

func referenceAnswer(ref *pgx.Conn, sql string) (*testenv.Result, error) {
	ctx, cancel := context.WithTimeout(context.Background(), referenceTimeout+time.Second)
	defer cancel()
	return testenv.QueryText(ctx, ref, sql)
}

// compareAll runs the queries through Junction on parallel connections
// and reports those whose answer differs from the reference's.
func (e *env) compareAll(t *testing.T, r run, queries []suiteQuery) (passed, known, failed int) {
	var (
		mu       sync.Mutex
		next     int
		reported int
		wg       sync.WaitGroup
	)
	for range workers {
		conn := e.srv.Connect(t)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				i := next
				next++
				mu.Unlock()
				if i >= len(queries) {
					return
				}
				q := queries[i]
				if conn.IsClosed() {
					conn = e.srv.Connect(t)
				}
				problem := e.check(conn, r, q)
				mu.Lock()
				switch {
				case problem == "":
					passed++
				case knownSymptom(problem) && strings.HasPrefix(q.label, "generated"):
					known++
				default:
					failed++
					if reported < reportLimit {
						reported++
						t.Errorf("%s, %s run:\n%s\n%s", q.label, r.name, r.junctionSQL(q.sql), problem)
					}
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return passed, known, failed
}

// check runs one query through Junction and describes how its answer
// differs from the reference's, or returns "".
func (e *env) check(conn *pgx.Conn, r run, q suiteQuery) string {
	ctx, cancel := context.WithTimeout(context.Background(), junctionTimeout)
	defer cancel()
	got, err := testenv.QueryText(ctx, conn, r.junctionSQL(q.sql))
	if err != nil {
		return "Junction failed where PostgreSQL answers: " + testenv.DescribeError(err)
	}
	return testenv.Diff(got, q.want, q.ordered)
}
