package sqllogictest

import (
	"strings"
	"testing"
	"time"
)

func TestReportTalliesAndCategorizes(t *testing.T) {
	fail := func(script, kind string, line int, category string) Failure {
		return Failure{Script: script, Kind: kind, Line: line, SQL: "SELECT\n  1", Category: category, Detail: "want 1 values: 1\n got no values"}
	}
	runs := []*Run{
		{Script: "a.test", Kind: PostgreSQL, Tally: Tally{Passed: 8, Failed: 1, Errored: 1, Excluded: 2}, Elapsed: time.Second,
			Failures: []Failure{fail("a.test", PostgreSQL, 10, "wrong result: different values"), fail("a.test", PostgreSQL, 20, "ERROR 0A000: x is not supported")}},
		{Script: "a.test", Kind: MariaDB, Tally: Tally{Passed: 9, Errored: 1}, Aborted: "Junction stopped accepting connections",
			Failures: []Failure{fail("a.test", MariaDB, 20, "ERROR 0A000: x is not supported")}},
		{Script: "b.test", Kind: MariaDB, Tally: Tally{Passed: 5, Errored: 1},
			Failures: []Failure{fail("b.test", MariaDB, 5, "ERROR 0A000: x is not supported")}},
	}
	categories := Categorize(runs, 2)
	if len(categories) != 2 || categories[0].Count != 3 || categories[0].PerKind[MariaDB] != 2 {
		t.Fatalf("categories = %+v, want the 0A000 one first with 3 failures, 2 of them MariaDB's", categories)
	}
	if ex := categories[0].Examples; len(ex) != 2 || ex[0].Script == ex[1].Script {
		t.Errorf("examples %+v do not come from different scripts", ex)
	}
	report := Report(runs, 1, 2)
	for _, want := range []string{
		"a.test                                   postgresql       8       1       1   80.0%",
		"TOTAL                                    mariadb         14       0       2   87.5%",
		"aborted: Junction stopped accepting connections",
		"3× ERROR 0A000: x is not supported  [postgresql 1, mariadb 2]",
		"a.test:20 (postgresql): SELECT 1",
		"... 1 more categories with 1 failures",
	} {
		if !strings.Contains(report, want) {
			t.Errorf("report lacks %q:\n%s", want, report)
		}
	}
}
