package engine

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/junction-db/junction/catalog"
)

// planVersion identifies everything a bound plan depends on
// besides its SQL text and parameter values: the catalog snapshot (every
// catalog change - CREATE/ALTER/DROP SERVER, IMPORT FOREIGN SCHEMA, CREATE
// and DROP VIEW - installs a new one), the generation of the live source
// connections (whose dialects the optimizer renders for) and the session's
// settings generation (search_path and every other setting a plan may have
// read). A plan bound under one version is reused only under the same one.
type planVersion struct {
	snapshot *catalog.Snapshot
	sources  uint64
	settings uint64
}

func (s *Session) planVersion() planVersion {
	return planVersion{snapshot: s.engine.catalog.Snapshot(), sources: s.engine.sourcesGeneration.Load(), settings: s.settingsGeneration}
}

// maxCachedStatements bounds a session's statement cache. A client that
// sends ever-new statement texts (literals in the text) refills it from
// scratch rather than growing it.
const maxCachedStatements = 256

// statementKey is a statement cache key: the SQL text and the parameter
// types the client declared.
type statementKey struct {
	sql    string
	params string
}

// cachedStatements are the statements a text was prepared into, and the
// version they were prepared under.
type cachedStatements struct {
	version planVersion
	stmts   []*Statement
}

// timeWords are the date/time input words that stand for the current
// moment.
var timeWords = regexp.MustCompile(`(?i)now|today|tomorrow|yesterday`)

func newStatementKey(sql string, paramOIDs []uint32) statementKey {
	if len(paramOIDs) == 0 {
		return statementKey{sql: sql}
	}
	var b strings.Builder
	for _, oid := range paramOIDs {
		b.WriteString(strconv.FormatUint(uint64(oid), 10))
		b.WriteByte(',')
	}
	return statementKey{sql: sql, params: b.String()}
}

// cachedParse returns the statements sql was last prepared into when
// nothing they depend on has changed since.
func (s *Session) cachedParse(key statementKey, v planVersion) ([]*Statement, bool) {
	c, ok := s.statements[key]
	if !ok || c.version != v {
		return nil, false
	}
	return c.stmts, true
}

// rememberParse caches stmts for key when every one of them may be
// executed again as it is (queries; not DDL or SET, which act at once) and
// the text has no word whose value depends on the moment it is read
// ('today'::date, timestamp 'now'): a simple query reads those afresh
// each time, as PostgreSQL does.
func (s *Session) rememberParse(key statementKey, v planVersion, stmts []*Statement) {
	if timeWords.MatchString(key.sql) {
		return
	}
	for _, st := range stmts {
		if !st.reusable {
			return
		}
	}
	if len(s.statements) >= maxCachedStatements {
		clear(s.statements)
	}
	s.statements[key] = cachedStatements{version: v, stmts: stmts}
}
