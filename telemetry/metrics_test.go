package telemetry

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
)

func TestQueryOutcomesByClass(t *testing.T) {
	m := NewMetrics()
	for _, code := range []string{"", "", "42P01", "42703", "22012", "xx"} {
		m.QueryEnded(time.Millisecond, code)
	}
	for _, c := range []struct {
		status, class string
		want          float64
	}{{"ok", "", 2}, {"error", "42", 2}, {"error", "22", 1}, {"error", "xx", 1}} {
		if got := testutil.ToFloat64(m.queries.WithLabelValues(c.status, c.class)); got != c.want {
			t.Errorf("junction_queries_total{%s,%s} = %v, want %v", c.status, c.class, got, c.want)
		}
	}
	if got := testutil.CollectAndCount(m.queryDuration); got != 1 {
		t.Errorf("%d duration series", got)
	}
}

func TestSourceSeriesComeAndGo(t *testing.T) {
	m := NewMetrics()
	s := m.Source("crm")
	s.Fetched(3, 24)
	s.CircuitTransition("closed", "open")
	if m.Source("crm") != s {
		t.Error("a source's metrics are not reused")
	}
	if got := testutil.ToFloat64(m.circuitState.WithLabelValues("crm", "open")); got != 1 {
		t.Errorf("open = %v", got)
	}
	m.DropSource("crm")
	if n := testutil.CollectAndCount(m.sourceRows); n != 0 {
		t.Errorf("%d row series left after the source was dropped", n)
	}
	var nilMetrics *Metrics
	nilMetrics.Source("x").Fetched(1, 1) // counts nothing, panics not
	nilMetrics.QueryEnded(time.Second, "")
}

func TestLogLinesCarryTheQueryID(t *testing.T) {
	var out strings.Builder
	log, err := NewLogger(&out, LogJSON, "info")
	if err != nil {
		t.Fatal(err)
	}
	log.InfoContext(WithQuery(context.Background(), &Query{ID: 42}), "about a statement")
	log.Info("about nothing in particular")
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 2 || !strings.Contains(lines[0], `"query_id":42`) || strings.Contains(lines[1], "query_id") {
		t.Errorf("log:\n%s", out.String())
	}
	if _, err := NewLogger(&out, "xml", ""); err == nil {
		t.Error("log format xml accepted")
	}
	if !log.Enabled(context.Background(), slog.LevelInfo) || log.Enabled(context.Background(), slog.LevelDebug) {
		t.Error("level info not applied")
	}
}
