package executor

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/junction-db/junction/connectors"
	"github.com/junction-db/junction/connectors/sqlgen"
	"github.com/junction-db/junction/executor/functions"
	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
	"github.com/junction-db/junction/vector"
)

// typ parses a type name as a test writes it: "int4", "numeric(5,2)",
// "varchar(3)".
func typ(name string) types.Type {
	base, mods, _ := strings.Cut(name, "(")
	t, ok := types.ByName(base)
	if !ok {
		panic("unknown type " + name)
	}
	if mods != "" {
		parts := strings.Split(strings.TrimSuffix(mods, ")"), ",")
		first, _ := strconv.Atoi(parts[0])
		if t.Kind == types.Numeric {
			t.Precision = int32(first)
			if len(parts) > 1 {
				s, _ := strconv.Atoi(parts[1])
				t.Scale = int32(s)
			}
		} else {
			t.Length = int32(first)
		}
	}
	return t
}

// lit is a constant read from its text form; "NULL" is SQL NULL.
func lit(typeName, text string) *plan.Const { return litT(typ(typeName), text) }

func litT(t types.Type, text string) *plan.Const {
	if text == "NULL" {
		return &plan.Const{Value: types.NullDatum, T: t}
	}
	d, err := types.ParseText(t, text)
	if err != nil {
		panic(fmt.Sprintf("bad %s literal %q: %v", t, text, err))
	}
	return &plan.Const{Value: d, T: t}
}

func op(o, resultType string, args ...plan.Expr) *plan.Op {
	return &plan.Op{Op: o, Args: args, T: typ(resultType)}
}

func boolOp(o string, args ...plan.Expr) *plan.Op { return op(o, "bool", args...) }

func cast(e plan.Expr, to string) *plan.Cast { return &plan.Cast{Arg: e, T: typ(to)} }

// call builds a function call the way the planner does: ResolveFunc
// decides the result type and the argument casts.
func call(name string, args ...plan.Expr) *plan.Func {
	argTypes := make([]types.Type, len(args))
	for i, a := range args {
		argTypes[i] = a.Type()
	}
	result, castTo, ok := functions.ResolveFunc(name, argTypes)
	if !ok {
		panic("no function " + name)
	}
	for i := range args {
		if castTo != nil && castTo[i].Kind != args[i].Type().Kind {
			args[i] = &plan.Cast{Arg: args[i], T: castTo[i]}
		}
	}
	return &plan.Func{Name: name, Args: args, T: result}
}

func col(i int, typeName string) *plan.ColRef { return &plan.ColRef{Index: i, T: typ(typeName)} }

// format prints a value the way psql shows it, NULL as "NULL".
func format(v *vector.Vector, i int) string {
	if v.IsNull(i) {
		return "NULL"
	}
	return types.FormatText(v.Type, v.Datum(i))
}

// evalText evaluates a constant expression and prints the result.
func evalText(t *testing.T, e plan.Expr) (string, error) {
	t.Helper()
	v, err := Eval(context.Background(), e, nil, nil)
	if err != nil {
		return "", err
	}
	if v.Len() != 1 {
		t.Fatalf("%s: got %d values, want 1", e, v.Len())
	}
	return format(v, 0), nil
}

// cols describes columns from "name type" pairs.
func cols(specs ...string) []plan.Column {
	out := make([]plan.Column, len(specs))
	for i, s := range specs {
		name, t, _ := strings.Cut(s, " ")
		out[i] = plan.Column{Name: name, Type: typ(t)}
	}
	return out
}

// values is a VALUES list of literals written as text ("NULL" for NULL).
func values(columns []plan.Column, rows ...[]string) *plan.Values {
	v := &plan.Values{Cols: columns}
	for _, r := range rows {
		exprs := make([]plan.Expr, len(r))
		for c, text := range r {
			exprs[c] = litT(columns[c].Type, text)
		}
		v.Rows = append(v.Rows, exprs)
	}
	return v
}

// row is shorthand for a row of text values.
func row(vals ...string) []string { return vals }

// runPlan runs a plan to its end and returns its rows as text, each row
// joined with "|".
func runPlan(t *testing.T, n plan.Node, env *Env) ([]string, error) {
	t.Helper()
	r, err := Build(context.Background(), n, env)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	var out []string
	for {
		b, err := r.Next()
		if err != nil {
			return out, err
		}
		if b == nil {
			return out, nil
		}
		for i := 0; i < b.Len; i++ {
			parts := make([]string, len(b.Cols))
			for c, v := range b.Cols {
				parts[c] = format(v, i)
			}
			out = append(out, strings.Join(parts, "|"))
		}
	}
}

// mustRun is runPlan failing the test on error.
func mustRun(t *testing.T, n plan.Node) []string {
	t.Helper()
	rows, err := runPlan(t, n, nil)
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	return rows
}

// sameRows compares row sets ignoring order.
func sameRows(t *testing.T, what string, got, want []string) {
	t.Helper()
	g := append([]string(nil), got...)
	w := append([]string(nil), want...)
	sort.Strings(g)
	sort.Strings(w)
	if strings.Join(g, "\n") != strings.Join(w, "\n") {
		t.Errorf("%s:\ngot  %q\nwant %q", what, g, w)
	}
}

// sameOrder compares rows in order.
func sameOrder(t *testing.T, what string, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s:\ngot  %q\nwant %q", what, got, want)
	}
}

// wantCode checks an error's SQLSTATE.
func wantCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	if err == nil {
		t.Errorf("%s: no error, want SQLSTATE %s", what, code)
		return
	}
	if got := pgerr.Code(err); got != code {
		t.Errorf("%s: error %q has SQLSTATE %s, want %s", what, err, got, code)
	}
}

// fakeSource is a connectors.Connector serving in-memory batches, for
// Remote nodes in tests.
type fakeSource struct {
	mu sync.Mutex
	// results maps a query's SQL to the batches it returns.
	results map[string][]*vector.Batch
	// endless makes every query return batches of a single int8 column
	// counting up, until cancelled.
	endless bool
	// started is told the SQL of each query as it starts.
	started chan string
	// gate, when set, holds every query's first batch until it is closed.
	gate chan struct{}

	queries, closed, canceled int
	batchesServed             int
}

func (f *fakeSource) Discover(context.Context) (*connectors.Discovery, error) {
	return &connectors.Discovery{}, nil
}
func (f *fakeSource) Dialect() sqlgen.Dialect                     { return nil }
func (f *fakeSource) Ping(context.Context) error                  { return nil }
func (f *fakeSource) Close() error                                { return nil }
func (f *fakeSource) lookup(string) (connectors.Connector, error) { return f, nil }

func (f *fakeSource) Query(ctx context.Context, sql string, ts []types.Type) (connectors.Rows, error) {
	f.mu.Lock()
	f.queries++
	f.mu.Unlock()
	if f.started != nil {
		f.started <- sql
	}
	if !f.endless {
		if _, ok := f.results[sql]; !ok {
			return nil, pgerr.New(pgerr.FDWError, "unknown query %s", sql)
		}
	}
	return &fakeRows{src: f, ctx: ctx, sql: sql, types: ts}, nil
}

type fakeRows struct {
	src   *fakeSource
	ctx   context.Context
	sql   string
	types []types.Type
	pos   int
	count int64
}

func (r *fakeRows) Next() (*vector.Batch, error) {
	if r.src.gate != nil && r.pos == 0 {
		select {
		case <-r.src.gate:
		case <-r.ctx.Done():
			r.noteCancel()
			return nil, r.ctx.Err()
		}
	}
	if err := r.ctx.Err(); err != nil {
		r.noteCancel()
		return nil, err
	}
	r.src.mu.Lock()
	r.src.batchesServed++
	r.src.mu.Unlock()
	if r.src.endless {
		b := vector.NewBatch(r.types, 1024)
		for i := 0; i < 1024; i++ {
			b.Cols[0].AppendDatum(types.IntDatum(r.count))
			r.count++
		}
		b.Len = 1024
		r.pos++
		return b, nil
	}
	batches := r.src.results[r.sql]
	if r.pos >= len(batches) {
		return nil, nil
	}
	r.pos++
	return batches[r.pos-1], nil
}

func (r *fakeRows) noteCancel() {
	r.src.mu.Lock()
	r.src.canceled++
	r.src.mu.Unlock()
}

func (r *fakeRows) Close() {
	r.src.mu.Lock()
	r.src.closed++
	r.src.mu.Unlock()
}

// batchOf builds a batch from text rows.
func batchOf(columns []plan.Column, rows ...[]string) *vector.Batch {
	b := vector.NewBatch(plan.ColumnTypes(&plan.Values{Cols: columns}), len(rows))
	for _, r := range rows {
		for c, text := range r {
			b.Cols[c].AppendDatum(litT(columns[c].Type, text).Value)
		}
	}
	b.Len = len(rows)
	return b
}
