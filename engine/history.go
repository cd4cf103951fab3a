package engine

import (
	"sync"
	"time"

	"github.com/junction-db/junction/catalog/system"
)

// history keeps the most recent queries for junction.queries.
type history struct {
	mu     sync.Mutex
	nextID int64
	size   int
	recent []*queryRecord
}

type queryRecord struct {
	system.QueryRecord
}

func newHistory(size int) *history { return &history{size: size} }

func (h *history) start(user, sql string) *queryRecord {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.nextID++
	r := &queryRecord{system.QueryRecord{ID: h.nextID, User: user, SQL: sql, State: "running", Started: time.Now()}}
	h.recent = append(h.recent, r)
	if len(h.recent) > h.size {
		h.recent = h.recent[len(h.recent)-h.size:]
	}
	return r
}

func (h *history) finish(r *queryRecord, rows int64, err error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	r.Duration = time.Since(r.Started)
	r.Rows = rows
	r.State = "done"
	if err != nil {
		r.State, r.Error = "failed", err.Error()
	}
}

// list returns a copy of the recent queries, oldest first.
func (h *history) list() []system.QueryRecord {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := make([]system.QueryRecord, len(h.recent))
	for i, r := range h.recent {
		out[i] = r.QueryRecord
	}
	return out
}
