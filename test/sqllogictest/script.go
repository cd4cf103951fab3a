package sqllogictest

import (
	"bufio"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
)

// Engine is the name the scripts' skipif and onlyif records use for
// PostgreSQL, whose semantics Junction follows.
const Engine = "postgresql"

// RecordKind says what a record asks for.
type RecordKind int

// The record kinds of the format.
const (
	// Statement runs SQL that must succeed (or fail, with ExpectError).
	Statement RecordKind = iota
	// Query runs SQL and compares its values with the expected ones.
	Query
	// HashThreshold sets above how many values a result is shown hashed.
	HashThreshold
	// Halt ends the script.
	Halt
)

// SortMode is how a query's values are ordered before comparison.
type SortMode string

// The sort modes of the format.
const (
	NoSort    SortMode = "nosort"
	RowSort   SortMode = "rowsort"
	ValueSort SortMode = "valuesort"
)

// Condition is a skipif or onlyif guard in front of a record.
type Condition struct {
	// Only is true for onlyif, false for skipif.
	Only   bool
	Engine string
}

// Expected is a query's expected result: either the values, one per line
// as the script lists them, or their count and MD5 when the script shows
// them hashed.
type Expected struct {
	Values []string
	Hashed bool
	Count  int
	MD5    string
}

// Record is one record of a script.
type Record struct {
	Kind RecordKind
	// Line is the line of the record's statement or query keyword, the
	// line the exclusion list names.
	Line       int
	Conditions []Condition
	SQL        string
	// ExpectError is set for "statement error".
	ExpectError bool
	// Types has one letter per result column: I, R or T.
	Types string
	Sort  SortMode
	// Label names queries that must return the same values; the
	// expected values already say what they are, so it is informational.
	Label    string
	Expected Expected
	// Threshold is the value of a hash-threshold record.
	Threshold int
}

// AppliesTo reports whether the record's guards let engine run it.
func (r *Record) AppliesTo(engine string) bool {
	for _, c := range r.Conditions {
		if c.Only != (c.Engine == engine) {
			return false
		}
	}
	return true
}

var hashedResult = regexp.MustCompile(`^(\d+) values hashing to ([0-9a-f]{32})$`)

// Parse reads the records of a script; name is used in error messages.
func Parse(r io.Reader, name string) ([]Record, error) {
	p := &parser{scanner: bufio.NewScanner(r), name: name}
	// Expected values can be long lines of text.
	p.scanner.Buffer(make([]byte, 64*1024), 16*1024*1024)
	var records []Record
	var conditions []Condition
	for {
		line, ok := p.next()
		if !ok {
			break
		}
		fields := strings.Fields(stripComment(line))
		if len(fields) == 0 {
			continue
		}
		rec := Record{Line: p.line, Conditions: conditions}
		switch fields[0] {
		case "skipif", "onlyif":
			if len(fields) < 2 {
				return nil, p.errorf("%s needs an engine name", fields[0])
			}
			conditions = append(conditions, Condition{Only: fields[0] == "onlyif", Engine: fields[1]})
			continue
		case "statement":
			if len(fields) != 2 || (fields[1] != "ok" && fields[1] != "error") {
				return nil, p.errorf("want \"statement ok\" or \"statement error\", got %q", line)
			}
			rec.Kind = Statement
			rec.ExpectError = fields[1] == "error"
			sql, _ := p.block("")
			rec.SQL = sql
		case "query":
			if err := p.queryRecord(fields, &rec); err != nil {
				return nil, err
			}
		case "hash-threshold":
			if len(fields) != 2 {
				return nil, p.errorf("hash-threshold needs one number")
			}
			n, err := strconv.Atoi(fields[1])
			if err != nil || n < 0 {
				return nil, p.errorf("hash-threshold %q is not a count", fields[1])
			}
			rec.Kind = HashThreshold
			rec.Threshold = n
		case "halt":
			rec.Kind = Halt
		default:
			return nil, p.errorf("unknown record %q", fields[0])
		}
		if rec.Kind == Statement || rec.Kind == Query {
			if rec.SQL == "" {
				return nil, &ParseError{Name: name, Line: rec.Line, Msg: "record has no SQL"}
			}
		}
		records = append(records, rec)
		conditions = nil
	}
	if err := p.scanner.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	if conditions != nil {
		return nil, p.errorf("skipif or onlyif at the end of the script guards no record")
	}
	return records, nil
}

// ParseError locates a malformed record.
type ParseError struct {
	Name string
	Line int
	Msg  string
}

func (e *ParseError) Error() string { return fmt.Sprintf("%s:%d: %s", e.Name, e.Line, e.Msg) }

type parser struct {
	scanner *bufio.Scanner
	name    string
	line    int
	// pending is a line read ahead and not yet consumed.
	pending *string
}

func (p *parser) next() (string, bool) {
	if p.pending != nil {
		s := *p.pending
		p.pending = nil
		return s, true
	}
	if !p.scanner.Scan() {
		return "", false
	}
	p.line++
	return strings.TrimRight(p.scanner.Text(), "\r"), true
}

func (p *parser) errorf(format string, args ...any) error {
	return &ParseError{Name: p.name, Line: p.line, Msg: fmt.Sprintf(format, args...)}
}

// block reads lines up to a blank line or the end; when stop is not
// empty, a line equal to it also ends the block and found reports it.
func (p *parser) block(stop string) (text string, found bool) {
	var lines []string
	for {
		line, ok := p.next()
		if !ok || isBlank(line) {
			break
		}
		if stop != "" && line == stop {
			found = true
			break
		}
		lines = append(lines, line)
	}
	return strings.Join(lines, "\n"), found
}

func (p *parser) queryRecord(fields []string, rec *Record) error {
	if len(fields) < 2 || len(fields) > 4 {
		return p.errorf("want \"query <types> [<sort mode> [<label>]]\"")
	}
	rec.Kind = Query
	rec.Types = fields[1]
	if strings.Trim(rec.Types, "IRT") != "" {
		return p.errorf("query types %q may only use I, R and T", rec.Types)
	}
	rec.Sort = NoSort
	if len(fields) >= 3 {
		rec.Sort = SortMode(fields[2])
		if rec.Sort != NoSort && rec.Sort != RowSort && rec.Sort != ValueSort {
			return p.errorf("unknown sort mode %q", fields[2])
		}
	}
	if len(fields) == 4 {
		rec.Label = fields[3]
	}
	sql, hasResult := p.block("----")
	rec.SQL = sql
	if !hasResult {
		// A query without "----" expects no values.
		return nil
	}
	values, _ := p.block("")
	if m := hashedResult.FindStringSubmatch(values); m != nil {
		n, err := strconv.Atoi(m[1])
		if err != nil {
			return p.errorf("value count %q is too large", m[1])
		}
		rec.Expected = Expected{Hashed: true, Count: n, MD5: m[2]}
		return nil
	}
	if values != "" {
		rec.Expected.Values = strings.Split(values, "\n")
	}
	return nil
}

func isBlank(line string) bool { return strings.TrimSpace(line) == "" }

// stripComment drops a trailing "# ..." from a record line, where guards
// give their reasons.
func stripComment(line string) string {
	if i := strings.IndexByte(line, '#'); i >= 0 {
		return line[:i]
	}
	return line
}
