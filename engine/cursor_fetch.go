package engine

import (
	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/types"
	"github.com/junction-db/junction/vector"
)

// fetchOutput collects the rows a fetch returns; nil for MOVE.
type fetchOutput struct {
	types   []types.Type
	batches []*vector.Batch
}

const fetchBatchRows = 1024

func (o *fetchOutput) add(c *cursor, k int64) {
	if o == nil {
		return
	}
	b, i := c.row(k)
	if n := len(o.batches); n == 0 || o.batches[n-1].Len == fetchBatchRows {
		o.batches = append(o.batches, vector.NewBatch(o.types, fetchBatchRows))
	}
	o.batches[len(o.batches)-1].AppendRow(b, i)
}

// scanForward refuses the moves of a NO SCROLL cursor that scan backwards
// or rewind, as PostgreSQL does.
func (c *cursor) scanForward() error {
	if !c.scroll {
		return pgerr.New(prerequisiteState, "cursor can only scan forward").
			WithHint("Declare it with SCROLL option to enable backward scan.")
	}
	return nil
}

// runSelect is PortalRunSelect: it moves count rows (fetchAll for all) in
// a direction, handing them to out, and returns how many it moved.
func (c *cursor) runSelect(forward bool, count int64, out *fetchOutput) (int64, error) {
	if !forward {
		if err := c.scanForward(); err != nil {
			return 0, err
		}
	}
	if forward && c.atEnd || !forward && c.atStart || count <= 0 {
		return 0, nil
	}
	var n int64
	for count == fetchAll || n < count {
		k, err := c.step(forward)
		if err != nil {
			return n, err
		}
		if k == 0 {
			break
		}
		out.add(c, k)
		n++
	}
	if forward {
		if n > 0 {
			c.atStart = false
		}
		if count == fetchAll || n < count {
			c.atEnd = true
		}
		c.pos += n
		return n, nil
	}
	if n > 0 && c.atEnd {
		c.atEnd = false
		c.pos++
	}
	if count == fetchAll || n < count {
		c.atStart, c.pos = true, 0
	} else {
		c.pos -= n
	}
	return n, nil
}

// rewind is DoPortalRewind.
func (c *cursor) rewind() error {
	if c.atStart && !c.atEnd {
		return nil
	}
	if err := c.scanForward(); err != nil {
		return err
	}
	c.head, c.pos, c.atStart, c.atEnd = 0, 0, true, false
	return nil
}

// fetchDirection is FETCH's direction, as the parser gives it.
type fetchDirection int

const (
	fetchForward fetchDirection = iota
	fetchBackward
	fetchAbsolute
	fetchRelative
)

// fetch is DoPortalRunFetch: it runs FETCH (out set) or MOVE (out nil) and
// returns the number of rows for the command tag.
func (c *cursor) fetch(dir fetchDirection, count int64, out *fetchOutput) (int64, error) {
	switch dir {
	case fetchForward, fetchBackward:
		if count < 0 {
			dir, count = fetchForward+fetchBackward-dir, -count
		}
	case fetchAbsolute:
		switch {
		case count > 0:
			if count-1 < c.pos/2 {
				if err := c.rewind(); err != nil {
					return 0, err
				}
				if count > 1 {
					if _, err := c.runSelect(true, count-1, nil); err != nil {
						return 0, err
					}
				}
			} else {
				pos := c.pos
				if c.atEnd {
					pos++
				}
				var err error
				if count <= pos {
					_, err = c.runSelect(false, pos-count+1, nil)
				} else if count > pos+1 {
					_, err = c.runSelect(true, count-pos-1, nil)
				}
				if err != nil {
					return 0, err
				}
			}
			return c.runSelect(true, 1, out)
		case count < 0:
			if _, err := c.runSelect(true, fetchAll, nil); err != nil {
				return 0, err
			}
			if count < -1 {
				if _, err := c.runSelect(false, -count-1, nil); err != nil {
					return 0, err
				}
			}
			return c.runSelect(false, 1, out)
		default:
			if err := c.rewind(); err != nil {
				return 0, err
			}
			return c.runSelect(true, 0, out)
		}
	case fetchRelative:
		switch {
		case count > 0:
			if count > 1 {
				if _, err := c.runSelect(true, count-1, nil); err != nil {
					return 0, err
				}
			}
			return c.runSelect(true, 1, out)
		case count < 0:
			if count < -1 {
				if _, err := c.runSelect(false, -count-1, nil); err != nil {
					return 0, err
				}
			}
			return c.runSelect(false, 1, out)
		}
		dir = fetchForward
	}
	forward := dir == fetchForward
	if count == 0 {
		onRow := !c.atStart && !c.atEnd
		if out == nil {
			if onRow {
				return 1, nil
			}
			return 0, nil
		}
		if onRow {
			if _, err := c.runSelect(false, 1, nil); err != nil {
				return 0, err
			}
			count, forward = 1, true
		}
	}
	if !forward && count == fetchAll && out == nil {
		n := c.pos
		if n > 0 && !c.atEnd {
			n--
		}
		if err := c.rewind(); err != nil {
			return 0, err
		}
		return n, nil
	}
	return c.runSelect(forward, count, out)
}
