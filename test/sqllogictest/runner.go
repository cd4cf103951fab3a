package sqllogictest

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/junction-db/junction/test/testenv"
)

// Options bound a run.
type Options struct {
	// MaxQueries stops a script after this many queries ran; 0 runs
	// the whole script.
	MaxQueries int
	// QueryTimeout bounds each statement and query.
	QueryTimeout time.Duration
	// Budget stops a script once it ran this long; 0 lets it finish.
	// Queries left over count as not run.
	Budget time.Duration
}

// Tally counts a run's outcomes. A query passes when its values match,
// fails when they differ and errors when Junction returns an error or no
// answer in time; when Junction stops accepting connections, the queries
// left count as errors too.
type Tally struct {
	Passed, Failed, Errored int
	// Excluded counts queries the guards or the exclusion list leave out
	// for PostgreSQL; NotRun those after Options.MaxQueries.
	Excluded, NotRun int
	// StatementsOK and StatementsFailed count statements that behaved as
	// the script expects and those that did not.
	StatementsOK, StatementsFailed int
}

// Queries is how many queries ran.
func (t Tally) Queries() int { return t.Passed + t.Failed + t.Errored }

// Add adds another tally to t.
func (t *Tally) Add(o Tally) {
	t.Passed += o.Passed
	t.Failed += o.Failed
	t.Errored += o.Errored
	t.Excluded += o.Excluded
	t.NotRun += o.NotRun
	t.StatementsOK += o.StatementsOK
	t.StatementsFailed += o.StatementsFailed
}

// Failure is a record that did not behave as the script expects.
type Failure struct {
	Script string
	Kind   string
	Line   int
	SQL    string
	// Category groups failures with the same cause.
	Category string
	Detail   string
}

// Run is the outcome of one script with one source kind.
type Run struct {
	Script   string
	Kind     string
	Tally    Tally
	Failures []Failure
	Elapsed  time.Duration
	// Aborted says why the run stopped before the end, if it did.
	Aborted string
	// OverBudget is set when the run stopped at Options.Budget.
	OverBudget bool
}

// destination is where a script's statement runs.
type destination int

const (
	// toJunction: views are Junction's, and statements that change
	// neither data nor schema are asked of Junction.
	toJunction destination = iota
	// toSourceData: data changes go to the source database.
	toSourceData
	// toSourceSchema: schema changes go to the source database, in its
	// dialect, and Junction must discover the tables again.
	toSourceSchema
)

var (
	viewStatement   = regexp.MustCompile(`(?i)^\s*(CREATE\s+(OR\s+REPLACE\s+)?(TEMP\s+|TEMPORARY\s+)?VIEW|DROP\s+VIEW)\b`)
	dataStatement   = regexp.MustCompile(`(?i)^\s*(INSERT|UPDATE|DELETE|REPLACE)\b`)
	schemaStatement = regexp.MustCompile(`(?i)^\s*(CREATE|DROP|ALTER|REINDEX)\b`)
)

func route(sql string) destination {
	switch {
	case viewStatement.MatchString(sql):
		return toJunction
	case dataStatement.MatchString(sql):
		return toSourceData
	case schemaStatement.MatchString(sql):
		return toSourceSchema
	}
	return toJunction
}

// runner executes one script's records against one source through one
// Junction server.
type runner struct {
	corpus    *Corpus
	opts      Options
	src       *Source
	srv       *testenv.Server
	conn      *pgx.Conn
	run       *Run
	threshold int
	// stale is set when the source's tables changed since Junction last
	// discovered them.
	stale bool
}

// RunScript runs script of corpus with its tables in a fresh source of
// kind, through a fresh Junction server, recording outcomes in run as it
// goes so that a run cut short still reports what it did.
func RunScript(tb testing.TB, corpus *Corpus, script, kind string, opts Options, run *Run) {
	tb.Helper()
	start := time.Now()
	run.Script, run.Kind = script, kind
	defer func() { run.Elapsed = time.Since(start) }()
	records, err := corpus.Load(script)
	if err != nil {
		tb.Fatal(err)
	}
	srv := testenv.StartServer(tb)
	src, err := NewSource(tb, kind, srv.DataDir)
	if err != nil {
		tb.Fatal(err)
	}
	r := &runner{corpus: corpus, opts: opts, src: src, run: run, srv: srv}
	defer func() {
		if r.conn != nil {
			r.conn.Close(context.Background()) //nolint:errcheck // the server goes away next
		}
	}()
	if err := r.connect(); err != nil {
		tb.Fatalf("connect to junction: %v", err)
	}
	if err := r.junctionExec(src.ServerDDL); err != nil {
		tb.Fatalf("register the %s database with junction: %s", kind, testenv.DescribeError(err))
	}
	for i := range records {
		rec := &records[i]
		if opts.MaxQueries > 0 && run.Tally.Queries() >= opts.MaxQueries {
			run.Tally.NotRun += r.runnableQueries(records[i:])
			return
		}
		if opts.Budget > 0 && time.Since(start) > opts.Budget {
			run.OverBudget = true
			run.Tally.NotRun += r.runnableQueries(records[i:])
			return
		}
		if rec.Kind == Halt && rec.AppliesTo(Engine) {
			return
		}
		if err := r.record(rec); err != nil {
			run.Aborted = fmt.Sprintf("Junction stopped accepting connections after %s:%d: %v", script, rec.Line, err)
			// Whatever the query, the server must stay up.
			tb.Errorf("%s", run.Aborted)
			rest := r.runnableQueries(records[i+1:])
			if opts.MaxQueries > 0 {
				rest = min(rest, opts.MaxQueries-run.Tally.Queries())
			}
			run.Tally.Errored += rest
			return
		}
	}
}

func (r *runner) runnableQueries(records []Record) int {
	n := 0
	for i := range records {
		if records[i].Kind == Query && r.corpus.Runnable(r.run.Script, &records[i]) {
			n++
		}
	}
	return n
}

// record runs one record; it returns an error when the run cannot go on.
func (r *runner) record(rec *Record) error {
	if rec.Kind != Query && rec.Kind != Statement {
		if rec.Kind == HashThreshold && rec.AppliesTo(Engine) {
			r.threshold = rec.Threshold
		}
		return nil
	}
	if !r.corpus.Runnable(r.run.Script, rec) {
		if rec.Kind == Query {
			r.run.Tally.Excluded++
		}
		return nil
	}
	if rec.Kind == Statement {
		r.statement(rec)
	} else {
		r.query(rec)
	}
	if r.conn.IsClosed() {
		// A timeout or a dropped connection closes it; a new session
		// continues the script unless Junction is gone.
		return r.connect()
	}
	return nil
}

func (r *runner) statement(rec *Record) {
	var err error
	dest := route(rec.SQL)
	switch dest {
	case toJunction:
		err = r.refreshed(func() error { return r.junctionExec(rec.SQL) })
	case toSourceData:
		// Files hold a copy of the data, written again before it is read.
		r.stale = r.stale || r.src.Sync != nil
		err = r.sourceExec(rec.SQL)
	case toSourceSchema:
		r.stale = true
		err = r.sourceExec(r.src.Translate(rec.SQL))
	}
	onSource := dest != toJunction
	switch {
	case rec.ExpectError && err == nil:
		r.fail(rec, "statement succeeded where the script expects an error", "")
	case !rec.ExpectError && err != nil && onSource:
		r.fail(rec, "source rejected statement: "+testenv.ErrorGroup(err.Error(), r.src.Database), err.Error())
	case !rec.ExpectError && err != nil:
		r.fail(rec, "statement: "+r.category(err), r.describe(err))
	default:
		r.run.Tally.StatementsOK++
	}
}

func (r *runner) query(rec *Record) {
	var res *testenv.Result
	err := r.refreshed(func() error {
		ctx, cancel := context.WithTimeout(context.Background(), r.opts.QueryTimeout)
		defer cancel()
		var err error
		res, err = testenv.QueryText(ctx, r.conn, rec.SQL)
		return err
	})
	if err != nil {
		r.run.Tally.Errored++
		r.fail(rec, r.category(err), r.describe(err))
		return
	}
	if len(res.Columns) != len(rec.Types) {
		r.run.Tally.Failed++
		r.fail(rec, "wrong result: wrong number of columns", fmt.Sprintf("want %d columns (%s), got %d %q", len(rec.Types), rec.Types, len(res.Columns), res.Columns))
		return
	}
	values, err := FormatValues(rec.Types, rec.Sort, res.Rows)
	if err != nil {
		// Rows that do not match their own column descriptions.
		r.run.Tally.Errored++
		r.fail(rec, "malformed result: rows have "+err.Error(), "")
		return
	}
	if m := Compare(rec.Expected, values, r.threshold); m != nil {
		r.run.Tally.Failed++
		r.fail(rec, "wrong result: "+m.Kind, m.Detail)
		return
	}
	r.run.Tally.Passed++
}

func (r *runner) fail(rec *Record, category, detail string) {
	if rec.Kind == Statement {
		r.run.Tally.StatementsFailed++
	}
	r.run.Failures = append(r.run.Failures, Failure{
		Script: r.run.Script, Kind: r.run.Kind, Line: rec.Line, SQL: rec.SQL, Category: category, Detail: detail,
	})
}

// refreshed runs f after Junction has re-discovered the source's tables,
// if they changed since it last did.
func (r *runner) refreshed(f func() error) error {
	if r.stale {
		if r.src.Sync != nil {
			ctx, cancel := context.WithTimeout(context.Background(), r.opts.QueryTimeout)
			stmts, err := r.src.Sync(ctx)
			cancel()
			if err != nil {
				return &refreshError{err}
			}
			for _, stmt := range stmts {
				if err := r.junctionExec(stmt); err != nil {
					return &refreshError{err}
				}
			}
		}
		refresh := fmt.Sprintf("IMPORT FOREIGN SCHEMA %s FROM SERVER %s INTO %s", pgx.Identifier{r.src.RemoteSchema}.Sanitize(), SourceName, SourceName)
		if err := r.junctionExec(refresh); err != nil {
			return &refreshError{err}
		}
		r.stale = false
	}
	return f()
}

func (r *runner) junctionExec(sql string) error {
	ctx, cancel := context.WithTimeout(context.Background(), r.opts.QueryTimeout)
	defer cancel()
	_, err := r.conn.Exec(ctx, sql, pgx.QueryExecModeSimpleProtocol)
	return err
}

func (r *runner) sourceExec(sql string) error {
	ctx, cancel := context.WithTimeout(context.Background(), r.opts.QueryTimeout)
	defer cancel()
	return r.src.Exec(ctx, sql)
}

// connect opens a session with the source on the search path, so that
// the scripts' unqualified table names resolve to it. public is on the
// path as well because Junction keeps views created without a schema
// there, where the scripts' queries must find them.
func (r *runner) connect() error {
	if r.conn != nil {
		r.conn.Close(context.Background()) //nolint:errcheck // it is closed already
	}
	ctx, cancel := context.WithTimeout(context.Background(), r.opts.QueryTimeout)
	defer cancel()
	conn, err := pgx.Connect(ctx, r.srv.URL(testenv.DemoUser, testenv.DemoPassword))
	if err != nil {
		return err
	}
	r.conn = conn
	return r.junctionExec("SET search_path = " + SourceName + ", public")
}

// refreshError is a failure to re-discover the source's tables after the
// script changed them; the record that needed them could not run.
type refreshError struct{ err error }

const refreshFailed = "IMPORT FOREIGN SCHEMA failed: "

func (e *refreshError) Error() string { return refreshFailed + testenv.DescribeError(e.err) }

func (e *refreshError) Unwrap() error { return e.err }

// describe shows an error in full for a failure's detail.
func (r *runner) describe(err error) string {
	var refresh *refreshError
	if errors.As(err, &refresh) {
		return refresh.Error()
	}
	return testenv.DescribeError(err)
}

// category groups an error from Junction by SQLSTATE and message.
func (r *runner) category(err error) string {
	var refresh *refreshError
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return fmt.Sprintf("timeout: no answer within %s", r.opts.QueryTimeout)
	case errors.As(err, &refresh):
		return refreshFailed + testenv.ErrorGroup(testenv.DescribeError(refresh.err), r.src.Database)
	}
	return testenv.ErrorGroup(testenv.DescribeError(err), r.src.Database)
}
