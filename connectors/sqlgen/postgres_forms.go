package sqlgen

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
)

// SelectForms is implemented by dialects whose source runs PostgreSQL's
// own query forms with PostgreSQL's meaning. A dialect that does not
// implement it, or declines a form, keeps that operator in Junction:
// MariaDB has WITH RECURSIVE and LATERAL-like derived tables, but types a
// recursive query's columns from its first term alone and compares text
// under its collation, so the same SQL would give other rows.
type SelectForms interface {
	// RecursiveQueries: WITH RECURSIVE with UNION and UNION ALL.
	RecursiveQueries() bool
	// LateralJoins: [LEFT] JOIN LATERAL (subquery).
	LateralJoins() bool
	// DistinctOn: SELECT DISTINCT ON (...) with its ORDER BY. DistinctKey
	// spells a DISTINCT ON expression as OrderKey spells it, which the
	// source requires of the leading ORDER BY items.
	DistinctOn() bool
	DistinctKey(expr string, t types.Type) string
	// FetchWithTies: OFFSET ... FETCH FIRST n ROWS WITH TIES.
	FetchWithTies() bool
}

func forms(d Dialect) SelectForms {
	f, _ := d.(SelectForms)
	return f
}

// recursiveQuery renders a recursive union as a derived table holding the
// whole WITH RECURSIVE; the working table is the WITH item itself.
func (r *renderer) recursiveQuery(x *plan.RecursiveUnion) (*block, error) {
	if f := forms(r.d); f == nil || !f.RecursiveQueries() {
		return nil, ErrNotRenderable
	}
	init, err := r.node(x.Init)
	if err != nil {
		return nil, err
	}
	recur, err := r.node(x.Recur)
	if err != nil {
		return nil, err
	}
	if init.correlated || recur.correlated {
		return nil, ErrNotRenderable
	}
	names := make([]string, len(x.Cols))
	for i := range names {
		names[i] = r.d.QuoteIdent(fmt.Sprintf("c%d", i))
	}
	union := " UNION "
	if x.All {
		union = " UNION ALL "
	}
	table := workTableName(r.d, x.ID)
	alias := r.nextAlias()
	from := "(WITH RECURSIVE " + table + "(" + strings.Join(names, ", ") + ") AS ((" + r.sql(init, false) + ")" + union +
		"(" + r.sql(recur, false) + ")) SELECT " + strings.Join(names, ", ") + " FROM " + table + ") " + alias
	out := &block{from: from}
	for i, c := range x.Cols {
		out.cols = append(out.cols, alias+"."+names[i])
		out.types = append(out.types, c.Type)
	}
	return out, nil
}

func workTableName(d Dialect, id int) string {
	return d.QuoteIdent("junction_recursive_" + strconv.Itoa(id))
}

// workTable renders the recursive term's read of the working table.
func (r *renderer) workTable(x *plan.WorkTable) (*block, error) {
	alias := r.nextAlias()
	out := &block{from: workTableName(r.d, x.ID) + " " + alias}
	for i, c := range x.Cols {
		out.cols = append(out.cols, alias+"."+r.d.QuoteIdent(fmt.Sprintf("c%d", i)))
		out.types = append(out.types, c.Type)
	}
	return out, nil
}

// lateral renders an Apply as a LATERAL join of derived tables: the right
// one reads the left one's columns where the plan has OuterRefs.
func (r *renderer) lateral(x *plan.Apply) (*block, error) {
	if f := forms(r.d); f == nil || !f.LateralJoins() || !correlatedDerivedTables(r.d) {
		return nil, ErrNotRenderable
	}
	l, err := r.node(x.Left)
	if err != nil {
		return nil, err
	}
	l = r.wrap(l)
	outer, refs := r.outer, r.outerRefs
	r.outer = l.ref
	rb, err := r.node(x.Right)
	r.outer, r.outerRefs = outer, refs
	if err != nil {
		return nil, err
	}
	alias := r.nextAlias()
	right := "LATERAL (" + r.sql(rb, true) + ") " + alias
	out := &block{correlated: l.correlated, shape: joinChain}
	out.cols = append(out.cols, l.cols...)
	out.types = append(out.types, l.types...)
	for i, t := range rb.types {
		out.cols = append(out.cols, alias+"."+r.d.QuoteIdent(fmt.Sprintf("c%d", i)))
		out.types = append(out.types, t)
	}
	on := "TRUE"
	if x.Cond != nil {
		var conds []string
		for _, c := range plan.SplitAnd(x.Cond) {
			s, err := r.expr(c, out.ref)
			if err != nil {
				return nil, err
			}
			conds = append(conds, s)
		}
		on = strings.Join(conds, " AND ")
	}
	op := " JOIN "
	if x.Kind == plan.Left {
		op = " LEFT JOIN "
	}
	out.from = l.from + op + right + " ON " + on
	return out, nil
}

// distinctOn renders DISTINCT ON over a block that holds its ORDER BY.
func (r *renderer) distinctOn(x *plan.DistinctOn) (*block, error) {
	f := forms(r.d)
	if f == nil || !f.DistinctOn() {
		return nil, ErrNotRenderable
	}
	b, err := r.node(x.Input)
	if err != nil {
		return nil, err
	}
	if len(b.orderBy) == 0 || b.limit != "" || b.distinct {
		return nil, ErrNotRenderable
	}
	for _, k := range x.Keys {
		// A constant key leaves the ORDER BY (see constantKey), which
		// DISTINCT ON must then still begin with.
		if !r.d.Groupable(b.types[k]) || constantKey(&plan.ColRef{Index: k, T: b.types[k]}, x.Input) {
			return nil, ErrNotRenderable
		}
		b.distinctOn = append(b.distinctOn, f.DistinctKey(b.cols[k], b.types[k]))
	}
	b.distinct = true
	return b, nil
}

// limitTies renders FETCH FIRST ... WITH TIES over a block that holds its
// ORDER BY.
func (r *renderer) limitTies(x *plan.LimitTies) (*block, error) {
	if f := forms(r.d); f == nil || !f.FetchWithTies() {
		return nil, ErrNotRenderable
	}
	b, err := r.node(x.Input)
	if err != nil {
		return nil, err
	}
	if len(b.orderBy) == 0 || b.limit != "" {
		return nil, ErrNotRenderable
	}
	b.limit = fmt.Sprintf("OFFSET %d ROWS FETCH FIRST %d ROWS WITH TIES", max(x.Offset, 0), x.Count)
	return b, nil
}

// distinctClause is the DISTINCT or DISTINCT ON of a block's select list.
func (b *block) distinctClause() string {
	if len(b.distinctOn) > 0 {
		return "DISTINCT ON (" + strings.Join(b.distinctOn, ", ") + ") "
	}
	return "DISTINCT "
}
