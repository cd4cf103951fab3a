package functions

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/types"
)

// The regexp_* functions, over PostgreSQL's regular expressions as
// pgRegex runs them. Positions and counts are in characters.

// regexArgs compiles a call's pattern (its second argument) with the
// flags in argument flagsAt, when the call has it.
func regexArgs(row []types.Datum, flagsAt int, globalAllowed bool, name string) (*pgRegex, regexOptions, error) {
	var o regexOptions
	if flagsAt >= 0 && flagsAt < len(row) {
		var err error
		if o, err = parseRegexOptions(row[flagsAt].Str, globalAllowed, name); err != nil {
			return nil, o, err
		}
	}
	re, err := compilePGRegex(row[1].Str, o)
	return re, o, err
}

// badRegexParam is PostgreSQL's error for an out-of-range numeric
// argument of the regexp functions.
func badRegexParam(name string, v int64) error {
	return pgerr.New(invalidParameterValue, "invalid value for parameter \"%s\": %s", name, strconv.FormatInt(v, 10))
}

// intArg reads optional integer argument i, def when absent, and checks
// that it is at least lowest.
func intArg(row []types.Datum, i int, def, lowest int64, name string) (int64, error) {
	if i >= len(row) {
		return def, nil
	}
	if v := row[i].Int; v < lowest {
		return 0, badRegexParam(name, v)
	}
	return row[i].Int, nil
}

// startOffset is the byte offset of 1-based character start, or -1 when
// start is past the end of s.
func startOffset(s string, start int64) int {
	if start-1 > int64(utf8.RuneCountInString(s)) {
		return -1
	}
	return charOffset(s, start-1)
}

// regexpSplitImpl is regexp_split_to_array(string, pattern [, flags]).
func regexpSplitImpl(_ *funcCall, row []types.Datum) (types.Datum, error) {
	parts, err := regexpSplit(row, "regexp_split_to_array")
	if err != nil {
		return types.Datum{}, err
	}
	elems := make([]arrayElem, len(parts))
	for i, p := range parts {
		elems[i] = arrayElem{text: p}
	}
	return textArrayDatum(elems), nil
}

// regexpSplit cuts the string at the pattern's matches, leaving out the
// empty matches at either end and right after another match.
func regexpSplit(row []types.Datum, name string) ([]string, error) {
	re, _, err := regexArgs(row, 2, false, name)
	if err == nil {
		err = re.checkSpans()
	}
	if err != nil {
		return nil, err
	}
	s := row[0].Str
	var parts []string
	last := 0
	for _, m := range re.matchAll(s, 0, true, true, 0) {
		parts = append(parts, s[last:m[0]])
		last = m[1]
	}
	return append(parts, s[last:]), nil
}

// regexpSplitRows is the set-returning regexp_split_to_table.
func regexpSplitRows(_ []types.Type, args []types.Datum) (rowGenerator, error) {
	parts, err := regexpSplit(args, "regexp_split_to_table")
	if err != nil {
		return nil, err
	}
	out := &listRows{}
	for _, p := range parts {
		out.rows = append(out.rows, []types.Datum{types.StrDatum(p)})
	}
	return out, nil
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
	if err == nil {
		err = re.checkGroups()
	}
	if err != nil {
		return types.Datum{}, err
	}
	m := re.search(row[0].Str, 0)
	if m == nil {
		return types.NullDatum, nil
	}
	return textArrayDatum(matchElems(row[0].Str, m)), nil
}

// regexpMatchesRows is the set-returning regexp_matches(string, pattern
// [, flags]): one row per match, every match with the g flag.
func regexpMatchesRows(_ []types.Type, args []types.Datum) (rowGenerator, error) {
	re, o, err := regexArgs(args, 2, true, "regexp_matches")
	if err == nil {
		err = re.checkGroups()
	}
	if err != nil {
		return nil, err
	}
	s := args[0].Str
	out := &listRows{}
	for _, m := range re.matchAll(s, 0, o.global, false, 0) {
		out.rows = append(out.rows, []types.Datum{textArrayDatum(matchElems(s, m))})
	}
	return out, nil
}

// regexpReplaceImpl is regexp_replace(source, pattern, replacement
// [, start [, N]] [, flags]): the N'th match from character start on
// replaced, or every one when N is 0 or, without N, with the g flag. In
// the replacement \1 to \9 stand for a group, \& for the whole match and
// \\ for a backslash.
func regexpReplaceImpl(fc *funcCall, row []types.Datum) (types.Datum, error) {
	flagsAt, start, n := 3, int64(1), int64(-1)
	if len(row) > 3 && fc.argTypes[3].Kind != types.Text {
		var err error
		if start, err = intArg(row, 3, 1, 1, "start"); err != nil {
			return types.Datum{}, err
		}
		if n, err = intArg(row, 4, -1, 0, "n"); err != nil {
			return types.Datum{}, err
		}
		flagsAt = 5
	}
	re, o, err := regexArgs(row, flagsAt, true, "regexp_replace")
	if err == nil {
		err = re.checkSpans()
	}
	if err == nil && refersToGroup(row[2].Str) {
		err = re.checkGroups()
	}
	if err != nil {
		return types.Datum{}, err
	}
	if n < 0 { // N not given: the g flag decides
		n = 1
		if o.global {
			n = 0
		}
	}
	s, repl := row[0].Str, row[2].Str
	from := startOffset(s, start)
	if from < 0 {
		return row[0], nil
	}
	matches := re.matchAll(s, from, true, false, int(n))
	if n > 0 {
		if int64(len(matches)) < n {
			return row[0], nil
		}
		matches = matches[n-1:]
	}
	var out strings.Builder
	last := 0
	for _, m := range matches {
		out.WriteString(s[last:m[0]])
		writeReplacement(&out, s, repl, m)
		last = m[1]
	}
	out.WriteString(s[last:])
	return types.StrDatum(out.String()), nil
}

// refersToGroup reports whether a replacement names a group (\1 to \9).
func refersToGroup(repl string) bool {
	for i := 0; i+1 < len(repl); i++ {
		if repl[i] == '\\' {
			if repl[i+1] >= '1' && repl[i+1] <= '9' {
				return true
			}
			i++
		}
	}
	return false
}

// writeReplacement writes regexp_replace's replacement for match m.
func writeReplacement(out *strings.Builder, s, repl string, m []int) {
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
}

// regexpLikeImpl is regexp_like(string, pattern [, flags]).
func regexpLikeImpl(_ *funcCall, row []types.Datum) (types.Datum, error) {
	re, _, err := regexArgs(row, 2, false, "regexp_like")
	if err != nil {
		return types.Datum{}, err
	}
	return types.BoolDatum(re.re.MatchString(row[0].Str)), nil
}

// regexpCountImpl is regexp_count(string, pattern [, start [, flags]]):
// the matches from character start on.
func regexpCountImpl(_ *funcCall, row []types.Datum) (types.Datum, error) {
	start, err := intArg(row, 2, 1, 1, "start")
	if err != nil {
		return types.Datum{}, err
	}
	re, _, err := regexArgs(row, 3, false, "regexp_count")
	if err == nil {
		err = re.checkSpans()
	}
	if err != nil {
		return types.Datum{}, err
	}
	s := row[0].Str
	from := startOffset(s, start)
	if from < 0 {
		return types.IntDatum(0), nil
	}
	return types.IntDatum(int64(len(re.matchAll(s, from, true, false, 0)))), nil
}

// nthMatch finds the match regexp_instr and regexp_substr report: the
// N'th from character start on (arguments 2 and 3), and the span of its
// group subexpr (0 for the whole match); ok is false when there is no
// such match or group.
func nthMatch(row []types.Datum, flagsAt, subexprAt int, name string) (lo, hi int, ok bool, err error) {
	start, err := intArg(row, 2, 1, 1, "start")
	if err != nil {
		return 0, 0, false, err
	}
	n, err := intArg(row, 3, 1, 1, "n")
	if err != nil {
		return 0, 0, false, err
	}
	subexpr, err := intArg(row, subexprAt, 0, 0, "subexpr")
	if err != nil {
		return 0, 0, false, err
	}
	re, _, err := regexArgs(row, flagsAt, false, name)
	if err == nil {
		err = re.checkSpans()
	}
	if err == nil && subexpr > 0 {
		err = re.checkGroups()
	}
	if err != nil {
		return 0, 0, false, err
	}
	s := row[0].Str
	from := startOffset(s, start)
	if from < 0 {
		return 0, 0, false, nil
	}
	matches := re.matchAll(s, from, true, false, int(n))
	if int64(len(matches)) < n {
		return 0, 0, false, nil
	}
	m := matches[n-1]
	g := int(subexpr) * 2
	if g+1 >= len(m) || m[g] < 0 {
		return 0, 0, false, nil
	}
	return m[g], m[g+1], true, nil
}

// regexpInstrImpl is regexp_instr(string, pattern [, start [, N
// [, endoption [, flags [, subexpr]]]]]): where the match begins, or
// where it ends with endoption 1; 0 for no match.
func regexpInstrImpl(_ *funcCall, row []types.Datum) (types.Datum, error) {
	end, err := intArg(row, 4, 0, 0, "endoption")
	if err != nil {
		return types.Datum{}, err
	}
	if end > 1 {
		return types.Datum{}, badRegexParam("endoption", end)
	}
	lo, hi, ok, err := nthMatch(row, 5, 6, "regexp_instr")
	if err != nil || !ok {
		return types.IntDatum(0), err
	}
	at := lo
	if end == 1 {
		at = hi
	}
	return types.IntDatum(int64(utf8.RuneCountInString(row[0].Str[:at])) + 1), nil
}

// regexpSubstrImpl is regexp_substr(string, pattern [, start [, N
// [, flags [, subexpr]]]]): the matched text, or NULL.
func regexpSubstrImpl(_ *funcCall, row []types.Datum) (types.Datum, error) {
	lo, hi, ok, err := nthMatch(row, 4, 5, "regexp_substr")
	if err != nil || !ok {
		return types.NullDatum, err
	}
	return types.StrDatum(row[0].Str[lo:hi]), nil
}

func init() {
	text, i4 := types.TText, types.TInt4
	textArray := types.Type{Kind: types.TextArray}
	strict := func(result types.Type, f rowImpl, params ...types.Type) funcSig {
		return funcSig{params: params, result: result, impl: perRow(f)}
	}
	// withArities registers f with every prefix of params from min on.
	withArities := func(result types.Type, f rowImpl, min int, params ...types.Type) []funcSig {
		var sigs []funcSig
		for n := min; n <= len(params); n++ {
			sigs = append(sigs, strict(result, f, params[:n]...))
		}
		return sigs
	}
	register(withArities(textArray, regexpSplitImpl, 2, text, text, text), "regexp_split_to_array")
	register(withArities(textArray, regexpMatchImpl, 2, text, text, text), "regexp_match")
	register(append(withArities(text, regexpReplaceImpl, 3, text, text, text, text),
		withArities(text, regexpReplaceImpl, 4, text, text, text, i4, i4, text)...), "regexp_replace")
	register(withArities(types.TBool, regexpLikeImpl, 2, text, text, text), "regexp_like")
	register(withArities(i4, regexpCountImpl, 2, text, text, i4, text), "regexp_count")
	register(withArities(i4, regexpInstrImpl, 2, text, text, i4, i4, i4, text, i4), "regexp_instr")
	register(withArities(text, regexpSubstrImpl, 2, text, text, i4, i4, text, i4), "regexp_substr")
	textSet := func(result types.Type, rows func([]types.Type, []types.Datum) (rowGenerator, error)) []setFunc {
		return []setFunc{
			{sig: funcSig{params: []types.Type{text, text}, result: result}, rows: rows},
			{sig: funcSig{params: []types.Type{text, text, text}, result: result}, rows: rows},
		}
	}
	setFunctions["regexp_matches"] = textSet(textArray, regexpMatchesRows)
	setFunctions["regexp_split_to_table"] = textSet(text, regexpSplitRows)
}
