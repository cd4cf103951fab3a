package functions

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/types"
)

// The regexp_* functions, over the regular expressions the ~ operator
// compiles (compileRegex).

// regexFlags reads the flags argument of the regexp_* functions: i folds
// case, g (where allowed) asks for every match.
func regexFlags(row []types.Datum, i int, globalAllowed bool, name string) (fold, global bool, err error) {
	if i >= len(row) {
		return false, false, nil
	}
	for _, c := range row[i].Str {
		switch {
		case c == 'i':
			fold = true
		case c == 'c':
			fold = false
		case c == 'g' && globalAllowed:
			global = true
		case c == 'g':
			return false, false, pgerr.New(invalidParameterValue, "%s() does not support the \"global\" option", name).
				WithHint("Use the regexp_matches function instead.")
		default:
			return false, false, pgerr.New(invalidParameterValue, "invalid regular expression option: \"%s\"", string(c))
		}
	}
	return fold, global, nil
}

// regexArgs compiles a call's pattern (its second argument) with the
// flags in argument flagsAt, when the call has it.
func regexArgs(row []types.Datum, flagsAt int, globalAllowed bool, name string) (*regexp.Regexp, bool, error) {
	fold, global, err := regexFlags(row, flagsAt, globalAllowed, name)
	if err != nil {
		return nil, false, err
	}
	re, err := compileRegex(row[1].Str, fold)
	return re, global, err
}

// regexpSplitImpl is regexp_split_to_array(string, pattern [, flags]).
// A zero-length match at either end of the string or right after another
// match splits nothing, as in PostgreSQL.
func regexpSplitImpl(_ *funcCall, row []types.Datum) (types.Datum, error) {
	re, _, err := regexArgs(row, 2, false, "regexp_split_to_array")
	if err != nil {
		return types.Datum{}, err
	}
	s := row[0].Str
	var elems []arrayElem
	start := 0
	for _, m := range re.FindAllStringIndex(s, -1) {
		if m[0] == m[1] && (m[0] == 0 || m[0] == len(s)) {
			continue
		}
		elems = append(elems, arrayElem{text: s[start:m[0]]})
		start = m[1]
	}
	elems = append(elems, arrayElem{text: s[start:]})
	return textArrayDatum(elems), nil
}

// matchElems are a match's capture groups, or the whole match without
// groups; a group that did not take part is NULL.
func matchElems(s string, m []int) []arrayElem {
	if len(m) == 2 {
		return []arrayElem{{text: s[m[0]:m[1]]}}
	}
	var out []arrayElem
	for g := 2; g < len(m); g += 2 {
		if m[g] < 0 {
			out = append(out, arrayElem{null: true})
			continue
		}
		out = append(out, arrayElem{text: s[m[g]:m[g+1]]})
	}
	return out
}

// regexpMatchImpl is regexp_match(string, pattern [, flags]): the first
// match's groups, or NULL.
func regexpMatchImpl(_ *funcCall, row []types.Datum) (types.Datum, error) {
	re, _, err := regexArgs(row, 2, false, "regexp_match")
	if err != nil {
		return types.Datum{}, err
	}
	m := re.FindStringSubmatchIndex(row[0].Str)
	if m == nil {
		return types.NullDatum, nil
	}
	return textArrayDatum(matchElems(row[0].Str, m)), nil
}

// regexpMatchesRows is the set-returning regexp_matches(string, pattern
// [, flags]): one row per match, every match with the g flag.
func regexpMatchesRows(_ []types.Type, args []types.Datum) (rowGenerator, error) {
	re, global, err := regexArgs(args, 2, true, "regexp_matches")
	if err != nil {
		return nil, err
	}
	limit := 1
	if global {
		limit = -1
	}
	s := args[0].Str
	out := &listRows{}
	for _, m := range re.FindAllStringSubmatchIndex(s, limit) {
		out.rows = append(out.rows, []types.Datum{textArrayDatum(matchElems(s, m))})
	}
	return out, nil
}

// regexpReplaceImpl is regexp_replace(source, pattern, replacement
// [, flags]): the first match replaced, or every one with the g flag. In
// the replacement \1 to \9 stand for a group, \& for the whole match and
// \\ for a backslash.
func regexpReplaceImpl(_ *funcCall, row []types.Datum) (types.Datum, error) {
	re, global, err := regexArgs(row, 3, true, "regexp_replace")
	if err != nil {
		return types.Datum{}, err
	}
	s, repl := row[0].Str, row[2].Str
	limit := 1
	if global {
		limit = -1
	}
	var out strings.Builder
	last := 0
	for _, m := range re.FindAllStringSubmatchIndex(s, limit) {
		out.WriteString(s[last:m[0]])
		for i := 0; i < len(repl); i++ {
			c := repl[i]
			if c != '\\' || i+1 == len(repl) {
				out.WriteByte(c)
				continue
			}
			switch next := repl[i+1]; {
			case next >= '1' && next <= '9':
				if g := int(next-'0') * 2; g+1 < len(m) && m[g] >= 0 {
					out.WriteString(s[m[g]:m[g+1]])
				}
				i++
			case next == '&':
				out.WriteString(s[m[0]:m[1]])
				i++
			case next == '\\':
				out.WriteByte('\\')
				i++
			default:
				out.WriteByte('\\')
			}
		}
		last = m[1]
	}
	out.WriteString(s[last:])
	return types.StrDatum(out.String()), nil
}

// regexpLikeImpl is regexp_like(string, pattern [, flags]).
func regexpLikeImpl(_ *funcCall, row []types.Datum) (types.Datum, error) {
	re, _, err := regexArgs(row, 2, false, "regexp_like")
	if err != nil {
		return types.Datum{}, err
	}
	return types.BoolDatum(re.MatchString(row[0].Str)), nil
}

// regexpCountImpl is regexp_count(string, pattern [, start [, flags]]):
// the matches from character start (1 by default) on.
func regexpCountImpl(_ *funcCall, row []types.Datum) (types.Datum, error) {
	re, _, err := regexArgs(row, 3, false, "regexp_count")
	if err != nil {
		return types.Datum{}, err
	}
	s := row[0].Str
	if len(row) > 2 {
		start := row[2].Int
		if start <= 0 {
			return types.Datum{}, pgerr.New(invalidParameterValue, "invalid value for parameter \"%s\": %s", "start", strconv.FormatInt(start, 10))
		}
		s = s[charOffset(s, start-1):]
	}
	return types.IntDatum(int64(len(re.FindAllStringIndex(s, -1)))), nil
}

func init() {
	text, i4 := types.TText, types.TInt4
	textArray := types.Type{Kind: types.TextArray}
	strict := func(result types.Type, f rowImpl, params ...types.Type) funcSig {
		return funcSig{params: params, result: result, impl: perRow(f)}
	}
	register([]funcSig{strict(textArray, regexpSplitImpl, text, text), strict(textArray, regexpSplitImpl, text, text, text)}, "regexp_split_to_array")
	register([]funcSig{strict(textArray, regexpMatchImpl, text, text), strict(textArray, regexpMatchImpl, text, text, text)}, "regexp_match")
	register([]funcSig{strict(text, regexpReplaceImpl, text, text, text), strict(text, regexpReplaceImpl, text, text, text, text)}, "regexp_replace")
	register([]funcSig{strict(types.TBool, regexpLikeImpl, text, text), strict(types.TBool, regexpLikeImpl, text, text, text)}, "regexp_like")
	register([]funcSig{strict(i4, regexpCountImpl, text, text), strict(i4, regexpCountImpl, text, text, i4), strict(i4, regexpCountImpl, text, text, i4, text)}, "regexp_count")
	setFunctions["regexp_matches"] = []setFunc{
		{sig: funcSig{params: []types.Type{text, text}, result: textArray}, rows: regexpMatchesRows},
		{sig: funcSig{params: []types.Type{text, text, text}, result: textArray}, rows: regexpMatchesRows},
	}
}
