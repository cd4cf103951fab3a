package engine

import (
	"context"
	"github.com/junction-db/junction/executor/memory"
	"strconv"
	"time"

	"github.com/junction-db/junction/catalog"
	"github.com/junction-db/junction/catalog/system"
	"github.com/junction-db/junction/connectors"
	"github.com/junction-db/junction/executor/functions"
	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/planner"
	"github.com/junction-db/junction/telemetry"
	"github.com/junction-db/junction/types"
)

// Session is one client connection's state: its user, its settings and the
// statements it runs. A Session is used by one goroutine at a time.
type Session struct {
	engine *Engine
	// user is the current role (current_user), sessionUser the session's
	// (session_user) and login the role that authenticated; they differ
	// after SET ROLE and SET SESSION AUTHORIZATION.
	user, sessionUser, login string
	// superuser is whether user may run statements that change the
	// catalog; see checkPrivilege. It follows the catalog role as of
	// roleSnap (see refreshRole).
	superuser bool
	roleSnap  *catalog.Snapshot
	// client is the client's address, for the query history and audit.
	client   string
	database string
	settings map[string]string
	started  time.Time
	// settingsGeneration counts changes to settings; see planVersion.
	settingsGeneration uint64
	// statements caches prepared statements by their text.
	statements map[statementKey]cachedStatements
	// templates caches queries prepared from texts whose integer
	// constants were made parameters, by that text.
	templates map[statementKey]cachedTemplate
	// tx is the transaction block, if one is open.
	tx transaction
	// cursors are the open cursors by name.
	cursors cursors
	// random is the generator random() draws from and setseed seeds.
	random *functions.Random
}

// NewSession starts a session for an authenticated user.
func (e *Engine) NewSession(user, database string) *Session {
	e.sessions.Add(1)
	e.cfg.Metrics.SessionOpened()
	s := &Session{engine: e, user: user, sessionUser: user, login: user, database: database, superuser: e.isSuperuser(user), started: time.Now(),
		statements: map[statementKey]cachedStatements{}, templates: map[statementKey]cachedTemplate{}, cursors: cursors{},
		random: functions.NewRandom()}
	s.settings = s.defaultSettings()
	return s
}

// isSuperuser reports whether user is a superuser now; see superuserIn.
func (e *Engine) isSuperuser(user string) bool {
	return e.superuserIn(e.catalog.Snapshot(), user)
}

// defaultSettings are the session's settings after RESET ALL: the
// engine's, with is_superuser telling the truth about the session's user.
func (s *Session) defaultSettings() map[string]string {
	settings := s.engine.defaultSettings()
	settings["is_superuser"] = onOff(s.superuser)
	// SET ROLE and SET SESSION AUTHORIZATION outlast RESET ALL, as in
	// PostgreSQL.
	settings["session_authorization"] = s.sessionUser
	settings["role"] = "none"
	if s.user != s.sessionUser {
		settings["role"] = s.user
	}
	return settings
}

// SetClientAddr tells the session its client's address (host:port),
// which the query history and the audit log show.
func (s *Session) SetClientAddr(addr string) { s.client = addr }

// Parse splits sql into statements and prepares each: names are resolved
// and result columns and parameter types are known afterwards. paramOIDs are
// the types the client declared for $1, $2, ... (0 = infer).
//
// A text that fails here is recorded as a failed query; one that parses
// is recorded when its statements run.
func (s *Session) Parse(ctx context.Context, sql string, paramOIDs []uint32) (stmts []*Statement, err error) {
	started := time.Now()
	defer func() {
		if err != nil {
			s.engine.endQuery(s.startQuery(sql, true, started), 0, err)
		}
	}()
	defer recoverInternal(&err)
	s.refreshRole()
	if s.tx.failed {
		if err := refuseInFailedTransaction(sql); err != nil {
			return nil, err
		}
	}
	return s.parse(ctx, sql, paramOIDs)
}

// refuseInFailedTransaction refuses sql, in a failed transaction block,
// unless all it does is end the block: PostgreSQL does not even look up
// the names of other statements then.
func refuseInFailedTransaction(sql string) error {
	raws, err := planner.Parse(sql)
	if err != nil {
		return err
	}
	for _, raw := range raws {
		if !endsTransaction(raw.Stmt) {
			return abortedError()
		}
	}
	return nil
}

// Execute runs a prepared statement with parameter values of the types in
// st.Params. The caller must Close the result's Rows.
func (s *Session) Execute(ctx context.Context, st *Statement, params []types.Datum) (res *Result, err error) {
	rec := s.startQuery(st.SQL, st.secret, time.Now())
	ctx = telemetry.WithQuery(ctx, rec.query)
	defer func() { res = s.engine.recorded(rec, res, err) }()
	defer recoverInternal(&err)
	s.refreshRole()
	if s.tx.failed && !st.txExit {
		return nil, abortedError()
	}
	if st.privileged != nil {
		// The role may have lost the privilege since it prepared st.
		if err := s.checkPrivilege(st.privileged); err != nil {
			return nil, err
		}
	}
	if timeout := s.StatementTimeout(); timeout > 0 {
		// The caller ends ctx at the timeout; the sources learn it too.
		ctx = connectors.WithStatementTimeout(ctx, timeout)
	}
	return st.run(runContext{ctx: ctx, session: s}, params)
}

// recoverInternal turns a panic while planning into an internal error, so
// that a bug fails one statement instead of the server.
func recoverInternal(err *error) {
	if p := recover(); p != nil {
		*err = pgerr.New(pgerr.InternalError, "internal error: %v", p)
	}
}

// ParameterStatus lists the settings reported to the client at start-up
// (server_version, client_encoding, DateStyle, ...).
func (s *Session) ParameterStatus() map[string]string {
	out := map[string]string{}
	for _, k := range reportedSettings {
		out[k] = s.settings[k]
	}
	return out
}

// SettingsGeneration changes whenever a setting may have changed, so that
// a caller can skip looking at unchanged settings.
func (s *Session) SettingsGeneration() uint64 { return s.settingsGeneration }

// Close ends the session and closes its cursors.
func (s *Session) Close() {
	s.cursors.closeAll()
	s.engine.sessions.Add(-1)
	s.engine.cfg.Metrics.SessionClosed()
}

type runContext struct {
	ctx     context.Context
	session *Session
}

var reportedSettings = []string{"server_version", "server_encoding", "client_encoding", "DateStyle", "IntervalStyle", "TimeZone", "integer_datetimes", "standard_conforming_strings", "application_name", "is_superuser", "session_authorization"}

// maxConnections is the read-only setting that shows the server's bound
// on client sessions; changing it is SQLSTATE 55P02, as in PostgreSQL.
const (
	maxConnections         = "max_connections"
	cantChangeRuntimeParam = "55P02"
)

// defaultSettings are a new session's settings; the timeouts and
// max_connections are the server's.
func (e *Engine) defaultSettings() map[string]string {
	settings := map[string]string{
		statementTimeout:         formatTimeSetting(e.cfg.StatementTimeout.Milliseconds()),
		idleInTransactionTimeout: formatTimeSetting(e.cfg.IdleInTransactionTimeout.Milliseconds()),
		workMem:                  memory.FormatBytes(e.cfg.WorkMem),
		// Empty: each accelerated table's own max_staleness bounds the
		// age of the copy a query reads.
		maxStalenessSetting:           "",
		"server_version":              "15.0 (Junction)",
		"server_version_num":          "150000",
		"server_encoding":             "UTF8",
		"client_encoding":             "UTF8",
		"DateStyle":                   "ISO, MDY",
		"IntervalStyle":               "postgres",
		"TimeZone":                    "UTC",
		"integer_datetimes":           "on",
		"standard_conforming_strings": "on",
		"application_name":            "",
		"search_path":                 "\"$user\", public",
		"extra_float_digits":          "1",
		"transaction_isolation":       "read committed",
		"max_identifier_length":       "63",
		"max_index_keys":              "32",
		"bytea_output":                "hex",
		// Role passwords are stored as SCRAM-SHA-256 verifiers, which
		// psql's \password asks about before it sends one.
		"password_encryption": "scram-sha-256",
		// to_char, to_number, to_date and to_timestamp use the C locale's
		// symbols and names.
		"lc_numeric":  "C",
		"lc_monetary": "C",
		"lc_time":     "C",

		// Every transaction is read-only and read committed.
		"default_transaction_isolation": "read committed",
		"transaction_read_only":         "on",
		"default_transaction_read_only": "on",
	}
	if e.cfg.MaxConnections > 0 {
		settings[maxConnections] = strconv.Itoa(e.cfg.MaxConnections)
	}
	return settings
}

// RegNamer returns the text output of an OID alias type (regclass, ...)
// for the session's catalog and search path; ok is false for other types.
func (s *Session) RegNamer(t types.Type) (func(oid uint32) string, bool) {
	return system.RegNamer(func() *system.Info { return s.env().System }, t)
}

// RolesOf returns role, the roles whose privileges it inherits, and
// "public", from the catalog's roles.
func (e *Engine) RolesOf(role string) []string { return e.catalog.Snapshot().MemberOf(role, true) }

// IsSuperuser reports whether role bypasses access checks.
func (e *Engine) IsSuperuser(role string) bool { return e.isSuperuser(role) }
