package wire

import (
	"context"

	wire "github.com/jeroenrinzema/psql-wire"
	"github.com/jeroenrinzema/psql-wire/pkg/buffer"
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

func (p *portals) Execute(ctx context.Context, name string, limit wire.Limit, r *buffer.Reader, w *buffer.Writer) error {
	if c := connFrom(ctx); c != nil {
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
