package testenv

import (
	"strings"
	"testing"
)

func result(cols []string, rows ...[]Cell) *Result { return &Result{Columns: cols, Rows: rows} }

func text(s string) Cell { return Cell{Text: s} }

var null = Cell{Null: true}

func TestDiffEqualResults(t *testing.T) {
	a := result([]string{"name", "n"}, []Cell{text("a"), text("1")}, []Cell{text("b"), null})
	b := result([]string{"name", "n"}, []Cell{text("b"), null}, []Cell{text("a"), text("1")})
	if d := Diff(a, a, true); d != "" {
		t.Errorf("identical results differ in order:\n%s", d)
	}
	if d := Diff(a, b, false); d != "" {
		t.Errorf("same rows in another order differ when order does not matter:\n%s", d)
	}
}

func TestDiffFindsDifferences(t *testing.T) {
	cols := []string{"status"}
	cases := []struct {
		name      string
		got, want *Result
		ordered   bool
		mentions  string
	}{
		{"NULL is not the empty string", result(cols, []Cell{null}), result(cols, []Cell{text("")}), false, `NULL`},
		{"trailing space matters", result(cols, []Cell{text("paid")}), result(cols, []Cell{text("paid ")}), true, `"paid "`},
		{"order matters when ordered", result(cols, []Cell{text("a")}, []Cell{text("b")}), result(cols, []Cell{text("b")}, []Cell{text("a")}), true, "row 1"},
		{"duplicates count", result(cols, []Cell{text("a")}, []Cell{text("a")}), result(cols, []Cell{text("a")}), false, "got 2 rows, want 1"},
		{"column names", result([]string{"x"}), result([]string{"y"}), false, "columns differ"},
		{"missing rows", result(cols), result(cols, []Cell{text("a")}), true, "(no row)"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := Diff(c.got, c.want, c.ordered)
			if d == "" {
				t.Fatal("no difference reported")
			}
			if !strings.Contains(d, c.mentions) {
				t.Errorf("diff does not mention %s:\n%s", c.mentions, d)
			}
		})
	}
}
