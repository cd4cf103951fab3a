package engine

import (
	"context"
	"errors"
	"sort"
	"strings"

	"github.com/junction-db/junction/catalog"
	"github.com/junction-db/junction/catalog/system"
	"github.com/junction-db/junction/connectors"
	"github.com/junction-db/junction/pgerr"
)

// reservedSchemas cannot be used as source names.
func reservedSchema(name string) bool {
	if name == "public" || strings.HasPrefix(name, "pg_") {
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
	if _, exists := e.catalog.Snapshot().Sources[src.Name]; exists && !replace {
		return nil, pgerr.New(pgerr.DuplicateObject, "server %q already exists", src.Name)
	}
	conn, err := connectors.Open(ctx, wrapper, src.Options)
	if err != nil {
		return nil, sourceError(src.Name, err)
	}
	disc, err := conn.Discover(ctx)
	if err != nil {
		_ = conn.Close()
		return nil, sourceError(src.Name, err)
	}
	if sr, ok := conn.(connectors.StatsReader); ok {
		// Statistics only sharpen estimates: a source that will not show
		// them is still registered, and plans on defaults.
		if err := sr.ReadStats(ctx, disc.Tables); err != nil {
			e.log.Warn("source statistics unavailable", "source", src.Name, "error", err)
		}
	}
	src.DefaultSchema = disc.DefaultSchema
	src.Tables = disc.Tables
	sort.SliceStable(src.Tables, func(i, j int) bool {
		a, b := src.Tables[i], src.Tables[j]
		if a.Schema != b.Schema {
			return a.Schema < b.Schema
		}
		return a.Name < b.Name
	})
	var stored *catalog.Source
	err = e.catalog.Update(func(s *catalog.Snapshot) error {
		if old, ok := s.Sources[src.Name]; ok {
			if !replace {
				return pgerr.New(pgerr.DuplicateObject, "server %q already exists", src.Name)
			}
			src.OID = old.OID
		} else {
			src.OID = s.AllocOID()
		}
		cp := src
		s.Sources[src.Name] = &cp
		stored = &cp
		return nil
	})
	if err != nil {
		_ = conn.Close()
		return nil, err
	}
	e.setLive(src.Name, conn)
	e.log.Info("source registered", "source", src.Name, "wrapper", wrapper, "tables", len(src.Tables), "options", src.RedactedOptions())
	return stored, nil
}

// sourceError names the source in a connector error, keeping its SQLSTATE.
func sourceError(name string, err error) error {
	var pe *pgerr.Error
	if errors.As(err, &pe) {
		out := *pe
		if !strings.Contains(out.Message, name) {
			out.Message = "source \"" + name + "\": " + out.Message
		}
		return &out
	}
	return pgerr.New(pgerr.FDWUnableToConnect, "source %q: %s", name, err.Error())
}

func (e *Engine) dropSource(name string, missingOK bool) error {
	e.ddl.Lock()
	defer e.ddl.Unlock()
	snap := e.catalog.Snapshot()
	src, ok := snap.Sources[name]
	if !ok {
		if missingOK {
			return nil
		}
		return pgerr.New(pgerr.UndefinedObject, "server %q does not exist", name)
	}
	if src.Builtin {
		return pgerr.New(pgerr.WrongObjectType, "server %q is declared in the configuration; remove it there", name)
	}
	err := e.catalog.Update(func(s *catalog.Snapshot) error {
		delete(s.Sources, name)
		return nil
	})
	if err != nil {
		return err
	}
	e.dropLive(name)
	return nil
}

// alterSource applies OPTIONS (SET/ADD/DROP) and reconnects; the catalog
// changes only if the new options work.
func (e *Engine) alterSource(ctx context.Context, name string, change func(opts map[string]string) error) error {
	snap := e.catalog.Snapshot()
	src, ok := snap.Sources[name]
	if !ok {
		return pgerr.New(pgerr.UndefinedObject, "server %q does not exist", name)
	}
	next := *src
	next.Options = make(map[string]string, len(src.Options))
	for k, v := range src.Options {
		next.Options[k] = v
	}
	if err := change(next.Options); err != nil {
		return err
	}
	_, err := e.registerSource(ctx, next, true)
	return err
}

// refreshSource re-discovers a source's tables (IMPORT FOREIGN SCHEMA).
func (e *Engine) refreshSource(ctx context.Context, name string) error {
	snap := e.catalog.Snapshot()
	src, ok := snap.Sources[name]
	if !ok {
		return pgerr.New(pgerr.UndefinedObject, "server %q does not exist", name)
	}
	_, err := e.registerSource(ctx, *src, true)
	return err
}
