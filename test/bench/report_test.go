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
}

type queryResult struct {
	Name    string                   `json:"name"`
	Results map[string]*targetResult `json:"results"`
	// JunctionFetched is, per source, what Junction's remote queries read
	// (from EXPLAIN ANALYZE).
	JunctionFetched    map[string]*sourceFetch `json:"junction_fetched,omitempty"`
	JunctionFetchError string                  `json:"junction_fetch_error,omitempty"`
}

type targetResult struct {
	Status   string    `json:"status"`
	Error    string    `json:"error,omitempty"`
	Rows     int64     `json:"rows"`
	RunsMS   []float64 `json:"runs_ms,omitempty"`
	MedianMS float64   `json:"median_ms,omitempty"`
	// Ratio is MedianMS over the single database's.
	Ratio float64 `json:"ratio,omitempty"`
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

// print writes the report as an aligned table.
func (rep *report) print(w io.Writer) {
	fmt.Fprintf(w, "\nTPC-H scale factor %g, median of %d runs, timeout %gs; ratio to the single database\n\n",
		rep.ScaleFactor, rep.Runs, rep.TimeoutSeconds)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "query\trows\t%s\tfetched by Junction\t\n", strings.Join(rep.Targets, "\t"))
	for _, q := range rep.Queries {
		cells := make([]string, len(rep.Targets))
		for i, t := range rep.Targets {
			cells[i] = q.Results[t].cell(i > 0)
		}
		var fetched []string
		for _, source := range sortedKeys(q.JunctionFetched) {
			fetched = append(fetched, source+": "+q.JunctionFetched[source].String())
		}
		if q.JunctionFetchError != "" {
			fetched = append(fetched, "EXPLAIN ANALYZE failed: "+firstLine(q.JunctionFetchError))
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t\n", q.Name, q.Results[rep.Targets[0]].Rows, strings.Join(cells, "\t"), strings.Join(fetched, ", "))
	}
	cells := make([]string, len(rep.Targets))
	for i, t := range rep.Targets {
		cells[i] = fmt.Sprintf("%.2f× (%d/%d)", rep.GeometricMean[t], rep.Answered[t], len(rep.Queries))
	}
	fmt.Fprintf(tw, "geometric mean (answered)\t\t%s\t\t\n", strings.Join(cells, "\t"))
	tw.Flush()
	fmt.Fprintf(w, "\nJunction peak RSS: %s\n", byteSize(rep.JunctionPeakRSSBytes))
	for _, q := range rep.Queries {
		for _, t := range rep.Targets {
			if r := q.Results[t]; r.Status != statusOK {
				fmt.Fprintf(w, "%s on %s: %s: %s\n", q.Name, t, r.Status, r.Error)
			}
		}
	}
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
