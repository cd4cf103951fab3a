package engine

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/junction-db/junction/catalog"
	"github.com/junction-db/junction/catalog/system"
	"github.com/junction-db/junction/connectors"
	"github.com/junction-db/junction/planner"
	"github.com/junction-db/junction/telemetry"
	"github.com/junction-db/junction/types"
)

// Accelerated source tables. A database source's accelerate option names
// tables to keep local copies of, in the local copies the materialized
// views use; max_staleness bounds how old a copy a query may read. The
// planner reads a table's copy when it is younger than that bound (or
// than junction.max_staleness, when the session's is smaller) and the
// source otherwise; a copy's age counts from the start of the read of
// the source that it holds.
//
// A copy is refreshed in the background when it reaches half its
// max_staleness, one table at a time, as the server's owner reads the
// source (through the owner's user mapping), without privilege checks
// and row policies: the copy holds every row, and the readers' checks,
// policies and masks apply above it as above the source. A table with an
// accelerate_key is refreshed incrementally: only the rows whose key is
// above the copy's largest are read and appended. Such a refresh sees
// new rows only, so every fullRefreshEvery-th refresh of the table reads
// it whole, catching updates and deletes. A refresh that fails keeps the
// last good copy and is tried again after half the max_staleness; the
// planner reads the source once the copy is too old.

// fullRefreshEvery is how often an incrementally refreshed table is read
// whole all the same.
const fullRefreshEvery = 10

// accelerations is the state of the accelerated tables' copies.
type accelerations struct {
	// observe records a refresh's duration in the metrics.
	observe func(time.Duration)

	mu sync.Mutex
	// states are by copy table.
	states map[string]*accelState

	stop context.CancelFunc
	done chan struct{}
}

// accelState is one copy's state; guarded by accelerations.mu.
type accelState struct {
	status system.AccelerationStatus
	// lastAttempt is when the last refresh ended, failed or not.
	lastAttempt time.Time
	// sinceFull counts the incremental refreshes since the last full one.
	sinceFull int
	// cancel stops the running refresh (nil when none runs).
	cancel context.CancelFunc
}

// acceleratedTable is one accelerated table of a source.
type acceleratedTable struct {
	src  *catalog.Source
	spec *accelSpec
	at   *accelTable
}

// acceleratedTables lists the accelerated tables of snap's sources, in
// source order; a source whose options no longer resolve (a table gone
// at the source) accelerates nothing.
func (e *Engine) acceleratedTables(snap *catalog.Snapshot) []acceleratedTable {
	var out []acceleratedTable
	for _, name := range snap.SourceNames() {
		src := snap.Sources[name]
		spec, err := accelerationOf(src)
		if err != nil || spec == nil {
			continue
		}
		for i := range spec.tables {
			out = append(out, acceleratedTable{src: src, spec: spec, at: &spec.tables[i]})
		}
	}
	return out
}

// startAccelerations takes in the copies a previous run left and starts
// the refresher; copies lists the local copies.
func (e *Engine) startAccelerations(copies map[string]connectors.CopyStats) {
	a := &accelerations{states: map[string]*accelState{}}
	e.accel = a
	for table, c := range copies {
		if strings.HasPrefix(table, accelCopyPrefix) {
			a.states[table] = &accelState{status: system.AccelerationStatus{CopyStatus: system.CopyStatusOf(c)}}
		}
	}
	a.observe = e.cfg.Metrics.WatchAccelerations(e.accelerationMetrics)
	loop, stop := context.WithCancel(context.Background())
	a.stop, a.done = stop, make(chan struct{})
	go e.scheduleAccelerations(loop)
}

// stopAccelerations stops the refresher.
func (e *Engine) stopAccelerations() {
	if a := e.accel; a != nil && a.stop != nil {
		a.stop()
		<-a.done
	}
}

func (a *accelerations) state(table string) *accelState { return stateOf(a.states, table) }

// accelerationStatus is the state of t's copy, with its next refresh.
func (e *Engine) accelerationStatus(t acceleratedTable) system.AccelerationStatus {
	var out system.AccelerationStatus
	var lastAttempt time.Time
	if a := e.accel; a != nil {
		a.mu.Lock()
		if st, ok := a.states[t.at.copy]; ok {
			out, lastAttempt = st.status, st.lastAttempt
		}
		a.mu.Unlock()
	}
	out.Source, out.Table, out.Key, out.MaxStaleness = t.src.Name, t.at.name, t.at.key, t.spec.staleness
	half := t.spec.maxStaleness / 2
	switch {
	case out.Populated && out.LastErrorAt.Before(out.LastFinished):
		out.NextRefresh = out.LastStarted.Add(half)
	case !lastAttempt.IsZero():
		out.NextRefresh = lastAttempt.Add(half)
	default:
		out.NextRefresh = e.started
	}
	out.Stale = out.Populated && time.Since(out.LastStarted) > t.spec.maxStaleness
	return out
}

// accelerationStatuses lists every accelerated table's state, for
// junction.accelerations.
func (e *Engine) accelerationStatuses() []system.AccelerationStatus {
	tables := e.acceleratedTables(e.catalog.Snapshot())
	out := make([]system.AccelerationStatus, len(tables))
	for i, t := range tables {
		out[i] = e.accelerationStatus(t)
	}
	return out
}

// accelerationMetrics lists the accelerated tables for the metrics.
func (e *Engine) accelerationMetrics() []telemetry.LocalCopy {
	var out []telemetry.LocalCopy
	for _, st := range e.accelerationStatuses() {
		c := telemetry.LocalCopy{Name: st.Source + "." + st.Table, Refreshes: st.Refreshes, Failures: st.Failures}
		if st.Populated {
			c.Since = st.LastStarted
		}
		out = append(out, c)
	}
	return out
}

// scheduleAccelerations refreshes, one at a time, the copies whose next
// refresh is due, until ctx ends.
func (e *Engine) scheduleAccelerations(ctx context.Context) {
	everySecond(ctx, e.accel.done, func() bool {
		for _, t := range e.acceleratedTables(e.catalog.Snapshot()) {
			if time.Now().Before(e.accelerationStatus(t).NextRefresh) {
				continue
			}
			e.refreshAcceleration(ctx, t)
			if errors.Is(ctx.Err(), context.Canceled) {
				return false
			}
		}
		return true
	})
}

// refreshAcceleration refreshes t's copy: incrementally when t has a key
// and a copy and the turn of a full refresh has not come, else in full.
func (e *Engine) refreshAcceleration(ctx context.Context, t acceleratedTable) {
	a := e.accel
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	a.mu.Lock()
	st := a.state(t.at.copy)
	st.cancel = cancel
	st.status.Refreshing = true
	incremental := t.at.key != "" && st.status.Populated && st.sinceFull < fullRefreshEvery-1
	a.mu.Unlock()

	started := time.Now()
	mode := "full"
	var stats connectors.CopyStats
	var err error
	if incremental {
		mode = "incremental"
		stats, err = e.appendNewRows(ctx, t)
	} else {
		stats, err = e.copyWhole(ctx, t)
	}
	finished := time.Now()
	a.observe(finished.Sub(started))
	a.mu.Lock()
	st.cancel = nil
	st.lastAttempt = finished
	st.status.Refreshed(stats, err, finished)
	if err == nil {
		st.status.LastMode = mode
		if incremental {
			st.sinceFull++
		} else {
			st.sinceFull = 0
		}
	}
	a.mu.Unlock()
	if err != nil {
		if ctx.Err() == nil {
			e.log.Warn("refresh of an accelerated table failed; its last copy stays", "source", t.src.Name, "table", t.at.name, "error", err)
		}
		return
	}
	// Plans that chose between this copy and the source choose again.
	e.accelGeneration.Add(1)
	if !e.stillAccelerated(t.at.copy) {
		e.pruneCopies(context.WithoutCancel(ctx)) // dropped while it refreshed
	}
}

// stillAccelerated reports whether the catalog still accelerates the
// table whose copy is table.
func (e *Engine) stillAccelerated(table string) bool {
	for _, t := range e.acceleratedTables(e.catalog.Snapshot()) {
		if t.at.copy == table {
			return true
		}
	}
	return false
}

// copyWhole reads the whole table into a new copy and publishes it.
func (e *Engine) copyWhole(ctx context.Context, t acceleratedTable) (connectors.CopyStats, error) {
	started := time.Now()
	building := t.at.copy + "_building"
	stats, err := e.readSource(ctx, t, building, "", nil)
	if err != nil {
		return stats, err
	}
	stats.Started = started
	return stats, e.matviews.copies.Publish(ctx, building, t.at.copy, stats)
}

// appendNewRows reads the rows whose key is above the copy's largest and
// appends them to the copy. A copy without a key value is read whole.
func (e *Engine) appendNewRows(ctx context.Context, t acceleratedTable) (connectors.CopyStats, error) {
	copies := e.matviews.copies
	largest, err := e.largestKey(ctx, t.at)
	if err != nil {
		return connectors.CopyStats{}, err
	}
	if largest.Null {
		return e.copyWhole(ctx, t)
	}
	a := e.accel
	a.mu.Lock()
	before := a.state(t.at.copy).status
	a.mu.Unlock()
	started := time.Now()
	building := t.at.copy + "_building"
	stats, err := e.readSource(ctx, t, building, " WHERE "+quoteIdent(t.at.key)+" > $1", &largest)
	if err != nil {
		return stats, err
	}
	stats.Started = started
	stats.Rows += before.Rows
	stats.Bytes += before.Bytes
	return stats, copies.Append(ctx, building, t.at.copy, stats)
}

// largestKey is the largest key value in t's copy; NULL for none.
func (e *Engine) largestKey(ctx context.Context, at *accelTable) (types.Datum, error) {
	rows, err := e.matviews.copies.Query(ctx, "SELECT max("+quoteIdent(at.key)+") FROM "+quoteIdent(at.copy), []types.Type{at.keyType})
	if err != nil {
		return types.NullDatum, err
	}
	defer rows.Close()
	b, err := rows.Next()
	if err != nil || b == nil || b.Len == 0 {
		return types.NullDatum, err
	}
	return b.Cols[0].Datum(0), nil
}

// readSource runs SELECT of t's columns FROM t, followed by where with
// its parameter $1 = param when set, through Junction's planner as the
// source's owner reading the source itself, and writes the rows to the
// local table building.
func (e *Engine) readSource(ctx context.Context, t acceleratedTable, building, where string, param *types.Datum) (connectors.CopyStats, error) {
	owner := t.src.Owner
	if owner == "" {
		owner = e.bootstrapOwner()
	}
	s := e.ownerSession(owner)
	env := s.env()
	// Unchecked and without row policies or masks: the copy holds every
	// row, and each reader's checks apply above it (see above).
	env.Roles, env.System.Access, env.Acceleration = nil, nil, nil
	cols := make([]string, len(t.at.table.Columns))
	for i, c := range t.at.table.Columns {
		cols[i] = quoteIdent(c.Name)
	}
	from := quoteIdent(t.src.Name) + "." + quoteIdent(t.at.table.Name)
	if t.at.table.Schema != t.src.DefaultSchema {
		from = quoteIdent(t.src.Name) + "." + quoteIdent(t.at.table.Schema) + "." + quoteIdent(t.at.table.Name)
	}
	sql := "SELECT " + strings.Join(cols, ", ") + " FROM " + from + where
	stmts, err := planner.Parse(sql)
	if err != nil {
		return connectors.CopyStats{}, err
	}
	var paramTypes []types.Type
	var values []types.Datum
	if param != nil {
		paramTypes, values = []types.Type{t.at.keyType}, []types.Datum{*param}
	}
	q, err := planner.BindSelect(ctx, env, stmts[0].Stmt.GetSelectStmt(), paramTypes)
	if err != nil {
		return connectors.CopyStats{}, err
	}
	logical := q.Plan
	if values != nil {
		logical = planner.BindParams(logical, values)
	}
	return e.writeCopy(ctx, s, env, logical, building, t.at.table.Columns)
}

// quoteIdent quotes a name for the SQL Junction parses.
func quoteIdent(name string) string { return `"` + strings.ReplaceAll(name, `"`, `""`) + `"` }

// forgetAccelerations cancels the refreshes of copies not in live and
// drops their states.
func (e *Engine) forgetAccelerations(live map[string]bool) {
	a := e.accel
	if a == nil {
		return
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	for table, st := range a.states {
		if !live[table] {
			if st.cancel != nil {
				st.cancel()
			}
			delete(a.states, table)
		}
	}
}

// maxStalenessSetting is the session setting that bounds the age of the
// copies a session's queries read: empty for each table's own
// max_staleness, 0 for always the source.
const maxStalenessSetting = "junction.max_staleness"

// parseMaxStaleness reads junction.max_staleness; ok is false for the
// default, which leaves each table's bound.
func parseMaxStaleness(value string) (d time.Duration, ok bool, err error) {
	if strings.TrimSpace(value) == "" {
		return 0, false, nil
	}
	d, err = parseInterval(fmt.Sprintf("parameter %q", maxStalenessSetting), value, 0)
	return d, err == nil, err
}

// acceleration chooses, for a query of the session, between t's copy and
// the source (see planner.Acceleration).
func (s *Session) acceleration(src *catalog.Source, t *connectors.Table) (planner.Acceleration, bool) {
	e := s.engine
	spec, err := accelerationOf(src)
	if err != nil || spec == nil {
		return planner.Acceleration{}, false
	}
	var at *accelTable
	for i := range spec.tables {
		if x := spec.tables[i].table; x.Schema == t.Schema && x.Name == t.Name {
			at = &spec.tables[i]
		}
	}
	if at == nil {
		return planner.Acceleration{}, false
	}
	// The bound is shown as it was given.
	bound, boundText := spec.maxStaleness, optMaxStaleness+" "+spec.staleness
	if value := s.settings[maxStalenessSetting]; value != "" {
		if d, set, _ := parseMaxStaleness(value); set && d < bound {
			bound, boundText = d, maxStalenessSetting+" "+strings.TrimSpace(value)
		}
	}
	if bound == 0 {
		return planner.Acceleration{Note: "Live: " + maxStalenessSetting + " = 0"}, true
	}
	st := e.accelerationStatus(acceleratedTable{src: src, spec: spec, at: at})
	if !st.Populated {
		return planner.Acceleration{Note: "Live: copy not yet populated"}, true
	}
	age := time.Since(st.LastStarted)
	if age > bound {
		return planner.Acceleration{Note: fmt.Sprintf("Live: copy age %s exceeds %s", formatDuration(age.Round(time.Second)), boundText)}, true
	}
	return planner.Acceleration{Copy: at.copy, Until: st.LastStarted.Add(bound),
		Note: fmt.Sprintf("Local copy: %s (age %s, %s)", at.name, formatDuration(age.Round(time.Second)), boundText)}, true
}
