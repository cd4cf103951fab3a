package engine

import (
	"context"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/junction-db/junction/catalog/system"
	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/telemetry"
	"github.com/junction-db/junction/types"
	"github.com/junction-db/junction/vector"
)

// fetchAll is the count of FETCH ALL (PostgreSQL's FETCH_ALL, LONG_MAX).
const fetchAll = math.MaxInt64

// cursor is a query declared with DECLARE, read by FETCH and MOVE.
//
// Its rows stream from the executor as FETCH asks for them: nothing is
// read before the first FETCH and a forward-only cursor keeps just the
// batch it is in. A SCROLL cursor keeps every row it has read, so that it
// can move back; it reads no further than it was asked to.
//
// Positioning follows PostgreSQL's portal code (pquery.c) step by step:
// a read head that, like an executor scanning in either direction, moves
// one row at a time (before the first row, on row k, or after the last),
// and on top of it the portal's position with its atStart and atEnd
// flags, which decide when a fetch must scan backwards or rewind - the
// moves a NO SCROLL cursor refuses.
type cursor struct {
	name    string
	sql     string
	cols    []plan.Column
	binary  bool
	scroll  bool
	hold    bool
	created time.Time
	// inTransaction is set while the transaction that declared the cursor
	// lasts; depth is the number of savepoints open when it was declared.
	inTransaction bool
	depth         int

	rows   RowStream
	cancel context.CancelFunc
	// query accounts what the cursor's query fetches from sources, which
	// each FETCH and MOVE takes into its own account.
	query *telemetry.Query

	// batches hold rows first..read of the result; first is the number of
	// the first row of batches[0], and starts the number of each batch's
	// first row.
	batches   []*vector.Batch
	starts    []int64
	read      int64
	exhausted bool
	// head is the read head: 0 before the first row, k on row k, read+1
	// after the last.
	head int64

	// PostgreSQL's portal state.
	pos            int64
	atStart, atEnd bool
}

// cursors are a session's open cursors by name.
type cursors map[string]*cursor

func (c *cursor) close() {
	c.rows.Close()
	c.cancel()
	c.batches, c.starts = nil, nil
}

// endTransaction closes the cursors that do not outlive the transaction:
// all but the WITH HOLD ones after a commit, and every one declared in
// the transaction after a rollback.
func (cs cursors) endTransaction(commit bool) {
	for name, c := range cs {
		if c.inTransaction && (!commit || !c.hold) {
			c.close()
			delete(cs, name)
			continue
		}
		c.inTransaction = false
	}
}

// rollbackTo closes the cursors declared after the first depth savepoints.
func (cs cursors) rollbackTo(depth int) {
	for name, c := range cs {
		if c.inTransaction && c.depth >= depth {
			c.close()
			delete(cs, name)
		}
	}
}

// release makes the cursors declared after the first depth savepoints
// belong to the savepoint before them, whose rollback now closes them.
func (cs cursors) release(depth int) {
	for _, c := range cs {
		c.depth = min(c.depth, depth)
	}
}

func (cs cursors) closeAll() {
	for name, c := range cs {
		c.close()
		delete(cs, name)
	}
}

// info describes the open cursors for pg_cursors, by name.
func (cs cursors) info() []system.CursorInfo {
	out := make([]system.CursorInfo, 0, len(cs))
	for _, c := range cs {
		out = append(out, system.CursorInfo{Name: c.name, Statement: c.sql, Holdable: c.hold, Binary: c.binary, Scrollable: c.scroll, Created: c.created})
	}
	slices.SortFunc(out, func(a, b system.CursorInfo) int { return strings.Compare(a.Name, b.Name) })
	return out
}

func (cs cursors) get(name string) (*cursor, error) {
	c, ok := cs[name]
	if !ok {
		return nil, pgerr.New(invalidCursorName, "cursor \"%s\" does not exist", name)
	}
	return c, nil
}

// row returns the batch and index holding row k (1-based), which must have
// been read and kept.
func (c *cursor) row(k int64) (*vector.Batch, int) {
	i := sort.Search(len(c.starts), func(i int) bool { return c.starts[i] > k }) - 1
	return c.batches[i], int(k - c.starts[i])
}

// has makes row k available when the result has one, reading on as far
// as needed.
func (c *cursor) has(k int64) (bool, error) {
	for k > c.read && !c.exhausted {
		b, err := c.rows.Next()
		if err != nil {
			return false, err
		}
		if b == nil {
			c.exhausted = true
			break
		}
		if b.Len == 0 {
			continue
		}
		if c.scroll {
			b = copyBatch(b)
		} else {
			// Rows behind the head are never needed again.
			c.batches, c.starts = c.batches[:0], c.starts[:0]
		}
		c.batches = append(c.batches, b)
		c.starts = append(c.starts, c.read+1)
		c.read += int64(b.Len)
	}
	return k >= 1 && k <= c.read, nil
}

// copyBatch copies b, so that the rows a scrollable cursor keeps do not
// share memory with the executor.
func copyBatch(b *vector.Batch) *vector.Batch {
	ts := make([]types.Type, len(b.Cols))
	for i, v := range b.Cols {
		ts[i] = v.Type
	}
	out := vector.NewBatch(ts, b.Len)
	for r := 0; r < b.Len; r++ {
		out.AppendRow(b, r)
	}
	return out
}

// step moves the read head one row and returns the row it lands on, or 0
// when it moves off either end.
func (c *cursor) step(forward bool) (int64, error) {
	if forward {
		ok, err := c.has(c.head + 1)
		if err != nil {
			return 0, err
		}
		if !ok {
			c.head = c.read + 1
			return 0, nil
		}
		c.head++
		return c.head, nil
	}
	if c.head > 1 {
		c.head--
		return c.head, nil
	}
	c.head = 0
	return 0, nil
}
