package engine

import (
	"runtime"
	"runtime/metrics"

	"github.com/junction-db/junction/catalog/system"
)

// heapObjects is the runtime metric of the memory held by heap objects,
// read without stopping the world as runtime.ReadMemStats would.
const heapObjects = "/memory/classes/heap/objects:bytes"

// serverStatus is what junction.server shows.
func (e *Engine) serverStatus() system.ServerStatus {
	sample := []metrics.Sample{{Name: heapObjects}}
	metrics.Read(sample)
	var heap int64
	if sample[0].Value.Kind() == metrics.KindUint64 {
		heap = int64(sample[0].Value.Uint64())
	}
	return system.ServerStatus{
		Started:    e.started,
		Sessions:   int(e.sessions.Load()),
		Goroutines: runtime.NumGoroutine(),
		HeapBytes:  heap,
	}
}
