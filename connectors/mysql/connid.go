package mysql

import (
	"context"
	"database/sql"
	"sync"
)

// connIDs remembers the server's id of each pooled connection, which KILL
// QUERY names, so that a query does not pay a round trip to ask for it.
// The pool does not say when it closes a connection; the cache is emptied
// when it holds twice as many entries as the pool can have open, which
// keeps it bounded and drops the ids of closed connections.
type connIDs struct {
	mu  sync.Mutex
	ids map[any]int64 // by the driver's connection
	max int
}

func newConnIDs(maxOpen int) *connIDs {
	return &connIDs{ids: map[any]int64{}, max: 2 * max(maxOpen, 1)}
}

// of returns the server's id of conn, asking the server the first time.
func (c *connIDs) of(ctx context.Context, conn *sql.Conn) (int64, error) {
	var key any
	if err := conn.Raw(func(dc any) error { key = dc; return nil }); err != nil {
		return 0, err
	}
	c.mu.Lock()
	id, ok := c.ids[key]
	c.mu.Unlock()
	if ok {
		return id, nil
	}
	if err := conn.QueryRowContext(ctx, "SELECT CONNECTION_ID()").Scan(&id); err != nil {
		return 0, err
	}
	c.mu.Lock()
	if len(c.ids) >= c.max {
		clear(c.ids)
	}
	c.ids[key] = id
	c.mu.Unlock()
	return id, nil
}
