package sqllogictest

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
)

// Category is the failures that share a cause.
type Category struct {
	Name  string
	Count int
	// PerKind counts the failures by source kind.
	PerKind  map[string]int
	Examples []Failure
}

// Categorize groups the runs' failures by category, largest first, keeping
// up to examples failures of each, from different scripts where it can.
func Categorize(runs []*Run, examples int) []*Category {
	byName := map[string]*Category{}
	for _, run := range runs {
		for _, f := range run.Failures {
			c := byName[f.Category]
			if c == nil {
				c = &Category{Name: f.Category, PerKind: map[string]int{}}
				byName[f.Category] = c
			}
			c.Count++
			c.PerKind[f.Kind]++
			c.Examples = append(c.Examples, f)
		}
	}
	out := make([]*Category, 0, len(byName))
	for _, c := range byName {
		c.Examples = pickExamples(c.Examples, examples)
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Name < out[j].Name
	})
	return out
}

// pickExamples prefers failures of scripts not shown yet, so that the
// examples of a category show its range.
func pickExamples(all []Failure, n int) []Failure {
	var picked []Failure
	shown := map[string]bool{}
	for _, f := range all {
		if len(picked) < n && !shown[f.Script] {
			shown[f.Script] = true
			picked = append(picked, f)
		}
	}
	for _, f := range all {
		if len(picked) >= n {
			break
		}
		if !slices.ContainsFunc(picked, func(p Failure) bool { return p.Script == f.Script && p.Line == f.Line && p.Kind == f.Kind }) {
			picked = append(picked, f)
		}
	}
	return picked
}

// Report is the summary of runs: one line per script and source kind,
// the totals per kind, and the largest failure categories with examples.
func Report(runs []*Run, maxCategories, examples int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%-40s %-10s %7s %7s %7s %7s %8s %7s %8s %8s\n", "script", "source", "passed", "failed", "errored", "rate", "excluded", "not run", "bad stmt", "time")
	totals := map[string]*Tally{}
	elapsed := map[string]time.Duration{}
	for _, run := range runs {
		writeTallyLine(&b, run.Script, run.Kind, run.Tally, run.Elapsed)
		writeRunNotes(&b, run)
		if totals[run.Kind] == nil {
			totals[run.Kind] = &Tally{}
		}
		totals[run.Kind].Add(run.Tally)
		elapsed[run.Kind] += run.Elapsed
	}
	for _, kind := range Kinds {
		if t := totals[kind]; t != nil {
			writeTallyLine(&b, "TOTAL", kind, *t, elapsed[kind])
		}
	}
	categories := Categorize(runs, examples)
	if len(categories) == 0 {
		b.WriteString("\nno failures\n")
		return b.String()
	}
	failures := 0
	for _, c := range categories {
		failures += c.Count
	}
	fmt.Fprintf(&b, "\n%d failures in %d categories (queries and statements), largest first:\n", failures, len(categories))
	for i, c := range categories {
		if i == maxCategories {
			rest := 0
			for _, c := range categories[i:] {
				rest += c.Count
			}
			fmt.Fprintf(&b, "\n... %d more categories with %d failures\n", len(categories)-i, rest)
			break
		}
		fmt.Fprintf(&b, "\n%d× %s  [%s]\n", c.Count, c.Name, perKind(c.PerKind))
		for _, f := range c.Examples {
			fmt.Fprintf(&b, "    %s:%d (%s): %s\n", f.Script, f.Line, f.Kind, oneLine(f.SQL, 300))
			if f.Detail != "" && f.Detail != c.Name {
				for _, line := range strings.Split(f.Detail, "\n") {
					fmt.Fprintf(&b, "        %s\n", oneLine(line, 300))
				}
			}
		}
	}
	return b.String()
}

func writeRunNotes(b *strings.Builder, run *Run) {
	if run.Aborted != "" {
		fmt.Fprintf(b, "    aborted: %s\n", run.Aborted)
	}
	if run.OverBudget {
		fmt.Fprintf(b, "    stopped at its time budget after %s\n", run.Elapsed.Round(time.Second))
	}
}

// RunLine is a run's line of the report with its notes, for progress
// output.
func RunLine(run *Run) string {
	var b strings.Builder
	writeTallyLine(&b, run.Script, run.Kind, run.Tally, run.Elapsed)
	writeRunNotes(&b, run)
	return strings.TrimRight(b.String(), "\n")
}

func writeTallyLine(b *strings.Builder, script, kind string, t Tally, elapsed time.Duration) {
	rate := "-"
	if n := t.Queries(); n > 0 {
		rate = fmt.Sprintf("%.1f%%", 100*float64(t.Passed)/float64(n))
	}
	fmt.Fprintf(b, "%-40s %-10s %7d %7d %7d %7s %8d %7d %8d %8s\n", script, kind, t.Passed, t.Failed, t.Errored, rate, t.Excluded, t.NotRun, t.StatementsFailed, elapsed.Round(100*time.Millisecond))
}

func perKind(counts map[string]int) string {
	parts := make([]string, 0, len(counts))
	for _, kind := range Kinds {
		if n := counts[kind]; n > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", kind, n))
		}
	}
	return strings.Join(parts, ", ")
}

// oneLine shows SQL on one line, cut to at most limit bytes.
func oneLine(s string, limit int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > limit {
		s = s[:limit] + " ..."
	}
	return s
}
