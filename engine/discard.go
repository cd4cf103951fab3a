package engine

import (
	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/types"
)

// prepareDiscard prepares DISCARD. Junction has no temporary tables or
// sequences, so DISCARD TEMP and SEQUENCES have nothing to drop; DISCARD
// PLANS forgets the session's cached plans, and DISCARD ALL, which
// connection poolers send between clients, also closes every cursor and
// resets every setting.
func (s *Session) prepareDiscard(ds *pg.DiscardStmt, st *Statement) (*Statement, error) {
	st.run = func(runContext, []types.Datum) (*Result, error) {
		switch ds.Target {
		case pg.DiscardMode_DISCARD_ALL:
			if s.tx.open {
				return nil, pgerr.New(activeTransaction, "DISCARD ALL cannot run inside a transaction block")
			}
			s.cursors.closeAll()
			s.resetAuthorization("session_authorization")
			s.settings = s.defaultSettings()
			s.settingsGeneration++
			s.forgetPlans()
			return &Result{Tag: "DISCARD ALL"}, nil
		case pg.DiscardMode_DISCARD_PLANS:
			s.forgetPlans()
			return &Result{Tag: "DISCARD PLANS"}, nil
		case pg.DiscardMode_DISCARD_SEQUENCES:
			return &Result{Tag: "DISCARD SEQUENCES"}, nil
		}
		return &Result{Tag: "DISCARD TEMP"}, nil
	}
	return st, nil
}

func (s *Session) forgetPlans() {
	clear(s.statements)
	clear(s.templates)
}
