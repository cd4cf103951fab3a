package telemetry

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// LocalCopy is what the metrics show of one local copy: a materialized
// view's, or an accelerated table's.
type LocalCopy struct {
	Name string
	// Since is when the copy's age starts (zero for no copy, which has
	// no age): for a materialized view the end of the refresh that made
	// it, for an accelerated table the start of the last read of its
	// source.
	Since time.Time
	// Refreshes and Failures count the refreshes since the server started.
	Refreshes, Failures int64
}

// copyCollector reports the local copies of one kind at every scrape,
// so that a dropped copy's series go with it and the age is the age now.
type copyCollector struct {
	list                     func() []LocalCopy
	age, refreshes, failures *prometheus.Desc
	duration                 prometheus.Histogram
}

func (c *copyCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.age
	ch <- c.refreshes
	ch <- c.failures
	c.duration.Describe(ch)
}

func (c *copyCollector) Collect(ch chan<- prometheus.Metric) {
	now := time.Now()
	for _, v := range c.list() {
		if !v.Since.IsZero() {
			ch <- prometheus.MustNewConstMetric(c.age, prometheus.GaugeValue, now.Sub(v.Since).Seconds(), v.Name)
		}
		ch <- prometheus.MustNewConstMetric(c.refreshes, prometheus.CounterValue, float64(v.Refreshes), v.Name)
		ch <- prometheus.MustNewConstMetric(c.failures, prometheus.CounterValue, float64(v.Failures), v.Name)
	}
	c.duration.Collect(ch)
}

// copyMetrics names the metrics of one kind of local copy.
type copyMetrics struct {
	prefix, label, noun, ageHelp string
}

// watch registers the collector of the copies list returns and returns
// the function that records the duration of a refresh.
func (m *Metrics) watch(k copyMetrics, list func() []LocalCopy) func(time.Duration) {
	if m == nil {
		return func(time.Duration) {}
	}
	c := &copyCollector{
		list: list,
		age:  prometheus.NewDesc(k.prefix+"_age_seconds", k.ageHelp, []string{k.label}, nil),
		refreshes: prometheus.NewDesc(k.prefix+"_refreshes_total",
			"Refreshes of each "+k.noun+" since the server started, failed ones included.", []string{k.label}, nil),
		failures: prometheus.NewDesc(k.prefix+"_refresh_failures_total",
			"Refreshes of each "+k.noun+" that failed, keeping the copy before.", []string{k.label}, nil),
		duration: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    k.prefix + "_refresh_duration_seconds",
			Help:    "Time from the start of a " + k.noun + "'s refresh to its new copy's publication or its failure.",
			Buckets: []float64{.01, .05, .1, .5, 1, 5, 10, 30, 60, 300, 900, 3600},
		}),
	}
	m.registry.MustRegister(c)
	return func(d time.Duration) { c.duration.Observe(d.Seconds()) }
}

// WatchMatViews exposes the materialized views list returns: the age of
// each copy and its refreshes and failures. It returns the function that
// records the duration of a refresh.
func (m *Metrics) WatchMatViews(list func() []LocalCopy) func(time.Duration) {
	return m.watch(copyMetrics{prefix: "junction_matview", label: "view", noun: "materialized view",
		ageHelp: "Seconds since the refresh that made each materialized view's current copy ended."}, list)
}

// WatchAccelerations exposes the accelerated tables list returns
// (source.table): the age of each copy, as the planner weighs it against
// max_staleness, and its refreshes and failures. It returns the function
// that records the duration of a refresh.
func (m *Metrics) WatchAccelerations(list func() []LocalCopy) func(time.Duration) {
	return m.watch(copyMetrics{prefix: "junction_acceleration", label: "table", noun: "accelerated table",
		ageHelp: "Seconds since the start of the read of the source that each accelerated table's copy holds."}, list)
}
