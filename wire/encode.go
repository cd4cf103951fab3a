package wire

import (
	"encoding/binary"
	"io"
	"math"
	"slices"

	"github.com/jackc/pgx/v5/pgtype"
	wire "github.com/jeroenrinzema/psql-wire"
	"github.com/jeroenrinzema/psql-wire/pkg/buffer"
	proto "github.com/jeroenrinzema/psql-wire/pkg/types"
	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
	"github.com/junction-db/junction/vector"
)

// PostgreSQL's binary date and timestamp forms count from 2000-01-01;
// Junction's vectors count from 1970-01-01.
const (
	pgEpochDays   = 10957
	pgEpochMicros = pgEpochDays * 86400 * 1_000_000
)

// Infinite dates are int32's ends in PostgreSQL's binary form, infinite
// timestamps int64's; the executor's int64 ends stand for both.

func dateSend(days int64) int32 {
	switch days {
	case types.PosInfinity:
		return math.MaxInt32
	case types.NegInfinity:
		return math.MinInt32
	}
	return int32(days - pgEpochDays)
}

func dateRecv(v int32) int64 {
	switch v {
	case math.MaxInt32:
		return types.PosInfinity
	case math.MinInt32:
		return types.NegInfinity
	}
	return int64(v) + pgEpochDays
}

func timestampSend(us int64) int64 {
	if !types.IsFinite(us) {
		return us
	}
	return us - pgEpochMicros
}

func timestampRecv(v int64) int64 {
	if !types.IsFinite(v) {
		return v
	}
	return v + pgEpochMicros
}

// columnEncoder encodes the values of one result column of the current
// batch.
type columnEncoder struct {
	conn *conn
	typ  types.Type
	vec  *vector.Vector
	// scratch holds a value's text form on its way to a binary form.
	scratch []byte
	// regName prints an OID alias type (regclass, ...) in text: the name
	// of the object the OID stands for, as PostgreSQL's output functions do.
	regName func(oid uint32) string
}

// batchEncoder encodes the rows of a result, one batch at a time.
type batchEncoder struct {
	cols []columnEncoder
}

func newBatchEncoder(c *conn, cols []plan.Column) batchEncoder {
	e := batchEncoder{cols: make([]columnEncoder, len(cols))}
	for i, col := range cols {
		e.cols[i] = columnEncoder{conn: c, typ: col.Type}
		if c != nil && c.session != nil {
			e.cols[i].regName, _ = c.session.RegNamer(col.Type)
		}
	}
	return e
}

// bind points the encoders at the vectors of b, after checking that b has
// the shape the client was told about.
func (e *batchEncoder) bind(b *vector.Batch) error {
	if len(b.Cols) != len(e.cols) {
		return pgerr.New(pgerr.InternalError, "query produced %d columns but described %d", len(b.Cols), len(e.cols))
	}
	for i, v := range b.Cols {
		if v.Type.Physical() != e.cols[i].typ.Physical() {
			return pgerr.New(pgerr.InternalError, "result column %d was described as %s but holds %s values", i+1, e.cols[i].typ, v.Type)
		}
		e.cols[i].vec = v
	}
	return nil
}

// appendText appends the text form of row's value; integers, dates and
// times, numerics and strings, the most common columns, skip building a
// Datum.
func (e *columnEncoder) appendText(buf []byte, row int) []byte {
	switch e.typ.Kind {
	case types.Int2, types.Int4, types.Int8, types.Date, types.Time, types.Timestamp, types.TimestampTZ:
		return types.AppendIntText(buf, e.typ, e.vec.Int[row])
	case types.Numeric:
		return types.AppendNumeric(buf, e.vec.Dec[row])
	case types.Text, types.Varchar, types.Bpchar, types.Name:
		return append(buf, e.vec.Str[row]...)
	}
	if e.regName != nil {
		return append(buf, e.regName(uint32(e.vec.Int[row]))...)
	}
	return types.AppendText(buf, e.typ, e.vec.Datum(row))
}

// appendBinary appends the binary form of row's value, as PostgreSQL's
// typsend function for the column's type writes it.
func (e *columnEncoder) appendBinary(buf []byte, row int) ([]byte, error) {
	v := e.vec
	switch e.typ.Kind {
	case types.Bool:
		if v.Bool[row] {
			return append(buf, 1), nil
		}
		return append(buf, 0), nil
	case types.Int2:
		return binary.BigEndian.AppendUint16(buf, uint16(v.Int[row])), nil
	case types.Int4, types.OID, types.RegClass, types.RegType, types.RegProc:
		return binary.BigEndian.AppendUint32(buf, uint32(v.Int[row])), nil
	case types.Int8, types.Time:
		return binary.BigEndian.AppendUint64(buf, uint64(v.Int[row])), nil
	case types.Date:
		return binary.BigEndian.AppendUint32(buf, uint32(dateSend(v.Int[row]))), nil
	case types.TimeTZ:
		micros, east := types.UnpackTimeTZ(v.Int[row])
		buf = binary.BigEndian.AppendUint64(buf, uint64(micros))
		return binary.BigEndian.AppendUint32(buf, uint32(int32(-east))), nil
	case types.Timestamp, types.TimestampTZ:
		return binary.BigEndian.AppendUint64(buf, uint64(timestampSend(v.Int[row]))), nil
	case types.Float4:
		if math.IsNaN(v.Float[row]) {
			return binary.BigEndian.AppendUint32(buf, float4NaN), nil
		}
		return binary.BigEndian.AppendUint32(buf, math.Float32bits(float32(v.Float[row]))), nil
	case types.Float8:
		if math.IsNaN(v.Float[row]) {
			return binary.BigEndian.AppendUint64(buf, float8NaN), nil
		}
		return binary.BigEndian.AppendUint64(buf, math.Float64bits(v.Float[row])), nil
	case types.Text, types.Varchar, types.Bpchar, types.Name, types.JSON, types.Char, types.Unknown, types.Void:
		return append(buf, v.Str[row]...), nil
	case types.JSONB:
		return append(append(buf, jsonbVersion), v.Str[row]...), nil
	case types.Bytea:
		return append(buf, v.Bytes[row]...), nil
	case types.UUID:
		return appendUUID(buf, v.Str[row])
	case types.Numeric:
		e.scratch = e.appendText(e.scratch[:0], row)
		return appendNumericBinary(buf, e.scratch)
	case types.Interval:
		iv := v.Iv[row]
		buf = binary.BigEndian.AppendUint64(buf, uint64(iv.Micros))
		buf = binary.BigEndian.AppendUint32(buf, uint32(iv.Days))
		return binary.BigEndian.AppendUint32(buf, uint32(iv.Months)), nil
	}
	e.scratch = e.appendText(e.scratch[:0], row)
	return e.conn.textToBinary(e.typ, e.scratch, buf)
}

// The NaN bit patterns PostgreSQL sends (C's NAN); Go's math.NaN differs in
// the last mantissa bit.
const (
	float4NaN = 0x7fc00000
	float8NaN = 0x7ff8000000000000
)

// jsonbVersion is the version byte that starts jsonb's binary form.
const jsonbVersion = 1

// appendUUID appends the 16 bytes of a UUID in text form.
func appendUUID(buf []byte, s string) ([]byte, error) {
	var out [16]byte
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '-' || c == '{' || c == '}' {
			continue
		}
		d, ok := hexDigit(c)
		if !ok || n == 32 {
			return nil, pgerr.New(pgerr.InvalidTextRep, "invalid input syntax for type uuid: %q", s)
		}
		out[n/2] |= d << (4 * (1 - n%2))
		n++
	}
	if n != 32 {
		return nil, pgerr.New(pgerr.InvalidTextRep, "invalid input syntax for type uuid: %q", s)
	}
	return append(buf, out[:]...), nil
}

func hexDigit(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// pgx returns the pgx type map used to convert between the text and binary
// forms of the types whose binary form Junction leaves to pgx (arrays).
func (c *conn) pgx() *pgtype.Map {
	if c.converter == nil {
		c.converter = pgtype.NewMap()
	}
	return c.converter
}

// textToBinary appends the binary form of a value given in text form.
func (c *conn) textToBinary(t types.Type, text, buf []byte) ([]byte, error) {
	m := c.pgx()
	pt, ok := m.TypeForOID(t.OID())
	if !ok {
		return nil, binaryNotSupported(t)
	}
	v, err := pt.Codec.DecodeValue(m, t.OID(), pgtype.TextFormatCode, text)
	if err != nil {
		return nil, pgerr.New(pgerr.InternalError, "encode %s value %q in binary: %v", t, text, err)
	}
	return m.Encode(t.OID(), pgtype.BinaryFormatCode, v, buf)
}

// binaryToText converts a value in binary form to its text form.
func (c *conn) binaryToText(t types.Type, bin []byte) (string, error) {
	m := c.pgx()
	pt, ok := m.TypeForOID(t.OID())
	if !ok {
		return "", binaryNotSupported(t)
	}
	v, err := pt.Codec.DecodeValue(m, t.OID(), pgtype.BinaryFormatCode, bin)
	if err != nil {
		return "", err
	}
	text, err := m.Encode(t.OID(), pgtype.TextFormatCode, v, nil)
	return string(text), err
}

func binaryNotSupported(t types.Type) error {
	return pgerr.New(pgerr.FeatureNotSupported, "binary format of type %s is not supported", t).
		WithHint("Request the text format for this column or parameter.")
}

// rowWriter encodes DataRow messages straight from the column vectors,
// side by side into one reused buffer, and hands them to the connection a
// chunk at a time.
type rowWriter struct {
	out io.Writer
	enc batchEncoder
	// binary tells which columns go in binary; nil means all in text.
	binary  []bool
	scratch []byte
}

// rowChunk is the size of the chunks of DataRow messages rowWriter hands
// to the connection.
const rowChunk = 32 << 10

func (w *rowWriter) rows(b *vector.Batch) error {
	if err := w.enc.bind(b); err != nil {
		return err
	}
	buf := w.scratch[:0]
	for r := 0; r < b.Len; r++ {
		start := len(buf)
		buf = append(buf, byte(proto.ServerDataRow), 0, 0, 0, 0)
		buf = binary.BigEndian.AppendUint16(buf, uint16(len(w.enc.cols)))
		for i := range w.enc.cols {
			col := &w.enc.cols[i]
			if col.vec.IsNull(r) {
				buf = binary.BigEndian.AppendUint32(buf, math.MaxUint32) // -1: NULL
				continue
			}
			at := len(buf)
			buf = append(buf, 0, 0, 0, 0)
			if w.binary != nil && w.binary[i] {
				var err error
				if buf, err = col.appendBinary(buf, r); err != nil {
					return err
				}
			} else {
				buf = col.appendText(buf, r)
			}
			binary.BigEndian.PutUint32(buf[at:], uint32(len(buf)-at-4))
		}
		binary.BigEndian.PutUint32(buf[start+1:], uint32(len(buf)-start-1))
		if len(buf) >= rowChunk || r == b.Len-1 {
			if _, err := w.out.Write(buf); err != nil {
				return err
			}
			buf = buf[:0]
		}
	}
	w.scratch = buf
	return nil
}

// passesText reports whether the rows of a result with columns cols can be
// sent as the text forms a PostgreSQL source sent for them: all go in
// text, and for each column's type PostgreSQL's text output (under the
// settings of Junction's source sessions: TimeZone UTC, DateStyle ISO) is
// what Junction itself prints.
func (w *rowWriter) passesText(cols []plan.Column) bool {
	if slices.Contains(w.binary, true) {
		return false
	}
	for _, col := range cols {
		switch col.Type.Kind {
		case types.Bool, types.Int2, types.Int4, types.Int8, types.Numeric,
			types.Text, types.Varchar, types.Bpchar, types.Name,
			types.Date, types.Timestamp, types.TimestampTZ:
		default:
			// Floats among others: a source before PostgreSQL 12 prints
			// them with extra_float_digits digits, not the shortest form.
			return false
		}
	}
	return true
}

// textRow writes one row of text values (nil for NULL) as a DataRow.
func (w *rowWriter) textRow(row [][]byte) error {
	buf := w.scratch
	start := len(buf)
	buf = append(buf, byte(proto.ServerDataRow), 0, 0, 0, 0)
	buf = binary.BigEndian.AppendUint16(buf, uint16(len(row)))
	for _, v := range row {
		if v == nil {
			buf = binary.BigEndian.AppendUint32(buf, math.MaxUint32) // -1: NULL
			continue
		}
		buf = binary.BigEndian.AppendUint32(buf, uint32(len(v)))
		buf = append(buf, v...)
	}
	binary.BigEndian.PutUint32(buf[start+1:], uint32(len(buf)-start-1))
	w.scratch = buf
	if len(buf) >= rowChunk {
		return w.flushText()
	}
	return nil
}

// flushText writes the DataRows textRow gathered.
func (w *rowWriter) flushText() error {
	if len(w.scratch) == 0 {
		return nil
	}
	_, err := w.out.Write(w.scratch)
	w.scratch = w.scratch[:0]
	return err
}

// frameWriter writes a simple query's results as protocol frames, in text
// unless the statement asks for binary.
type frameWriter struct {
	c *conn
	rowWriter
}

func (w *frameWriter) describe(cols []plan.Column, binary bool) error {
	w.rowWriter = rowWriter{out: w.c.out, enc: newBatchEncoder(w.c, cols), scratch: w.c.rowBuf[:0]}
	format := wire.TextFormat
	if binary {
		format = wire.BinaryFormat
		w.binary = make([]bool, len(cols))
		for i := range w.binary {
			w.binary[i] = true
		}
	}
	out := w.c.out
	out.Start(proto.ServerRowDescription)
	out.AddInt16(int16(len(cols)))
	for _, col := range cols {
		out.AddString(col.Name)
		out.AddNullTerminate()
		out.AddInt32(int32(col.TableOID))
		out.AddInt16(col.Attnum)
		out.AddInt32(int32(col.Type.OID()))
		out.AddInt16(col.Type.Size())
		out.AddInt32(col.Type.Modifier())
		out.AddInt16(int16(format))
	}
	return out.End()
}

func (w *frameWriter) complete(tag string) error {
	w.c.keepRowBuf(w.scratch)
	return writeCommandComplete(w.c.out, tag)
}

// maxKeptRowBuf bounds the DataRow buffer a connection keeps between
// results: a result of huge rows should not pin its buffer for the rest
// of the session.
const maxKeptRowBuf = 2 * rowChunk

// keepRowBuf keeps buf, whose rows have been written, for the next result.
func (c *conn) keepRowBuf(buf []byte) {
	if cap(buf) <= maxKeptRowBuf {
		c.rowBuf = buf[:0]
	}
}

// writeCommandComplete ends a result with its command tag.
func writeCommandComplete(out *buffer.Writer, tag string) error {
	out.Start(proto.ServerCommandComplete)
	out.AddString(tag)
	out.AddNullTerminate()
	return out.End()
}

// portalWriter writes a portal's results through psql-wire, which applies
// the portal's row limit and result formats. Each value is handed over as
// a *cell that cellCodec encodes in the format the client asked for.
type portalWriter struct {
	c         *conn
	dw        wire.DataWriter
	enc       batchEncoder
	cells     []cell
	slots     []any
	batchRows [][]any
}

// cell refers to one value of the batch being written.
type cell struct {
	col *columnEncoder
	row int
}

func (w *portalWriter) describe(cols []plan.Column, _ bool) error {
	if described := len(w.dw.Columns()); described != len(cols) {
		return pgerr.New(pgerr.InternalError, "query produced %d columns but described %d", len(cols), described)
	}
	w.enc = newBatchEncoder(w.c, cols)
	return nil
}

func (w *portalWriter) rows(b *vector.Batch) error {
	if err := w.enc.bind(b); err != nil {
		return err
	}
	width := len(w.enc.cols)
	if n := b.Len * width; cap(w.cells) < n {
		w.cells = make([]cell, n)
		w.slots = make([]any, n)
	}
	if cap(w.batchRows) < b.Len {
		w.batchRows = make([][]any, b.Len)
	}
	rows := w.batchRows[:b.Len]
	for r := range rows {
		row := w.slots[r*width : (r+1)*width : (r+1)*width]
		for i := range w.enc.cols {
			col := &w.enc.cols[i]
			if col.vec.IsNull(r) {
				row[i] = nil
				continue
			}
			c := &w.cells[r*width+i]
			*c = cell{col: col, row: r}
			row[i] = c
		}
		rows[r] = row
	}
	return wire.WriteRows(w.dw, rows)
}

func (w *portalWriter) complete(tag string) error {
	return w.dw.Complete(tag)
}

// drainingPortalWriter writes the result of a portal that runs to its end
// in one Execute (see runPortal), in the formats the portal was bound with.
type drainingPortalWriter struct {
	c      *conn
	portal *boundPortal
	out    *buffer.Writer
	rowWriter
}

func (w *drainingPortalWriter) describe(cols []plan.Column, _ bool) error {
	if described := len(w.portal.run.Columns); described != len(cols) {
		return pgerr.New(pgerr.InternalError, "query produced %d columns but described %d", len(cols), described)
	}
	w.rowWriter = rowWriter{out: w.out, enc: newBatchEncoder(w.c, cols), binary: binaryColumns(w.portal.formats, len(cols)), scratch: w.c.rowBuf[:0]}
	return nil
}

func (w *drainingPortalWriter) complete(tag string) error {
	w.c.keepRowBuf(w.scratch)
	w.portal.tag = tag
	return writeCommandComplete(w.out, tag)
}

// registerCellCodec makes every type OID Junction reports encodable from a
// *cell, in text and in binary, while other values keep pgx's own codecs.
// psql-wire applies it to the type map of every connection.
func registerCellCodec(m *pgtype.Map) {
	for _, k := range types.AllKinds() {
		oid := types.Type{Kind: k}.OID()
		var inner pgtype.Codec = pgtype.TextCodec{}
		name := types.Type{Kind: k}.BaseName()
		if t, ok := m.TypeForOID(oid); ok {
			inner, name = t.Codec, t.Name
		}
		m.RegisterType(&pgtype.Type{Name: name, OID: oid, Codec: cellCodec{Codec: inner}})
	}
}

// cellCodec encodes *cell values and leaves everything else to the codec
// it wraps.
type cellCodec struct {
	pgtype.Codec
}

func (c cellCodec) PlanEncode(m *pgtype.Map, oid uint32, format int16, value any) pgtype.EncodePlan {
	if _, ok := value.(*cell); ok {
		if format == pgtype.BinaryFormatCode {
			return binaryCellPlan{}
		}
		return textCellPlan{}
	}
	return c.Codec.PlanEncode(m, oid, format, value)
}

type textCellPlan struct{}

func (textCellPlan) Encode(value any, buf []byte) ([]byte, error) {
	c := value.(*cell)
	return c.col.appendText(buf, c.row), nil
}

type binaryCellPlan struct{}

func (binaryCellPlan) Encode(value any, buf []byte) ([]byte, error) {
	c := value.(*cell)
	return c.col.appendBinary(buf, c.row)
}
