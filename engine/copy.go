package engine

import (
	"context"
	"slices"

	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
)

// prepareCopy prepares COPY ... TO STDOUT: a query whose rows go to the
// client in COPY's format. COPY table [(columns)] reads what SELECT
// columns FROM table does. COPY FROM changes data and COPY to a file or
// program would write on the server: neither is done.
func (s *Session) prepareCopy(ctx context.Context, cs *pg.CopyStmt, text string, paramTypes []types.Type) (*Statement, error) {
	if cs.IsFrom {
		return nil, pgerr.New(pgerr.ReadOnlyTransaction, "cannot execute COPY FROM: Junction is read-only; change data in the source database itself")
	}
	if cs.IsProgram || cs.Filename != "" {
		return nil, pgerr.NotSupported("COPY to a file or program").
			WithHint("COPY TO STDOUT sends the data to the client, and psql's \\copy writes it to a file there.")
	}
	format, forceQuote, err := copyOptions(cs.Options)
	if err != nil {
		return nil, err
	}
	var q *boundQuery
	var relation []plan.Column
	switch sel := cs.Query.GetSelectStmt(); {
	case cs.Relation != nil:
		if q, relation, err = s.bindCopyTable(ctx, cs.Relation, cs.Attlist); err != nil {
			return nil, err
		}
	case sel == nil:
		return nil, pgerr.New(pgerr.ReadOnlyTransaction, "cannot execute COPY (%s) TO: Junction is read-only", statementName(cs.Query))
	default:
		if q, err = s.bindQuery(ctx, sel, paramTypes); err != nil {
			return nil, err
		}
	}
	if forceQuote != nil {
		if format.ForceQuote, err = forcedColumns(forceQuote, q.columns, relation, cs.Relation.GetRelname()); err != nil {
			return nil, err
		}
	}
	st := &Statement{SQL: text, Params: q.params}
	st.run = func(rc runContext, params []types.Datum) (*Result, error) {
		physical, values, err := q.optimize(rc, text, params)
		if err != nil {
			return nil, err
		}
		res, err := s.run(rc, physical, q.columns, values)
		if err != nil {
			return nil, err
		}
		res.Copy = &format
		res.TagPrefix = "COPY"
		return res, nil
	}
	return st, nil
}

// bindCopyTable binds SELECT columns FROM table, every column when none
// is listed, and returns the table's columns too.
func (s *Session) bindCopyTable(ctx context.Context, rel *pg.RangeVar, attlist []*pg.Node) (q *boundQuery, relation []plan.Column, err error) {
	all, err := s.bindQuery(ctx, selectFrom(rel, []*pg.Node{pg.MakeAStarNode()}), nil)
	if err != nil || len(attlist) == 0 {
		return all, columnsOf(all), err
	}
	var fields []*pg.Node
	seen := map[string]bool{}
	for _, a := range attlist {
		name := a.GetString_().GetSval()
		if !slices.ContainsFunc(all.columns, func(c plan.Column) bool { return c.Name == name }) {
			return nil, nil, pgerr.New(pgerr.UndefinedColumn, "column \"%s\" of relation \"%s\" does not exist", name, rel.Relname)
		}
		if seen[name] {
			return nil, nil, pgerr.New(duplicateColumn, "column \"%s\" specified more than once", name)
		}
		seen[name] = true
		fields = append(fields, pg.MakeStrNode(name))
	}
	q, err = s.bindQuery(ctx, selectFrom(rel, fields), nil)
	return q, all.columns, err
}

func columnsOf(q *boundQuery) []plan.Column {
	if q == nil {
		return nil
	}
	return q.columns
}

// selectFrom is SELECT fields FROM rel, each field a column name or *.
func selectFrom(rel *pg.RangeVar, fields []*pg.Node) *pg.SelectStmt {
	targets := make([]*pg.Node, len(fields))
	for i, f := range fields {
		targets[i] = pg.MakeResTargetNodeWithVal(pg.MakeColumnRefNode([]*pg.Node{f}, -1), -1)
	}
	from := &pg.RangeVar{Catalogname: rel.Catalogname, Schemaname: rel.Schemaname, Relname: rel.Relname, Inh: true, Relpersistence: "p", Location: -1}
	return &pg.SelectStmt{
		TargetList:  targets,
		FromClause:  []*pg.Node{{Node: &pg.Node_RangeVar{RangeVar: from}}},
		LimitOption: pg.LimitOption_LIMIT_OPTION_DEFAULT,
		Op:          pg.SetOperation_SETOP_NONE,
	}
}

// forcedColumns resolves FORCE_QUOTE's column names ("*" for all)
// against the columns COPY writes; relation holds the columns of the
// table COPY reads, if it reads one.
func forcedColumns(names []string, cols, relation []plan.Column, relname string) ([]bool, error) {
	out := make([]bool, len(cols))
	for _, name := range names {
		if name == "*" {
			for i := range out {
				out[i] = true
			}
			continue
		}
		named := func(c plan.Column) bool { return c.Name == name }
		if i := slices.IndexFunc(cols, named); i >= 0 {
			out[i] = true
			continue
		}
		switch {
		case slices.ContainsFunc(relation, named):
			return nil, pgerr.New(pgerr.InvalidColumnReference, "FORCE_QUOTE column \"%s\" not referenced by COPY", name)
		case relation != nil:
			return nil, pgerr.New(pgerr.UndefinedColumn, "column \"%s\" of relation \"%s\" does not exist", name, relname)
		}
		return nil, pgerr.New(pgerr.UndefinedColumn, "column \"%s\" does not exist", name)
	}
	return out, nil
}
