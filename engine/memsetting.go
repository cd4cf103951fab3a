package engine

import (
	"github.com/junction-db/junction/executor/memory"
)

// workMem is the setting bounding the memory one query's operators hold
// together. PostgreSQL's work_mem bounds each sort or hash table; Junction
// bounds their sum, so that one query, however many operators it has,
// stays within it. Over it, sorts and hash joins spill to temporary files
// and the other operators fail with SQLSTATE 53200.
const workMem = "work_mem"

// memoryBudget is the budget of one query of the session: work_mem,
// drawn from the server's pool, spilling to the server's temporary
// directory.
func (s *Session) memoryBudget() *memory.Budget {
	limit, err := memory.ParseSetting(workMem, s.settings[workMem])
	if err != nil {
		limit = s.engine.cfg.WorkMem
	}
	return memory.NewBudget(s.engine.memory, limit, s.engine.cfg.TempDir)
}

// MemoryPool is the memory all queries of the server share.
func (e *Engine) MemoryPool() *memory.Pool { return e.memory }
