package bench

import (
	"fmt"
	"os"
	"regexp"
	"strconv"
	"time"
)

// config is a benchmark run's settings, from JUNCTION_BENCH_* variables.
type config struct {
	sf      float64
	runs    int
	timeout time.Duration
	out     string
	queries *regexp.Regexp
}

// Defaults: the scale factor the figures were measured at, a
// median of three, and a bound that keeps one hopeless query from
// stalling the run.
const (
	defaultScaleFactor = 0.1
	defaultRuns        = 3
	defaultTimeout     = 120 * time.Second
)

func loadConfig() (config, error) {
	c := config{sf: defaultScaleFactor, runs: defaultRuns, timeout: defaultTimeout, queries: regexp.MustCompile("")}
	if v := os.Getenv("JUNCTION_BENCH_SF"); v != "" {
		sf, err := strconv.ParseFloat(v, 64)
		if err != nil || sf < minScaleFactor {
			return c, fmt.Errorf("JUNCTION_BENCH_SF=%q: want a scale factor of at least %g, such as 0.1 or 1", v, minScaleFactor)
		}
		c.sf = sf
	}
	if v := os.Getenv("JUNCTION_BENCH_RUNS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return c, fmt.Errorf("JUNCTION_BENCH_RUNS=%q: want a positive number of timed runs", v)
		}
		c.runs = n
	}
	if v := os.Getenv("JUNCTION_BENCH_TIMEOUT"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return c, fmt.Errorf("JUNCTION_BENCH_TIMEOUT=%q: want a duration such as 120s or 5m", v)
		}
		c.timeout = d
	}
	if v := os.Getenv("JUNCTION_BENCH_QUERIES"); v != "" {
		re, err := regexp.Compile(v)
		if err != nil {
			return c, fmt.Errorf("JUNCTION_BENCH_QUERIES=%q: %w", v, err)
		}
		c.queries = re
	}
	c.out = os.Getenv("JUNCTION_BENCH_OUT")
	if c.out == "" {
		c.out = fmt.Sprintf("tpch-sf%g.json", c.sf)
	}
	return c, nil
}
