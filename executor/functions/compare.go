package functions

import (
	"bytes"
	"cmp"
	"strings"

	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
	"github.com/junction-db/junction/vector"
)

// CmpOp is a comparison operator.
type CmpOp uint8

type cmpOp = CmpOp

const (
	cmpEq cmpOp = iota
	cmpNe
	cmpLt
	cmpLe
	cmpGt
	cmpGe
)

var cmpOps = map[string]cmpOp{plan.OpEq: cmpEq, plan.OpNe: cmpNe, plan.OpLt: cmpLt, plan.OpLe: cmpLe, plan.OpGt: cmpGt, plan.OpGe: cmpGe}

// flip gives the operator with its operands swapped: a < b is b > a.
func (o cmpOp) flip() cmpOp {
	switch o {
	case cmpLt:
		return cmpGt
	case cmpLe:
		return cmpGe
	case cmpGt:
		return cmpLt
	case cmpGe:
		return cmpLe
	}
	return o
}

// cmpTruth[op][c+1] says whether a three-way comparison result c satisfies op.
var cmpTruth = [6][3]bool{
	cmpEq: {false, true, false},
	cmpNe: {true, false, true},
	cmpLt: {true, false, false},
	cmpLe: {true, true, false},
	cmpGt: {false, false, true},
	cmpGe: {false, true, true},
}

// compareVectors applies a comparison to two vectors of the same type; the
// result is NULL where either side is.
func compareVectors(op cmpOp, a, b *vector.Vector, n int) *vector.Vector {
	if isConst(a, n) && isConst(b, n) {
		n = 1
	}
	out := newVector(types.TBool, n)
	out.Nulls = strictNulls(n, a, b)
	ac, bc := isConst(a, n), isConst(b, n)
	am, bm := rowMask(a, n), rowMask(b, n)
	switch a.Type.Physical() {
	case types.PhysInt:
		cmpOrdered(op, a.Int, b.Int, ac, bc, out.Bool)
	case types.PhysString:
		t := a.Type
		if b.Type.Kind == types.Bpchar {
			t = b.Type
		}
		if order := stringOrder(t); t.Kind == types.Bpchar || t.Kind == types.JSONB || t.IsArray() || t.Kind == types.Record {
			cmpWith(op, a.Str, b.Str, am, bm, out.Bool, order)
		} else {
			cmpOrdered(op, a.Str, b.Str, ac, bc, out.Bool)
		}
	case types.PhysFloat:
		cmpWith(op, a.Float, b.Float, am, bm, out.Bool, compareFloat)
	case types.PhysDecimal:
		cmpWith(op, a.Dec, b.Dec, am, bm, out.Bool, types.CompareNumeric)
	case types.PhysBool:
		cmpWith(op, a.Bool, b.Bool, am, bm, out.Bool, compareBool)
	case types.PhysBytes:
		cmpWith(op, a.Bytes, b.Bytes, am, bm, out.Bool, bytes.Compare)
	case types.PhysInterval:
		cmpWith(op, a.Iv, b.Iv, am, bm, out.Bool, compareInterval)
	}
	return out
}

// cmpOrdered compares types Go orders as PostgreSQL does, with a loop per
// operator so that each compiles to a tight comparison.
func cmpOrdered[T cmp.Ordered](op cmpOp, a, b []T, aConst, bConst bool, out []bool) {
	switch {
	case aConst && !bConst:
		cmpOrderedConst(op.flip(), b, a[0], out)
	case bConst && !aConst:
		cmpOrderedConst(op, a, b[0], out)
	default:
		cmpOrderedVec(op, a, b, out)
	}
}

func cmpOrderedVec[T cmp.Ordered](op cmpOp, a, b []T, out []bool) {
	a, b = a[:len(out)], b[:len(out)]
	switch op {
	case cmpEq:
		for i := range out {
			out[i] = a[i] == b[i]
		}
	case cmpNe:
		for i := range out {
			out[i] = a[i] != b[i]
		}
	case cmpLt:
		for i := range out {
			out[i] = a[i] < b[i]
		}
	case cmpLe:
		for i := range out {
			out[i] = a[i] <= b[i]
		}
	case cmpGt:
		for i := range out {
			out[i] = a[i] > b[i]
		}
	case cmpGe:
		for i := range out {
			out[i] = a[i] >= b[i]
		}
	}
}

func cmpOrderedConst[T cmp.Ordered](op cmpOp, a []T, c T, out []bool) {
	a = a[:len(out)]
	switch op {
	case cmpEq:
		for i, x := range a {
			out[i] = x == c
		}
	case cmpNe:
		for i, x := range a {
			out[i] = x != c
		}
	case cmpLt:
		for i, x := range a {
			out[i] = x < c
		}
	case cmpLe:
		for i, x := range a {
			out[i] = x <= c
		}
	case cmpGt:
		for i, x := range a {
			out[i] = x > c
		}
	case cmpGe:
		for i, x := range a {
			out[i] = x >= c
		}
	}
}

// cmpWith compares with a three-way comparison function.
func cmpWith[T any](op cmpOp, a, b []T, am, bm int, out []bool, compare func(T, T) int) {
	truth := &cmpTruth[op]
	for i := range out {
		out[i] = truth[compare(a[i&am], b[i&bm])+1]
	}
}

// compareFloat orders floats as PostgreSQL does: NaN equals NaN and sorts
// above every other value.
func compareFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	case a == b:
		return 0
	}
	an, bn := a != a, b != b
	switch {
	case an && bn:
		return 0
	case an:
		return 1
	}
	return -1
}

func compareBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case b:
		return -1
	}
	return 1
}

func compareBpchar(a, b string) int { return strings.Compare(trimBlanks(a), trimBlanks(b)) }

// intervalSpan is an interval's total length as days and microseconds
// (0 <= micros < one day), counting a month as 30 days the way PostgreSQL
// compares intervals.
func intervalSpan(iv types.IntervalValue) (days, micros int64) {
	days = int64(iv.Months)*30 + int64(iv.Days) + floorDiv(iv.Micros, types.MicrosPerDay)
	return days, floorMod(iv.Micros, types.MicrosPerDay)
}

func compareInterval(a, b types.IntervalValue) int {
	ad, am := intervalSpan(a)
	bd, bm := intervalSpan(b)
	if c := cmp.Compare(ad, bd); c != 0 {
		return c
	}
	return cmp.Compare(am, bm)
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

func floorMod(a, b int64) int64 { return a - floorDiv(a, b)*b }

// compareRows compares row i of a with row j of b (same physical type,
// neither NULL).
func compareRows(a *vector.Vector, i int, b *vector.Vector, j int) int {
	switch a.Type.Physical() {
	case types.PhysInt:
		return cmp.Compare(a.Int[i], b.Int[j])
	case types.PhysFloat:
		return compareFloat(a.Float[i], b.Float[j])
	case types.PhysBool:
		return compareBool(a.Bool[i], b.Bool[j])
	case types.PhysDecimal:
		return types.CompareNumeric(a.Dec[i], b.Dec[j])
	case types.PhysString:
		return stringOrder(a.Type)(a.Str[i], b.Str[j])
	case types.PhysBytes:
		return bytes.Compare(a.Bytes[i], b.Bytes[j])
	case types.PhysInterval:
		return compareInterval(a.Iv[i], b.Iv[j])
	}
	return 0
}

// trimBlanks drops the trailing blanks character(n) ignores.
func trimBlanks(s string) string { return strings.TrimRight(s, " ") }

// compareKeys orders two rows by ORDER BY keys, placing NULLs first or
// last per key.
func compareKeys(cols []*vector.Vector, keys []plan.SortKey, i, j int) int {
	return compareKeysAcross(cols, i, cols, j, keys)
}

// compareKeysAcross orders row i of the key columns a against row j of the
// key columns b (of the same types).
func compareKeysAcross(a []*vector.Vector, i int, b []*vector.Vector, j int, keys []plan.SortKey) int {
	for k, v := range a {
		w := b[k]
		in, jn := v.IsNull(i), w.IsNull(j)
		switch {
		case in && jn:
			continue
		case in || jn:
			if in == keys[k].NullsFirst {
				return -1
			}
			return 1
		}
		c := compareRows(v, i, w, j)
		if keys[k].Desc {
			c = -c
		}
		if c != 0 {
			return c
		}
	}
	return 0
}
