package sqllogictest

import (
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/junction-db/junction/test/testenv"
)

// FormatValues renders a result the way sqllogictest prints it: one string
// per value, row by row, each column by its type letter, then ordered by
// the sort mode. NULL prints as "NULL" whatever the type.
func FormatValues(types string, sort SortMode, rows [][]testenv.Cell) ([]string, error) {
	formatted := make([][]string, len(rows))
	for i, row := range rows {
		if len(row) != len(types) {
			return nil, fmt.Errorf("%d columns, want %d (%s)", len(row), len(types), types)
		}
		formatted[i] = make([]string, len(row))
		for j, cell := range row {
			formatted[i][j] = formatValue(types[j], cell)
		}
	}
	if sort == RowSort {
		slices.SortStableFunc(formatted, slices.Compare)
	}
	values := make([]string, 0, len(rows)*len(types))
	for _, row := range formatted {
		values = append(values, row...)
	}
	if sort == ValueSort {
		slices.Sort(values)
	}
	return values, nil
}

func formatValue(typ byte, c testenv.Cell) string {
	if c.Null {
		return "NULL"
	}
	switch typ {
	case 'I':
		return formatInteger(c.Text)
	case 'R':
		return formatReal(c.Text)
	}
	return formatText(c.Text)
}

var (
	decimalNumber = regexp.MustCompile(`^([-+]?)(\d+)(\.\d*)?$`)
	integerPrefix = regexp.MustCompile(`^\s*([-+]?\d+)`)
)

// formatInteger prints an integer column's value as SQLite's harness does,
// which reads the column with sqlite3_column_int: a number with a fraction
// is truncated toward zero (PostgreSQL's avg and numeric division return
// such values where SQLite's return reals), and text becomes the integer
// it starts with, or 0.
func formatInteger(s string) string {
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return strconv.FormatInt(n, 10)
	}
	if m := decimalNumber.FindStringSubmatch(s); m != nil {
		// Truncate in decimal, exactly, whatever the number's size.
		digits := strings.TrimLeft(m[2], "0")
		if digits == "" {
			return "0"
		}
		if m[1] == "-" {
			return "-" + digits
		}
		return digits
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil && !math.IsNaN(f) && !math.IsInf(f, 0) {
		if t := math.Trunc(f); t != 0 {
			return strconv.FormatFloat(t, 'f', 0, 64)
		}
		// Not "-0": SQLite's integers have no sign on zero.
		return "0"
	}
	if m := integerPrefix.FindStringSubmatch(s); m != nil {
		return formatInteger(m[1])
	}
	return "0"
}

// formatReal prints a real column's value with three decimals.
func formatReal(s string) string {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return s
	}
	return fmt.Sprintf("%.3f", f)
}

// formatText prints a text value: "(empty)" for the empty string, and
// control and non-ASCII bytes as "@", as sqllogictest does.
func formatText(s string) string {
	if s == "" {
		return "(empty)"
	}
	b := []byte(s)
	for i, c := range b {
		if c < 0x20 || c > 0x7e {
			b[i] = '@'
		}
	}
	return string(b)
}

// HashValues is the MD5 sqllogictest shows for values: each value
// followed by a newline.
func HashValues(values []string) string {
	h := md5.New()
	for _, v := range values {
		h.Write([]byte(v))
		h.Write([]byte{'\n'})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Mismatch says how a result differs from the expected one.
type Mismatch struct {
	// Kind is a short, stable description used to group failures.
	Kind string
	// Detail shows the difference.
	Detail string
}

// shownValues is how many values a mismatch shows.
const shownValues = 8

// Compare checks got (formatted and sorted) against want; threshold is the
// script's hash-threshold, above which got is shown hashed as the script
// would show it. It returns nil when they match.
func Compare(want Expected, got []string, threshold int) *Mismatch {
	if want.Hashed {
		if len(got) == want.Count && HashValues(got) == want.MD5 {
			return nil
		}
		kind := "different values"
		if len(got) != want.Count {
			kind = "wrong number of values"
		}
		return &Mismatch{Kind: kind, Detail: fmt.Sprintf("want %d values hashing to %s\n got %s", want.Count, want.MD5, describe(got, threshold))}
	}
	if slices.Equal(got, want.Values) {
		return nil
	}
	kind := "different values"
	switch {
	case len(got) != len(want.Values):
		kind = "wrong number of values"
	case sameMultiset(got, want.Values):
		kind = "wrong order"
	}
	return &Mismatch{Kind: kind, Detail: fmt.Sprintf("want %s\n got %s", describe(want.Values, 0), describe(got, threshold))}
}

func sameMultiset(a, b []string) bool {
	x, y := slices.Clone(a), slices.Clone(b)
	slices.Sort(x)
	slices.Sort(y)
	return slices.Equal(x, y)
}

// describe shows values as the script would, listing the first few.
func describe(values []string, threshold int) string {
	if len(values) == 0 {
		return "no values"
	}
	shown := values[:min(len(values), shownValues)]
	s := fmt.Sprintf("%d values: %s", len(values), strings.Join(shown, " "))
	if len(values) > len(shown) {
		s += " ..."
	}
	if threshold > 0 && len(values) > threshold {
		s += fmt.Sprintf(" (hashing to %s)", HashValues(values))
	}
	return s
}
