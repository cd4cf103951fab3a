package remote

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/types"
	"github.com/junction-db/junction/vector"
)

func TestConnectRetriesTransientErrorsOnly(t *testing.T) {
	refused := fmt.Errorf("dial: %w", syscall.ECONNREFUSED)
	denied := errors.New("password authentication failed")
	transient := func(err error) bool { return errors.Is(err, syscall.ECONNREFUSED) }

	calls := 0
	err := Connect(context.Background(), 5*time.Second, func(context.Context) error {
		calls++
		if calls < 3 {
			return refused
		}
		return nil
	}, transient)
	if err != nil || calls != 3 {
		t.Fatalf("refused twice then up: err=%v after %d attempts, want success after 3", err, calls)
	}

	calls = 0
	err = Connect(context.Background(), 5*time.Second, func(context.Context) error { calls++; return denied }, transient)
	if !errors.Is(err, denied) || calls != 1 {
		t.Fatalf("auth failure: err=%v after %d attempts, want the error after 1 attempt", err, calls)
	}

	calls = 0
	err = Connect(context.Background(), 5*time.Second, func(context.Context) error { calls++; return refused }, transient)
	if !errors.Is(err, refused) || calls != connectAttempts {
		t.Fatalf("always refused: err=%v after %d attempts, want the error after %d", err, calls, connectAttempts)
	}
}

func TestConnectStaysWithinTimeout(t *testing.T) {
	start := time.Now()
	err := Connect(context.Background(), 150*time.Millisecond, func(ctx context.Context) error {
		<-ctx.Done()
		return fmt.Errorf("dial: %w", syscall.ECONNREFUSED)
	}, TransientNetwork)
	if err == nil {
		t.Fatal("want an error")
	}
	if elapsed := time.Since(start); elapsed > time.Second {
		t.Fatalf("connect took %v with a 150ms timeout", elapsed)
	}
}

func TestTransientNetwork(t *testing.T) {
	cases := map[error]bool{
		fmt.Errorf("x: %w", syscall.ECONNREFUSED):    true,
		fmt.Errorf("x: %w", syscall.ECONNRESET):      true,
		errors.New("password authentication failed"): false,
	}
	for err, want := range cases {
		if got := TransientNetwork(err); got != want {
			t.Errorf("TransientNetwork(%v) = %v, want %v", err, got, want)
		}
	}
}

func TestConnectErrorNeverShowsThePassword(t *testing.T) {
	ep := Endpoint{Kind: "postgres", Host: "db.example", Port: 5432, DB: "sales"}
	err := ConnectError(ep, pgerr.InvalidPassword, errors.New("auth failed for dsn password=hunter2 host=db"), "hunter2")
	if strings.Contains(err.Message, "hunter2") {
		t.Fatalf("message leaks the password: %s", err.Message)
	}
	if !strings.Contains(err.Message, "db.example:5432/sales") || err.Code != pgerr.InvalidPassword {
		t.Fatalf("got %s %q, want 28P01 naming db.example:5432/sales", err.Code, err.Message)
	}
}

func TestCheckOptionNames(t *testing.T) {
	valid := []string{"host", "port"}
	if err := CheckOptionNames("pg", map[string]string{"host": "x"}, valid); err != nil {
		t.Fatal(err)
	}
	err := CheckOptionNames("pg", map[string]string{"hots": "x"}, valid)
	if pgerr.Code(err) != pgerr.FDWInvalidOptionName || !strings.Contains(err.Error(), `"hots"`) {
		t.Fatalf("got %v (%s), want HV00D naming hots", err, pgerr.Code(err))
	}
	if hint := pgerr.As(err).Hint; !strings.Contains(hint, "host, port, required") || !strings.Contains(hint, "breaker_failures") {
		t.Errorf("hint %q does not list the wrapper's and the guard's options", hint)
	}
}

func TestParsePool(t *testing.T) {
	p, err := ParsePool(map[string]string{})
	if err != nil || p.MaxConnections != 8 || p.ConnectTimeout != 5*time.Second || p.StatementTimeout != 0 {
		t.Fatalf("defaults: %+v, %v", p, err)
	}
	p, err = ParsePool(map[string]string{"max_connections": "3", "connect_timeout": "2", "statement_timeout": "1500ms"})
	if err != nil || p.MaxConnections != 3 || p.ConnectTimeout != 2*time.Second || p.StatementTimeout != 1500*time.Millisecond {
		t.Fatalf("explicit: %+v, %v", p, err)
	}
	for _, bad := range []map[string]string{
		{"max_connections": "0"}, {"max_connections": "many"}, {"connect_timeout": "-1"}, {"statement_timeout": "soon"},
	} {
		if _, err := ParsePool(bad); pgerr.Code(err) != pgerr.InvalidParameterValue {
			t.Errorf("%v: got %v, want 22023", bad, err)
		}
	}
}

// fakeSource serves rows of text values.
type fakeSource struct {
	rows   [][][]byte
	i      int
	err    error
	closed bool
}

func (f *fakeSource) Next() bool {
	if f.i >= len(f.rows) {
		return false
	}
	f.i++
	return true
}
func (f *fakeSource) Values() ([][]byte, error) { return f.rows[f.i-1], nil }
func (f *fakeSource) Err() error {
	if f.i >= len(f.rows) {
		return f.err
	}
	return nil
}
func (f *fakeSource) Close() { f.closed = true }

func newRows(src Source, cols []types.Type) *Rows {
	names := make([]string, len(cols))
	apps := make([]Appender, len(cols))
	for i, c := range cols {
		names[i] = fmt.Sprintf("c%d", i)
		apps[i] = ParseAppender(c)
	}
	return NewRows(src, NewBuilder(cols, names, apps), func(err error) error { return err }, func() {})
}

func TestRowsBatchesAndNulls(t *testing.T) {
	const n = 2*vector.BatchSize + 5
	src := &fakeSource{}
	for i := 0; i < n; i++ {
		row := [][]byte{[]byte(fmt.Sprint(i)), []byte("x"), nil}
		if i%2 == 0 {
			row[1] = nil
		}
		src.rows = append(src.rows, row)
	}
	rows := newRows(src, []types.Type{types.TInt4, types.TText, types.TDate})
	var sizes []int
	total := 0
	for {
		b, err := rows.Next()
		if err != nil {
			t.Fatal(err)
		}
		if b == nil {
			break
		}
		sizes = append(sizes, b.Len)
		for i := 0; i < b.Len; i++ {
			row := total + i
			if got := b.Cols[0].Int[i]; got != int64(row) {
				t.Fatalf("row %d: int %d", row, got)
			}
			if b.Cols[1].IsNull(i) != (row%2 == 0) || !b.Cols[2].IsNull(i) {
				t.Fatalf("row %d: wrong NULLs", row)
			}
		}
		total += b.Len
	}
	if fmt.Sprint(sizes) != fmt.Sprint([]int{vector.BatchSize, vector.BatchSize, 5}) {
		t.Fatalf("batch sizes %v", sizes)
	}
	if !src.closed {
		t.Fatal("source not closed at the end of the rows")
	}
}

func TestRowsDecodeErrorNamesColumn(t *testing.T) {
	src := &fakeSource{rows: [][][]byte{{[]byte("1")}, {[]byte("99999")}}}
	rows := newRows(src, []types.Type{types.TInt2})
	_, err := rows.Next()
	if pgerr.Code(err) != pgerr.NumericOutOfRange || !strings.Contains(err.Error(), `column "c0"`) {
		t.Fatalf("got %v (%s), want 22003 naming column c0", err, pgerr.Code(err))
	}
	if !src.closed {
		t.Fatal("source not closed after a decode error")
	}
}

func TestRowsSourceError(t *testing.T) {
	boom := pgerr.New(pgerr.DivisionByZero, "division by zero")
	rows := newRows(&fakeSource{err: boom}, []types.Type{types.TInt4})
	if _, err := rows.Next(); !errors.Is(err, boom) {
		t.Fatalf("got %v, want the source's error", err)
	}
}

func TestEarlyCloseCancelsBeforeClosing(t *testing.T) {
	var events []string
	src := &fakeSource{rows: [][][]byte{{[]byte("1")}, {[]byte("2")}}}
	cols := []types.Type{types.TInt4}
	rows := NewRows(&recordingSource{src, &events}, NewBuilder(cols, []string{"c"}, []Appender{ParseAppender(cols[0])}),
		func(err error) error { return err }, func() { events = append(events, "cancel") })
	rows.Close()
	if fmt.Sprint(events) != "[cancel close cancel]" {
		t.Fatalf("early close: %v, want the query cancelled before its source is closed", events)
	}

	events = nil
	src = &fakeSource{rows: [][][]byte{{[]byte("1")}}}
	rows = NewRows(&recordingSource{src, &events}, NewBuilder(cols, []string{"c"}, []Appender{ParseAppender(cols[0])}),
		func(err error) error { return err }, func() { events = append(events, "cancel") })
	for {
		b, err := rows.Next()
		if err != nil {
			t.Fatal(err)
		}
		if b == nil {
			break
		}
	}
	rows.Close()
	if fmt.Sprint(events) != "[close cancel]" {
		t.Fatalf("close after the end: %v, want no cancellation before the source is closed", events)
	}
}

type recordingSource struct {
	*fakeSource
	events *[]string
}

func (r *recordingSource) Close() { *r.events = append(*r.events, "close") }

func TestFullJitterStaysUnderTheBound(t *testing.T) {
	b := NewFullJitter(100*time.Millisecond, 400*time.Millisecond)
	b.Reset()
	for i, bound := range []time.Duration{100, 200, 400, 400, 400} {
		if d := b.NextBackOff(); d < 0 || d > bound*time.Millisecond {
			t.Fatalf("wait %d = %v, want within [0, %v]", i, d, bound*time.Millisecond)
		}
	}
}
