package planner

import (
	"github.com/junction-db/junction/catalog"
	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/plan"
)

// matviewScan reads a materialized view's local copy: a scan of the
// source catalog.LocalCopiesSource, whose dialect takes what the copy's
// DuckDB computes as PostgreSQL does, so filters and aggregates over the
// view run there and never at the sources of its query.
func (b *binder) matviewScan(m *catalog.MatView) (plan.Node, error) {
	if err := b.checkRead(m.Schema, m.Name, "materialized view"); err != nil {
		return nil, err
	}
	info := b.env.System
	if info == nil || info.MatViewStatus == nil || !info.MatViewStatus(m.OID).Populated {
		return nil, pgerr.New("55000", "materialized view %q has not been populated", m.Name).
			WithHint("Use the REFRESH MATERIALIZED VIEW command.")
	}
	if b.viewDepth == 0 {
		b.views = append(b.views, catalog.ViewKey(m.Schema, m.Name))
	}
	scan := &plan.Scan{
		Table: plan.TableRef{Source: catalog.LocalCopiesSource, Name: m.Name, RemoteName: m.CopyTable(), OID: m.OID},
		Alias: m.Name,
	}
	for i, c := range m.Columns {
		scan.ColIdx = append(scan.ColIdx, i)
		scan.RemoteCols = append(scan.RemoteCols, c.Name)
		scan.Cols = append(scan.Cols, plan.Column{Name: c.Name, Type: c.Type, Table: m.Name, TableOID: m.OID, Attnum: int16(i + 1)})
	}
	return scan, nil
}

// sourceExists reports whether a scan's source is there to read: a
// registered source, or the local copies.
func sourceExists(env *Env, name string) bool {
	_, ok := env.Snapshot.Sources[name]
	return ok || name == catalog.LocalCopiesSource
}
