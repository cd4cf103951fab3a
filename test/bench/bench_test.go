package bench

import (
	"context"
	"errors"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/junction-db/junction/test/testenv"
)

// BenchmarkTPCH loads the data at JUNCTION_BENCH_SF, checks every query's
// answer on each target against the single database, times the targets
// alternately, prints a table and writes it as JSON (see doc.go). Run it
// once: -benchtime 1x.
func BenchmarkTPCH(b *testing.B) {
	cfg, err := loadConfig()
	if err != nil {
		b.Fatal(err)
	}
	d := loadDatabases(b, cfg.sf, extras{peer: true, lake: true})
	ctx := context.Background()
	targets := []*target{{name: singleTarget, url: testenv.PostgresURL(d.reference), tables: tableNames(plainNames)}}
	if d.peer != "" {
		targets = append(targets, &target{name: peerTarget, url: testenv.PostgresURL(d.peer), tables: tableNames(plainNames)})
	}
	targets = append(targets,
		&target{name: junctionTarget, url: d.junction.URL(testenv.DemoUser, testenv.DemoPassword), tables: tableNames(splitNames), junction: true},
		&target{name: lakeTarget, url: d.lake.URL(testenv.DemoUser, testenv.DemoPassword), tables: tableNames(lakeNames), junction: true})
	for _, t := range targets {
		if err := t.connect(ctx); err != nil {
			b.Fatal(err)
		}
		defer t.close()
	}

	rep := &report{ScaleFactor: cfg.sf, Runs: cfg.runs, TimeoutSeconds: cfg.timeout.Seconds()}
	for _, t := range targets {
		rep.Targets = append(rep.Targets, t.name)
	}
	params := queryParams(cfg.sf)
	b.ResetTimer()
	for range b.N {
		rep.Queries = rep.Queries[:0]
		for _, q := range allQueries {
			if !cfg.queries.MatchString(q.name) {
				continue
			}
			res := measure(ctx, cfg, targets, q, params.Replace(q.sql))
			// Progress as it happens: a run at scale factor 1 is long.
			fmt.Printf("%s: %s\n", q.name, res.summary(rep.Targets))
			rep.Queries = append(rep.Queries, res)
		}
	}
	b.StopTimer()
	for _, p := range []struct {
		srv *testenv.Server
		rss *int64
	}{{d.junction, &rep.JunctionPeakRSSBytes}, {d.lake, &rep.LakePeakRSSBytes}} {
		rss, err := peakRSS(p.srv.Pid())
		if err != nil {
			b.Error(err)
		}
		*p.rss = rss
	}
	rep.summarize()
	rep.print(os.Stdout)
	if err := rep.write(cfg.out); err != nil {
		b.Error(err)
	}
	fmt.Printf("results written to %s\n", cfg.out)
	for name, metric := range map[string]string{junctionTarget: "x_junction_geomean", lakeTarget: "x_lake_geomean"} {
		if g, ok := rep.GeometricMean[name]; ok {
			b.ReportMetric(g, metric)
		}
	}
}

// measure checks each target's answer against the single database's, asks
// each Junction target what it fetched from each source, then times the
// targets that answered correctly, alternating them, and takes the median.
func measure(ctx context.Context, cfg config, targets []*target, q query, sql string) *queryResult {
	res := &queryResult{Name: q.name, Results: map[string]*targetResult{}}
	var want fingerprint
	for i, t := range targets {
		r := &targetResult{Status: statusOK}
		res.Results[t.name] = r
		qctx, cancel := context.WithTimeout(ctx, cfg.timeout)
		got, err := t.fingerprintOf(qctx, t.tables.Replace(sql))
		cancel()
		r.Rows = got.rows
		switch {
		case err != nil:
			r.fail(err)
		case i == 0:
			want = got
		case !got.same(want, q.ordered):
			r.Status = statusWrong
			r.Error = describeDifference(ctx, cfg, targets[0], t, sql, q.ordered)
		}
	}
	if res.Results[singleTarget].Status != statusOK {
		// Nothing to compare with: the query is broken, not a target.
		for _, r := range res.Results {
			r.RunsMS = nil
		}
		return res
	}
	for _, t := range targets {
		if r := res.Results[t.name]; t.junction && r.Status == statusOK {
			var err error
			r.Fetched, err = fetched(ctx, cfg, t, t.tables.Replace(sql))
			if err != nil {
				r.FetchError = testenv.DescribeError(err)
			}
		}
	}
	for round := range cfg.runs {
		for i := range targets {
			// Each round starts with another target, so that none always
			// runs on caches the previous one warmed.
			t := targets[(i+round)%len(targets)]
			r := res.Results[t.name]
			if r.Status != statusOK {
				continue
			}
			qctx, cancel := context.WithTimeout(ctx, cfg.timeout)
			d, err := t.timed(qctx, t.tables.Replace(sql))
			cancel()
			if err != nil {
				r.fail(err)
				continue
			}
			r.RunsMS = append(r.RunsMS, float64(d.Microseconds())/1000)
		}
	}
	single := res.Results[singleTarget]
	for _, r := range res.Results {
		if r.Status != statusOK {
			r.RunsMS = nil
			continue
		}
		r.MedianMS = median(r.RunsMS)
	}
	for _, r := range res.Results {
		if r.Status == statusOK && single.MedianMS > 0 {
			r.Ratio = r.MedianMS / single.MedianMS
		}
	}
	return res
}

// fail records why a target gave no answer.
func (r *targetResult) fail(err error) {
	r.Status = statusError
	if errors.Is(err, context.DeadlineExceeded) || strings.Contains(err.Error(), "canceling statement due to") {
		r.Status = statusTimeout
	}
	r.Error = testenv.DescribeError(err)
}

// describeDifference shows how a wrong answer differs, reading both in
// full when that is affordable.
func describeDifference(ctx context.Context, cfg config, single, t *target, sql string, ordered bool) string {
	const maxRows = 100_000
	qctx, cancel := context.WithTimeout(ctx, 2*cfg.timeout)
	defer cancel()
	want, err := testenv.QueryText(qctx, single.conn, single.tables.Replace(sql))
	if err != nil || len(want.Rows) > maxRows {
		return "the result differs from the single database's"
	}
	got, err := testenv.QueryText(qctx, t.conn, t.tables.Replace(sql))
	if err != nil {
		return "the result differs from the single database's; reading it again failed: " + testenv.DescribeError(err)
	}
	return testenv.Diff(got, want, ordered)
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// remoteStats matches EXPLAIN ANALYZE's figures for one remote query.
var remoteStats = regexp.MustCompile(`Remote Query on (\S+).*source rows=(\d+) bytes=(\d+) time=([\d.]+) ms`)

// fetched runs EXPLAIN ANALYZE on a Junction target and adds up, per
// source, the rows, bytes and time of its remote queries.
func fetched(ctx context.Context, cfg config, junction *target, sql string) (map[string]*sourceFetch, error) {
	qctx, cancel := context.WithTimeout(ctx, cfg.timeout)
	defer cancel()
	out := map[string]*sourceFetch{}
	_, err := junction.run(qctx, "EXPLAIN ANALYZE "+sql, func(row [][]byte) {
		m := remoteStats.FindSubmatch(row[0])
		if m == nil {
			return
		}
		f := out[string(m[1])]
		if f == nil {
			f = &sourceFetch{}
			out[string(m[1])] = f
		}
		rows, _ := strconv.ParseInt(string(m[2]), 10, 64)
		bytes, _ := strconv.ParseInt(string(m[3]), 10, 64)
		ms, _ := strconv.ParseFloat(string(m[4]), 64)
		f.Rows += rows
		f.Bytes += bytes
		f.TimeMS += ms
	})
	return out, err
}

// peakRSS is the most resident memory a process has used, from Linux's
// /proc (VmHWM).
func peakRSS(pid int) (int64, error) {
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, fmt.Errorf("peak RSS of junction: %w", err)
	}
	for _, line := range strings.Split(string(status), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb * 1024, err
		}
	}
	return 0, fmt.Errorf("no VmHWM in /proc/%d/status", pid)
}
