// Package memory owns the memory budgets of running queries. A Pool is the
// server-wide budget every query draws from; a Budget is one query's share,
// bounded by work_mem, which the query's operators reserve bytes from
// while they hold rows, and which owns the temporary files they spill to
// when a reservation fails. Sizes are estimates of what the held vectors
// occupy (see BatchBytes), not measurements of the Go heap.
package memory

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/types"
	"github.com/junction-db/junction/vector"
)

// Pool is the memory all running queries share.
type Pool struct {
	limit   int64
	used    atomic.Int64
	spilled atomic.Int64
}

// NewPool returns a pool of limit bytes; zero or less means unlimited.
func NewPool(limit int64) *Pool { return &Pool{limit: limit} }

// Limit is the pool's size in bytes, zero when unlimited.
func (p *Pool) Limit() int64 { return max(p.limit, 0) }

// Used is how many bytes running queries hold now.
func (p *Pool) Used() int64 { return p.used.Load() }

// Spilled is how many bytes the queries of the pool have written to
// temporary files since the pool was made.
func (p *Pool) Spilled() int64 { return p.spilled.Load() }

func (p *Pool) reserve(n int64) bool {
	if p.limit <= 0 {
		p.used.Add(n)
		return true
	}
	for {
		u := p.used.Load()
		if u+n > p.limit {
			return false
		}
		if p.used.CompareAndSwap(u, u+n) {
			return true
		}
	}
}

// Budget is one query's memory: at most limit bytes, and no more than the
// pool has left. Operators of one query may reserve concurrently.
type Budget struct {
	pool    *Pool
	limit   int64
	used    atomic.Int64
	tempDir string

	mu      sync.Mutex
	dir     string // the query's own directory under tempDir, once made
	spilled atomic.Int64
	// closed is set once Close gave everything back to the pool; what
	// operators free afterwards is not given back twice.
	closed atomic.Bool
}

// NewBudget returns a query's budget of limit bytes (zero or less:
// unlimited) drawn from pool (nil: no server-wide bound), spilling to
// files in a directory of its own under tempDir (empty: the system's).
func NewBudget(pool *Pool, limit int64, tempDir string) *Budget {
	if pool == nil {
		pool = NewPool(0)
	}
	return &Budget{pool: pool, limit: limit, tempDir: tempDir}
}

// Unlimited is a budget that never refuses, for evaluations outside a
// query (constant folding) and tests.
func Unlimited() *Budget { return NewBudget(nil, 0, "") }

// Limit is the query's budget in bytes, zero when unlimited.
func (b *Budget) Limit() int64 { return max(b.limit, 0) }

// Spilled is how many bytes the query wrote to temporary files.
func (b *Budget) Spilled() int64 { return b.spilled.Load() }

func (b *Budget) reserve(n int64) bool {
	if n <= 0 {
		return true
	}
	if b.limit > 0 && b.used.Add(n) > b.limit {
		b.used.Add(-n)
		return false
	}
	if b.limit <= 0 {
		b.used.Add(n)
	}
	if !b.pool.reserve(n) {
		b.used.Add(-n)
		return false
	}
	return true
}

func (b *Budget) release(n int64) {
	if n > 0 && !b.closed.Load() {
		b.used.Add(-n)
		b.pool.used.Add(-n)
	}
}

// Close removes the query's temporary files. Reservations should be freed
// by their operators first; whatever they still hold is given back.
func (b *Budget) Close() {
	if !b.closed.Swap(true) {
		b.pool.used.Add(-b.used.Swap(0))
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.dir != "" {
		os.RemoveAll(b.dir)
		b.dir = ""
	}
}

// Reservation is what one operator holds of its query's budget.
type Reservation struct {
	budget *Budget
	held   int64
	// Operator names the operator in the error when memory runs out.
	Operator string
}

// Reserve returns an operator's reservation, holding nothing yet.
func (b *Budget) Reserve(operator string) *Reservation {
	return &Reservation{budget: b, Operator: operator}
}

// Grow reserves n more bytes; false means the budget (the query's or the
// server's) cannot give them, and nothing was reserved.
func (r *Reservation) Grow(n int64) bool {
	if !r.budget.reserve(n) {
		return false
	}
	r.held += n
	return true
}

// MustGrow is Grow for an operator that cannot spill: it fails with
// SQLSTATE 53200 naming the operator.
func (r *Reservation) MustGrow(n int64) error {
	if r.Grow(n) {
		return nil
	}
	return r.OutOfMemory()
}

// Shrink gives back n of the bytes the reservation holds.
func (r *Reservation) Shrink(n int64) {
	n = min(n, r.held)
	r.budget.release(n)
	r.held -= n
}

// Held is how many bytes the reservation holds.
func (r *Reservation) Held() int64 { return r.held }

// Free gives back everything the reservation holds.
func (r *Reservation) Free() {
	r.budget.release(r.held)
	r.held = 0
}

// OutOfMemory is the error of an operator that needs more memory than the
// budget has and cannot spill.
func (r *Reservation) OutOfMemory() error {
	e := pgerr.New(pgerr.OutOfMemory, "out of memory")
	e.Detail = fmt.Sprintf("%s needs more memory than the query's budget allows (work_mem %s; the operator holds %s).",
		r.Operator, FormatBytes(r.budget.Limit()), FormatBytes(r.held))
	if pool := r.budget.pool; pool.Limit() > 0 {
		e.Detail += fmt.Sprintf(" Queries hold %s of the server's max_memory %s.", FormatBytes(pool.Used()), FormatBytes(pool.Limit()))
	}
	return e.WithHint("Raise work_mem, or make the operator's input smaller.")
}

// CreateTemp creates a temporary file in the query's directory, removed
// with the directory when the budget is closed.
func (b *Budget) CreateTemp() (*os.File, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.dir == "" {
		root := b.tempDir
		if root == "" {
			root = os.TempDir()
		}
		if err := os.MkdirAll(root, 0o700); err != nil {
			return nil, tempError(err)
		}
		dir, err := os.MkdirTemp(root, "query-")
		if err != nil {
			return nil, tempError(err)
		}
		b.dir = dir
	}
	f, err := os.CreateTemp(b.dir, "spill-")
	if err != nil {
		return nil, tempError(err)
	}
	return f, nil
}

func tempError(err error) error {
	return pgerr.New("58P01", "could not create temporary file: %v", err)
}

// CountSpilled records n bytes written to a temporary file.
func (b *Budget) CountSpilled(n int64) {
	b.spilled.Add(n)
	if b.pool != nil {
		b.pool.spilled.Add(n)
	}
}

// CleanTempDir removes what earlier runs of the server left in the
// temporary directory (files of queries a crash interrupted).
func CleanTempDir(dir string) error {
	entries, err := os.ReadDir(dir)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return err
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "query-") {
			if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
				return err
			}
		}
	}
	return nil
}

// Per-value sizes of the estimate: the slice element plus, for strings and
// byte strings, the header; a decimal's coefficient is a big.Int.
const (
	stringHeader = 16
	bytesHeader  = 24
	decimalSize  = 64
	intervalSize = 16
)

// BatchBytes estimates the memory a batch's vectors occupy.
func BatchBytes(b *vector.Batch) int64 {
	var total int64
	for _, v := range b.Cols {
		total += VectorBytes(v)
	}
	return total
}

// VectorBytes estimates the memory a vector occupies.
func VectorBytes(v *vector.Vector) int64 {
	total := int64(8 * len(v.Nulls))
	switch v.Type.Physical() {
	case types.PhysBool:
		total += int64(len(v.Bool))
	case types.PhysInt:
		total += 8 * int64(len(v.Int))
	case types.PhysFloat:
		total += 8 * int64(len(v.Float))
	case types.PhysDecimal:
		total += decimalSize * int64(len(v.Dec))
	case types.PhysString:
		total += stringHeader * int64(len(v.Str))
		for _, s := range v.Str {
			total += int64(len(s))
		}
	case types.PhysBytes:
		total += bytesHeader * int64(len(v.Bytes))
		for _, s := range v.Bytes {
			total += int64(len(s))
		}
	case types.PhysInterval:
		total += intervalSize * int64(len(v.Iv))
	}
	return total
}

// MachineMemory is the memory the server may use: the cgroup's limit when
// it has one below the machine's RAM, else the RAM; zero when unknown.
func MachineMemory() int64 {
	total := memTotal()
	if limit := cgroupLimit(); limit > 0 && (total == 0 || limit < total) {
		return limit
	}
	return total
}

func memTotal() int64 {
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return 0
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		fields := strings.Fields(s.Text())
		if len(fields) >= 2 && fields[0] == "MemTotal:" {
			kb, err := strconv.ParseInt(fields[1], 10, 64)
			if err == nil {
				return kb << 10
			}
		}
	}
	return 0
}

func cgroupLimit() int64 {
	for _, path := range []string{"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"} {
		data, err := os.ReadFile(path)
		if err != nil {
			continue
		}
		n, err := strconv.ParseInt(strings.TrimSpace(string(data)), 10, 64)
		if err == nil && n > 0 && n < 1<<60 {
			return n
		}
	}
	return 0
}

// Defaults sizes the budgets from the machine: the server-wide budget is
// half its memory, leaving the rest to the Go runtime's garbage, buffers
// of the sources' drivers and the operating system; one query may take a
// quarter of that, so that a few large queries run side by side. Unknown
// memory gives 4 GiB and 1 GiB. Both are whole megabytes, as SHOW shows
// them.
func Defaults() (global, query int64) {
	m := MachineMemory()
	if m <= 0 {
		m = 8 << 30
	}
	global = m / 2 &^ (1<<20 - 1)
	return global, global / 4 &^ (1<<20 - 1)
}
