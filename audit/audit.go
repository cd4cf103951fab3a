// Package audit owns Junction's audit log: one JSON object per line for
// every statement a client ran, written to a file without ever making a
// statement wait for the disk.
//
// A statement's record goes into a bounded queue; one goroutine takes
// records from it, redacts their SQL and writes them through a 64 KiB
// buffer, written out when it fills and every flushInterval, so that a
// busy server makes a few large writes rather than one per statement. When the queue is full (the
// disk is slower than the statements) the record is dropped, never
// waited for: the drop is counted in junction_audit_records_dropped_total
// and logged once per run of drops with how many were lost.
//
// What a record never holds: the values of bound parameters (the text
// keeps $1, $2, ... and the values are not recorded), the literals of the
// SQL text (Redact), and error messages, which may quote values; the
// SQLSTATE says how a statement failed.
package audit

import (
	"bufio"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	"github.com/junction-db/junction/telemetry"
)

// DefaultQueue is the number of records that may wait to be written.
const DefaultQueue = 8192

// flushInterval bounds how long a record may wait in the buffer.
const flushInterval = 200 * time.Millisecond

// redactedCacheSize bounds the statement texts whose redaction the writer
// remembers: most workloads send a few texts over and over (prepared
// statements, ORMs), and scanning one costs far more than looking it up.
const redactedCacheSize = 4096

// Record is one statement's audit record.
type Record struct {
	// Time is when the statement started.
	Time    time.Time `json:"time"`
	QueryID int64     `json:"query_id"`
	User    string    `json:"user"`
	// Client is the client's address (host:port).
	Client string `json:"client_addr"`
	// Statement is the statement's text; the writer redacts it unless
	// Redacted says it already is.
	Statement string `json:"statement"`
	Redacted  bool   `json:"-"`
	// Sources are the sources the statement read, and SourceRows and
	// SourceBytes what it fetched from them.
	Sources     []string `json:"sources"`
	Rows        int64    `json:"rows"`
	SourceRows  int64    `json:"source_rows"`
	SourceBytes int64    `json:"source_bytes"`
	DurationMS  float64  `json:"duration_ms"`
	// Outcome is "ok" or "error"; SQLState is the error's SQLSTATE.
	Outcome  string `json:"outcome"`
	SQLState string `json:"sqlstate,omitempty"`
}

// Log is an open audit log.
type Log struct {
	path    string
	file    *os.File
	queue   chan *Record
	metrics *telemetry.Metrics
	log     *slog.Logger
	stop    chan struct{}
	done    chan struct{}
	closed  atomic.Bool
	// dropped counts records dropped since the writer last reported it.
	dropped atomic.Int64
}

// Open opens (creating or appending to) the audit log at path, with room
// for queue records waiting to be written (DefaultQueue when queue < 1).
func Open(path string, queue int, metrics *telemetry.Metrics, log *slog.Logger) (*Log, error) {
	if queue < 1 {
		queue = DefaultQueue
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return nil, fmt.Errorf("audit log: %w", err)
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, fmt.Errorf("audit log: %w", err)
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	l := &Log{path: path, file: f, queue: make(chan *Record, queue), metrics: metrics, log: log,
		stop: make(chan struct{}), done: make(chan struct{})}
	go l.write()
	return l, nil
}

// Add queues a record; it never blocks. A record that finds the queue
// full is dropped and counted.
func (l *Log) Add(r *Record) {
	if l.closed.Load() {
		return
	}
	select {
	case l.queue <- r:
	default:
		l.dropped.Add(1)
		l.metrics.AuditDropped()
	}
}

// Close writes the records still queued and closes the file.
func (l *Log) Close() error {
	if l.closed.Swap(true) {
		return nil
	}
	close(l.stop)
	<-l.done
	return l.file.Close()
}

// write takes records from the queue until the log is closed and the
// queue empty.
func (l *Log) write() {
	defer close(l.done)
	w := bufio.NewWriterSize(l.file, 64<<10)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	flush := func() {
		if n := l.dropped.Swap(0); n > 0 {
			l.log.Warn("audit records were dropped: the audit queue was full", "dropped", n, "path", l.path)
		}
		if err := w.Flush(); err != nil {
			l.log.Error("cannot write the audit log", "path", l.path, "error", err)
			w.Reset(l.file)
		}
	}
	tick := time.NewTicker(flushInterval)
	defer tick.Stop()
	redacted := map[string]string{}
	for {
		select {
		case r := <-l.queue:
			if !r.Redacted {
				text, ok := redacted[r.Statement]
				if !ok {
					if len(redacted) >= redactedCacheSize {
						clear(redacted)
					}
					text = Redact(r.Statement)
					redacted[r.Statement] = text
				}
				r.Statement, r.Redacted = text, true
			}
			l.encode(enc, r)
		case <-tick.C:
			flush()
		case <-l.stop:
			for {
				select {
				case r := <-l.queue:
					l.encode(enc, r)
				default:
					flush()
					return
				}
			}
		}
	}
}

func (l *Log) encode(enc *json.Encoder, r *Record) {
	if !r.Redacted {
		r.Statement, r.Redacted = Redact(r.Statement), true
	}
	if r.Sources == nil {
		r.Sources = []string{}
	}
	if err := enc.Encode(r); err != nil {
		l.log.Error("cannot encode an audit record", "query_id", r.QueryID, "error", err)
	}
}
