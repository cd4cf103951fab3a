package catalog

import (
	"maps"

	"github.com/junction-db/junction/secrets"
)

// SealPasswords seals, under key, the passwords the snapshot holds in
// clear (a catalog written before passwords were sealed, or imported),
// the servers' and their user mappings', and returns the names of the
// sources it changed. The snapshot must be a private copy
// (Catalog.Update's, or one just decoded).
func (s *Snapshot) SealPasswords(key *secrets.Key) []string {
	var sealed []string
	for _, name := range s.SourceNames() {
		src := s.Sources[name]
		if src.Builtin || !src.needsSealing(key) {
			continue
		}
		cp := *src
		cp.Options = secrets.SealOptions(maps.Clone(src.Options), key)
		cp.UserMappings = make(map[string]map[string]string, len(src.UserMappings))
		for user, opts := range src.UserMappings {
			cp.UserMappings[user] = secrets.SealOptions(maps.Clone(opts), key)
		}
		s.Sources[name] = &cp
		sealed = append(sealed, name)
	}
	return sealed
}

func (src *Source) needsSealing(key *secrets.Key) bool {
	if secrets.NeedsSealing(src.Options, key) {
		return true
	}
	for _, opts := range src.UserMappings {
		if secrets.NeedsSealing(opts, key) {
			return true
		}
	}
	return false
}

// optionSets are the server's options followed by its user mappings'.
func (src *Source) optionSets() []map[string]string {
	sets := []map[string]string{src.Options}
	for _, user := range src.MappingUsers() {
		sets = append(sets, src.UserMappings[user])
	}
	return sets
}

// ClearPasswords names the sources whose stored password, or one of
// whose user mappings' password, is not sealed.
func (s *Snapshot) ClearPasswords() []string {
	var out []string
	for _, name := range s.SourceNames() {
		src := s.Sources[name]
		if src.Builtin {
			continue
		}
		for _, opts := range src.optionSets() {
			if p, ok := opts[secrets.OptPassword]; ok && !secrets.IsSealed(p) {
				out = append(out, name)
				break
			}
		}
	}
	return out
}

// CheckPasswords fails, naming the source, when a sealed password does
// not open with key: the server was started with another key than the
// one the catalog was written with.
func (s *Snapshot) CheckPasswords(key *secrets.Key) error {
	for _, name := range s.SourceNames() {
		for _, opts := range s.Sources[name].optionSets() {
			if p, ok := opts[secrets.OptPassword]; ok && secrets.IsSealed(p) {
				if _, err := secrets.Resolve(name, map[string]string{secrets.OptPassword: p}, key); err != nil {
					return err
				}
			}
		}
	}
	return nil
}
