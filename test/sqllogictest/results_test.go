package sqllogictest

import (
	"slices"
	"strings"
	"testing"

	"github.com/junction-db/junction/test/testenv"
)

func cells(values ...string) []testenv.Cell {
	out := make([]testenv.Cell, len(values))
	for i, v := range values {
		if v == "<null>" {
			out[i] = testenv.Cell{Null: true}
		} else {
			out[i] = testenv.Cell{Text: v}
		}
	}
	return out
}

func TestFormatValuesPrintsLikeSqllogictest(t *testing.T) {
	rows := [][]testenv.Cell{
		cells("12.5000000000000000", "2", "abc"),
		cells("-7.9", "1e3", ""),
		cells("<null>", "<null>", "<null>"),
		cells("0.25", "-0.0004", "tab\there é"),
		cells("-0", "-0", "-0"),
		cells("-0.5", "0", "0"),
		cells("-2.5e1", "0", "0"),
		cells("apdbu", "0", "0"),
		cells(" 42abc", "0", "0"),
		cells("+7", "0", "0"),
	}
	got, err := FormatValues("IRT", NoSort, rows)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"12", "2.000", "abc",
		"-7", "1000.000", "(empty)",
		"NULL", "NULL", "NULL",
		"0", "-0.000", "tab@here @@",
		"0", "-0.000", "-0",
		"0", "0.000", "0",
		"-25", "0.000", "0",
		"0", "0.000", "0",
		"42", "0.000", "0",
		"7", "0.000", "0",
	}
	if !slices.Equal(got, want) {
		t.Errorf("formatted\n got %q\nwant %q", got, want)
	}
}

func TestFormatValuesSorts(t *testing.T) {
	rows := [][]testenv.Cell{cells("3", "b"), cells("10", "a"), cells("3", "a")}
	cases := []struct {
		sort SortMode
		want []string
	}{
		{NoSort, []string{"3", "b", "10", "a", "3", "a"}},
		// Rows and values sort as strings, as sqllogictest compares them.
		{RowSort, []string{"10", "a", "3", "a", "3", "b"}},
		{ValueSort, []string{"10", "3", "3", "a", "a", "b"}},
	}
	for _, c := range cases {
		got, err := FormatValues("IT", c.sort, rows)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("%s: got %q, want %q", c.sort, got, c.want)
		}
	}
	if _, err := FormatValues("I", NoSort, rows); err == nil {
		t.Error("two-column rows were accepted for one column type")
	}
}

func TestHashValuesMatchesTheCorpus(t *testing.T) {
	// The answer to select1.test's first query (CASE WHEN c>(SELECT
	// avg(c) FROM t1) THEN a*2 ELSE b*10 END ... ORDER BY 1), which the
	// script shows as 30 values hashing to 3c13dee48d9356ae19af2515e05e6b54.
	values := strings.Fields(`358 364 376 382 398 402 410 426 432 440 458 468 478 486 490
		1000 1050 1120 1180 1240 1290 1300 1390 1430 1450 1510 1580 1600 1670 1700`)
	if got := HashValues(values); got != "3c13dee48d9356ae19af2515e05e6b54" {
		t.Errorf("HashValues = %s, want select1.test's 3c13dee48d9356ae19af2515e05e6b54", got)
	}
}

func TestCompare(t *testing.T) {
	listed := Expected{Values: []string{"1", "2"}}
	hashed := Expected{Hashed: true, Count: 2, MD5: HashValues([]string{"1", "2"})}
	cases := []struct {
		name string
		want Expected
		got  []string
		kind string
	}{
		{"listed match", listed, []string{"1", "2"}, ""},
		{"hashed match", hashed, []string{"1", "2"}, ""},
		{"listed order", listed, []string{"2", "1"}, "wrong order"},
		{"listed count", listed, []string{"1"}, "wrong number of values"},
		{"listed value", listed, []string{"1", "3"}, "different values"},
		{"hashed count", hashed, []string{"1", "2", "3"}, "wrong number of values"},
		{"hashed value", hashed, []string{"1", "3"}, "different values"},
		{"nothing expected", Expected{}, nil, ""},
		{"nothing expected, something got", Expected{}, []string{"1"}, "wrong number of values"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := Compare(c.want, c.got, 8)
			switch {
			case c.kind == "" && m != nil:
				t.Errorf("mismatch %+v for equal results", m)
			case c.kind != "" && m == nil:
				t.Errorf("no mismatch, want %q", c.kind)
			case c.kind != "" && m.Kind != c.kind:
				t.Errorf("mismatch kind %q, want %q (%s)", m.Kind, c.kind, m.Detail)
			}
		})
	}
}

func TestCompareShowsHashAboveThreshold(t *testing.T) {
	got := []string{"1", "2", "3"}
	m := Compare(Expected{Hashed: true, Count: 2, MD5: "0123456789abcdef0123456789abcdef"}, got, 2)
	if m == nil || !strings.Contains(m.Detail, HashValues(got)) {
		t.Errorf("mismatch above the hash threshold does not show the hash of what Junction returned: %+v", m)
	}
}
