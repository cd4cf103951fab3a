package wire

import (
	"context"
	"strconv"
	"strings"

	wire "github.com/jeroenrinzema/psql-wire"
	proto "github.com/jeroenrinzema/psql-wire/pkg/types"
	"github.com/junction-db/junction/engine"
	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
	"github.com/junction-db/junction/vector"
	pg_query "github.com/pganalyze/pg_query_go/v6"
)

// parse is psql-wire's ParseFn: a simple query runs whole right here and
// leaves psql-wire a statement with nothing left to do; a Parse message
// becomes a prepared statement.
//
// psql-wire would run a simple query's statement on a coroutine of its own,
// started afresh (with a small stack to grow) for every query; running the
// script here keeps it on the connection's goroutine. Its error reaches the
// client the same way: psql-wire reports it and ends with ReadyForQuery.
func (s *Server) parse(ctx context.Context, q wire.Query) (wire.PreparedStatements, error) {
	c := connFrom(ctx)
	if q.SimpleQuery {
		if err := c.runScript(splitStatements(q.Query)); err != nil {
			return nil, err
		}
		return scriptDone, nil
	}
	defer c.handle()()
	var stmts []*engine.Statement
	err := c.query(func(ctx context.Context) (err error) {
		stmts, err = c.session.Parse(ctx, q.Query, q.ParameterOIDs)
		return err
	})
	if err != nil {
		return nil, err
	}
	switch len(stmts) {
	case 0:
		return wire.Prepared(wire.NewStatement(func(context.Context, wire.DataWriter, []wire.Parameter) error {
			return c.writeEmptyQuery()
		})), nil
	case 1:
		ps := c.prepared(stmts[0])
		c.parsed = parsedStatement{wire: ps, engine: stmts[0]}
		return wire.Prepared(ps), nil
	}
	return nil, pgerr.New(pgerr.SyntaxError, "cannot insert multiple commands into a prepared statement")
}

// scriptDone is what parse hands psql-wire for a simple query that has
// run: a statement without columns whose run does nothing.
var scriptDone = wire.Prepared(wire.NewStatement(func(context.Context, wire.DataWriter, []wire.Parameter) error { return nil }))

// splitStatements splits a simple query into its statements. The string is
// parsed as a whole, so that a syntax error anywhere rejects all of it
// before anything runs; a string that does not parse stays in one piece
// for the engine to report the error. A string whose only semicolon ends
// it is one statement (or none) and is left to the engine directly.
func splitStatements(sql string) []string {
	if i := strings.IndexByte(sql, ';'); i < 0 || strings.TrimRight(sql[i+1:], " \t\r\n") == "" {
		return []string{sql}
	}
	pieces, err := pg_query.SplitWithParser(sql, true)
	if err != nil || len(pieces) == 1 {
		return []string{sql}
	}
	return pieces
}

// runScript runs the statements of a simple query in order, preparing each
// just before it runs, and writes their results itself. Several
// statements outside a block run in one implicit transaction.
func (c *conn) runScript(script []string) (err error) {
	defer c.handle()()
	if len(script) > 1 {
		c.session.BeginImplicit()
		defer func() { c.session.EndImplicit(err == nil) }()
	}
	ran := 0
	for _, sql := range script {
		err := c.query(func(ctx context.Context) error {
			stmts, err := c.session.Parse(ctx, sql, nil)
			if err != nil {
				return err
			}
			for _, st := range stmts {
				if err := c.execute(ctx, st, nil, &frameWriter{c: c}); err != nil {
					return err
				}
				ran++
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	if ran == 0 {
		return c.writeEmptyQuery()
	}
	return nil
}

// prepared is the psql-wire statement for a prepared engine statement.
// psql-wire runs it for a portal read a few rows at a time; a portal run
// to its end in one Execute is run by runPortal instead.
func (c *conn) prepared(st *engine.Statement) *wire.PreparedStatement {
	columns := wireColumns(st.Columns)
	paramOIDs := make([]uint32, len(st.Params))
	for i, t := range st.Params {
		paramOIDs[i] = t.OID()
	}
	run := func(_ context.Context, dw wire.DataWriter, params []wire.Parameter) error {
		return c.query(func(ctx context.Context) error {
			args, err := c.decodeParams(params, st.Params)
			if err != nil {
				return err
			}
			return c.execute(ctx, st, args, &portalWriter{c: c, dw: dw})
		})
	}
	return wire.NewStatement(run, wire.WithColumns(columns), wire.WithParameters(paramOIDs))
}

// wireColumns describes result columns to psql-wire.
func wireColumns(cols []plan.Column) wire.Columns {
	out := make(wire.Columns, len(cols))
	for i, col := range cols {
		out[i] = wire.Column{
			Table:        int32(col.TableOID),
			AttrNo:       col.Attnum,
			Name:         col.Name,
			Oid:          col.Type.OID(),
			Width:        col.Type.Size(),
			TypeModifier: col.Type.Modifier(),
		}
	}
	return out
}

// resultWriter is where a statement's outcome goes: the simple protocol's
// frames or an extended-protocol portal.
type resultWriter interface {
	// describe announces the result columns; binary asks for them in
	// binary where the statement decides (FETCH from a BINARY cursor).
	describe(cols []plan.Column, binary bool) error
	// rows writes a batch of rows.
	rows(b *vector.Batch) error
	// complete ends the result with its command tag.
	complete(tag string) error
}

// textWriter is a resultWriter that can write rows of text values as they
// came from the source (see rowWriter.passesText).
type textWriter interface {
	passesText(cols []plan.Column) bool
	textRow(row [][]byte) error
	flushText() error
}

// execute runs st and streams its outcome to out.
func (c *conn) execute(ctx context.Context, st *engine.Statement, params []types.Datum, out resultWriter) error {
	res, err := c.session.Execute(ctx, st, params)
	if err != nil {
		return err
	}
	for _, n := range res.Notices {
		if err := writeWarning(c.out, n); err != nil {
			return err
		}
	}
	if res.Rows == nil {
		return out.complete(res.Tag)
	}
	defer res.Rows.Close()
	cols := res.Columns
	if cols == nil {
		cols = st.Columns
	}
	var count int64
	if res.Copy != nil {
		if count, err = c.copyOut(ctx, res.Copy, cols, res.Rows); err != nil {
			return err
		}
	} else if count, err = writeRows(ctx, cols, res, out); err != nil {
		return err
	}
	tag := res.Tag
	if tag == "" {
		prefix := res.TagPrefix
		if prefix == "" {
			prefix = "SELECT"
		}
		tag = prefix + " " + strconv.FormatInt(count, 10)
	}
	return out.complete(tag)
}

// writeRows writes a result's rows to out and returns how many it wrote.
// A result that one PostgreSQL source computed whole goes out as the
// source's text forms where the client wants text and Junction would
// print the same, without being decoded into vectors and encoded again.
func writeRows(ctx context.Context, cols []plan.Column, res *engine.Result, out resultWriter) (int64, error) {
	if err := out.describe(cols, res.Binary); err != nil {
		return 0, err
	}
	var count int64
	if text, ok := res.Rows.(engine.TextStream); ok {
		if w, ok := out.(textWriter); ok && w.passesText(cols) {
			handled, err := text.EachText(func(row [][]byte) error {
				count++
				return w.textRow(row)
			})
			if handled {
				if err == nil {
					err = w.flushText()
				}
				return count, err
			}
		}
	}
	for {
		if err := ctx.Err(); err != nil {
			return count, err
		}
		b, err := res.Rows.Next()
		if err != nil {
			return count, err
		}
		if b == nil {
			return count, nil
		}
		if b.Len == 0 {
			continue
		}
		if err := out.rows(b); err != nil {
			return count, err
		}
		count += int64(b.Len)
	}
}

// writeEmptyQuery answers a query string without statements.
func (c *conn) writeEmptyQuery() error {
	c.out.Start(proto.ServerEmptyQuery)
	return c.out.End()
}
