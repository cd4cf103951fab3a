package engine

import (
	"context"
	"sort"
	"time"

	"github.com/junction-db/junction/catalog"
	"github.com/junction-db/junction/connectors"
	"github.com/junction-db/junction/connectors/guard"
)

// rediscoverTimeout bounds the discovery of a source that came back.
const rediscoverTimeout = time.Minute

// rediscover refreshes the tables of a source whose guard connected by
// itself (the source was down), so that a source that was down at start
// becomes usable without IMPORT FOREIGN SCHEMA.
func (e *Engine) rediscover(g *guard.Source, conn connectors.Connector) {
	ctx, cancel := context.WithTimeout(context.Background(), rediscoverTimeout)
	defer cancel()
	e.ddl.Lock()
	defer e.ddl.Unlock()
	name := g.Name()
	if cur, ok := e.guardOf(name); !ok || cur != g {
		return // dropped or replaced meanwhile
	}
	disc, err := e.discover(ctx, name, conn)
	if err != nil {
		e.log.Warn("source reconnected but discovery failed", "source", name, "error", err)
		e.sourcesGeneration.Add(1)
		return
	}
	err = e.catalog.Update(func(s *catalog.Snapshot) error {
		if src, ok := s.Sources[name]; ok {
			cp := *src
			cp.DefaultSchema, cp.Tables, cp.Skipped = disc.DefaultSchema, disc.Tables, disc.Skipped
			s.Sources[name] = &cp
		}
		return nil
	})
	if err != nil {
		e.log.Warn("source reconnected but its tables were not stored", "source", name, "error", err)
	}
	// Plans bound while the source had no dialect are bound again.
	e.sourcesGeneration.Add(1)
	e.log.Info("source reconnected", "source", name, "tables", len(disc.Tables))
}

// Unhealthy is a required source that is down, as /readyz shows it.
type Unhealthy struct {
	Source       string `json:"source"`
	Status       string `json:"status"`
	CircuitState string `json:"circuit_state"`
	LastError    string `json:"last_error,omitempty"`
}

// Unready lists the sources marked required that cannot serve queries
// now; the server is ready when it is empty. Sources not required only
// fail the queries that need them.
func (e *Engine) Unready() []Unhealthy {
	e.mu.RLock()
	guards := make([]*guard.Source, 0, len(e.live))
	for _, g := range e.live {
		if g.Options().Required {
			guards = append(guards, g)
		}
	}
	e.mu.RUnlock()
	var out []Unhealthy
	for _, g := range guards {
		if g.Usable() {
			continue
		}
		h := g.Health()
		out = append(out, Unhealthy{Source: g.Name(), Status: h.Status, CircuitState: h.Circuit, LastError: h.LastError})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Source < out[j].Source })
	return out
}
