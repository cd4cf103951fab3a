package engine

import (
	"context"
	"errors"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/junction-db/junction/catalog"
	"github.com/junction-db/junction/catalog/system"
	"github.com/junction-db/junction/connectors"
	"github.com/junction-db/junction/executor"
	"github.com/junction-db/junction/executor/functions"
	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/planner"
	"github.com/junction-db/junction/telemetry"
	"github.com/junction-db/junction/types"
)

// Materialized views. Each view's query runs through Junction's own
// planner and executor, whatever sources it joins, and its result is
// written to the engine's local copies (Config.LocalCopies) as a new
// table, which then replaces the view's copy in one transaction: a query
// reading the view reads only the copy, never the sources, and keeps the
// copy it started with while a refresh runs; a refresh that fails leaves
// the last good copy. A view with junction.refresh_interval is refreshed
// in the background that long after its last refresh ended, one view at
// a time, each refresh within work_mem of the server's memory budget.
// The copies and the record of the refresh that made each one live in
// the data directory, so a restart reads the same copies.

// matviews is the state of the materialized views' copies.
type matviews struct {
	copies connectors.LocalCopies
	// observe records a refresh's duration in the metrics.
	observe func(time.Duration)

	mu     sync.Mutex
	states map[uint32]*matviewState

	stop context.CancelFunc
	done chan struct{}
}

// matviewState is one view's copy: its status, and the lock that lets
// one refresh run at a time.
type matviewState struct {
	refresh sync.Mutex
	// cancel stops the running refresh (nil when none runs); guarded by
	// matviews.mu, as are status and lastAttempt.
	cancel      context.CancelFunc
	status      system.MatViewStatus
	lastAttempt time.Time
}

// startMatViews reads which views have copies, drops the copies of views
// that no longer exist and starts the scheduler.
func (e *Engine) startMatViews(ctx context.Context) error {
	m := &matviews{copies: e.cfg.LocalCopies, states: map[uint32]*matviewState{}}
	e.matviews = m
	if m.copies == nil {
		return nil
	}
	copies, err := m.copies.Copies(ctx)
	if err != nil {
		return err
	}
	snap := e.catalog.Snapshot()
	for _, mv := range snap.MatViews {
		if c, ok := copies[mv.CopyTable()]; ok {
			m.states[mv.OID] = &matviewState{status: system.CopyStatusOf(c)}
		}
	}
	e.startAccelerations(copies)
	e.pruneCopies(ctx)
	m.observe = e.cfg.Metrics.WatchMatViews(e.matviewMetrics)
	loop, stop := context.WithCancel(context.Background())
	m.stop, m.done = stop, make(chan struct{})
	go e.scheduleRefreshes(loop)
	return nil
}

// closeMatViews stops the scheduler and closes the copies.
func (e *Engine) closeMatViews() {
	m := e.matviews
	if m == nil || m.copies == nil {
		return
	}
	e.stopAccelerations()
	m.stop()
	<-m.done
	_ = m.copies.Close()
}

func (m *matviews) state(oid uint32) *matviewState {
	m.mu.Lock()
	defer m.mu.Unlock()
	return stateOf(m.states, oid)
}

// stateOf returns the state states holds for a copy, adding a zero one
// if there is none.
func stateOf[K comparable, S any](states map[K]*S, key K) *S {
	st, ok := states[key]
	if !ok {
		st = new(S)
		states[key] = st
	}
	return st
}

// matviewStatus is the status system tables and the planner see.
func (e *Engine) matviewStatus(oid uint32) system.MatViewStatus {
	m := e.matviews
	if m == nil {
		return system.MatViewStatus{}
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	st, ok := m.states[oid]
	var out system.MatViewStatus
	if ok {
		out = st.status
	}
	if mv, found := e.catalog.Snapshot().FindMatView(oid); found && mv.RefreshInterval != "" {
		interval, _ := parseRefreshInterval(mv.RefreshInterval)
		var last time.Time
		if ok {
			last = st.lastAttempt
			if last.IsZero() {
				last = st.status.LastFinished
			}
		}
		out.NextRefresh = e.started
		if !last.IsZero() {
			out.NextRefresh = last.Add(interval)
		}
	}
	return out
}

// matviewMetrics lists the views for the metrics.
func (e *Engine) matviewMetrics() []telemetry.LocalCopy {
	snap := e.catalog.Snapshot()
	out := make([]telemetry.LocalCopy, 0, len(snap.MatViews))
	for key, mv := range snap.MatViews {
		st := e.matviewStatus(mv.OID)
		c := telemetry.LocalCopy{Name: key, Refreshes: st.Refreshes, Failures: st.Failures}
		if st.Populated {
			c.Since = st.LastFinished
		}
		out = append(out, c)
	}
	return out
}

// buildingTable is where a refresh writes the new copy.
func buildingTable(mv *catalog.MatView) string { return mv.CopyTable() + "_building" }

// refreshMatView runs the view's query into a new copy and publishes it;
// it waits for a refresh of the view that is running. It returns the rows
// of the new copy.
func (e *Engine) refreshMatView(ctx context.Context, oid uint32) (int64, error) {
	m := e.matviews
	st := m.state(oid)
	st.refresh.Lock()
	defer st.refresh.Unlock()
	mv, ok := e.catalog.Snapshot().FindMatView(oid)
	if !ok {
		return 0, pgerr.New(pgerr.UndefinedTable, "materialized view with OID %d no longer exists", oid)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	started := time.Now()
	m.mu.Lock()
	st.cancel = cancel
	st.status.Refreshing = true
	m.mu.Unlock()

	stats, err := e.buildCopy(ctx, mv)
	if err == nil {
		err = m.copies.Publish(ctx, buildingTable(mv), mv.CopyTable(), stats)
	}
	finished := time.Now()
	m.observe(finished.Sub(started))
	m.mu.Lock()
	st.cancel = nil
	st.lastAttempt = finished
	wasPopulated := st.status.Populated
	st.status.Refreshed(stats, err, finished)
	m.mu.Unlock()
	if err != nil {
		e.log.Warn("materialized view refresh failed; the view keeps its last copy", "view", mv.Schema+"."+mv.Name, "error", err)
		return 0, err
	}
	if !wasPopulated {
		// Plans that refused the unpopulated view may now read it.
		e.sourcesGeneration.Add(1)
	}
	if _, exists := e.catalog.Snapshot().FindMatView(oid); !exists {
		e.pruneCopies(context.WithoutCancel(ctx)) // dropped while it refreshed
	}
	return stats.Rows, nil
}

// buildCopy runs the view's query as its owner and writes the result to
// the view's building table.
func (e *Engine) buildCopy(ctx context.Context, mv *catalog.MatView) (connectors.CopyStats, error) {
	s := e.ownerSession(mv.Owner)
	stmts, err := planner.Parse(mv.SQL)
	if err != nil || len(stmts) != 1 || stmts[0].Stmt.GetSelectStmt() == nil {
		return connectors.CopyStats{}, pgerr.New(pgerr.InternalError, "materialized view %s.%s has an invalid definition", mv.Schema, mv.Name)
	}
	q, err := planner.BindSelect(ctx, s.env(), stmts[0].Stmt.GetSelectStmt(), nil)
	if err != nil {
		return connectors.CopyStats{}, err
	}
	if cols := q.Plan.Columns(); !slices.EqualFunc(cols, mv.Columns, func(c plan.Column, d connectors.Column) bool { return copyType(c.Type) == d.Type }) {
		return connectors.CopyStats{}, pgerr.New(pgerr.DatatypeMismatch, "the query of materialized view %q now returns other columns than it was created with", mv.Name).
			WithHint("A source's table changed; drop and create the materialized view again.")
	}
	return e.writeCopy(ctx, s, s.env(), q.Plan, buildingTable(mv), mv.Columns)
}

// writeCopy plans a bound query in env and runs it as s, writing its rows
// to table of the local copies.
func (e *Engine) writeCopy(ctx context.Context, s *Session, env *planner.Env, logical plan.Node, table string, cols []connectors.Column) (connectors.CopyStats, error) {
	physical, err := planner.Optimize(ctx, env, logical)
	if err != nil {
		return connectors.CopyStats{}, err
	}
	run, err := executor.Build(ctx, physical, &executor.Env{Source: s.sessionSource, Random: s.random, Memory: s.memoryBudget()})
	if err != nil {
		return connectors.CopyStats{}, err
	}
	defer run.Close()
	return e.matviews.copies.Write(ctx, table, cols, run.Next)
}

// copyType is the type a result column is stored as: a literal's unknown
// type becomes text, as PostgreSQL makes it.
func copyType(t types.Type) types.Type {
	if t.Kind == types.Unknown {
		return types.TText
	}
	return t
}

// ownerSession is a session of the view's owner that runs its refreshes:
// the sources are read through that user's mappings, with the server's
// default settings.
func (e *Engine) ownerSession(owner string) *Session {
	s := &Session{engine: e, user: owner, superuser: e.isSuperuser(owner), started: time.Now(),
		statements: map[statementKey]cachedStatements{}, templates: map[statementKey]cachedTemplate{}, cursors: cursors{},
		random: functions.NewRandom()}
	s.settings = s.defaultSettings()
	return s
}

// pruneCopies drops the copies (and states) of views and accelerated
// tables no longer in the catalog, cancelling their refreshes first.
func (e *Engine) pruneCopies(ctx context.Context) {
	m := e.matviews
	if m == nil || m.copies == nil {
		return
	}
	snap := e.catalog.Snapshot()
	live := map[string]bool{}
	for _, mv := range snap.MatViews {
		live[mv.CopyTable()] = true
	}
	for _, t := range e.acceleratedTables(snap) {
		live[t.at.copy] = true
	}
	e.forgetAccelerations(live)
	m.mu.Lock()
	for oid, st := range m.states {
		if _, ok := snap.FindMatView(oid); !ok {
			if st.cancel != nil {
				st.cancel()
			}
			delete(m.states, oid)
		}
	}
	m.mu.Unlock()
	copies, err := m.copies.Copies(ctx)
	if err != nil {
		e.log.Warn("cannot list the local copies", "error", err)
		return
	}
	for table := range copies {
		if !live[table] {
			if err := m.copies.Drop(ctx, table); err != nil {
				e.log.Warn("cannot drop the copy of a dropped materialized view or accelerated table", "table", table, "error", err)
			}
		}
	}
}

// unpopulate drops a view's copy (REFRESH ... WITH NO DATA).
func (e *Engine) unpopulate(ctx context.Context, mv *catalog.MatView) error {
	m := e.matviews
	st := m.state(mv.OID)
	st.refresh.Lock()
	defer st.refresh.Unlock()
	if err := m.copies.Drop(ctx, mv.CopyTable()); err != nil {
		return err
	}
	m.mu.Lock()
	st.status.Populated = false
	st.status.LastStarted, st.status.LastFinished, st.status.Rows, st.status.Bytes = time.Time{}, time.Time{}, 0, 0
	m.mu.Unlock()
	e.sourcesGeneration.Add(1)
	return nil
}

// scheduleRefreshes refreshes, one at a time, the views whose next
// scheduled refresh is due, until ctx ends.
func (e *Engine) scheduleRefreshes(ctx context.Context) {
	everySecond(ctx, e.matviews.done, func() bool {
		snap := e.catalog.Snapshot()
		for _, k := range slices.Sorted(maps.Keys(snap.MatViews)) {
			mv := snap.MatViews[k]
			st := e.matviewStatus(mv.OID)
			if mv.RefreshInterval == "" || st.Refreshing || time.Now().Before(st.NextRefresh) {
				continue
			}
			if _, err := e.refreshMatView(ctx, mv.OID); err != nil && errors.Is(ctx.Err(), context.Canceled) {
				return false
			}
		}
		return true
	})
}

// everySecond calls round once a second, until ctx ends or round returns
// false, and then closes done: the loop of a background refresher of
// local copies, whose refreshes run inside round one at a time.
func everySecond(ctx context.Context, done chan struct{}, round func() bool) {
	defer close(done)
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		if !round() {
			return
		}
	}
}

// parseRefreshInterval reads junction.refresh_interval: an interval of
// PostgreSQL's syntax ('5 min', '1 hour'), of at least one second.
func parseRefreshInterval(s string) (time.Duration, error) {
	return parseInterval("junction.refresh_interval", s, time.Second)
}

// localCopies is the connector of the copies when name is the source
// the plans of materialized views read.
func (e *Engine) localCopies(name string) (connectors.Connector, bool) {
	if name != catalog.LocalCopiesSource || e.matviews == nil || e.matviews.copies == nil {
		return nil, false
	}
	return e.matviews.copies, true
}
