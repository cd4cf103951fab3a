package types

import "github.com/shopspring/decimal"

// Datum is one value of a known type, used where a single value is needed
// (literals, parameters, catalog rows). Only the field matching the type's
// physical representation is meaningful. It is a plain struct, not an
// interface, so that holding one never allocates.
type Datum struct {
	Null  bool
	Bool  bool
	Int   int64
	Float float64
	Dec   decimal.Decimal
	Str   string
	Bytes []byte
	Iv    IntervalValue
}

// NullDatum is SQL NULL.
var NullDatum = Datum{Null: true}

// IntDatum holds an integer, date, time or timestamp value.
func IntDatum(v int64) Datum { return Datum{Int: v} }

// FloatDatum holds a float value.
func FloatDatum(v float64) Datum { return Datum{Float: v} }

// StrDatum holds a string value.
func StrDatum(v string) Datum { return Datum{Str: v} }

// BoolDatum holds a boolean value.
func BoolDatum(v bool) Datum { return Datum{Bool: v} }

// DecDatum holds a numeric value.
func DecDatum(v decimal.Decimal) Datum { return Datum{Dec: v} }
