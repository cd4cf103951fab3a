package engine

import (
	"fmt"
	"hash/fnv"
	"strconv"
	"strings"
	"time"

	"github.com/junction-db/junction/catalog"
	"github.com/junction-db/junction/connectors"
	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/types"
)

// The server options that accelerate tables of a database source:
//
//	accelerate     'orders, sales.lineitem'   tables to keep local copies of
//	max_staleness  '5 min'                    how old a copy read may be
//	accelerate_key 'orders.o_orderkey'        a column only growing for new rows
//
// The engine takes them out of the options before the source's connector
// sees the rest, and refuses them for sources other than PostgreSQL,
// MySQL and SQLite: a files source is already local.
const (
	optAccelerate    = "accelerate"
	optMaxStaleness  = "max_staleness"
	optAccelerateKey = "accelerate_key"
)

// accelerationOptions are the options above, for taking them out.
var accelerationOptions = []string{optAccelerate, optMaxStaleness, optAccelerateKey}

// acceleratedWrappers are the source types whose tables may be
// accelerated.
var acceleratedWrappers = map[string]bool{"postgres": true, "mysql": true, "sqlite": true}

// accelSpec is a source's acceleration options, resolved against its
// discovered tables.
type accelSpec struct {
	// staleness is max_staleness as given, maxStaleness its length.
	staleness    string
	maxStaleness time.Duration
	tables       []accelTable
}

// accelTable is one accelerated table.
type accelTable struct {
	// name is the table as accelerate names it (remote_schema.table for
	// a table outside the source's default schema).
	name  string
	table *connectors.Table
	// key is the accelerate_key column ("" for none) and keyType its
	// type: with it a refresh reads only the rows above the copy's
	// largest key.
	key     string
	keyType types.Type
	// copy is the local copy's table.
	copy string
}

// withoutAccelerationOptions returns options without the acceleration
// options, which the source's connector does not know.
func withoutAccelerationOptions(options map[string]string) map[string]string {
	out := make(map[string]string, len(options))
	for k, v := range options {
		out[k] = v
	}
	for _, k := range accelerationOptions {
		delete(out, k)
	}
	return out
}

// accelerationOf reads src's acceleration options: nil when it has none.
// Every table named must be one of src's tables, every key a column of
// an accelerated table whose values the copy and the source order alike.
func accelerationOf(src *catalog.Source) (*accelSpec, error) {
	list, accelerate := src.Options[optAccelerate]
	staleness, hasStaleness := src.Options[optMaxStaleness]
	keys, hasKeys := src.Options[optAccelerateKey]
	if !accelerate {
		for _, opt := range []struct {
			name string
			set  bool
		}{{optMaxStaleness, hasStaleness}, {optAccelerateKey, hasKeys}} {
			if opt.set {
				return nil, pgerr.New(pgerr.InvalidParameterValue, "option %q requires option %q", opt.name, optAccelerate).
					WithHint("Name the tables to keep local copies of: OPTIONS (ADD accelerate 'orders', ADD max_staleness '5 min').")
			}
		}
		return nil, nil
	}
	if !acceleratedWrappers[src.Wrapper] {
		return nil, pgerr.New(pgerr.FDWInvalidOptionName, "invalid option %q for foreign-data wrapper %s", optAccelerate, src.Wrapper).
			WithHint("Tables of postgres, mysql and sqlite servers can be accelerated; a files server is read locally already.")
	}
	if !hasStaleness {
		return nil, pgerr.New(pgerr.InvalidParameterValue, "option %q requires option %q", optAccelerate, optMaxStaleness).
			WithHint("Say how old a copy may be when it is read, such as max_staleness '5 min'.")
	}
	maxStaleness, err := parseInterval(fmt.Sprintf("option %q", optMaxStaleness), staleness, time.Second)
	if err != nil {
		return nil, err
	}
	spec := &accelSpec{staleness: staleness, maxStaleness: maxStaleness}
	byName := map[string]int{}
	for _, name := range splitList(list) {
		if _, dup := byName[name]; dup {
			continue
		}
		t, ok := accelTableOf(src, name)
		if !ok {
			return nil, pgerr.New(pgerr.UndefinedTable, "relation %q does not exist", src.Name+"."+name).
				WithHint("Option %q names tables of server %s, schema-qualified for a remote schema other than its default.", optAccelerate, src.Name)
		}
		byName[name] = len(spec.tables)
		spec.tables = append(spec.tables, accelTable{name: name, table: t})
	}
	if len(spec.tables) == 0 {
		return nil, pgerr.New(pgerr.InvalidParameterValue, "option %q names no table", optAccelerate)
	}
	for _, item := range splitList(keys) {
		dot := strings.LastIndexByte(item, '.')
		if dot <= 0 {
			return nil, pgerr.New(pgerr.InvalidParameterValue, "invalid value for option %q: %q", optAccelerateKey, item).
				WithHint("Name each key as table.column, such as 'orders.o_orderkey'.")
		}
		name, column := item[:dot], item[dot+1:]
		i, ok := byName[name]
		if !ok {
			return nil, pgerr.New(pgerr.InvalidParameterValue, "option %q names table %q, which option %q does not list", optAccelerateKey, name, optAccelerate)
		}
		at := &spec.tables[i]
		if at.key != "" {
			return nil, pgerr.New(pgerr.InvalidParameterValue, "option %q names two keys of table %q", optAccelerateKey, name)
		}
		col, ok := columnOf(at.table, column)
		if !ok {
			return nil, pgerr.New(pgerr.UndefinedColumn, "column %q of relation %q does not exist", column, name)
		}
		if !orderedKeyType(col.Type) {
			return nil, pgerr.New(pgerr.InvalidParameterValue, "column %q of relation %q cannot be an acceleration key: its type is %s", column, name, col.Type.BaseName()).
				WithHint("A key is an integer, numeric(p, s), date or timestamp column whose values only grow for new rows.")
		}
		at.key, at.keyType = column, col.Type
	}
	for i := range spec.tables {
		spec.tables[i].copy = accelCopyTable(src, &spec.tables[i])
	}
	return spec, nil
}

// accelTableOf finds the table accelerate names: table, or
// remote_schema.table.
func accelTableOf(src *catalog.Source, name string) (*connectors.Table, bool) {
	schema, table := "", name
	if dot := strings.LastIndexByte(name, '.'); dot > 0 {
		schema, table = name[:dot], name[dot+1:]
	}
	if schema == "" {
		schema = src.DefaultSchema
	}
	for i := range src.Tables {
		if t := &src.Tables[i]; t.Schema == schema && t.Name == table {
			return t, true
		}
	}
	return nil, false
}

func columnOf(t *connectors.Table, name string) (connectors.Column, bool) {
	for _, c := range t.Columns {
		if c.Name == name {
			return c, true
		}
	}
	return connectors.Column{}, false
}

// orderedKeyType reports whether the copy (DuckDB) orders values of t as
// every source does, so that the copy's largest key is the one the
// source compares with: integers, dates, timestamps and numerics of a
// declared precision the copy holds as decimals (it holds others as
// text); not text, whose order is a collation's.
func orderedKeyType(t types.Type) bool {
	switch t.Kind {
	case types.Int2, types.Int4, types.Int8, types.Date, types.Timestamp, types.TimestampTZ:
		return true
	case types.Numeric:
		return t.Precision > 0 && t.Precision <= 38
	}
	return false
}

// splitList reads a comma-separated option value.
func splitList(s string) []string {
	var out []string
	for _, item := range strings.Split(s, ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}

// accelCopyTable names a table's local copy by the source's OID and the
// table's remote identity and columns, not by names a rename of the
// server changes: a table whose columns changed gets a new copy, and
// the old one is dropped as an orphan.
func accelCopyTable(src *catalog.Source, at *accelTable) string {
	h := fnv.New64a()
	fmt.Fprintf(h, "%s\x00%s\x00%s", at.table.Schema, at.table.Name, at.key)
	for _, c := range at.table.Columns {
		fmt.Fprintf(h, "\x00%s\x00%s", c.Name, c.Type)
	}
	return accelCopyPrefix + strconv.FormatUint(uint64(src.OID), 10) + "_" + strconv.FormatUint(h.Sum64(), 16)
}

// accelCopyPrefix starts the names of the copies of accelerated tables.
const accelCopyPrefix = "accel_"

// parseInterval reads an interval of PostgreSQL's syntax ('5 min',
// '1 hour') of at least least, for what, the setting or option read.
func parseInterval(what, s string, least time.Duration) (time.Duration, error) {
	d, err := types.ParseText(types.TInterval, s)
	if err == nil {
		iv := d.Iv
		micros := (int64(iv.Months)*30+int64(iv.Days))*types.MicrosPerDay + iv.Micros
		if d := time.Duration(micros) * time.Microsecond; micros >= 0 && d >= least {
			return d, nil
		}
	}
	return 0, pgerr.New(pgerr.InvalidParameterValue, "invalid value for %s: %q", what, s).
		WithHint("Give an interval of at least %s, such as '5 min' or '1 hour'.", formatDuration(least))
}

// formatDuration shows a duration as EXPLAIN and the hints do: in
// seconds below two minutes, in minutes below two hours, else in hours.
func formatDuration(d time.Duration) string {
	switch {
	case d < 2*time.Minute:
		return strconv.FormatFloat(d.Seconds(), 'f', -1, 64) + " s"
	case d < 2*time.Hour:
		return strconv.FormatFloat(float64(d.Round(time.Second))/float64(time.Minute), 'f', -1, 64) + " min"
	}
	return strconv.FormatFloat(float64(d.Round(time.Minute))/float64(time.Hour), 'f', -1, 64) + " h"
}
