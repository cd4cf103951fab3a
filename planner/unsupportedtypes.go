package planner

import "github.com/junction-db/junction/plan"

// builtinTypesNotSupported are PostgreSQL's built-in types Junction does
// not model: naming one is refused as not supported (0A000) rather than
// answered as an unknown type, which would tell the user the type does
// not exist.
var builtinTypesNotSupported = map[string]bool{
	"money": true, "bit": true, "varbit": true, "bit varying": true, "xid": true, "xid8": true, "cid": true, "tid": true,
	"point": true, "line": true, "lseg": true, "box": true, "path": true, "polygon": true, "circle": true,
	"inet": true, "cidr": true, "macaddr": true, "macaddr8": true,
	"tsvector": true, "tsquery": true, "xml": true, "pg_lsn": true, "txid_snapshot": true, "pg_snapshot": true,
	"int4range": true, "int8range": true, "numrange": true, "tsrange": true, "tstzrange": true, "daterange": true,
	"int4multirange": true, "int8multirange": true, "nummultirange": true, "tsmultirange": true,
	"tstzmultirange": true, "datemultirange": true,
}

// unmodelledType is the source type of an expression that reads a base
// table column of a type Junction reads as text, or "".
func (x *exprBinder) unmodelledType(e plan.Expr) string {
	c, ok := e.(*plan.ColRef)
	if !ok || x.sc == nil || c.Index >= len(x.sc.cols) {
		return ""
	}
	col := x.sc.cols[c.Index]
	return x.unmodelled[[2]uint32{col.tableOID, uint32(col.attnum)}]
}
