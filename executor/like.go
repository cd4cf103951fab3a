package executor

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/junction-db/junction/executor/functions"
	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
	"github.com/junction-db/junction/vector"
)

// likeShape classifies a LIKE pattern so that the common shapes avoid the
// general matcher.
type likeShape uint8

const (
	likeExact    likeShape = iota // no wildcard
	likePrefix                    // literal%
	likeSuffix                    // %literal
	likeContains                  // %literal%
	likeAny                       // % alone
	likeGeneral
)

type likeTokKind uint8

const (
	likeLit  likeTokKind = iota // one literal byte
	likeOne                     // _ : one character
	likeMany                    // % : any characters
)

type likeTok struct {
	kind likeTokKind
	b    byte
}

// likePattern is a compiled LIKE/ILIKE pattern (escape character backslash).
type likePattern struct {
	shape likeShape
	lit   string
	toks  []likeTok
	fold  bool // ILIKE: compare lower-cased
	// bytewise: bytea LIKE, where _ is one byte, not one character.
	bytewise bool
}

func compileLike(p string, fold, bytewise bool) (*likePattern, error) {
	if fold {
		p = strings.ToLower(p)
	}
	lp := &likePattern{fold: fold, bytewise: bytewise}
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch c {
		case '\\':
			i++
			if i == len(p) {
				return nil, pgerr.New(pgerr.InvalidEscapeSequence, "LIKE pattern must not end with escape character")
			}
			lp.toks = append(lp.toks, likeTok{kind: likeLit, b: p[i]})
		case '%':
			if n := len(lp.toks); n == 0 || lp.toks[n-1].kind != likeMany {
				lp.toks = append(lp.toks, likeTok{kind: likeMany})
			}
		case '_':
			lp.toks = append(lp.toks, likeTok{kind: likeOne})
		default:
			lp.toks = append(lp.toks, likeTok{kind: likeLit, b: c})
		}
	}
	lp.classify()
	return lp, nil
}

// classify recognises literal, literal%, %literal, %literal% and %.
func (lp *likePattern) classify() {
	toks := lp.toks
	lp.shape = likeGeneral
	leading := len(toks) > 0 && toks[0].kind == likeMany
	trailing := len(toks) > 0 && toks[len(toks)-1].kind == likeMany
	inner := toks
	if leading {
		inner = inner[1:]
	}
	if trailing && len(inner) > 0 {
		inner = inner[:len(inner)-1]
	}
	var lit strings.Builder
	for _, t := range inner {
		if t.kind != likeLit {
			return
		}
		lit.WriteByte(t.b)
	}
	lp.lit = lit.String()
	switch {
	case leading && len(toks) == 1:
		lp.shape = likeAny
	case leading && trailing:
		lp.shape = likeContains
	case leading:
		lp.shape = likeSuffix
	case trailing:
		lp.shape = likePrefix
	default:
		lp.shape = likeExact
	}
}

func (lp *likePattern) match(s string) bool {
	if lp.fold {
		s = strings.ToLower(s)
	}
	switch lp.shape {
	case likeExact:
		return s == lp.lit
	case likePrefix:
		return strings.HasPrefix(s, lp.lit)
	case likeSuffix:
		return strings.HasSuffix(s, lp.lit)
	case likeContains:
		return strings.Contains(s, lp.lit)
	case likeAny:
		return true
	}
	return matchLikeTokens(s, lp.toks, lp.bytewise)
}

// matchLikeTokens is the classic wildcard matcher: on a mismatch it lets
// the last % absorb one more character and retries from there. _ and the
// backtracking step move by whole UTF-8 characters, or by bytes when
// bytewise.
func matchLikeTokens(s string, toks []likeTok, bytewise bool) bool {
	step := func(s string) int {
		if bytewise {
			return 1
		}
		_, size := utf8.DecodeRuneInString(s)
		return size
	}
	si, ti := 0, 0
	starT, starS := -1, 0
	for si < len(s) {
		if ti < len(toks) {
			switch t := toks[ti]; t.kind {
			case likeMany:
				starT, starS = ti, si
				ti++
				continue
			case likeOne:
				si += step(s[si:])
				ti++
				continue
			case likeLit:
				if s[si] == t.b {
					si++
					ti++
					continue
				}
			}
		}
		if starT < 0 {
			return false
		}
		starS += step(s[starS:])
		si, ti = starS, starT+1
	}
	for ti < len(toks) && toks[ti].kind == likeMany {
		ti++
	}
	return ti == len(toks)
}

// likeEval is Arg [NOT] LIKE/ILIKE Pattern.
type likeEval struct {
	arg, pattern evaluator
	fold         bool
	bytewise     bool
	negated      bool
	compiled     *likePattern // for a constant pattern
	compileErr   error        // reported when a row is evaluated
}

func (b *builder) like(e *plan.Like) (evaluator, error) {
	arg, err := b.expr(e.Arg)
	if err != nil {
		return nil, err
	}
	pat, err := b.expr(e.Pattern)
	if err != nil {
		return nil, err
	}
	bytewise := e.Arg.Type().Kind == types.Bytea
	out := &likeEval{arg: arg, pattern: pat, fold: e.CaseInsensitive, bytewise: bytewise, negated: e.Negated}
	if c, ok := e.Pattern.(*plan.Const); ok && !c.Value.Null {
		pattern := c.Value.Str
		if bytewise {
			pattern = string(c.Value.Bytes)
		}
		out.compiled, out.compileErr = compileLike(pattern, e.CaseInsensitive, bytewise)
	}
	return out, nil
}

func (e *likeEval) eval(b *vector.Batch) (*vector.Vector, error) {
	lp := e.compiled
	return matchStrings(b, e.arg, e.pattern, e.compileErr, func(value, pattern string, constPattern bool) (bool, error) {
		if lp == nil || !constPattern {
			var err error
			if lp, err = compileLike(pattern, e.fold, e.bytewise); err != nil {
				return false, err
			}
		}
		return lp.match(value) != e.negated, nil
	})
}

// matchStrings evaluates a string predicate (LIKE, regular expressions)
// of a value and a pattern with SQL's NULL rules; match gets each row's
// value and pattern and whether the pattern is one constant for all rows.
// compileErr, the error of compiling a constant pattern, is raised on the
// first row that needs the pattern.
func matchStrings(b *vector.Batch, arg, pattern evaluator, compileErr error, match func(value, pattern string, constPattern bool) (bool, error)) (*vector.Vector, error) {
	v, err := arg.eval(b)
	if err != nil {
		return nil, err
	}
	p, err := pattern.eval(b)
	if err != nil {
		return nil, err
	}
	n := b.Len
	if vector.IsNullConst(v, n) || vector.IsNullConst(p, n) {
		return vector.NullConst(types.TBool), nil
	}
	if vector.IsConst(v, n) && vector.IsConst(p, n) {
		n = 1
	}
	out := vector.Make(types.TBool, n)
	out.Nulls = vector.StrictNulls(n, v, p)
	vm, pm := vector.RowMask(v, n), vector.RowMask(p, n)
	for i := range out.Bool {
		if out.Nulls.Get(i) {
			continue
		}
		if compileErr != nil {
			return nil, compileErr
		}
		if out.Bool[i], err = match(stringAt(v, i&vm), stringAt(p, i&pm), pm == 0); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// stringAt is a string or bytea value as a string of its bytes.
func stringAt(v *vector.Vector, i int) string {
	if v.Type.Physical() == types.PhysBytes {
		return string(v.Bytes[i])
	}
	return v.Str[i]
}

// regexEval is ~, ~*, !~ and !~*. Patterns are PostgreSQL advanced regular
// expressions translated to Go's RE2 syntax (see translateRegex).
type regexEval struct {
	arg, pattern evaluator
	fold         bool
	negated      bool
	compiled     *regexp.Regexp // for a constant pattern
	compileErr   error
	cache        map[string]*regexp.Regexp
}

// regexCacheSize bounds the compiled patterns kept for a non-constant
// pattern column.
const regexCacheSize = 256

func (b *builder) regex(e *plan.Op, args []evaluator) (evaluator, error) {
	out := &regexEval{arg: args[0], pattern: args[1],
		fold:    e.Op == plan.OpRegexI || e.Op == plan.OpNRegexI,
		negated: e.Op == plan.OpNRegex || e.Op == plan.OpNRegexI}
	if c, ok := e.Args[1].(*plan.Const); ok && !c.Value.Null {
		out.compiled, out.compileErr = functions.CompileRegex(c.Value.Str, out.fold)
	}
	return out, nil
}

func (e *regexEval) eval(b *vector.Batch) (*vector.Vector, error) {
	return matchStrings(b, e.arg, e.pattern, e.compileErr, func(value, pattern string, _ bool) (bool, error) {
		re := e.compiled
		if re == nil {
			var err error
			if re, err = e.lookup(pattern); err != nil {
				return false, err
			}
		}
		return re.MatchString(value) != e.negated, nil
	})
}

func (e *regexEval) lookup(pattern string) (*regexp.Regexp, error) {
	if re, ok := e.cache[pattern]; ok {
		return re, nil
	}
	re, err := functions.CompileRegex(pattern, e.fold)
	if err != nil {
		return nil, err
	}
	if e.cache == nil || len(e.cache) >= regexCacheSize {
		e.cache = map[string]*regexp.Regexp{}
	}
	e.cache[pattern] = re
	return re, nil
}
