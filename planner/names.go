package planner

import (
	"context"

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

type contextLike = context.Context
