package planner

import "strings"

// knownFunctionSchema reports whether a function name's qualifier names
// where Junction's function lives: pg_catalog for every function,
// information_schema for its helper functions (_pg_expandarray, ...).
func knownFunctionSchema(parts []string) bool {
	if len(parts) == 1 {
		return true
	}
	name := parts[len(parts)-1]
	return len(parts) == 2 && (parts[0] == "pg_catalog" || parts[0] == "information_schema" && strings.HasPrefix(name, "_pg_"))
}
