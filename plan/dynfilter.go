package plan

import "github.com/junction-db/junction/types"

// DynamicFilter restricts a Remote on the probe side of a join to the join
// keys the join's build side produced: the build side is read first, and
// its distinct keys become a predicate of the Remote's query before the
// query is sent. Rows it removes could not have matched, so it is only
// attached where the join drops unmatched probe rows: the left input of
// inner, semi and right joins, and (with FromLeft) the right input of
// semi, anti and left joins.
type DynamicFilter struct {
	Keys []DynamicKey
	// MaxKeys is the most distinct keys sent as a set; above it the
	// filter is the keys' min/max range.
	MaxKeys int
	// Batch is the most keys in one IN list (sources without array
	// parameters); 0 when the set is bound as one array parameter.
	Batch int
	// Bind marks the inner side of a BindJoin, whose keys come from each
	// batch of outer rows rather than from a build side.
	Bind bool
	// FromLeft marks the right input of a join, whose keys come from the
	// join's left input: that is read whole before the right one starts.
	FromLeft bool
}

// DynamicKey is one equi-join key: column Col of the Remote's output
// equals Build, an expression over the join's other input (the build
// side, or the left input with FromLeft).
type DynamicKey struct {
	Col   int
	Name  string // the Remote column's name, for EXPLAIN
	Build Expr
	T     types.Type
}

// ProbeRemote follows n through filters and through projections that pass
// column col on unchanged, and returns the Remote whose output column
// remoteCol it is.
func ProbeRemote(n Node, col int) (r *Remote, remoteCol int, ok bool) {
	for {
		switch x := n.(type) {
		case *Remote:
			return x, col, true
		case *Filter:
			n = x.Input
		case *Project:
			c, isCol := x.Exprs[col].(*ColRef)
			if !isCol {
				return nil, 0, false
			}
			n, col = x.Input, c.Index
		default:
			return nil, 0, false
		}
	}
}
