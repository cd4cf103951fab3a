package catalog

import (
	"maps"

	"github.com/junction-db/junction/secrets"
)

// SealPasswords seals, under key, the passwords the snapshot holds in
// clear (a catalog written before passwords were sealed, or imported)
// and returns the names of the sources it changed. The snapshot must be a
// private copy (Catalog.Update's, or one just decoded).
func (s *Snapshot) SealPasswords(key *secrets.Key) []string {
	var sealed []string
	for _, name := range s.SourceNames() {
		src := s.Sources[name]
		if src.Builtin || !secrets.NeedsSealing(src.Options, key) {
			continue
		}
		cp := *src
		cp.Options = secrets.SealOptions(maps.Clone(src.Options), key)
		s.Sources[name] = &cp
		sealed = append(sealed, name)
	}
	return sealed
}

// ClearPasswords names the sources whose stored password is not sealed.
func (s *Snapshot) ClearPasswords() []string {
	var out []string
	for _, name := range s.SourceNames() {
		if p, ok := s.Sources[name].Options[secrets.OptPassword]; ok && !secrets.IsSealed(p) && !s.Sources[name].Builtin {
			out = append(out, name)
		}
	}
	return out
}

// CheckPasswords fails, naming the source, when a sealed password does
// not open with key: the server was started with another key than the
// one the catalog was written with.
func (s *Snapshot) CheckPasswords(key *secrets.Key) error {
	for _, name := range s.SourceNames() {
		opts := s.Sources[name].Options
		if p, ok := opts[secrets.OptPassword]; ok && secrets.IsSealed(p) {
			if _, err := secrets.Resolve(name, map[string]string{secrets.OptPassword: p}, key); err != nil {
				return err
			}
		}
	}
	return nil
}
