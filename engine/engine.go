package engine

import (
	"context"
	"crypto/subtle"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/junction-db/junction/catalog"
	"github.com/junction-db/junction/catalog/system"
	"github.com/junction-db/junction/connectors"
	"github.com/junction-db/junction/connectors/sqlgen"
)

// Config configures an Engine.
type Config struct {
	// Catalog is the persisted catalog.
	Catalog *catalog.Catalog
	// Users may log in; an empty list admits anyone (trust).
	Users []catalog.User
	// Sources are declared at start (config file, demo); they are registered
	// like CREATE SERVER but not persisted, since their declaration is.
	Sources []catalog.Source
	// Logger receives operational messages; nil discards them.
	Logger *slog.Logger
}

// Engine is one Junction server's query engine: the catalog plus the live
// connections to its sources.
type Engine struct {
	cfg     Config
	catalog *catalog.Catalog
	log     *slog.Logger

	mu      sync.RWMutex
	live    map[string]connectors.Connector
	status  map[string]system.SourceStatus
	history *history
	// sourcesGeneration counts changes to live; see planVersion.
	sourcesGeneration atomic.Uint64
	// ddl serialises catalog changes that talk to sources first.
	ddl sync.Mutex
}

// New starts an engine: it registers the declared sources and connects to
// every source of the catalog. A source that cannot be reached is kept in
// the catalog and reported down; queries that need it fail naming it.
func New(ctx context.Context, cfg Config) (*Engine, error) {
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	e := &Engine{
		cfg:     cfg,
		catalog: cfg.Catalog,
		log:     log,
		live:    map[string]connectors.Connector{},
		status:  map[string]system.SourceStatus{},
		history: newHistory(200),
	}
	if e.catalog == nil {
		c, err := catalog.Open("")
		if err != nil {
			return nil, err
		}
		e.catalog = c
	}
	for _, src := range cfg.Sources {
		src.Builtin = true
		if _, err := e.registerSource(ctx, src, true); err != nil {
			return nil, fmt.Errorf("source %q: %w", src.Name, err)
		}
	}
	snap := e.catalog.Snapshot()
	for _, name := range snap.SourceNames() {
		src := snap.Sources[name]
		if _, ok := e.connector(name); ok {
			continue
		}
		conn, err := connectors.Open(ctx, src.Wrapper, src.Options)
		if err != nil {
			e.setStatus(name, err)
			log.Warn("source unavailable at start", "source", name, "error", err)
			continue
		}
		e.setLive(name, conn)
	}
	return e, nil
}

// Catalog returns the engine's catalog.
func (e *Engine) Catalog() *catalog.Catalog { return e.catalog }

// RequiresPassword reports whether clients must authenticate.
func (e *Engine) RequiresPassword() bool { return len(e.cfg.Users) > 0 }

// Authenticate checks a user's clear-text password.
func (e *Engine) Authenticate(user, password string) bool {
	for _, u := range e.cfg.Users {
		if u.Name == user && subtle.ConstantTimeCompare([]byte(u.Password), []byte(password)) == 1 {
			return true
		}
	}
	return false
}

// Ready reports whether the engine can serve queries; it is ready once
// started, since sources that are down only fail the queries that need
// them.
func (e *Engine) Ready() error { return nil }

// Close closes every source connection.
func (e *Engine) Close() {
	e.mu.Lock()
	defer e.mu.Unlock()
	for name, c := range e.live {
		_ = c.Close()
		delete(e.live, name)
	}
}

func (e *Engine) connector(name string) (connectors.Connector, bool) {
	e.mu.RLock()
	defer e.mu.RUnlock()
	c, ok := e.live[name]
	return c, ok
}

func (e *Engine) setLive(name string, c connectors.Connector) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if old, ok := e.live[name]; ok && old != c {
		_ = old.Close()
	}
	e.live[name] = c
	e.sourcesGeneration.Add(1)
	e.status[name] = system.SourceStatus{Status: "up", CircuitState: "closed", CheckedAt: time.Now()}
}

func (e *Engine) dropLive(name string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if c, ok := e.live[name]; ok {
		_ = c.Close()
	}
	delete(e.live, name)
	e.sourcesGeneration.Add(1)
	delete(e.status, name)
}

func (e *Engine) setStatus(name string, err error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	st := system.SourceStatus{Status: "up", CircuitState: "closed", CheckedAt: time.Now()}
	if err != nil {
		st.Status, st.LastError = "down", err.Error()
	}
	e.status[name] = st
}

func (e *Engine) sourceStatus(name string) system.SourceStatus {
	e.mu.RLock()
	defer e.mu.RUnlock()
	if st, ok := e.status[name]; ok {
		return st
	}
	return system.SourceStatus{Status: "unknown", CircuitState: "closed"}
}

// dialect returns a connected source's dialect.
func (e *Engine) dialect(name string) (sqlgen.Dialect, bool) {
	c, ok := e.connector(name)
	if !ok {
		return nil, false
	}
	return c.Dialect(), true
}
