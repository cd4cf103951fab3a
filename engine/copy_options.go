package engine

import (
	"fmt"
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/junction-db/junction/pgerr"
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
