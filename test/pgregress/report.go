package pgregress

import (
	"fmt"
	"sort"
	"strings"
)

// Tally counts outcomes by verdict.
type Tally struct{ Passed, Wrong, Errored, Unspecified int }

// Total is how many queries the tally counts.
func (t Tally) Total() int { return t.Passed + t.Wrong + t.Errored + t.Unspecified }

func (t *Tally) add(v Verdict) {
	switch v {
	case Pass:
		t.Passed++
	case Wrong:
		t.Wrong++
	case Error:
		t.Errored++
	case Unspecified:
		t.Unspecified++
	}
}

// ErrorGroup is the errors that share a masked message.
type ErrorGroup struct {
	Group string
	// IDs are the queries that failed so, in corpus order.
	IDs []string
}

// Summary is what a run's outcomes add up to.
type Summary struct {
	Total Tally
	// Scripts lists the scripts in corpus order; PerScript tallies each.
	Scripts   []string
	PerScript map[string]*Tally
	// Errors are the error groups, largest first.
	Errors []ErrorGroup
	// WrongResults are the outcomes with that verdict, in corpus order.
	WrongResults []Outcome
	// Unspecified are the outcomes with that verdict, in corpus order.
	Unspecified []Outcome
	// Unexplained are the errors that are not a refusal of an unsupported
	// construct (0A000), in corpus order.
	Unexplained []Outcome
}

// Summarize adds up outcomes.
func Summarize(outcomes []Outcome) *Summary {
	s := &Summary{PerScript: map[string]*Tally{}}
	groups := map[string]*ErrorGroup{}
	for _, o := range outcomes {
		script := o.Query.Script
		if s.PerScript[script] == nil {
			s.PerScript[script] = &Tally{}
			s.Scripts = append(s.Scripts, script)
		}
		s.PerScript[script].add(o.Verdict)
		s.Total.add(o.Verdict)
		switch o.Verdict {
		case Wrong:
			s.WrongResults = append(s.WrongResults, o)
		case Unspecified:
			s.Unspecified = append(s.Unspecified, o)
		case Error:
			g := groups[o.Group]
			if g == nil {
				g = &ErrorGroup{Group: o.Group}
				groups[o.Group] = g
			}
			g.IDs = append(g.IDs, o.Query.ID)
			if !o.Unsupported {
				s.Unexplained = append(s.Unexplained, o)
			}
		}
	}
	for _, g := range groups {
		s.Errors = append(s.Errors, *g)
	}
	sort.Slice(s.Errors, func(i, j int) bool {
		if len(s.Errors[i].IDs) != len(s.Errors[j].IDs) {
			return len(s.Errors[i].IDs) > len(s.Errors[j].IDs)
		}
		return s.Errors[i].Group < s.Errors[j].Group
	})
	return s
}

// Text is the report: the totals, a line per script, the wrong results
// (all, or the first maxWrong when it is positive) and the error groups
// (all, or the largest maxGroups), with up to examples query ids each.
func (s *Summary) Text(maxWrong, maxGroups, examples int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%-28s %7s %7s %7s %7s %7s\n", "script", "queries", "passed", "wrong", "errored", "unspec")
	for _, script := range s.Scripts {
		writeTally(&b, script, *s.PerScript[script])
	}
	writeTally(&b, "TOTAL", s.Total)

	fmt.Fprintf(&b, "\n%d wrong results:\n", len(s.WrongResults))
	for i, o := range s.WrongResults {
		if maxWrong > 0 && i == maxWrong {
			fmt.Fprintf(&b, "  ... %d more\n", len(s.WrongResults)-i)
			break
		}
		fmt.Fprintf(&b, "\n  %s: %s\n", o.Query.ID, cut(oneLine(o.Query.SQL)))
		for _, line := range strings.Split(strings.TrimRight(o.Detail, "\n"), "\n") {
			fmt.Fprintf(&b, "    %s\n", cut(line))
		}
	}

	fmt.Fprintf(&b, "\n%d answers that differ where SQL leaves the answer open:\n", len(s.Unspecified))
	for _, o := range s.Unspecified {
		fmt.Fprintf(&b, "  %s: %s\n", o.Query.ID, cut(oneLine(o.Detail)))
	}

	fmt.Fprintf(&b, "\n%d errors other than 0A000 (feature not supported):\n", len(s.Unexplained))
	for _, o := range s.Unexplained {
		fmt.Fprintf(&b, "  %s: %s\n", o.Query.ID, cut(oneLine(o.Detail)))
	}

	fmt.Fprintf(&b, "\n%d errors in %d groups, largest first:\n", s.Total.Errored, len(s.Errors))
	for i, g := range s.Errors {
		if maxGroups > 0 && i == maxGroups {
			fmt.Fprintf(&b, "  ... %d more groups\n", len(s.Errors)-i)
			break
		}
		ids := g.IDs
		more := ""
		if examples > 0 && len(ids) > examples {
			ids, more = ids[:examples], ", ..."
		}
		fmt.Fprintf(&b, "%5d  %s\n       %s%s\n", len(g.IDs), g.Group, strings.Join(ids, ", "), more)
	}
	return b.String()
}

func writeTally(b *strings.Builder, name string, t Tally) {
	fmt.Fprintf(b, "%-28s %7d %7d %7d %7d %7d\n", name, t.Total(), t.Passed, t.Wrong, t.Errored, t.Unspecified)
}

// lineLimit is how much of a long line (a query, a value with a hundred
// thousand digits) the report shows.
const lineLimit = 400

func cut(line string) string {
	if len(line) <= lineLimit {
		return line
	}
	return line[:lineLimit] + " ..."
}

// oneLine shows SQL on one line.
func oneLine(sql string) string {
	return strings.Join(strings.Fields(sql), " ")
}
