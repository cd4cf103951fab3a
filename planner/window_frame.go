package planner

import (
	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
)

// The bits of a parsed window's FrameOptions (PostgreSQL's FRAMEOPTION_*).
const (
	frameNonDefault         = 0x00001
	frameRange              = 0x00002
	frameRows               = 0x00004
	frameGroups             = 0x00008
	frameStartUnboundedPrec = 0x00020
	frameEndUnboundedFoll   = 0x00100
	frameStartCurrentRow    = 0x00200
	frameEndCurrentRow      = 0x00400
	frameStartOffsetPrec    = 0x00800
	frameEndOffsetPrec      = 0x01000
	frameStartOffsetFoll    = 0x02000
	frameEndOffsetFoll      = 0x04000
	frameExcludeCurrentRow  = 0x08000
	frameExcludeGroup       = 0x10000
	frameExcludeTies        = 0x20000
)

// windowFrame binds a window's frame clause; order is its bound ORDER BY,
// which RANGE offsets are measured on.
func (x *exprBinder) windowFrame(def *pg.WindowDef, order []plan.SortKey) (plan.Frame, error) {
	opts := def.FrameOptions
	if opts&frameNonDefault == 0 {
		return plan.DefaultFrame, nil
	}
	f := plan.Frame{Mode: plan.RangeFrame}
	switch {
	case opts&frameRows != 0:
		f.Mode = plan.RowsFrame
	case opts&frameGroups != 0:
		f.Mode = plan.GroupsFrame
		if len(order) == 0 {
			return f, pgerr.New(windowingError, "GROUPS mode requires an ORDER BY clause")
		}
	}
	switch {
	case opts&frameStartUnboundedPrec != 0:
		f.Start.Kind = plan.UnboundedPreceding
	case opts&frameStartCurrentRow != 0:
		f.Start.Kind = plan.CurrentRow
	case opts&frameStartOffsetPrec != 0:
		f.Start.Kind = plan.OffsetPreceding
	case opts&frameStartOffsetFoll != 0:
		f.Start.Kind = plan.OffsetFollowing
	}
	switch {
	case opts&frameEndUnboundedFoll != 0:
		f.End.Kind = plan.UnboundedFollowing
	case opts&frameEndOffsetPrec != 0:
		f.End.Kind = plan.OffsetPreceding
	case opts&frameEndOffsetFoll != 0:
		f.End.Kind = plan.OffsetFollowing
	default:
		f.End.Kind = plan.CurrentRow
	}
	switch {
	case opts&frameExcludeCurrentRow != 0:
		f.Exclude = plan.ExcludeCurrentRow
	case opts&frameExcludeGroup != 0:
		f.Exclude = plan.ExcludeGroup
	case opts&frameExcludeTies != 0:
		f.Exclude = plan.ExcludeTies
	}
	hasOffset := def.StartOffset != nil || def.EndOffset != nil
	if f.Mode == plan.RangeFrame && hasOffset {
		if len(order) != 1 {
			return f, pgerr.New(windowingError, "RANGE with offset PRECEDING/FOLLOWING requires exactly one ORDER BY column")
		}
		f.Key = order[0].Expr
	}
	var err error
	if f.Start, err = x.frameBound(f, f.Start, def.StartOffset, order); err != nil {
		return f, err
	}
	if f.End, err = x.frameBound(f, f.End, def.EndOffset, order); err != nil {
		return f, err
	}
	if f.Mode == plan.RangeFrame && hasOffset {
		if f.Key, err = x.coerce(f.Key, rangeArithmeticType(f.Key.Type())); err != nil {
			return f, err
		}
	}
	return f, nil
}

// frameBound binds one bound's offset: a row or group count for ROWS and
// GROUPS, for RANGE a distance added to or taken from the ORDER BY key.
func (x *exprBinder) frameBound(f plan.Frame, b plan.FrameBound, offset *pg.Node, order []plan.SortKey) (plan.FrameBound, error) {
	if offset == nil {
		return b, nil
	}
	xo := &exprBinder{binder: x.binder, sc: x.sc, clause: "window " + f.Mode.String()}
	e, err := xo.expr(offset)
	if err != nil {
		return b, err
	}
	if len(colsOf(e)) > 0 || !isConstantOrParam(e) {
		return b, pgerr.New(pgerr.InvalidColumnReference, "argument of %s must not contain variables", f.Mode.String())
	}
	if f.Mode != plan.RangeFrame {
		if e, err = x.coerce(e, types.TInt8); err != nil {
			return b, err
		}
		if !isInteger(e.Type()) {
			return b, pgerr.New(pgerr.DatatypeMismatch, "argument of %s must be type bigint, not type %s", f.Mode.String(), e.Type().BaseName())
		}
		b.Offset = e
		return b, nil
	}
	key := order[0]
	keyType := key.Expr.Type()
	want, ok := rangeOffsetType(keyType, e.Type())
	if !ok {
		return b, pgerr.New(pgerr.FeatureNotSupported, "RANGE with offset PRECEDING/FOLLOWING is not supported for column type %s and offset type %s", keyType.BaseName(), e.Type().BaseName()).
			WithHint("Cast the offset value to an appropriate type.")
	}
	if e, err = x.coerce(e, want); err != nil {
		return b, err
	}
	if c, ok := e.(*plan.Const); ok && keyType.Kind == types.Time && !c.Value.Null {
		// A time's offset is its time part alone, months and days
		// disregarded (in_range_time_interval).
		e = &plan.Const{Value: types.Datum{Iv: types.IntervalValue{Micros: c.Value.Iv.Micros}}, T: types.TInterval}
	}
	b.Offset = e
	// Toward the partition's start is down for an ascending key.
	op := "+"
	if (b.Kind == plan.OffsetPreceding) != key.Desc {
		op = "-"
	}
	calc := rangeArithmeticType(keyType)
	base, err := x.coerce(key.Expr, calc)
	if err != nil {
		return b, err
	}
	dist := e
	if calc.Kind == types.Numeric || calc.Kind == types.Float8 {
		if dist, err = x.coerce(e, calc); err != nil {
			return b, err
		}
	}
	if b.Value, err = x.binaryOp(op, base, dist); err != nil {
		return b, err
	}
	return b, nil
}

// rangeOffsetType is the offset type PostgreSQL's in_range support
// functions take for an ORDER BY key of type key, given the offset's
// type, and whether there is one.
func rangeOffsetType(key, offset types.Type) (types.Type, bool) {
	switch key.Kind {
	case types.Int2, types.Int4, types.Int8:
		if isInteger(offset) {
			return offset, true
		}
		if offset.Kind == types.Unknown {
			return key, true
		}
	case types.Numeric:
		if offset.Kind == types.Numeric || isInteger(offset) || offset.Kind == types.Unknown {
			return types.TNumeric, true
		}
	case types.Float4, types.Float8:
		switch offset.Kind {
		case types.Float4, types.Float8, types.Unknown, types.Int2, types.Int4, types.Int8, types.Numeric:
			return types.TFloat8, true
		}
	case types.Date, types.Timestamp, types.TimestampTZ, types.Time, types.Interval:
		if offset.Kind == types.Interval || offset.Kind == types.Unknown {
			return types.TInterval, true
		}
	}
	return types.Type{}, false
}

// rangeArithmeticType is the type RANGE bounds are computed and compared
// in: integers in numeric, so that a bound past the integer's range
// includes everything instead of overflowing; dates as timestamps; times
// as intervals, so that a bound does not wrap around midnight.
func rangeArithmeticType(key types.Type) types.Type {
	switch key.Kind {
	case types.Time:
		return types.TInterval
	case types.Int2, types.Int4, types.Int8:
		return types.TNumeric
	case types.Float4:
		return types.TFloat8
	case types.Date:
		return types.TTimestamp
	}
	return key
}

// isConstantOrParam reports whether e reads no row.
func isConstantOrParam(e plan.Expr) bool {
	ok := true
	plan.Walk(e, func(x plan.Expr) bool {
		switch v := x.(type) {
		case *plan.ColRef, *plan.OuterRef, *aggRef, *windowRef:
			ok = false
		case *plan.Subquery:
			ok = !v.Correlated
		}
		return ok
	})
	return ok
}
