package telemetry

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// MatViewCopy is what the metrics show of one materialized view's copy.
type MatViewCopy struct {
	Name string
	// Finished is when the refresh that made the copy ended; zero for an
	// unpopulated view, which has no age.
	Finished time.Time
	// Refreshes and Failures count the refreshes since the server started.
	Refreshes, Failures int64
}

// matviewCollector reports the materialized views at every scrape, so
// that a dropped view's series go with it and the age is the age now.
type matviewCollector struct {
	list                     func() []MatViewCopy
	age, refreshes, failures *prometheus.Desc
	duration                 prometheus.Histogram
}

func (c *matviewCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.age
	ch <- c.refreshes
	ch <- c.failures
	c.duration.Describe(ch)
}

func (c *matviewCollector) Collect(ch chan<- prometheus.Metric) {
	now := time.Now()
	for _, v := range c.list() {
		if !v.Finished.IsZero() {
			ch <- prometheus.MustNewConstMetric(c.age, prometheus.GaugeValue, now.Sub(v.Finished).Seconds(), v.Name)
		}
		ch <- prometheus.MustNewConstMetric(c.refreshes, prometheus.CounterValue, float64(v.Refreshes), v.Name)
		ch <- prometheus.MustNewConstMetric(c.failures, prometheus.CounterValue, float64(v.Failures), v.Name)
	}
	c.duration.Collect(ch)
}

// WatchMatViews exposes the materialized views list returns: the age of
// each copy and its refreshes and failures. It returns the function that
// records the duration of a refresh.
func (m *Metrics) WatchMatViews(list func() []MatViewCopy) func(time.Duration) {
	if m == nil {
		return func(time.Duration) {}
	}
	c := &matviewCollector{
		list: list,
		age: prometheus.NewDesc("junction_matview_age_seconds",
			"Seconds since the refresh that made each materialized view's current copy ended.", []string{"view"}, nil),
		refreshes: prometheus.NewDesc("junction_matview_refreshes_total",
			"Refreshes of each materialized view since the server started, failed ones included.", []string{"view"}, nil),
		failures: prometheus.NewDesc("junction_matview_refresh_failures_total",
			"Refreshes of each materialized view that failed, keeping the copy before.", []string{"view"}, nil),
		duration: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "junction_matview_refresh_duration_seconds",
			Help:    "Time from the start of a materialized view's refresh to its new copy's publication or its failure.",
			Buckets: []float64{.01, .05, .1, .5, 1, 5, 10, 30, 60, 300, 900, 3600},
		}),
	}
	m.registry.MustRegister(c)
	return func(d time.Duration) { c.duration.Observe(d.Seconds()) }
}
