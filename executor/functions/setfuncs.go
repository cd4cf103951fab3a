package functions

import (
	"math"
	"strings"

	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
	"github.com/shopspring/decimal"
)

// setFunc is one signature of a set-returning function.
type setFunc struct {
	// sig holds the parameters; for a function returning plain values
	// its result is the type of the one column.
	sig funcSig
	// out names and types the columns of a function returning rows (its
	// OUT parameters); nil for one returning plain values. outOf computes
	// them from the resolved parameter types instead when they depend on
	// them.
	out   []plan.Column
	outOf func(params []types.Type) []plan.Column
	// rows starts producing the set for one call's argument values, none
	// of them NULL: every set-returning function here is strict.
	rows func(params []types.Type, args []types.Datum) (rowGenerator, error)
}

// rowGenerator produces a set-returning function's rows one at a time.
type rowGenerator interface {
	// next writes the next row into row and reports whether there was one.
	next(row []types.Datum) (bool, error)
}

// setFunctions maps a lower-case name to its signatures.
var setFunctions = map[string][]setFunc{}

// IsSetFunc reports whether name is a set-returning function, which a
// query calls in FROM.
func IsSetFunc(name string) bool { return setFunctions[name] != nil }

// ResolveSetFunc is the catalog of set-returning functions the executor
// runs in FROM (plan.FuncScan): given a lower-case name and the argument
// types, it returns the columns the function produces and the types the
// arguments must be cast to (nil if they are used as they are), or
// ok=false. A function returning plain values has one column with an
// empty Name, which the query names after the function or its alias.
// Untyped literals fit any parameter.
func ResolveSetFunc(name string, args []types.Type) (cols []plan.Column, castTo []types.Type, ok bool) {
	fn, params, ok := resolveSetFunc(name, args)
	if !ok {
		return nil, nil, false
	}
	return fn.columns(params), castTargets(params, args), true
}

func resolveSetFunc(name string, args []types.Type) (*setFunc, []types.Type, bool) {
	fns := setFunctions[name]
	i, params := bestMatch(len(fns), func(i int) *funcSig { return &fns[i].sig }, args)
	if i < 0 {
		return nil, nil, false
	}
	return &fns[i], params, true
}

func (f *setFunc) columns(params []types.Type) []plan.Column {
	if f.outOf != nil {
		return f.outOf(params)
	}
	if f.out != nil {
		return f.out
	}
	return []plan.Column{{Type: sigResult(&f.sig, params)}}
}

// stepIsZero is generate_series's error for a zero step.
func stepIsZero() error {
	return pgerr.New(pgerr.InvalidParameterValue, "step size cannot equal zero")
}

// intSeries is generate_series over int4 or int8; it stops before the
// value would leave int64, as PostgreSQL stops before overflowing.
type intSeries struct {
	cur, stop, step int64
	done            bool
}

func (g *intSeries) next(row []types.Datum) (bool, error) {
	if g.done || (g.step > 0 && g.cur > g.stop) || (g.step < 0 && g.cur < g.stop) {
		return false, nil
	}
	row[0] = types.IntDatum(g.cur)
	if (g.step > 0 && g.cur > math.MaxInt64-g.step) || (g.step < 0 && g.cur < math.MinInt64-g.step) {
		g.done = true
	} else {
		g.cur += g.step
	}
	return true, nil
}

func intSeriesRows(_ []types.Type, args []types.Datum) (rowGenerator, error) {
	step := int64(1)
	if len(args) == 3 {
		step = args[2].Int
	}
	if step == 0 {
		return nil, stepIsZero()
	}
	return &intSeries{cur: args[0].Int, stop: args[1].Int, step: step}, nil
}

// numericSeries is generate_series over numeric.
type numericSeries struct {
	cur, stop, step decimal.Decimal
}

func (g *numericSeries) next(row []types.Datum) (bool, error) {
	if c := g.cur.Cmp(g.stop); (g.step.Sign() > 0 && c > 0) || (g.step.Sign() < 0 && c < 0) {
		return false, nil
	}
	row[0] = types.DecDatum(g.cur)
	g.cur = g.cur.Add(g.step)
	return true, nil
}

func numericSeriesRows(_ []types.Type, args []types.Datum) (rowGenerator, error) {
	step := decimal.NewFromInt(1)
	if len(args) == 3 {
		step = args[2].Dec
	}
	if step.Sign() == 0 {
		return nil, stepIsZero()
	}
	return &numericSeries{cur: args[0].Dec, stop: args[1].Dec, step: step}, nil
}

// timestampSeries is generate_series over timestamps with an interval
// step; the step's sign is that of its length, as PostgreSQL compares
// intervals.
type timestampSeries struct {
	cur, stop int64
	step      types.IntervalValue
	forward   bool
	done      bool
}

func (g *timestampSeries) next(row []types.Datum) (bool, error) {
	if g.done || (g.forward && g.cur > g.stop) || (!g.forward && g.cur < g.stop) {
		return false, nil
	}
	row[0] = types.IntDatum(g.cur)
	next, err := timestampAddInterval(g.cur, g.step)
	if err != nil {
		// The next value would be out of range, so it is past stop.
		g.done = true
		return true, nil
	}
	g.cur = next
	return true, nil
}

func timestampSeriesRows(_ []types.Type, args []types.Datum) (rowGenerator, error) {
	step := args[2].Iv
	sign := compareInterval(step, types.IntervalValue{})
	if sign == 0 {
		return nil, stepIsZero()
	}
	return &timestampSeries{cur: args[0].Int, stop: args[1].Int, step: step, forward: sign > 0}, nil
}

// listRows produces rows computed up front.
type listRows struct {
	rows [][]types.Datum
}

func (g *listRows) next(row []types.Datum) (bool, error) {
	if len(g.rows) == 0 {
		return false, nil
	}
	copy(row, g.rows[0])
	g.rows = g.rows[1:]
	return true, nil
}

// unnestRows expands an array into its elements in storage order.
func unnestRows(params []types.Type, args []types.Datum) (rowGenerator, error) {
	a, err := parseArray(params[0], args[0].Str)
	if err != nil {
		return nil, err
	}
	elem, _ := ArrayElement(params[0])
	out := &listRows{rows: make([][]types.Datum, len(a.elems))}
	for i, e := range a.elems {
		d := types.NullDatum
		if !e.null {
			if d, err = types.ParseText(elem, e.text); err != nil {
				return nil, err
			}
		}
		out.rows[i] = []types.Datum{d}
	}
	return out, nil
}

// subscriptRows is generate_subscripts(array, dim [, reverse]): the
// subscripts of one dimension, none for a dimension the array lacks.
func subscriptRows(params []types.Type, args []types.Datum) (rowGenerator, error) {
	a, err := parseArray(params[0], args[0].Str)
	if err != nil {
		return nil, err
	}
	d := args[1].Int
	if d < 1 || d > int64(len(a.dims)) {
		return &listRows{}, nil
	}
	lo, hi := int64(a.lower[d-1]), int64(a.lower[d-1]+a.dims[d-1]-1)
	if len(args) == 3 && args[2].Bool {
		return &intSeries{cur: hi, stop: lo, step: -1}, nil
	}
	return &intSeries{cur: lo, stop: hi, step: 1}, nil
}

// expandArrayRows is information_schema._pg_expandarray: each element
// of an array with its position counted from 1, whatever the array's
// lower bound, as the information_schema views and pgjdbc use it.
func expandArrayRows(params []types.Type, args []types.Datum) (rowGenerator, error) {
	elems, err := unnestRows(params, args)
	if err != nil {
		return nil, err
	}
	out := elems.(*listRows)
	for i, r := range out.rows {
		out.rows[i] = append(r, types.IntDatum(int64(i+1)))
	}
	return out, nil
}

// optionsRows is pg_options_to_table: each "name=value" element of an
// options array as a name and a value (NULL without "=").
func optionsRows(params []types.Type, args []types.Datum) (rowGenerator, error) {
	a, err := parseArray(params[0], args[0].Str)
	if err != nil {
		return nil, err
	}
	out := &listRows{}
	for _, e := range a.elems {
		if e.null {
			continue
		}
		name, value, found := strings.Cut(e.text, "=")
		v := types.NullDatum
		if found {
			v = types.StrDatum(value)
		}
		out.rows = append(out.rows, []types.Datum{types.StrDatum(name), v})
	}
	return out, nil
}

func init() {
	i4, i8, num := types.TInt4, types.TInt8, types.TNumeric
	ts, tstz, iv := types.TTimestamp, types.TTimestampTZ, types.TInterval
	textArray := types.Type{Kind: types.TextArray}
	sig := func(result types.Type, params ...types.Type) funcSig {
		return funcSig{params: params, result: result}
	}
	setFunctions["generate_series"] = []setFunc{
		{sig: sig(i4, i4, i4), rows: intSeriesRows},
		{sig: sig(i4, i4, i4, i4), rows: intSeriesRows},
		{sig: sig(i8, i8, i8), rows: intSeriesRows},
		{sig: sig(i8, i8, i8, i8), rows: intSeriesRows},
		{sig: sig(num, num, num), rows: numericSeriesRows},
		{sig: sig(num, num, num, num), rows: numericSeriesRows},
		{sig: sig(ts, ts, ts, iv), rows: timestampSeriesRows},
		{sig: sig(tstz, tstz, tstz, iv), rows: timestampSeriesRows},
	}
	setFunctions["unnest"] = []setFunc{{sig: funcSig{params: []types.Type{anyArray}, resultOf: elementOfFirst}, rows: unnestRows}}
	setFunctions["generate_subscripts"] = []setFunc{
		{sig: funcSig{params: []types.Type{anyArray, i4}, result: i4}, rows: subscriptRows},
		{sig: funcSig{params: []types.Type{anyArray, i4, types.TBool}, result: i4}, rows: subscriptRows},
	}
	setFunctions["_pg_expandarray"] = []setFunc{{
		sig: funcSig{params: []types.Type{anyArray}},
		outOf: func(params []types.Type) []plan.Column {
			return []plan.Column{{Name: "x", Type: elementOfFirst(params)}, {Name: "n", Type: i4}}
		},
		rows: expandArrayRows,
	}}
	setFunctions["pg_options_to_table"] = []setFunc{{
		sig:  funcSig{params: []types.Type{textArray}},
		out:  []plan.Column{{Name: "option_name", Type: types.TText}, {Name: "option_value", Type: types.TText}},
		rows: optionsRows,
	}}
}
