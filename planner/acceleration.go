package planner

import (
	"time"

	"github.com/junction-db/junction/catalog"
	"github.com/junction-db/junction/connectors"
	"github.com/junction-db/junction/plan"
)

// Acceleration is the choice, for one scan of an accelerated source
// table, between the table's local copy and the source.
type Acceleration struct {
	// Copy is the local copy's table to read; "" reads the source.
	Copy string
	// Note says, for EXPLAIN, which one is read and why.
	Note string
	// Until is when the choice stops holding by the clock alone (the
	// copy read grows too old); zero when only a new copy changes it.
	Until time.Time
}

// accelerate points scan, a source table just bound with its privileges
// checked and its row policies and masks put above it, at the table's
// local copy when the engine says the copy is fresh enough: the copy
// holds the same rows, so everything above reads it unchanged. The
// choice is recorded for EXPLAIN and for when the plan stops holding.
func (b *binder) accelerate(scan *plan.Scan) {
	if b.env.Acceleration == nil || scan.Table.Source == catalog.LocalCopiesSource {
		return
	}
	src, t, ok := b.env.Snapshot.FindTable(scan.Table.Source, scan.Table.RemoteSchema, scan.Table.RemoteName)
	if !ok {
		return
	}
	a, ok := b.env.Acceleration(src, t)
	if !ok {
		return
	}
	b.accelerated = true
	if !a.Until.IsZero() && (b.accelUntil.IsZero() || a.Until.Before(b.accelUntil)) {
		b.accelUntil = a.Until
	}
	scan.Acceleration = a.Note
	if a.Copy != "" {
		origin := scan.Table
		scan.Table.Source, scan.Table.RemoteSchema, scan.Table.RemoteName, scan.Table.CopyOf = catalog.LocalCopiesSource, "", a.Copy, &origin
	}
}

// AccelerationFunc decides how a scan of table t of src reads it; false
// when the table is not accelerated.
type AccelerationFunc func(src *catalog.Source, t *connectors.Table) (Acceleration, bool)

// accelerationLines are the choices of the scans of a query a source
// runs, for EXPLAIN.
func accelerationLines(n plan.Node) []string {
	var out []string
	if s, ok := n.(*plan.Scan); ok && s.Acceleration != "" {
		out = append(out, s.Acceleration)
	}
	for _, in := range n.Inputs() {
		out = append(out, accelerationLines(in)...)
	}
	return out
}
