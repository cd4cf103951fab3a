package testenv

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// Cell is one value of a result as the server sent it in text format.
type Cell struct {
	Text string
	Null bool
}

func (c Cell) String() string {
	if c.Null {
		return "NULL"
	}
	return strconv.Quote(c.Text)
}

// Result is a query result read as text, so that two servers' answers
// compare exactly as a client would see them.
type Result struct {
	Columns []string
	Rows    [][]Cell
}

// QueryText runs sql with the simple query protocol, which makes the
// server send every value as text, and reads the whole result.
func QueryText(ctx context.Context, conn *pgx.Conn, sql string) (*Result, error) {
	rows, err := conn.Query(ctx, sql, pgx.QueryExecModeSimpleProtocol)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	res := &Result{}
	for _, f := range rows.FieldDescriptions() {
		res.Columns = append(res.Columns, f.Name)
	}
	for rows.Next() {
		raw := rows.RawValues()
		row := make([]Cell, len(raw))
		for i, v := range raw {
			if v == nil {
				row[i] = Cell{Null: true}
			} else {
				row[i] = Cell{Text: string(v)}
			}
		}
		res.Rows = append(res.Rows, row)
	}
	return res, rows.Err()
}

// diffRowLimit is how many differing rows a diff shows.
const diffRowLimit = 5

// Diff describes how got differs from want, or returns "" when they are
// equal. Rows are compared in order when ordered is set, otherwise as
// multisets.
func Diff(got, want *Result, ordered bool) string {
	if !slices.Equal(got.Columns, want.Columns) {
		return fmt.Sprintf("columns differ:\n  got:  %q\n  want: %q", got.Columns, want.Columns)
	}
	if ordered {
		return orderedDiff(got.Rows, want.Rows)
	}
	return unorderedDiff(got.Rows, want.Rows)
}

func orderedDiff(got, want [][]Cell) string {
	n := min(len(got), len(want))
	first := n
	for i := range n {
		if !slices.Equal(got[i], want[i]) {
			first = i
			break
		}
	}
	if first == n && len(got) == len(want) {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "got %d rows, want %d; first difference at row %d:\n", len(got), len(want), first+1)
	for i := first; i < first+diffRowLimit && (i < len(got) || i < len(want)); i++ {
		fmt.Fprintf(&b, "  row %d\n    got:  %s\n    want: %s\n", i+1, rowAt(got, i), rowAt(want, i))
	}
	return b.String()
}

func rowAt(rows [][]Cell, i int) string {
	if i >= len(rows) {
		return "(no row)"
	}
	return formatRow(rows[i])
}

func formatRow(row []Cell) string {
	parts := make([]string, len(row))
	for i, c := range row {
		parts[i] = c.String()
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

func unorderedDiff(got, want [][]Cell) string {
	count := map[string]int{}
	for _, r := range want {
		count[formatRow(r)]++
	}
	var extra []string
	for _, r := range got {
		key := formatRow(r)
		if count[key] > 0 {
			count[key]--
			continue
		}
		extra = append(extra, key)
	}
	var missing []string
	for _, r := range want {
		key := formatRow(r)
		if count[key] > 0 {
			count[key]--
			missing = append(missing, key)
		}
	}
	if len(extra) == 0 && len(missing) == 0 {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "got %d rows, want %d (compared in any order)\n", len(got), len(want))
	listRows(&b, "rows Junction returned that PostgreSQL did not", extra)
	listRows(&b, "rows PostgreSQL returned that Junction did not", missing)
	return b.String()
}

func listRows(b *strings.Builder, title string, rows []string) {
	if len(rows) == 0 {
		return
	}
	fmt.Fprintf(b, "  %d %s:\n", len(rows), title)
	for _, r := range rows[:min(len(rows), diffRowLimit)] {
		fmt.Fprintf(b, "    %s\n", r)
	}
	if len(rows) > diffRowLimit {
		fmt.Fprintf(b, "    ...\n")
	}
}

// CompareTimeout bounds each of the two queries of Compare.
const CompareTimeout = 2 * time.Minute

// Compare runs a query on Junction and its equivalent on the reference
// PostgreSQL database and reports an error unless both return the same
// columns and rows.
func Compare(tb testing.TB, junction, reference *pgx.Conn, junctionSQL, referenceSQL string, ordered bool) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), CompareTimeout)
	defer cancel()
	want, err := QueryText(ctx, reference, referenceSQL)
	if err != nil {
		tb.Fatalf("reference PostgreSQL rejected the query (a bug in the test):\n%s\n%v", referenceSQL, err)
	}
	got, err := QueryText(ctx, junction, junctionSQL)
	if err != nil {
		tb.Errorf("Junction failed on\n%s\n%s", junctionSQL, DescribeError(err))
		return
	}
	if d := Diff(got, want, ordered); d != "" {
		tb.Errorf("Junction's answer differs from PostgreSQL's for\n%s\n%s", junctionSQL, d)
	}
}

// DescribeError shows an error with its SQLSTATE when it has one.
func DescribeError(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return fmt.Sprintf("ERROR %s: %s", pe.Code, pe.Message)
	}
	return err.Error()
}
