package plan

// BindJoin is an inner equi-join that streams Outer in its order and, a
// batch of Outer rows at a time, reads the matching rows of Inner: Inner's
// Remote carries a DynamicFilter whose build side is the batch. Each Outer
// row is followed by its matches, so the output keeps Outer's order and a
// Limit above stops it early. OuterKeys[i] (over Outer) equals
// InnerKeys[i] (over Inner). Output columns are Outer's then Inner's, or
// Inner's then Outer's when OuterRight is set (the join it replaces had
// Outer on the right). FirstBatch is how many Outer rows the first lookup
// takes, sized for the Limit above (0: the executor's default); each
// further batch doubles.
type BindJoin struct {
	Outer      Node
	Inner      Node
	OuterKeys  []Expr
	InnerKeys  []Expr
	OuterRight bool
	FirstBatch int
}

func (n *BindJoin) Inputs() []Node { return []Node{n.Outer, n.Inner} }

func (n *BindJoin) Columns() []Column {
	first, second := n.Outer.Columns(), n.Inner.Columns()
	if n.OuterRight {
		first, second = second, first
	}
	out := make([]Column, 0, len(first)+len(second))
	return append(append(out, first...), second...)
}
