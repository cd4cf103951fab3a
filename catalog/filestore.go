package catalog

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// FileName is the catalog file inside the data directory.
const FileName = "catalog.json"

// Store keeps the stored part of the catalog (everything but built-in
// sources) as one document with a version that every write advances.
type Store interface {
	// Load reads the stored snapshot and its version.
	Load(ctx context.Context) (*Snapshot, int64, error)
	// Save writes s if the stored version is still base and returns the
	// new version; ErrConflict when another writer came first.
	Save(ctx context.Context, s *Snapshot, base int64) (int64, error)
	// Describe names the store for messages.
	Describe() string
	// Close releases the store's connections.
	Close() error
}

// ErrConflict is Save's answer when the stored version moved on.
var ErrConflict = errors.New("the catalog was changed by another writer")

// FileStore keeps the catalog in one JSON file, written atomically
// (temporary file, fsync, rename). One server owns the file, so the
// version is counted in memory.
type FileStore struct {
	path    string
	version int64
}

// NewFileStore keeps the catalog in dir, creating dir if needed.
func NewFileStore(dir string) (*FileStore, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create data directory: %w", err)
	}
	return &FileStore{path: filepath.Join(dir, FileName)}, nil
}

// TightenPermissions makes the data directory 0700 and the catalog file
// 0600 when they allow more, since the catalog names every source and
// holds its (sealed) password, and returns what it changed, for the log.
func (f *FileStore) TightenPermissions() ([]string, error) {
	var changed []string
	for _, p := range []struct {
		path string
		mode os.FileMode
	}{{filepath.Dir(f.path), 0o700}, {f.path, 0o600}} {
		info, err := os.Stat(p.path)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return changed, err
		}
		if info.Mode().Perm()&^p.mode == 0 {
			continue
		}
		if err := os.Chmod(p.path, p.mode); err != nil {
			return changed, fmt.Errorf("restrict permissions of %s: %w", p.path, err)
		}
		changed = append(changed, fmt.Sprintf("%s: %v -> %v", p.path, info.Mode().Perm(), p.mode))
	}
	return changed, nil
}

// Describe names the file.
func (f *FileStore) Describe() string { return "catalog file " + f.path }

// Close does nothing: the file is not held open.
func (f *FileStore) Close() error { return nil }

// Load reads the file; a missing file is an empty catalog.
func (f *FileStore) Load(context.Context) (*Snapshot, int64, error) {
	data, err := os.ReadFile(f.path)
	if errors.Is(err, os.ErrNotExist) {
		return emptySnapshot(), f.version, nil
	}
	if err != nil {
		return nil, 0, fmt.Errorf("read catalog: %w", err)
	}
	snap, err := Decode(data)
	if err != nil {
		return nil, 0, fmt.Errorf("catalog file %s is corrupt: %w", f.path, err)
	}
	return snap, f.version, nil
}

// Save replaces the file atomically.
func (f *FileStore) Save(_ context.Context, s *Snapshot, base int64) (int64, error) {
	if base != f.version {
		return 0, ErrConflict
	}
	data, err := Encode(s)
	if err != nil {
		return 0, err
	}
	tmp, err := os.CreateTemp(filepath.Dir(f.path), FileName+".*")
	if err != nil {
		return 0, fmt.Errorf("write catalog: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return 0, fmt.Errorf("write catalog: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return 0, fmt.Errorf("write catalog: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return 0, fmt.Errorf("write catalog: %w", err)
	}
	if err := os.Rename(tmp.Name(), f.path); err != nil {
		return 0, fmt.Errorf("write catalog: %w", err)
	}
	f.version++
	return f.version, nil
}
