package engine

import (
	"context"
	"fmt"
	"slices"
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
)

// CopyFormat is how COPY TO STDOUT writes its rows, from its options.
type CopyFormat struct {
	// Binary is PostgreSQL's binary COPY format; CSV the CSV format; text
	// otherwise.
	Binary, CSV bool
	// Header asks for a first line with the column names (text and CSV).
	Header bool
	// Delimiter separates columns; Null stands for NULL (text and CSV).
	Delimiter byte
	Null      string
	// Quote and Escape are the CSV quoting characters.
	Quote, Escape byte
	// ForceQuote tells, column by column, whether CSV quotes every non-NULL
	// value; nil when none is forced.
	ForceQuote []bool
}

// SQLSTATEs of COPY's option checks.
const (
	ambiguousOption = "42601"
	duplicateColumn = "42701"
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
		physical, err := q.optimize(rc, params)
		if err != nil {
			return nil, err
		}
		res, err := s.run(rc, text, physical, q.columns)
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

// copyOptions reads COPY's options and checks them as PostgreSQL's
// ProcessCopyOptions does, with its messages. forceQuote lists
// FORCE_QUOTE's column names, "*" for all.
func copyOptions(options []*pg.Node) (f CopyFormat, forceQuote []string, err error) {
	var format, delimiter, null, quote, escape *string
	var header bool
	seen := map[string]bool{}
	for _, o := range options {
		d := o.GetDefElem()
		if d == nil {
			continue
		}
		if seen[d.Defname] {
			return f, nil, pgerr.New(ambiguousOption, "conflicting or redundant options")
		}
		seen[d.Defname] = true
		switch d.Defname {
		case "format", "delimiter", "null", "quote", "escape", "encoding":
			v, err := copyOptionString(d)
			if err != nil {
				return f, nil, err
			}
			switch d.Defname {
			case "format":
				if v != "text" && v != "csv" && v != "binary" {
					return f, nil, pgerr.New(pgerr.InvalidParameterValue, "COPY format \"%s\" not recognized", v)
				}
				format = &v
			case "delimiter":
				delimiter = &v
			case "null":
				null = &v
			case "quote":
				quote = &v
			case "escape":
				escape = &v
			case "encoding":
				if e := strings.ToUpper(strings.ReplaceAll(v, "-", "")); e != "UTF8" && e != "UNICODE" {
					return f, nil, pgerr.NotSupported(fmt.Sprintf("COPY with ENCODING %q (Junction speaks UTF8)", v))
				}
			}
		case "header":
			if header, err = copyOptionBool(d); err != nil {
				return f, nil, err
			}
		case "freeze":
			// Freezing rows applies to COPY FROM; PostgreSQL checks the
			// value and ignores it here.
			if _, err = copyOptionBool(d); err != nil {
				return f, nil, err
			}
		case "force_quote":
			if d.Arg.GetAStar() != nil {
				forceQuote = []string{"*"}
				break
			}
			for _, n := range d.Arg.GetList().GetItems() {
				forceQuote = append(forceQuote, n.GetString_().GetSval())
			}
		case "force_not_null", "force_null":
			what := strings.ReplaceAll(strings.TrimPrefix(d.Defname, "force_"), "_", " ")
			if format == nil || *format != "csv" {
				return f, nil, pgerr.New(pgerr.FeatureNotSupported, "COPY force %s available only in CSV mode", what)
			}
			return f, nil, pgerr.New(pgerr.FeatureNotSupported, "COPY force %s only available using COPY FROM", what)
		default:
			return f, nil, pgerr.New(ambiguousOption, "option \"%s\" not recognized", d.Defname)
		}
	}
	f.Binary = format != nil && *format == "binary"
	f.CSV = format != nil && *format == "csv"
	f.Header = header
	if f.Binary && delimiter != nil {
		return f, nil, pgerr.New(ambiguousOption, "cannot specify DELIMITER in BINARY mode")
	}
	if f.Binary && null != nil {
		return f, nil, pgerr.New(ambiguousOption, "cannot specify NULL in BINARY mode")
	}
	delim, nullText := "\t", `\N`
	if f.CSV {
		delim, nullText = ",", ""
	}
	if delimiter != nil {
		delim = *delimiter
	}
	if null != nil {
		nullText = *null
	}
	if len(delim) != 1 {
		return f, nil, pgerr.New(pgerr.FeatureNotSupported, "COPY delimiter must be a single one-byte character")
	}
	if delim == "\r" || delim == "\n" {
		return f, nil, pgerr.New(pgerr.InvalidParameterValue, "COPY delimiter cannot be newline or carriage return")
	}
	if strings.ContainsAny(nullText, "\r\n") {
		return f, nil, pgerr.New(pgerr.InvalidParameterValue, "COPY null representation cannot use newline or carriage return")
	}
	if !f.CSV && strings.Contains(`\.abcdefghijklmnopqrstuvwxyz0123456789`, delim) {
		return f, nil, pgerr.New(pgerr.InvalidParameterValue, "COPY delimiter cannot be \"%s\"", delim)
	}
	if f.Binary && header {
		return f, nil, pgerr.New(pgerr.FeatureNotSupported, "cannot specify HEADER in BINARY mode")
	}
	if !f.CSV && quote != nil {
		return f, nil, pgerr.New(pgerr.FeatureNotSupported, "COPY quote available only in CSV mode")
	}
	q := `"`
	if quote != nil {
		q = *quote
	}
	if f.CSV && len(q) != 1 {
		return f, nil, pgerr.New(pgerr.FeatureNotSupported, "COPY quote must be a single one-byte character")
	}
	if f.CSV && delim == q {
		return f, nil, pgerr.New(pgerr.InvalidParameterValue, "COPY delimiter and quote must be different")
	}
	if !f.CSV && escape != nil {
		return f, nil, pgerr.New(pgerr.FeatureNotSupported, "COPY escape available only in CSV mode")
	}
	esc := q
	if escape != nil {
		esc = *escape
	}
	if f.CSV && len(esc) != 1 {
		return f, nil, pgerr.New(pgerr.FeatureNotSupported, "COPY escape must be a single one-byte character")
	}
	if !f.CSV && forceQuote != nil {
		return f, nil, pgerr.New(pgerr.FeatureNotSupported, "COPY force quote available only in CSV mode")
	}
	if !f.Binary && strings.Contains(nullText, delim) {
		return f, nil, pgerr.New(pgerr.FeatureNotSupported, "COPY delimiter must not appear in the NULL specification")
	}
	if f.CSV && strings.Contains(nullText, q) {
		return f, nil, pgerr.New(pgerr.FeatureNotSupported, "CSV quote character must not appear in the NULL specification")
	}
	f.Delimiter, f.Null = delim[0], nullText
	if f.CSV {
		f.Quote, f.Escape = q[0], esc[0]
	}
	return f, forceQuote, nil
}

func copyOptionString(d *pg.DefElem) (string, error) {
	switch {
	case d.Arg.GetString_() != nil:
		return d.Arg.GetString_().Sval, nil
	case d.Arg.GetInteger() != nil:
		return fmt.Sprint(d.Arg.GetInteger().Ival), nil
	case d.Arg.GetFloat() != nil:
		return d.Arg.GetFloat().Fval, nil
	}
	return "", pgerr.New(ambiguousOption, "%s requires a parameter", d.Defname)
}

// copyOptionBool reads a boolean option as PostgreSQL's defGetBoolean does;
// HEADER MATCH checks the header of COPY FROM's input.
func copyOptionBool(d *pg.DefElem) (bool, error) {
	if d.Arg == nil {
		return true, nil
	}
	if b := d.Arg.GetBoolean(); b != nil {
		return b.Boolval, nil
	}
	if i := d.Arg.GetInteger(); i != nil {
		switch i.Ival {
		case 0:
			return false, nil
		case 1:
			return true, nil
		}
	}
	v, err := copyOptionString(d)
	if err != nil {
		return false, err
	}
	switch strings.ToLower(v) {
	case "true", "on", "yes", "t", "y", "1":
		return true, nil
	case "false", "off", "no", "f", "n", "0":
		return false, nil
	case "match":
		if d.Defname == "header" {
			return false, pgerr.New(pgerr.FeatureNotSupported, "cannot use \"%s\" with HEADER in COPY TO", v)
		}
	}
	if d.Defname == "header" {
		return false, pgerr.New(ambiguousOption, "header requires a Boolean value or \"match\"")
	}
	return false, pgerr.New(ambiguousOption, "%s requires a Boolean value", d.Defname)
}
