package bench

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"sort"
	"strings"
	"text/tabwriter"
)

// What became of one target's attempt at a query.
const (
	statusOK      = "ok"
	statusWrong   = "wrong"   // answered, but not the single database's rows
	statusError   = "error"   // refused or failed
	statusTimeout = "timeout" // no answer within JUNCTION_BENCH_TIMEOUT
)

// report is the benchmark's result, written as JSON.
type report struct {
	ScaleFactor    float64        `json:"scale_factor"`
	Runs           int            `json:"runs"`
	TimeoutSeconds float64        `json:"timeout_seconds"`
	Targets        []string       `json:"targets"`
	Queries        []*queryResult `json:"queries"`
	// GeometricMean is each target's geometric mean of its time ratio to
	// the single database, over the queries it answered correctly
	// (Answered of them).
	GeometricMean        map[string]float64 `json:"geometric_mean_ratio"`
	Answered             map[string]int     `json:"answered"`
	JunctionPeakRSSBytes int64              `json:"junction_peak_rss_bytes"`
	// LakePeakRSSBytes is the lake target's Junction server's, DuckDB's
	// memory included.
	LakePeakRSSBytes int64 `json:"lake_peak_rss_bytes"`
}

type queryResult struct {
	Name    string                   `json:"name"`
	Results map[string]*targetResult `json:"results"`
}

type targetResult struct {
	Status   string    `json:"status"`
	Error    string    `json:"error,omitempty"`
	Rows     int64     `json:"rows"`
	RunsMS   []float64 `json:"runs_ms,omitempty"`
	MedianMS float64   `json:"median_ms,omitempty"`
	// Ratio is MedianMS over the single database's.
	Ratio float64 `json:"ratio,omitempty"`
	// Fetched is, for a Junction target, what its remote queries read
	// from each source (from EXPLAIN ANALYZE).
	Fetched    map[string]*sourceFetch `json:"fetched,omitempty"`
	FetchError string                  `json:"fetch_error,omitempty"`
}

type sourceFetch struct {
	Rows   int64   `json:"rows"`
	Bytes  int64   `json:"bytes"`
	TimeMS float64 `json:"time_ms"`
}

func (rep *report) summarize() {
	rep.GeometricMean, rep.Answered = map[string]float64{}, map[string]int{}
	for _, name := range rep.Targets {
		sum, n := 0.0, 0
		for _, q := range rep.Queries {
			if r := q.Results[name]; r.Status == statusOK && r.Ratio > 0 {
				sum += math.Log(r.Ratio)
				n++
			}
		}
		rep.Answered[name] = n
		if n > 0 {
			rep.GeometricMean[name] = math.Exp(sum / float64(n))
		}
	}
}

// cell shows a target's median and ratio, or why it has none.
func (r *targetResult) cell(withRatio bool) string {
	if r.Status != statusOK {
		return strings.ToUpper(r.Status)
	}
	if !withRatio {
		return fmt.Sprintf("%.1f ms", r.MedianMS)
	}
	return fmt.Sprintf("%.1f ms  %.2f×", r.MedianMS, r.Ratio)
}

func (r *queryResult) summary(targets []string) string {
	parts := make([]string, len(targets))
	for i, t := range targets {
		res := r.Results[t]
		parts[i] = t + " " + res.cell(i > 0)
		if res.Error != "" {
			parts[i] += " (" + firstLine(res.Error) + ")"
		}
	}
	return strings.Join(parts, ", ")
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

func (f *sourceFetch) String() string {
	return fmt.Sprintf("%d rows %s", f.Rows, byteSize(f.Bytes))
}

func byteSize(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

// print writes the report as an aligned table, with a column of what
// each Junction target fetched from its sources.
func (rep *report) print(w io.Writer) {
	fmt.Fprintf(w, "\nTPC-H scale factor %g, median of %d runs, timeout %gs; ratio to the single database\n\n",
		rep.ScaleFactor, rep.Runs, rep.TimeoutSeconds)
	fetchers := rep.fetchers()
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	header := []string{"query", "rows"}
	header = append(header, rep.Targets...)
	for _, t := range fetchers {
		header = append(header, "fetched by "+t)
	}
	fmt.Fprintf(tw, "%s\t\n", strings.Join(header, "\t"))
	for _, q := range rep.Queries {
		cells := []string{q.Name, fmt.Sprint(q.Results[rep.Targets[0]].Rows)}
		for i, t := range rep.Targets {
			cells = append(cells, q.Results[t].cell(i > 0))
		}
		for _, t := range fetchers {
			cells = append(cells, q.Results[t].fetchedCell())
		}
		fmt.Fprintf(tw, "%s\t\n", strings.Join(cells, "\t"))
	}
	cells := []string{"geometric mean (answered)", ""}
	for _, t := range rep.Targets {
		cells = append(cells, fmt.Sprintf("%.2f× (%d/%d)", rep.GeometricMean[t], rep.Answered[t], len(rep.Queries)))
	}
	for range fetchers {
		cells = append(cells, "")
	}
	fmt.Fprintf(tw, "%s\t\n", strings.Join(cells, "\t"))
	tw.Flush()
	fmt.Fprintf(w, "\nJunction peak RSS: %s (lake target's server: %s)\n", byteSize(rep.JunctionPeakRSSBytes), byteSize(rep.LakePeakRSSBytes))
	for _, q := range rep.Queries {
		for _, t := range rep.Targets {
			if r := q.Results[t]; r.Status != statusOK {
				fmt.Fprintf(w, "%s on %s: %s: %s\n", q.Name, t, r.Status, r.Error)
			}
		}
	}
}

// fetchers are the targets that told what they fetched, in report order.
func (rep *report) fetchers() []string {
	var out []string
	for _, t := range rep.Targets {
		for _, q := range rep.Queries {
			if r := q.Results[t]; len(r.Fetched) > 0 || r.FetchError != "" {
				out = append(out, t)
				break
			}
		}
	}
	return out
}

// fetchedCell lists what a target fetched from each source.
func (r *targetResult) fetchedCell() string {
	var parts []string
	for _, source := range sortedKeys(r.Fetched) {
		parts = append(parts, source+": "+r.Fetched[source].String())
	}
	if r.FetchError != "" {
		parts = append(parts, "EXPLAIN ANALYZE failed: "+firstLine(r.FetchError))
	}
	return strings.Join(parts, ", ")
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func (rep *report) write(path string) error {
	data, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(data, '\n'), 0o644)
}
