package plan

import "github.com/junction-db/junction/types"

// ProjectSet runs the set-returning functions of a select list, as
// PostgreSQL's ProjectSet node does: for each input row it calls every
// function in Funcs and steps through their results in lockstep, emitting
// as many rows as the longest result has, with NULL in place of a result
// that has ended; an input row for which every function returns no rows
// emits none. Its columns are the input's followed by one per function.
// Functions nested in another's arguments run in a ProjectSet below.
type ProjectSet struct {
	Input Node
	Funcs []SetCall
	Cols  []Column
}

// SetCall is one call of a set-returning function, by its lower-case
// name, and the one result column Col (of type T) the query reads: 0 for
// a function returning plain values, the selected field of one returning
// rows, as in (information_schema._pg_expandarray(a)).n.
type SetCall struct {
	Name string
	Args []Expr
	Col  int
	T    types.Type
}

func (n *ProjectSet) Columns() []Column { return n.Cols }
func (n *ProjectSet) Inputs() []Node    { return []Node{n.Input} }

// WithFuncArgs returns a copy of the node whose function arguments are
// mapped by fn.
func (n *ProjectSet) WithFuncArgs(input Node, fn func(Expr) Expr) *ProjectSet {
	out := &ProjectSet{Input: input, Cols: n.Cols, Funcs: make([]SetCall, len(n.Funcs))}
	for i, f := range n.Funcs {
		args := make([]Expr, len(f.Args))
		for j, a := range f.Args {
			args[j] = fn(a)
		}
		out.Funcs[i] = SetCall{Name: f.Name, Args: args, Col: f.Col, T: f.T}
	}
	return out
}

// FuncArgs lists every function argument.
func (n *ProjectSet) FuncArgs() []Expr {
	var out []Expr
	for _, f := range n.Funcs {
		out = append(out, f.Args...)
	}
	return out
}
