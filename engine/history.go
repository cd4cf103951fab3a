package engine

import (
	"sync"
	"time"

	"github.com/junction-db/junction/audit"
	"github.com/junction-db/junction/catalog/system"
	"github.com/junction-db/junction/telemetry"
)

// history keeps the most recent queries for junction.queries, in a ring.
type history struct {
	mu     sync.Mutex
	nextID int64
	ring   []*queryRecord
	next   int // where the next record goes
	full   bool
}

type queryRecord struct {
	system.QueryRecord
	// query travels in the statement's context; it points at usage, which
	// is kept with the record to spare the statement an allocation.
	query *telemetry.Query
	usage telemetry.Query
	// text is the statement as the client sent it, or redacted (see
	// Session.startQuery); redacted says which.
	text     string
	redacted bool
}

func newHistory(size int) *history { return &history{ring: make([]*queryRecord, size)} }

// start records a statement that begins now. Its text is redacted first
// when it may hold a secret (a password in OPTIONS, a text that did not
// parse), for the history shows the text as it is otherwise.
func (h *history) start(s *Session, sql string, redact bool, started time.Time) *queryRecord {
	r := &queryRecord{text: sql, redacted: redact}
	if redact {
		r.text = audit.Redact(sql)
	}
	r.User, r.ClientAddr, r.SQL, r.State, r.Started = s.sessionUser, s.client, r.text, "running", started
	h.mu.Lock()
	h.nextID++
	r.ID = h.nextID
	h.ring[h.next] = r
	h.next++
	if h.next == len(h.ring) {
		h.next, h.full = 0, true
	}
	h.mu.Unlock()
	r.usage.ID = r.ID
	r.query = &r.usage
	return r
}

// finish records how a statement ended and returns the record as it is
// then.
func (h *history) finish(r *queryRecord, rows int64, err error, sqlstate string, sources []string, sourceRows, sourceBytes int64) system.QueryRecord {
	h.mu.Lock()
	defer h.mu.Unlock()
	r.Duration = time.Since(r.Started)
	r.Rows, r.Sources, r.SourceRows, r.SourceBytes, r.SQLState = rows, sources, sourceRows, sourceBytes, sqlstate
	r.State = "done"
	if err != nil {
		r.State, r.Error = "failed", err.Error()
	}
	return r.QueryRecord
}

// list returns a copy of the recent queries, oldest first.
func (h *history) list() []system.QueryRecord {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []system.QueryRecord
	if h.full {
		for _, r := range h.ring[h.next:] {
			out = append(out, r.QueryRecord)
		}
	}
	for _, r := range h.ring[:h.next] {
		out = append(out, r.QueryRecord)
	}
	return out
}
