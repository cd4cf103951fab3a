package telemetry

import (
	"context"
	"sort"
	"sync"
	"sync/atomic"
)

// Query is what a statement's context carries about the statement: its
// id (the one junction.queries, the audit log and the log lines show) and
// what it fetched from each source.
type Query struct {
	ID int64

	mu      sync.Mutex
	sources []*SourceUsage
	// first and firstSlot hold the first source's usage, so that a
	// statement of one remote query allocates nothing for it.
	first     SourceUsage
	firstSlot [1]*SourceUsage
}

// SourceUsage is what one statement fetched from one source. Its counters
// are atomic: a statement reads several sources at once.
type SourceUsage struct {
	Name  string
	rows  atomic.Int64
	bytes atomic.Int64
	// movedRows and movedBytes are what MoveTo handed on already.
	movedRows, movedBytes int64
}

// Add counts rows and bytes received.
func (u *SourceUsage) Add(rows, bytes int64) {
	if u == nil {
		return
	}
	u.rows.Add(rows)
	u.bytes.Add(bytes)
}

type queryKey struct{}

// WithQuery returns a context that carries q.
func WithQuery(ctx context.Context, q *Query) context.Context {
	return context.WithValue(ctx, queryKey{}, q)
}

// QueryFrom returns the statement a context carries, or nil.
func QueryFrom(ctx context.Context) *Query {
	q, _ := ctx.Value(queryKey{}).(*Query)
	return q
}

// Source returns the statement's usage of a source, to be counted into
// as rows arrive; nil (which counts nothing) when q is nil. It is called
// once per remote query, not per batch.
func (q *Query) Source(name string) *SourceUsage {
	if q == nil {
		return nil
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	for _, u := range q.sources {
		if u.Name == name {
			return u
		}
	}
	if len(q.sources) == 0 {
		q.first.Name = name
		q.firstSlot[0] = &q.first
		q.sources = q.firstSlot[:]
		return &q.first
	}
	u := &SourceUsage{Name: name}
	q.sources = append(q.sources, u)
	return u
}

// MoveTo adds to dst what q fetched since its last MoveTo, source by
// source: a cursor's query fetches on behalf of each FETCH in turn. It
// is called by one goroutine at a time.
func (q *Query) MoveTo(dst *Query) {
	if q == nil || dst == nil {
		return
	}
	q.mu.Lock()
	sources := append([]*SourceUsage(nil), q.sources...)
	q.mu.Unlock()
	for _, u := range sources {
		rows, bytes := u.rows.Load(), u.bytes.Load()
		dst.Source(u.Name).Add(rows-u.movedRows, bytes-u.movedBytes)
		u.movedRows, u.movedBytes = rows, bytes
	}
}

// Usage is the statement's totals so far: the sources it touched, in
// name order, and the rows and bytes it fetched from them.
func (q *Query) Usage() (sources []string, rows, bytes int64) {
	if q == nil {
		return nil, 0, 0
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	for _, u := range q.sources {
		sources = append(sources, u.Name)
		rows += u.rows.Load()
		bytes += u.bytes.Load()
	}
	sort.Strings(sources)
	return sources, rows, bytes
}
