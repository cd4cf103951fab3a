package wire

import (
	"bytes"
	"encoding/binary"
	"io"

	proto "github.com/jeroenrinzema/psql-wire/pkg/types"
	"github.com/junction-db/junction/plan"
)

// psql-wire describes a statement or portal (Describe in the extended
// protocol) with a RowDescription whose type modifiers are all -1, which
// hides numeric(10,2) or varchar(20) from the client. psql-wire writes
// every message through one writer per connection, which Junction wraps
// (typmodWriter), above TLS. When psql-wire looks up the statement or
// portal it is about to describe, Junction arms the writer with its result
// columns; the RowDescription that follows is copied with the columns'
// typmods written in, after checking that it describes those columns.
// Any other message disarms it, so a lookup that is not a Describe
// (Parse, Bind, Close) patches nothing.

// typmodWriter is a connection's protocol writer, which writes the type
// modifiers of the columns it is armed with into the next RowDescription.
// Like psql-wire's writer, it is used by the connection's goroutine only.
type typmodWriter struct {
	io.Writer
	patch typmodPatch
}

// Write writes p, patched when the writer is armed. An unarmed write
// costs one check.
func (w *typmodWriter) Write(p []byte) (int, error) {
	if w.patch.cols == nil {
		return w.Writer.Write(p)
	}
	out, done := w.patch.apply(p)
	if done {
		w.patch.cols = nil
	}
	if _, err := w.Writer.Write(out); err != nil {
		return 0, err
	}
	return len(p), nil
}

// describing arms the writer with the result columns of the statement or
// portal psql-wire may be about to describe.
func (w *typmodWriter) describing(cols []plan.Column) {
	if !hasTypmods(cols) {
		cols = nil
	}
	w.patch.cols = cols
}

// typmodPatch writes the type modifiers of cols into the next
// RowDescription written.
type typmodPatch struct {
	cols []plan.Column
	// buf is reused for the patched copy: the bytes of a Write belong to
	// the writer.
	buf []byte
}

// hasTypmods reports whether any of cols has a type modifier, without
// which a RowDescription needs no patch.
func hasTypmods(cols []plan.Column) bool {
	for _, col := range cols {
		if col.Type.Modifier() != -1 {
			return true
		}
	}
	return false
}

// apply returns what to write for p, which starts at a message boundary:
// p itself, or a copy with the typmods written in. done is set once the
// response the patch was armed for is over: a RowDescription or another
// message than a ParameterDescription was written, or p is not a sequence
// of whole messages.
func (t *typmodPatch) apply(p []byte) (out []byte, done bool) {
	off := 0
	for off < len(p) {
		if len(p)-off < 5 {
			return p, true
		}
		n := int(binary.BigEndian.Uint32(p[off+1:]))
		end := off + 1 + n
		if n < 4 || end > len(p) {
			return p, true
		}
		switch proto.ServerMessage(p[off]) {
		case proto.ServerParameterDescription:
			off = end
			continue
		case proto.ServerRowDescription:
			t.buf = append(t.buf[:0], p...)
			if setTypmods(t.buf[off+5:end], t.cols) {
				return t.buf, true
			}
		}
		return p, true
	}
	return p, false
}

// setTypmods writes the typmods of cols into the body of a RowDescription
// if it describes cols (their number, names and type OIDs), and reports
// whether it did. Nothing is written unless the whole message matches.
func setTypmods(body []byte, cols []plan.Column) bool {
	if !rowFields(body, cols, false) {
		return false
	}
	return rowFields(body, cols, true)
}

// rowFields checks that body describes cols and, if write is set, writes
// their typmods as it goes.
func rowFields(body []byte, cols []plan.Column, write bool) bool {
	if len(body) < 2 || int(binary.BigEndian.Uint16(body)) != len(cols) {
		return false
	}
	// A field is its name, a NUL, then table OID (4), attribute number
	// (2), type OID (4), type length (2), typmod (4) and format (2).
	const (
		oidAt    = 4 + 2
		typmodAt = oidAt + 4 + 2
		fixed    = typmodAt + 4 + 2
	)
	off := 2
	for _, col := range cols {
		nul := bytes.IndexByte(body[off:], 0)
		if nul < 0 || string(body[off:off+nul]) != col.Name {
			return false
		}
		f := off + nul + 1
		if len(body)-f < fixed || binary.BigEndian.Uint32(body[f+oidAt:]) != col.Type.OID() {
			return false
		}
		if write {
			binary.BigEndian.PutUint32(body[f+typmodAt:], uint32(col.Type.Modifier()))
		}
		off = f + fixed
	}
	return off == len(body)
}
