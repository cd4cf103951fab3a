package files

import (
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/junction-db/junction/connectors"
	"github.com/junction-db/junction/connectors/internal/remote"
	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/types"
)

func init() {
	connectors.AcceptTableDefinitions("files")
}

// Options of CREATE FOREIGN TABLE, named as PostgreSQL's file_fdw names
// them.
const (
	optFilename  = "filename"
	optFormat    = "format"
	optDelimiter = "delimiter"
	optHeader    = "header"
	optQuote     = "quote"
	optEscape    = "escape"
	optNull      = "null"
)

var tableOptionNames = []string{optFilename, optFormat, optDelimiter, optHeader, optQuote, optEscape, optNull}

// csvOnly are the options that only CSV files take.
var csvOnly = []string{optDelimiter, optHeader, optQuote, optEscape, optNull}

// checkDefinition checks a definition's options and columns before the
// source is opened with it.
func checkDefinition(name string, def connectors.TableDefinition) error {
	if err := remote.CheckOptionNames("files", def.Options, tableOptionNames); err != nil {
		return err
	}
	if def.Options[optFilename] == "" {
		return pgerr.New(pgerr.InvalidParameterValue, "foreign table %s needs the filename option", name).
			WithHint("Name a file or directory below the server's root: OPTIONS (filename 'sales.csv').")
	}
	format := def.Options[optFormat]
	switch format {
	case "", formatCSV, "tsv", formatParquet, formatJSON:
	default:
		return remote.InvalidOption(optFormat, format, "csv, tsv, parquet or json")
	}
	if err := checkCSVOnly(def, format); err != nil {
		return err
	}
	for _, o := range []string{optDelimiter, optQuote, optEscape} {
		if v, ok := def.Options[o]; ok && len([]rune(v)) != 1 {
			return pgerr.New(pgerr.InvalidParameterValue, "%s must be a single one-byte character", o)
		}
	}
	if v, ok := def.Options[optHeader]; ok {
		if _, err := types.ParseText(types.TBool, v); err != nil {
			return remote.InvalidOption(optHeader, v, "a boolean (true or false)")
		}
	}
	for _, col := range def.Columns {
		if _, ok := duckTypeFor(col.Type); !ok {
			return pgerr.New(pgerr.FeatureNotSupported, "column %s of foreign table %s has type %s, which files cannot hold", col.Name, name, col.Type).
				WithHint("Use boolean, smallint, integer, bigint, real, double precision, numeric, text, varchar, bytea, uuid, date, time, timestamp, timestamptz, interval or json.")
		}
	}
	return nil
}

// checkCSVOnly refuses CSV options for the other formats.
func checkCSVOnly(def connectors.TableDefinition, format string) error {
	if format != formatParquet && format != formatJSON {
		return nil
	}
	for _, o := range csvOnly {
		if _, ok := def.Options[o]; ok {
			return pgerr.New(pgerr.InvalidParameterValue, "option %s applies only to CSV files, not to format %s", o, format)
		}
	}
	return nil
}

// definedFiles finds the files of a defined table: filename is a file or
// a directory below root (relative to it, or absolute), resolved and
// confined as discovery is.
func (c *Connector) definedFiles(name string, def connectors.TableDefinition) (*table, error) {
	given := def.Options[optFilename]
	path := given
	if !filepath.IsAbs(path) {
		path = filepath.Join(c.root, path)
	}
	path = filepath.Clean(path)
	outside := pgerr.New(pgerr.InsufficientPrivilege, "permission denied for file %q of foreign table %s: it is outside the root directory %s", given, name, c.root).
		WithHint("A files source reads only files inside its root.")
	resolved, err := filepath.EvalSymlinks(path)
	switch {
	case errors.Is(err, os.ErrNotExist) && within(c.root, path):
		return nil, pgerr.New(undefinedFile, "file %q of foreign table %s does not exist", given, name)
	case errors.Is(err, os.ErrNotExist):
		return nil, outside
	case err != nil:
		return nil, pgerr.New(undefinedFile, "could not read file %q of foreign table %s: %v", given, name, err)
	case !within(c.root, resolved):
		return nil, outside
	}
	format, tsv := def.Options[optFormat], false
	if format == "tsv" {
		format, tsv = formatCSV, true
	}
	t := &table{name: name, defined: &def}
	info, err := os.Stat(resolved)
	if err != nil {
		return nil, pgerr.New(undefinedFile, "could not read file %q of foreign table %s: %v", given, name, err)
	}
	if !info.IsDir() {
		rel, _ := filepath.Rel(c.root, resolved)
		f := dataFile{rel: filepath.ToSlash(rel), path: resolved, format: format, tsv: tsv}
		if format == "" {
			var ok bool
			if f.format, f.tsv, _, ok = fileFormat(resolved); !ok {
				return nil, pgerr.New(pgerr.InvalidParameterValue, "cannot tell the format of file %q of foreign table %s", given, name).
					WithHint("Add OPTIONS (format 'csv'), or tsv, parquet or json.")
			}
		}
		t.files, t.format, t.tsv = []dataFile{f}, f.format, f.tsv
		return t, checkCSVOnly(def, t.format)
	}
	sub := &Connector{root: resolved}
	found, err := sub.findFiles()
	if err != nil || len(found) == 0 {
		return nil, pgerr.New(undefinedFile, "directory %q of foreign table %s holds no data files", given, name)
	}
	for i := range found {
		found[i].rel = filepath.ToSlash(filepath.Join(filepath.FromSlash(strings.TrimPrefix(given, "/")), found[i].rel))
		if !within(c.root, found[i].path) {
			return nil, pgerr.New(pgerr.InsufficientPrivilege, "permission denied for file %q of foreign table %s: it is outside the root directory %s", found[i].rel, name, c.root)
		}
		if format != "" {
			found[i].format, found[i].tsv = format, tsv
		}
		t.hive = t.hive || strings.Contains(found[i].rel, "=")
	}
	sort.Slice(found, func(i, j int) bool { return found[i].path < found[j].path })
	t.files, t.format, t.tsv = found, found[0].format, found[0].tsv
	for _, f := range found {
		if f.format != t.format || f.tsv != t.tsv {
			return nil, pgerr.New(pgerr.InvalidParameterValue, "directory %q of foreign table %s holds files of more than one format", given, name).
				WithHint("Add OPTIONS (format '...') or name one file.")
		}
	}
	return t, checkCSVOnly(def, t.format)
}

// csvOptions renders the read_csv arguments of a definition.
func csvOptions(def *connectors.TableDefinition) []string {
	var out []string
	if v, ok := def.Options[optDelimiter]; ok {
		out = append(out, "delim = "+stringLiteral(v))
	}
	if v, ok := def.Options[optHeader]; ok {
		d, _ := types.ParseText(types.TBool, v)
		out = append(out, "header = "+map[bool]string{true: "true", false: "false"}[d.Bool])
	}
	if v, ok := def.Options[optQuote]; ok {
		out = append(out, "quote = "+stringLiteral(v))
	}
	if v, ok := def.Options[optEscape]; ok {
		out = append(out, "escape = "+stringLiteral(v))
	}
	if v, ok := def.Options[optNull]; ok {
		out = append(out, "nullstr = "+stringLiteral(v))
	}
	if len(def.Columns) > 0 {
		cols := make([]string, len(def.Columns))
		for i, col := range def.Columns {
			dt, _ := duckTypeFor(col.Type)
			cols[i] = stringLiteral(col.Name) + ": " + stringLiteral(dt)
		}
		out = append(out, "columns = {"+strings.Join(cols, ", ")+"}", "auto_detect = false")
		if _, ok := def.Options[optHeader]; !ok {
			out = append(out, "header = true")
		}
	}
	return out
}
