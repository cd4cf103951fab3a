// Package telemetry owns what Junction tells its operators about itself
// while it runs: the Prometheus metrics served at /metrics (on a registry
// of their own, never the process-wide default), the per-statement
// identity and source usage that travel in a statement's context, and the
// log handler that stamps every line about a statement with its query id.
//
// The metrics are counted where the events happen, exactly: a statement's
// outcome and duration when it ends, rows and bytes as each batch leaves a
// source, breaker transitions from the breaker itself. Hot paths hold
// handles resolved in advance (one per source, one per outcome), so that a
// statement never looks a label up in a shared map; the only labels are
// source names, SQLSTATE classes and breaker states, never SQL text.
package telemetry

import (
	"runtime/metrics"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// Metrics is one server's set of Prometheus metrics. A nil *Metrics
// counts nothing, so that code run without a server (tests, tools) needs
// no registry.
type Metrics struct {
	registry *prometheus.Registry

	queries       *prometheus.CounterVec
	queryOK       prometheus.Counter
	queryErrors   [classSlots]atomic.Pointer[prometheus.Counter]
	queryDuration prometheus.Histogram
	sessions      prometheus.Gauge
	auditDropped  prometheus.Counter

	sourceRows        *prometheus.CounterVec
	sourceBytes       *prometheus.CounterVec
	sourceErrors      *prometheus.CounterVec
	sourceRetries     *prometheus.CounterVec
	circuitState      *prometheus.GaugeVec
	circuitTransition *prometheus.CounterVec

	mu      sync.Mutex
	sources map[string]*Source
}

// Circuit breaker states, as gobreaker names them.
var circuitStates = []string{"closed", "half-open", "open"}

// classSlots covers every two-character SQLSTATE class of digits and
// upper-case letters.
const classSlots = 36 * 36

// NewMetrics creates the metrics on a registry of their own, with the Go
// runtime and process collectors beside them.
func NewMetrics() *Metrics {
	m := &Metrics{registry: prometheus.NewRegistry(), sources: map[string]*Source{}}
	m.registry.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m.queries = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "junction_queries_total",
		Help: "Statements that ended, by outcome (ok or error) and, for errors, SQLSTATE class.",
	}, []string{"status", "sqlstate_class"})
	m.queryOK = m.queries.WithLabelValues("ok", "")
	m.queryDuration = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name:    "junction_query_duration_seconds",
		Help:    "Time from the start of a statement's execution to its last row or error.",
		Buckets: []float64{.0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60, 300},
	})
	m.sessions = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "junction_sessions_active",
		Help: "Client sessions open now.",
	})
	m.auditDropped = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "junction_audit_records_dropped_total",
		Help: "Audit records not written because the audit queue was full.",
	})
	m.sourceRows = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "junction_source_rows_fetched_total",
		Help: "Rows received from each source.",
	}, []string{"source"})
	m.sourceBytes = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "junction_source_bytes_fetched_total",
		Help: "Bytes of the values received from each source, as decoded (the figure EXPLAIN ANALYZE shows).",
	}, []string{"source"})
	m.sourceErrors = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "junction_source_errors_total",
		Help: "Failed calls to each source: kind connection when the source could not be reached, query when it refused the query.",
	}, []string{"source", "kind"})
	m.sourceRetries = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "junction_source_retries_total",
		Help: "Calls to each source sent again after the source could not be reached.",
	}, []string{"source"})
	m.circuitState = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "junction_source_circuit_state",
		Help: "1 for the state each source's circuit breaker is in (closed, half-open, open), 0 for the others.",
	}, []string{"source", "state"})
	m.circuitTransition = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "junction_source_circuit_transitions_total",
		Help: "Changes of state of each source's circuit breaker.",
	}, []string{"source", "from", "to"})
	heap := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "junction_memory_heap_bytes",
		Help: "Bytes of Go heap memory occupied by live objects and dead ones not yet freed (runtime/metrics /memory/classes/heap/objects:bytes).",
	}, heapObjectBytes)
	m.registry.MustRegister(m.queries, m.queryDuration, m.sessions, m.auditDropped, m.sourceRows, m.sourceBytes,
		m.sourceErrors, m.sourceRetries, m.circuitState, m.circuitTransition, heap)
	return m
}

// MemoryPool is the memory the running queries share.
type MemoryPool interface {
	// Used is the bytes the running queries hold now.
	Used() int64
	// Spilled is the bytes queries have written to temporary files.
	Spilled() int64
}

// WatchMemory exposes what the queries hold of pool and what they
// spilled from it.
func (m *Metrics) WatchMemory(pool MemoryPool) {
	if m == nil {
		return
	}
	m.registry.MustRegister(
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "junction_memory_query_bytes",
			Help: "Bytes the running queries hold of the server's memory budget (max_memory).",
		}, func() float64 { return float64(pool.Used()) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "junction_spilled_bytes_total",
			Help: "Bytes queries wrote to temporary files because they ran out of their memory budget.",
		}, func() float64 { return float64(pool.Spilled()) }),
	)
}

// Registry is what /metrics serves.
func (m *Metrics) Registry() *prometheus.Registry { return m.registry }

func heapObjectBytes() float64 {
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(sample)
	if sample[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return float64(sample[0].Value.Uint64())
}

// QueryEnded counts a statement that ended after d, with the SQLSTATE of
// its error ("" when it succeeded).
func (m *Metrics) QueryEnded(d time.Duration, sqlstate string) {
	if m == nil {
		return
	}
	m.queryDuration.Observe(d.Seconds())
	if sqlstate == "" {
		m.queryOK.Inc()
		return
	}
	m.errorCounter(sqlstate).Inc()
}

// errorCounter returns the error counter of a SQLSTATE's class, resolving
// it once per class.
func (m *Metrics) errorCounter(sqlstate string) prometheus.Counter {
	class := "XX"
	if len(sqlstate) >= 2 {
		class = sqlstate[:2]
	}
	slot, ok := classSlot(class)
	if !ok {
		return m.queries.WithLabelValues("error", class)
	}
	if c := m.queryErrors[slot].Load(); c != nil {
		return *c
	}
	c := m.queries.WithLabelValues("error", class)
	m.queryErrors[slot].Store(&c)
	return c
}

func classSlot(class string) (int, bool) {
	digit := func(b byte) (int, bool) {
		switch {
		case b >= '0' && b <= '9':
			return int(b - '0'), true
		case b >= 'A' && b <= 'Z':
			return int(b-'A') + 10, true
		}
		return 0, false
	}
	a, ok1 := digit(class[0])
	b, ok2 := digit(class[1])
	return a*36 + b, ok1 && ok2
}

// SessionOpened and SessionClosed track the open client sessions.
func (m *Metrics) SessionOpened() {
	if m != nil {
		m.sessions.Inc()
	}
}

// SessionClosed: see SessionOpened.
func (m *Metrics) SessionClosed() {
	if m != nil {
		m.sessions.Dec()
	}
}

// AuditDropped counts an audit record the full queue refused.
func (m *Metrics) AuditDropped() {
	if m != nil {
		m.auditDropped.Inc()
	}
}

// Source returns the metrics of one source, creating its series: a
// source's counters start at zero as soon as it is registered, so that a
// rate over them has a start.
func (m *Metrics) Source(name string) *Source {
	if m == nil {
		return nil
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if s, ok := m.sources[name]; ok {
		return s
	}
	s := &Source{
		m:               m,
		name:            name,
		rows:            m.sourceRows.WithLabelValues(name),
		bytes:           m.sourceBytes.WithLabelValues(name),
		connectionError: m.sourceErrors.WithLabelValues(name, "connection"),
		queryError:      m.sourceErrors.WithLabelValues(name, "query"),
		retries:         m.sourceRetries.WithLabelValues(name),
	}
	for _, state := range circuitStates {
		s.states = append(s.states, m.circuitState.WithLabelValues(name, state))
	}
	m.sources[name] = s
	return s
}

// DropSource removes a source's series once the source is dropped.
func (m *Metrics) DropSource(name string) {
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.sources, name)
	labels := prometheus.Labels{"source": name}
	m.sourceRows.DeletePartialMatch(labels)
	m.sourceBytes.DeletePartialMatch(labels)
	m.sourceErrors.DeletePartialMatch(labels)
	m.sourceRetries.DeletePartialMatch(labels)
	m.circuitState.DeletePartialMatch(labels)
	m.circuitTransition.DeletePartialMatch(labels)
}

// Source is the metrics of one source. A nil *Source counts nothing.
type Source struct {
	m                           *Metrics
	name                        string
	rows, bytes                 prometheus.Counter
	connectionError, queryError prometheus.Counter
	retries                     prometheus.Counter
	states                      []prometheus.Gauge // by circuitStates
}

// Fetched counts rows and bytes received from the source.
func (s *Source) Fetched(rows, bytes int64) {
	if s == nil {
		return
	}
	s.rows.Add(float64(rows))
	s.bytes.Add(float64(bytes))
}

// Failed counts a failed call; connection tells a source that could not
// be reached from one that refused the query.
func (s *Source) Failed(connection bool) {
	if s == nil {
		return
	}
	if connection {
		s.connectionError.Inc()
	} else {
		s.queryError.Inc()
	}
}

// Retried counts a call sent again.
func (s *Source) Retried() {
	if s != nil {
		s.retries.Inc()
	}
}

// CircuitState sets the breaker's current state ("closed", "half-open",
// "open").
func (s *Source) CircuitState(state string) {
	if s == nil {
		return
	}
	for i, name := range circuitStates {
		if name == state {
			s.states[i].Set(1)
		} else {
			s.states[i].Set(0)
		}
	}
}

// CircuitTransition counts a change of the breaker's state and sets the
// new one.
func (s *Source) CircuitTransition(from, to string) {
	if s == nil {
		return
	}
	s.m.circuitTransition.WithLabelValues(s.name, from, to).Inc()
	s.CircuitState(to)
}
