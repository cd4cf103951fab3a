package files

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/junction-db/junction/connectors"
	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/types"
)

// Formats of data files, as DuckDB's readers are named.
const (
	formatCSV     = "csv"
	formatParquet = "parquet"
	formatJSON    = "json"
)

// dataFile is a data file found under root.
type dataFile struct {
	rel    string // slash-separated path below root, as found
	path   string // the resolved path DuckDB reads
	format string
	tsv    bool
	base   string // rel without the format and compression extensions
}

// table is a discovered table: one file or a directory of files.
type table struct {
	name   string
	files  []dataFile
	format string
	tsv    bool
	hive   bool
	// defined is the table's CREATE FOREIGN TABLE definition; nil for a
	// discovered table.
	defined *connectors.TableDefinition
	// from is the DuckDB table function call that reads the files.
	from string
	cols []connectors.Column
}

// fileFormat recognises a data file by its extensions.
func fileFormat(name string) (format string, tsv bool, base string, ok bool) {
	lower := strings.ToLower(name)
	trimmed := lower
	for _, comp := range []string{".gz", ".zst"} {
		if strings.HasSuffix(trimmed, comp) {
			trimmed = strings.TrimSuffix(trimmed, comp)
			break
		}
	}
	compressed := trimmed != lower
	ext := filepath.Ext(trimmed)
	switch ext {
	case ".csv":
		format = formatCSV
	case ".tsv":
		format, tsv = formatCSV, true
	case ".json", ".ndjson", ".jsonl":
		format = formatJSON
	case ".parquet", ".pq":
		if compressed {
			return "", false, "", false // Parquet compresses inside the file
		}
		format = formatParquet
	default:
		return "", false, "", false
	}
	return format, tsv, name[:len(trimmed)-len(ext)], true
}

// hivePart matches a hive partition directory name, key=value.
var hivePart = regexp.MustCompile(`^[^=/]+=[^/]*$`)

// findFiles walks root for data files. Links are resolved: a link whose
// target lies outside root is left out, and links to directories are not
// followed.
func (c *Connector) findFiles() ([]dataFile, error) {
	var out []dataFile
	err := filepath.WalkDir(c.root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if path == c.root {
				return err
			}
			return nil // an unreadable subdirectory is skipped
		}
		if d.IsDir() {
			return nil
		}
		format, tsv, _, ok := fileFormat(d.Name())
		if !ok {
			return nil
		}
		real := path
		if d.Type()&fs.ModeSymlink != 0 {
			resolved, err := filepath.EvalSymlinks(path)
			if err != nil || !within(c.root, resolved) {
				return nil
			}
			if info, err := os.Stat(resolved); err != nil || !info.Mode().IsRegular() {
				return nil
			}
			real = resolved
		} else if !d.Type().IsRegular() {
			return nil
		}
		rel, err := filepath.Rel(c.root, path)
		if err != nil {
			return nil
		}
		rel = filepath.ToSlash(rel)
		_, _, base, _ := fileFormat(rel)
		out = append(out, dataFile{rel: rel, path: real, format: format, tsv: tsv, base: base})
		return nil
	})
	return out, err
}

// within reports whether path is root or below it.
func within(root, path string) bool {
	rel, err := filepath.Rel(root, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// planTables groups the data files into tables (see the package
// documentation for the naming rules).
func planTables(files []dataFile) []*table {
	var tables []*table
	dirs := map[string][]dataFile{}
	for _, f := range files {
		parts := strings.Split(f.rel, "/")
		inPartition := false
		for i := 1; i < len(parts); i++ {
			dir := strings.Join(parts[:i], "/")
			dirs[dir] = append(dirs[dir], f)
			if hivePart.MatchString(parts[i-1]) {
				inPartition = true
			}
		}
		if !inPartition {
			tables = append(tables, &table{name: f.base, files: []dataFile{f}, format: f.format, tsv: f.tsv})
		}
	}
	for dir, fs := range dirs {
		if hasPartitionAncestor(dir) {
			continue
		}
		format, tsv := fs[0].format, fs[0].tsv
		hive := false
		same := true
		for _, f := range fs {
			same = same && f.format == format && f.tsv == tsv
			hive = hive || strings.Contains(strings.TrimPrefix(f.rel, dir+"/"), "=")
		}
		if !same {
			continue
		}
		tables = append(tables, &table{name: dir, files: fs, format: format, tsv: tsv, hive: hive})
	}
	// Clashing names keep their files' extensions.
	count := map[string]int{}
	for _, t := range tables {
		count[t.name]++
	}
	for _, t := range tables {
		if count[t.name] > 1 && len(t.files) == 1 && t.files[0].rel != t.name {
			t.name = t.files[0].rel
		}
	}
	sort.Slice(tables, func(i, j int) bool { return tables[i].name < tables[j].name })
	// Any clash left (a directory and a file both named without
	// extension cannot remain, but two directories cannot clash) is
	// resolved by keeping the first.
	out := tables[:0]
	for i, t := range tables {
		if i > 0 && t.name == tables[i-1].name {
			continue
		}
		out = append(out, t)
	}
	return out
}

// hasPartitionAncestor reports whether dir is or lies inside a key=value
// directory.
func hasPartitionAncestor(dir string) bool {
	for _, p := range strings.Split(dir, "/") {
		if hivePart.MatchString(p) {
			return true
		}
	}
	return false
}

// readerCall renders the DuckDB table function that reads t's files.
func (t *table) readerCall() string {
	paths := make([]string, len(t.files))
	for i, f := range t.files {
		paths[i] = stringLiteral(f.path)
	}
	sort.Strings(paths)
	list := "[" + strings.Join(paths, ", ") + "]"
	var opts []string
	switch t.format {
	case formatCSV:
		// As PostgreSQL's CSV: an empty unquoted value is NULL, a quoted
		// one the empty string.
		opts = append(opts, "allow_quoted_nulls = false")
		if t.tsv && (t.defined == nil || t.defined.Options[optDelimiter] == "") {
			opts = append(opts, "delim = '\\t'")
		}
		if t.defined != nil {
			opts = append(opts, csvOptions(t.defined)...)
		}
	case formatParquet:
		opts = append(opts, "binary_as_string = false")
	}
	if len(t.files) > 1 {
		opts = append(opts, "union_by_name = true")
	}
	if t.hive {
		opts = append(opts, "hive_partitioning = true")
	} else {
		opts = append(opts, "hive_partitioning = false")
	}
	return "read_" + t.format + "(" + list + ", " + strings.Join(opts, ", ") + ")"
}

// Discover finds the files under root again, sniffs their columns and
// (re)creates the views that read them.
func (c *Connector) Discover(ctx context.Context) (*connectors.Discovery, error) {
	c.discoverMu.Lock()
	defer c.discoverMu.Unlock()
	return c.discoverLocked(ctx)
}

// discoverLocked is Discover; the caller holds discoverMu, so that one
// discovery replaces the views at a time.
func (c *Connector) discoverLocked(ctx context.Context) (*connectors.Discovery, error) {
	found, err := c.findFiles()
	if err != nil {
		return nil, pgerr.New(pgerr.FDWUnableToConnect, "cannot read the root directory %q of a files source: %v", c.root, err)
	}
	planned := planTables(found)
	if len(c.definitions) > 0 {
		planned, err = c.withDefinedTables(planned)
		if err != nil {
			return nil, err
		}
	}
	out := &connectors.Discovery{DefaultSchema: ""}
	next := map[string]*table{}
	for _, t := range planned {
		t.from = t.readerCall()
		if err := c.describe(ctx, t); err != nil {
			if ctx.Err() != nil {
				return nil, c.queryError(ctx, err, "")
			}
			ferr := c.fileError(err, t)
			if t.defined != nil {
				return nil, ferr
			}
			// One file DuckDB cannot read leaves out its table, not
			// the source's others.
			out.Skipped = append(out.Skipped, connectors.SkippedTable{Name: t.name, Reason: ferr.Message})
			continue
		}
		if err := c.createView(ctx, t); err != nil {
			return nil, c.queryError(ctx, err, t.name)
		}
		next[t.name] = t
		out.Tables = append(out.Tables, connectors.Table{Name: t.name, Columns: t.cols, RowEstimate: c.rowEstimate(ctx, t)})
	}
	c.mu.Lock()
	old := c.tables
	c.tables = next
	c.mu.Unlock()
	c.discovered = true
	for name := range old {
		if _, kept := next[name]; !kept {
			c.db.ExecContext(ctx, "DROP VIEW IF EXISTS "+quoteIdent(name)) //nolint:errcheck // a stale view is never read: the catalog no longer names it
		}
	}
	return out, nil
}

// withDefinedTables adds the tables CREATE FOREIGN TABLE defined, in
// place of discovered tables of the same names.
func (c *Connector) withDefinedTables(planned []*table) ([]*table, error) {
	out := planned[:0]
	for _, t := range planned {
		if _, defined := c.definitions[t.name]; !defined {
			out = append(out, t)
		}
	}
	for name, def := range c.definitions {
		t, err := c.definedFiles(name, def)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out, nil
}

// describe reads the columns DuckDB finds in t's files, or takes those
// its definition declares.
func (c *Connector) describe(ctx context.Context, t *table) error {
	if t.defined != nil && len(t.defined.Columns) > 0 {
		t.cols = nil
		for _, col := range t.defined.Columns {
			dt, _ := duckTypeFor(col.Type)
			t.cols = append(t.cols, connectors.Column{Name: col.Name, Type: col.Type, Nullable: col.Nullable, NativeType: dt})
		}
		if t.format == formatCSV {
			return nil
		}
		// Parquet and JSON name their columns: check that they are there.
		rows, err := c.db.QueryContext(ctx, "SELECT "+columnList(t.cols)+" FROM "+t.from+" LIMIT 0")
		if err != nil {
			return err
		}
		return rows.Close()
	}
	rows, err := c.db.QueryContext(ctx, "DESCRIBE SELECT * FROM "+t.from)
	if err != nil {
		return err
	}
	defer rows.Close()
	t.cols = nil
	for rows.Next() {
		var name, native string
		var null, key, dflt, extra any
		if err := rows.Scan(&name, &native, &null, &key, &dflt, &extra); err != nil {
			return err
		}
		t.cols = append(t.cols, connectors.Column{Name: name, NativeType: native, Type: mapType(native), Nullable: true})
	}
	return rows.Err()
}

// createView makes the view through which queries read t: its columns
// cast to the types Junction expects, char(n) without trailing spaces
// (see fixedChar; Junction pads the values it reads).
func (c *Connector) createView(ctx context.Context, t *table) error {
	sel := make([]string, len(t.cols))
	for i, col := range t.cols {
		dt, _ := duckTypeFor(col.Type)
		value := "CAST(" + quoteIdent(col.Name) + " AS " + dt + ")"
		if fixedChar(col.Type) {
			value = "rtrim(" + value + ", ' ')"
		}
		sel[i] = value + " AS " + quoteIdent(col.Name)
	}
	if len(sel) == 0 {
		sel = []string{"*"}
	}
	_, err := c.db.ExecContext(ctx, "CREATE OR REPLACE VIEW "+quoteIdent(t.name)+" AS SELECT "+strings.Join(sel, ", ")+" FROM "+t.from)
	return err
}

// rowEstimate is the row count Parquet footers record; -1 for the other
// formats, whose rows are not counted without reading them.
func (c *Connector) rowEstimate(ctx context.Context, t *table) int64 {
	if t.format != formatParquet {
		return -1
	}
	paths := make([]string, len(t.files))
	for i, f := range t.files {
		paths[i] = stringLiteral(f.path)
	}
	var n int64
	err := c.db.QueryRowContext(ctx, "SELECT coalesce(sum(num_rows), 0) FROM parquet_file_metadata(["+strings.Join(paths, ", ")+"])").Scan(&n)
	if err != nil {
		return -1
	}
	return n
}

// typeParams matches a type's parenthesised parameters.
var typeParams = regexp.MustCompile(`^([A-Z_ ]+)\((\d+),\s*(\d+)\)$`)

// mapType maps a DuckDB type name to its PostgreSQL type (see the package
// documentation).
func mapType(native string) types.Type {
	u := strings.ToUpper(strings.TrimSpace(native))
	switch u {
	case "BOOLEAN":
		return types.TBool
	case "TINYINT", "SMALLINT", "UTINYINT":
		return types.TInt2
	case "INTEGER", "USMALLINT":
		return types.TInt4
	case "BIGINT", "UINTEGER":
		return types.TInt8
	case "UBIGINT", "HUGEINT", "UHUGEINT":
		return types.TNumeric
	case "FLOAT":
		return types.TFloat4
	case "DOUBLE":
		return types.TFloat8
	case "VARCHAR":
		return types.TText
	case "BLOB":
		return types.TBytea
	case "UUID":
		return types.TUUID
	case "DATE":
		return types.TDate
	case "TIME":
		return types.TTime
	case "TIMESTAMP", "TIMESTAMP_S", "TIMESTAMP_MS", "TIMESTAMP_NS":
		return types.TTimestamp
	case "TIMESTAMP WITH TIME ZONE":
		return types.TTimestampTZ
	case "INTERVAL":
		return types.TInterval
	case "JSON":
		return types.TJSON
	}
	if m := typeParams.FindStringSubmatch(u); m != nil && m[1] == "DECIMAL" {
		p, _ := strconv.Atoi(m[2])
		s, _ := strconv.Atoi(m[3])
		return types.Type{Kind: types.Numeric, Precision: int32(p), Scale: int32(s)}
	}
	return types.TText
}

// duckTypeFor is the DuckDB type that carries values of a PostgreSQL
// type as Junction reads them; ok is false for types files cannot hold.
func duckTypeFor(t types.Type) (name string, ok bool) {
	switch t.Kind {
	case types.Bool:
		return "BOOLEAN", true
	case types.Int2:
		return "SMALLINT", true
	case types.Int4:
		return "INTEGER", true
	case types.Int8:
		return "BIGINT", true
	case types.Float4:
		return "FLOAT", true
	case types.Float8:
		return "DOUBLE", true
	case types.Numeric:
		if t.Precision > 0 && t.Precision <= 38 {
			return "DECIMAL(" + strconv.Itoa(int(t.Precision)) + ", " + strconv.Itoa(int(t.Scale)) + ")", true
		}
		return "VARCHAR", true // beyond DuckDB's decimals: text, read as numeric
	case types.Text, types.Varchar, types.Bpchar, types.JSON:
		return "VARCHAR", true
	case types.Bytea:
		return "BLOB", true
	case types.UUID:
		return "UUID", true
	case types.Date:
		return "DATE", true
	case types.Time:
		return "TIME", true
	case types.Timestamp:
		return "TIMESTAMP", true
	case types.TimestampTZ:
		return "TIMESTAMPTZ", true
	case types.Interval:
		return "INTERVAL", true
	}
	return "", false
}

// columnList renders the quoted names of cols.
func columnList(cols []connectors.Column) string {
	names := make([]string, len(cols))
	for i, col := range cols {
		names[i] = quoteIdent(col.Name)
	}
	return strings.Join(names, ", ")
}

// quoteIdent quotes a DuckDB identifier.
func quoteIdent(name string) string { return `"` + strings.ReplaceAll(name, `"`, `""`) + `"` }
