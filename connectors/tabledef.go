package connectors

import (
	"encoding/json"
	"strings"
)

// TableOptionPrefix starts the names of the server options that hold the
// tables CREATE FOREIGN TABLE defined on a source: "table:sales" holds the
// definition of table sales, encoded by EncodeTableDefinition. They are
// kept with the server's options so that they are stored, replicated and
// reconnected with it.
const TableOptionPrefix = "table:"

// TableDefinition is a table CREATE FOREIGN TABLE declared: its columns
// (none: the source discovers them) and its OPTIONS.
type TableDefinition struct {
	Columns []Column          `json:"columns,omitempty"`
	Options map[string]string `json:"options,omitempty"`
}

// EncodeTableDefinition is the option value that stores d.
func EncodeTableDefinition(d TableDefinition) string {
	b, _ := json.Marshal(d) //nolint:errchkjson // plain strings and types always encode
	return string(b)
}

// TableDefinitions reads the tables defined in a server's options, by
// name, and returns the other options apart.
func TableDefinitions(options map[string]string) (defs map[string]TableDefinition, rest map[string]string, err error) {
	defs, rest = map[string]TableDefinition{}, map[string]string{}
	for k, v := range options {
		name, ok := strings.CutPrefix(k, TableOptionPrefix)
		if !ok {
			rest[k] = v
			continue
		}
		var d TableDefinition
		if err := json.Unmarshal([]byte(v), &d); err != nil {
			return nil, nil, err
		}
		defs[name] = d
	}
	return defs, rest, nil
}

var tableDefiners = map[string]bool{}

// AcceptTableDefinitions marks a registered source type whose tables
// CREATE FOREIGN TABLE may define.
func AcceptTableDefinitions(wrapper string) {
	mu.Lock()
	defer mu.Unlock()
	tableDefiners[wrapper] = true
}

// AcceptsTableDefinitions reports whether CREATE FOREIGN TABLE may define
// tables of the source type (after Canonical).
func AcceptsTableDefinitions(wrapper string) bool {
	mu.RLock()
	defer mu.RUnlock()
	return tableDefiners[wrapper]
}
