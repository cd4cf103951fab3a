package bench

import "strings"

// place says which database of the split holds a table.
type place int

const (
	inPostgres place = iota
	inMariaDB
)

// column is one column of a TPC-H table. Its type is written so that
// PostgreSQL and MariaDB both accept it and store the same values.
type column struct{ name, typ string }

// table is one of TPC-H's eight tables as the benchmark creates it: the
// columns and keys of the specification, primary keys, and an index on
// every foreign-key column a primary key does not already lead with.
type table struct {
	name       string
	columns    []column
	primaryKey []string
	// indexes are the foreign-key columns, one index each.
	indexes []string
	split   place
	// parquet is set for the tables the lake target reads from Parquet
	// files instead of PostgreSQL.
	parquet bool
	// rows writes the table's rows at a scale, in primary-key order.
	rows func(g *generator, w *rowWriter) error
}

// columnDefs is the parenthesised column list of a CREATE TABLE.
func (t *table) columnDefs() string {
	defs := make([]string, len(t.columns))
	for i, c := range t.columns {
		defs[i] = c.name + " " + c.typ + " NOT NULL"
	}
	return "(" + strings.Join(defs, ", ") + ")"
}

func (t *table) columnNames() string {
	names := make([]string, len(t.columns))
	for i, c := range t.columns {
		names[i] = c.name
	}
	return strings.Join(names, ", ")
}

var (
	keyType  = "integer"
	money    = "numeric(15,2)"
	dateType = "date"
)

func char(n string) string    { return "char(" + n + ")" }
func varchar(n string) string { return "varchar(" + n + ")" }

// tables lists TPC-H's tables, small ones first so that a failed load
// fails early.
var tables = []*table{
	{
		name:       "region",
		columns:    []column{{"r_regionkey", keyType}, {"r_name", char("25")}, {"r_comment", varchar("152")}},
		primaryKey: []string{"r_regionkey"},
		split:      inMariaDB,
		rows:       (*generator).regions,
	},
	{
		name: "nation",
		columns: []column{{"n_nationkey", keyType}, {"n_name", char("25")}, {"n_regionkey", keyType},
			{"n_comment", varchar("152")}},
		primaryKey: []string{"n_nationkey"},
		indexes:    []string{"n_regionkey"},
		split:      inMariaDB,
		rows:       (*generator).nations,
	},
	{
		name: "supplier",
		columns: []column{{"s_suppkey", keyType}, {"s_name", char("25")}, {"s_address", varchar("40")},
			{"s_nationkey", keyType}, {"s_phone", char("15")}, {"s_acctbal", money}, {"s_comment", varchar("101")}},
		primaryKey: []string{"s_suppkey"},
		indexes:    []string{"s_nationkey"},
		split:      inMariaDB,
		rows:       (*generator).suppliers,
	},
	{
		name: "customer",
		columns: []column{{"c_custkey", keyType}, {"c_name", varchar("25")}, {"c_address", varchar("40")},
			{"c_nationkey", keyType}, {"c_phone", char("15")}, {"c_acctbal", money}, {"c_mktsegment", char("10")},
			{"c_comment", varchar("117")}},
		primaryKey: []string{"c_custkey"},
		indexes:    []string{"c_nationkey"},
		split:      inMariaDB,
		rows:       (*generator).customers,
	},
	{
		name: "part",
		columns: []column{{"p_partkey", keyType}, {"p_name", varchar("55")}, {"p_mfgr", char("25")},
			{"p_brand", char("10")}, {"p_type", varchar("25")}, {"p_size", keyType}, {"p_container", char("10")},
			{"p_retailprice", money}, {"p_comment", varchar("23")}},
		primaryKey: []string{"p_partkey"},
		split:      inPostgres,
		rows:       (*generator).parts,
	},
	{
		name: "partsupp",
		columns: []column{{"ps_partkey", keyType}, {"ps_suppkey", keyType}, {"ps_availqty", keyType},
			{"ps_supplycost", money}, {"ps_comment", varchar("199")}},
		primaryKey: []string{"ps_partkey", "ps_suppkey"},
		indexes:    []string{"ps_suppkey"},
		split:      inPostgres,
		rows:       (*generator).partsupps,
	},
	{
		name: "orders",
		columns: []column{{"o_orderkey", keyType}, {"o_custkey", keyType}, {"o_orderstatus", char("1")},
			{"o_totalprice", money}, {"o_orderdate", dateType}, {"o_orderpriority", char("15")},
			{"o_clerk", char("15")}, {"o_shippriority", keyType}, {"o_comment", varchar("79")}},
		primaryKey: []string{"o_orderkey"},
		indexes:    []string{"o_custkey"},
		split:      inPostgres,
		parquet:    true,
		rows:       (*generator).orders,
	},
	{
		name: "lineitem",
		columns: []column{{"l_orderkey", keyType}, {"l_partkey", keyType}, {"l_suppkey", keyType},
			{"l_linenumber", keyType}, {"l_quantity", money}, {"l_extendedprice", money}, {"l_discount", money},
			{"l_tax", money}, {"l_returnflag", char("1")}, {"l_linestatus", char("1")}, {"l_shipdate", dateType},
			{"l_commitdate", dateType}, {"l_receiptdate", dateType}, {"l_shipinstruct", char("25")},
			{"l_shipmode", char("10")}, {"l_comment", varchar("44")}},
		primaryKey: []string{"l_orderkey", "l_linenumber"},
		indexes:    []string{"l_partkey", "l_suppkey"},
		split:      inPostgres,
		parquet:    true,
		rows:       (*generator).lineitems,
	},
}
