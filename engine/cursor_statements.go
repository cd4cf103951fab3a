package engine

import (
	"context"
	"fmt"
	"time"

	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/telemetry"
	"github.com/junction-db/junction/types"
)

// DECLARE's options, PostgreSQL's CURSOR_OPT_* bits.
const (
	cursorOptBinary   = 0x01
	cursorOptScroll   = 0x02
	cursorOptNoScroll = 0x04
	cursorOptHold     = 0x20
)

// prepareDeclare prepares DECLARE name CURSOR FOR query. A cursor is
// forward-only unless declared SCROLL; PostgreSQL lets plans that happen
// to run backwards cheaply scroll without it, Junction's plans never do.
func (s *Session) prepareDeclare(ctx context.Context, dc *pg.DeclareCursorStmt, text string, paramTypes []types.Type) (*Statement, error) {
	sel := dc.Query.GetSelectStmt()
	if sel == nil {
		return nil, pgerr.NotSupported("DECLARE CURSOR for " + statementName(dc.Query))
	}
	if dc.Options&cursorOptScroll != 0 && dc.Options&cursorOptNoScroll != 0 {
		return nil, pgerr.New(invalidCursorDefinition, "cannot specify both SCROLL and NO SCROLL")
	}
	q, err := s.bindQuery(ctx, sel, paramTypes)
	if err != nil {
		return nil, err
	}
	name, hold := dc.Portalname, dc.Options&cursorOptHold != 0
	st := &Statement{SQL: text, Params: q.params}
	st.run = func(rc runContext, params []types.Datum) (*Result, error) {
		if !hold && !s.inTransaction() {
			return nil, pgerr.New(noActiveTransaction, "DECLARE CURSOR can only be used in transaction blocks")
		}
		if _, exists := s.cursors[name]; exists {
			return nil, pgerr.New(duplicateCursor, "cursor \"%s\" already exists", name)
		}
		physical, values, err := q.optimize(rc, text, params)
		if err != nil {
			return nil, err
		}
		// The cursor's rows are read by later statements: its query runs
		// under its own context, which a cancelled FETCH cancels too.
		// Its account of what it fetches bears the declaring statement's
		// id, which the guard's log lines about it show.
		query := &telemetry.Query{}
		if declaring := telemetry.QueryFrom(rc.ctx); declaring != nil {
			query.ID = declaring.ID
		}
		cctx, cancel := context.WithCancel(telemetry.WithQuery(context.Background(), query))
		res, err := s.run(runContext{ctx: cctx, session: s}, physical, q.columns, values)
		if err != nil {
			cancel()
			return nil, err
		}
		s.cursors[name] = &cursor{
			name: name, sql: text, cols: q.columns, created: time.Now(),
			binary: dc.Options&cursorOptBinary != 0, scroll: dc.Options&cursorOptScroll != 0, hold: hold,
			inTransaction: s.inTransaction(), depth: len(s.tx.savepoints),
			rows: res.Rows, cancel: cancel, query: query, atStart: true,
		}
		return &Result{Tag: "DECLARE CURSOR"}, nil
	}
	return st, nil
}

// prepareFetch prepares FETCH and MOVE. The rows' shape is the cursor's,
// known to Describe when the cursor exists as the statement is prepared.
func (s *Session) prepareFetch(fs *pg.FetchStmt, st *Statement) (*Statement, error) {
	if c, ok := s.cursors[fs.Portalname]; ok && !fs.Ismove {
		st.Columns = c.cols
	}
	dir := fetchForward
	switch fs.Direction {
	case pg.FetchDirection_FETCH_BACKWARD:
		dir = fetchBackward
	case pg.FetchDirection_FETCH_ABSOLUTE:
		dir = fetchAbsolute
	case pg.FetchDirection_FETCH_RELATIVE:
		dir = fetchRelative
	}
	st.run = func(rc runContext, _ []types.Datum) (*Result, error) {
		c, err := s.cursors.get(fs.Portalname)
		if err != nil {
			return nil, err
		}
		stop := context.AfterFunc(rc.ctx, c.cancel)
		defer stop()
		defer c.query.MoveTo(telemetry.QueryFrom(rc.ctx))
		if fs.Ismove {
			n, err := c.fetch(dir, fs.HowMany, nil)
			if err != nil {
				return nil, err
			}
			return &Result{Tag: fmt.Sprintf("MOVE %d", n)}, nil
		}
		out := &fetchOutput{types: plan.ColumnTypes(&plan.Values{Cols: c.cols})}
		if _, err := c.fetch(dir, fs.HowMany, out); err != nil {
			return nil, err
		}
		return &Result{Columns: c.cols, Rows: &batchStream{batches: out.batches}, TagPrefix: "FETCH", Binary: c.binary}, nil
	}
	return st, nil
}

// prepareClose prepares CLOSE name and CLOSE ALL (an empty name).
func (s *Session) prepareClose(name string, st *Statement) (*Statement, error) {
	st.run = func(runContext, []types.Datum) (*Result, error) {
		if name == "" {
			s.cursors.closeAll()
			return &Result{Tag: "CLOSE CURSOR ALL"}, nil
		}
		c, err := s.cursors.get(name)
		if err != nil {
			return nil, err
		}
		c.close()
		delete(s.cursors, name)
		return &Result{Tag: "CLOSE CURSOR"}, nil
	}
	return st, nil
}

// CursorColumns describes the rows of the open cursor called name.
func (s *Session) CursorColumns(name string) ([]plan.Column, bool) {
	c, ok := s.cursors[name]
	if !ok {
		return nil, false
	}
	return c.cols, true
}
