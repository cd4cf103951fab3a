package sqlite

import (
	"context"
	"regexp"
	"strconv"
	"strings"

	"github.com/junction-db/junction/connectors"
	"github.com/junction-db/junction/types"
)

// untypedSampleRows is how many rows decide the type of a column without a
// declared type.
const untypedSampleRows = 100

// Discover lists the tables and views of the database with their columns.
// A view whose definition no longer compiles (it names a dropped table) is
// left out, as SQLite cannot describe it.
func (c *Connector) Discover(ctx context.Context) (*connectors.Discovery, error) {
	if err := c.checkSchema(ctx); err != nil {
		return nil, c.queryError(ctx, err)
	}
	estimates, err := c.rowEstimates(ctx)
	if err != nil {
		return nil, c.queryError(ctx, err)
	}
	rows, err := c.db.QueryContext(ctx, `SELECT name, type = 'view' FROM sqlite_master
		WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite\_%' ESCAPE '\' ORDER BY name`)
	if err != nil {
		return nil, c.queryError(ctx, err)
	}
	var tables []connectors.Table
	for rows.Next() {
		t := connectors.Table{RowEstimate: -1}
		if err := rows.Scan(&t.Name, &t.IsView); err != nil {
			rows.Close()
			return nil, c.queryError(ctx, err)
		}
		if n, ok := estimates[t.Name]; ok {
			t.RowEstimate = n
		}
		tables = append(tables, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, c.queryError(ctx, err)
	}
	out := &connectors.Discovery{DefaultSchema: ""}
	for _, t := range tables {
		cols, err := c.columns(ctx, t.Name)
		if err != nil {
			if t.IsView && ctx.Err() == nil {
				continue
			}
			return nil, c.queryError(ctx, err)
		}
		t.Columns = cols
		out.Tables = append(out.Tables, t)
	}
	return out, nil
}

// columns describes one table's or view's columns.
func (c *Connector) columns(ctx context.Context, table string) ([]connectors.Column, error) {
	// hidden is 1 for the hidden columns of virtual tables, which SELECT *
	// leaves out; generated columns (2 and 3) are ordinary to readers.
	rows, err := c.db.QueryContext(ctx, `SELECT name, coalesce(type, ''), "notnull", pk
		FROM pragma_table_xinfo(?) WHERE hidden <> 1 ORDER BY cid`, table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var cols []connectors.Column
	var untyped []int
	pkColumns := 0
	rowidAlias := -1
	for rows.Next() {
		var col connectors.Column
		var notNull bool
		var pk int
		if err := rows.Scan(&col.Name, &col.NativeType, &notNull, &pk); err != nil {
			return nil, err
		}
		col.Nullable = !notNull
		if pk > 0 {
			pkColumns++
			if strings.EqualFold(col.NativeType, "INTEGER") {
				rowidAlias = len(cols)
			}
		}
		t, typed := declaredType(col.NativeType)
		if !typed {
			untyped = append(untyped, len(cols))
		}
		col.Type = t
		cols = append(cols, col)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// An INTEGER PRIMARY KEY is the rowid, which is never NULL.
	if pkColumns == 1 && rowidAlias >= 0 {
		cols[rowidAlias].Nullable = false
	}
	if len(untyped) > 0 {
		if err := c.sampleTypes(ctx, table, cols, untyped); err != nil {
			return nil, err
		}
	}
	return cols, nil
}

// sampleTypes types the columns without a declared type from the storage
// classes of their first values.
func (c *Connector) sampleTypes(ctx context.Context, table string, cols []connectors.Column, untyped []int) error {
	d := Dialect{}
	exprs := make([]string, len(untyped))
	for i, ci := range untyped {
		exprs[i] = "typeof(" + d.QuoteIdent(cols[ci].Name) + ")"
	}
	rows, err := c.db.QueryContext(ctx, "SELECT "+strings.Join(exprs, ", ")+" FROM "+d.QuoteIdent(table)+
		" LIMIT "+strconv.Itoa(untypedSampleRows))
	if err != nil {
		return err
	}
	defer rows.Close()
	seen := make([]map[string]bool, len(untyped))
	for i := range seen {
		seen[i] = map[string]bool{}
	}
	classes := make([]string, len(untyped))
	dest := make([]any, len(untyped))
	for i := range dest {
		dest[i] = &classes[i]
	}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return err
		}
		for i, class := range classes {
			seen[i][class] = true
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for i, ci := range untyped {
		cols[ci].Type = typeFromStorage(seen[i])
	}
	return nil
}

// typeFromStorage picks the type that holds every storage class seen.
func typeFromStorage(seen map[string]bool) types.Type {
	delete(seen, "null")
	only := func(classes ...string) bool {
		n := 0
		for _, c := range classes {
			if seen[c] {
				n++
			}
		}
		return n > 0 && n == len(seen)
	}
	switch {
	case only("integer"):
		return types.TInt8
	case only("integer", "real"):
		return types.TFloat8
	case only("blob"):
		return types.TBytea
	}
	return types.TText
}

// numericTypmod matches the precision and scale of DECIMAL(p,s) or
// NUMERIC(p).
var numericTypmod = regexp.MustCompile(`^\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\)$`)

// declaredType maps a declared column type to a PostgreSQL type by
// SQLite's affinity rules (see the package documentation); typed is false
// for a column without a declared type.
func declaredType(declared string) (t types.Type, typed bool) {
	u := strings.ToUpper(strings.TrimSpace(declared))
	switch {
	case u == "":
		return types.TText, false
	case strings.Contains(u, "INT"):
		return types.TInt8, true
	case strings.Contains(u, "CHAR") || strings.Contains(u, "CLOB") || strings.Contains(u, "TEXT"):
		return types.TText, true
	case strings.Contains(u, "BLOB"):
		return types.TBytea, true
	case strings.Contains(u, "REAL") || strings.Contains(u, "FLOA") || strings.Contains(u, "DOUB"):
		return types.TFloat8, true
	}
	base, params := u, ""
	if i := strings.IndexByte(u, '('); i >= 0 {
		base, params = strings.TrimSpace(u[:i]), strings.TrimSpace(u[i:])
	}
	base = strings.Join(strings.Fields(base), " ")
	switch base {
	case "BOOLEAN", "BOOL":
		return types.TBool, true
	case "DATE":
		return types.TDate, true
	case "DATETIME", "TIMESTAMP", "TIMESTAMP WITHOUT TIME ZONE":
		return types.TTimestamp, true
	case "TIMESTAMPTZ", "TIMESTAMP WITH TIME ZONE":
		return types.TTimestampTZ, true
	case "TIME", "TIME WITHOUT TIME ZONE":
		return types.TTime, true
	case "UUID":
		return types.TUUID, true
	case "JSON":
		return types.TJSON, true
	case "DECIMAL", "NUMERIC":
		if m := numericTypmod.FindStringSubmatch(params); m != nil {
			p, _ := strconv.Atoi(m[1])
			s, _ := strconv.Atoi(m[2]) // empty scale is 0
			// PostgreSQL's limits; other declarations stay unconstrained.
			if p >= 1 && p <= 1000 && s <= p {
				return types.Type{Kind: types.Numeric, Precision: int32(p), Scale: int32(s)}, true
			}
		}
	}
	return types.TNumeric, true
}

// rowEstimates reads the row counts ANALYZE stored in sqlite_stat1: the
// first number of each statistics row is the table's row count.
func (c *Connector) rowEstimates(ctx context.Context) (map[string]int64, error) {
	var exists bool
	err := c.db.QueryRowContext(ctx,
		"SELECT count(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'").Scan(&exists)
	if err != nil || !exists {
		return nil, err
	}
	rows, err := c.db.QueryContext(ctx, "SELECT tbl, stat FROM sqlite_stat1")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var tbl, stat string
		if err := rows.Scan(&tbl, &stat); err != nil {
			return nil, err
		}
		first, _, _ := strings.Cut(stat, " ")
		if n, err := strconv.ParseInt(first, 10, 64); err == nil && n > out[tbl] {
			out[tbl] = n
		}
	}
	return out, rows.Err()
}

// collationClause finds COLLATE clauses in schema SQL.
var collationClause = regexp.MustCompile(`(?i)\bCOLLATE\s+("?)(\w+)`)

// declaresOtherCollation reports whether DDL declares a collation other
// than BINARY.
func declaresOtherCollation(ddl string) bool {
	for _, m := range collationClause.FindAllStringSubmatch(ddl, -1) {
		if !strings.EqualFold(m[2], "BINARY") {
			return true
		}
	}
	return false
}
