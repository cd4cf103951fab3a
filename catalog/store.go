package catalog

import (
	"context"
	"encoding/json"
	"errors"
	"maps"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/junction-db/junction/connectors"
	"github.com/junction-db/junction/pgerr"
)

// firstOID is where Junction's object identifiers start; PostgreSQL reserves
// the ones below 16384 for built-in objects.
const firstOID = 16384

// Snapshot is an immutable view of the catalog. Callers must not modify it;
// Catalog.Update hands out a private copy to change.
type Snapshot struct {
	Sources map[string]*Source `json:"sources"`
	Views   map[string]*View   `json:"views"` // key: schema + "." + name
	// Roles are the roles by name (CREATE ROLE, the configuration's
	// users, the built-in ones).
	Roles map[string]*Role `json:"roles,omitempty"`
	// MatViews are the materialized views, keyed as Views.
	MatViews map[string]*MatView `json:"matviews,omitempty"`
	NextOID  uint32              `json:"next_oid"`
	// Security holds the row security, policies and column masks of
	// source tables; MaskedRoles the roles labelled MASKED (policies.go).
	Security    []*TableSecurity `json:"security,omitempty"`
	MaskedRoles []string         `json:"masked_roles,omitempty"`
	// Privileges are the grants on schemas, tables and views.
	Privileges Privileges `json:"privileges"`
}

// Catalog is the catalog of one Junction server, persisted in its store.
type Catalog struct {
	// mu serialises writes and reloads; readers take snap without it, so
	// a slow catalog database never holds up a query.
	mu    sync.Mutex
	store Store // nil for an in-memory catalog
	snap  atomic.Pointer[Snapshot]
	// version is the store's version snap was read at or written as.
	version int64
	// reloaded, when set, is told of a snapshot that came from the store
	// rather than from this server's own Update; see OnReload.
	reloaded func(*Snapshot)
}

// updateTimeout bounds one Update's, or one reload's, talk with the store.
const updateTimeout = 15 * time.Second

// maxUpdateAttempts is how often Update re-reads and re-applies a change
// that lost a race with another server's before it gives up with 40001.
const maxUpdateAttempts = 10

func emptySnapshot() *Snapshot {
	snap := &Snapshot{Sources: map[string]*Source{}, Views: map[string]*View{}, MatViews: map[string]*MatView{}, NextOID: firstOID}
	snap.addBuiltinRoles()
	return snap
}

// Open loads the catalog from dir, creating dir if needed. An empty dir
// keeps the catalog in memory only.
func Open(dir string) (*Catalog, error) {
	if dir == "" {
		c := &Catalog{}
		c.snap.Store(emptySnapshot())
		return c, nil
	}
	st, err := NewFileStore(dir)
	if err != nil {
		return nil, err
	}
	return OpenStore(context.Background(), st)
}

// OpenStore loads the catalog from st.
func OpenStore(ctx context.Context, st Store) (*Catalog, error) {
	snap, version, err := st.Load(ctx)
	if err != nil {
		return nil, err
	}
	c := &Catalog{store: st, version: version}
	c.snap.Store(snap)
	return c, nil
}

// Store returns where the catalog is kept; nil when it is in memory only.
func (c *Catalog) Store() Store { return c.store }

// OnReload sets fn to be told of every snapshot read from the store
// because another server changed it, before the snapshot becomes current,
// so that what fn prepares for it (connections to new sources) is there
// when the first query plans against it. fn runs under the catalog's
// write lock: it must neither block on I/O nor change the catalog.
func (c *Catalog) OnReload(fn func(*Snapshot)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.reloaded = fn
}

// Snapshot returns the current state.
func (c *Catalog) Snapshot() *Snapshot {
	return c.snap.Load()
}

// Update applies fn to a copy of the state and, if fn succeeds, persists the
// copy and makes it current. On any error the catalog is left as it was.
//
// When the store is shared and another server changed it since this one
// last read it, the write is refused; Update then reads the newer state
// and applies fn again to it, so fn sees (and may refuse) what the other
// server did and neither change is lost. After maxUpdateAttempts lost
// races it gives up with 40001, which a client retries.
func (c *Catalog) Update(fn func(s *Snapshot) error) error {
	ctx, cancel := context.WithTimeout(context.Background(), updateTimeout)
	defer cancel()
	c.mu.Lock()
	defer c.mu.Unlock()
	for attempt := 1; ; attempt++ {
		prev := c.snap.Load()
		next := prev.clone()
		if err := fn(next); err != nil {
			return err
		}
		next.applyPrivilegeChanges(prev)
		if c.store == nil {
			c.snap.Store(next)
			return nil
		}
		version, err := c.store.Save(ctx, next.persisted(), c.version)
		if err == nil {
			c.snap.Store(next)
			c.version = version
			return nil
		}
		if !errors.Is(err, ErrConflict) {
			return err
		}
		if attempt == maxUpdateAttempts {
			return ConcurrentUpdate("another Junction server kept changing " + c.store.Describe())
		}
		if err := c.reloadLocked(ctx); err != nil {
			return err
		}
	}
}

// Refresh reads the store and, if another server changed it, makes its
// state current and tells the OnReload function.
func (c *Catalog) Refresh(ctx context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.store == nil {
		return nil
	}
	return c.reloadLocked(ctx)
}

// RefreshTo is Refresh for a notification that the store reached version:
// a server that already has it, its own change for one, reads nothing.
func (c *Catalog) RefreshTo(ctx context.Context, version int64) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.store == nil || version <= c.version {
		return nil
	}
	return c.reloadLocked(ctx)
}

// reloadLocked replaces the snapshot with the store's when the store's is
// newer, keeping this server's built-in sources, which are not stored.
func (c *Catalog) reloadLocked(ctx context.Context) error {
	snap, version, err := c.store.Load(ctx)
	if err != nil {
		return err
	}
	if version == c.version {
		return nil
	}
	for name, src := range c.snap.Load().Sources {
		if src.Builtin {
			snap.Sources[name] = src
		}
	}
	if c.reloaded != nil {
		c.reloaded(snap)
	}
	c.snap.Store(snap)
	c.version = version
	return nil
}

// ConcurrentUpdate is the retryable error of a catalog change that raced
// with another one; detail says what it raced with.
func ConcurrentUpdate(detail string) error {
	e := pgerr.New(pgerr.SerializationFailure, "could not serialize access due to concurrent update").
		WithHint("Retry the statement.")
	e.Detail = strings.ToUpper(detail[:1]) + detail[1:] + "."
	return e
}

// persisted is the part of a snapshot that is stored: everything but the
// built-in sources, which each server declares for itself.
func (s *Snapshot) persisted() *Snapshot {
	keep := &Snapshot{Sources: map[string]*Source{}, Views: s.Views, MatViews: s.MatViews, Roles: s.Roles, NextOID: s.NextOID, Security: s.Security, MaskedRoles: s.MaskedRoles, Privileges: s.Privileges}
	for name, src := range s.Sources {
		if !src.Builtin {
			keep.Sources[name] = src
		}
	}
	return keep
}

// Decode reads a snapshot written by Encode (or a catalog file), filling
// what an older or hand-written document leaves out.
func Decode(data []byte) (*Snapshot, error) {
	snap := emptySnapshot()
	if err := json.Unmarshal(data, snap); err != nil {
		return nil, err
	}
	if snap.Sources == nil {
		snap.Sources = map[string]*Source{}
	}
	if snap.Views == nil {
		snap.Views = map[string]*View{}
	}
	if snap.MatViews == nil {
		snap.MatViews = map[string]*MatView{}
	}
	if snap.NextOID < firstOID {
		snap.NextOID = firstOID
	}
	snap.addBuiltinRoles()
	return snap, nil
}

// Encode writes the stored part of a snapshot as the JSON document that
// both stores keep and catalog export prints.
func Encode(s *Snapshot) ([]byte, error) {
	return json.MarshalIndent(s.persisted(), "", "  ")
}

func (s *Snapshot) clone() *Snapshot {
	out := &Snapshot{Sources: make(map[string]*Source, len(s.Sources)), Views: make(map[string]*View, len(s.Views)),
		Roles: maps.Clone(s.Roles), NextOID: s.NextOID,
		Security: s.Security, MaskedRoles: s.MaskedRoles, Privileges: s.Privileges.clone()}
	for k, v := range s.Sources {
		out.Sources[k] = v
	}
	for k, v := range s.Views {
		out.Views[k] = v
	}
	out.MatViews = make(map[string]*MatView, len(s.MatViews))
	for k, v := range s.MatViews {
		out.MatViews[k] = v
	}
	return out
}

// AllocOID hands out a new object identifier.
func (s *Snapshot) AllocOID() uint32 {
	oid := s.NextOID
	s.NextOID++
	return oid
}

// SourceNames lists the sources in name order.
func (s *Snapshot) SourceNames() []string {
	out := make([]string, 0, len(s.Sources))
	for k := range s.Sources {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// ViewKey is the key of a view in Snapshot.Views.
func ViewKey(schema, name string) string { return schema + "." + name }

// FindTable resolves a table of source: remoteSchema "" means the source's
// default schema.
func (s *Snapshot) FindTable(source, remoteSchema, name string) (*Source, *connectors.Table, bool) {
	src, ok := s.Sources[source]
	if !ok {
		return nil, nil, false
	}
	if remoteSchema == "" {
		remoteSchema = src.DefaultSchema
	}
	for i := range src.Tables {
		t := &src.Tables[i]
		if t.Schema == remoteSchema && t.Name == name {
			return src, t, true
		}
	}
	return src, nil, false
}

// TableOID is a stable OID for a table of a source: the source's OID space
// is partitioned by table position, so the same catalog yields the same OIDs.
func TableOID(src *Source, tableIndex int) uint32 {
	return src.OID*1000 + uint32(tableIndex) + 1
}
