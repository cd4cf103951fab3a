package differential

import (
	"math/rand/v2"

	"github.com/junction-db/junction/test/testenv"
)

// kind is the type class of a column or expression, which decides where
// the generator may use it.
type kind int

const (
	kInt kind = iota
	kNum
	kFloat
	kText
	kDate
	kTimestamp
	kBool
)

// column is one column of the fixed schema.
type column struct {
	name string
	kind kind
	// pgType and myType are the column's type in PostgreSQL and MariaDB,
	// chosen so that Junction reads the MariaDB column as the PostgreSQL
	// type and both hold the same values.
	pgType, myType string
	// extreme marks columns holding their type's limits, where
	// arithmetic would mostly overflow; the generator compares and
	// aggregates them instead.
	extreme bool
	// values are the column's possible values (nil is NULL), drawn at
	// random for each row.
	values []any
}

// table is one table of the fixed schema.
type table struct {
	name    string
	columns []*column
	rows    int
	// pgOnly are extra rows whose values MariaDB cannot hold (NaN and
	// infinite floats, -0, dates before year 1); they exist only in the
	// run with every table in the PostgreSQL source.
	pgOnly [][]any
}

// Values shared by several columns.
var (
	smallInts = []any{nil, 0, 1, 1, 2, 2, 3, 5, -1, -7, 10, 42, 100}
	fkInts    = []any{nil, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13}
	texts     = []any{nil, "alpha", "Alpha", "ALPHA", "alpha ", "", " lead", "beta", "b", "é", "É", "naïve", "日本", "😀", "a%b", "a_b", "O'Brien", "zeta"}
	dates     = []any{nil, "2024-02-29", "2000-01-01", "1999-12-31", "1970-01-01", "0001-01-01", "9999-12-31", "2023-12-31", "2024-03-01"}
	stamps    = []any{nil, "2024-02-29 12:34:56.789", "2000-01-01 00:00:00", "1999-12-31 23:59:59.999999", "1970-01-01 00:00:00", "1000-01-01 00:00:00", "9999-12-31 23:59:59", "2024-03-01 00:00:00.5"}
	bools     = []any{nil, true, false, false, true}
)

func num(s string) testenv.Decimal { return testenv.Decimal(s) }

// schema is the fixed schema. t1 is wide and holds the edge values; t2
// refers to t1 through t1_id (with dangling and NULL references); t3 is
// a small dimension that t1.i and t2.i point into; t4 repeats t1's types
// with few rows so that joins of three or four tables stay small.
var schema = []*table{
	{
		name: "t1",
		rows: 40,
		columns: []*column{
			{name: "id", kind: kInt, pgType: "integer NOT NULL", myType: "int NOT NULL"},
			{name: "i", kind: kInt, pgType: "integer", myType: "int", values: smallInts},
			{name: "s", kind: kInt, pgType: "smallint", myType: "smallint", extreme: true, values: []any{nil, 0, 1, -1, 32767, -32768, 12}},
			{name: "b", kind: kInt, pgType: "bigint", myType: "bigint", extreme: true, values: []any{nil, 0, 1, -1, int64(9223372036854775807), int64(-9223372036854775808), int64(1234567890123), int64(-4294967296)}},
			{name: "n", kind: kNum, pgType: "numeric(12,3)", myType: "decimal(12,3)", values: []any{nil, num("0"), num("1.5"), num("-1.5"), num("2.5"), num("0.001"), num("-0.001"), num("123456789.999"), num("-123456789.999"), num("10.000"), num("3.145")}},
			{name: "f", kind: kFloat, pgType: "double precision", myType: "double", values: []any{nil, num("0"), num("1.5"), num("-2.25"), num("0.1"), num("3"), num("1e300"), num("-1e-300"), num("1.7976931348623157e308"), num("123456.789")}},
			{name: "txt", kind: kText, pgType: "text", myType: "text", values: texts},
			{name: "c", kind: kText, pgType: "char(4)", myType: "char(4)", values: []any{nil, "ab", "AB", "", "abcd", "x", "é", "ab  "}},
			{name: "v", kind: kText, pgType: "varchar(10)", myType: "varchar(10)", values: []any{nil, "x", "x ", "X", "", "long text.", "ab", "alpha"}},
			{name: "d", kind: kDate, pgType: "date", myType: "date", values: dates},
			{name: "ts", kind: kTimestamp, pgType: "timestamp", myType: "datetime(6)", values: stamps},
			{name: "flag", kind: kBool, pgType: "boolean", myType: "boolean", values: bools},
		},
		pgOnly: [][]any{
			{41, 1, nil, nil, num("1"), "NaN", "alpha", "ab", "x", "0044-03-15 BC", nil, true},
			{42, 2, nil, nil, num("2"), "-0", "beta", "AB", "X", "2000-01-01", "2000-01-01 00:00:00", false},
			{43, nil, nil, nil, nil, "Infinity", nil, nil, nil, nil, nil, nil},
			{44, 3, nil, nil, num("-1"), "-Infinity", "", "", "", "1999-12-31", nil, nil},
		},
	},
	{
		name: "t2",
		rows: 80,
		columns: []*column{
			{name: "id", kind: kInt, pgType: "integer NOT NULL", myType: "int NOT NULL"},
			{name: "t1_id", kind: kInt, pgType: "integer", myType: "int", values: append(append([]any{}, fkInts...), 41, 42, 45, 50)},
			{name: "i", kind: kInt, pgType: "integer", myType: "int", values: smallInts},
			{name: "n", kind: kNum, pgType: "numeric(10,2)", myType: "decimal(10,2)", values: []any{nil, num("0"), num("0.5"), num("1.25"), num("-3.75"), num("99999999.99"), num("10"), num("7.1")}},
			{name: "txt", kind: kText, pgType: "varchar(12)", myType: "varchar(12)", values: texts},
			{name: "d", kind: kDate, pgType: "date", myType: "date", values: dates},
			{name: "flag", kind: kBool, pgType: "boolean", myType: "boolean", values: bools},
		},
	},
	{
		name: "t3",
		rows: 8,
		columns: []*column{
			{name: "id", kind: kInt, pgType: "integer NOT NULL", myType: "int NOT NULL"},
			{name: "i", kind: kInt, pgType: "integer", myType: "int", values: []any{nil, 1, 2, 3}},
			{name: "txt", kind: kText, pgType: "text", myType: "text", values: texts},
			{name: "n", kind: kNum, pgType: "numeric(6,1)", myType: "decimal(6,1)", values: []any{nil, num("0.0"), num("1.5"), num("-2.5"), num("99999.9")}},
		},
	},
	{
		name: "t4",
		rows: 12,
		columns: []*column{
			{name: "id", kind: kInt, pgType: "integer NOT NULL", myType: "int NOT NULL"},
			{name: "i", kind: kInt, pgType: "integer", myType: "int", values: smallInts},
			{name: "f", kind: kFloat, pgType: "double precision", myType: "double", values: []any{nil, num("0"), num("1.5"), num("0.1"), num("-2.25"), num("1e-5")}},
			{name: "txt", kind: kText, pgType: "char(6)", myType: "char(6)", values: []any{nil, "alpha", "beta ", "", "É", "b"}},
			{name: "d", kind: kDate, pgType: "date", myType: "date", values: dates},
			{name: "ts", kind: kTimestamp, pgType: "timestamp", myType: "datetime(6)", values: stamps},
			{name: "flag", kind: kBool, pgType: "boolean", myType: "boolean", values: bools},
		},
	},
}

// dataSeed fixes the data; the query seed varies independently.
const dataSeed = 20261204

// rows draws a table's rows: id runs from 1, every other column takes a
// random value of its list. With pgOnly set the rows only PostgreSQL can
// hold are appended.
func (t *table) data(pgOnly bool) [][]any {
	r := rand.New(rand.NewPCG(dataSeed, uint64(len(t.name)+int(t.name[1]))))
	out := make([][]any, 0, t.rows+len(t.pgOnly))
	for id := 1; id <= t.rows; id++ {
		row := []any{id}
		for _, c := range t.columns[1:] {
			row = append(row, c.values[r.IntN(len(c.values))])
		}
		out = append(out, row)
	}
	if pgOnly {
		out = append(out, t.pgOnly...)
	}
	return out
}

func (t *table) columnNames() []string {
	names := make([]string, len(t.columns))
	for i, c := range t.columns {
		names[i] = c.name
	}
	return names
}

// ddl is the CREATE TABLE statement for PostgreSQL or MariaDB. MariaDB
// tables use utf8mb4 with the server's default collation, whose case
// insensitivity and PAD SPACE Junction must not let through.
func (t *table) ddl(mariadb bool) string {
	s := "CREATE TABLE " + t.name + " ("
	for i, c := range t.columns {
		if i > 0 {
			s += ", "
		}
		typ := c.pgType
		if mariadb {
			typ = c.myType
		}
		s += c.name + " " + typ
	}
	s += ")"
	if mariadb {
		s += " CHARACTER SET utf8mb4"
	}
	return s
}
