package pgregress

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/junction-db/junction/test/testenv"
)

// SourceName is the name the regression database is registered under.
const SourceName = "regress"

// Options shape a run.
type Options struct {
	// Sessions is how many queries run at once, each in its own pair
	// of sessions with Junction and with PostgreSQL.
	Sessions int
	// QueryTimeout bounds each query on each server.
	QueryTimeout time.Duration
}

// Target is the two servers a run compares: Junction with the regression
// database registered as SourceName, and that database itself.
type Target struct {
	// JunctionURL connects to Junction with SourceName on the search
	// path.
	JunctionURL string
	// ReferenceURL connects to the regression database.
	ReferenceURL string
}

// NewTarget registers database (loaded by LoadSetup) with the Junction
// server srv and returns the pair of servers to compare.
func NewTarget(tb testing.TB, srv *testenv.Server, database string) Target {
	tb.Helper()
	conn := srv.Connect(tb)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := conn.Exec(ctx, testenv.PostgresServerDDL(SourceName, database)); err != nil {
		tb.Fatalf("register the regression database with junction: %s", testenv.DescribeError(err))
	}
	// The queries name their tables without a schema; a user makes them
	// resolve to the source by putting it on the search path, here in
	// the start-up packet's options, as libpq's PGOPTIONS does.
	u, err := url.Parse(srv.URL(testenv.DemoUser, testenv.DemoPassword))
	if err != nil {
		tb.Fatal(err)
	}
	params := u.Query()
	params.Set("options", "-c search_path="+SourceName)
	// A URL's query may write a space as +, which libpq and pgx do not
	// read back as one.
	u.RawQuery = strings.ReplaceAll(params.Encode(), "+", "%20")
	return Target{JunctionURL: u.String(), ReferenceURL: testenv.PostgresURL(database)}
}

// Run runs queries on both servers of target and returns an outcome for
// each, in the order of queries. It stops early, with the error, only
// when a server stops accepting connections.
func Run(ctx context.Context, target Target, queries []Query, opts Options) ([]Outcome, error) {
	outcomes := make([]Outcome, len(queries))
	next := make(chan int)
	errs := make(chan error, opts.Sessions)
	var wg sync.WaitGroup
	for range opts.Sessions {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := &worker{target: target, opts: opts}
			defer w.close()
			for i := range next {
				o, err := w.run(ctx, &queries[i])
				if err != nil {
					errs <- fmt.Errorf("after %s: %w", queries[i].ID, err)
					// Drain the rest so the feeder does not block.
					for range next {
					}
					return
				}
				outcomes[i] = o
			}
		}()
	}
	var err error
feed:
	for i := range queries {
		select {
		case next <- i:
		case err = <-errs:
			break feed
		}
	}
	close(next)
	wg.Wait()
	if err == nil {
		select {
		case err = <-errs:
		default:
		}
	}
	return outcomes, err
}

// worker holds one session with each server, replaced when a query's
// timeout or a failure closes it.
type worker struct {
	target              Target
	opts                Options
	junction, reference *pgx.Conn
}

func (w *worker) run(ctx context.Context, q *Query) (Outcome, error) {
	if err := w.connect(ctx); err != nil {
		return Outcome{}, err
	}
	want := w.ask(ctx, w.reference, q.SQL)
	got := w.ask(ctx, w.junction, q.SQL)
	return Classify(q, got, want), nil
}

func (w *worker) ask(ctx context.Context, conn *pgx.Conn, sql string) Answer {
	ctx, cancel := context.WithTimeout(ctx, w.opts.QueryTimeout)
	defer cancel()
	res, err := testenv.QueryText(ctx, conn, sql)
	if errors.Is(err, context.DeadlineExceeded) || pgconn.Timeout(err) {
		err = fmt.Errorf("timeout: no answer within %s", w.opts.QueryTimeout)
	}
	return Answer{Result: res, Err: err}
}

// connect (re)opens whichever session is missing or closed.
func (w *worker) connect(ctx context.Context) error {
	for _, s := range []struct {
		conn **pgx.Conn
		url  string
		what string
	}{{&w.junction, w.target.JunctionURL, "junction"}, {&w.reference, w.target.ReferenceURL, "PostgreSQL"}} {
		if *s.conn != nil && !(*s.conn).IsClosed() {
			continue
		}
		cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		conn, err := pgx.Connect(cctx, s.url)
		cancel()
		if err != nil {
			return fmt.Errorf("connect to %s: %w", s.what, err)
		}
		*s.conn = conn
	}
	return nil
}

func (w *worker) close() {
	for _, c := range []*pgx.Conn{w.junction, w.reference} {
		if c != nil {
			c.Close(context.Background()) //nolint:errcheck // the run is over
		}
	}
}
