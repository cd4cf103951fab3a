// Package types owns Junction's model of PostgreSQL data types: the type
// descriptors every layer agrees on (their OIDs, names and physical
// representation), single values (Datum) and the text forms PostgreSQL reads
// and prints.
//
// Every value inside Junction has a PostgreSQL type, whatever source it came
// from: connectors map their native types onto these, the planner types
// expressions with PostgreSQL's rules, and the wire layer reports these OIDs
// to clients.
//
// Physical representation (what a column vector stores):
//
//	bool                         -> bool
//	int2, int4, int8, oid        -> int64
//	float4, float8               -> float64
//	numeric                      -> decimal.Decimal (exact; the exponent keeps the display scale;
//	                                NaN and the infinities are marked, see numeric_special.go)
//	text, varchar, bpchar, name,
//	json, jsonb, uuid            -> string
//	bytea                        -> []byte
//	date                         -> int64 days since 1970-01-01
//	time                         -> int64 microseconds since midnight
//	timetz                       -> int64 packing the time and its zone (see PackTimeTZ)
//	timestamp, timestamptz       -> int64 microseconds since 1970-01-01 00:00:00 UTC
//	interval                     -> Interval{Months, Days, Micros}
//	arrays (integer[], text[], ...),
//	records (ROW(...))           -> string, in PostgreSQL's text form
//	                                (see arrays.go and record.go)
package types

import (
	"fmt"
	"strings"
)

// Kind is a PostgreSQL base type.
type Kind uint8

// The kinds Junction knows. Unknown is the type of an untyped literal or NULL
// before context decides its type, as in PostgreSQL.
const (
	Unknown Kind = iota
	Bool
	Int2
	Int4
	Int8
	Float4
	Float8
	Numeric
	Text
	Varchar
	Bpchar
	Name
	Bytea
	Date
	Time
	Timestamp
	TimestampTZ
	Interval
	JSON
	JSONB
	UUID
	OID
	RegClass
	RegType
	RegProc
	RegNamespace
	Char // PostgreSQL's internal single-byte "char"
	TextArray
	Int2Vector
	OIDArray
	Int2Array
	BoolArray
	Int4Array
	Int8Array
	Float4Array
	Float8Array
	NumericArray
	ByteaArray
	DateArray
	TimeArray
	TimestampArray
	TimestampTZArray
	IntervalArray
	JSONArray
	JSONBArray
	UUIDArray
	Record
	RecordArray
	TimeTZ
	Void // what a function returning nothing returns
	numKinds
)

// Physical is how a column vector stores a kind.
type Physical uint8

// Physical representations; see the package documentation.
const (
	PhysNone Physical = iota
	PhysBool
	PhysInt
	PhysFloat
	PhysDecimal
	PhysString
	PhysBytes
	PhysInterval
)

type kindInfo struct {
	name     string // format_type() spelling
	oid      uint32
	phys     Physical
	size     int16 // typlen
	category byte  // pg_type.typcategory
}

var kinds = [numKinds]kindInfo{
	Unknown:          {"unknown", 705, PhysString, -2, 'X'},
	Bool:             {"boolean", 16, PhysBool, 1, 'B'},
	Int2:             {"smallint", 21, PhysInt, 2, 'N'},
	Int4:             {"integer", 23, PhysInt, 4, 'N'},
	Int8:             {"bigint", 20, PhysInt, 8, 'N'},
	Float4:           {"real", 700, PhysFloat, 4, 'N'},
	Float8:           {"double precision", 701, PhysFloat, 8, 'N'},
	Numeric:          {"numeric", 1700, PhysDecimal, -1, 'N'},
	Text:             {"text", 25, PhysString, -1, 'S'},
	Varchar:          {"character varying", 1043, PhysString, -1, 'S'},
	Bpchar:           {"character", 1042, PhysString, -1, 'S'},
	Name:             {"name", 19, PhysString, 64, 'S'},
	Bytea:            {"bytea", 17, PhysBytes, -1, 'U'},
	Date:             {"date", 1082, PhysInt, 4, 'D'},
	Time:             {"time without time zone", 1083, PhysInt, 8, 'D'},
	Timestamp:        {"timestamp without time zone", 1114, PhysInt, 8, 'D'},
	TimestampTZ:      {"timestamp with time zone", 1184, PhysInt, 8, 'D'},
	Interval:         {"interval", 1186, PhysInterval, 16, 'T'},
	JSON:             {"json", 114, PhysString, -1, 'U'},
	JSONB:            {"jsonb", 3802, PhysString, -1, 'U'},
	UUID:             {"uuid", 2950, PhysString, 16, 'U'},
	OID:              {"oid", 26, PhysInt, 4, 'N'},
	RegClass:         {"regclass", 2205, PhysInt, 4, 'N'},
	RegType:          {"regtype", 2206, PhysInt, 4, 'N'},
	RegProc:          {"regproc", 24, PhysInt, 4, 'N'},
	RegNamespace:     {"regnamespace", 4089, PhysInt, 4, 'N'},
	Char:             {"\"char\"", 18, PhysString, 1, 'Z'},
	TextArray:        {"text[]", 1009, PhysString, -1, 'A'},
	Int2Vector:       {"int2vector", 22, PhysString, -1, 'A'},
	OIDArray:         {"oid[]", 1028, PhysString, -1, 'A'},
	Int2Array:        {"smallint[]", 1005, PhysString, -1, 'A'},
	BoolArray:        {"boolean[]", 1000, PhysString, -1, 'A'},
	Int4Array:        {"integer[]", 1007, PhysString, -1, 'A'},
	Int8Array:        {"bigint[]", 1016, PhysString, -1, 'A'},
	Float4Array:      {"real[]", 1021, PhysString, -1, 'A'},
	Float8Array:      {"double precision[]", 1022, PhysString, -1, 'A'},
	NumericArray:     {"numeric[]", 1231, PhysString, -1, 'A'},
	ByteaArray:       {"bytea[]", 1001, PhysString, -1, 'A'},
	DateArray:        {"date[]", 1182, PhysString, -1, 'A'},
	TimeArray:        {"time without time zone[]", 1183, PhysString, -1, 'A'},
	TimestampArray:   {"timestamp without time zone[]", 1115, PhysString, -1, 'A'},
	TimestampTZArray: {"timestamp with time zone[]", 1185, PhysString, -1, 'A'},
	IntervalArray:    {"interval[]", 1187, PhysString, -1, 'A'},
	JSONArray:        {"json[]", 199, PhysString, -1, 'A'},
	JSONBArray:       {"jsonb[]", 3807, PhysString, -1, 'A'},
	UUIDArray:        {"uuid[]", 2951, PhysString, -1, 'A'},
	Record:           {"record", 2249, PhysString, -1, 'P'},
	RecordArray:      {"record[]", 2287, PhysString, -1, 'P'},
	TimeTZ:           {"time with time zone", 1266, PhysInt, 12, 'D'},
	Void:             {"void", 2278, PhysString, 4, 'P'},
}

// Type is a PostgreSQL type with its modifier. Precision and Scale apply to
// numeric (0 precision = unconstrained); Length to varchar and bpchar (0 =
// unbounded).
type Type struct {
	Kind      Kind
	Precision int32
	Scale     int32
	Length    int32
}

// Convenience descriptors for unmodified types.
var (
	TUnknown     = Type{Kind: Unknown}
	TVoid        = Type{Kind: Void}
	TBool        = Type{Kind: Bool}
	TInt2        = Type{Kind: Int2}
	TInt4        = Type{Kind: Int4}
	TInt8        = Type{Kind: Int8}
	TFloat4      = Type{Kind: Float4}
	TFloat8      = Type{Kind: Float8}
	TNumeric     = Type{Kind: Numeric}
	TText        = Type{Kind: Text}
	TVarchar     = Type{Kind: Varchar}
	TName        = Type{Kind: Name}
	TBytea       = Type{Kind: Bytea}
	TDate        = Type{Kind: Date}
	TTime        = Type{Kind: Time}
	TTimeTZ      = Type{Kind: TimeTZ}
	TTimestamp   = Type{Kind: Timestamp}
	TTimestampTZ = Type{Kind: TimestampTZ}
	TInterval    = Type{Kind: Interval}
	TJSON        = Type{Kind: JSON}
	TJSONB       = Type{Kind: JSONB}
	TUUID        = Type{Kind: UUID}
	TOID         = Type{Kind: OID}
	TChar        = Type{Kind: Char}
)

// OID is the pg_type OID clients see for this type.
func (t Type) OID() uint32 { return kinds[t.Kind].oid }

// Physical is the vector representation of the type.
func (t Type) Physical() Physical { return kinds[t.Kind].phys }

// Size is pg_type.typlen.
func (t Type) Size() int16 { return kinds[t.Kind].size }

// Category is pg_type.typcategory.
func (t Type) Category() byte { return kinds[t.Kind].category }

// BaseName is the type name without modifiers, as format_type prints it.
func (t Type) BaseName() string { return kinds[t.Kind].name }

// IsNumeric reports whether the type is one of the number types.
func (t Type) IsNumeric() bool {
	switch t.Kind {
	case Int2, Int4, Int8, Float4, Float8, Numeric:
		return true
	}
	return false
}

// IsInteger reports whether the type is int2, int4 or int8.
func (t Type) IsInteger() bool { return t.Kind == Int2 || t.Kind == Int4 || t.Kind == Int8 }

// IsString reports whether the type belongs to PostgreSQL's string category.
func (t Type) IsString() bool { return kinds[t.Kind].category == 'S' || t.Kind == Unknown }

// Modifier is the atttypmod PostgreSQL would report for this type.
func (t Type) Modifier() int32 {
	switch t.Kind {
	case Numeric:
		if t.Precision > 0 {
			return (t.Precision<<16 | t.Scale) + 4
		}
	case Varchar, Bpchar:
		if t.Length > 0 {
			return t.Length + 4
		}
	case Time, TimeTZ, Timestamp, TimestampTZ:
		if p, ok := t.SecondsPrecision(); ok {
			return p
		}
	case Interval:
		if t.HasTimeTypmod() {
			precision, ok := t.SecondsPrecision()
			if !ok {
				precision = IntervalFullPrecision
			}
			return t.IntervalFields()<<16 | precision
		}
	}
	return -1
}

// String prints the type as format_type(oid, typmod) does.
func (t Type) String() string {
	switch t.Kind {
	case Numeric:
		if t.Precision > 0 {
			return fmt.Sprintf("numeric(%d,%d)", t.Precision, t.Scale)
		}
	case Varchar, Bpchar:
		if t.Length > 0 {
			return fmt.Sprintf("%s(%d)", t.BaseName(), t.Length)
		}
	case Interval:
		return intervalTypeName(t)
	case Time, TimeTZ, Timestamp, TimestampTZ:
		if p, ok := t.SecondsPrecision(); ok {
			name, zone, _ := strings.Cut(t.BaseName(), " ")
			return fmt.Sprintf("%s(%d) %s", name, p, zone)
		}
	}
	return t.BaseName()
}

// CastName spells the type as the target of a cast in SQL text, which
// differs from String for character without a length: PostgreSQL reads
// that spelling as character(1), so unbounded it is bpchar.
func (t Type) CastName() string {
	if t.Kind == Bpchar && t.Length <= 0 {
		return "bpchar"
	}
	return t.String()
}

// ByOID returns the type with the given pg_type OID.
func ByOID(oid uint32) (Type, bool) {
	for k := range kinds {
		if kinds[k].oid == oid && Kind(k) != Unknown {
			return Type{Kind: Kind(k)}, true
		}
	}
	return Type{}, false
}

// AllKinds lists every kind a client can see in pg_type.
func AllKinds() []Kind {
	out := make([]Kind, 0, numKinds)
	for k := Kind(0); k < numKinds; k++ {
		out = append(out, k)
	}
	return out
}

// ByName resolves a type name as written in SQL (CAST targets, DDL). The
// name is the last element of a possibly qualified name, lower-cased.
func ByName(name string) (Type, bool) {
	switch name {
	case "bool", "boolean":
		return TBool, true
	case "int2", "smallint", "smallserial":
		return TInt2, true
	case "int4", "int", "integer", "serial":
		return TInt4, true
	case "int8", "bigint", "bigserial":
		return TInt8, true
	case "float4", "real":
		return TFloat4, true
	case "float8", "double precision", "float":
		return TFloat8, true
	case "numeric", "decimal":
		return TNumeric, true
	case "text":
		return TText, true
	case "varchar", "character varying":
		return TVarchar, true
	case "bpchar", "char", "character":
		return Type{Kind: Bpchar}, true
	case "name":
		return TName, true
	case "bytea":
		return TBytea, true
	case "date":
		return TDate, true
	case "time", "time without time zone":
		return TTime, true
	case "timetz", "time with time zone":
		return TTimeTZ, true
	case "timestamp", "timestamp without time zone":
		return TTimestamp, true
	case "timestamptz", "timestamp with time zone":
		return TTimestampTZ, true
	case "interval":
		return TInterval, true
	case "json":
		return TJSON, true
	case "jsonb":
		return TJSONB, true
	case "uuid":
		return TUUID, true
	case "oid":
		return TOID, true
	case "regclass":
		return Type{Kind: RegClass}, true
	case "regtype":
		return Type{Kind: RegType}, true
	case "regproc":
		return Type{Kind: RegProc}, true
	case "regnamespace":
		return Type{Kind: RegNamespace}, true
	case "\"char\"":
		return TChar, true
	case "unknown":
		return TUnknown, true
	}
	return Type{}, false
}

// IntervalValue is a PostgreSQL interval: months, days and microseconds are
// kept apart because their lengths vary.
type IntervalValue struct {
	Months int32
	Days   int32
	Micros int64
}
