package plan

// Apply is a LATERAL join: for each row of Left it runs Right, whose
// OuterRefs read that row, and joins the row to each row Right returns.
// Kind is Inner (or Cross) or Left; Cond (over Left's columns then
// Right's; nil means true) decides which pairs join, and a Left Apply
// keeps a left row no pair of which passes, with NULLs for Right's
// columns. Output columns are Left's then Right's.
type Apply struct {
	Kind  JoinKind
	Left  Node
	Right Node
	Cond  Expr
}

func (n *Apply) Inputs() []Node { return []Node{n.Left, n.Right} }

func (n *Apply) Columns() []Column {
	l, r := n.Left.Columns(), n.Right.Columns()
	out := make([]Column, 0, len(l)+len(r))
	return append(append(out, l...), r...)
}
