package engine

import (
	"context"
	"crypto/rand"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/junction-db/junction/audit"
	"github.com/junction-db/junction/catalog"
	"github.com/junction-db/junction/catalog/system"
	"github.com/junction-db/junction/connectors"
	"github.com/junction-db/junction/connectors/guard"
	"github.com/junction-db/junction/connectors/sqlgen"
	"github.com/junction-db/junction/executor/memory"
	"github.com/junction-db/junction/secrets"
	"github.com/junction-db/junction/telemetry"
)

// Config configures an Engine.
type Config struct {
	// Catalog is the persisted catalog.
	Catalog *catalog.Catalog
	// Users are the configuration's roles: New makes each a LOGIN role of
	// the catalog with a SCRAM-SHA-256 verifier of its password (see
	// bootstrapRoles). An empty list admits anyone (trust) unless
	// TokenAuth.
	Users []catalog.User
	// TokenAuth says clients may also log in with identity provider
	// tokens: the server then trusts no one, even with no Users, and only
	// Users declared superuser are superusers.
	TokenAuth bool
	// SQLiteDirs are the directories whose files CREATE SERVER and ALTER
	// SERVER may name as SQLite databases; sources declared in the
	// configuration are not confined.
	SQLiteDirs []string
	// FilesDirs are the directories CREATE SERVER and ALTER SERVER may
	// name as the root of a files server, and that root's subdirectories;
	// nil does not confine.
	FilesDirs []string
	// Sources are declared at start (config file, demo); they are registered
	// like CREATE SERVER but not persisted, since their declaration is.
	Sources []catalog.Source
	// Logger receives operational messages; nil discards them.
	Logger *slog.Logger
	// SourceDefaults are the breaker and health check settings of a
	// source whose OPTIONS do not set them; the zero value means
	// guard.Defaults.
	SourceDefaults guard.Options
	// StatementTimeout is the statement_timeout sessions start with; zero
	// lets statements run as long as they need.
	StatementTimeout time.Duration
	// MaxConnections is the bound on client sessions the wire server
	// enforces, shown as the read-only setting max_connections; zero
	// leaves the setting out.
	MaxConnections int
	// IdleInTransactionTimeout is the idle_in_transaction_session_timeout
	// sessions start with; zero lets them wait inside a transaction
	// block as long as they like.
	IdleInTransactionTimeout time.Duration
	// Metrics counts what the engine and its sources do; nil counts
	// nothing.
	Metrics *telemetry.Metrics
	// Audit receives a record of every statement; nil writes none.
	Audit *audit.Log
	// MaxMemory bounds the memory all running queries hold together and
	// WorkMem is the work_mem sessions start with (one query's bound);
	// zero means memory.Defaults'.
	MaxMemory, WorkMem int64
	// TempDir is where queries spill what does not fit their memory;
	// empty means the system's temporary directory.
	TempDir string
	// SecretKey seals the source passwords the catalog stores; nil keeps
	// them as given, for a catalog kept in memory only.
	SecretKey *secrets.Key
	// LocalCopies holds the materialized views' data; the engine closes
	// it. Without it, CREATE MATERIALIZED VIEW is refused.
	LocalCopies connectors.LocalCopies
}

// Engine is one Junction server's query engine: the catalog plus the live
// connections to its sources.
type Engine struct {
	cfg     Config
	catalog *catalog.Catalog
	log     *slog.Logger

	mu sync.RWMutex
	// live holds every source of the catalog behind its guard, connected
	// or not: a source that is down connects by itself when it returns.
	live map[string]*guard.Source
	// liveAs is the definition each guard of live was made from, to tell
	// whether a catalog re-read from another server changed a source.
	liveAs map[string]catalog.Source
	// identities are the pools of the sources' user mappings' remote
	// identities, by source and identity key; see sourceAs.
	identities map[string]map[string]identityPool
	history    *history
	// memory is the budget all running queries share.
	memory *memory.Pool
	// sourcesGeneration counts changes to live; see planVersion.
	sourcesGeneration atomic.Uint64
	// accel is the state of the accelerated tables' copies, and
	// accelGeneration counts their changes: a plan that chose between a
	// copy and its source holds while it stays the same (see boundQuery).
	accel           *accelerations
	accelGeneration atomic.Uint64
	// ddl serialises catalog changes that talk to sources first.
	ddl sync.Mutex
	// started is when the engine started; sessions counts the open
	// sessions.
	started  time.Time
	sessions atomic.Int64
	// requiresLogin is whether clients must authenticate: the
	// configuration declares users or accepts tokens. mockKey derives
	// the stand-in verifier of a role that has no password.
	requiresLogin bool
	// bootstrap is the first superuser the configuration declares, which
	// owns the sources the configuration declares.
	bootstrap string
	// sqliteDirs are the directories SQLite servers made by SQL may read
	// files from, cleaned and with symbolic links resolved.
	sqliteDirs []string
	// filesDirs are cfg.FilesDirs resolved.
	filesDirs []string
	mockKey   []byte
	// matviews are the materialized views' copies and their refreshes.
	matviews *matviews
}

// New starts an engine: it registers the declared sources and connects to
// every source of the catalog, each behind its guard. A source that cannot
// be reached is kept in the catalog and reported down; queries that need
// it fail naming it, and its health checks connect it when it answers.
func New(ctx context.Context, cfg Config) (*Engine, error) {
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	e := &Engine{
		cfg:        cfg,
		catalog:    cfg.Catalog,
		log:        log,
		live:       map[string]*guard.Source{},
		liveAs:     map[string]catalog.Source{},
		identities: map[string]map[string]identityPool{},
		history:    newHistory(200),
		started:    time.Now(),
		mockKey:    make([]byte, 32),
	}
	global, query := memory.Defaults()
	if e.cfg.MaxMemory <= 0 {
		e.cfg.MaxMemory = global
	}
	if e.cfg.WorkMem <= 0 {
		e.cfg.WorkMem = min(query, e.cfg.MaxMemory)
	}
	e.memory = memory.NewPool(e.cfg.MaxMemory)
	e.cfg.Metrics.WatchMemory(e.memory)
	rand.Read(e.mockKey) //nolint:errcheck // crypto/rand.Read never fails
	e.requiresLogin = len(cfg.Users) > 0 || cfg.TokenAuth
	for _, u := range cfg.Users {
		if u.Superuser {
			e.bootstrap = u.Name
			break
		}
	}
	for _, dir := range cfg.SQLiteDirs {
		resolved, err := resolvePath(dir)
		if err != nil {
			return nil, fmt.Errorf("sqlite_dirs: %w", err)
		}
		e.sqliteDirs = append(e.sqliteDirs, resolved)
	}
	filesDirs, err := resolveDirs(cfg.FilesDirs)
	if err != nil {
		return nil, fmt.Errorf("files_dirs: %w", err)
	}
	e.filesDirs = filesDirs
	e.cfg.Users = nil // the passwords are not kept
	if e.cfg.SourceDefaults == (guard.Options{}) {
		e.cfg.SourceDefaults = guard.Defaults()
	}
	if e.catalog == nil {
		c, err := catalog.Open("")
		if err != nil {
			return nil, err
		}
		e.catalog = c
	}
	if err := e.sealStoredPasswords(ctx); err != nil {
		return nil, err
	}
	if err := e.bootstrapRoles(cfg.Users); err != nil {
		return nil, err
	}
	for _, src := range cfg.Sources {
		src.Builtin = true
		if src.Owner == "" {
			// Default privileges for the bootstrap superuser reach the
			// tables of declared sources.
			src.Owner = e.bootstrapOwner()
		}
		if _, err := e.register(ctx, src, true, true, nil); err != nil {
			return nil, fmt.Errorf("source %q: %w", src.Name, err)
		}
	}
	snap := e.catalog.Snapshot()
	for _, name := range snap.SourceNames() {
		if _, ok := e.guardOf(name); ok {
			continue
		}
		src := snap.Sources[name]
		g, err := e.newGuard(*src)
		if err != nil {
			log.Warn("source options invalid", "source", name, "error", err)
			continue
		}
		if _, err := g.Connect(ctx); err != nil {
			log.Warn("source unavailable at start", "source", name, "error", err)
		}
		e.setLive(*src, g)
	}
	e.catalog.OnReload(e.applyCatalog)
	if err := e.startMatViews(ctx); err != nil {
		return nil, err
	}
	e.recordServerDependencies(ctx)
	return e, nil
}

// Catalog returns the engine's catalog.
func (e *Engine) Catalog() *catalog.Catalog { return e.catalog }

// RequiresPassword reports whether clients must authenticate.
func (e *Engine) RequiresPassword() bool { return e.requiresLogin }

// Close closes every source connection.
func (e *Engine) Close() {
	e.closeMatViews()
	e.mu.Lock()
	defer e.mu.Unlock()
	for name, g := range e.live {
		_ = g.Close()
		delete(e.live, name)
		e.closeIdentitiesLocked(name)
	}
}

func (e *Engine) guardOf(name string) (*guard.Source, bool) {
	e.mu.RLock()
	defer e.mu.RUnlock()
	g, ok := e.live[name]
	return g, ok
}

// setLive installs a source's guard, closing the one it replaces, and
// starts its health checks.
func (e *Engine) setLive(src catalog.Source, g *guard.Source) {
	e.mu.Lock()
	defer e.mu.Unlock()
	name := src.Name
	if old, ok := e.live[name]; ok && old != g {
		_ = old.Close()
	}
	e.live[name] = g
	e.liveAs[name] = src
	e.closeIdentitiesLocked(name)
	e.sourcesGeneration.Add(1)
	g.Start()
}

func (e *Engine) dropLive(name string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if g, ok := e.live[name]; ok {
		_ = g.Close()
	}
	delete(e.live, name)
	delete(e.liveAs, name)
	e.closeIdentitiesLocked(name)
	e.sourcesGeneration.Add(1)
	e.cfg.Metrics.DropSource(name)
}

// sourceStatus is a source's state at the moment it is asked.
func (e *Engine) sourceStatus(name string) system.SourceStatus {
	g, ok := e.guardOf(name)
	if !ok {
		return system.SourceStatus{Status: "unknown"}
	}
	h := g.Health()
	return system.SourceStatus{
		Status: h.Status, CircuitState: h.Circuit, LastError: h.LastError, CheckedAt: h.CheckedAt,
		Latency: h.Latency, RetryAt: h.RetryAt, Failures: int(h.Failures), Required: g.Options().Required,
	}
}

// dialect returns a connected source's dialect.
func (e *Engine) dialect(name string) (sqlgen.Dialect, bool) {
	if c, ok := e.localCopies(name); ok {
		return c.Dialect(), true
	}
	g, ok := e.guardOf(name)
	if !ok {
		return nil, false
	}
	d := g.Dialect()
	return d, d != nil
}
