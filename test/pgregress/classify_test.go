package pgregress

import (
	"errors"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/junction-db/junction/test/testenv"
)

func rows(values ...string) *testenv.Result {
	res := &testenv.Result{Columns: []string{"x"}}
	for _, v := range values {
		res.Rows = append(res.Rows, []testenv.Cell{{Text: v}})
	}
	return res
}

func pgError(code, msg string) error { return &pgconn.PgError{Code: code, Message: msg} }

func TestClassify(t *testing.T) {
	ordered := &Query{ID: "a:1", Script: "a", Compare: "ordered"}
	multiset := &Query{ID: "a:2", Script: "a", Compare: "multiset"}
	renamed := rows("1", "2")
	renamed.Columns = []string{"y"}
	cases := []struct {
		name      string
		q         *Query
		got, want Answer
		verdict   Verdict
		group     string
	}{
		{"same rows", ordered, Answer{Result: rows("1", "2")}, Answer{Result: rows("1", "2")}, Pass, ""},
		{"another order where it is free", multiset, Answer{Result: rows("2", "1")}, Answer{Result: rows("1", "2")}, Pass, ""},
		{"another order where ORDER BY fixes it", ordered, Answer{Result: rows("2", "1")}, Answer{Result: rows("1", "2")}, Wrong, ""},
		{"column names do not count", ordered, Answer{Result: renamed}, Answer{Result: rows("1", "2")}, Pass, ""},
		{"another value", multiset, Answer{Result: rows("1")}, Answer{Result: rows("1.0")}, Wrong, ""},
		{"another value where SQL leaves it open", &Query{ID: "window:454", Script: "window", Compare: "multiset"}, Answer{Result: rows("42")}, Answer{Result: rows("43")}, Unspecified, ""},
		{"an answer where PostgreSQL errs", multiset, Answer{Result: rows("1")}, Answer{Err: pgError("22012", "division by zero")}, Wrong, ""},
		{"an error of the same class", multiset, Answer{Err: pgError("22003", "out of range")}, Answer{Err: pgError("22012", "division by zero")}, Pass, ""},
		{"an error of another class", multiset, Answer{Err: pgError("0A000", "x is not supported")}, Answer{Err: pgError("22012", "division by zero")}, Error, "ERROR 0A000: x is not supported"},
		{"an error without SQLSTATE", multiset, Answer{Err: errors.New("timeout")}, Answer{Err: errors.New("timeout")}, Error, "timeout"},
		{"an error where PostgreSQL answers", multiset, Answer{Err: pgError("42883", "function f(integer) does not exist")}, Answer{Result: rows("1")}, Error, "ERROR 42883: function f(integer) does not exist"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			o := Classify(c.q, c.got, c.want)
			if o.Verdict != c.verdict {
				t.Fatalf("verdict %s, want %s (%s)", o.Verdict, c.verdict, o.Detail)
			}
			if o.Group != c.group {
				t.Errorf("group %q, want %q", o.Group, c.group)
			}
			if unsupported := strings.HasPrefix(c.group, "ERROR 0A000"); o.Unsupported != unsupported {
				t.Errorf("unsupported %v, want %v", o.Unsupported, unsupported)
			}
		})
	}
}

func TestSummaryCountsAndGroups(t *testing.T) {
	q := func(id, script string) *Query { return &Query{ID: id, Script: script} }
	outcomes := []Outcome{
		{Query: q("b:1", "b"), Verdict: Pass},
		{Query: q("b:2", "b"), Verdict: Error, Group: "ERROR 0A000: x is not supported", Unsupported: true},
		{Query: q("a:1", "a"), Verdict: Error, Group: "ERROR 0A000: x is not supported", Unsupported: true},
		{Query: q("a:2", "a"), Verdict: Error, Group: "ERROR 42883: function f() does not exist", Detail: "ERROR 42883: function f() does not exist"},
		{Query: q("a:3", "a"), Verdict: Wrong, Detail: "got 1 rows, want 2\n" + strings.Repeat("9", 2*lineLimit)},
	}
	s := Summarize(outcomes)
	if s.Total != (Tally{Passed: 1, Wrong: 1, Errored: 3}) {
		t.Errorf("total %+v", s.Total)
	}
	if *s.PerScript["a"] != (Tally{Wrong: 1, Errored: 2}) || len(s.Scripts) != 2 || s.Scripts[0] != "b" {
		t.Errorf("per script %v %+v", s.Scripts, *s.PerScript["a"])
	}
	if len(s.Errors) != 2 || len(s.Errors[0].IDs) != 2 || s.Errors[0].IDs[0] != "b:2" {
		t.Errorf("error groups %+v", s.Errors)
	}
	if len(s.Unexplained) != 1 || s.Unexplained[0].Query.ID != "a:2" {
		t.Errorf("errors other than 0A000 %+v", s.Unexplained)
	}
	text := s.Text(0, 0, 0)
	for _, want := range []string{"1 errors other than 0A000", "  a:2: ERROR 42883", "a:3", "1 wrong results", "3 errors in 2 groups", "    2  ERROR 0A000: x is not supported"} {
		if !strings.Contains(text, want) {
			t.Errorf("report lacks %q:\n%s", want, text)
		}
	}
	for _, line := range strings.Split(text, "\n") {
		if len(line) > lineLimit+20 {
			t.Errorf("report line of %d bytes is not cut", len(line))
		}
	}
}
