package system

import (
	"fmt"
	"strings"

	"github.com/junction-db/junction/types"
)

// pgType is one row of pg_type.
type pgType struct {
	oid       uint32
	name      string // typname
	display   string // format_type spelling without a modifier
	length    int16
	kind      types.Kind // meaningful for the types values can have
	typtype   byte
	category  byte
	align     byte
	storage   byte
	preferred bool
	elem      uint32
	array     uint32
	input     uint32
	output    uint32
	receive   uint32
	send      uint32
	collation uint32
}

// byVal is pg_type.typbyval: fixed-size values of up to eight bytes are
// passed by value.
func (t *pgType) byVal() bool {
	return t.length == 1 || t.length == 2 || t.length == 4 || t.length == 8
}

// isArray reports whether information_schema calls the type ARRAY.
func (t *pgType) isArray() bool { return t.elem != 0 && t.length == -1 }

// kindTypes describes every type Junction's values can have, with
// PostgreSQL 15's catalog data; OID, length, category and spelling come
// from the types package.
var kindTypes = []pgType{
	{kind: types.Bool, name: "bool", typtype: 'b', preferred: true, input: 1242, output: 1243, receive: 2436, send: 2437, align: 'c', storage: 'p'},
	{kind: types.Bytea, name: "bytea", typtype: 'b', input: 1244, output: 31, receive: 2412, send: 2413, align: 'i', storage: 'x'},
	{kind: types.Char, name: "char", typtype: 'b', input: 1245, output: 33, receive: 2434, send: 2435, align: 'c', storage: 'p'},
	{kind: types.Name, name: "name", typtype: 'b', elem: 18, input: 34, output: 35, receive: 2422, send: 2423, align: 'c', storage: 'p', collation: 950},
	{kind: types.Int8, name: "int8", typtype: 'b', input: 460, output: 461, receive: 2408, send: 2409, align: 'd', storage: 'p'},
	{kind: types.Int2, name: "int2", typtype: 'b', input: 38, output: 39, receive: 2404, send: 2405, align: 's', storage: 'p'},
	{kind: types.Int2Vector, name: "int2vector", typtype: 'b', elem: 21, input: 40, output: 41, receive: 2410, send: 2411, align: 'i', storage: 'p'},
	{kind: types.Int4, name: "int4", typtype: 'b', input: 42, output: 43, receive: 2406, send: 2407, align: 'i', storage: 'p'},
	{kind: types.RegProc, name: "regproc", typtype: 'b', input: 44, output: 45, receive: 2444, send: 2445, align: 'i', storage: 'p'},
	{kind: types.RegNamespace, name: "regnamespace", typtype: 'b', input: 4084, output: 4085, receive: 4087, send: 4088, align: 'i', storage: 'p'},
	{kind: types.Text, name: "text", typtype: 'b', preferred: true, input: 46, output: 47, receive: 2414, send: 2415, align: 'i', storage: 'x', collation: 100},
	{kind: types.OID, name: "oid", typtype: 'b', preferred: true, input: 1798, output: 1799, receive: 2418, send: 2419, align: 'i', storage: 'p'},
	{kind: types.JSON, name: "json", typtype: 'b', input: 321, output: 322, receive: 323, send: 324, align: 'i', storage: 'x'},
	{kind: types.Float4, name: "float4", typtype: 'b', input: 200, output: 201, receive: 2424, send: 2425, align: 'i', storage: 'p'},
	{kind: types.Float8, name: "float8", typtype: 'b', preferred: true, input: 214, output: 215, receive: 2426, send: 2427, align: 'd', storage: 'p'},
	{kind: types.Unknown, name: "unknown", typtype: 'p', input: 109, output: 110, receive: 2416, send: 2417, align: 'c', storage: 'p'},
	{kind: types.Void, name: "void", typtype: 'p', input: 2298, output: 2299, receive: 3120, send: 3121, align: 'i', storage: 'p'},
	{kind: types.Int2Array, name: "_int2", typtype: 'b', elem: 21, input: 750, output: 751, receive: 2400, send: 2401, align: 'i', storage: 'x'},
	{kind: types.TextArray, name: "_text", typtype: 'b', elem: 25, input: 750, output: 751, receive: 2400, send: 2401, align: 'i', storage: 'x', collation: 100},
	{kind: types.OIDArray, name: "_oid", typtype: 'b', elem: 26, input: 750, output: 751, receive: 2400, send: 2401, align: 'i', storage: 'x'},
	{kind: types.Record, name: "record", typtype: 'p', input: 2290, output: 2291, receive: 2402, send: 2403, align: 'd', storage: 'x'},
	{kind: types.RecordArray, name: "_record", typtype: 'p', elem: 2249, input: 750, output: 751, receive: 2400, send: 2401, align: 'd', storage: 'x'},
	{kind: types.BoolArray, name: "_bool", typtype: 'b', elem: 16, input: 750, output: 751, receive: 2400, send: 2401, align: 'i', storage: 'x'},
	{kind: types.Int4Array, name: "_int4", typtype: 'b', elem: 23, input: 750, output: 751, receive: 2400, send: 2401, align: 'i', storage: 'x'},
	{kind: types.Int8Array, name: "_int8", typtype: 'b', elem: 20, input: 750, output: 751, receive: 2400, send: 2401, align: 'd', storage: 'x'},
	{kind: types.Float4Array, name: "_float4", typtype: 'b', elem: 700, input: 750, output: 751, receive: 2400, send: 2401, align: 'i', storage: 'x'},
	{kind: types.Float8Array, name: "_float8", typtype: 'b', elem: 701, input: 750, output: 751, receive: 2400, send: 2401, align: 'd', storage: 'x'},
	{kind: types.NumericArray, name: "_numeric", typtype: 'b', elem: 1700, input: 750, output: 751, receive: 2400, send: 2401, align: 'i', storage: 'x'},
	{kind: types.ByteaArray, name: "_bytea", typtype: 'b', elem: 17, input: 750, output: 751, receive: 2400, send: 2401, align: 'i', storage: 'x'},
	{kind: types.DateArray, name: "_date", typtype: 'b', elem: 1082, input: 750, output: 751, receive: 2400, send: 2401, align: 'i', storage: 'x'},
	{kind: types.TimeArray, name: "_time", typtype: 'b', elem: 1083, input: 750, output: 751, receive: 2400, send: 2401, align: 'd', storage: 'x'},
	{kind: types.TimestampArray, name: "_timestamp", typtype: 'b', elem: 1114, input: 750, output: 751, receive: 2400, send: 2401, align: 'd', storage: 'x'},
	{kind: types.TimestampTZArray, name: "_timestamptz", typtype: 'b', elem: 1184, input: 750, output: 751, receive: 2400, send: 2401, align: 'd', storage: 'x'},
	{kind: types.IntervalArray, name: "_interval", typtype: 'b', elem: 1186, input: 750, output: 751, receive: 2400, send: 2401, align: 'd', storage: 'x'},
	{kind: types.JSONArray, name: "_json", typtype: 'b', elem: 114, input: 750, output: 751, receive: 2400, send: 2401, align: 'i', storage: 'x'},
	{kind: types.JSONBArray, name: "_jsonb", typtype: 'b', elem: 3802, input: 750, output: 751, receive: 2400, send: 2401, align: 'i', storage: 'x'},
	{kind: types.UUIDArray, name: "_uuid", typtype: 'b', elem: 2950, input: 750, output: 751, receive: 2400, send: 2401, align: 'i', storage: 'x'},
	{kind: types.Bpchar, name: "bpchar", typtype: 'b', input: 1044, output: 1045, receive: 2430, send: 2431, align: 'i', storage: 'x', collation: 100},
	{kind: types.Varchar, name: "varchar", typtype: 'b', input: 1046, output: 1047, receive: 2432, send: 2433, align: 'i', storage: 'x', collation: 100},
	{kind: types.Date, name: "date", typtype: 'b', input: 1084, output: 1085, receive: 2468, send: 2469, align: 'i', storage: 'p'},
	{kind: types.Time, name: "time", typtype: 'b', input: 1143, output: 1144, receive: 2470, send: 2471, align: 'd', storage: 'p'},
	{kind: types.TimeTZ, name: "timetz", typtype: 'b', input: 1350, output: 1351, receive: 2472, send: 2473, align: 'd', storage: 'p'},
	{kind: types.Timestamp, name: "timestamp", typtype: 'b', input: 1312, output: 1313, receive: 2474, send: 2475, align: 'd', storage: 'p'},
	{kind: types.TimestampTZ, name: "timestamptz", typtype: 'b', preferred: true, input: 1150, output: 1151, receive: 2476, send: 2477, align: 'd', storage: 'p'},
	{kind: types.Interval, name: "interval", typtype: 'b', preferred: true, input: 1160, output: 1161, receive: 2478, send: 2479, align: 'd', storage: 'p'},
	{kind: types.Numeric, name: "numeric", typtype: 'b', input: 1701, output: 1702, receive: 2460, send: 2461, align: 'i', storage: 'm'},
	{kind: types.RegClass, name: "regclass", typtype: 'b', input: 2218, output: 2219, receive: 2452, send: 2453, align: 'i', storage: 'p'},
	{kind: types.RegType, name: "regtype", typtype: 'b', input: 2220, output: 2221, receive: 2454, send: 2455, align: 'i', storage: 'p'},
	{kind: types.UUID, name: "uuid", typtype: 'b', input: 2952, output: 2953, receive: 2961, send: 2962, align: 'c', storage: 'p'},
	{kind: types.JSONB, name: "jsonb", typtype: 'b', input: 3806, output: 3804, receive: 3805, send: 3803, align: 'i', storage: 'x'},
}

// otherTypes are pseudo-types and internal types that appear only in
// function signatures and as the type of pg_node_tree columns.
var otherTypes = []pgType{
	{oid: 194, name: "pg_node_tree", length: -1, category: 'Z', typtype: 'b', input: 195, output: 196, receive: 197, send: 198, align: 'i', storage: 'x', collation: 100},
	{oid: 2275, name: "cstring", length: -2, category: 'P', typtype: 'p', input: 2292, output: 2293, receive: 2500, send: 2501, align: 'c', storage: 'p'},
	{oid: 2276, name: "any", display: `"any"`, length: 4, category: 'P', typtype: 'p', input: 2294, output: 2295, align: 'i', storage: 'p'},
	{oid: 2277, name: "anyarray", length: -1, category: 'P', typtype: 'p', input: 2296, output: 2297, receive: 2502, send: 2503, align: 'd', storage: 'x'},
	{oid: 2283, name: "anyelement", length: 4, category: 'P', typtype: 'p', input: 2312, output: 2313, align: 'i', storage: 'p'},
	{oid: 2776, name: "anynonarray", length: 4, category: 'P', typtype: 'p', input: 2777, output: 2778, align: 'i', storage: 'p'},
	{oid: 2281, name: "internal", length: 8, category: 'P', typtype: 'p', input: 2304, output: 2305, align: 'd', storage: 'p'},
}

var (
	pgTypes    []*pgType
	typeByOID  = map[uint32]*pgType{}
	typeByName = map[string]*pgType{}
	typeOfKind = map[types.Kind]*pgType{}
)

func init() {
	for i := range kindTypes {
		t := &kindTypes[i]
		kt := types.Type{Kind: t.kind}
		t.oid, t.length, t.category, t.display = kt.OID(), kt.Size(), kt.Category(), kt.BaseName()
		typeOfKind[t.kind] = t
		pgTypes = append(pgTypes, t)
	}
	for i := range otherTypes {
		t := &otherTypes[i]
		if t.display == "" {
			t.display = t.name // any is a keyword, and quoted
		}
		pgTypes = append(pgTypes, t)
	}
	for _, t := range pgTypes {
		typeByOID[t.oid] = t
		typeByName[t.name] = t
	}
	for _, t := range pgTypes {
		if t.input == arrayInOID {
			typeByOID[t.elem].array = t.oid
		}
	}
	registerAggregates()
}

// arrayInOID is array_in, the input function of every array type.
const arrayInOID = 750

// typeOf returns the pg_type row of a value type; a kind this table does
// not know yet is described as unknown rather than failing.
func typeOf(t types.Type) *pgType {
	if pt := typeOfKind[t.Kind]; pt != nil {
		return pt
	}
	return typeOfKind[types.Unknown]
}

// formatType is format_type(oid, typmod); typmodGiven is false for a NULL
// typmod, which PostgreSQL treats differently from -1 for bpchar. An array
// prints its element type with the modifier, then [].
func formatType(oid uint32, typmod int32, typmodGiven bool) string {
	if oid == 0 {
		return "-"
	}
	t := typeByOID[oid]
	if t == nil {
		return "???"
	}
	if t.input == arrayInOID {
		return formatBaseType(typeByOID[t.elem], typmod, typmodGiven) + "[]"
	}
	return formatBaseType(t, typmod, typmodGiven)
}

func formatBaseType(t *pgType, typmod int32, typmodGiven bool) string {
	withTypmod := typmodGiven && typmod >= 0
	switch t.kind {
	case types.Bool, types.Int2, types.Int4, types.Int8, types.Float4, types.Float8:
		return t.display
	case types.Bpchar:
		switch {
		case withTypmod:
			return types.Type{Kind: t.kind, Length: typmod - 4}.String()
		case typmodGiven:
			// bpchar with typmod -1 is not character(1), which a plain
			// "character" would mean.
			return "bpchar"
		}
		return t.display
	case types.Varchar:
		if withTypmod {
			return types.Type{Kind: t.kind, Length: typmod - 4}.String()
		}
		return t.display
	case types.Numeric:
		if withTypmod && typmod >= 4 {
			precision, scale := numericTypmod(typmod)
			return fmt.Sprintf("numeric(%d,%d)", precision, scale)
		}
		return t.display
	case types.Time, types.TimeTZ, types.Timestamp, types.TimestampTZ:
		if withTypmod {
			name, zone, _ := strings.Cut(t.display, " ")
			return fmt.Sprintf("%s(%d) %s", name, typmod, zone)
		}
		return t.display
	case types.Interval:
		if withTypmod {
			return t.display + intervalTypmod(typmod)
		}
		return t.display
	}
	if withTypmod {
		// Types without a modifier of their own print it raw.
		return fmt.Sprintf("%s(%d)", t.display, typmod)
	}
	return t.display
}

// numericTypmod decodes a numeric typmod; PostgreSQL 15 allows a negative
// scale, kept in 11 bits.
func numericTypmod(typmod int32) (precision, scale int32) {
	v := typmod - 4
	return v >> 16 & 0xffff, (v&0x7ff ^ 1024) - 1024
}

// Interval typmods hold a field range and a fractional-second precision.
const (
	intervalFullRange     = 0x7fff
	intervalFullPrecision = 0xffff
	fieldYear             = 1 << 2
	fieldMonth            = 1 << 1
	fieldDay              = 1 << 3
	fieldHour             = 1 << 10
	fieldMinute           = 1 << 11
	fieldSecond           = 1 << 12
)

var intervalFields = map[int32]string{
	fieldYear:                          " year",
	fieldMonth:                         " month",
	fieldDay:                           " day",
	fieldHour:                          " hour",
	fieldMinute:                        " minute",
	fieldSecond:                        " second",
	fieldYear | fieldMonth:             " year to month",
	fieldDay | fieldHour:               " day to hour",
	fieldDay | fieldHour | fieldMinute: " day to minute",
	fieldDay | fieldHour | fieldMinute | fieldSecond: " day to second",
	fieldHour | fieldMinute:                          " hour to minute",
	fieldHour | fieldMinute | fieldSecond:            " hour to second",
	fieldMinute | fieldSecond:                        " minute to second",
	intervalFullRange:                                "",
}

func intervalTypmod(typmod int32) string {
	fields := intervalFields[typmod>>16&0x7fff]
	if precision := typmod & 0xffff; precision != intervalFullPrecision {
		return fmt.Sprintf("%s(%d)", fields, precision)
	}
	return fields
}

// procedure is one row of pg_proc.
type procedure struct {
	oid      uint32
	name     string
	result   uint32
	args     []uint32
	volatile byte
	strict   bool
}

// ioProcedures are the input, output, receive and send functions pg_type
// refers to, so that typinput = 'array_in'::regproc, as drivers write it,
// resolves.
var ioProcedures = []procedure{
	{31, "byteaout", 2275, []uint32{17}, 'i', true},
	{33, "charout", 2275, []uint32{18}, 'i', true},
	{34, "namein", 19, []uint32{2275}, 'i', true},
	{35, "nameout", 2275, []uint32{19}, 'i', true},
	{38, "int2in", 21, []uint32{2275}, 'i', true},
	{39, "int2out", 2275, []uint32{21}, 'i', true},
	{40, "int2vectorin", 22, []uint32{2275}, 'i', true},
	{41, "int2vectorout", 2275, []uint32{22}, 'i', true},
	{42, "int4in", 23, []uint32{2275}, 'i', true},
	{43, "int4out", 2275, []uint32{23}, 'i', true},
	{44, "regprocin", 24, []uint32{2275}, 's', true},
	{45, "regprocout", 2275, []uint32{24}, 's', true},
	{46, "textin", 25, []uint32{2275}, 'i', true},
	{47, "textout", 2275, []uint32{25}, 'i', true},
	{109, "unknownin", 705, []uint32{2275}, 'i', true},
	{110, "unknownout", 2275, []uint32{705}, 'i', true},
	{195, "pg_node_tree_in", 194, []uint32{2275}, 'i', true},
	{196, "pg_node_tree_out", 2275, []uint32{194}, 'i', true},
	{197, "pg_node_tree_recv", 194, []uint32{2281}, 's', true},
	{198, "pg_node_tree_send", 17, []uint32{194}, 's', true},
	{200, "float4in", 700, []uint32{2275}, 'i', true},
	{201, "float4out", 2275, []uint32{700}, 'i', true},
	{214, "float8in", 701, []uint32{2275}, 'i', true},
	{215, "float8out", 2275, []uint32{701}, 'i', true},
	{321, "json_in", 114, []uint32{2275}, 'i', true},
	{322, "json_out", 2275, []uint32{114}, 'i', true},
	{323, "json_recv", 114, []uint32{2281}, 'i', true},
	{324, "json_send", 17, []uint32{114}, 'i', true},
	{460, "int8in", 20, []uint32{2275}, 'i', true},
	{461, "int8out", 2275, []uint32{20}, 'i', true},
	{750, "array_in", 2277, []uint32{2275, 26, 23}, 's', true},
	{751, "array_out", 2275, []uint32{2277}, 's', true},
	{1044, "bpcharin", 1042, []uint32{2275, 26, 23}, 'i', true},
	{1045, "bpcharout", 2275, []uint32{1042}, 'i', true},
	{1046, "varcharin", 1043, []uint32{2275, 26, 23}, 'i', true},
	{1047, "varcharout", 2275, []uint32{1043}, 'i', true},
	{1084, "date_in", 1082, []uint32{2275}, 's', true},
	{1085, "date_out", 2275, []uint32{1082}, 's', true},
	{1143, "time_in", 1083, []uint32{2275, 26, 23}, 's', true},
	{1144, "time_out", 2275, []uint32{1083}, 'i', true},
	{1150, "timestamptz_in", 1184, []uint32{2275, 26, 23}, 's', true},
	{1151, "timestamptz_out", 2275, []uint32{1184}, 's', true},
	{1160, "interval_in", 1186, []uint32{2275, 26, 23}, 's', true},
	{1161, "interval_out", 2275, []uint32{1186}, 's', true},
	{1242, "boolin", 16, []uint32{2275}, 'i', true},
	{1243, "boolout", 2275, []uint32{16}, 'i', true},
	{1244, "byteain", 17, []uint32{2275}, 'i', true},
	{1245, "charin", 18, []uint32{2275}, 'i', true},
	{1312, "timestamp_in", 1114, []uint32{2275, 26, 23}, 's', true},
	{1313, "timestamp_out", 2275, []uint32{1114}, 's', true},
	{1701, "numeric_in", 1700, []uint32{2275, 26, 23}, 'i', true},
	{1702, "numeric_out", 2275, []uint32{1700}, 'i', true},
	{1798, "oidin", 26, []uint32{2275}, 'i', true},
	{1799, "oidout", 2275, []uint32{26}, 'i', true},
	{2218, "regclassin", 2205, []uint32{2275}, 's', true},
	{2219, "regclassout", 2275, []uint32{2205}, 's', true},
	{2220, "regtypein", 2206, []uint32{2275}, 's', true},
	{2221, "regtypeout", 2275, []uint32{2206}, 's', true},
	{2292, "cstring_in", 2275, []uint32{2275}, 'i', true},
	{2293, "cstring_out", 2275, []uint32{2275}, 'i', true},
	{2296, "anyarray_in", 2277, []uint32{2275}, 'i', true},
	{2297, "anyarray_out", 2275, []uint32{2277}, 's', true},
	{2304, "internal_in", 2281, []uint32{2275}, 'i', false},
	{2305, "internal_out", 2275, []uint32{2281}, 'i', true},
	{2400, "array_recv", 2277, []uint32{2281, 26, 23}, 's', true},
	{2401, "array_send", 17, []uint32{2277}, 's', true},
	{2404, "int2recv", 21, []uint32{2281}, 'i', true},
	{2405, "int2send", 17, []uint32{21}, 'i', true},
	{2406, "int4recv", 23, []uint32{2281}, 'i', true},
	{2407, "int4send", 17, []uint32{23}, 'i', true},
	{2408, "int8recv", 20, []uint32{2281}, 'i', true},
	{2409, "int8send", 17, []uint32{20}, 'i', true},
	{2410, "int2vectorrecv", 22, []uint32{2281}, 'i', true},
	{2411, "int2vectorsend", 17, []uint32{22}, 'i', true},
	{2412, "bytearecv", 17, []uint32{2281}, 'i', true},
	{2413, "byteasend", 17, []uint32{17}, 'i', true},
	{2414, "textrecv", 25, []uint32{2281}, 's', true},
	{2415, "textsend", 17, []uint32{25}, 's', true},
	{2416, "unknownrecv", 705, []uint32{2281}, 'i', true},
	{2417, "unknownsend", 17, []uint32{705}, 'i', true},
	{2418, "oidrecv", 26, []uint32{2281}, 'i', true},
	{2419, "oidsend", 17, []uint32{26}, 'i', true},
	{2422, "namerecv", 19, []uint32{2281}, 's', true},
	{2423, "namesend", 17, []uint32{19}, 's', true},
	{2424, "float4recv", 700, []uint32{2281}, 'i', true},
	{2425, "float4send", 17, []uint32{700}, 'i', true},
	{2426, "float8recv", 701, []uint32{2281}, 'i', true},
	{2427, "float8send", 17, []uint32{701}, 'i', true},
	{2430, "bpcharrecv", 1042, []uint32{2281, 26, 23}, 's', true},
	{2431, "bpcharsend", 17, []uint32{1042}, 's', true},
	{2432, "varcharrecv", 1043, []uint32{2281, 26, 23}, 's', true},
	{2433, "varcharsend", 17, []uint32{1043}, 's', true},
	{2434, "charrecv", 18, []uint32{2281}, 'i', true},
	{2435, "charsend", 17, []uint32{18}, 'i', true},
	{2436, "boolrecv", 16, []uint32{2281}, 'i', true},
	{2437, "boolsend", 17, []uint32{16}, 'i', true},
	{2444, "regprocrecv", 24, []uint32{2281}, 'i', true},
	{2445, "regprocsend", 17, []uint32{24}, 'i', true},
	{2452, "regclassrecv", 2205, []uint32{2281}, 'i', true},
	{2453, "regclasssend", 17, []uint32{2205}, 'i', true},
	{2454, "regtyperecv", 2206, []uint32{2281}, 'i', true},
	{2455, "regtypesend", 17, []uint32{2206}, 'i', true},
	{2460, "numeric_recv", 1700, []uint32{2281, 26, 23}, 'i', true},
	{2461, "numeric_send", 17, []uint32{1700}, 'i', true},
	{2468, "date_recv", 1082, []uint32{2281}, 'i', true},
	{2469, "date_send", 17, []uint32{1082}, 'i', true},
	{2470, "time_recv", 1083, []uint32{2281, 26, 23}, 'i', true},
	{2471, "time_send", 17, []uint32{1083}, 'i', true},
	{2474, "timestamp_recv", 1114, []uint32{2281, 26, 23}, 'i', true},
	{2475, "timestamp_send", 17, []uint32{1114}, 'i', true},
	{2476, "timestamptz_recv", 1184, []uint32{2281, 26, 23}, 'i', true},
	{2477, "timestamptz_send", 17, []uint32{1184}, 'i', true},
	{2478, "interval_recv", 1186, []uint32{2281, 26, 23}, 'i', true},
	{2479, "interval_send", 17, []uint32{1186}, 'i', true},
	{2500, "cstring_recv", 2275, []uint32{2281}, 's', true},
	{2501, "cstring_send", 17, []uint32{2275}, 's', true},
	{2502, "anyarray_recv", 2277, []uint32{2281}, 's', true},
	{2503, "anyarray_send", 17, []uint32{2277}, 's', true},
	{2952, "uuid_in", 2950, []uint32{2275}, 'i', true},
	{2953, "uuid_out", 2275, []uint32{2950}, 'i', true},
	{2961, "uuid_recv", 2950, []uint32{2281}, 'i', true},
	{2962, "uuid_send", 17, []uint32{2950}, 'i', true},
	{3803, "jsonb_send", 17, []uint32{3802}, 'i', true},
	{3804, "jsonb_out", 2275, []uint32{3802}, 'i', true},
	{3805, "jsonb_recv", 3802, []uint32{2281}, 'i', true},
	{3806, "jsonb_in", 3802, []uint32{2275}, 'i', true},
}
