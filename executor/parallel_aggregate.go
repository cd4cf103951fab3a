package executor

import (
	goruntime "runtime"
	"sync/atomic"

	"github.com/junction-db/junction/executor/functions"
)

// parallelRows is how many rows an aggregation reads on its own before it
// spreads the rest over several partial aggregations: below it, starting
// goroutines and merging cost more than they save.
const parallelRows = 1 << 16

// parallelAggregation runs partial aggregations on goroutines of their own
// beside the operator's. Batches go round-robin, the operator's own
// partial taking every (workers+1)-th, so which rows each partial sees,
// and hence the order of the merged groups, depends only on the input.
type parallelAggregation struct {
	o       *aggregateOp
	n       int // worker goroutines
	workers []*aggWorker
	turn    int
	stopped bool
	failed  atomic.Bool // a worker has an error
}

// aggWorker is a partial aggregation on a goroutine, fed through in.
type aggWorker struct {
	part *aggPartial
	in   chan aggInput
	done chan struct{}
	err  error // read after done is closed
}

// parallel returns the parallel aggregation of o, or nil when o runs
// alone: on a single core, or when an aggregate's partial states cannot
// be merged exactly (float sums depend on the order of addition,
// string_agg and DISTINCT on seeing every row).
func (o *aggregateOp) parallel() *parallelAggregation {
	n := goruntime.GOMAXPROCS(0) - 1
	if n < 1 {
		return nil
	}
	for _, a := range o.aggs {
		st, err := functions.NewAgg(a.call, a.argTypes)
		if err != nil || !st.Mergeable() || a.call.Distinct {
			return nil
		}
	}
	return &parallelAggregation{o: o, n: n}
}

// add hands a batch to a worker, or reports that it is the operator's
// partial's turn (handled false).
func (p *parallelAggregation) add(in aggInput) (handled bool, err error) {
	if p.workers == nil {
		if err := p.start(); err != nil {
			return false, err
		}
	}
	if p.failed.Load() {
		p.stop()
		return false, p.err()
	}
	k := p.turn % (p.n + 1)
	p.turn++
	if k == 0 {
		return false, nil
	}
	p.workers[k-1].in <- in
	return true, nil
}

func (p *parallelAggregation) start() error {
	for range p.n {
		part, err := p.o.newPartial()
		if err != nil {
			return err
		}
		w := &aggWorker{part: part, in: make(chan aggInput, 2), done: make(chan struct{})}
		p.workers = append(p.workers, w)
		go w.run(&p.failed)
	}
	return nil
}

func (w *aggWorker) run(failed *atomic.Bool) {
	defer close(w.done)
	for in := range w.in {
		if w.err == nil {
			if w.err = w.add(in); w.err != nil {
				failed.Store(true)
			}
		}
	}
}

func (w *aggWorker) add(in aggInput) (err error) {
	// A bug fails the statement, not the server.
	defer recoverInternal(&err)
	return w.part.add(in)
}

// stop ends the workers and waits for them; it is safe on nil and more
// than once.
func (p *parallelAggregation) stop() {
	if p == nil || p.stopped {
		return
	}
	p.stopped = true
	for _, w := range p.workers {
		close(w.in)
	}
	for _, w := range p.workers {
		<-w.done
	}
}

// err is the first worker's error, after stop.
func (p *parallelAggregation) err() error {
	for _, w := range p.workers {
		if w.err != nil {
			return w.err
		}
	}
	return nil
}

// mergeInto stops the workers and merges their partials into dst, in
// worker order; nothing to do on nil.
func (p *parallelAggregation) mergeInto(dst *aggPartial) error {
	if p == nil {
		return nil
	}
	p.stop()
	if err := p.err(); err != nil {
		return err
	}
	for _, w := range p.workers {
		if err := dst.merge(w.part); err != nil {
			return err
		}
	}
	return nil
}
