package functions

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/junction-db/junction/pgerr"
)

// PostgreSQL's advanced regular expressions run on Go's RE2 engine: the
// pattern is translated (translateRegex), its options become RE2 flags,
// and a pattern that PostgreSQL matches greedily as a whole prefers the
// leftmost-longest match, as PostgreSQL does. Searching from a position
// keeps the character before it in view, so ^, \m and the like see the
// same context as in PostgreSQL.

// regexOptions are the flags of the regexp_* functions.
type regexOptions struct {
	fold   bool // i
	global bool // g
	// lineDot keeps . and negated brackets from matching a newline (n, p).
	lineDot bool
	// lineAnchors lets ^ and $ match at newlines (n, w).
	lineAnchors bool
	expanded    bool // x: white space and # comments are ignored
	literal     bool // q: the pattern is a literal string
}

// parseRegexOptions reads a flags argument; g is refused unless
// globalAllowed, with the hint PostgreSQL gives.
func parseRegexOptions(flags string, globalAllowed bool, name string) (regexOptions, error) {
	var o regexOptions
	for _, c := range flags {
		switch c {
		case 'i':
			o.fold = true
		case 'c':
			o.fold = false
		case 'g':
			if !globalAllowed {
				return o, pgerr.New(invalidParameterValue, "%s() does not support the \"global\" option", name).
					WithHint("Use the regexp_matches function instead.")
			}
			o.global = true
		case 'n', 'm':
			o.lineDot, o.lineAnchors = true, true
		case 'p':
			o.lineDot, o.lineAnchors = true, false
		case 'w':
			o.lineDot, o.lineAnchors = false, true
		case 's':
			o.lineDot, o.lineAnchors = false, false
		case 'x':
			o.expanded = true
		case 't':
			o.expanded = false
		case 'q':
			o.literal = true
		case 'b', 'e':
			return o, pgerr.NotSupported("basic and extended POSIX regular expressions (flags b and e)")
		default:
			return o, pgerr.New(invalidParameterValue, "invalid regular expression option: \"%s\"", string(c))
		}
	}
	return o, nil
}

// pgRegex is a compiled pattern.
type pgRegex struct {
	re *regexp.Regexp
	// src and flags rebuild the pattern behind one character of context
	// for searches from a position (see search).
	src, flags string
	longest    bool
	behind     *regexp.Regexp
	traits     patternTraits
}

// checkSpans refuses a pattern whose match boundaries RE2 would place
// otherwise than PostgreSQL.
func (r *pgRegex) checkSpans() error {
	if !r.traits.spansLikePostgres() {
		return pgerr.NotSupported("matching a non-greedy regular expression that has alternatives or greedy quantifiers too")
	}
	return nil
}

// checkGroups refuses a pattern whose capturing groups RE2 would fill
// otherwise than PostgreSQL.
func (r *pgRegex) checkGroups() error {
	if !r.traits.groupsLikePostgres() {
		return pgerr.NotSupported("capturing groups in a regular expression with alternatives or a non-greedy start")
	}
	return nil
}

func compilePGRegex(pattern string, o regexOptions) (*pgRegex, error) {
	src, traits := regexp.QuoteMeta(pattern), patternTraits{greedy: true}
	if !o.literal {
		var err error
		if src, err = translateRegex(pattern, o); err != nil {
			return nil, err
		}
		traits = traitsOf(pattern)
	}
	longest := traits.greedy
	flags := "(?"
	if o.fold {
		flags += "i"
	}
	if !o.lineDot {
		flags += "s"
	}
	if o.lineAnchors {
		flags += "m"
	}
	flags += ")"
	if flags == "(?)" {
		flags = ""
	}
	re, err := regexp.Compile(flags + src)
	if err != nil {
		return nil, pgerr.New(pgerr.InvalidRegex, "invalid regular expression: %s", regexErrorText(err))
	}
	if longest {
		re.Longest()
	}
	return &pgRegex{re: re, src: src, flags: flags, longest: longest, traits: traits}, nil
}

// search returns the submatch offsets of the first match starting at
// byte pos or later, or nil.
func (r *pgRegex) search(s string, pos int) []int {
	for pos <= len(s) {
		if pos == 0 {
			return r.re.FindStringSubmatchIndex(s)
		}
		_, w := utf8.DecodeLastRuneInString(s[:pos])
		base := pos - w
		m := r.re.FindStringSubmatchIndex(s[base:])
		if m == nil {
			return nil
		}
		if m[0] < w {
			// The match starts on the context character; one starting
			// at pos itself has the pattern behind that character.
			m = r.behindRe().FindStringSubmatchIndex(s[base:])
			if m != nil {
				m[0] = w
			}
		}
		if m != nil {
			for i := range m {
				if m[i] >= 0 {
					m[i] += base
				}
			}
			return m
		}
		if pos == len(s) {
			return nil
		}
		_, size := utf8.DecodeRuneInString(s[pos:])
		pos += size
	}
	return nil
}

// behindRe matches the pattern right after one character.
func (r *pgRegex) behindRe() *regexp.Regexp {
	if r.behind == nil {
		r.behind = regexp.MustCompile(r.flags + `\A(?s:.)(?:` + r.src + `)`)
		if r.longest {
			r.behind.Longest()
		}
	}
	return r.behind
}

// matchAll lists the matches PostgreSQL's regexp functions iterate:
// from byte start on, each search beginning where the last match ended
// (one character further after an empty match), at most limit (all when
// limit <= 0), only the first unless global. skipDegenerate leaves out
// the empty matches at either end of the string and right after
// another match, as the regexp_split functions do.
func (r *pgRegex) matchAll(s string, start int, global, skipDegenerate bool, limit int) [][]int {
	var out [][]int
	prevEnd := 0
	for pos := start; pos <= len(s); {
		m := r.search(s, pos)
		if m == nil {
			break
		}
		if !skipDegenerate || (m[0] < len(s) && m[1] > prevEnd) {
			out = append(out, m)
			if limit > 0 && len(out) >= limit {
				break
			}
		}
		prevEnd = m[1]
		if !global {
			break
		}
		pos = m[1]
		if m[0] == m[1] {
			if pos == len(s) {
				break
			}
			_, size := utf8.DecodeRuneInString(s[pos:])
			pos += size
		}
	}
	return out
}

// patternTraits are what matching with RE2 needs to know of a pattern's
// structure.
type patternTraits struct {
	// greedy: PostgreSQL matches the pattern as a whole preferring the
	// longest match. A pattern with a top-level | is greedy, otherwise
	// it is as greedy as its first quantifier that is not a fixed
	// repetition, and greedy without one.
	greedy bool
	// alternation, groups, greedyQuantifier and lazyQuantifier say
	// whether the pattern has a |, a capturing group and a quantifier of
	// either kind anywhere.
	alternation, groups, greedyQuantifier, lazyQuantifier bool
}

func traitsOf(p string) patternTraits {
	var t patternTraits
	depth, inBracket := 0, false
	first, topAlternation := 0, false // first: 1 greedy, -1 non-greedy
	for i := 0; i < len(p); i++ {
		c := p[i]
		if inBracket {
			if c == ']' {
				inBracket = false
			} else if c == '[' && i+1 < len(p) && strings.IndexByte(":.=", p[i+1]) >= 0 {
				if end := strings.Index(p[i+2:], string(p[i+1])+"]"); end >= 0 {
					i += end + 3
				}
			}
			continue
		}
		switch c {
		case '\\':
			i++
		case '[':
			inBracket = true
			if i+1 < len(p) && p[i+1] == '^' {
				i++
			}
			if i+1 < len(p) && p[i+1] == ']' {
				i++
			}
		case '(':
			depth++
			if i+1 < len(p) && p[i+1] == '?' {
				i++
			} else {
				t.groups = true
			}
		case ')':
			depth--
		case '|':
			t.alternation = true
			topAlternation = topAlternation || depth == 0
		case '*', '+', '?', '{':
			if c == '{' {
				end := strings.IndexByte(p[i:], '}')
				if end < 0 {
					continue
				}
				bounds := p[i+1 : i+end]
				i += end
				if !strings.Contains(bounds, ",") {
					if i+1 < len(p) && p[i+1] == '?' {
						i++
					}
					continue // a fixed repetition has no greediness
				}
			}
			lazy := i+1 < len(p) && p[i+1] == '?'
			if lazy {
				i++
				t.lazyQuantifier = true
			} else {
				t.greedyQuantifier = true
			}
			if first == 0 {
				first = 1
				if lazy {
					first = -1
				}
			}
		}
	}
	t.greedy = topAlternation || first >= 0
	return t
}

// spansLikePostgres reports whether RE2 finds the matches PostgreSQL
// finds. A non-greedy pattern asks for the shortest match, which RE2's
// leftmost-first search finds only while every quantifier is lazy and
// no alternation offers a longer branch first.
func (t patternTraits) spansLikePostgres() bool {
	return t.greedy || !t.alternation && !t.greedyQuantifier
}

// groupsLikePostgres reports whether RE2 fills the capturing groups as
// PostgreSQL does, which prefers the longest branch of an alternation
// where RE2 takes the first that fits.
func (t patternTraits) groupsLikePostgres() bool {
	return t.spansLikePostgres() && !(t.groups && t.alternation)
}

// translateRegex rewrites the parts of PostgreSQL's regular expression
// syntax that RE2 spells differently: the word-boundary escapes \m \M \y
// \Y, the end anchor \Z and the bracket boundaries [[:<:]] and [[:>:]];
// with the x option it drops white space and comments, and where a
// newline ends lines for . it keeps negated brackets off newlines too.
// Back-references, which RE2 cannot run, are rejected.
func translateRegex(p string, o regexOptions) (string, error) {
	var out strings.Builder
	for i := 0; i < len(p); i++ {
		c := p[i]
		if strings.HasPrefix(p[i:], "[[:<:]]") || strings.HasPrefix(p[i:], "[[:>:]]") {
			out.WriteString(`\b`)
			i += len("[[:<:]]") - 1
			continue
		}
		if c == '[' {
			end := bracketEnd(p, i)
			if end < 0 {
				out.WriteString(p[i:])
				break
			}
			if o.lineDot && i+1 < len(p) && p[i+1] == '^' {
				out.WriteString(p[i:end] + `\n]`)
			} else {
				out.WriteString(p[i : end+1])
			}
			i = end
			continue
		}
		if o.expanded {
			if c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' {
				continue
			}
			if c == '#' {
				for i < len(p) && p[i] != '\n' {
					i++
				}
				continue
			}
		}
		if c == '(' && (strings.HasPrefix(p[i:], "(?=") || strings.HasPrefix(p[i:], "(?!") ||
			strings.HasPrefix(p[i:], "(?<=") || strings.HasPrefix(p[i:], "(?<!")) {
			return "", pgerr.NotSupported("lookahead and lookbehind constraints in regular expressions")
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
			if o.expanded && (e == ' ' || e == '#' || e == '\t' || e == '\n') {
				out.WriteString(regexp.QuoteMeta(string(e)))
				continue
			}
			out.WriteByte('\\')
			out.WriteByte(e)
		}
	}
	return out.String(), nil
}

// bracketEnd is the index of the ] closing the bracket expression that
// opens at p[open], or -1.
func bracketEnd(p string, open int) int {
	i := open + 1
	if i < len(p) && p[i] == '^' {
		i++
	}
	if i < len(p) && p[i] == ']' {
		i++
	}
	for ; i < len(p); i++ {
		switch {
		case p[i] == ']':
			return i
		case p[i] == '\\':
			i++
		case p[i] == '[' && i+1 < len(p) && strings.IndexByte(":.=", p[i+1]) >= 0:
			end := strings.Index(p[i+2:], string(p[i+1])+"]")
			if end < 0 {
				return -1
			}
			i += end + 3
		}
	}
	return -1
}
