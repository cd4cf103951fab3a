package wire

import (
	"context"
	"fmt"

	wire "github.com/jeroenrinzema/psql-wire"
	"github.com/jeroenrinzema/psql-wire/pkg/buffer"
	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/plan"
)

// portals is psql-wire's portal cache, watched for what psql-wire keeps to
// itself: the result formats a portal was bound with and the row limit of
// the Execute running it. A portal whose first Execute has no limit runs
// to its end within that Execute, so its rows need none of psql-wire's
// per-row flow control and are written the way a simple query's are.
type portals struct {
	wire.PortalCache
	formats map[string][]wire.FormatCode
}

func newPortals() wire.PortalCache {
	return &portals{PortalCache: wire.DefaultPortalCacheFn(), formats: map[string][]wire.FormatCode{}}
}

func (p *portals) Bind(ctx context.Context, name string, st *wire.Statement, params []wire.Parameter, formats []wire.FormatCode) error {
	if err := p.PortalCache.Bind(ctx, name, st, params, formats); err != nil {
		return err
	}
	p.formats[name] = formats
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
	if portal, _ := p.PortalCache.Get(ctx, name); portal == nil && c != nil {
		if _, ok := c.session.CursorColumns(name); ok {
			return cursorExecuted(name)
		}
	}
	if c != nil {
		defer c.handle()()
		c.execution = execution{unlimited: limit == wire.NoLimit, formats: p.formats[name], out: w}
		defer func() { c.execution = execution{} }()
	}
	return p.PortalCache.Execute(ctx, name, limit, r, w)
}

func (p *portals) Delete(ctx context.Context, name string) error {
	delete(p.formats, name)
	return p.PortalCache.Delete(ctx, name)
}

func (p *portals) Close() {
	clear(p.formats)
	p.PortalCache.Close()
}

// execution describes the Execute message being handled.
type execution struct {
	// unlimited is set when the Execute asks for all rows.
	unlimited bool
	// formats are the portal's result formats, as in Bind: none means all
	// text, one applies to every column.
	formats []wire.FormatCode
	// out is the connection's writer.
	out *buffer.Writer
}

// binaryColumns tells, column by column, whether a result of n columns is
// sent in binary; nil when all of it is text.
func (e execution) binaryColumns(n int) []bool {
	if len(e.formats) == 0 {
		return nil
	}
	out := make([]bool, n)
	for i := range out {
		f := e.formats[0]
		if i < len(e.formats) {
			f = e.formats[i]
		}
		out[i] = f == wire.BinaryFormat
	}
	return out
}
