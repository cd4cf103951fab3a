package planner

import (
	"context"
	"strings"

	"github.com/junction-db/junction/catalog"
	"github.com/junction-db/junction/connectors"
)

type connectorsTable = connectors.Table

// tableOID finds the OID of a discovered table of src.
func tableOID(src *catalog.Source, t *connectors.Table) uint32 {
	for i := range src.Tables {
		if &src.Tables[i] == t {
			return catalog.TableOID(src, i)
		}
	}
	return 0
}

// parseSearchPath splits a search_path setting into schema names, applying
// PostgreSQL's identifier rules (quoted names keep their case).
func parseSearchPath(setting string) []string {
	var out []string
	for _, part := range strings.Split(setting, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if len(part) >= 2 && part[0] == '"' && part[len(part)-1] == '"' {
			out = append(out, strings.ReplaceAll(part[1:len(part)-1], `""`, `"`))
			continue
		}
		out = append(out, strings.ToLower(part))
	}
	return out
}

type contextLike = context.Context
