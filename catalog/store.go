package catalog

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"sync"

	"github.com/junction-db/junction/connectors"
)

// FileName is the catalog file inside the data directory.
const FileName = "catalog.json"

// firstOID is where Junction's object identifiers start; PostgreSQL reserves
// the ones below 16384 for built-in objects.
const firstOID = 16384

// Snapshot is an immutable view of the catalog. Callers must not modify it;
// Catalog.Update hands out a private copy to change.
type Snapshot struct {
	Sources map[string]*Source `json:"sources"`
	Views   map[string]*View   `json:"views"` // key: schema + "." + name
	NextOID uint32             `json:"next_oid"`
}

// Catalog is the persisted catalog of one Junction server.
type Catalog struct {
	mu   sync.Mutex
	path string // "" for an in-memory catalog
	snap *Snapshot
}

// Open loads the catalog from dir, creating dir if needed. An empty dir
// keeps the catalog in memory only.
func Open(dir string) (*Catalog, error) {
	c := &Catalog{snap: &Snapshot{Sources: map[string]*Source{}, Views: map[string]*View{}, NextOID: firstOID}}
	if dir == "" {
		return c, nil
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create data directory: %w", err)
	}
	c.path = filepath.Join(dir, FileName)
	data, err := os.ReadFile(c.path)
	if errors.Is(err, os.ErrNotExist) {
		return c, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read catalog: %w", err)
	}
	if err := json.Unmarshal(data, c.snap); err != nil {
		return nil, fmt.Errorf("catalog file %s is corrupt: %w", c.path, err)
	}
	if c.snap.Sources == nil {
		c.snap.Sources = map[string]*Source{}
	}
	if c.snap.Views == nil {
		c.snap.Views = map[string]*View{}
	}
	if c.snap.NextOID < firstOID {
		c.snap.NextOID = firstOID
	}
	return c, nil
}

// Snapshot returns the current state.
func (c *Catalog) Snapshot() *Snapshot {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.snap
}

// Update applies fn to a copy of the state and, if fn succeeds, persists the
// copy and makes it current. On any error the catalog is left as it was.
func (c *Catalog) Update(fn func(s *Snapshot) error) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	next := c.snap.clone()
	if err := fn(next); err != nil {
		return err
	}
	if err := c.persist(next); err != nil {
		return err
	}
	c.snap = next
	return nil
}

func (c *Catalog) persist(s *Snapshot) error {
	if c.path == "" {
		return nil
	}
	keep := &Snapshot{Sources: map[string]*Source{}, Views: s.Views, NextOID: s.NextOID}
	for name, src := range s.Sources {
		if !src.Builtin {
			keep.Sources[name] = src
		}
	}
	data, err := json.MarshalIndent(keep, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(c.path), FileName+".*")
	if err != nil {
		return fmt.Errorf("write catalog: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("write catalog: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("write catalog: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write catalog: %w", err)
	}
	if err := os.Rename(tmp.Name(), c.path); err != nil {
		return fmt.Errorf("write catalog: %w", err)
	}
	return nil
}

func (s *Snapshot) clone() *Snapshot {
	out := &Snapshot{Sources: make(map[string]*Source, len(s.Sources)), Views: make(map[string]*View, len(s.Views)), NextOID: s.NextOID}
	for k, v := range s.Sources {
		out.Sources[k] = v
	}
	for k, v := range s.Views {
		out.Views[k] = v
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
