package engine

import (
	"context"
	"fmt"
	"maps"
	"sort"
	"strings"

	"github.com/junction-db/junction/catalog"
	"github.com/junction-db/junction/catalog/system"
	"github.com/junction-db/junction/connectors"
	"github.com/junction-db/junction/connectors/guard"
	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/secrets"
)

// reservedSchemas cannot be used as source names.
func reservedSchema(name string) bool {
	if name == "public" || strings.HasPrefix(name, "pg_") || name == catalog.LocalCopiesSource {
		return true
	}
	for _, s := range system.Schemas() {
		if s == name {
			return true
		}
	}
	return false
}

// registerSource connects to a new source, discovers its tables and only
// then adds it to the catalog, so a source that cannot be reached or
// refuses the credentials leaves the catalog as it was.
func (e *Engine) registerSource(ctx context.Context, src catalog.Source, replace bool) (*catalog.Source, error) {
	if err := e.checkFilesRoot(src); err != nil {
		return nil, err
	}
	if err := e.checkSQLitePaths(src); err != nil {
		return nil, err
	}
	return e.register(ctx, src, replace, false, nil)
}

// register is registerSource; allowDown keeps a source that cannot be
// reached (a connection failure, not bad options or credentials) in the
// catalog without tables, to be discovered when it answers: a source
// declared in the configuration does not stop the server from starting.
// base, when set, is the definition a change of an existing source was
// made from: if another server changed the source meanwhile, applying
// this change would undo that one, so it fails with 40001 instead.
func (e *Engine) register(ctx context.Context, src catalog.Source, replace, allowDown bool, base *catalog.Source) (*catalog.Source, error) {
	e.ddl.Lock()
	defer e.ddl.Unlock()
	if reservedSchema(src.Name) {
		return nil, pgerr.New(pgerr.InvalidSchemaName, "%q is reserved; choose another server name", src.Name)
	}
	wrapper, ok := connectors.Canonical(src.Wrapper)
	if !ok {
		return nil, pgerr.New(pgerr.UndefinedObject, "foreign-data wrapper %q does not exist", src.Wrapper).
			WithHint("Use one of: %s.", strings.Join(connectors.Known(), ", "))
	}
	src.Wrapper = wrapper
	src.Options = secrets.SealOptions(src.Options, e.cfg.SecretKey)
	if _, exists := e.catalog.Snapshot().Sources[src.Name]; exists && !replace {
		return nil, pgerr.New(pgerr.DuplicateObject, "server %q already exists", src.Name)
	}
	g, err := e.newGuard(src)
	if err != nil {
		return nil, err
	}
	conn, err := g.Connect(ctx)
	if err == nil {
		var disc *connectors.Discovery
		if disc, err = e.discover(ctx, src.Name, conn); err == nil {
			src.DefaultSchema, src.Tables, src.Skipped = disc.DefaultSchema, disc.Tables, disc.Skipped
		}
	}
	if err == nil {
		if err := e.checkAcceleration(&src); err != nil {
			_ = g.Close()
			return nil, err
		}
	}
	if err != nil {
		if !allowDown || !strings.HasPrefix(pgerr.Code(err), "08") {
			_ = g.Close()
			return nil, guard.Named(src.Name, err)
		}
		e.log.WarnContext(ctx, "source unavailable; it is registered and will be discovered when it answers", "source", src.Name, "error", err)
	}
	var stored *catalog.Source
	err = e.catalog.Update(func(s *catalog.Snapshot) error {
		if old, ok := s.Sources[src.Name]; ok {
			if !replace {
				return pgerr.New(pgerr.DuplicateObject, "server %q already exists", src.Name)
			}
			if base != nil && !sameDefinition(old, base) {
				return catalog.ConcurrentUpdate(fmt.Sprintf("server %q was changed by another session or Junction server while this change was made", src.Name))
			}
			src.OID = old.OID
		} else if base != nil {
			return pgerr.New(pgerr.UndefinedObject, "server %q does not exist", src.Name).
				WithHint("It was dropped while this change was made.")
		} else {
			src.OID = s.AllocOID()
		}
		cp := src
		s.Sources[src.Name] = &cp
		stored = &cp
		return nil
	})
	if err != nil {
		_ = g.Close()
		return nil, err
	}
	e.setLive(*stored, g)
	// Tables no longer accelerated lose their copies.
	e.pruneCopies(ctx)
	e.log.InfoContext(ctx, "source registered", "source", src.Name, "wrapper", wrapper, "tables", len(src.Tables), "options", src.RedactedOptions())
	return stored, nil
}

// newGuard puts a source behind its guard, reading the guard's options
// from the source's; the rest go to the wrapper.
func (e *Engine) newGuard(src catalog.Source) (*guard.Source, error) {
	g, err := e.buildGuard(src, e.rediscover)
	if err != nil {
		return nil, err
	}
	g.Instrument(e.cfg.Metrics.Source(src.Name), e.log)
	return g, nil
}

// buildGuard puts a definition of a source behind a guard; connected, if
// set, hears of the connections the guard opens by itself.
func (e *Engine) buildGuard(src catalog.Source, connected func(*guard.Source, connectors.Connector)) (*guard.Source, error) {
	opts, rest, err := guard.Split(withoutAccelerationOptions(src.Options), e.cfg.SourceDefaults)
	if err != nil {
		return nil, err
	}
	if err := secrets.CheckOptions(rest); err != nil {
		return nil, err
	}
	var g *guard.Source
	g = guard.New(src.Name, opts, func(ctx context.Context) (connectors.Connector, error) {
		// The password is resolved at every connection, so a changed
		// environment variable or file is read when the source reconnects.
		resolved, err := secrets.Resolve(src.Name, rest, e.cfg.SecretKey)
		if err != nil {
			return nil, err
		}
		return connectors.Open(ctx, src.Wrapper, resolved)
	}, func(c connectors.Connector) {
		if connected != nil {
			connected(g, c)
		}
	})
	return g, nil
}

// discover lists a source's tables, sorted, with the statistics it shows.
func (e *Engine) discover(ctx context.Context, name string, conn connectors.Connector) (*connectors.Discovery, error) {
	disc, err := conn.Discover(ctx)
	if err != nil {
		return nil, err
	}
	for _, s := range disc.Skipped {
		e.log.WarnContext(ctx, "table skipped by discovery", "source", name, "table", s.Name, "reason", s.Reason)
	}
	if sr, ok := conn.(connectors.StatsReader); ok {
		// Statistics only sharpen estimates: a source that will not show
		// them is still registered, and plans on defaults.
		if err := sr.ReadStats(ctx, disc.Tables); err != nil {
			e.log.WarnContext(ctx, "source statistics unavailable", "source", name, "error", err)
		}
	}
	sort.SliceStable(disc.Tables, func(i, j int) bool {
		a, b := disc.Tables[i], disc.Tables[j]
		if a.Schema != b.Schema {
			return a.Schema < b.Schema
		}
		return a.Name < b.Name
	})
	return disc, nil
}

// dropSource drops a server. Its user mappings and the views and
// materialized views that read it depend on it (see serverDependents):
// as in PostgreSQL, the drop is refused while they exist, and with
// cascade they are dropped with it, which the notices returned say.
// describe names a relation as the session sees it.
func (e *Engine) dropSource(ctx context.Context, name string, missingOK, cascade bool, describe func(schema, name string) string) ([]*pgerr.Error, error) {
	e.ddl.Lock()
	defer e.ddl.Unlock()
	snap := e.catalog.Snapshot()
	src, ok := snap.Sources[name]
	if !ok {
		if missingOK {
			return []*pgerr.Error{pgerr.Notice("server %q does not exist, skipping", name)}, nil
		}
		return nil, pgerr.New(pgerr.UndefinedObject, "server %q does not exist", name)
	}
	if src.Builtin {
		return nil, pgerr.New(pgerr.WrongObjectType, "server %q is declared in the configuration; remove it there", name)
	}
	var deps []dependency
	err := e.catalog.Update(func(s *catalog.Snapshot) error {
		deps = serverDependents(s, name, describe)
		if len(deps) > 0 && !cascade {
			return dependentsError(name, deps)
		}
		for _, d := range deps {
			delete(s.Views, d.view)
			delete(s.MatViews, d.matview)
		}
		delete(s.Sources, name)
		s.DropSourceSecurity(name)
		return nil
	})
	if err != nil {
		return nil, err
	}
	e.dropLive(name)
	e.pruneCopies(context.Background())
	if len(deps) == 0 {
		return nil, nil
	}
	return []*pgerr.Error{cascadeNotice(deps)}, nil
}

// checkAcceleration checks the acceleration options of src, whose tables
// were just discovered: they must name its tables, and the local copies
// must be there to hold them.
func (e *Engine) checkAcceleration(src *catalog.Source) error {
	spec, err := accelerationOf(src)
	if err != nil || spec == nil {
		return err
	}
	return e.requireCopies("accelerated tables")
}

// alterSource applies OPTIONS (SET/ADD/DROP) and reconnects; the catalog
// changes only if the new options work. It returns the source as stored.
// given are the option names the statement sets: a new host or port is
// connected to only if the password is among them (see
// checkCredentialDestination).
func (e *Engine) alterSource(ctx context.Context, name string, given []string, change func(opts map[string]string) error) (*catalog.Source, error) {
	snap := e.catalog.Snapshot()
	src, ok := snap.Sources[name]
	if !ok {
		return nil, pgerr.New(pgerr.UndefinedObject, "server %q does not exist", name)
	}
	next := *src
	next.Options = maps.Clone(src.Options)
	if next.Options == nil {
		next.Options = map[string]string{}
	}
	if err := change(next.Options); err != nil {
		return nil, err
	}
	if err := checkCredentialDestination(name, src.Options, next.Options, given); err != nil {
		return nil, err
	}
	if err := checkMappingDestination(src, next.Options); err != nil {
		return nil, err
	}
	if err := e.checkFilesRoot(next); err != nil {
		return nil, err
	}
	if err := e.checkSQLitePaths(next); err != nil {
		return nil, err
	}
	return e.register(ctx, next, true, false, src)
}

// sameDefinition reports whether two definitions of a source connect the
// same way.
func sameDefinition(a, b *catalog.Source) bool {
	return a.Wrapper == b.Wrapper && maps.Equal(a.Options, b.Options)
}

// applyCatalog brings the live sources in line with a catalog another
// Junction server changed: sources it added or redefined get a guard
// (connecting in the background), sources it dropped are closed. Views
// need nothing: they are planned from the snapshot, and plans cached
// against an older snapshot are planned again. It runs before snap
// becomes current (see catalog.OnReload) and so does not take e.ddl,
// which a CREATE SERVER holds while it waits to write the catalog; a
// concurrent CREATE SERVER of this server installs its own guard after
// this, and the last guard installed for a definition is as good as any.
func (e *Engine) applyCatalog(snap *catalog.Snapshot) {
	e.mu.RLock()
	var stale []string
	for name := range e.live {
		if _, ok := snap.Sources[name]; !ok {
			stale = append(stale, name)
		}
	}
	var changed []catalog.Source
	for _, name := range snap.SourceNames() {
		src := snap.Sources[name]
		if cur, ok := e.liveAs[name]; !ok || !sameDefinition(&cur, src) {
			changed = append(changed, *src)
		}
	}
	e.mu.RUnlock()
	for _, name := range snap.SourceNames() {
		e.pruneIdentities(snap.Sources[name])
	}
	for _, name := range stale {
		e.dropLive(name)
		e.log.Info("source dropped by another server", "source", name)
	}
	for _, src := range changed {
		g, err := e.newGuard(src)
		if err != nil {
			e.log.Warn("source options invalid", "source", src.Name, "error", err)
			continue
		}
		e.setLive(src, g)
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), rediscoverTimeout)
			defer cancel()
			if _, err := g.Connect(ctx); err != nil {
				e.log.Warn("source added by another server is unavailable", "source", src.Name, "error", err)
			}
		}()
		e.log.Info("source defined by another server", "source", src.Name, "wrapper", src.Wrapper, "tables", len(src.Tables))
	}
}

// refreshSource re-discovers a source's tables (IMPORT FOREIGN SCHEMA)
// and returns the source as stored.
func (e *Engine) refreshSource(ctx context.Context, name string) (*catalog.Source, error) {
	snap := e.catalog.Snapshot()
	src, ok := snap.Sources[name]
	if !ok {
		return nil, pgerr.New(pgerr.UndefinedObject, "server %q does not exist", name)
	}
	return e.register(ctx, *src, true, false, src)
}

// skippedWarnings are the warnings of a statement that discovered src's
// tables: one for each table it left out, naming the file and why.
func skippedWarnings(src *catalog.Source) []*pgerr.Error {
	var out []*pgerr.Error
	for _, s := range src.Skipped {
		out = append(out, pgerr.New("01000", "skipped table %q of server %q: %s", s.Name, src.Name, s.Reason).
			WithHint("Correct the file, or declare the table with CREATE FOREIGN TABLE, and run IMPORT FOREIGN SCHEMA."))
	}
	return out
}

// sealStoredPasswords checks at start that every sealed password of the
// catalog opens with the configured key, failing the start naming the
// source whose does not, and seals the passwords a catalog written before
// passwords were sealed holds in clear.
func (e *Engine) sealStoredPasswords(ctx context.Context) error {
	key := e.cfg.SecretKey
	if key == nil {
		return nil
	}
	snap := e.catalog.Snapshot()
	if err := snap.CheckPasswords(key); err != nil {
		return err
	}
	if len(snap.ClearPasswords()) == 0 {
		return nil
	}
	var sealed []string
	err := e.catalog.Update(func(s *catalog.Snapshot) error {
		sealed = s.SealPasswords(key)
		return nil
	})
	if err != nil {
		return fmt.Errorf("encrypt the stored source passwords: %w", err)
	}
	e.log.InfoContext(ctx, "encrypted the source passwords the catalog held in clear", "sources", sealed)
	return nil
}
