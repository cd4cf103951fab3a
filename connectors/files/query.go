package files

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/big"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/duckdb/duckdb-go/v2"
	"github.com/shopspring/decimal"

	"github.com/junction-db/junction/connectors"
	"github.com/junction-db/junction/connectors/internal/remote"
	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/types"
	"github.com/junction-db/junction/vector"
)

// SQLSTATEs of file errors, as COPY FROM raises them.
const (
	badFileFormat = "22P04" // bad_copy_file_format
	undefinedFile = "58P01"
)

// Query runs sql on the source's DuckDB and decodes each value into the
// column type the planner expects.
func (c *Connector) Query(ctx context.Context, query string, cols []types.Type) (connectors.Rows, error) {
	if err := c.ensureViews(ctx); err != nil {
		return nil, err
	}
	if err := c.checkConfined(query); err != nil {
		return nil, err
	}
	rows, err := remote.ValueQuery{
		DB:               c.db,
		StatementTimeout: c.statementTimeout,
		Source:           "the files source " + c.root,
		Decoder:          decoderFor,
		QueryError:       func(ctx context.Context, err error) error { return c.queryError(ctx, err, c.tableIn(query)) },
		ValueError:       c.valueError,
	}.Run(ctx, query, cols)
	if err != nil {
		return nil, err // not a nil *ValueRows in a non-nil interface
	}
	return rows, nil
}

// ensureViews discovers the files once if nothing did since the source
// was opened: a server restarted with its tables in the catalog queries
// them before any discovery.
func (c *Connector) ensureViews(ctx context.Context) error {
	c.discoverMu.Lock()
	defer c.discoverMu.Unlock()
	if c.discovered {
		return nil
	}
	_, err := c.discoverLocked(ctx)
	return err
}

// checkConfined checks again, before a query reads them, that the files
// of the tables it names are still regular files inside root: a file
// replaced by a link leading out of root after discovery is not read.
func (c *Connector) checkConfined(query string) error {
	c.mu.RLock()
	defer c.mu.RUnlock()
	for name, t := range c.tables {
		if !strings.Contains(query, quoteIdent(name)) {
			continue
		}
		for _, f := range t.files {
			resolved, err := filepath.EvalSymlinks(f.path)
			if err != nil {
				if errors.Is(err, os.ErrNotExist) {
					continue // DuckDB reports the missing file, naming it
				}
				return pgerr.New(undefinedFile, "could not read file %q of table %s: %v", f.rel, name, err)
			}
			if !within(c.root, resolved) {
				return pgerr.New(pgerr.InsufficientPrivilege, "permission denied for file %q of table %s: it now leads outside the root directory %s", f.rel, name, c.root).
					WithHint("A files source reads only files inside its root; replace the link with the file itself.")
			}
		}
	}
	return nil
}

// tableIn is the first table the query names, for error messages.
func (c *Connector) tableIn(query string) string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	for name := range c.tables {
		if strings.Contains(query, quoteIdent(name)) {
			return name
		}
	}
	return ""
}

// valueError explains a value that has no conversion to its column's
// type (the views cast every column, so this is a value out of the
// type's range, such as a huge unsigned integer in bigint).
func (c *Connector) valueError(i int, name string, t types.Type, _ any, err error) error {
	pe := pgerr.As(err)
	return &pgerr.Error{Code: pe.Code, Message: pe.Message,
		Detail: fmt.Sprintf("Result column %d (%q, %s) of the files source %s.", i+1, name, t, c.root)}
}

// duckErrorKind matches the "<Kind> Error: " prefix of DuckDB's messages.
var duckErrorKind = regexp.MustCompile(`^([A-Za-z ]+) Error: `)

// duckMessage is DuckDB's message without its LINE pointer into the SQL.
func duckMessage(err error) string {
	msg := err.Error()
	if i := strings.Index(msg, "\n\nLINE "); i >= 0 {
		msg = msg[:i]
	}
	return strings.TrimSpace(msg)
}

// queryError turns a DuckDB error of a query into a PostgreSQL error;
// table names the table the query reads, when known.
func (c *Connector) queryError(ctx context.Context, err error, table string) error {
	if e := remote.Canceled(ctx, "the files source "+c.root); e != nil {
		return e
	}
	if pe := new(pgerr.Error); errors.As(err, &pe) {
		return pe
	}
	msg := duckMessage(err)
	kind := ""
	if m := duckErrorKind.FindStringSubmatch(msg); m != nil {
		kind = m[1]
	}
	var de *duckdb.Error
	isDuck := errors.As(err, &de)
	e := &pgerr.Error{Code: pgerr.FDWError, Message: msg, Detail: "Raised by the DuckDB of the files source " + c.root + "."}
	switch {
	case kind == "Out of Range" || isDuck && de.Type == duckdb.ErrorTypeOutOfRange:
		e.Code = pgerr.NumericOutOfRange
	case kind == "Binder" && table != "":
		e.Message = fmt.Sprintf("the files of table %s changed since they were discovered: %s", table, msg)
		e.Hint = "Run IMPORT FOREIGN SCHEMA to discover the files again."
	case kind == "IO" || kind == "Invalid Input" || kind == "Conversion" || kind == "Permission":
		return c.fileError(err, c.tableNamed(table))
	case kind == "Out of Memory":
		e.Code = pgerr.OutOfMemory
		e.Hint = "Raise the memory_limit option of the server, within max_memory."
	}
	return e
}

func (c *Connector) tableNamed(name string) *table {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.tables[name]
}

// csvLine finds the line number in DuckDB's CSV errors.
var csvLine = regexp.MustCompile(`(?i)line:? (\d+)`)

// fileError explains an error reading a data file: which file (DuckDB
// names it; else the table's files), which line for text formats, and
// what to do.
func (c *Connector) fileError(err error, t *table) *pgerr.Error {
	msg := duckMessage(err)
	code := badFileFormat
	switch {
	case strings.Contains(msg, "No files found") || strings.Contains(msg, "No such file") || strings.Contains(msg, "does not exist"):
		code = undefinedFile
	case strings.HasPrefix(msg, "Permission Error"):
		code = pgerr.InsufficientPrivilege
	}
	file := ""
	if t != nil {
		for _, f := range t.files {
			if strings.Contains(msg, f.path) {
				file = f.rel
				break
			}
		}
		if file == "" && len(t.files) == 1 {
			file = t.files[0].rel
		}
	}
	e := &pgerr.Error{Code: code, Message: "could not read " + describeFile(file, t) + ": " + firstLine(msg)}
	if m := csvLine.FindStringSubmatch(msg); m != nil {
		e.Message = "could not read " + describeFile(file, t) + " at line " + m[1] + ": " + firstLine(msg)
	}
	e.Detail = msg
	e.Hint = "Correct the file, or run IMPORT FOREIGN SCHEMA if it was replaced by one of another layout."
	if t == nil {
		e.Hint = "Correct the file under " + c.root + "."
	}
	return e
}

func describeFile(file string, t *table) string {
	switch {
	case file != "":
		return "file " + strconv.Quote(file)
	case t != nil:
		return "the files of table " + t.name
	}
	return "a file"
}

// firstLine is the first line of a multi-line message, without DuckDB's
// error kind.
func firstLine(msg string) string {
	line, _, _ := strings.Cut(msg, "\n")
	if m := duckErrorKind.FindStringSubmatch(line); m != nil {
		line = line[len(m[0]):]
	}
	return strings.TrimSpace(line)
}

// Decoders by type kind, and by physical type for the other kinds. The
// views cast every column to the DuckDB type that carries its PostgreSQL
// type (see duckTypeFor), so each decoder meets the few Go types the
// driver returns for that DuckDB type.
var (
	kindDecoders = map[types.Kind]remote.ValueDecoder{
		types.Date: appendDate, types.Time: appendTime, types.Timestamp: appendTimestamp, types.TimestampTZ: appendTimestamp,
	}
	physicalDecoders = map[types.Physical]remote.ValueDecoder{
		types.PhysInt: appendInteger, types.PhysFloat: appendFloat, types.PhysDecimal: appendNumeric,
		types.PhysBool: appendBool, types.PhysBytes: appendBytes, types.PhysInterval: appendInterval,
	}
)

// decoderFor chooses how values become values of t.
func decoderFor(t types.Type) remote.ValueDecoder {
	if d, ok := kindDecoders[t.Kind]; ok {
		return d
	}
	if d, ok := physicalDecoders[t.Physical()]; ok {
		return d
	}
	return appendText
}

// appendText reads strings as they are and other values through
// PostgreSQL's input function of the column type.
func appendText(v *vector.Vector, value any) error {
	switch x := value.(type) {
	case string:
		if v.Type.Kind == types.Text {
			v.Str = append(v.Str, x)
			return nil
		}
		return appendParsed(v, x)
	case []byte:
		if v.Type.Kind == types.UUID && len(x) == 16 {
			v.Str = append(v.Str, types.FormatUUID([16]byte(x)))
			return nil
		}
		return appendParsed(v, string(x))
	case duckdb.UUID:
		v.Str = append(v.Str, types.FormatUUID([16]byte(x)))
		return nil
	}
	return appendParsed(v, fmt.Sprint(value))
}

func appendParsed(v *vector.Vector, s string) error { return remote.AppendParsed(v, []byte(s)) }

func appendInteger(v *vector.Vector, value any) error {
	var n int64
	switch x := value.(type) {
	case int64:
		n = x
	case int32:
		n = int64(x)
	case int16:
		n = int64(x)
	case *big.Int: // sum's HUGEINT
		if !x.IsInt64() {
			return pgerr.New(pgerr.NumericOutOfRange, "%s out of range", v.Type.BaseName())
		}
		n = x.Int64()
	default:
		return appendText(v, value)
	}
	return remote.AppendInt(v, n)
}

func appendFloat(v *vector.Vector, value any) error {
	switch x := value.(type) {
	case float64:
		if v.Type.Kind == types.Float4 {
			x = float64(float32(x))
		}
		v.Float = append(v.Float, x)
	case float32:
		v.Float = append(v.Float, float64(x))
	case int64:
		v.Float = append(v.Float, float64(x))
	default:
		return appendText(v, value)
	}
	return nil
}

func appendNumeric(v *vector.Vector, value any) error {
	var d decimal.Decimal
	switch x := value.(type) {
	case duckdb.Decimal:
		d = decimal.NewFromBigInt(x.Value, -int32(x.Scale))
		if int32(x.Scale) == v.Type.Scale && int32(x.Width) <= v.Type.Precision {
			// The view's DECIMAL(p,s) is the column's numeric(p,s): the
			// value fits as it is.
			v.Dec = append(v.Dec, d)
			return nil
		}
	case *big.Int:
		d = decimal.NewFromBigInt(x, 0)
	case int64:
		d = decimal.New(x, 0)
	case uint64:
		d = decimal.NewFromBigInt(new(big.Int).SetUint64(x), 0)
	case float64:
		return appendParsed(v, strconv.FormatFloat(x, 'g', -1, 64))
	case string:
		return appendParsed(v, x)
	default:
		return appendText(v, value)
	}
	d, err := types.ApplyNumericTypmod(v.Type, d)
	if err != nil {
		return err
	}
	v.Dec = append(v.Dec, d)
	return nil
}

func appendBool(v *vector.Vector, value any) error {
	if b, ok := value.(bool); ok {
		v.Bool = append(v.Bool, b)
		return nil
	}
	return appendText(v, value)
}

func appendBytes(v *vector.Vector, value any) error {
	switch x := value.(type) {
	case []byte:
		v.Bytes = append(v.Bytes, x)
	case string:
		v.Bytes = append(v.Bytes, []byte(x))
	default:
		return appendText(v, value)
	}
	return nil
}

func appendInterval(v *vector.Vector, value any) error {
	if x, ok := value.(duckdb.Interval); ok {
		v.Iv = append(v.Iv, types.IntervalValue{Months: x.Months, Days: x.Days, Micros: x.Micros})
		return nil
	}
	return appendText(v, value)
}

// DuckDB's infinite dates and timestamps: the driver reads them as the
// day after its last date and the day before its first, and as the
// times of the microsecond counts math.MaxInt64 and -math.MaxInt64.
const (
	duckDateInfinity      = math.MaxInt32
	duckTimestampInfinity = math.MaxInt64
)

func appendDate(v *vector.Vector, value any) error {
	if x, ok := value.(time.Time); ok {
		days := types.DateToDays(x.Year(), x.Month(), x.Day())
		switch {
		case days >= duckDateInfinity:
			days = types.PosInfinity
		case days <= -duckDateInfinity:
			days = types.NegInfinity
		}
		v.Int = append(v.Int, days)
		return nil
	}
	return appendText(v, value)
}

func appendTime(v *vector.Vector, value any) error {
	if x, ok := value.(time.Time); ok {
		v.Int = append(v.Int, clockMicros(x))
		return nil
	}
	return appendText(v, value)
}

func appendTimestamp(v *vector.Vector, value any) error {
	if x, ok := value.(time.Time); ok {
		switch x.UnixMicro() {
		case duckTimestampInfinity:
			v.Int = append(v.Int, types.PosInfinity)
			return nil
		case -duckTimestampInfinity:
			v.Int = append(v.Int, types.NegInfinity)
			return nil
		}
		x = x.UTC()
		v.Int = append(v.Int, types.DateToDays(x.Year(), x.Month(), x.Day())*types.MicrosPerDay+clockMicros(x))
		return nil
	}
	return appendText(v, value)
}

func clockMicros(x time.Time) int64 {
	return int64(x.Hour())*types.MicrosPerHour + int64(x.Minute())*types.MicrosPerMinute +
		int64(x.Second())*types.MicrosPerSecond + int64(x.Nanosecond()/1000)
}
