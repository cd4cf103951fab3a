package engine

import (
	"context"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/junction-db/junction/catalog"
	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/planner"
	"github.com/junction-db/junction/types"
)

// planVersion identifies everything a bound plan depends on
// besides its SQL text and parameter values: the catalog snapshot (every
// catalog change - CREATE/ALTER/DROP SERVER, IMPORT FOREIGN SCHEMA, CREATE
// and DROP VIEW - installs a new one), the generation of the live source
// connections (whose dialects the optimizer renders for) and the session's
// settings generation (search_path and every other setting a plan may have
// read). A plan bound under one version is reused only under the same one.
type planVersion struct {
	// user is the role the plan was bound for: row policies and masks
	// make plans differ by role.
	user     string
	snapshot *catalog.Snapshot
	sources  uint64
	settings uint64
}

func (s *Session) planVersion() planVersion {
	return planVersion{user: s.user, snapshot: s.engine.catalog.Snapshot(), sources: s.engine.sourcesGeneration.Load(), settings: s.settingsGeneration}
}

// maxCachedStatements bounds each of a session's caches, so that many
// sessions hold little memory. A client that sends ever-new statement
// texts refills a cache from scratch rather than growing it.
const maxCachedStatements = 64

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

// cachedTemplate is a query prepared from a text whose integer constants
// were made parameters, or nil when that text cannot stand for the
// queries it was made from or has been seen only once.
type cachedTemplate struct {
	version planVersion
	stmt    *Statement
	tried   bool
}

// fromTemplate prepares sql, a text without parameters, from the template
// of its shape: the query bound once for any values of its integer
// constants. Clients that put values into the query text instead of
// parameters (pgbench, ORMs, psql users) then skip parsing and binding.
func (s *Session) fromTemplate(sql string, v planVersion) (*Statement, bool) {
	shape, values, bigint, ok := integerLiterals(sql)
	if !ok {
		return nil, false
	}
	t, ok := s.templates[templateKey(shape, bigint)]
	if !ok || t.version != v || t.stmt == nil {
		return nil, false
	}
	args := literalValues(values)
	tmpl := t.stmt
	return &Statement{SQL: sql, Columns: tmpl.Columns, run: func(rc runContext, _ []types.Datum) (*Result, error) {
		return tmpl.run(rc, args)
	}}, true
}

// rememberTemplate makes a template of sql, just prepared into stmts,
// when sql is one query whose integer constants can be parameters: the
// text with parameters in their place, of the constants' types, must bind
// to the very plan sql did once the values are put back. That rules out
// constants that are not values (ORDER BY 1, GROUP BY 1), ones folded while
// binding and everything else a parameter would change. A text that fails
// the test is remembered too, so that it is not tried again. A shape is
// tried when it comes a second time: most texts of an ad hoc workload come
// once, and would pay for a second binding for nothing.
func (s *Session) rememberTemplate(ctx context.Context, sql string, v planVersion, stmts []*Statement) {
	if len(stmts) != 1 || stmts[0].bound == nil || timeWords.MatchString(sql) {
		return
	}
	shape, values, bigint, ok := integerLiterals(sql)
	if !ok {
		return
	}
	key := templateKey(shape, bigint)
	t, seen := s.templates[key]
	if seen && t.version == v && t.tried {
		return
	}
	if len(s.templates) >= maxCachedStatements {
		clear(s.templates)
	}
	if !seen || t.version != v {
		s.templates[key] = cachedTemplate{version: v}
		return
	}
	oids := make([]uint32, len(bigint))
	for i, big := range bigint {
		oids[i] = literalType(big).OID()
	}
	var tmpl *Statement
	if made, err := s.parseUncached(ctx, shape, oids); err == nil && len(made) == 1 && made[0].bound != nil &&
		slices.EqualFunc(made[0].Columns, stmts[0].Columns, func(a, b plan.Column) bool { return reflect.DeepEqual(a, b) }) &&
		reflect.DeepEqual(planner.BindParams(made[0].bound, literalValues(values)), stmts[0].bound) {
		tmpl = made[0]
	}
	s.templates[key] = cachedTemplate{version: v, stmt: tmpl, tried: true}
}

func templateKey(shape string, bigint []bool) statementKey {
	var b strings.Builder
	for _, big := range bigint {
		if big {
			b.WriteByte('8')
		} else {
			b.WriteByte('4')
		}
	}
	return statementKey{sql: shape, params: b.String()}
}

// literalType is the type PostgreSQL gives an integer literal: integer
// when it fits, else bigint.
func literalType(bigint bool) types.Type {
	if bigint {
		return types.TInt8
	}
	return types.TInt4
}

func literalValues(values []int64) []types.Datum {
	out := make([]types.Datum, len(values))
	for i, v := range values {
		out[i] = types.IntDatum(v)
	}
	return out
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
