package functions

import (
	"cmp"
	"strings"

	"github.com/shopspring/decimal"
)

// jsonb compares as PostgreSQL's jsonb_cmp does, not as its text: numbers
// by value ('1.0' equals '1'), values of different kinds in the order
// null < string < number < boolean < array < object, arrays and objects
// first by their number of elements or pairs and then member by member in
// storage order, and a top-level scalar as the one-element array jsonb
// stores it as.

// compareJSONB compares two jsonb texts.
func compareJSONB(a, b string) int {
	if a == b {
		return 0
	}
	x, errA := parseJSON(a)
	y, errB := parseJSON(b)
	if errA != nil || errB != nil {
		return strings.Compare(a, b)
	}
	return compareJSONBNodes(x, y, true)
}

// jsonbRank orders the kinds of values as jsonb's internal type codes do.
func jsonbRank(n *jsonNode) int {
	return strings.IndexByte("zsnbao", n.kind)
}

func compareJSONBNodes(a, b *jsonNode, top bool) int {
	if top && a.kind != 'o' && b.kind != 'o' && (a.kind == 'a') != (b.kind == 'a') {
		// A top-level scalar is stored as a one-element array marked
		// raw: against a real array it sorts first, unless their
		// numbers of elements differ, which decide.
		na, nb := 1, 1
		c := 1
		if a.kind == 'a' {
			na = len(a.vals)
		} else {
			nb, c = len(b.vals), -1
		}
		if na != nb {
			return cmp.Compare(na, nb)
		}
		return c
	}
	if ra, rb := jsonbRank(a), jsonbRank(b); ra != rb {
		return cmp.Compare(ra, rb)
	}
	switch a.kind {
	case 's':
		return strings.Compare(a.str, b.str)
	case 'n':
		x, err1 := decimal.NewFromString(a.raw)
		y, err2 := decimal.NewFromString(b.raw)
		if err1 != nil || err2 != nil {
			return strings.Compare(a.raw, b.raw)
		}
		return x.Cmp(y)
	case 'b':
		return strings.Compare(a.raw, b.raw) // "false" < "true"
	case 'a', 'o':
		if c := cmp.Compare(len(a.vals), len(b.vals)); c != 0 {
			return c
		}
		for i := range a.vals {
			if a.kind == 'o' {
				if c := strings.Compare(a.keys[i], b.keys[i]); c != 0 {
					return c
				}
			}
			if c := compareJSONBNodes(a.vals[i], b.vals[i], false); c != 0 {
				return c
			}
		}
	}
	return 0
}

// jsonbHashKey is a text equal for two jsonb values exactly when they
// compare equal: the canonical text with numbers in their shortest form.
func jsonbHashKey(s string) string {
	n, err := parseJSON(s)
	if err != nil {
		return s
	}
	return string(appendHashKey(nil, n))
}

func appendHashKey(buf []byte, n *jsonNode) []byte {
	switch n.kind {
	case 'n':
		if d, err := decimal.NewFromString(n.raw); err == nil {
			return append(buf, d.String()...)
		}
	case 'a', 'o':
		buf = append(buf, n.kind)
		for i, v := range n.vals {
			if n.kind == 'o' {
				buf = appendJSONQuoted(buf, n.keys[i])
			}
			buf = appendHashKey(append(buf, ','), v)
		}
		return append(buf, ';')
	}
	return append(buf, n.raw...)
}
