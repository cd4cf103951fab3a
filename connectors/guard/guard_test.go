package guard

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/junction-db/junction/connectors"
	"github.com/junction-db/junction/connectors/sqlgen"
	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/types"
	"github.com/junction-db/junction/vector"
)

// fakeSource is a connector whose failures the test sets.
type fakeSource struct {
	mu      sync.Mutex
	err     error // what Query and Ping return
	nextErr error // what the rows' Next returns after one batch
	queries atomic.Int32
}

func (f *fakeSource) fail(err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.err = err
}

func (f *fakeSource) current() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.err
}

func (f *fakeSource) Discover(context.Context) (*connectors.Discovery, error) {
	return &connectors.Discovery{}, f.current()
}

func (f *fakeSource) Query(context.Context, string, []types.Type) (connectors.Rows, error) {
	f.queries.Add(1)
	if err := f.current(); err != nil {
		return nil, err
	}
	return &fakeRows{err: f.nextErr}, nil
}

func (f *fakeSource) Dialect() sqlgen.Dialect        { return nil }
func (f *fakeSource) Ping(ctx context.Context) error { return f.current() }
func (f *fakeSource) Close() error                   { return nil }

type fakeRows struct {
	sent bool
	err  error
}

func (r *fakeRows) Next() (*vector.Batch, error) {
	if r.sent {
		return nil, r.err
	}
	r.sent = true
	return &vector.Batch{Len: 1}, nil
}

func (r *fakeRows) Close() {}

var (
	refused  = pgerr.New(pgerr.ConnectionFailure, "connection refused")
	noTable  = pgerr.New(pgerr.UndefinedTable, `relation "nope" does not exist`)
	canceled = pgerr.New(pgerr.QueryCanceled, "canceling statement due to user request")
)

func guarded(t *testing.T, f *fakeSource, opts Options) *Source {
	t.Helper()
	s := New("maria", opts, func(context.Context) (connectors.Connector, error) { return f, nil }, nil)
	if _, err := s.Connect(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func drain(s *Source) error {
	rows, err := s.Query(context.Background(), "SELECT 1", nil)
	if err != nil {
		return err
	}
	defer rows.Close()
	for {
		b, err := rows.Next()
		if err != nil || b == nil {
			return err
		}
	}
}

func TestBreakerOpensFailsFastAndRecovers(t *testing.T) {
	f := &fakeSource{}
	s := guarded(t, f, Options{Failures: 3, Cooldown: 200 * time.Millisecond, HealthInterval: time.Hour})
	if err := drain(s); err != nil {
		t.Fatal(err)
	}
	f.fail(refused)
	for i := 0; i < 3; i++ {
		err := drain(s)
		if pgerr.Code(err) != pgerr.ConnectionFailure || !strings.Contains(err.Error(), `source "maria"`) {
			t.Fatalf("failure %d: %v, want 08006 naming the source", i, err)
		}
	}
	if h := s.Health(); h.Circuit != "open" || h.Status != "down" || h.LastError != "connection refused" || h.RetryAt.IsZero() {
		t.Fatalf("after 3 failures: %+v", h)
	}
	sent := f.queries.Load()
	start := time.Now()
	err := drain(s)
	if elapsed := time.Since(start); elapsed > 50*time.Millisecond {
		t.Errorf("open breaker took %v to fail", elapsed)
	}
	if pgerr.Code(err) != pgerr.FDWUnableToConnect || !strings.Contains(err.Error(), `source "maria" is unavailable`) ||
		!strings.Contains(err.Error(), "retried at") {
		t.Errorf("open breaker: %v", err)
	}
	if f.queries.Load() != sent {
		t.Error("an open breaker let a query through to the source")
	}

	f.fail(nil)
	time.Sleep(250 * time.Millisecond)
	if h := s.Health(); h.Circuit != "half-open" {
		t.Fatalf("after the cool-down the circuit is %s, want half-open", h.Circuit)
	}
	if err := drain(s); err != nil {
		t.Fatalf("probe after the cool-down: %v", err)
	}
	if h := s.Health(); h.Circuit != "closed" || h.Status != "up" {
		t.Fatalf("after a good probe: %+v", h)
	}
}

func TestQueryErrorsAndCancelsLeaveTheBreakerClosed(t *testing.T) {
	f := &fakeSource{}
	s := guarded(t, f, Options{Failures: 2, Cooldown: time.Minute, HealthInterval: time.Hour})
	for _, err := range []error{noTable, canceled, noTable, canceled, context.Canceled} {
		f.fail(err)
		if got := drain(s); pgerr.Code(got) != pgerr.Code(err) && !errors.Is(got, err) {
			t.Fatalf("drain = %v, want %v", got, err)
		}
	}
	if h := s.Health(); h.Circuit != "closed" || h.Status != "up" || h.Failures != 0 {
		t.Fatalf("after query errors: %+v", h)
	}
}

func TestFailureMidStreamCountsAndIsNotRetried(t *testing.T) {
	f := &fakeSource{nextErr: refused}
	s := guarded(t, f, Options{Failures: 2, Cooldown: time.Minute, HealthInterval: time.Hour})
	for i := 0; i < 2; i++ {
		if err := drain(s); !strings.Contains(err.Error(), `source "maria": connection refused`) {
			t.Fatalf("mid-stream failure: %v", err)
		}
	}
	if n := f.queries.Load(); n != 2 {
		t.Errorf("the source saw %d queries for 2 that failed after their first rows, want 2", n)
	}
	if h := s.Health(); h.Circuit != "open" {
		t.Fatalf("after 2 mid-stream failures: %+v", h)
	}
}

func TestRetriesAQueryThatCouldNotReachTheSource(t *testing.T) {
	f := &fakeSource{}
	s := guarded(t, f, Options{Failures: 5, Cooldown: time.Minute, HealthInterval: time.Hour})
	f.fail(refused)
	before := f.queries.Load()
	_ = drain(s)
	if n := f.queries.Load() - before; n != queryAttempts {
		t.Errorf("a refused query was sent %d times, want %d", n, queryAttempts)
	}
	f.fail(noTable)
	before = f.queries.Load()
	_ = drain(s)
	if n := f.queries.Load() - before; n != 1 {
		t.Errorf("a query the source rejected was sent %d times, want 1", n)
	}
}

func TestDownAtStartConnectsByItself(t *testing.T) {
	f := &fakeSource{}
	var up atomic.Bool
	connected := make(chan connectors.Connector, 1)
	s := New("maria", Options{Failures: 5, Cooldown: time.Minute, HealthInterval: 20 * time.Millisecond},
		func(context.Context) (connectors.Connector, error) {
			if !up.Load() {
				return nil, refused
			}
			return f, nil
		}, func(c connectors.Connector) { connected <- c })
	defer s.Close()
	if _, err := s.Connect(context.Background()); err == nil {
		t.Fatal("connect to a source that is down succeeded")
	}
	if h := s.Health(); h.Status != "down" || s.Connected() {
		t.Fatalf("down at start: %+v", h)
	}
	s.Start()
	up.Store(true)
	select {
	case c := <-connected:
		if c != f {
			t.Fatal("connected with another connector")
		}
	case <-time.After(2 * time.Second):
		t.Fatal("the health checks did not connect the source once it was up")
	}
	if err := drain(s); err != nil {
		t.Fatal(err)
	}
	// The check that connected records its latency once its ping returns.
	for deadline := time.Now().Add(time.Second); s.Health().Latency == 0 && time.Now().Before(deadline); {
		time.Sleep(5 * time.Millisecond)
	}
	if h := s.Health(); h.Status != "up" || h.Latency <= 0 || h.CheckedAt.IsZero() {
		t.Fatalf("after reconnecting: %+v", h)
	}
}

func TestHealthChecksOpenTheBreakerOfADeadSource(t *testing.T) {
	f := &fakeSource{}
	s := guarded(t, f, Options{Failures: 2, Cooldown: time.Minute, HealthInterval: time.Hour})
	f.fail(refused)
	for i := 0; i < 2; i++ {
		if err := s.Check(context.Background()); err == nil {
			t.Fatal("check of a dead source succeeded")
		}
	}
	if h := s.Health(); h.Circuit != "open" || h.Status != "down" {
		t.Fatalf("after 2 failed checks: %+v", h)
	}
	if s.Usable() {
		t.Error("a source with an open breaker is usable")
	}
}

func TestSplitOptions(t *testing.T) {
	o, rest, err := Split(map[string]string{"host": "h", "breaker_failures": "3", "breaker_cooldown": "500ms",
		"health_interval": "2", "required": "true"}, Defaults())
	if err != nil {
		t.Fatal(err)
	}
	if o != (Options{Failures: 3, Cooldown: 500 * time.Millisecond, HealthInterval: 2 * time.Second, Required: true}) {
		t.Errorf("options = %+v", o)
	}
	if len(rest) != 1 || rest["host"] != "h" {
		t.Errorf("rest = %v", rest)
	}
	if o, _, _ := Split(nil, Defaults()); o != Defaults() {
		t.Errorf("defaults = %+v", o)
	}
	for _, bad := range []map[string]string{{"breaker_failures": "0"}, {"breaker_cooldown": "soon"},
		{"health_interval": "-1s"}, {"required": "maybe"}} {
		if _, _, err := Split(bad, Defaults()); pgerr.Code(err) != pgerr.InvalidParameterValue {
			t.Errorf("Split(%v) = %v, want 22023", bad, err)
		}
	}
}
