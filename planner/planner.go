// Package planner owns the path from SQL text to a plan: it parses with
// pg_query (PostgreSQL's own parser), binds names and types against a
// catalog snapshot with PostgreSQL's rules (schemas are sources, identifiers
// fold to lower case unless quoted, unknown literals take their type from
// context), builds a logical plan, and rewrites it in named phases
// (optimize.go) until everything a source can run is pushed into a
// plan.Remote for it, rendered in that source's dialect.
//
// Constructs Junction does not run yet are rejected with SQLSTATE 0A000
// naming the construct; the planner never guesses.
package planner

import (
	"context"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/junction-db/junction/catalog"
	"github.com/junction-db/junction/catalog/system"
	"github.com/junction-db/junction/connectors/sqlgen"
	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
)

// Env is what planning needs from the rest of the server.
type Env struct {
	Snapshot *catalog.Snapshot
	System   *system.Info
	// Dialect returns the SQL dialect of a source, false if it is not
	// connected.
	Dialect func(source string) (sqlgen.Dialect, bool)
	// User is the role the statement runs as, and Roles answers who a
	// role is, for privilege checks and row policies: the session's user
	// for the query itself, a view's owner for the view's body. Nil Roles
	// checks nothing (planning for internal use).
	User  string
	Roles Roles
	// Acceleration chooses between an accelerated table's local copy and
	// its source (may be nil: every table is read at its source).
	Acceleration AccelerationFunc
}

// Roles answers the questions access checks ask about a role.
type Roles interface {
	// RolesOf returns role itself, every role it is a member of, directly
	// or through other roles, and "public".
	RolesOf(role string) []string
	// IsSuperuser reports whether role bypasses privilege checks and row
	// policies.
	IsSuperuser(role string) bool
}

// Query is a bound query: a logical plan whose parameters may still be
// unbound.
type Query struct {
	Plan   plan.Node
	Params []types.Type
	// Views lists the stored views the query reads directly (catalog
	// keys), which a view built on it depends on.
	Views []string
	// Sources lists the sources whose tables the query reads directly
	// (not through a view), sorted: a view built on it depends on them.
	Sources []string
	// Accelerated is set when the query reads an accelerated table: the
	// plan then holds only while the copies stay as they were, and until
	// AcceleratedUntil if that is not zero (see Acceleration).
	Accelerated      bool
	AcceleratedUntil time.Time
}

// Parse splits SQL text into raw statements.
func Parse(sql string) ([]*pg.RawStmt, error) {
	tree, err := pg.Parse(sql)
	if err != nil {
		return nil, syntaxError(err)
	}
	return tree.Stmts, nil
}

// Deparse prints a statement's parse tree back as SQL (stored view bodies).
func Deparse(n *pg.Node) (string, error) {
	return pg.Deparse(&pg.ParseResult{Version: parserVersion(), Stmts: []*pg.RawStmt{{Stmt: n}}})
}

// parserVersion is the parse tree version the deparser expects: the one
// the parser writes.
var parserVersion = sync.OnceValue(func() int32 {
	tree, err := pg.Parse("SELECT")
	if err != nil {
		return 0
	}
	return tree.Version
})

func syntaxError(err error) error {
	msg := err.Error()
	return &pgerr.Error{Code: pgerr.SyntaxError, Message: msg}
}

// BindSelect binds a SELECT (or VALUES, or set operation) statement.
// paramTypes are the client's declared parameter types (zero Kind Unknown
// for "infer").
func BindSelect(ctx context.Context, env *Env, stmt *pg.SelectStmt, paramTypes []types.Type) (*Query, error) {
	b := newBinder(ctx, env, paramTypes)
	n, err := b.selectStmt(stmt, nil)
	if err != nil {
		return nil, err
	}
	params, err := b.finishParams()
	if err != nil {
		return nil, err
	}
	if len(params) > 0 {
		n = substituteParamTypes(n, params)
	}
	return &Query{Plan: n, Params: params, Views: b.views, Sources: slices.Sorted(maps.Keys(b.sources)),
		Accelerated: b.accelerated, AcceleratedUntil: b.accelUntil}, nil
}

// binder holds the state of binding one statement.
type binder struct {
	ctx    context.Context
	env    *Env
	params []types.Type // index = $n-1; Unknown = not yet inferred
	ctes   []map[string]*cte
	// viewDepth guards against views that refer to themselves.
	viewDepth int
	// views collects the views referenced at the top level of the query.
	views []string
	// sources collects the sources whose tables the top level of the
	// query reads.
	sources map[string]bool
	// binding lists the WITH items being bound, innermost last.
	binding []*cte
	// nextWorkTable numbers the working tables of recursive queries.
	nextWorkTable int
	// unmodelled maps a base table column (table OID, attnum) whose source
	// type Junction does not model, and reads as text, to that type's name.
	unmodelled map[[2]uint32]string
	// access is what the role the query's names are read as may read:
	// the session's user, a view's owner in the view's body; nil checks
	// nothing (see access.go).
	access *catalog.Access
	// role is the role whose row policies and masks apply to the tables
	// bound now: the user's, or a view owner's inside the view's body.
	role string
	// setOpLeaf is set while the query about to be bound is an operand of
	// UNION, INTERSECT or EXCEPT, whose untyped parameters the set
	// operation types.
	setOpLeaf bool
	// accelerated is set once a scan of an accelerated table is bound,
	// and accelUntil is the earliest moment a choice of those scans
	// stops holding (see acceleration.go).
	accelerated bool
	accelUntil  time.Time
}

type cte struct {
	query   *pg.Node
	colName []string
	// recursive is set for the items of WITH RECURSIVE; list is the
	// WITH list the item belongs to.
	recursive bool
	list      map[string]*cte
	// outer is the scope of the queries around the WITH clause.
	outer *scope
	// binding is set while the item's own query is being bound; work is
	// its working table while its recursive term is (see recursive_cte.go).
	binding bool
	inInit  bool
	work    *plan.WorkTable
	// workVisible is how many of the working table's columns are the
	// item's own, before those SEARCH and CYCLE add.
	workVisible int
	// uses counts the references bound so far, outside the item's own
	// recursive term.
	uses int
	// searchCycle holds the item's SEARCH and CYCLE clauses.
	searchCycle searchCycle
}

func newBinder(ctx context.Context, env *Env, paramTypes []types.Type) *binder {
	return &binder{ctx: ctx, env: env, params: append([]types.Type(nil), paramTypes...), access: accessFor(env, env.User), role: env.User}
}

func (b *binder) finishParams() ([]types.Type, error) {
	for i, t := range b.params {
		if t.Kind == types.Unknown {
			// PostgreSQL infers text for a parameter no context types.
			b.params[i] = types.TText
		}
	}
	return b.params, nil
}

// scopeCol is a column visible to name resolution.
type scopeCol struct {
	table string // alias or table name the column is qualified by
	name  string
	typ   types.Type
	// tableOID and attnum identify a base table column (RowDescription).
	tableOID uint32
	attnum   int16
	// relation is the OID of the table whose rows the column is read
	// from, for the tableoid system column; zero in derived tables and
	// views, which have no system columns.
	relation uint32
	// hidden columns are only reachable qualified (the right side of a
	// USING join's merged column pair).
	hidden bool
	// unstarred columns are reachable by name but left out of * (the
	// columns SEARCH and CYCLE add, in the recursive term).
	unstarred bool
	// nullable columns come from the side of an outer join that the join
	// fills with NULLs where no row matches. witness names a column of the
	// same table that the join's condition requires to be non-NULL in the
	// rows it matched, so that it is NULL exactly in the rows it filled.
	nullable bool
	witness  string
}

// scope is the set of columns an expression can name, with the enclosing
// query's scope for correlated subqueries.
type scope struct {
	cols   []scopeCol
	parent *scope
	// correlated is set when a name resolved in parent.
	correlated bool
	// agg collects the query's aggregates while the clauses that may hold
	// them are bound, for its subqueries' aggregates over its columns.
	agg *aggContext
}

func (s *scope) columns() []plan.Column {
	out := make([]plan.Column, len(s.cols))
	for i, c := range s.cols {
		out[i] = plan.Column{Name: c.name, Type: c.typ, Table: c.table, TableOID: c.tableOID, Attnum: c.attnum}
	}
	return out
}

func scopeOf(cols []plan.Column, alias string) *scope {
	s := &scope{cols: make([]scopeCol, len(cols))}
	for i, c := range cols {
		t := c.Table
		if alias != "" {
			t = alias
		}
		s.cols[i] = scopeCol{table: t, name: c.Name, typ: c.Type, tableOID: c.TableOID, attnum: c.Attnum}
	}
	return s
}

// resolve finds a column by optional qualifier and name. It returns the
// index and whether it was found in the parent (outer) scope.
func (s *scope) resolve(qual []string, name string) (int, scopeCol, bool, error) {
	found := -1
	for i, c := range s.cols {
		if c.name != name {
			continue
		}
		if len(qual) == 0 {
			if c.hidden {
				continue
			}
		} else if c.table != qual[len(qual)-1] {
			continue
		}
		if found >= 0 {
			return 0, scopeCol{}, false, pgerr.New(pgerr.AmbiguousColumn, "column reference %q is ambiguous", name)
		}
		found = i
	}
	if found >= 0 {
		return found, s.cols[found], false, nil
	}
	if s.parent != nil {
		idx, col, _, err := s.parent.resolve(qual, name)
		if err != nil {
			return 0, scopeCol{}, false, err
		}
		if idx >= 0 {
			s.correlated = true
			return idx, col, true, nil
		}
	}
	return -1, scopeCol{}, false, nil
}

func (s *scope) hasTable(name string) bool {
	for _, c := range s.cols {
		if c.table == name {
			return true
		}
	}
	return false
}

func undefinedColumn(qual []string, name string) error {
	if len(qual) > 0 {
		return pgerr.New(pgerr.UndefinedColumn, "column %s.%s does not exist", strings.Join(qual, "."), name)
	}
	return pgerr.New(pgerr.UndefinedColumn, "column %q does not exist", name)
}

// stringList flattens a list of String nodes (qualified names).
func stringList(nodes []*pg.Node) []string {
	out := make([]string, 0, len(nodes))
	for _, n := range nodes {
		if s := n.GetString_(); s != nil {
			out = append(out, s.Sval)
		}
	}
	return out
}
