package engine

import (
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/types"
)

// SQLSTATEs of transaction and cursor states.
const (
	activeTransaction       = "25001"
	noActiveTransaction     = "25P01"
	inFailedTransaction     = "25P02"
	invalidSavepoint        = "3B001"
	invalidCursorName       = "34000"
	duplicateCursor         = "42P03"
	invalidCursorDefinition = "42P11"
	prerequisiteState       = "55000"
)

// Transaction status bytes of ReadyForQuery.
const (
	TxIdle   byte = 'I'
	TxBlock  byte = 'T'
	TxFailed byte = 'E'
)

// transaction is a session's transaction block. Junction changes no data,
// so a block commits and rolls back nothing at its sources; what it holds
// is what PostgreSQL ties to a transaction that a client can observe: the
// status reported in ReadyForQuery, the refusal of statements after an
// error until the block ends, savepoints and the cursors (and extended-protocol portals) that live until
// it ends.
type transaction struct {
	open   bool
	failed bool
	// implicit is set while a simple query of several statements runs
	// outside a block: PostgreSQL runs them in one implicit transaction,
	// in which cursors may be declared and which closes them at its end.
	implicit bool
	// savepoints are the open savepoints, oldest first.
	savepoints []string
}

// TxStatus is the transaction status ReadyForQuery reports: idle, in a
// block, or in a block that failed.
func (s *Session) TxStatus() byte {
	switch {
	case s.tx.failed:
		return TxFailed
	case s.tx.open:
		return TxBlock
	}
	return TxIdle
}

// Failed records that a statement failed: a transaction block it ran in
// is aborted until ROLLBACK, as in PostgreSQL.
func (s *Session) Failed() {
	if s.tx.open {
		s.tx.failed = true
	}
}

// BeginImplicit starts the implicit transaction of a simple query of
// several statements, unless a block is open.
func (s *Session) BeginImplicit() {
	if !s.tx.open {
		s.tx.implicit = true
	}
}

// EndImplicit ends the implicit transaction, closing the cursors declared
// in it without HOLD, or all of them after an error (ok false).
func (s *Session) EndImplicit(ok bool) {
	if s.tx.implicit {
		s.tx.implicit = false
		s.cursors.endTransaction(ok)
	}
}

// inTransaction tells whether a transaction, explicit or implicit, is
// running for the statement at hand.
func (s *Session) inTransaction() bool { return s.tx.open || s.tx.implicit }

// abortedError is what every statement but the ones ending the block gets
// in a failed transaction block.
func abortedError() error {
	return pgerr.New(inFailedTransaction, "current transaction is aborted, commands ignored until end of transaction block")
}

// endsTransaction tells whether a statement may run in a failed
// transaction block: the ones that end it or roll back to a savepoint.
func endsTransaction(n *pg.Node) bool {
	ts := n.GetTransactionStmt()
	if ts == nil {
		return false
	}
	switch ts.Kind {
	case pg.TransactionStmtKind_TRANS_STMT_COMMIT, pg.TransactionStmtKind_TRANS_STMT_ROLLBACK,
		pg.TransactionStmtKind_TRANS_STMT_ROLLBACK_TO, pg.TransactionStmtKind_TRANS_STMT_PREPARE,
		pg.TransactionStmtKind_TRANS_STMT_COMMIT_PREPARED, pg.TransactionStmtKind_TRANS_STMT_ROLLBACK_PREPARED:
		return true
	}
	return false
}

// prepareTransaction prepares BEGIN, COMMIT, ROLLBACK and the savepoint
// statements.
func (s *Session) prepareTransaction(ts *pg.TransactionStmt, st *Statement) (*Statement, error) {
	var run func() (*Result, error)
	switch ts.Kind {
	case pg.TransactionStmtKind_TRANS_STMT_BEGIN, pg.TransactionStmtKind_TRANS_STMT_START:
		if err := transactionModes(ts.Options); err != nil {
			return nil, err
		}
		tag := "BEGIN"
		if ts.Kind == pg.TransactionStmtKind_TRANS_STMT_START {
			tag = "START TRANSACTION"
		}
		run = func() (*Result, error) { return s.begin(tag), nil }
	case pg.TransactionStmtKind_TRANS_STMT_COMMIT:
		run = func() (*Result, error) { return s.endTransaction("COMMIT", ts.Chain, true) }
	case pg.TransactionStmtKind_TRANS_STMT_ROLLBACK:
		run = func() (*Result, error) { return s.endTransaction("ROLLBACK", ts.Chain, false) }
	case pg.TransactionStmtKind_TRANS_STMT_SAVEPOINT:
		run = func() (*Result, error) { return s.savepoint(ts.SavepointName) }
	case pg.TransactionStmtKind_TRANS_STMT_RELEASE:
		run = func() (*Result, error) { return s.release(ts.SavepointName) }
	case pg.TransactionStmtKind_TRANS_STMT_ROLLBACK_TO:
		run = func() (*Result, error) { return s.rollbackTo(ts.SavepointName) }
	default:
		return nil, pgerr.NotSupported(strings.ReplaceAll(strings.TrimPrefix(ts.Kind.String(), "TRANS_STMT_"), "_", " ") + " TRANSACTION")
	}
	st.txExit = endsTransaction(&pg.Node{Node: &pg.Node_TransactionStmt{TransactionStmt: ts}})
	st.run = func(runContext, []types.Datum) (*Result, error) { return run() }
	return st, nil
}

// transactionModes checks BEGIN's modes. Junction is read-only and runs
// each statement against its sources as they are when it runs: READ WRITE
// is refused, and so are the isolation levels that promise one snapshot
// for the whole block.
func transactionModes(options []*pg.Node) error {
	for _, o := range options {
		d := o.GetDefElem()
		if d == nil {
			continue
		}
		c := d.Arg.GetAConst()
		switch d.Defname {
		case "transaction_isolation":
			if c == nil || c.GetSval() == nil {
				continue
			}
			if _, err := transactionSetting(d.Defname, c.GetSval().Sval); err != nil {
				return err
			}
		case "transaction_read_only":
			if c != nil && c.GetIval() != nil && c.GetIval().Ival == 0 {
				return readWriteRefused()
			}
		}
	}
	return nil
}

// prepareSetTransaction prepares SET TRANSACTION and SET SESSION
// CHARACTERISTICS AS TRANSACTION, whose modes are BEGIN's.
func (s *Session) prepareSetTransaction(vs *pg.VariableSetStmt, st *Statement) (*Statement, error) {
	if vs.Name != "TRANSACTION" && vs.Name != "SESSION CHARACTERISTICS" {
		return nil, pgerr.NotSupported("SET " + vs.Name)
	}
	if err := transactionModes(vs.Args); err != nil {
		return nil, err
	}
	st.run = func(runContext, []types.Datum) (*Result, error) {
		if vs.Name == "TRANSACTION" && !s.tx.open {
			return &Result{Tag: "SET", Notices: []*pgerr.Error{pgerr.New(noActiveTransaction, "SET TRANSACTION can only be used in transaction blocks")}}, nil
		}
		return &Result{Tag: "SET"}, nil
	}
	return st, nil
}

// transactionSetting checks a value of the transaction settings
// (transaction_read_only, transaction_isolation and their defaults) and
// returns it as SHOW shows it: Junction's transactions are all read-only
// and read committed (PostgreSQL runs READ UNCOMMITTED as READ COMMITTED).
func transactionSetting(name, value string) (string, error) {
	if strings.HasSuffix(name, "read_only") {
		switch strings.ToLower(value) {
		case "on", "true", "yes", "1", "t", "y":
			return "on", nil
		case "off", "false", "no", "0", "f", "n":
			return "", readWriteRefused()
		}
		return "", pgerr.New(pgerr.InvalidParameterValue, "parameter \"%s\" requires a Boolean value", name)
	}
	switch v := strings.ToLower(value); v {
	case "read committed", "read uncommitted":
		return "read committed", nil
	case "repeatable read", "serializable":
		return "", pgerr.NotSupported("transaction isolation level " + v).
			WithHint("Junction reads its sources afresh for every statement; use READ COMMITTED.")
	}
	return "", pgerr.New(pgerr.InvalidParameterValue, "invalid value for parameter \"%s\": \"%s\"", name, value)
}

func readWriteRefused() error {
	return pgerr.New(pgerr.ReadOnlyTransaction, "cannot set transaction read-write mode: Junction is read-only")
}

func (s *Session) begin(tag string) *Result {
	if s.tx.open {
		return &Result{Tag: tag, Notices: []*pgerr.Error{pgerr.New(activeTransaction, "there is already a transaction in progress")}}
	}
	s.tx = transaction{open: true}
	return &Result{Tag: tag}
}

// endTransaction ends the block with COMMIT (commit) or ROLLBACK. A
// failed block can only roll back, and says so in its tag. AND CHAIN
// starts a new block right away.
func (s *Session) endTransaction(tag string, chain, commit bool) (*Result, error) {
	if !s.tx.open {
		if chain {
			return nil, pgerr.New(noActiveTransaction, "%s AND CHAIN can only be used in transaction blocks", tag)
		}
		return &Result{Tag: tag, Notices: []*pgerr.Error{pgerr.New(noActiveTransaction, "there is no transaction in progress")}}, nil
	}
	if s.tx.failed {
		tag, commit = "ROLLBACK", false
	}
	s.tx = transaction{}
	s.cursors.endTransaction(commit)
	if chain {
		s.begin("BEGIN")
	}
	return &Result{Tag: tag}, nil
}

func (s *Session) savepoint(name string) (*Result, error) {
	if !s.tx.open {
		return nil, pgerr.New(noActiveTransaction, "SAVEPOINT can only be used in transaction blocks")
	}
	s.tx.savepoints = append(s.tx.savepoints, name)
	return &Result{Tag: "SAVEPOINT"}, nil
}

// findSavepoint returns the index of the newest savepoint called name.
func (s *Session) findSavepoint(statement, name string) (int, error) {
	if !s.tx.open {
		return 0, pgerr.New(noActiveTransaction, "%s can only be used in transaction blocks", statement)
	}
	for i := len(s.tx.savepoints) - 1; i >= 0; i-- {
		if s.tx.savepoints[i] == name {
			return i, nil
		}
	}
	return 0, pgerr.New(invalidSavepoint, "savepoint \"%s\" does not exist", name)
}

// release forgets the savepoint and every one set after it.
func (s *Session) release(name string) (*Result, error) {
	i, err := s.findSavepoint("RELEASE SAVEPOINT", name)
	if err != nil {
		return nil, err
	}
	s.tx.savepoints = s.tx.savepoints[:i]
	s.cursors.release(i)
	return &Result{Tag: "RELEASE"}, nil
}

// rollbackTo returns the block to the savepoint: it is no longer failed,
// later savepoints are gone and so are the cursors declared since.
func (s *Session) rollbackTo(name string) (*Result, error) {
	i, err := s.findSavepoint("ROLLBACK TO SAVEPOINT", name)
	if err != nil {
		return nil, err
	}
	s.tx.savepoints = s.tx.savepoints[:i+1]
	s.tx.failed = false
	s.cursors.rollbackTo(i + 1)
	return &Result{Tag: "ROLLBACK"}, nil
}
