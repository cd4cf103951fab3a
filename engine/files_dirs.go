package engine

import (
	"slices"
	"strings"

	"github.com/junction-db/junction/catalog"
	"github.com/junction-db/junction/connectors"
	"github.com/junction-db/junction/pgerr"
)

// resolveDirs resolves the configured directories; nil stays nil (no
// confinement).
func resolveDirs(dirs []string) ([]string, error) {
	if dirs == nil {
		return nil, nil
	}
	out := []string{}
	for _, dir := range dirs {
		resolved, err := resolvePath(dir)
		if err != nil {
			return nil, err
		}
		out = append(out, resolved)
	}
	return out, nil
}

// checkFilesRoot refuses a files server whose root lies outside the
// configured directories, after resolving its symbolic links, so that SQL
// cannot make a server read any directory Junction can open. Like the
// SQLite rule, it applies to CREATE SERVER and ALTER SERVER; an engine
// given no directories does not confine.
func (e *Engine) checkFilesRoot(src catalog.Source) error {
	if wrapper, _ := connectors.Canonical(src.Wrapper); e.filesDirs == nil || wrapper != "files" {
		return nil
	}
	root, ok := src.Options["root"]
	if !ok {
		return nil // the connector asks for it
	}
	resolved, err := resolvePath(root)
	if err == nil && slices.ContainsFunc(e.filesDirs, func(dir string) bool { return within(dir, resolved) }) {
		return nil
	}
	return pgerr.New(pgerr.InsufficientPrivilege, "permission denied for directory %q: it is outside the directories files_dirs allows", root).
		WithHint("Allowed: %s. Add the directory, or one above it, to files_dirs in the configuration file.", strings.Join(e.filesDirs, ", "))
}
