// Package executor owns running physical plans: streaming operators over
// columnar batches (remote queries, joins, aggregation, sorting, set
// operations, ...) and the compilation of typed expressions into
// vectorized evaluators with PostgreSQL's semantics. What a function, a
// cast, an operator's kernel or an aggregate computes is the function
// library's (package executor/functions); the expression compiler resolves
// calls there and the operators drive aggregate states through it.
//
// Operators pull batches from their inputs with next and pass on batches
// they never modify afterwards; a batch handed to a consumer may share
// vectors with the input it came from, so nothing writes into a vector it
// did not create. Expressions are compiled once per operator (regular
// expressions and LIKE patterns included) and evaluated a batch at a time
// with loops specialised per physical type; a value that is the same for
// every row travels as a one-value constant vector until an operator
// emits it.
//
// Remote queries start fetching when the plan starts (the first Next), each
// on its own goroutine with a small bounded buffer, so both sides of a join
// are fetched concurrently; Close cancels them. The connector's Rows must
// return a new batch from every Next, since the executor holds batches
// while fetching the next ones.
//
// Blocking operators (the build side of a join, sort, aggregation, window
// functions, INTERSECT and EXCEPT) hold what they read in memory; there is
// no spilling yet.
//
// json and jsonb values are text in string vectors (see package
// executor/functions), so operators move them like any other string;
// grouping and joining on jsonb compare and hash them through the function
// library, by value as PostgreSQL does.
//
// Text is compared by bytes (PostgreSQL's C collation), floats order NaN
// above everything, and every error is a pgerr.Error with PostgreSQL's
// SQLSTATE and message. Time zone dependent operations use UTC, the
// session time zone Junction reports.
package executor

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/junction-db/junction/connectors"
	"github.com/junction-db/junction/executor/functions"
	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
	"github.com/junction-db/junction/vector"
)

// Env is what a running plan needs from outside.
type Env struct {
	// Source returns the live connector of a source by name.
	Source func(name string) (connectors.Connector, error)
	// Params are the values of plan.Param ($1 is Params[0]).
	Params []types.Datum
	// Analyze collects per-operator statistics (EXPLAIN ANALYZE).
	Analyze bool
	// Now is the statement's start, the value of now() and
	// current_timestamp; the zero value means the time Build is called.
	Now time.Time
}

// Stats describes what one plan node did.
type Stats struct {
	// Rows and Batches count the node's output.
	Rows    int64
	Batches int64
	// Time is the wall time spent producing the output, inputs included.
	Time time.Duration
	// SourceRows, SourceBytes and SourceTime describe a Remote node's query
	// at the source: rows and approximate bytes received, and the time from
	// sending the query to its last row. Fetching runs ahead of the
	// consumer, so SourceTime may exceed Time.
	SourceRows  int64
	SourceBytes int64
	SourceTime  time.Duration
	// DynamicKeys is how many join keys a dynamic filter sent with the
	// query, and DynamicRanges for how many key columns it sent a min/max
	// range instead.
	DynamicKeys   int64
	DynamicRanges int64
}

// Run is a plan being executed.
type Run struct {
	rt      *runtime
	tree    *tree
	started bool
	closed  bool
}

// Build turns a plan into a running operator tree. Nothing runs until Next.
func Build(ctx context.Context, n plan.Node, env *Env) (_ *Run, err error) {
	rt := newRuntime(ctx, env)
	defer func() {
		if err != nil {
			rt.cancel()
		}
	}()
	defer recoverInternal(&err)
	t, err := (&builder{rt: rt}).tree(n)
	if err != nil {
		return nil, err
	}
	return &Run{rt: rt, tree: t}, nil
}

// Next returns the next batch of results, or nil at the end.
func (r *Run) Next() (b *vector.Batch, err error) {
	if r.closed {
		return nil, nil
	}
	defer recoverInternal(&err)
	if !r.started {
		r.started = true
		r.tree.start()
	}
	for {
		if err := r.rt.checkCanceled(); err != nil {
			return nil, err
		}
		b, err := r.tree.root.next()
		if err != nil || b == nil {
			return nil, err
		}
		if b.Len > 0 {
			return b, nil
		}
	}
}

// Close cancels remote queries and releases everything; it is safe to call
// more than once.
func (r *Run) Close() {
	if r.closed {
		return
	}
	r.closed = true
	r.tree.close()
	r.rt.cancel()
}

// Stats reports what node n did; ok is false unless the plan was built with
// Env.Analyze and n is part of it.
func (r *Run) Stats(n plan.Node) (Stats, bool) {
	st, ok := r.rt.stats[n]
	if !ok {
		return Stats{}, false
	}
	return Stats{
		Rows:        st.rows.Load(),
		Batches:     st.batches.Load(),
		Time:        time.Duration(st.nanos.Load()),
		SourceRows:  st.sourceRows.Load(),
		SourceBytes: st.sourceBytes.Load(),
		SourceTime:  time.Duration(st.sourceNanos.Load()),

		DynamicKeys:   st.dynKeys.Load(),
		DynamicRanges: st.dynRanges.Load(),
	}, true
}

// runtime is what every operator and expression of one run shares.
type runtime struct {
	ctx    context.Context
	cancel context.CancelFunc
	env    *Env
	// fn is what function calls read about the statement.
	fn *functions.Context
	// stats is nil unless the run collects statistics.
	stats map[plan.Node]*nodeStats
	// workTables holds the working table of each running recursive
	// query, by plan.WorkTable ID.
	workTables map[int][]*vector.Batch
}

func newRuntime(ctx context.Context, env *Env) *runtime {
	if env == nil {
		env = &Env{}
	}
	ctx, cancel := context.WithCancel(ctx)
	now := env.Now
	if now.IsZero() {
		now = time.Now()
	}
	rt := &runtime{ctx: ctx, cancel: cancel, env: env, fn: functions.NewContext(now.UnixMicro())}
	if env.Analyze {
		rt.stats = map[plan.Node]*nodeStats{}
	}
	return rt
}

// checkCanceled turns a cancelled context into PostgreSQL's error.
func (rt *runtime) checkCanceled() error {
	err := rt.ctx.Err()
	if err == nil {
		return nil
	}
	return canceledError(err)
}

func canceledError(err error) error {
	if errors.Is(err, context.DeadlineExceeded) {
		return pgerr.New(pgerr.QueryCanceled, "canceling statement due to statement timeout")
	}
	return pgerr.New(pgerr.QueryCanceled, "canceling statement due to user request")
}

// recoverInternal turns a panic into an internal error, so that a bug
// fails one statement instead of the server.
func recoverInternal(err *error) {
	if p := recover(); p != nil {
		*err = pgerr.New(pgerr.InternalError, "internal error in the executor: %v", p)
	}
}

type nodeStats struct {
	rows, batches, nanos                 atomic.Int64
	sourceRows, sourceBytes, sourceNanos atomic.Int64
	dynKeys, dynRanges                   atomic.Int64
}

// statsFor returns the statistics of node n, creating them; several
// operators built from one node (a correlated subquery run per row) add up.
func (rt *runtime) statsFor(n plan.Node) *nodeStats {
	st, ok := rt.stats[n]
	if !ok {
		st = &nodeStats{}
		rt.stats[n] = st
	}
	return st
}

// operator is one running plan node.
type operator interface {
	// next returns the next batch (full vectors only), or nil at the end.
	next() (*vector.Batch, error)
	// close releases the operator and its inputs.
	close()
}

// measured counts an operator's output and time for EXPLAIN ANALYZE.
type measured struct {
	input operator
	st    *nodeStats
}

func (m *measured) next() (*vector.Batch, error) {
	start := time.Now()
	b, err := m.input.next()
	m.st.nanos.Add(int64(time.Since(start)))
	if b != nil {
		m.st.rows.Add(int64(b.Len))
		m.st.batches.Add(1)
	}
	return b, err
}

func (m *measured) close() { m.input.close() }

// tree is a built plan with the remote queries to start with it.
type tree struct {
	root    operator
	remotes []*remoteOp
}

func (t *tree) start() {
	if len(t.remotes) == 1 && !t.remotes[0].waits {
		t.remotes[0].startInline()
		return
	}
	for _, r := range t.remotes {
		if !r.waits {
			r.start()
		}
	}
}

func (t *tree) close() { t.root.close() }

// builder turns plan nodes into operators.
type builder struct {
	rt *runtime
	// outer and outerRow are the row OuterRef reads, inside a correlated
	// subquery; outer is nil elsewhere.
	outer    *vector.Batch
	outerRow int
	remotes  []*remoteOp
}

// tree builds a plan whose remote queries start together.
func (b *builder) tree(n plan.Node) (*tree, error) {
	sub := &builder{rt: b.rt, outer: b.outer, outerRow: b.outerRow}
	root, err := sub.build(n)
	if err != nil {
		return nil, err
	}
	return &tree{root: root, remotes: sub.remotes}, nil
}

func (b *builder) build(n plan.Node) (operator, error) {
	var (
		op  operator
		err error
	)
	switch n := n.(type) {
	case *plan.Remote:
		op, err = b.remote(n)
	case *plan.Rows:
		op = &rowsOp{node: n}
	case *plan.Values:
		op, err = b.values(n)
	case *plan.FuncScan:
		op, err = b.funcScan(n)
	case *plan.Filter:
		op, err = b.filter(n)
	case *plan.Project:
		op, err = b.project(n)
	case *plan.ProjectSet:
		op, err = b.projectSet(n)
	case *plan.Join:
		op, err = b.join(n)
	case *plan.BindJoin:
		op, err = b.bindJoin(n)
	case *plan.Aggregate:
		op, err = b.aggregate(n)
	case *plan.Sort:
		op, err = b.sort(n)
	case *plan.Limit:
		op, err = b.limit(n)
	case *plan.Distinct:
		op, err = b.distinct(n)
	case *plan.Window:
		op, err = b.window(n)
	case *plan.SetOp:
		op, err = b.setOp(n)
	case *plan.RecursiveUnion:
		op, err = b.recursiveUnion(n)
	case *plan.WorkTable:
		op, err = b.workTable(n)
	case *plan.Apply:
		op, err = b.apply(n)
	case *plan.DistinctOn:
		op, err = b.distinctOn(n)
	case *plan.LimitTies:
		op, err = b.limitTies(n)
	case *plan.Scan:
		return nil, pgerr.New(pgerr.InternalError, "table %s.%s reached the executor without a remote query", n.Table.Source, n.Table.Name)
	default:
		return nil, pgerr.NotSupported(fmt.Sprintf("plan node %T", n))
	}
	if err != nil {
		return nil, err
	}
	if b.rt.stats != nil {
		op = &measured{input: op, st: b.rt.statsFor(n)}
	}
	return op, nil
}

// inputs builds several inputs.
func (b *builder) inputs(ns ...plan.Node) ([]operator, error) {
	out := make([]operator, len(ns))
	for i, n := range ns {
		op, err := b.build(n)
		if err != nil {
			return nil, err
		}
		out[i] = op
	}
	return out, nil
}

// drain reads every batch of an operator, then closes it.
func drain(rt *runtime, in operator, each func(*vector.Batch) error) error {
	defer in.close()
	for {
		if err := rt.checkCanceled(); err != nil {
			return err
		}
		b, err := in.next()
		if err != nil || b == nil {
			return err
		}
		if err := each(b); err != nil {
			return err
		}
	}
}
