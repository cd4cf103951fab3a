package engine

import (
	"runtime"
	"runtime/metrics"

	"github.com/junction-db/junction/catalog/system"
)

// The runtime metrics of the heap, read without stopping the world as
// runtime.ReadMemStats would: the memory held by heap objects, live or
// not yet collected, and the live heap the last collection found.
const (
	heapObjects = "/memory/classes/heap/objects:bytes"
	heapLive    = "/gc/heap/live:bytes"
)

// serverStatus is what junction.server shows.
func (e *Engine) serverStatus() system.ServerStatus {
	samples := []metrics.Sample{{Name: heapObjects}, {Name: heapLive}}
	metrics.Read(samples)
	bytes := func(s metrics.Sample) int64 {
		if s.Value.Kind() != metrics.KindUint64 {
			return 0
		}
		return int64(s.Value.Uint64())
	}
	return system.ServerStatus{
		Started:       e.started,
		Sessions:      int(e.sessions.Load()),
		Goroutines:    runtime.NumGoroutine(),
		HeapBytes:     bytes(samples[0]),
		HeapLiveBytes: bytes(samples[1]),
	}
}
