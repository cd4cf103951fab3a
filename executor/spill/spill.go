// Package spill owns what operators write to disk when their memory budget
// runs out: a compact binary encoding of column batches and temporary
// files of batches written once and read back in order.
//
// A batch is its row count and, per column, the null bitmap's words and
// the values in the column's physical representation: integers as zigzag
// varints, floats as their IEEE bits, decimals as exponent and coefficient,
// strings and byte strings length-prefixed, intervals as three varints.
// The column types are not written: the reader knows them.
package spill

import (
	"bufio"
	"encoding/binary"
	"errors"
	"io"
	"math"
	"math/big"
	"os"

	"github.com/junction-db/junction/executor/memory"
	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/types"
	"github.com/junction-db/junction/vector"
	"github.com/shopspring/decimal"
)

// Encode appends batch b (full vectors) to w.
func Encode(w *bufio.Writer, b *vector.Batch) error {
	var buf [binary.MaxVarintLen64]byte
	uvarint := func(x uint64) { w.Write(buf[:binary.PutUvarint(buf[:], x)]) }
	varint := func(x int64) { w.Write(buf[:binary.PutVarint(buf[:], x)]) }
	uvarint(uint64(b.Len))
	for _, v := range b.Cols {
		nulls := v.Nulls[:min(len(v.Nulls), vector.Words(b.Len))]
		uvarint(uint64(len(nulls)))
		for _, word := range nulls {
			binary.LittleEndian.PutUint64(buf[:8], word)
			w.Write(buf[:8])
		}
		switch v.Type.Physical() {
		case types.PhysBool:
			for _, x := range v.Bool[:b.Len] {
				if x {
					w.WriteByte(1)
				} else {
					w.WriteByte(0)
				}
			}
		case types.PhysInt:
			for _, x := range v.Int[:b.Len] {
				varint(x)
			}
		case types.PhysFloat:
			for _, x := range v.Float[:b.Len] {
				binary.LittleEndian.PutUint64(buf[:8], math.Float64bits(x))
				w.Write(buf[:8])
			}
		case types.PhysDecimal:
			for _, x := range v.Dec[:b.Len] {
				varint(int64(x.Exponent()))
				c := x.Coefficient()
				uvarint(uint64(c.Sign() + 1))
				bs := c.Bytes()
				uvarint(uint64(len(bs)))
				w.Write(bs)
			}
		case types.PhysString:
			for _, x := range v.Str[:b.Len] {
				uvarint(uint64(len(x)))
				w.WriteString(x)
			}
		case types.PhysBytes:
			for _, x := range v.Bytes[:b.Len] {
				uvarint(uint64(len(x)))
				w.Write(x)
			}
		case types.PhysInterval:
			for _, x := range v.Iv[:b.Len] {
				varint(int64(x.Months))
				varint(int64(x.Days))
				varint(x.Micros)
			}
		}
	}
	return nil
}

// Decode reads the next batch of columns of types ts from r; it returns
// io.EOF at the end.
func Decode(r *bufio.Reader, ts []types.Type) (*vector.Batch, error) {
	n, err := binary.ReadUvarint(r)
	if err != nil {
		return nil, err
	}
	d := decoder{r: r}
	b := &vector.Batch{Cols: make([]*vector.Vector, len(ts)), Len: int(n)}
	for c, t := range ts {
		b.Cols[c] = d.vector(t, int(n))
	}
	if d.err != nil {
		return nil, corrupt(d.err)
	}
	return b, nil
}

type decoder struct {
	r   *bufio.Reader
	err error
}

func (d *decoder) uvarint() uint64 {
	if d.err != nil {
		return 0
	}
	x, err := binary.ReadUvarint(d.r)
	d.err = err
	return x
}

func (d *decoder) varint() int64 {
	if d.err != nil {
		return 0
	}
	x, err := binary.ReadVarint(d.r)
	d.err = err
	return x
}

func (d *decoder) bytes(n int) []byte {
	if d.err != nil {
		return nil
	}
	bs := make([]byte, n)
	_, d.err = io.ReadFull(d.r, bs)
	return bs
}

func (d *decoder) uint64() uint64 {
	var buf [8]byte
	if d.err == nil {
		_, d.err = io.ReadFull(d.r, buf[:])
	}
	return binary.LittleEndian.Uint64(buf[:])
}

func (d *decoder) vector(t types.Type, n int) *vector.Vector {
	v := vector.Make(t, n)
	if words := int(d.uvarint()); words > 0 && d.err == nil {
		v.Nulls = make(vector.Nulls, words)
		for i := range v.Nulls {
			v.Nulls[i] = d.uint64()
		}
	}
	switch t.Physical() {
	case types.PhysBool:
		for i, x := range d.bytes(n) {
			v.Bool[i] = x != 0
		}
	case types.PhysInt:
		for i := range v.Int {
			v.Int[i] = d.varint()
		}
	case types.PhysFloat:
		for i := range v.Float {
			v.Float[i] = math.Float64frombits(d.uint64())
		}
	case types.PhysDecimal:
		for i := range v.Dec {
			exp := int32(d.varint())
			sign := int(d.uvarint()) - 1
			c := new(big.Int).SetBytes(d.bytes(int(d.uvarint())))
			if sign < 0 {
				c.Neg(c)
			}
			v.Dec[i] = decimal.NewFromBigInt(c, exp)
		}
	case types.PhysString:
		for i := range v.Str {
			v.Str[i] = string(d.bytes(int(d.uvarint())))
		}
	case types.PhysBytes:
		for i := range v.Bytes {
			v.Bytes[i] = d.bytes(int(d.uvarint()))
		}
	case types.PhysInterval:
		for i := range v.Iv {
			v.Iv[i] = types.IntervalValue{Months: int32(d.varint()), Days: int32(d.varint()), Micros: d.varint()}
		}
	}
	return v
}

func corrupt(err error) error {
	if errors.Is(err, io.EOF) {
		err = io.ErrUnexpectedEOF
	}
	return pgerr.New(pgerr.InternalError, "could not read temporary file: %v", err)
}

// File is a temporary file of batches: written first, then read back from
// the start, then closed, which removes it.
type File struct {
	budget *memory.Budget
	f      *os.File
	w      *bufio.Writer
	r      *bufio.Reader
	types  []types.Type
	rows   int64
	bytes  int64
}

// Create makes a temporary file for batches of column types ts in the
// query's temporary directory.
func Create(budget *memory.Budget, ts []types.Type) (*File, error) {
	f, err := budget.CreateTemp()
	if err != nil {
		return nil, err
	}
	return &File{budget: budget, f: f, w: bufio.NewWriterSize(f, 64<<10), types: ts}, nil
}

// Rows is how many rows were written.
func (f *File) Rows() int64 { return f.rows }

// Bytes is the file's size, known once it is rewound.
func (f *File) Bytes() int64 { return f.bytes }

// Write appends a batch.
func (f *File) Write(b *vector.Batch) error {
	if b.Len == 0 {
		return nil
	}
	f.rows += int64(b.Len)
	if err := Encode(f.w, b); err != nil {
		return writeError(err)
	}
	return nil
}

// Rewind ends writing and positions the file to read from the start.
func (f *File) Rewind() error {
	if err := f.w.Flush(); err != nil {
		return writeError(err)
	}
	f.bytes = f.written()
	f.budget.CountSpilled(f.bytes)
	if _, err := f.f.Seek(0, io.SeekStart); err != nil {
		return writeError(err)
	}
	f.r = bufio.NewReaderSize(f.f, 64<<10)
	return nil
}

func (f *File) written() int64 {
	off, _ := f.f.Seek(0, io.SeekCurrent)
	return off
}

// Read returns the next batch, or nil at the end.
func (f *File) Read() (*vector.Batch, error) {
	b, err := Decode(f.r, f.types)
	if errors.Is(err, io.EOF) {
		return nil, nil
	}
	return b, err
}

// Close removes the file.
func (f *File) Close() {
	if f.f != nil {
		f.f.Close()
		os.Remove(f.f.Name())
		f.f = nil
	}
}

func writeError(err error) error {
	return pgerr.New("53100", "could not write to temporary file: %v", err)
}
