package plan

// DistinctOn keeps the first row of each run of consecutive rows that
// agree (NULLs equal) on the columns Keys (input positions): over input
// sorted on those columns first, PostgreSQL's SELECT DISTINCT ON.
type DistinctOn struct {
	Input Node
	Keys  []int
}

// LimitTies is FETCH FIRST Count ROWS WITH TIES over sorted input: after
// Offset rows it passes Count rows and then every further row that equals
// the last one passed on Keys (input positions, NULLs equal).
type LimitTies struct {
	Input  Node
	Count  int64
	Offset int64
	Keys   []int
}

func (n *DistinctOn) Columns() []Column { return n.Input.Columns() }
func (n *DistinctOn) Inputs() []Node    { return []Node{n.Input} }
func (n *LimitTies) Columns() []Column  { return n.Input.Columns() }
func (n *LimitTies) Inputs() []Node     { return []Node{n.Input} }
