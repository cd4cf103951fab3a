package executor

import (
	"sync/atomic"

	"github.com/junction-db/junction/executor/memory"
	"github.com/junction-db/junction/executor/spill"
	"github.com/junction-db/junction/types"
	"github.com/junction-db/junction/vector"
)

// A hash join whose build side outgrows the memory budget becomes a Grace
// hash join: both inputs are written to partitionFanout files by the hash
// of their join key, and each pair of partition files is joined on its
// own, by a join that may partition again (with other bits of the hash)
// up to maxSpillDepth times. Equal keys land in the same partition, so
// every matching pair, and every row without a match, is found in exactly
// one partition's join; rows with a NULL key never match and land in any.

const (
	partitionBits   = 4
	partitionFanout = 1 << partitionBits
	maxSpillDepth   = 4
)

// hashJoinRowOverhead is the estimated memory of the hash table, chain and
// match flags per build row, beyond the row's values.
const hashJoinRowOverhead = 32

// partitionFiles is one input written to partition files.
type partitionFiles struct {
	rt    *runtime
	keys  []evaluator
	depth int
	files [partitionFanout]*spill.File
	types []types.Type
	// scratch
	hashes []uint64
	sel    [partitionFanout][]int32
}

func newPartitionFiles(rt *runtime, ts []types.Type, keys []evaluator, depth int) *partitionFiles {
	return &partitionFiles{rt: rt, keys: keys, depth: depth, types: ts}
}

// add writes the rows of b to their partitions.
func (p *partitionFiles) add(b *vector.Batch) error {
	keys, err := evalKeyVectors(p.keys, b)
	if err != nil {
		return err
	}
	if cap(p.hashes) < b.Len {
		p.hashes = make([]uint64, b.Len)
	}
	hashes := p.hashes[:b.Len]
	hashRows(keys, b.Len, hashes)
	shift := 64 - partitionBits*(p.depth+1)
	for i := range p.sel {
		p.sel[i] = p.sel[i][:0]
	}
	for r, h := range hashes {
		part := (h >> shift) & (partitionFanout - 1)
		p.sel[part] = append(p.sel[part], int32(r))
	}
	for i, sel := range p.sel {
		if len(sel) == 0 {
			continue
		}
		if p.files[i] == nil {
			if p.files[i], err = spill.Create(p.rt.mem, p.types); err != nil {
				return err
			}
		}
		if err := p.files[i].Write(vector.GatherBatch(b, sel, nil)); err != nil {
			return err
		}
	}
	return nil
}

// finish ends writing, counting the bytes written in counter (nil: not
// counted).
func (p *partitionFiles) finish(counter *atomic.Int64) error {
	for _, f := range p.files {
		if f == nil {
			continue
		}
		if err := f.Rewind(); err != nil {
			return err
		}
		if counter != nil {
			counter.Add(f.Bytes())
		}
	}
	return nil
}

// input returns partition i as an operator (empty when nothing went there);
// the operator removes the file when closed.
func (p *partitionFiles) input(i int) operator {
	f := p.files[i]
	p.files[i] = nil
	return &fileScan{rt: p.rt, file: f}
}

func (p *partitionFiles) close() {
	for i, f := range p.files {
		if f != nil {
			f.Close()
			p.files[i] = nil
		}
	}
}

// fileScan reads a spill file back as an operator.
type fileScan struct {
	rt   *runtime
	file *spill.File
}

func (s *fileScan) next() (*vector.Batch, error) {
	if s.file == nil {
		return nil, nil
	}
	return s.file.Read()
}

func (s *fileScan) close() {
	if s.file != nil {
		s.file.Close()
		s.file = nil
	}
}

// graceJoin joins the partitions of a spilled hash join one after another.
type graceJoin struct {
	parent      *joinOp
	left, right *partitionFiles
	part        int
	current     *joinOp
}

// startSpill turns the join into a Grace hash join: the build rows read so
// far (held) go to partition files, and so will the rest of the right
// input.
func (o *joinOp) startSpill(held []*vector.Batch) error {
	g := &graceJoin{parent: o,
		left:  newPartitionFiles(o.rt, o.leftTypes, o.leftKeys, o.depth),
		right: newPartitionFiles(o.rt, o.rightTypes, o.rightKeys, o.depth)}
	o.grace = g
	for _, b := range held {
		if err := g.right.add(b); err != nil {
			return err
		}
	}
	o.res.Free()
	return nil
}

// finishSpill partitions the left input once the right one is written.
func (o *joinOp) finishSpill() error {
	g := o.grace
	if err := drain(o.rt, o.left, g.left.add); err != nil {
		return err
	}
	o.leftDone = true
	if err := g.right.finish(o.spilled); err != nil {
		return err
	}
	return g.left.finish(o.spilled)
}

func (g *graceJoin) next() (*vector.Batch, error) {
	for {
		if g.current == nil {
			if g.part == partitionFanout {
				return nil, nil
			}
			g.current = g.parent.partitionJoin(g.left.input(g.part), g.right.input(g.part))
			g.part++
		}
		b, err := g.current.next()
		if err != nil || b != nil {
			return b, err
		}
		g.current.close()
		g.current = nil
	}
}

func (g *graceJoin) close() {
	if g.current != nil {
		g.current.close()
		g.current = nil
	}
	g.left.close()
	g.right.close()
}

// partitionJoin is the join of one partition of a spilled join.
func (o *joinOp) partitionJoin(left, right operator) *joinOp {
	return &joinOp{rt: o.rt, kind: o.kind, left: left, right: right,
		leftTypes: o.leftTypes, rightTypes: o.rightTypes,
		leftKeys: o.leftKeys, rightKeys: o.rightKeys, keyTypes: o.keyTypes,
		residual: o.residual, residualCols: o.residualCols, sameKeys: o.sameKeys,
		depth: o.depth + 1, res: o.rt.mem.Reserve(o.res.Operator), spilled: o.spilled}
}

// reserveBuild reserves the memory of one more build batch.
func (o *joinOp) reserveBuild(b *vector.Batch) bool {
	return o.res.Grow(memory.BatchBytes(b) + hashJoinRowOverhead*int64(b.Len))
}
