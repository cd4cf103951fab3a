package engine

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/junction-db/junction/catalog"
	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/planner"
)

// A server's dependents, as PostgreSQL's DROP reports them: its user
// mappings; the views and materialized views whose queries read its
// tables directly or that live in its schema; and, in turn, the views
// and materialized views reading those. DROP SERVER refuses while any
// exist, listing each with what it depends on, and DROP SERVER ...
// CASCADE drops them all, saying so in a notice.

// dependency is one object that a drop would take with it: what it is,
// as PostgreSQL describes it, and what it depends on.
type dependency struct {
	what, on string
	// view and matview are the catalog keys of a dependent view or
	// materialized view (at most one is set; neither for a mapping).
	view, matview string
}

// relation is the catalog key of a dependent view or materialized view,
// "" for a user mapping.
func (d dependency) relation() string { return d.view + d.matview }

// serverDependents lists the dependents of server name, each after what
// it depends on. describe names a relation as the session sees it.
func serverDependents(snap *catalog.Snapshot, name string, describe func(schema, name string) string) []dependency {
	server := "server " + name
	var out []dependency
	if src, ok := snap.Sources[name]; ok {
		for _, user := range src.MappingUsers() {
			out = append(out, dependency{what: fmt.Sprintf("user mapping for %s on server %s", user, name), on: server})
		}
	}
	seen := map[string]bool{}
	// reads reports whether a relation depends on the server itself.
	reads := func(schema string, servers []string) bool {
		return schema == name || slices.Contains(servers, name)
	}
	for _, key := range slices.Sorted(maps.Keys(snap.Views)) {
		if v := snap.Views[key]; reads(v.Schema, v.Servers) {
			seen[key] = true
			out = append(out, dependency{what: "view " + describe(v.Schema, v.Name), on: server, view: key})
		}
	}
	for _, key := range slices.Sorted(maps.Keys(snap.MatViews)) {
		if m := snap.MatViews[key]; reads(m.Schema, m.Servers) {
			seen[key] = true
			out = append(out, dependency{what: "materialized view " + describe(m.Schema, m.Name), on: server, matview: key})
		}
	}
	// Then whatever reads those, breadth first.
	for i := 0; i < len(out); i++ {
		key := out[i].relation()
		if key == "" {
			continue
		}
		for _, depKey := range slices.Sorted(maps.Keys(snap.Views)) {
			if v := snap.Views[depKey]; !seen[depKey] && slices.Contains(v.DependsOn, key) {
				seen[depKey] = true
				out = append(out, dependency{what: "view " + describe(v.Schema, v.Name), on: out[i].what, view: depKey})
			}
		}
		for _, depKey := range slices.Sorted(maps.Keys(snap.MatViews)) {
			if m := snap.MatViews[depKey]; !seen[depKey] && slices.Contains(m.DependsOn, key) {
				seen[depKey] = true
				out = append(out, dependency{what: "materialized view " + describe(m.Schema, m.Name), on: out[i].what, matview: depKey})
			}
		}
	}
	return out
}

// dependentsError is PostgreSQL's refusal to drop server name while deps
// depend on it.
func dependentsError(name string, deps []dependency) *pgerr.Error {
	lines := make([]string, len(deps))
	for i, d := range deps {
		lines[i] = d.what + " depends on " + d.on
	}
	err := pgerr.New(pgerr.DependentObjectsExist, "cannot drop server %s because other objects depend on it", name).
		WithHint("Use DROP ... CASCADE to drop the dependent objects too.")
	err.Detail = strings.Join(lines, "\n")
	return err
}

// cascadeNotice is PostgreSQL's notice of what a DROP ... CASCADE
// dropped besides the object named: the one object, or how many, listed
// in the detail.
func cascadeNotice(deps []dependency) *pgerr.Error {
	if len(deps) == 1 {
		return pgerr.Notice("drop cascades to %s", deps[0].what)
	}
	lines := make([]string, len(deps))
	for i, d := range deps {
		lines[i] = "drop cascades to " + d.what
	}
	n := pgerr.Notice("drop cascades to %d other objects", len(deps))
	n.Detail = strings.Join(lines, "\n")
	return n
}

// recordServerDependencies binds again, at start, the views and
// materialized views whose record names no server, so that those of a
// catalog written before the servers a view reads were recorded gain
// them, and DROP SERVER sees them. A body that no longer binds (a table
// gone from its source) is left as it is.
func (e *Engine) recordServerDependencies(ctx context.Context) {
	snap := e.catalog.Snapshot()
	found := map[string][]string{}
	for key, v := range snap.Views {
		if len(v.Servers) == 0 {
			if servers := e.serversRead(ctx, v.Owner, v.SQL); len(servers) > 0 {
				found[key] = servers
			}
		}
	}
	for key, m := range snap.MatViews {
		if len(m.Servers) == 0 {
			if servers := e.serversRead(ctx, m.Owner, m.SQL); len(servers) > 0 {
				found[key] = servers
			}
		}
	}
	if len(found) == 0 {
		return
	}
	err := e.catalog.Update(func(s *catalog.Snapshot) error {
		for key, servers := range found {
			if v, ok := s.Views[key]; ok && len(v.Servers) == 0 {
				cp := *v
				cp.Servers = servers
				s.Views[key] = &cp
			}
			if m, ok := s.MatViews[key]; ok && len(m.Servers) == 0 {
				cp := *m
				cp.Servers = servers
				s.MatViews[key] = &cp
			}
		}
		return nil
	})
	if err != nil {
		e.log.WarnContext(ctx, "cannot record the servers views read", "error", err)
	}
}

// serversRead lists the servers whose tables the query text sql reads
// directly, bound as owner (the bootstrap superuser when empty); none
// when it does not bind.
func (e *Engine) serversRead(ctx context.Context, owner, sql string) []string {
	if owner == "" {
		owner = e.bootstrapOwner()
	}
	stmts, err := planner.Parse(sql)
	if err != nil || len(stmts) != 1 || stmts[0].Stmt.GetSelectStmt() == nil {
		return nil
	}
	q, err := planner.BindSelect(ctx, e.ownerSession(owner).env(), stmts[0].Stmt.GetSelectStmt(), nil)
	if err != nil {
		return nil
	}
	return q.Sources
}
