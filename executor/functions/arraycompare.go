package functions

import (
	"bytes"
	"cmp"
	"strings"

	"github.com/junction-db/junction/types"
)

// Arrays compare as PostgreSQL's array_cmp does: element by element in
// the element type's order, a NULL element above every value; when one
// array's elements are a prefix of the other's, the shorter comes first,
// then the one of fewer dimensions, then by dimension lengths and lower
// bounds. Two arrays are equal only with the same shape and bounds, two
// NULL elements counting as equal.

// stringOrder is the three-way comparison of values of t stored as
// strings.
func stringOrder(t types.Type) func(a, b string) int {
	switch {
	case t.Kind == types.Bpchar:
		return compareBpchar
	case t.Kind == types.JSONB:
		return compareJSONB
	case t.IsArray() && t.Kind != types.TextArray:
		return func(a, b string) int { return compareArrayText(t, a, b) }
	case t.Kind == types.TextArray:
		return compareTextArrays
	case t.Kind == types.Record:
		return func(a, b string) int { return compareRecordText(t, a, b) }
	}
	return strings.Compare
}

// stringHashKey is the form of a string value of t that equal values
// share, for hashing.
func stringHashKey(t types.Type) func(string) string {
	switch {
	case t.Kind == types.Bpchar:
		return trimBlanks
	case t.Kind == types.JSONB:
		return jsonbHashKey
	case t.IsArray() || t.Kind == types.Record:
		return func(s string) string { return canonicalText(t, s) }
	}
	return func(s string) string { return s }
}

func compareTextArrays(a, b string) int {
	if a == b {
		return 0
	}
	return compareArrayText(types.Type{Kind: types.TextArray}, a, b)
}

// compareArrayText compares two array values of type t given in text
// form, which Junction wrote or checked, so they parse.
func compareArrayText(t types.Type, a, b string) int {
	x, errA := parseArray(t, a)
	y, errB := parseArray(t, b)
	if errA != nil || errB != nil {
		return strings.Compare(a, b)
	}
	elem, _ := ArrayElement(t)
	return compareArrays(elem, x, y)
}

func compareArrays(elem types.Type, x, y *arrayValue) int {
	n := min(x.count(), y.count())
	for i := 0; i < n; i++ {
		ex, ey := x.elems[i], y.elems[i]
		switch {
		case ex.null && ey.null:
			continue
		case ex.null:
			return 1
		case ey.null:
			return -1
		}
		if c := compareElementText(elem, ex.text, ey.text); c != 0 {
			return c
		}
	}
	if c := cmp.Compare(x.count(), y.count()); c != 0 {
		return c
	}
	if c := cmp.Compare(len(x.dims), len(y.dims)); c != 0 {
		return c
	}
	for d := range x.dims {
		if c := cmp.Compare(x.dims[d], y.dims[d]); c != 0 {
			return c
		}
		if c := cmp.Compare(x.lower[d], y.lower[d]); c != 0 {
			return c
		}
	}
	return 0
}

// compareElementText compares two elements of type t in text form.
func compareElementText(t types.Type, a, b string) int {
	if t.Physical() == types.PhysString && !t.IsArray() && t.Kind != types.JSONB && t.Kind != types.Record && t.Kind != types.Bpchar {
		return strings.Compare(a, b)
	}
	da, errA := types.ParseText(t, a)
	db, errB := types.ParseText(t, b)
	if errA != nil || errB != nil {
		return strings.Compare(a, b)
	}
	return compareDatums(t, da, db)
}

// compareDatums compares two non-NULL values of type t.
func compareDatums(t types.Type, a, b types.Datum) int {
	switch t.Physical() {
	case types.PhysInt:
		return cmp.Compare(a.Int, b.Int)
	case types.PhysFloat:
		return compareFloat(a.Float, b.Float)
	case types.PhysBool:
		return compareBool(a.Bool, b.Bool)
	case types.PhysDecimal:
		return a.Dec.Cmp(b.Dec)
	case types.PhysString:
		return stringOrder(t)(a.Str, b.Str)
	case types.PhysBytes:
		return bytes.Compare(a.Bytes, b.Bytes)
	case types.PhysInterval:
		return compareInterval(a.Iv, b.Iv)
	}
	return 0
}

// arrayHashKey rewrites an array value so that equal arrays have the same
// key, each element in its type's canonical spelling.
func arrayHashKey(t types.Type, s string) string {
	elem, _ := ArrayElement(t)
	if !hasSpellings(elem) {
		return s
	}
	a, err := parseArray(t, s)
	if err != nil {
		return s
	}
	out := &arrayValue{lower: a.lower, dims: a.dims, elems: make([]arrayElem, len(a.elems))}
	for i, e := range a.elems {
		out.elems[i] = e
		if !e.null {
			out.elems[i].text = canonicalText(elem, e.text)
		}
	}
	return out.format(t)
}

// hasSpellings reports whether equal values of t can print differently:
// numeric 1.0 and 1.00, float -0 and 0, interval '1 day' and '24 hours',
// and records and arrays holding such values.
func hasSpellings(t types.Type) bool {
	switch t.Kind {
	case types.Float4, types.Float8, types.Numeric, types.Interval, types.Record, types.Bpchar:
		return true
	}
	if e, ok := t.Elem(); ok {
		return hasSpellings(e)
	}
	return false
}

// canonicalText is the one spelling of a value of t (given in text form)
// that every value equal to it shares.
func canonicalText(t types.Type, s string) string {
	if t.IsArray() {
		return arrayHashKey(t, s)
	}
	if t.Kind == types.Record {
		return recordHashKey(t, s)
	}
	if !hasSpellings(t) {
		return s
	}
	d, err := types.ParseText(t, s)
	if err != nil {
		return s
	}
	switch t.Kind {
	case types.Float4, types.Float8:
		if d.Float == 0 {
			d.Float = 0
		}
		return types.FormatText(t, d)
	case types.Numeric:
		return d.Dec.String()
	case types.Interval:
		days, micros := intervalSpan(d.Iv)
		return types.FormatText(types.TInterval, types.Datum{Iv: types.IntervalValue{Days: int32(days), Micros: micros}})
	case types.Bpchar:
		return trimBlanks(s)
	}
	return s
}
