package types

import (
	"encoding/hex"
	"math"
	"math/bits"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/junction-db/junction/pgerr"
)

// Text I/O follows PostgreSQL 15 with the settings a Junction session runs
// under: DateStyle ISO, MDY; IntervalStyle postgres; TimeZone UTC;
// extra_float_digits 1; standard_conforming_strings on; bytea_output hex.

// SQLSTATEs of text input that package pgerr does not name.
const (
	characterNotInRepertoire = "22021"
	untranslatableCharacter  = "22P05"
	invalidTimeZoneDisplace  = "22009"
	intervalFieldOverflow    = "22015"
)

// ParseText reads s as PostgreSQL's input function for t does.
func ParseText(t Type, s string) (Datum, error) {
	switch t.Kind {
	case Bool:
		b, err := parseBool(s)
		return Datum{Bool: b}, err
	case Int2, Int4, Int8, OID, RegClass, RegType, RegProc, Date, Time, TimeTZ, Timestamp, TimestampTZ:
		v, err := ParseIntText(t, s)
		if t.HasTimeTypmod() {
			v = AdjustTime(t, v)
		}
		return Datum{Int: v}, err
	case Float4:
		v, err := parseFloat(s, 32, t)
		return Datum{Float: v}, err
	case Float8:
		v, err := parseFloat(s, 64, t)
		return Datum{Float: v}, err
	case Numeric:
		d, err := parseNumericTypmod(t, s)
		return Datum{Dec: d}, err
	case Text, Varchar, Bpchar, Unknown, Name, Char, UUID, JSON, JSONB:
		v, err := ParseStringText(t, s)
		return Datum{Str: v}, err
	case Bytea:
		b, err := parseBytea(s)
		return Datum{Bytes: b}, err
	case Interval:
		v, err := parseInterval(s, t)
		return Datum{Iv: v}, err
	}
	if t.IsArray() || t.Kind == Record {
		v, err := ParseStringText(t, s)
		return Datum{Str: v}, err
	}
	return Datum{}, pgerr.NotSupported("text input for type " + t.String())
}

// ParseIntText is ParseText for the types whose values are int64s
// (PhysInt), returning the value alone: a reader filling a column of
// them has no use for the rest of a Datum.
func ParseIntText(t Type, s string) (int64, error) {
	switch t.Kind {
	case Int2:
		return parseInt(s, 16, t)
	case Int4:
		return parseInt(s, 32, t)
	case Int8:
		return parseInt(s, 64, t)
	case OID, RegClass, RegType, RegProc:
		return parseOID(s, t)
	case Date:
		return parseDate(s)
	case Time:
		return parseTime(s)
	case Timestamp:
		return parseTimestamp(s, false)
	case TimestampTZ:
		return parseTimestamp(s, true)
	case TimeTZ:
		return parseTimeTZ(s)
	}
	return 0, pgerr.NotSupported("text input for type " + t.String())
}

// ParseStringText is ParseText for the types whose values are strings
// (PhysString), returning the value alone.
func ParseStringText(t Type, s string) (string, error) {
	switch t.Kind {
	case Char:
		return parseChar(s), nil
	case UUID:
		return parseUUID(s)
	}
	if err := checkEncoding(s); err != nil {
		return "", err
	}
	switch t.Kind {
	case Name:
		return truncateName(s), nil
	case JSON:
		return s, validateJSON(s)
	case JSONB:
		return normalizeJSONB(s)
	case Text, Varchar, Bpchar, Unknown:
		return ApplyLength(t, s, false)
	}
	if t.IsArray() {
		return s, checkEncoding(s)
	}
	if t.Kind == Record {
		_, err := ParseRecord(s)
		return s, err
	}
	return "", pgerr.NotSupported("text input for type " + t.String())
}

// FormatText prints d as PostgreSQL's output function for t does. d must not
// be NULL.
func FormatText(t Type, d Datum) string { return string(AppendText(nil, t, d)) }

// AppendText appends the text form of d (not NULL) to buf.
func AppendText(buf []byte, t Type, d Datum) []byte {
	switch t.Kind {
	case Bool:
		if d.Bool {
			return append(buf, 't')
		}
		return append(buf, 'f')
	case Int2, Int4, Int8, OID, RegClass, RegType, RegProc, Date, Time, TimeTZ, Timestamp, TimestampTZ:
		return AppendIntText(buf, t, d.Int)
	case Float4:
		return appendFloat(buf, d.Float, 32)
	case Float8:
		return appendFloat(buf, d.Float, 64)
	case Numeric:
		return AppendNumeric(buf, d.Dec)
	case Char:
		return appendChar(buf, d.Str)
	case Bytea:
		buf = append(buf, '\\', 'x')
		return hex.AppendEncode(buf, d.Bytes)
	case Interval:
		return appendInterval(buf, d.Iv)
	}
	return append(buf, d.Str...)
}

// AppendIntText is AppendText for the types ParseIntText reads, given
// the value alone.
func AppendIntText(buf []byte, t Type, v int64) []byte {
	switch t.Kind {
	case Date:
		return appendDate(buf, v)
	case Time:
		return appendTimeOfDay(buf, v)
	case Timestamp:
		return appendTimestamp(buf, v, false)
	case TimestampTZ:
		return appendTimestamp(buf, v, true)
	case TimeTZ:
		return appendTimeTZ(buf, v)
	}
	return strconv.AppendInt(buf, v, 10)
}

// inputName is how PostgreSQL names a type in input error messages.
func inputName(t Type) string {
	switch t.Kind {
	case Time:
		return "time"
	case Timestamp:
		return "timestamp"
	}
	return t.BaseName()
}

func syntaxError(t Type, s string) error {
	return pgerr.New(pgerr.InvalidTextRep, "invalid input syntax for type %s: \"%s\"", inputName(t), s)
}

func outOfRange(t Type, s string) error {
	return pgerr.New(pgerr.NumericOutOfRange, "value \"%s\" is out of range for type %s", s, inputName(t))
}

// isSpace is C's isspace, which PostgreSQL's input functions skip.
func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

func trimSpace(s string) string {
	for len(s) > 0 && isSpace(s[0]) {
		s = s[1:]
	}
	for len(s) > 0 && isSpace(s[len(s)-1]) {
		s = s[:len(s)-1]
	}
	return s
}

func parseBool(s string) (bool, error) {
	v := strings.ToLower(trimSpace(s))
	// PostgreSQL accepts any unambiguous prefix of the words.
	prefixOf := func(word string, min int) bool {
		return len(v) >= min && len(v) <= len(word) && word[:len(v)] == v
	}
	switch {
	case v == "1", prefixOf("true", 1), prefixOf("yes", 1), prefixOf("on", 2):
		return true, nil
	case v == "0", prefixOf("false", 1), prefixOf("no", 1), prefixOf("off", 2):
		return false, nil
	}
	return false, syntaxError(TBool, s)
}

// parseInt reads a signed integer of the given width with surrounding
// whitespace, as pg_strtoint16/32/64 do.
func parseInt(s string, bits int, t Type) (int64, error) {
	v, ok, overflow := scanInt(trimSpace(s), bits)
	if overflow {
		return 0, outOfRange(t, s)
	}
	if !ok {
		return 0, syntaxError(t, s)
	}
	return v, nil
}

// scanInt parses [+-]digits into an integer of the given width.
func scanInt(s string, bits int) (v int64, ok, overflow bool) {
	neg := false
	if s != "" && (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-'
		s = s[1:]
	}
	if s == "" {
		return 0, false, false
	}
	limit := uint64(1) << (bits - 1) // magnitude of the minimum value
	var mag uint64
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false, false
		}
		mag = mag*10 + uint64(c-'0')
		if mag > limit {
			return 0, false, true
		}
	}
	if neg {
		return -int64(mag), true, false
	}
	if mag == limit {
		return 0, false, true
	}
	return int64(mag), true, false
}

// parseOID reads an unsigned 32-bit OID. Like PostgreSQL, negative input
// down to -2^31 wraps around (so '-1' is 4294967295).
func parseOID(s string, t Type) (int64, error) {
	v, ok, overflow := scanInt(trimSpace(s), 64)
	if !ok && !overflow {
		if t.Kind != OID {
			return 0, pgerr.New(pgerr.FeatureNotSupported,
				"%s input \"%s\" is not an OID; names are resolved only in queries", t.BaseName(), s)
		}
		return 0, syntaxError(t, s)
	}
	if overflow || v > math.MaxUint32 || v < math.MinInt32 {
		return 0, outOfRange(t, s)
	}
	return int64(uint32(v)), nil
}

// parseFloat reads float4/float8 input: decimal notation, NaN and the
// infinities, with surrounding whitespace.
func parseFloat(s string, bits int, t Type) (float64, error) {
	v := trimSpace(s)
	switch strings.ToLower(v) {
	case "nan", "+nan", "-nan":
		return math.NaN(), nil
	case "infinity", "+infinity", "inf", "+inf":
		return math.Inf(1), nil
	case "-infinity", "-inf":
		return math.Inf(-1), nil
	}
	// Only decimal notation: Go's parser also takes hexadecimal and
	// underscores, which float8in does not.
	if n := floatPrefixLen(v); n == 0 || n != len(v) {
		return 0, syntaxError(t, s)
	}
	f, err := strconv.ParseFloat(v, bits)
	// strtod reports ERANGE for overflow and for underflow to zero, which
	// PostgreSQL rejects; denormal results are kept.
	if err != nil || (f == 0 && mantissaNonZero(v)) {
		return 0, pgerr.New(pgerr.NumericOutOfRange, "\"%s\" is out of range for type %s", v, t.BaseName())
	}
	return f, nil
}

// floatPrefixLen is the length of the longest decimal floating-point
// number at the start of s, or 0.
func floatPrefixLen(s string) int {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	digits := 0
	for i < len(s) && isDigit(s[i]) {
		i++
		digits++
	}
	if i < len(s) && s[i] == '.' {
		j := i + 1
		for j < len(s) && isDigit(s[j]) {
			j++
			digits++
		}
		if digits > 0 {
			i = j
		}
	}
	if digits == 0 {
		return 0
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		j := i + 1
		if j < len(s) && (s[j] == '+' || s[j] == '-') {
			j++
		}
		if j < len(s) && isDigit(s[j]) {
			for j < len(s) && isDigit(s[j]) {
				j++
			}
			i = j
		}
	}
	return i
}

func mantissaNonZero(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == 'e' || c == 'E':
			return false
		case c >= '1' && c <= '9':
			return true
		}
	}
	return false
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// appendFloat prints the shortest text that reads back as the same value,
// as PostgreSQL's float4out/float8out do with extra_float_digits > 0.
func appendFloat(buf []byte, f float64, bitSize int) []byte {
	switch {
	case math.IsNaN(f):
		return append(buf, "NaN"...)
	case math.IsInf(f, 1):
		return append(buf, "Infinity"...)
	case math.IsInf(f, -1):
		return append(buf, "-Infinity"...)
	case f == 0:
		if math.Signbit(f) {
			return append(buf, "-0"...)
		}
		return append(buf, '0')
	}
	digits, exp := pgShortestDigits(f, bitSize)
	if f < 0 {
		buf = append(buf, '-')
	}
	// Fixed notation for decimal exponents from -4 up to (excluding) 6 for
	// float4 and 15 for float8, like printf's %g; otherwise d.ddde±XX.
	fixedBelow := 15
	if bitSize == 32 {
		fixedBelow = 6
	}
	switch {
	case exp >= fixedBelow || exp < -4:
		buf = append(buf, digits[0])
		if len(digits) > 1 {
			buf = append(buf, '.')
			buf = append(buf, digits[1:]...)
		}
		buf = append(buf, 'e')
		if exp < 0 {
			buf = append(buf, '-')
			exp = -exp
		} else {
			buf = append(buf, '+')
		}
		return appendPadded(buf, int64(exp), 2)
	case exp < 0:
		buf = append(buf, "0."...)
		buf = append(buf, "0000"[:-exp-1]...)
		return append(buf, digits...)
	case len(digits) <= exp+1:
		buf = append(buf, digits...)
		return append(buf, "000000000000000"[:exp+1-len(digits)]...)
	}
	buf = append(buf, digits[:exp+1]...)
	buf = append(buf, '.')
	return append(buf, digits[exp+1:]...)
}

// pgShortestDigits returns the digits and decimal exponent PostgreSQL's
// Ryu prints for |f|: the shortest decimal strictly inside the interval of
// values that read back as f, the one nearest f among those. Go's shortest
// form may lie exactly on the interval's edge (it reads back as f through
// round-half-even); PostgreSQL excludes the edges, so then the candidate on
// the other side of f, or one more digit, is tried.
func pgShortestDigits(f float64, bitSize int) (string, int) {
	digits, exp := shortestDigits(f, bitSize, -1)
	maxDigits := 17
	if bitSize == 32 {
		maxDigits = 9
	}
	for n := len(digits); n < maxDigits; n++ {
		side := roundingBoundarySide(f, bitSize, digits, exp)
		if side == 0 {
			break
		}
		if alt, altExp, ok := otherSideCandidate(f, bitSize, digits, exp, n, side); ok {
			return alt, altExp
		}
		digits, exp = shortestDigits(f, bitSize, n)
	}
	return digits, exp
}

// otherSideCandidate steps the n-digit decimal digits×10^exp by one unit in
// its last place towards and past f, and returns it if it reads back as f
// without being on an edge.
func otherSideCandidate(f float64, bitSize int, digits string, exp, n, side int) (string, int, bool) {
	padded := digits + strings.Repeat("0", n-len(digits))
	m, err := strconv.ParseUint(padded, 10, 64)
	if err != nil {
		return "", 0, false
	}
	m = uint64(int64(m) - int64(side))
	alt := strconv.FormatUint(m, 10)
	altExp := exp + len(alt) - n
	alt = strings.TrimRight(alt, "0")
	if alt == "" {
		return "", 0, false
	}
	back, err := strconv.ParseFloat(alt+"e"+strconv.Itoa(altExp-len(alt)+1), bitSize)
	if err != nil || back != math.Abs(f) || roundingBoundarySide(f, bitSize, alt, altExp) != 0 {
		return "", 0, false
	}
	return alt, altExp, true
}

// shortestDigits returns the significant decimal digits of |f| (trailing
// zeros removed) and the decimal exponent of the first one; precision is
// strconv's ('e' format digits after the point, -1 for shortest).
func shortestDigits(f float64, bitSize, precision int) (string, int) {
	var scratch [32]byte
	e := strconv.AppendFloat(scratch[:0], math.Abs(f), 'e', precision, bitSize)
	mark := strings.IndexByte(string(e), 'e')
	exp, _ := strconv.Atoi(string(e[mark+1:]))
	mantissa := strings.Replace(string(e[:mark]), ".", "", 1)
	return strings.TrimRight(mantissa, "0"), exp
}

var powersOf5 = func() (p [28]uint64) {
	p[0] = 1
	for i := 1; i < len(p); i++ {
		p[i] = p[i-1] * 5
	}
	return p
}()

// roundingBoundarySide reports whether the decimal digits×10^(exp-len+1)
// lies exactly halfway between |f| and a neighbouring float: +1 above |f|,
// -1 below, 0 neither. Both sides are compared as odd×2^power, exactly.
func roundingBoundarySide(f float64, bitSize int, digits string, exp int) int {
	m, err := strconv.ParseUint(digits, 10, 64)
	if err != nil || m == 0 {
		return 0
	}
	odd, pow, ok := dyadic(m, exp-(len(digits)-1))
	if !ok {
		return 0
	}
	m2, e2, lowerCloser := binaryParts(math.Abs(f), bitSize)
	switch {
	case odd == 2*m2+1 && pow == e2-1:
		return 1
	case lowerCloser && odd == 4*m2-1 && pow == e2-2, !lowerCloser && odd == 2*m2-1 && pow == e2-1:
		return -1
	}
	return 0
}

// dyadic writes m×10^scaleExp as odd×2^pow when it has a finite binary
// expansion and an odd part small enough to be a float's midpoint.
func dyadic(m uint64, scaleExp int) (odd uint64, pow int, ok bool) {
	if scaleExp < 0 {
		k := -scaleExp
		if k >= len(powersOf5) || m%powersOf5[k] != 0 {
			return 0, 0, false
		}
		m /= powersOf5[k]
		tz := bits.TrailingZeros64(m)
		return m >> tz, tz - k, true
	}
	tz := bits.TrailingZeros64(m)
	odd = m >> tz
	for range scaleExp {
		if odd > 1<<56 {
			return 0, 0, false // beyond any midpoint's 55 bits
		}
		odd *= 5
	}
	return odd, tz + scaleExp, true
}

// binaryParts splits a finite positive float into m2×2^e2 with m2 its
// integer significand; lowerCloser says the float below is nearer than the
// one above (a power of two), so the lower midpoint is at a quarter step.
func binaryParts(a float64, bitSize int) (m2 uint64, e2 int, lowerCloser bool) {
	mantBits, bias := 52, 1075
	var mant uint64
	var exp int
	if bitSize == 32 {
		b := math.Float32bits(float32(a))
		mantBits, bias = 23, 150
		mant, exp = uint64(b&(1<<23-1)), int(b>>23)
	} else {
		b := math.Float64bits(a)
		mant, exp = b&(1<<52-1), int(b>>52)
	}
	if exp == 0 {
		return mant, 1 - bias, false
	}
	return mant | 1<<mantBits, exp - bias, mant == 0 && exp > 1
}

// checkEncoding rejects what a PostgreSQL UTF8 database cannot store.
func checkEncoding(s string) error {
	if utf8.ValidString(s) && strings.IndexByte(s, 0) < 0 {
		return nil
	}
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == 0 || (r == utf8.RuneError && n <= 1) {
			return pgerr.New(characterNotInRepertoire, "invalid byte sequence for encoding \"UTF8\": 0x%02x", s[i])
		}
		i += n
	}
	return nil
}

// ApplyLength fits s to the length of a varchar(n) or char(n) type, as
// PostgreSQL's length coercion does: a value that is too long is an error
// (22001) unless only spaces would be cut off, or the conversion is an
// explicit cast, which truncates. char(n) is blank-padded to n characters.
// Lengths count characters, not bytes. Other types return s unchanged.
func ApplyLength(t Type, s string, explicit bool) (string, error) {
	if (t.Kind != Varchar && t.Kind != Bpchar) || t.Length <= 0 {
		return s, nil
	}
	n := int(t.Length)
	count := utf8.RuneCountInString(s)
	if count > n {
		cut := 0
		for i := 0; i < n; i++ {
			_, size := utf8.DecodeRuneInString(s[cut:])
			cut += size
		}
		if !explicit && strings.TrimLeft(s[cut:], " ") != "" {
			return "", pgerr.New(pgerr.StringDataRightTrunc, "value too long for type %s", t.String())
		}
		s, count = s[:cut], n
	}
	if t.Kind == Bpchar && count < n {
		s += strings.Repeat(" ", n-count)
	}
	return s, nil
}

// truncateName cuts a name to PostgreSQL's 63 bytes without splitting a
// character.
func truncateName(s string) string {
	const maxNameBytes = 63
	if len(s) <= maxNameBytes {
		return s
	}
	cut := maxNameBytes
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut]
}

// parseChar reads the single-byte "char" type: the first byte, or a \ooo
// octal escape as charout prints for bytes above 127.
func parseChar(s string) string {
	if len(s) == 4 && s[0] == '\\' && isOctal(s[1]) && isOctal(s[2]) && isOctal(s[3]) {
		b := (s[1]-'0')<<6 | (s[2]-'0')<<3 | (s[3] - '0')
		if b == 0 {
			return ""
		}
		return string([]byte{b})
	}
	if s == "" {
		return ""
	}
	return s[:1]
}

func appendChar(buf []byte, s string) []byte {
	if s == "" {
		return buf
	}
	c := s[0]
	if c < 0x80 {
		return append(buf, c)
	}
	return append(buf, '\\', '0'+c>>6, '0'+(c>>3)&7, '0'+c&7)
}

func isOctal(c byte) bool { return c >= '0' && c <= '7' }

// parseBytea reads hex format (\x...) or the traditional escape format.
func parseBytea(s string) ([]byte, error) {
	if hex, ok := strings.CutPrefix(s, `\x`); ok {
		return DecodeHex(hex)
	}
	return DecodeEscape(s)
}

// DecodeHex reads pairs of hexadecimal digits, skipping white space, as
// bytea's hex format and decode(..., 'hex') do.
func DecodeHex(s string) ([]byte, error) {
	out := make([]byte, 0, len(s)/2)
	for i := 0; i < len(s); {
		if c := s[i]; c == ' ' || c == '\n' || c == '\t' || c == '\r' {
			i++
			continue
		}
		hi, err := hexDigit(s, i)
		if err != nil {
			return nil, err
		}
		if i+1 >= len(s) {
			return nil, pgerr.New(pgerr.InvalidParameterValue, "invalid hexadecimal data: odd number of digits")
		}
		lo, err := hexDigit(s, i+1)
		if err != nil {
			return nil, err
		}
		out = append(out, hi<<4|lo)
		i += 2
	}
	return out, nil
}

// DecodeEscape reads bytea's traditional escape format, as
// decode(..., 'escape') does: \\ is a backslash and \ooo an octal byte.
func DecodeEscape(s string) ([]byte, error) {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); {
		switch {
		case s[i] != '\\':
			out = append(out, s[i])
			i++
		case i+3 < len(s) && s[i+1] >= '0' && s[i+1] <= '3' && isOctal(s[i+2]) && isOctal(s[i+3]):
			out = append(out, (s[i+1]-'0')<<6|(s[i+2]-'0')<<3|(s[i+3]-'0'))
			i += 4
		case i+1 < len(s) && s[i+1] == '\\':
			out = append(out, '\\')
			i += 2
		default:
			return nil, pgerr.New(pgerr.InvalidTextRep, "invalid input syntax for type bytea")
		}
	}
	return out, nil
}

func hexDigit(s string, i int) (byte, error) {
	switch c := s[i]; {
	case c >= '0' && c <= '9':
		return c - '0', nil
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, nil
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, nil
	}
	_, n := utf8.DecodeRuneInString(s[i:])
	return 0, pgerr.New(pgerr.InvalidParameterValue, "invalid hexadecimal digit: \"%s\"", s[i:i+n])
}

// parseUUID accepts 32 hex digits, optionally with a hyphen after any group
// of four and optionally in braces, and returns the canonical lower-case
// 8-4-4-4-12 form.
func parseUUID(s string) (string, error) {
	src := s
	braces := strings.HasPrefix(src, "{")
	if braces {
		src = src[1:]
	}
	var raw [16]byte
	for i := range raw {
		if len(src) < 2 {
			return "", syntaxError(TUUID, s)
		}
		hi, err1 := hexDigit(src, 0)
		lo, err2 := hexDigit(src, 1)
		if err1 != nil || err2 != nil {
			return "", syntaxError(TUUID, s)
		}
		raw[i] = hi<<4 | lo
		src = src[2:]
		if strings.HasPrefix(src, "-") && i%2 == 1 && i < len(raw)-1 {
			src = src[1:]
		}
	}
	if braces {
		if !strings.HasPrefix(src, "}") {
			return "", syntaxError(TUUID, s)
		}
		src = src[1:]
	}
	if src != "" {
		return "", syntaxError(TUUID, s)
	}
	return FormatUUID(raw), nil
}

// FormatUUID prints 16 bytes in PostgreSQL's uuid output form.
func FormatUUID(raw [16]byte) string {
	var b [36]byte
	hex.Encode(b[0:8], raw[0:4])
	b[8] = '-'
	hex.Encode(b[9:13], raw[4:6])
	b[13] = '-'
	hex.Encode(b[14:18], raw[6:8])
	b[18] = '-'
	hex.Encode(b[19:23], raw[8:10])
	b[23] = '-'
	hex.Encode(b[24:], raw[10:])
	return string(b[:])
}
