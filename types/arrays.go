package types

// Array types pair with their element types here. Every array value is
// stored in PostgreSQL's text form (see the executor's array code), so an
// array kind differs from another only in how its elements read, print and
// compare.

// arrayElems maps each array kind to its element kind. int2vector is the
// one array kind that is not the array type of its element: smallint's is
// smallint[].
var arrayElems = map[Kind]Kind{
	TextArray:        Text,
	OIDArray:         OID,
	Int2Array:        Int2,
	Int2Vector:       Int2,
	BoolArray:        Bool,
	Int4Array:        Int4,
	Int8Array:        Int8,
	Float4Array:      Float4,
	Float8Array:      Float8,
	NumericArray:     Numeric,
	ByteaArray:       Bytea,
	DateArray:        Date,
	TimeArray:        Time,
	TimestampArray:   Timestamp,
	TimestampTZArray: TimestampTZ,
	IntervalArray:    Interval,
	JSONArray:        JSON,
	JSONBArray:       JSONB,
	UUIDArray:        UUID,
	RecordArray:      Record,
}

// arrayOfKind is the inverse of arrayElems, without int2vector. The
// character types share text[]: their values print alike.
var arrayOfKind = map[Kind]Kind{
	Varchar: TextArray,
	Bpchar:  TextArray,
	Name:    TextArray,
	Unknown: TextArray,
}

func init() {
	for a, e := range arrayElems {
		if a != Int2Vector {
			arrayOfKind[e] = a
		}
	}
}

// IsArray reports whether t is an array type.
func (t Type) IsArray() bool {
	_, ok := arrayElems[t.Kind]
	return ok
}

// Elem returns the element type of an array type; ok is false for a type
// that is not an array.
func (t Type) Elem() (Type, bool) {
	e, ok := arrayElems[t.Kind]
	if e == Record {
		return Type{Kind: Record, Length: t.Length}, ok
	}
	return Type{Kind: e}, ok
}

// ArrayOf returns the array type with elements of type t; ok is false
// when Junction has no such array type.
func ArrayOf(t Type) (Type, bool) {
	a, ok := arrayOfKind[t.Kind]
	if a == RecordArray {
		return Type{Kind: RecordArray, Length: t.Length}, ok
	}
	return Type{Kind: a}, ok
}
