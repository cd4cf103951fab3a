package planner

import (
	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/junction-db/junction/types"
)

// TypeFromName resolves a type as a statement names it (with its
// modifiers, as in numeric(10,2)) to a Junction type, with PostgreSQL's
// errors for unknown types and bad modifiers.
func TypeFromName(tn *pg.TypeName) (types.Type, error) { return typeFromName(tn) }
