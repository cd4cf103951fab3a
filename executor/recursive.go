package executor

import (
	"github.com/junction-db/junction/executor/memory"
	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
	"github.com/junction-db/junction/vector"
)

// recursiveOp runs WITH RECURSIVE as PostgreSQL's RecursiveUnion does:
// the non-recursive term's rows are output and become the working table;
// the recursive term, built anew each round, reads only the working
// table, and its rows are output and become the next working table, until
// a round adds no rows. It streams, so a LIMIT above stops the recursion.
type recursiveOp struct {
	b     *builder
	node  *plan.RecursiveUnion
	types []types.Type
	// input is the term being read: the non-recursive one first, then
	// the current round's tree (nil once the recursion ended).
	input operator
	round *tree
	// seen holds every row output so far, for UNION without ALL.
	seen     *distinctRows
	produced []*vector.Batch
	// producedRes holds the memory of produced, workingRes that of the
	// working table the current round reads.
	producedRes, workingRes *memory.Reservation
	rounds                  int64
	rows                    int64
}

func (b *builder) recursiveUnion(n *plan.RecursiveUnion) (operator, error) {
	init, err := b.build(n.Init)
	if err != nil {
		return nil, err
	}
	ts := plan.ColumnTypes(n)
	op := &recursiveOp{b: b, node: n, types: ts, input: init,
		producedRes: b.rt.mem.Reserve("recursive union"), workingRes: b.rt.mem.Reserve("recursive union")}
	if !n.All {
		op.seen = newDistinctRows(ts, b.rt.mem.Reserve("recursive union"))
	}
	return op, nil
}

func (o *recursiveOp) next() (*vector.Batch, error) {
	for o.input != nil {
		if err := o.b.rt.checkCanceled(); err != nil {
			return nil, err
		}
		b, err := o.input.next()
		if err != nil {
			return nil, err
		}
		if b == nil {
			if err := o.nextRound(); err != nil {
				return nil, err
			}
			continue
		}
		if b.Len == 0 {
			continue
		}
		b = relabel(b, o.types)
		if o.seen != nil {
			var err error
			if b, err = o.seen.filter(b); err != nil {
				return nil, err
			}
			if b == nil {
				continue
			}
		}
		o.rows += int64(b.Len)
		if o.rows > o.node.MaxRows {
			return nil, o.limitError("rows", o.node.MaxRows, "junction.max_recursive_rows")
		}
		if err := o.producedRes.MustGrow(memory.BatchBytes(b)); err != nil {
			return nil, err
		}
		o.produced = append(o.produced, b)
		return b, nil
	}
	return nil, nil
}

// nextRound ends the term being read and starts the recursive term over
// the rows it produced, or ends the recursion when there are none.
func (o *recursiveOp) nextRound() error {
	o.closeInput()
	if len(o.produced) == 0 {
		return nil
	}
	o.rounds++
	if o.rounds > o.node.MaxIterations {
		return o.limitError("iterations", o.node.MaxIterations, "junction.max_recursive_iterations")
	}
	if o.b.rt.workTables == nil {
		o.b.rt.workTables = map[int][]*vector.Batch{}
	}
	o.b.rt.workTables[o.node.ID] = o.produced
	o.produced = nil
	// The new working table replaces the one the round just read.
	o.workingRes.Free()
	o.workingRes, o.producedRes = o.producedRes, o.workingRes
	sub := &builder{rt: o.b.rt, outer: o.b.outer, outerRow: o.b.outerRow}
	t, err := sub.tree(o.node.Recur)
	if err != nil {
		return err
	}
	t.start()
	o.round, o.input = t, t.root
	return nil
}

func (o *recursiveOp) limitError(what string, limit int64, setting string) error {
	return pgerr.New("54000", "recursive query %q exceeded %d %s", o.node.Name, limit, what).
		WithHint("Check that the recursive term stops producing rows, or raise the limit with SET %s.", setting)
}

func (o *recursiveOp) closeInput() {
	if o.input != nil {
		o.input.close()
	}
	o.input, o.round = nil, nil
}

func (o *recursiveOp) close() {
	o.closeInput()
	o.producedRes.Free()
	o.workingRes.Free()
	if o.seen != nil {
		o.seen.close()
	}
	delete(o.b.rt.workTables, o.node.ID)
}

// workTableOp reads the working table of the round being built.
type workTableOp struct {
	batches []*vector.Batch
}

func (b *builder) workTable(n *plan.WorkTable) (operator, error) {
	batches, ok := b.rt.workTables[n.ID]
	if !ok {
		return nil, pgerr.New(pgerr.InternalError, "working table of %q read outside its recursive query", n.Name)
	}
	return &workTableOp{batches: batches}, nil
}

func (o *workTableOp) next() (*vector.Batch, error) {
	if len(o.batches) == 0 {
		return nil, nil
	}
	b := o.batches[0]
	o.batches = o.batches[1:]
	return b, nil
}

func (o *workTableOp) close() {}
