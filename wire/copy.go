package wire

import (
	"context"
	"encoding/binary"
	"math"

	proto "github.com/jeroenrinzema/psql-wire/pkg/types"
	"github.com/junction-db/junction/engine"
	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/vector"
)

// The COPY messages psql-wire has no names for.
const (
	copyOutResponse proto.ServerMessage = 'H'
	copyData        proto.ServerMessage = 'd'
	copyDone        proto.ServerMessage = 'c'
)

// copySignature starts PostgreSQL's binary COPY format; a flags word and
// an empty header extension follow it.
var copySignature = []byte("PGCOPY\n\377\r\n\000")

// copyWriter writes a result as COPY TO STDOUT data: CopyOutResponse, one
// CopyData message per row, as PostgreSQL sends them (clients such as
// psycopg read a row from each), and CopyDone.
type copyWriter struct {
	c    *conn
	f    *engine.CopyFormat
	cols []plan.Column
	enc  batchEncoder
	// pending holds the binary format's header until it goes out with the
	// first row.
	pending []byte
	line    []byte
	value   []byte
}

// copyOut streams rows as COPY data and returns how many it sent.
func (c *conn) copyOut(ctx context.Context, f *engine.CopyFormat, cols []plan.Column, rows engine.RowStream) (int64, error) {
	w := &copyWriter{c: c, f: f, cols: cols, enc: newBatchEncoder(c, cols)}
	if err := w.begin(); err != nil {
		return 0, err
	}
	var count int64
	for {
		if err := ctx.Err(); err != nil {
			return count, err
		}
		b, err := rows.Next()
		if err != nil {
			return count, err
		}
		if b == nil {
			break
		}
		if err := w.rows(b); err != nil {
			return count, err
		}
		count += int64(b.Len)
	}
	return count, w.end()
}

func (w *copyWriter) begin() error {
	out := w.c.out
	out.Start(copyOutResponse)
	format := int16(0)
	if w.f.Binary {
		format = 1
	}
	out.AddByte(byte(format))
	out.AddInt16(int16(len(w.cols)))
	for range w.cols {
		out.AddInt16(format)
	}
	if err := out.End(); err != nil {
		return err
	}
	if w.f.Binary {
		w.pending = append(append([]byte(nil), copySignature...), 0, 0, 0, 0, 0, 0, 0, 0)
		return nil
	}
	if !w.f.Header {
		return nil
	}
	line := w.line[:0]
	for i, col := range w.cols {
		if i > 0 {
			line = append(line, w.f.Delimiter)
		}
		line = w.appendField(line, []byte(col.Name), false)
	}
	w.line = append(line, '\n')
	return w.send(w.line)
}

func (w *copyWriter) rows(b *vector.Batch) error {
	if err := w.enc.bind(b); err != nil {
		return err
	}
	for r := 0; r < b.Len; r++ {
		line := append(w.line[:0], w.pending...)
		w.pending = nil
		var err error
		if w.f.Binary {
			line, err = w.appendBinaryRow(line, r)
		} else {
			line = w.appendTextRow(line, r)
		}
		if err != nil {
			return err
		}
		w.line = line
		if err := w.send(line); err != nil {
			return err
		}
	}
	return nil
}

func (w *copyWriter) appendTextRow(line []byte, r int) []byte {
	for i := range w.enc.cols {
		if i > 0 {
			line = append(line, w.f.Delimiter)
		}
		col := &w.enc.cols[i]
		if col.vec.IsNull(r) {
			line = append(line, w.f.Null...)
			continue
		}
		w.value = col.appendText(w.value[:0], r)
		line = w.appendField(line, w.value, w.f.ForceQuote != nil && w.f.ForceQuote[i])
	}
	return append(line, '\n')
}

func (w *copyWriter) appendBinaryRow(line []byte, r int) ([]byte, error) {
	line = binary.BigEndian.AppendUint16(line, uint16(len(w.enc.cols)))
	for i := range w.enc.cols {
		col := &w.enc.cols[i]
		if col.vec.IsNull(r) {
			line = binary.BigEndian.AppendUint32(line, math.MaxUint32) // -1: NULL
			continue
		}
		at := len(line)
		line = append(line, 0, 0, 0, 0)
		var err error
		if line, err = col.appendBinary(line, r); err != nil {
			return nil, err
		}
		binary.BigEndian.PutUint32(line[at:], uint32(len(line)-at-4))
	}
	return line, nil
}

// appendField appends a column name or non-NULL value in the text or CSV
// format.
func (w *copyWriter) appendField(line, v []byte, forceQuote bool) []byte {
	if w.f.CSV {
		return appendCSVField(line, v, w.f, forceQuote, len(w.cols) == 1)
	}
	return appendTextField(line, v, w.f.Delimiter)
}

// appendTextField escapes v as PostgreSQL's CopyAttributeOutText does: a
// backslash before the delimiter and the backslash itself, and backslash
// sequences for the control characters that have them.
func appendTextField(line, v []byte, delim byte) []byte {
	for _, ch := range v {
		if esc, ok := textEscapes[ch]; ok {
			line = append(line, '\\', esc)
		} else if ch == '\\' || ch == delim {
			line = append(line, '\\', ch)
		} else {
			line = append(line, ch)
		}
	}
	return line
}

var textEscapes = map[byte]byte{'\b': 'b', '\f': 'f', '\n': 'n', '\r': 'r', '\t': 't', '\v': 'v'}

// appendCSVField writes v as PostgreSQL's CopyAttributeOutCSV does: quoted
// when forced, when it reads as the NULL string, when it holds the
// delimiter, the quote, a newline or a carriage return, or when it is
// the end-of-data marker \. alone on a line; inside quotes the quote and
// the escape character are escaped.
func appendCSVField(line, v []byte, f *engine.CopyFormat, quote, alone bool) []byte {
	if !quote {
		quote = string(v) == f.Null || alone && string(v) == `\.`
	}
	if !quote {
		for _, ch := range v {
			if ch == f.Delimiter || ch == f.Quote || ch == '\n' || ch == '\r' {
				quote = true
				break
			}
		}
	}
	if !quote {
		return append(line, v...)
	}
	line = append(line, f.Quote)
	for _, ch := range v {
		if ch == f.Quote || ch == f.Escape {
			line = append(line, f.Escape)
		}
		line = append(line, ch)
	}
	return append(line, f.Quote)
}

// end sends the binary format's trailer and CopyDone.
func (w *copyWriter) end() error {
	if w.f.Binary {
		if err := w.send(append(w.pending, 0xff, 0xff)); err != nil {
			return err
		}
	}
	w.c.out.Start(copyDone)
	return w.c.out.End()
}

func (w *copyWriter) send(data []byte) error {
	out := w.c.out
	out.Start(copyData)
	out.AddBytes(data)
	return out.End()
}
