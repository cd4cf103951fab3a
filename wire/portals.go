package wire

import (
	"context"
	"fmt"

	wire "github.com/jeroenrinzema/psql-wire"
	"github.com/jeroenrinzema/psql-wire/pkg/buffer"
	"github.com/junction-db/junction/engine"
	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/plan"
)

// statements is psql-wire's statement cache, watched to learn which
// engine statement each of its statements runs (see portals).
type statements struct {
	wire.StatementCache
}

func newStatements() wire.StatementCache {
	return &statements{StatementCache: wire.DefaultStatementCacheFn()}
}

// Set stores a statement Parse made; when Junction's parse has just
// prepared it, the engine statement is remembered with it.
func (s *statements) Set(ctx context.Context, name string, ps *wire.PreparedStatement) error {
	c := connFrom(ctx)
	if c == nil {
		return s.StatementCache.Set(ctx, name, ps)
	}
	parsed := c.parsed
	c.parsed = parsedStatement{}
	s.forget(ctx, c, name)
	if err := s.StatementCache.Set(ctx, name, ps); err != nil {
		return err
	}
	if parsed.wire == ps {
		if st, _ := s.StatementCache.Get(ctx, name); st != nil {
			c.statements[st] = parsed.engine
		}
	}
	return nil
}

func (s *statements) Delete(ctx context.Context, name string) error {
	if c := connFrom(ctx); c != nil {
		s.forget(ctx, c, name)
	}
	return s.StatementCache.Delete(ctx, name)
}

// forget drops what c knows of the statement called name.
func (s *statements) forget(ctx context.Context, c *conn, name string) {
	if st, _ := s.StatementCache.Get(ctx, name); st != nil {
		delete(c.statements, st)
	}
}

// parsedStatement is a statement Junction's parse has just handed to
// psql-wire, which stores it next.
type parsedStatement struct {
	wire   *wire.PreparedStatement
	engine *engine.Statement
}

// portals is psql-wire's portal cache, watched for what psql-wire keeps to
// itself: the statement, parameters and result formats a portal was bound
// with. A portal of a Junction statement whose first Execute asks for all
// rows runs to its end within that Execute, so it needs none of psql-wire's
// per-row flow control: Junction runs it on the connection's goroutine and
// writes its rows the way a simple query's are. psql-wire would run it on
// a coroutine of its own, started afresh (with a small stack to grow) for
// every Execute. A portal read a few rows at a time is left to psql-wire.
type portals struct {
	wire.PortalCache
	bound map[string]*boundPortal
}

// boundPortal is a portal as Bind made it, and how far it has run.
type boundPortal struct {
	statement *wire.Statement
	// run is the engine statement, nil for a statement Junction did not
	// prepare itself.
	run     *engine.Statement
	params  []wire.Parameter
	formats []wire.FormatCode
	// stepped is set once an Execute has left the portal to psql-wire.
	stepped bool
	// finished is set once the portal has run to its end; tag and err are
	// its outcome, which a later Execute reports again as psql-wire does.
	finished bool
	tag      string
	err      error
}

func newPortals() wire.PortalCache {
	return &portals{PortalCache: wire.DefaultPortalCacheFn(), bound: map[string]*boundPortal{}}
}

func (p *portals) Bind(ctx context.Context, name string, st *wire.Statement, params []wire.Parameter, formats []wire.FormatCode) error {
	if err := p.PortalCache.Bind(ctx, name, st, params, formats); err != nil {
		return err
	}
	b := &boundPortal{statement: st, params: params, formats: formats}
	if c := connFrom(ctx); c != nil {
		b.run = c.statements[st]
	}
	p.bound[name] = b
	return nil
}

// Get finds a portal, or else an open cursor of that name: in PostgreSQL a
// cursor is a portal, and psycopg learns the shape of its named cursors
// by describing them as portals.
func (p *portals) Get(ctx context.Context, name string) (*wire.Portal, error) {
	portal, err := p.PortalCache.Get(ctx, name)
	if portal != nil || err != nil {
		return portal, err
	}
	if c := connFrom(ctx); c != nil {
		if cols, ok := c.session.CursorColumns(name); ok {
			return cursorPortal(ctx, name, cols)
		}
	}
	return nil, nil
}

// cursorPortal is a portal that describes a cursor. Running it is left
// to FETCH, which moves the cursor as the client asks.
func cursorPortal(ctx context.Context, name string, cols []plan.Column) (*wire.Portal, error) {
	refuse := func(context.Context, wire.DataWriter, []wire.Parameter) error { return cursorExecuted(name) }
	var statements wire.DefaultStatementCache
	if err := statements.Set(ctx, name, wire.NewStatement(refuse, wire.WithColumns(wireColumns(cols)))); err != nil {
		return nil, err
	}
	st, err := statements.Get(ctx, name)
	if err != nil {
		return nil, err
	}
	var portal wire.DefaultPortalCache
	if err := portal.Bind(ctx, name, st, nil, nil); err != nil {
		return nil, err
	}
	return portal.Get(ctx, name)
}

// cursorExecuted refuses an Execute of a cursor's portal.
func cursorExecuted(name string) error {
	return pgerr.NotSupported(fmt.Sprintf("Execute of cursor %q", name)).WithHint("Read the cursor with FETCH.")
}

func (p *portals) Execute(ctx context.Context, name string, limit wire.Limit, r *buffer.Reader, w *buffer.Writer) error {
	c := connFrom(ctx)
	if c == nil {
		return p.PortalCache.Execute(ctx, name, limit, r, w)
	}
	defer c.handle()()
	b := p.bound[name]
	if b == nil {
		if _, ok := c.session.CursorColumns(name); ok {
			return cursorExecuted(name)
		}
		return p.PortalCache.Execute(ctx, name, limit, r, w)
	}
	if b.run != nil && (b.finished || limit == wire.NoLimit && !b.stepped) {
		return c.runPortal(b, w)
	}
	b.stepped = true
	return p.PortalCache.Execute(ctx, name, limit, r, w)
}

func (p *portals) Delete(ctx context.Context, name string) error {
	delete(p.bound, name)
	return p.PortalCache.Delete(ctx, name)
}

func (p *portals) DeleteByStatement(ctx context.Context, st *wire.Statement) error {
	for name, b := range p.bound {
		if b.statement == st {
			delete(p.bound, name)
		}
	}
	return p.PortalCache.DeleteByStatement(ctx, st)
}

func (p *portals) Close() {
	clear(p.bound)
	p.PortalCache.Close()
}

// runPortal runs a portal to its end on the connection's goroutine and
// writes its whole result to out.
func (c *conn) runPortal(b *boundPortal, out *buffer.Writer) (err error) {
	if b.finished {
		if b.err != nil {
			return b.err
		}
		return writeCommandComplete(out, b.tag)
	}
	b.finished = true
	defer func() {
		// A bug fails the statement, not the connection.
		if p := recover(); p != nil {
			err = pgerr.New(pgerr.InternalError, "internal error running portal: %v", p)
		}
		b.err = err
	}()
	return c.query(func(ctx context.Context) error {
		args, err := c.decodeParams(b.params, b.run.Params)
		if err != nil {
			return err
		}
		return c.execute(ctx, b.run, args, &drainingPortalWriter{c: c, portal: b, out: out})
	})
}

// binaryColumns tells, column by column, whether a result of n columns is
// sent in binary in the given result formats (as in Bind: none means all
// text, one applies to every column); nil when all of it is text.
func binaryColumns(formats []wire.FormatCode, n int) []bool {
	if len(formats) == 0 {
		return nil
	}
	out := make([]bool, n)
	for i := range out {
		f := formats[0]
		if i < len(formats) {
			f = formats[i]
		}
		out[i] = f == wire.BinaryFormat
	}
	return out
}
