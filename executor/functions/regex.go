package functions

import (
	"errors"
	"regexp"
	"regexp/syntax"
	"strings"

	"github.com/junction-db/junction/pgerr"
)

func compileRegex(pattern string, fold bool) (*regexp.Regexp, error) {
	src, err := translateRegex(pattern)
	if err != nil {
		return nil, err
	}
	// In PostgreSQL's default (non newline-sensitive) mode . matches a
	// newline and ^ and $ anchor at the ends of the string only.
	flags := "(?s)"
	if fold {
		flags = "(?is)"
	}
	re, err := regexp.Compile(flags + src)
	if err != nil {
		return nil, pgerr.New(pgerr.InvalidRegex, "invalid regular expression: %s", regexErrorText(err))
	}
	return re, nil
}

func regexErrorText(err error) string {
	var se *syntax.Error
	if errors.As(err, &se) {
		return se.Code.String() + ": " + se.Expr
	}
	return err.Error()
}

// translateRegex rewrites the parts of PostgreSQL's regular expression
// syntax that RE2 spells differently: the word-boundary escapes \m \M \y
// \Y, the end anchor \Z and the bracket boundaries [[:<:]] and [[:>:]].
// Back-references, which RE2 cannot run, are rejected.
func translateRegex(p string) (string, error) {
	var out strings.Builder
	for i := 0; i < len(p); i++ {
		c := p[i]
		if strings.HasPrefix(p[i:], "[[:<:]]") || strings.HasPrefix(p[i:], "[[:>:]]") {
			out.WriteString(`\b`)
			i += len("[[:<:]]") - 1
			continue
		}
		if c != '\\' || i+1 == len(p) {
			out.WriteByte(c)
			continue
		}
		i++
		switch e := p[i]; e {
		case 'm', 'M', 'y':
			out.WriteString(`\b`)
		case 'Y':
			out.WriteString(`\B`)
		case 'Z':
			out.WriteString(`\z`)
		case '1', '2', '3', '4', '5', '6', '7', '8', '9':
			return "", pgerr.NotSupported("back-references in regular expressions")
		default:
			out.WriteByte('\\')
			out.WriteByte(e)
		}
	}
	return out.String(), nil
}
