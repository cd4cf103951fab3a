package functions

import (
	"strconv"
	"strings"

	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/types"
)

// Arrays travel through Junction in PostgreSQL's text form: '{a,"b c",NULL}',
// '{{1,2},{3,4}}' for two dimensions, '[0:2]={1,2,3}' when a lower bound is
// not 1, and '1 2 3' for int2vector, whose subscripts start at 0. An
// arrayValue is that form read into dimensions and elements, so that
// subscripts, bounds, concatenation and casts follow PostgreSQL's rules.

// maxArrayDims is PostgreSQL's MAXDIM.
const maxArrayDims = 6

// SQLSTATEs pgerr has no name for.
const (
	arraySubscriptError = "2202E"
	nullValueNotAllowed = "22004"
)

// arrayValue is an array read from its text form.
type arrayValue struct {
	// lower and dims are the lower bound and the length of each dimension;
	// an empty array has none.
	lower, dims []int
	// elems are the elements in storage order, the last subscript varying
	// fastest, each in its element type's text form.
	elems []arrayElem
}

type arrayElem struct {
	text string
	null bool
}

// ArrayElement returns the element type of an array type; ok is false for
// a type that is not an array.
func ArrayElement(t types.Type) (types.Type, bool) { return t.Elem() }

// ArrayOf returns the array type with elements of type t; ok is false
// when Junction has no such array type.
func ArrayOf(t types.Type) (types.Type, bool) { return types.ArrayOf(t) }

func isArrayKind(k types.Kind) bool { return types.Type{Kind: k}.IsArray() }

// emptyArray is the array without elements.
var emptyArray = &arrayValue{}

// count is the number of elements.
func (a *arrayValue) count() int { return len(a.elems) }

// parseArray reads the text form of an array of type t, checking every
// element against the element type and writing it in its canonical form.
func parseArray(t types.Type, s string) (*arrayValue, error) {
	elem, ok := ArrayElement(t)
	if !ok {
		return nil, pgerr.New(pgerr.InternalError, "type %s is not an array type", t.String())
	}
	if t.Kind == types.Int2Vector {
		return parseVector(elem, s)
	}
	p := &arrayParser{src: s, elem: elem, leafDepth: -1}
	if err := p.parse(); err != nil {
		return nil, err
	}
	return &p.arr, nil
}

// parseVector reads int2vector's form: elements separated by spaces,
// subscripted from 0.
func parseVector(elem types.Type, s string) (*arrayValue, error) {
	fields := strings.Fields(s)
	if len(fields) == 0 {
		return emptyArray, nil
	}
	a := &arrayValue{lower: []int{0}, dims: []int{len(fields)}}
	for _, f := range fields {
		d, err := types.ParseText(elem, f)
		if err != nil {
			return nil, err
		}
		a.elems = append(a.elems, arrayElem{text: types.FormatText(elem, d)})
	}
	return a, nil
}

// arrayParser implements PostgreSQL's array_in for one value.
type arrayParser struct {
	src  string
	pos  int
	elem types.Type
	arr  arrayValue
	// leafDepth is the nesting depth of the elements, -1 until the first.
	leafDepth int
}

func (p *arrayParser) malformed(detail string) error {
	e := pgerr.New(pgerr.InvalidTextRep, "malformed array literal: \"%s\"", p.src)
	e.Detail = detail
	return e
}

func isArraySpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

func (p *arrayParser) skipSpace() {
	for p.pos < len(p.src) && isArraySpace(p.src[p.pos]) {
		p.pos++
	}
}

func (p *arrayParser) peek() byte {
	if p.pos < len(p.src) {
		return p.src[p.pos]
	}
	return 0
}

func (p *arrayParser) parse() error {
	p.skipSpace()
	var lower, upper []int
	for p.peek() == '[' {
		lo, hi, err := p.bounds()
		if err != nil {
			return err
		}
		lower, upper = append(lower, lo), append(upper, hi)
		p.skipSpace()
	}
	if len(lower) > 0 {
		if p.peek() != '=' {
			return p.malformed("Missing \"=\" after array dimensions.")
		}
		p.pos++
		p.skipSpace()
	}
	if p.peek() != '{' {
		return p.malformed("Array value must start with \"{\" or dimension information.")
	}
	if err := p.level(0); err != nil {
		return err
	}
	p.skipSpace()
	if p.pos < len(p.src) {
		return p.malformed("Junk after closing right brace.")
	}
	if len(p.arr.elems) == 0 {
		p.arr = arrayValue{}
		if len(lower) > 0 {
			return p.malformed("Specified array dimensions do not match array contents.")
		}
		return nil
	}
	p.arr.lower = make([]int, len(p.arr.dims))
	for i := range p.arr.lower {
		p.arr.lower[i] = 1
	}
	if len(lower) > 0 {
		if len(lower) != len(p.arr.dims) {
			return p.malformed("Specified array dimensions do not match array contents.")
		}
		for i := range lower {
			if upper[i]-lower[i]+1 != p.arr.dims[i] {
				return p.malformed("Specified array dimensions do not match array contents.")
			}
		}
		p.arr.lower = lower
	}
	return nil
}

// bounds reads one "[lower:upper]" or "[upper]" decoration.
func (p *arrayParser) bounds() (int, int, error) {
	end := strings.IndexByte(p.src[p.pos:], ']')
	if end < 0 {
		return 0, 0, p.malformed("Missing \"]\" after array dimensions.")
	}
	inner := p.src[p.pos+1 : p.pos+end]
	p.pos += end + 1
	lo, hi := "1", inner
	if colon := strings.IndexByte(inner, ':'); colon >= 0 {
		lo, hi = inner[:colon], inner[colon+1:]
	}
	l, err1 := strconv.Atoi(strings.TrimSpace(lo))
	h, err2 := strconv.Atoi(strings.TrimSpace(hi))
	if err1 != nil || err2 != nil {
		return 0, 0, p.malformed("\"[\" must introduce explicitly-specified array dimensions.")
	}
	if h < l {
		return 0, 0, pgerr.New(pgerr.InvalidParameterValue, "upper bound cannot be less than lower bound")
	}
	return l, h, nil
}

// level reads one brace-enclosed level at the given depth.
func (p *arrayParser) level(depth int) error {
	if depth >= maxArrayDims {
		return pgerr.New(pgerr.ProgramLimitExceeded, "number of array dimensions exceeds the maximum allowed (%d)", maxArrayDims)
	}
	p.pos++ // '{'
	p.skipSpace()
	if p.peek() == '}' {
		p.pos++
		if depth > 0 || p.leafDepth >= 0 {
			return p.malformed("Multidimensional arrays must have sub-arrays with matching dimensions.")
		}
		return nil
	}
	n := 0
	for {
		p.skipSpace()
		if p.peek() == '{' {
			if p.leafDepth >= 0 && depth >= p.leafDepth {
				return p.malformed("Unexpected \"{\" character.")
			}
			if err := p.level(depth + 1); err != nil {
				return err
			}
		} else {
			if p.leafDepth < 0 {
				p.leafDepth = depth
				p.arr.dims = make([]int, depth+1)
			} else if depth != p.leafDepth {
				return p.malformed("Multidimensional arrays must have sub-arrays with matching dimensions.")
			}
			if err := p.element(); err != nil {
				return err
			}
		}
		n++
		p.skipSpace()
		switch p.peek() {
		case ',':
			p.pos++
		case '}':
			p.pos++
			if p.arr.dims[depth] == 0 {
				p.arr.dims[depth] = n
			} else if p.arr.dims[depth] != n {
				return p.malformed("Multidimensional arrays must have sub-arrays with matching dimensions.")
			}
			return nil
		case 0:
			return p.malformed("Unexpected end of input.")
		default:
			return p.malformed("Unexpected \"" + string(p.peek()) + "\" character.")
		}
	}
}

// element reads one element, quoted or not; an unquoted NULL is NULL.
func (p *arrayParser) element() error {
	if p.peek() == '"' {
		var b strings.Builder
		p.pos++
		for {
			if p.pos >= len(p.src) {
				return p.malformed("Unexpected end of input.")
			}
			c := p.src[p.pos]
			p.pos++
			if c == '"' {
				return p.add(b.String(), false)
			}
			if c == '\\' && p.pos < len(p.src) {
				c = p.src[p.pos]
				p.pos++
			}
			b.WriteByte(c)
		}
	}
	var b strings.Builder
	// keep is the length up to the last character that is not a blank
	// (or is an escaped one): trailing blanks are dropped.
	keep := 0
	escaped := false
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		if c == ',' || c == '}' {
			break
		}
		if c == '{' || c == '"' {
			return p.malformed("Unexpected \"" + string(c) + "\" character.")
		}
		p.pos++
		if c == '\\' && p.pos < len(p.src) {
			b.WriteByte(p.src[p.pos])
			p.pos++
			escaped = true
			keep = b.Len()
			continue
		}
		b.WriteByte(c)
		if !isArraySpace(c) {
			keep = b.Len()
		}
	}
	if keep == 0 && !escaped {
		return p.malformed("Unexpected \"" + string(p.peek()) + "\" character.")
	}
	text := b.String()[:keep]
	return p.add(text, !escaped && strings.EqualFold(text, "NULL"))
}

// add appends an element, checked against the element type.
func (p *arrayParser) add(text string, null bool) error {
	if null {
		p.arr.elems = append(p.arr.elems, arrayElem{null: true})
		return nil
	}
	if p.elem.Kind != types.Text {
		d, err := types.ParseText(p.elem, text)
		if err != nil {
			return err
		}
		text = types.FormatText(p.elem, d)
	}
	p.arr.elems = append(p.arr.elems, arrayElem{text: text})
	return nil
}

// format writes the array's text form as a value of type t.
func (a *arrayValue) format(t types.Type) string {
	if t.Kind == types.Int2Vector {
		parts := make([]string, len(a.elems))
		for i, e := range a.elems {
			parts[i] = e.text
		}
		return strings.Join(parts, " ")
	}
	if len(a.dims) == 0 {
		return "{}"
	}
	var buf []byte
	for _, lo := range a.lower {
		if lo != 1 {
			for d := range a.dims {
				buf = append(buf, '[')
				buf = strconv.AppendInt(buf, int64(a.lower[d]), 10)
				buf = append(buf, ':')
				buf = strconv.AppendInt(buf, int64(a.lower[d]+a.dims[d]-1), 10)
				buf = append(buf, ']')
			}
			buf = append(buf, '=')
			break
		}
	}
	next := 0
	var write func(depth int)
	write = func(depth int) {
		buf = append(buf, '{')
		for i := 0; i < a.dims[depth]; i++ {
			if i > 0 {
				buf = append(buf, ',')
			}
			if depth+1 < len(a.dims) {
				write(depth + 1)
				continue
			}
			e := a.elems[next]
			next++
			if e.null {
				buf = append(buf, "NULL"...)
			} else {
				buf = appendArrayText(buf, e.text)
			}
		}
		buf = append(buf, '}')
	}
	write(0)
	return string(buf)
}

// checkVector checks that an array can be an int2vector: one dimension
// and no NULLs.
func checkVector(a *arrayValue) error {
	if len(a.dims) > 1 {
		return pgerr.New(pgerr.InvalidParameterValue, "array is not a valid int2vector: it has %d dimensions", len(a.dims))
	}
	for _, e := range a.elems {
		if e.null {
			return pgerr.New(nullValueNotAllowed, "array must not contain nulls")
		}
	}
	return nil
}

// appendArrayText writes one non-NULL element, quoted the way array_out
// quotes.
func appendArrayText(buf []byte, s string) []byte {
	if s != "" && !strings.EqualFold(s, "NULL") && !strings.ContainsAny(s, "{}\",\\ \t\n\r\v\f") {
		return append(buf, s...)
	}
	buf = append(buf, '"')
	for j := 0; j < len(s); j++ {
		if s[j] == '"' || s[j] == '\\' {
			buf = append(buf, '\\')
		}
		buf = append(buf, s[j])
	}
	return append(buf, '"')
}

// sameShape reports whether two arrays have the same dimensions.
func sameShape(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// subscript returns the element at the given subscripts, or NULL when
// their number differs from the array's dimensions or one is out of
// bounds, as in PostgreSQL.
func (a *arrayValue) subscript(idx []int64) arrayElem {
	if len(idx) != len(a.dims) {
		return arrayElem{null: true}
	}
	offset := 0
	for d, i := range idx {
		k := i - int64(a.lower[d])
		if k < 0 || k >= int64(a.dims[d]) {
			return arrayElem{null: true}
		}
		offset = offset*a.dims[d] + int(k)
	}
	return a.elems[offset]
}

// concatArrays is array_cat: an array of n dimensions followed by one of n or
// n-1 dimensions (or preceded by one of n-1), keeping the outer array's
// lower bounds. An empty array adds nothing.
func concatArrays(a, b *arrayValue) (*arrayValue, error) {
	if a.count() == 0 {
		return b, nil
	}
	if b.count() == 0 {
		return a, nil
	}
	incompatible := func(detail string) error {
		e := pgerr.New(arraySubscriptError, "cannot concatenate incompatible arrays")
		e.Detail = detail
		return e
	}
	out := &arrayValue{elems: append(append(make([]arrayElem, 0, a.count()+b.count()), a.elems...), b.elems...)}
	switch {
	case len(a.dims) == len(b.dims):
		if !sameShape(a.dims[1:], b.dims[1:]) {
			return nil, incompatible("Arrays with differing element dimensions are not compatible for concatenation.")
		}
		out.lower = append([]int{}, a.lower...)
		out.dims = append([]int{a.dims[0] + b.dims[0]}, a.dims[1:]...)
	case len(a.dims) == len(b.dims)+1:
		if !sameShape(a.dims[1:], b.dims) {
			return nil, incompatible("Arrays with differing dimensions are not compatible for concatenation.")
		}
		out.lower = append([]int{}, a.lower...)
		out.dims = append([]int{a.dims[0] + 1}, a.dims[1:]...)
	case len(a.dims)+1 == len(b.dims):
		if !sameShape(a.dims, b.dims[1:]) {
			return nil, incompatible("Arrays with differing dimensions are not compatible for concatenation.")
		}
		out.lower = append([]int{}, b.lower...)
		out.dims = append([]int{b.dims[0] + 1}, b.dims[1:]...)
	default:
		return nil, incompatible("Arrays of " + strconv.Itoa(len(a.dims)) + " and " + strconv.Itoa(len(b.dims)) + " dimensions are not compatible for concatenation.")
	}
	return out, nil
}

// push adds an element at the end (array_append) or the front
// (array_prepend) of an empty or one-dimensional array, keeping its lower
// bound.
func (a *arrayValue) push(e arrayElem, front bool) (*arrayValue, error) {
	switch len(a.dims) {
	case 0:
		return &arrayValue{lower: []int{1}, dims: []int{1}, elems: []arrayElem{e}}, nil
	case 1:
		out := &arrayValue{lower: []int{a.lower[0]}, dims: []int{a.dims[0] + 1}, elems: make([]arrayElem, 0, a.count()+1)}
		if front {
			out.elems = append(append(out.elems, e), a.elems...)
		} else {
			out.elems = append(append(out.elems, a.elems...), e)
		}
		return out, nil
	}
	return nil, pgerr.New("22000", "argument must be empty or one-dimensional array")
}

// buildArray is the ARRAY[...] constructor over sub-arrays: they become
// the outer dimension's items and must all have the same dimensions.
// NULL and empty items make an empty array when all items are such.
func buildArray(items []*arrayValue) (*arrayValue, error) {
	var shape *arrayValue
	empties := 0
	for _, it := range items {
		if it == nil || it.count() == 0 {
			empties++
			continue
		}
		if shape == nil {
			shape = it
		} else if !sameShape(shape.dims, it.dims) || !sameShape(shape.lower, it.lower) {
			return nil, pgerr.New(arraySubscriptError, "multidimensional arrays must have array expressions with matching dimensions")
		}
	}
	if shape == nil {
		return emptyArray, nil
	}
	if empties > 0 {
		return nil, pgerr.New(arraySubscriptError, "multidimensional arrays must have array expressions with matching dimensions")
	}
	if len(shape.dims) >= maxArrayDims {
		return nil, pgerr.New(pgerr.ProgramLimitExceeded, "number of array dimensions (%d) exceeds the maximum allowed (%d)", len(shape.dims)+1, maxArrayDims)
	}
	out := &arrayValue{lower: append([]int{1}, shape.lower...), dims: append([]int{len(items)}, shape.dims...)}
	for _, it := range items {
		out.elems = append(out.elems, it.elems...)
	}
	return out, nil
}

// convertArray casts every element of a from one element type to another
// through their text forms.
func convertArray(a *arrayValue, to types.Type) (*arrayValue, error) {
	out := &arrayValue{lower: a.lower, dims: a.dims, elems: make([]arrayElem, len(a.elems))}
	for i, e := range a.elems {
		if e.null {
			out.elems[i] = e
			continue
		}
		d, err := types.ParseText(to, e.text)
		if err != nil {
			return nil, err
		}
		out.elems[i] = arrayElem{text: types.FormatText(to, d)}
	}
	return out, nil
}
