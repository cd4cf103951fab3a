package planner

import (
	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
	"strings"
)

// numericRank orders the number types the way PostgreSQL's implicit casts
// promote them.
func numericRank(k types.Kind) int {
	switch k {
	case types.Int2:
		return 1
	case types.Int4:
		return 2
	case types.Int8:
		return 3
	case types.Numeric:
		return 4
	case types.Float4:
		return 5
	case types.Float8:
		return 6
	}
	return 0
}

func dateRank(k types.Kind) int {
	switch k {
	case types.Date:
		return 1
	case types.Timestamp:
		return 2
	case types.TimestampTZ:
		return 3
	}
	return 0
}

func isUnknown(e plan.Expr) bool { return e.Type().Kind == types.Unknown }

// commonType resolves the type a set of expressions is unified to (UNION,
// CASE, COALESCE, IN, comparison operands), following PostgreSQL's rules:
// unknown literals take the others' type, all-unknown becomes text, and
// numbers and date/times promote within their category.
func commonType(es []plan.Expr, context string) (types.Type, error) {
	var out types.Type
	have, unknown := false, false
	for _, e := range es {
		t := e.Type()
		if t.Kind == types.Unknown {
			unknown = true
			continue
		}
		if !have {
			out, have = t, true
			continue
		}
		next, ok := unify(out, t)
		if !ok {
			return types.Type{}, pgerr.New(pgerr.DatatypeMismatch, "%s types %s and %s cannot be matched", context, out.BaseName(), t.BaseName())
		}
		if castsBothWays(out) && castsBothWays(t) && out != t && !operatorContext(context) {
			// text, varchar and char each cast to the others
			// implicitly, so PostgreSQL's select_common_type keeps the
			// first: varchar UNION char is varchar (the padding goes),
			// char UNION text char; lengths that differ are dropped.
			// Operators resolve to char's or text's (see unify).
			next = types.Type{Kind: out.Kind}
		}
		out = next
	}
	if !have {
		return types.TText, nil
	}
	if unknown && hasModifiers(out) {
		// As PostgreSQL's select_common_typmod: a literal has no
		// length or scale, so the result has none either and
		// nullif('Alpha', x::varchar(3)) keeps 'Alpha' whole.
		return types.Type{Kind: out.Kind}, nil
	}
	return out, nil
}

// castsBothWays reports whether t is one of the string types that each
// cast to the others implicitly.
func castsBothWays(t types.Type) bool {
	return t.Kind == types.Bpchar || t.Kind == types.Varchar || t.Kind == types.Text
}

// operatorContext reports whether operands unified for context meet in an
// operator (=, <, BETWEEN, NULLIF, = ANY ...), which PostgreSQL resolves by
// operator lookup rather than by select_common_type.
func operatorContext(context string) bool {
	switch context {
	case "IS DISTINCT FROM", "NULLIF", "BETWEEN", "ANY", "WITHIN GROUP":
		return true
	}
	return strings.HasPrefix(context, "operator ")
}

func hasModifiers(t types.Type) bool {
	switch t.Kind {
	case types.Varchar, types.Bpchar, types.Numeric:
		return t.Length != 0 || t.Precision != 0 || t.Scale != 0
	}
	return false
}

func unify(a, b types.Type) (types.Type, bool) {
	if a.Kind == b.Kind {
		if a == b {
			return a, true
		}
		if a.Kind == types.Record || a.Kind == types.RecordArray {
			return unifyRecords(a, b)
		}
		// Same base type with different modifiers: the unmodified type.
		return types.Type{Kind: a.Kind}, true
	}
	if ra, rb := numericRank(a.Kind), numericRank(b.Kind); ra > 0 && rb > 0 {
		if ra > rb {
			return types.Type{Kind: a.Kind}, true
		}
		return types.Type{Kind: b.Kind}, true
	}
	if a.IsString() && b.IsString() {
		// char against varchar resolves to char's operators, which
		// ignore trailing spaces: char matches one side exactly and
		// text neither. Against text, text is the preferred type.
		if a.Kind == types.Bpchar && b.Kind == types.Varchar || a.Kind == types.Varchar && b.Kind == types.Bpchar {
			return types.Type{Kind: types.Bpchar}, true
		}
		return types.TText, true
	}
	if ra, rb := dateRank(a.Kind), dateRank(b.Kind); ra > 0 && rb > 0 {
		if ra > rb {
			return a, true
		}
		return b, true
	}
	if a.Kind == types.Time && b.Kind == types.TimeTZ || a.Kind == types.TimeTZ && b.Kind == types.Time {
		// time converts to timetz implicitly, in the session time zone.
		return types.TTimeTZ, true
	}
	if isOIDLike(a.Kind) && isOIDLike(b.Kind) {
		return types.TOID, true
	}
	if isOIDLike(a.Kind) && b.IsInteger() || a.IsInteger() && isOIDLike(b.Kind) {
		return types.TOID, true
	}
	return types.Type{}, false
}

func isOIDLike(k types.Kind) bool {
	return k == types.OID || k == types.RegClass || k == types.RegType || k == types.RegProc || k == types.RegNamespace
}

// coerce converts e to type t the way PostgreSQL applies an implicit or
// assignment cast: an unknown literal is read as t, an unknown parameter
// takes type t, anything else gets a Cast.
func (b *binder) coerce(e plan.Expr, t types.Type) (plan.Expr, error) {
	if t.Kind == types.Unknown {
		return e, nil
	}
	switch x := e.(type) {
	case *plan.Const:
		if x.T.Kind == types.Unknown {
			if x.Value.Null {
				return &plan.Const{Value: types.NullDatum, T: t}, nil
			}
			if isArrayKind(t.Kind) {
				// The literal is checked and written in its canonical
				// form now, as PostgreSQL's parser reads it.
				d, err := evalConst(b.ctx, &plan.Cast{Arg: &plan.Const{Value: x.Value, T: types.TText}, T: t})
				if err != nil {
					return nil, err
				}
				return &plan.Const{Value: d, T: t}, nil
			}
			if t.IsString() {
				return &plan.Const{Value: x.Value, T: t}, nil
			}
			if isOIDLike(t.Kind) && t.Kind != types.OID {
				return b.regCast(x, t)
			}
			d, err := types.ParseText(t, x.Value.Str)
			if err != nil {
				return nil, err
			}
			return &plan.Const{Value: d, T: t}, nil
		}
	case *plan.Param:
		if x.T.Kind == types.Unknown {
			b.params[x.Index] = t
			return &plan.Param{Index: x.Index, T: t}, nil
		}
	}
	if e.Type() == t || (e.Type().Kind == t.Kind && plainModifiers(t)) {
		return e, nil
	}
	return &plan.Cast{Arg: e, T: t}, nil
}

func plainModifiers(t types.Type) bool { return t.Precision == 0 && t.Length == 0 }

// coerceAll unifies es to one type.
func (b *binder) coerceAll(es []plan.Expr, context string) ([]plan.Expr, types.Type, error) {
	t, err := commonType(es, context)
	if err != nil {
		return nil, types.Type{}, err
	}
	out := make([]plan.Expr, len(es))
	for i, e := range es {
		if out[i], err = b.coerce(e, t); err != nil {
			return nil, types.Type{}, err
		}
	}
	return out, t, nil
}

// binaryOp types a binary operator with PostgreSQL's operator resolution
// for the operators Junction implements.
func (b *binder) binaryOp(op string, l, r plan.Expr) (plan.Expr, error) {
	if e, ok, err := b.jsonOperator(op, l, r); ok {
		return e, err
	}
	if e, ok, err := b.bitwiseOperator(op, l, r); ok {
		return e, err
	}
	if op == "^" {
		if e, ok, err := b.powerOperator(l, r); ok {
			return e, err
		}
	}
	if e, ok, err := b.arrayOperator(op, l, r); ok {
		return e, err
	}
	switch op {
	case "=", "<>", "!=", "<", "<=", ">", ">=":
		if op == "!=" {
			op = plan.OpNe
		}
		args, _, err := b.coerceAll([]plan.Expr{l, r}, "operator "+op)
		if err != nil {
			return nil, operatorMismatch(op, l, r)
		}
		return &plan.Op{Op: op, Args: args, T: types.TBool}, nil
	case "+", "-", "*", "/", "%":
		return b.arithmetic(op, l, r)
	case "~<~", "~<=~", "~>=~", "~>~":
		// text_pattern_ops' byte-wise comparisons of text.
		if !l.Type().IsString() || !r.Type().IsString() {
			return nil, operatorMismatch(op, l, r)
		}
		return nil, pgerr.NotSupported("operator " + op)
	case "||":
		return b.concat(l, r)
	case "~~", "!~~":
		if l.Type().Kind == types.Bytea {
			// bytealike: the pattern is bytea too and _ is one byte.
			rs, err := b.coerce(r, types.TBytea)
			if err != nil {
				return nil, operatorMismatch(op, l, r)
			}
			return &plan.Like{Arg: l, Pattern: rs, Negated: op[0] == '!'}, nil
		}
		fallthrough
	case "~", "~*", "!~", "!~*", "~~*", "!~~*":
		if l.Type().Kind == types.Bytea {
			return nil, operatorMismatch(op, l, r)
		}
		ls, err := b.coerce(l, textLike(l.Type()))
		if err != nil {
			return nil, err
		}
		rs, err := b.coerce(r, types.TText)
		if err != nil {
			return nil, err
		}
		if !ls.Type().IsString() {
			return nil, operatorMismatch(op, l, r)
		}
		switch op {
		case "~~", "!~~", "~~*", "!~~*":
			return &plan.Like{Arg: ls, Pattern: rs, CaseInsensitive: op == "~~*" || op == "!~~*", Negated: op[0] == '!'}, nil
		}
		return &plan.Op{Op: op, Args: []plan.Expr{ls, rs}, T: types.TBool}, nil
	}
	return nil, pgerr.New(pgerr.UndefinedFunction, "operator does not exist: %s %s %s", typeName(l), op, typeName(r))
}

func textLike(t types.Type) types.Type {
	if t.IsString() && t.Kind != types.Unknown {
		return t
	}
	return types.TText
}

func typeName(e plan.Expr) string { return e.Type().BaseName() }

func operatorMismatch(op string, l, r plan.Expr) error {
	return pgerr.New(pgerr.UndefinedFunction, "operator does not exist: %s %s %s", typeName(l), op, typeName(r)).
		WithHint("No operator matches the given name and argument types. You might need to add explicit type casts.")
}

func (b *binder) arithmetic(op string, l, r plan.Expr) (plan.Expr, error) {
	lt, rt := l.Type().Kind, r.Type().Kind
	if lt == types.Unknown && rt == types.Unknown {
		return nil, pgerr.New("42725", "operator is not unique: unknown %s unknown", op).
			WithHint("Could not choose a best candidate operator. You might need to add explicit type casts.")
	}
	// Date and time arithmetic has its own operand combinations.
	if res, ok, err := b.dateArithmetic(op, l, r); ok || err != nil {
		return res, err
	}
	if lt == types.Unknown {
		l2, err := b.coerce(l, r.Type())
		if err != nil {
			return nil, err
		}
		l, lt = l2, rt
	}
	if rt == types.Unknown {
		r2, err := b.coerce(r, l.Type())
		if err != nil {
			return nil, err
		}
		r, rt = r2, lt
	}
	if numericRank(lt) == 0 || numericRank(rt) == 0 {
		if lt == types.Interval && rt == types.Interval && (op == "+" || op == "-") {
			return &plan.Op{Op: op, Args: []plan.Expr{l, r}, T: types.TInterval}, nil
		}
		return nil, operatorMismatch(op, l, r)
	}
	args, t, err := b.coerceAll([]plan.Expr{l, r}, "operator "+op)
	if err != nil {
		return nil, err
	}
	if op == "%" && (t.Kind == types.Float4 || t.Kind == types.Float8) {
		return nil, operatorMismatch(op, l, r)
	}
	if t.Kind == types.Numeric {
		// Arithmetic results carry no typmod.
		t = types.TNumeric
	}
	if t.Kind == types.Float4 && (l.Type().Kind != r.Type().Kind) {
		// float4 op numeric/int8 resolves to float8 in PostgreSQL.
		t = types.TFloat8
		for i := range args {
			if args[i], err = b.coerce(args[i], t); err != nil {
				return nil, err
			}
		}
	}
	return &plan.Op{Op: op, Args: args, T: t}, nil
}

// dateArithmetic types the date/time operator combinations PostgreSQL
// defines; ok is false when the operands are not date/time ones.
func (b *binder) dateArithmetic(op string, l, r plan.Expr) (plan.Expr, bool, error) {
	lt, rt := l.Type().Kind, r.Type().Kind
	isDT := func(k types.Kind) bool {
		return dateRank(k) > 0 || k == types.Interval || k == types.Time || k == types.TimeTZ
	}
	if !isDT(lt) && !isDT(rt) {
		return nil, false, nil
	}
	mk := func(a, c plan.Expr, t types.Type) (plan.Expr, bool, error) {
		return &plan.Op{Op: op, Args: []plan.Expr{a, c}, T: t}, true, nil
	}
	// Resolve an unknown operand against the typed one.
	resolve := func(e plan.Expr, want types.Type) (plan.Expr, error) {
		if isUnknown(e) {
			return b.coerce(e, want)
		}
		return e, nil
	}
	switch op {
	case "+":
		if lt == types.Unknown || rt == types.Unknown {
			// date + 'literal' reads the literal as an interval, except date + int.
			var err error
			if lt == types.Unknown {
				want := types.TInterval
				if rt == types.Interval {
					want = types.TTimestamp
				}
				if l, err = resolve(l, want); err != nil {
					return nil, true, err
				}
			} else {
				want := types.TInterval
				if lt == types.Interval {
					want = types.TTimestamp
				}
				if r, err = resolve(r, want); err != nil {
					return nil, true, err
				}
			}
			return b.dateArithmetic(op, l, r)
		}
		switch {
		case lt == types.Date && isIntKind(rt):
			r, _ = b.coerce(r, types.TInt4)
			return mk(l, r, types.TDate)
		case isIntKind(lt) && rt == types.Date:
			l, _ = b.coerce(l, types.TInt4)
			return mk(r, l, types.TDate)
		case lt == types.Date && rt == types.Interval:
			return mk(&plan.Cast{Arg: l, T: types.TTimestamp}, r, types.TTimestamp)
		case lt == types.Interval && rt == types.Date:
			return mk(&plan.Cast{Arg: r, T: types.TTimestamp}, l, types.TTimestamp)
		case (lt == types.Timestamp || lt == types.TimestampTZ || lt == types.Time || lt == types.TimeTZ) && rt == types.Interval:
			return mk(l, r, types.Type{Kind: lt})
		case lt == types.Interval && (rt == types.Timestamp || rt == types.TimestampTZ || rt == types.Time || rt == types.TimeTZ):
			return mk(r, l, types.Type{Kind: rt})
		case lt == types.Date && rt == types.TimeTZ:
			return mk(l, r, types.TTimestampTZ)
		case lt == types.TimeTZ && rt == types.Date:
			return mk(r, l, types.TTimestampTZ)
		case lt == types.Interval && rt == types.Interval:
			return mk(l, r, types.TInterval)
		case lt == types.Date && rt == types.Time:
			return mk(&plan.Cast{Arg: l, T: types.TTimestamp}, &plan.Cast{Arg: r, T: types.TInterval}, types.TTimestamp)
		}
	case "-":
		var err error
		if lt == types.Unknown {
			if l, err = resolve(l, r.Type()); err != nil {
				return nil, true, err
			}
			return b.dateArithmetic(op, l, r)
		}
		if rt == types.Unknown {
			want := types.TInterval
			if lt == types.Date {
				// date - 'literal': PostgreSQL prefers date - date.
				want = types.TDate
			} else if lt == types.Interval {
				want = types.TInterval
			}
			if r, err = resolve(r, want); err != nil {
				return nil, true, err
			}
			return b.dateArithmetic(op, l, r)
		}
		switch {
		case lt == types.Date && rt == types.Date:
			return mk(l, r, types.TInt4)
		case lt == types.Date && isIntKind(rt):
			r, _ = b.coerce(r, types.TInt4)
			return mk(l, r, types.TDate)
		case lt == types.Date && rt == types.Interval:
			return mk(&plan.Cast{Arg: l, T: types.TTimestamp}, r, types.TTimestamp)
		case (lt == types.Timestamp || lt == types.TimestampTZ || lt == types.Time || lt == types.TimeTZ) && rt == types.Interval:
			return mk(l, r, types.Type{Kind: lt})
		case lt == types.Interval && rt == types.Interval:
			return mk(l, r, types.TInterval)
		case dateRank(lt) > 0 && dateRank(rt) > 0:
			// timestamp - timestamp (date promoted) is an interval.
			args, t, err := b.coerceAll([]plan.Expr{l, r}, "operator -")
			if err != nil {
				return nil, true, err
			}
			if t.Kind == types.Date {
				return mk(args[0], args[1], types.TInt4)
			}
			return mk(args[0], args[1], types.TInterval)
		case lt == types.Time && rt == types.Time:
			return mk(l, r, types.TInterval)
		case lt == types.Date && rt == types.Time:
			return mk(l, r, types.TTimestamp)
		}
	case "*", "/":
		if lt == types.Interval && (numericRank(rt) > 0 || rt == types.Unknown) {
			r2, err := b.coerce(r, types.TFloat8)
			if err != nil {
				return nil, true, err
			}
			return mk(l, r2, types.TInterval)
		}
		if op == "*" && rt == types.Interval && (numericRank(lt) > 0 || lt == types.Unknown) {
			l2, err := b.coerce(l, types.TFloat8)
			if err != nil {
				return nil, true, err
			}
			return mk(r, l2, types.TInterval)
		}
	}
	return nil, true, operatorMismatch(op, l, r)
}

func isIntKind(k types.Kind) bool { return k == types.Int2 || k == types.Int4 || k == types.Int8 }

// concat types ||: text || anything, where the other operand is cast to
// text (PostgreSQL's anynonarray || text).
func (b *binder) concat(l, r plan.Expr) (plan.Expr, error) {
	lt, rt := l.Type(), r.Type()
	if isArrayKind(lt.Kind) || isArrayKind(rt.Kind) {
		return b.arrayConcat(l, r)
	}
	if !(lt.IsString() || rt.IsString()) {
		return nil, operatorMismatch("||", l, r)
	}
	toText := func(e plan.Expr) (plan.Expr, error) {
		if e.Type().Kind == types.Text {
			return e, nil
		}
		return b.coerce(e, types.TText)
	}
	var err error
	if l, err = toText(l); err != nil {
		return nil, err
	}
	if r, err = toText(r); err != nil {
		return nil, err
	}
	return &plan.Op{Op: plan.OpConcat, Args: []plan.Expr{l, r}, T: types.TText}, nil
}

// castTo is an explicit CAST / :: conversion.
func (b *binder) castTo(e plan.Expr, t types.Type) (plan.Expr, error) {
	if c, ok := e.(*plan.Const); ok && c.T.Kind == types.Unknown {
		if (t.Kind == types.Varchar || t.Kind == types.Bpchar) && t.Length > 0 {
			// An explicit cast truncates (or pads) where reading the
			// literal as the type would reject it.
			return &plan.Cast{Arg: &plan.Const{Value: c.Value, T: types.TText}, T: t}, nil
		}
		return b.coerce(e, t)
	}
	if p, ok := e.(*plan.Param); ok && p.T.Kind == types.Unknown {
		return b.coerce(e, t)
	}
	if e.Type() == t {
		return e, nil
	}
	if isOIDLike(t.Kind) && e.Type().IsString() && t.Kind != types.OID {
		return b.regCast(e, t)
	}
	if isOIDLike(e.Type().Kind) && isOIDLike(t.Kind) || isOIDLike(t.Kind) && e.Type().IsInteger() {
		return &plan.Cast{Arg: e, T: t}, nil
	}
	if isOIDLike(e.Type().Kind) && e.Type().Kind != types.OID && t.IsString() {
		return b.regName(e, t)
	}
	return &plan.Cast{Arg: e, T: t}, nil
}

// regCast converts a name to an OID type ('orders'::regclass): the
// catalog resolves the name.
func (b *binder) regCast(e plan.Expr, t types.Type) (plan.Expr, error) {
	fn := map[types.Kind]string{types.RegClass: "regclass_in", types.RegType: "regtype_in", types.RegProc: "regproc_in", types.RegNamespace: "regnamespace_in"}[t.Kind]
	text, err := b.coerce(e, types.TText)
	if err != nil {
		return nil, err
	}
	call, err := b.callFunction(fn, []plan.Expr{text})
	if err != nil {
		return nil, err
	}
	return &plan.Cast{Arg: call, T: t}, nil
}

// regName converts an OID type to the name it stands for (oid::regclass::text).
func (b *binder) regName(e plan.Expr, t types.Type) (plan.Expr, error) {
	fn := map[types.Kind]string{types.RegClass: "regclass_name", types.RegType: "regtype_name", types.RegProc: "regproc_name", types.RegNamespace: "regnamespace_name"}[e.Type().Kind]
	call, err := b.callFunction(fn, []plan.Expr{&plan.Cast{Arg: e, T: types.TOID}})
	if err != nil {
		return nil, err
	}
	return b.coerce(call, t)
}
