package plan

// RecursiveUnion evaluates a WITH RECURSIVE query: Init runs once, then
// Recur runs again and again, each time reading through WorkTable (the
// WorkTable node with the same ID) only the rows the previous round
// produced, until a round produces none. Without All, rows already
// produced are dropped (across rounds, as PostgreSQL's UNION does). The
// output is every round's rows, in round order. Cols are Init's column
// types, which Recur's output has been coerced to.
//
// MaxIterations and MaxRows bound the rounds and the rows produced; a
// query that passes either fails with SQLSTATE 54000 naming Name.
type RecursiveUnion struct {
	Name          string
	ID            int
	Init          Node
	Recur         Node
	All           bool
	Cols          []Column
	MaxIterations int64
	MaxRows       int64
}

// WorkTable reads the rows the previous round of the RecursiveUnion with
// the same ID produced.
type WorkTable struct {
	Name string
	ID   int
	Cols []Column
}

func (n *RecursiveUnion) Columns() []Column { return n.Cols }
func (n *RecursiveUnion) Inputs() []Node    { return []Node{n.Init, n.Recur} }
func (n *WorkTable) Columns() []Column      { return n.Cols }
func (n *WorkTable) Inputs() []Node         { return nil }
