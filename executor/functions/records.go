package functions

import (
	"strconv"
	"strings"

	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
)

// Records (see types.RecordOf) are built by the function "row", which no
// SQL text can call by that name: ROW(a, b) and (a, b) bind to it. They
// compare as PostgreSQL's record_cmp does: field by field in each field's
// type, a NULL field above every value and equal to another NULL.

// recordFieldTexts writes a row's values as the text forms of a record's
// fields.
func recordFieldTexts(ts []types.Type, row []types.Datum) []*string {
	fields := make([]*string, len(row))
	for i, d := range row {
		if !d.Null {
			s := types.FormatText(ts[i], d)
			fields[i] = &s
		}
	}
	return fields
}

func rowConstructor(fc *funcCall, row []types.Datum) (types.Datum, error) {
	return types.StrDatum(string(types.AppendRecord(nil, recordFieldTexts(fc.argTypes, row)))), nil
}

// RecordType is the type ROW(...) builds from values of types ts: fields
// f1, f2, ... as PostgreSQL names them.
func RecordType(ts []types.Type) types.Type {
	fields := make([]types.Field, len(ts))
	for i, t := range ts {
		fields[i] = types.Field{Name: "f" + strconv.Itoa(i+1), Type: t}
	}
	return types.RecordOf(fields)
}

// RecordField reads field i of a record of type t, whose fields are known.
func RecordField(t types.Type, i int) plan.RowFunc {
	ft := t.Fields()[i].Type
	return func(args []types.Datum) (types.Datum, error) {
		if args[0].Null {
			return types.NullDatum, nil
		}
		fields, err := types.ParseRecord(args[0].Str)
		if err != nil {
			return types.Datum{}, err
		}
		if i >= len(fields) || fields[i] == nil {
			return types.NullDatum, nil
		}
		return types.ParseText(ft, *fields[i])
	}
}

// compareRecordText compares two records of type t in text form; with
// fields unknown, by their text.
func compareRecordText(t types.Type, a, b string) int {
	if a == b {
		return 0
	}
	fs := t.Fields()
	x, errA := types.ParseRecord(a)
	y, errB := types.ParseRecord(b)
	if fs == nil || errA != nil || errB != nil || len(x) != len(fs) || len(y) != len(fs) {
		return strings.Compare(a, b)
	}
	for i, f := range fs {
		switch {
		case x[i] == nil && y[i] == nil:
			continue
		case x[i] == nil:
			return 1
		case y[i] == nil:
			return -1
		}
		if c := compareElementText(f.Type, *x[i], *y[i]); c != 0 {
			return c
		}
	}
	return 0
}

// recordHashKey rewrites a record so that equal records have the same
// key, each field in its type's canonical spelling.
func recordHashKey(t types.Type, s string) string {
	fs := t.Fields()
	fields, err := types.ParseRecord(s)
	if fs == nil || err != nil || len(fields) != len(fs) {
		return s
	}
	for i, f := range fields {
		if f != nil {
			k := canonicalText(fs[i].Type, *f)
			fields[i] = &k
		}
	}
	return string(types.AppendRecord(nil, fields))
}

func init() {
	register([]funcSig{{params: []types.Type{anyType}, variadic: true, resultOf: RecordType, lenient: true, impl: perRow(rowConstructor)}}, "row")
}
