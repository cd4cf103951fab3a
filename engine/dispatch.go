package engine

import (
	"context"

	"github.com/junction-db/junction/pgerr"
)

func (s *Session) parse(ctx context.Context, sql string, paramOIDs []uint32) ([]*Statement, error) {
	return nil, pgerr.NotSupported("statement dispatch")
}
