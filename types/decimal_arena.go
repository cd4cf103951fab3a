package types

import (
	"math/big"
	"math/bits"
	"unsafe"

	"github.com/shopspring/decimal"
)

// A DecimalArena builds decimals whose coefficients fit an int64 out of
// shared blocks, where decimal.New costs two allocations per value (the
// big.Int and its one-word magnitude). Reading a numeric column of a few
// hundred thousand rows otherwise spends much of its time allocating and
// collecting those. A decimal kept after its column is gone keeps its
// whole block alive, so blocks stay small. The zero value is ready to use;
// a nil arena builds with decimal.New.
type DecimalArena struct {
	ints  []big.Int
	words []big.Word
}

// decimalArenaBlock is how many values one block holds: 2.5 KB, which a
// value kept alone (a group key, say) keeps alive, against 48 bytes from
// decimal.New; allocations still drop 64-fold.
const decimalArenaBlock = 64

// wordsPerInt64 is how many big.Words an int64's magnitude may need.
const wordsPerInt64 = 64 / bits.UintSize

// decimalLayout mirrors decimal.Decimal's fields, so that a decimal can be
// made around a big.Int the arena owns: the package's constructors copy
// the big.Int they are given. decimalLayoutHolds checks the mirror once.
type decimalLayout struct {
	value *big.Int
	exp   int32
}

var decimalLayoutHolds = func() bool {
	if unsafe.Sizeof(decimal.Decimal{}) != unsafe.Sizeof(decimalLayout{}) {
		return false
	}
	v := big.NewInt(-12345)
	d := *(*decimal.Decimal)(unsafe.Pointer(&decimalLayout{value: v, exp: -2}))
	return d.Coefficient().Cmp(v) == 0 && d.Exponent() == -2 && d.String() == "-123.45"
}()

// New returns n × 10^exp.
func (a *DecimalArena) New(n int64, exp int32) decimal.Decimal {
	if a == nil || !decimalLayoutHolds {
		return decimal.New(n, exp)
	}
	if len(a.ints) == 0 {
		a.ints = make([]big.Int, decimalArenaBlock)
		a.words = make([]big.Word, decimalArenaBlock*wordsPerInt64)
	}
	v := &a.ints[0]
	a.ints = a.ints[1:]
	w := a.words[:wordsPerInt64:wordsPerInt64]
	a.words = a.words[wordsPerInt64:]
	mag := uint64(n)
	if n < 0 {
		mag = -mag
	}
	for i := range w {
		w[i] = big.Word(mag)
		mag >>= bits.UintSize - 1
		mag >>= 1
	}
	// The full slice expression keeps a later change of v, which
	// shopspring's decimals never make, from writing into a neighbour.
	v.SetBits(w)
	if n < 0 {
		v.Neg(v)
	}
	return *(*decimal.Decimal)(unsafe.Pointer(&decimalLayout{value: v, exp: exp}))
}

// ParseNumeric reads s as a value of the numeric type t, as ParseText
// does; a plain value at the type's scale, as a source prints a
// numeric(p,s) column, is built in the arena.
func (a *DecimalArena) ParseNumeric(t Type, s string) (decimal.Decimal, error) {
	return parseNumericIn(a, t, s)
}
