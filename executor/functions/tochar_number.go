package functions

import (
	"math"
	"strconv"
	"strings"

	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/types"
	"github.com/shopspring/decimal"
)

// to_char of numbers and to_number, after PostgreSQL's NUM_processor.
// The locale's symbols are the C locale's, the only LC_NUMERIC and
// LC_MONETARY Junction runs with: D is '.', G is ',', S and the signs are
// '+' and '-', and L is a space.

const (
	numComma = iota
	numDec
	num0
	num9
	numB
	numC
	numD
	numE
	numFM
	numG
	numL
	numMI
	numPL
	numPR
	numRN
	numRNLower
	numSG
	numSP
	numS
	numTH
	numTHLower
	numV
)

// numberKeywords is formatting.c's NUM_keywords, in its order.
var numberKeywords = []templateKeyword{
	{name: ",", id: numComma}, {name: ".", id: numDec}, {name: "0", id: num0}, {name: "9", id: num9},
	{name: "B", id: numB}, {name: "C", id: numC}, {name: "D", id: numD}, {name: "EEEE", id: numE},
	{name: "FM", id: numFM}, {name: "G", id: numG}, {name: "L", id: numL}, {name: "MI", id: numMI},
	{name: "PL", id: numPL}, {name: "PR", id: numPR}, {name: "RN", id: numRN}, {name: "SG", id: numSG},
	{name: "SP", id: numSP}, {name: "S", id: numS}, {name: "TH", id: numTH}, {name: "V", id: numV},
	{name: "b", id: numB}, {name: "c", id: numC}, {name: "d", id: numD}, {name: "eeee", id: numE},
	{name: "fm", id: numFM}, {name: "g", id: numG}, {name: "l", id: numL}, {name: "mi", id: numMI},
	{name: "pl", id: numPL}, {name: "pr", id: numPR}, {name: "rn", id: numRNLower}, {name: "sg", id: numSG},
	{name: "sp", id: numSP}, {name: "s", id: numS}, {name: "th", id: numTHLower}, {name: "v", id: numV},
}

var numberKeywordIndex = newKeywordIndex(numberKeywords)

// Flags of a number template (NUM_F_*).
const (
	numFlagDecimal = 1 << iota
	numFlagLDecimal
	numFlagZero
	numFlagBlank
	numFlagFillMode
	numFlagLSign
	numFlagBracket
	numFlagMinus
	numFlagPlus
	numFlagRoman
	numFlagMulti
	numFlagPlusPost
	numFlagMinusPost
	numFlagEEEE
)

const (
	lsignNone = iota
	lsignPre
	lsignPost
)

// numberTemplate is NUMDesc: what a number template asks for.
type numberTemplate struct {
	nodes              []templateNode
	pre, post, multi   int
	lsign, preLsignNum int
	flag               int
	zeroStart, zeroEnd int
}

func (t *numberTemplate) has(f int) bool { return t.flag&f != 0 }

func numberSyntaxError(msg string) *pgerr.Error { return pgerr.New(pgerr.SyntaxError, "%s", msg) }

// prepare is NUMDesc_prepare: it counts digits and checks combinations.
func (t *numberTemplate) prepare(n *templateNode) error {
	if t.has(numFlagEEEE) && n.key.id != numE {
		return numberSyntaxError("\"EEEE\" must be the last pattern used")
	}
	switch n.key.id {
	case num9:
		if t.has(numFlagBracket) {
			return numberSyntaxError("\"9\" must be ahead of \"PR\"")
		}
		switch {
		case t.has(numFlagMulti):
			t.multi++
		case t.has(numFlagDecimal):
			t.post++
		default:
			t.pre++
		}
	case num0:
		if t.has(numFlagBracket) {
			return numberSyntaxError("\"0\" must be ahead of \"PR\"")
		}
		if !t.has(numFlagZero) && !t.has(numFlagDecimal) {
			t.flag |= numFlagZero
			t.zeroStart = t.pre + 1
		}
		if !t.has(numFlagDecimal) {
			t.pre++
		} else {
			t.post++
		}
		t.zeroEnd = t.pre + t.post
	case numB:
		if t.pre == 0 && t.post == 0 && !t.has(numFlagZero) {
			t.flag |= numFlagBlank
		}
	case numD, numDec:
		if n.key.id == numD {
			t.flag |= numFlagLDecimal
		}
		if t.has(numFlagDecimal) {
			return numberSyntaxError("multiple decimal points")
		}
		if t.has(numFlagMulti) {
			return numberSyntaxError("cannot use \"V\" and decimal point together")
		}
		t.flag |= numFlagDecimal
	case numFM:
		t.flag |= numFlagFillMode
	case numS:
		if t.has(numFlagLSign) {
			return numberSyntaxError("cannot use \"S\" twice")
		}
		if t.has(numFlagPlus) || t.has(numFlagMinus) || t.has(numFlagBracket) {
			return numberSyntaxError("cannot use \"S\" and \"PL\"/\"MI\"/\"SG\"/\"PR\" together")
		}
		if !t.has(numFlagDecimal) {
			t.lsign = lsignPre
			t.preLsignNum = t.pre
			t.flag |= numFlagLSign
		} else if t.lsign == lsignNone {
			t.lsign = lsignPost
			t.flag |= numFlagLSign
		}
	case numMI:
		if t.has(numFlagLSign) {
			return numberSyntaxError("cannot use \"S\" and \"MI\" together")
		}
		t.flag |= numFlagMinus
		if t.has(numFlagDecimal) {
			t.flag |= numFlagMinusPost
		}
	case numPL:
		if t.has(numFlagLSign) {
			return numberSyntaxError("cannot use \"S\" and \"PL\" together")
		}
		t.flag |= numFlagPlus
		if t.has(numFlagDecimal) {
			t.flag |= numFlagPlusPost
		}
	case numSG:
		if t.has(numFlagLSign) {
			return numberSyntaxError("cannot use \"S\" and \"SG\" together")
		}
		t.flag |= numFlagMinus | numFlagPlus
	case numPR:
		if t.has(numFlagLSign) || t.has(numFlagPlus) || t.has(numFlagMinus) {
			return numberSyntaxError("cannot use \"PR\" and \"S\"/\"PL\"/\"MI\"/\"SG\" together")
		}
		t.flag |= numFlagBracket
	case numRN, numRNLower:
		t.flag |= numFlagRoman
	case numV:
		if t.has(numFlagDecimal) {
			return numberSyntaxError("cannot use \"V\" and decimal point together")
		}
		t.flag |= numFlagMulti
	case numE:
		if t.has(numFlagEEEE) {
			return numberSyntaxError("cannot use \"EEEE\" twice")
		}
		if t.has(numFlagBlank) || t.has(numFlagFillMode) || t.has(numFlagLSign) || t.has(numFlagBracket) ||
			t.has(numFlagMinus) || t.has(numFlagPlus) || t.has(numFlagRoman) || t.has(numFlagMulti) {
			e := numberSyntaxError("\"EEEE\" is incompatible with other formats")
			e.Detail = "\"EEEE\" may only be used together with digit and decimal point patterns."
			return e
		}
		t.flag |= numFlagEEEE
	}
	return nil
}

func parseNumberTemplate(format string) (*numberTemplate, error) {
	t := &numberTemplate{}
	nodes, err := parseTemplate(format, numberKeywordIndex, false, t.prepare)
	if err != nil {
		return nil, err
	}
	t.nodes = nodes
	return t, nil
}

// hashes is a number that does not fit the template: pre '#' digits, a
// point and post '#' digits.
func hashes(pre, post int) string {
	return strings.Repeat("#", pre) + "." + strings.Repeat("#", post)
}

// romanNumeral is int_to_roman: 15 '#' outside 1..3999.
func romanNumeral(v int64) string {
	if v < 1 || v > 3999 {
		return strings.Repeat("#", 15)
	}
	ones := []string{"I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX"}
	tens := []string{"X", "XX", "XXX", "XL", "L", "LX", "LXX", "LXXX", "XC"}
	hundreds := []string{"C", "CC", "CCC", "CD", "D", "DC", "DCC", "DCCC", "CM"}
	var b strings.Builder
	b.WriteString(strings.Repeat("M", int(v/1000)))
	for _, p := range []struct {
		digit int64
		names []string
	}{{v / 100 % 10, hundreds}, {v / 10 % 10, tens}, {v % 10, ones}} {
		if p.digit > 0 {
			b.WriteString(p.names[p.digit-1])
		}
	}
	return b.String()
}

// numberOutput is what a number contributes to its to_char: the digits
// (or the Roman numeral, or the scientific form), the blanks before them
// and the sign.
type numberOutput struct {
	digits    string
	preSpaces int
	sign      byte
}

// fitDigits is the common end of the to_char preparations: digits holds
// the absolute value with t.post decimals, which must fit t.pre places.
func fitDigits(t *numberTemplate, digits string, sign byte) numberOutput {
	preLen := len(digits)
	if i := strings.IndexByte(digits, '.'); i >= 0 {
		preLen = i
	}
	out := numberOutput{digits: digits, sign: sign}
	switch {
	case preLen < t.pre:
		out.preSpaces = t.pre - preLen
	case preLen > t.pre:
		out.digits = hashes(t.pre, t.post)
	}
	return out
}

func splitSign(s string) (string, byte) {
	if strings.HasPrefix(s, "-") {
		return s[1:], '-'
	}
	return s, '+'
}

// scientific is numeric_out_sci: one digit before the point, scale after
// it, rounded half away from zero, and the exponent of ten.
func scientific(d decimal.Decimal, scale int) string {
	exp := 0
	if !d.IsZero() {
		digits := strings.TrimPrefix(d.Coefficient().String(), "-")
		exp = len(digits) - 1 + int(d.Exponent())
	}
	sig := d.Shift(int32(-exp)).Round(int32(scale))
	e := strconv.Itoa(abs(exp))
	if len(e) < 2 {
		e = "0" + e
	}
	sign := "+"
	if exp < 0 {
		sign = "-"
	}
	return sig.StringFixed(int32(scale)) + "e" + sign + e
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

// leadSpace puts a space where a positive number has no sign.
func leadSpace(s string) string {
	if strings.HasPrefix(s, "-") {
		return s
	}
	return " " + s
}

// specialNumericExponent marks numeric's special values, NaN and the
// infinities, which a decimal holds with an exponent no number has:
// coefficient 0 is NaN, 1 Infinity, -1 -Infinity.
const specialNumericExponent = math.MinInt32

// specialNumericText is the output of a special numeric value; ok is
// false for a number.
func specialNumericText(d decimal.Decimal) (text string, ok bool) {
	if d.Exponent() != specialNumericExponent {
		return "", false
	}
	switch d.Sign() {
	case 0:
		return "NaN", true
	case 1:
		return "Infinity", true
	}
	return "-Infinity", true
}

// specialNumericToChar is numeric_to_char for NaN and the infinities:
// they fill the template like the digits of an overflowing number.
func specialNumericToChar(text string, t *numberTemplate) (numberOutput, error) {
	switch {
	case t.has(numFlagRoman):
		what := "infinity"
		if text == "NaN" {
			what = "NaN"
		}
		return numberOutput{}, pgerr.New(pgerr.FeatureNotSupported, "cannot convert %s to integer", what)
	case t.has(numFlagEEEE):
		return numberOutput{digits: eeeeOverflow(t)}, nil
	}
	if t.has(numFlagMulti) {
		t.pre += t.multi
	}
	digits, sign := splitSign(text)
	return fitDigits(t, digits, sign), nil
}

// eeeeOverflow is what EEEE prints for NaN and the infinities: room for
// the sign, the digits, the point and a two-digit exponent, in '#'.
func eeeeOverflow(t *numberTemplate) string {
	s := []byte(strings.Repeat("#", t.pre+t.post+6))
	s[0] = ' '
	s[t.pre+1] = '.'
	return string(s)
}

func numericToChar(d decimal.Decimal, t *numberTemplate) (numberOutput, error) {
	if text, ok := specialNumericText(d); ok {
		return specialNumericToChar(text, t)
	}
	switch {
	case t.has(numFlagRoman):
		r := d.Round(0)
		if !r.IsInteger() || r.GreaterThan(decimal.NewFromInt(math.MaxInt32)) || r.LessThan(decimal.NewFromInt(math.MinInt32)) {
			return numberOutput{}, pgerr.New(pgerr.NumericOutOfRange, "integer out of range")
		}
		return numberOutput{digits: romanNumeral(r.IntPart())}, nil
	case t.has(numFlagEEEE):
		return numberOutput{digits: leadSpace(scientific(d, t.post))}, nil
	}
	if t.has(numFlagMulti) {
		d = d.Shift(int32(t.multi))
		t.pre += t.multi
	}
	digits, sign := splitSign(d.Round(int32(t.post)).StringFixed(int32(t.post)))
	return fitDigits(t, digits, sign), nil
}

func integerToChar(v int64, t *numberTemplate, bits int) (numberOutput, error) {
	switch {
	case t.has(numFlagRoman):
		if v > math.MaxInt32 || v < math.MinInt32 {
			return numberOutput{}, pgerr.New(pgerr.NumericOutOfRange, "integer out of range")
		}
		return numberOutput{digits: romanNumeral(v)}, nil
	case t.has(numFlagEEEE):
		if bits == 32 {
			return numberOutput{digits: cScientific(float64(v), t.post)}, nil
		}
		return numberOutput{digits: leadSpace(scientific(decimal.NewFromInt(v), t.post))}, nil
	}
	if t.has(numFlagMulti) {
		if bits == 32 {
			// int4_to_char multiplies in 32 bits.
			m := int32(math.MinInt32) // what C's conversion of a too large double gives
			if t.multi <= 9 {
				m = int32(math.Pow10(t.multi))
			}
			v = int64(int32(v) * m)
		} else {
			if t.multi > 18 {
				return numberOutput{}, pgerr.New(pgerr.NumericOutOfRange, "bigint out of range")
			}
			m := int64(math.Pow10(t.multi))
			p := v * m
			if p/m != v {
				return numberOutput{}, pgerr.New(pgerr.NumericOutOfRange, "bigint out of range")
			}
			v = p
		}
		t.pre += t.multi
	}
	digits, sign := splitSign(strconv.FormatInt(v, 10))
	preLen := len(digits)
	if t.post > 0 {
		digits += "." + strings.Repeat("0", t.post)
	}
	out := numberOutput{digits: digits, sign: sign}
	switch {
	case preLen < t.pre:
		out.preSpaces = t.pre - preLen
	case preLen > t.pre:
		out.digits = hashes(t.pre, t.post)
	}
	return out, nil
}

// cFloat is PostgreSQL's printf %.*f, which spells NaN and the
// infinities as the float types' output does.
func cFloat(f float64, prec int) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	}
	return strconv.FormatFloat(f, 'f', prec, 64)
}

// cScientific is printf's %+.*e with the plus replaced by a space.
func cScientific(f float64, prec int) string {
	s := strconv.FormatFloat(f, 'e', prec, 64)
	if !strings.HasPrefix(s, "-") {
		s = " " + s
	}
	return s
}

// floatToChar is float8_to_char and, single, float4_to_char, whose
// values keep 15 and 6 significant digits.
func floatToChar(f float64, t *numberTemplate, single bool) numberOutput {
	digits := 15
	if single {
		digits = 6
	}
	switch {
	case t.has(numFlagRoman):
		if math.IsNaN(f) || math.Abs(f) > math.MaxInt32 {
			return numberOutput{digits: romanNumeral(0)} // out of range
		}
		return numberOutput{digits: romanNumeral(int64(math.RoundToEven(f)))}
	case t.has(numFlagEEEE):
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return numberOutput{digits: eeeeOverflow(t)}
		}
		return numberOutput{digits: cScientific(f, t.post)}
	}
	if t.has(numFlagMulti) {
		f *= math.Pow10(t.multi)
		if single {
			f = float64(float32(f))
		}
		t.pre += t.multi
	}
	preLen := len(cFloat(math.Abs(f), 0))
	switch {
	case preLen >= digits:
		t.post = 0
	case preLen+t.post > digits:
		t.post = digits - preLen
	}
	s, sign := splitSign(cFloat(f, t.post))
	return fitDigits(t, s, sign)
}

// numberWriter is the to_char half of NUMProc.
type numberWriter struct {
	t            *numberTemplate
	sign         byte
	signWrote    bool
	numCount     int
	numIn        bool
	numCurr      int
	outPreSpaces int
	number       string
	np           int
	lastRelevant int // index into number, -1 for none
	out          []byte
}

func (w *numberWriter) cur() byte {
	if w.np < len(w.number) {
		return w.number[w.np]
	}
	return 0 // C's terminator: writing it ends the output there
}

func (w *numberWriter) lastRelevantIsPoint() bool {
	return w.lastRelevant >= 0 && w.number[w.lastRelevant] == '.'
}

// predecSpace is IS_PREDEC_SPACE: the zero before the point of a number
// below one, which prints as a blank.
func (w *numberWriter) predecSpace() bool {
	return !w.t.has(numFlagZero) && w.np == 0 && w.number != "" && w.number[0] == '0' && w.t.post != 0
}

func (w *numberWriter) writeLocaleSign() {
	if w.sign == '-' {
		w.out = append(w.out, '-')
	} else {
		w.out = append(w.out, '+')
	}
}

// digit is NUM_numpart_to_char.
func (w *numberWriter) digit(id int) {
	t := w.t
	if t.has(numFlagRoman) {
		return
	}
	fm := t.has(numFlagFillMode)
	w.numIn = false
	if !w.signWrote &&
		(w.numCurr >= w.outPreSpaces || t.has(numFlagZero) && t.zeroStart == w.numCurr) &&
		(!w.predecSpace() || w.lastRelevantIsPoint()) {
		switch {
		case t.has(numFlagLSign):
			if t.lsign == lsignPre {
				w.writeLocaleSign()
				w.signWrote = true
			}
		case t.has(numFlagBracket):
			if w.sign == '+' {
				w.out = append(w.out, ' ')
			} else {
				w.out = append(w.out, '<')
			}
			w.signWrote = true
		case w.sign == '+':
			if !fm {
				w.out = append(w.out, ' ')
			}
			w.signWrote = true
		case w.sign == '-':
			w.out = append(w.out, '-')
			w.signWrote = true
		}
	}
	switch {
	case w.numCurr < w.outPreSpaces && (t.zeroStart > w.numCurr || !t.has(numFlagZero)):
		if !fm {
			w.out = append(w.out, ' ')
		}
	case t.has(numFlagZero) && w.numCurr < w.outPreSpaces && t.zeroStart <= w.numCurr:
		w.out = append(w.out, '0')
		w.numIn = true
	default:
		if w.cur() == '.' {
			if !w.lastRelevantIsPoint() || fm {
				w.out = append(w.out, '.')
			}
		} else {
			switch {
			case w.lastRelevant >= 0 && w.np > w.lastRelevant && id != num0:
			case w.predecSpace():
				if !fm {
					w.out = append(w.out, ' ')
				} else if w.lastRelevantIsPoint() {
					w.out = append(w.out, '0')
				}
			default:
				w.out = append(w.out, w.cur())
				w.numIn = true
			}
		}
		if w.np < len(w.number) {
			w.np++
		}
	}
	end := w.numCount
	if w.outPreSpaces > 0 {
		end++
	}
	if t.has(numFlagDecimal) {
		end++
	}
	if w.lastRelevant >= 0 && w.lastRelevant == w.np {
		end = w.numCurr
	}
	if w.numCurr+1 == end {
		switch {
		case w.signWrote && t.has(numFlagBracket):
			if w.sign == '+' {
				w.out = append(w.out, ' ')
			} else {
				w.out = append(w.out, '>')
			}
		case t.has(numFlagLSign) && t.lsign == lsignPost:
			w.writeLocaleSign()
		}
	}
	w.numCurr++
}

// lastRelevantDigit is get_last_relevant_decnum: the last non-zero digit
// after the point, or the point; -1 without a point.
func lastRelevantDigit(num string) int {
	p := strings.IndexByte(num, '.')
	if p < 0 {
		return -1
	}
	r := p
	for i := p + 1; i < len(num); i++ {
		if num[i] != '0' {
			r = i
		}
	}
	return r
}

// writeNumber is NUM_processor for to_char.
func writeNumber(t *numberTemplate, o numberOutput) (string, error) {
	if t.zeroStart > 0 {
		t.zeroStart--
	}
	if t.has(numFlagEEEE) {
		return o.digits, nil
	}
	w := &numberWriter{t: t, number: o.digits, lastRelevant: -1}
	if t.has(numFlagRoman) {
		t.lsign, t.preLsignNum, t.post, t.pre = 0, 0, 0, 0
		o.preSpaces, o.sign = 0, 0
		t.flag = t.flag&numFlagFillMode | numFlagRoman
	}
	w.sign = o.sign
	if t.has(numFlagPlus) || t.has(numFlagMinus) {
		w.signWrote = !(t.has(numFlagPlus) && !t.has(numFlagMinus))
	} else {
		if w.sign != '-' && t.has(numFlagFillMode) {
			t.flag &^= numFlagBracket
		}
		w.signWrote = w.sign == '+' && t.has(numFlagFillMode) && !t.has(numFlagLSign)
		if t.lsign == lsignPre && t.pre == t.preLsignNum {
			t.lsign = lsignPost
		}
	}
	w.numCount = t.post + t.pre - 1
	w.outPreSpaces = o.preSpaces
	if t.has(numFlagFillMode) && t.has(numFlagDecimal) {
		w.lastRelevant = lastRelevantDigit(w.number)
		// Digits asked for with 0 stay, within the number's length.
		if w.lastRelevant >= 0 && t.zeroEnd > w.outPreSpaces {
			lastZero := min(len(w.number)-1, t.zeroEnd-w.outPreSpaces)
			w.lastRelevant = max(w.lastRelevant, lastZero)
		}
	}
	if !w.signWrote && w.outPreSpaces == 0 {
		w.numCount++
	}
	fm := t.has(numFlagFillMode)
	for i := range t.nodes {
		n := &t.nodes[i]
		if n.kind != nodeAction {
			w.out = append(w.out, n.char...)
			continue
		}
		switch n.key.id {
		case num9, num0, numDec, numD:
			w.digit(n.key.id)
		case numComma, numG:
			switch {
			case w.numIn:
				w.out = append(w.out, ',')
			case !fm:
				w.out = append(w.out, ' ')
			}
		case numL:
			w.out = append(w.out, ' ')
		case numRN, numRNLower:
			s := w.number
			if n.key.id == numRNLower {
				s = strings.ToLower(s)
			}
			if !fm && len(s) < 15 {
				s = strings.Repeat(" ", 15-len(s)) + s
			}
			w.out = append(w.out, s...)
		case numTH, numTHLower:
			if t.has(numFlagRoman) || strings.HasPrefix(w.number, "#") || w.sign == '-' || t.has(numFlagDecimal) {
				continue
			}
			if w.number == "" || w.number[len(w.number)-1] < '0' || w.number[len(w.number)-1] > '9' {
				return "", pgerr.New(pgerr.InvalidTextRep, "\"%s\" is not a number", w.number)
			}
			w.out = append(w.out, ordinalSuffix(w.number, n.key.id == numTH)...)
		case numMI:
			switch {
			case w.sign == '-':
				w.out = append(w.out, '-')
			case !fm:
				w.out = append(w.out, ' ')
			}
		case numPL:
			switch {
			case w.sign == '+':
				w.out = append(w.out, '+')
			case !fm:
				w.out = append(w.out, ' ')
			}
		case numSG:
			w.out = append(w.out, w.sign)
		}
	}
	out := w.out
	if i := strings.IndexByte(string(out), 0); i >= 0 {
		out = out[:i]
	}
	return string(out), nil
}

// numberReader is the to_number half of NUMProc.
type numberReader struct {
	t                 *numberTemplate
	in                string
	p                 int
	number            []byte // the sign (or a space), then the digits read
	readPre, readPost int
	readDec           bool
}

func (r *numberReader) overload() bool { return r.p >= len(r.in) }

func isDigitByte(c byte) bool { return c >= '0' && c <= '9' }

// eatNonData is NUM_eat_non_data_chars.
func (r *numberReader) eatNonData(n int) {
	for ; n > 0; n-- {
		if r.overload() || strings.IndexByte("0123456789.,+-", r.in[r.p]) >= 0 {
			return
		}
		r.p += runeLen(r.in[r.p:])
	}
}

// digit is NUM_numpart_from_char.
func (r *numberReader) digit(id int) {
	t := r.t
	if r.overload() {
		return
	}
	if r.in[r.p] == ' ' {
		r.p++
	}
	if r.overload() {
		return
	}
	if r.number[0] == ' ' && (id == num0 || id == num9) && r.readPre+r.readPost == 0 {
		c := r.in[r.p]
		if t.has(numFlagLSign) && t.lsign == lsignPre {
			if c == '-' || c == '+' {
				r.p++
				r.number[0] = c
			}
		} else if c == '-' || t.has(numFlagBracket) && c == '<' {
			r.number[0] = '-'
			r.p++
		} else if c == '+' {
			r.number[0] = '+'
			r.p++
		}
	}
	if r.overload() {
		return
	}
	c := r.in[r.p]
	read := false
	switch {
	case isDigitByte(c):
		if r.readDec && r.readPost == t.post {
			return
		}
		r.number = append(r.number, c)
		if r.readDec {
			r.readPost++
		} else {
			r.readPre++
		}
		read = true
	case t.has(numFlagDecimal) && !r.readDec && c == '.':
		r.number = append(r.number, '.')
		r.readDec = true
		read = true
	}
	if r.overload() || r.number[0] != ' ' || r.readPre+r.readPost == 0 {
		return
	}
	// A sign after the last digit: a locale sign right after it, or, when
	// nothing was read here, the MI/PL/SG sign of a template whose sign
	// position is not exact (FM9.999999MI reads 5.01-).
	switch {
	case t.has(numFlagLSign) && read && r.p+1 < len(r.in) && !isDigitByte(r.in[r.p+1]):
		if s := r.in[r.p+1]; s == '-' || s == '+' {
			r.p++
			r.number[0] = s
		}
	case !read && !t.has(numFlagLSign) && (t.has(numFlagPlus) || t.has(numFlagMinus)):
		if c == '-' || c == '+' {
			r.number[0] = c
		}
	}
}

// readNumber is NUM_processor for to_number: the number's text for
// numeric input.
func readNumber(t *numberTemplate, in string) (string, error) {
	if t.has(numFlagEEEE) {
		return "", pgerr.New(pgerr.FeatureNotSupported, "\"EEEE\" not supported for input")
	}
	if t.has(numFlagRoman) {
		return "", pgerr.New(pgerr.FeatureNotSupported, "\"RN\" not supported for input")
	}
	r := &numberReader{t: t, in: in, number: []byte{' '}}
	fm := t.has(numFlagFillMode)
	for i := range t.nodes {
		if r.overload() {
			break
		}
		n := &t.nodes[i]
		if n.kind != nodeAction {
			r.p += runeLen(r.in[r.p:])
			continue
		}
		switch n.key.id {
		case num9, num0, numDec, numD:
			r.digit(n.key.id)
		case numComma, numG:
			if fm || r.in[r.p] != ',' {
				continue
			}
		case numL:
			r.eatNonData(1)
			continue
		case numTH, numTHLower:
			if !t.has(numFlagDecimal) {
				r.eatNonData(2)
			}
			continue
		case numMI, numPL, numSG:
			c := r.in[r.p]
			if c == '-' && n.key.id != numPL || c == '+' && n.key.id != numMI {
				r.number[0] = c
			} else {
				r.eatNonData(1)
				continue
			}
		default:
			continue
		}
		r.p++
	}
	s := string(r.number)
	return strings.TrimSuffix(s, "."), nil
}

// toNumber is to_number: the number read, held to the template's digits
// before the point and the digits read after it.
func toNumber(in, format string) (decimal.Decimal, bool, error) {
	if format == "" {
		return decimal.Decimal{}, false, nil
	}
	t, err := parseNumberTemplate(format)
	if err != nil {
		return decimal.Decimal{}, false, err
	}
	return readNumberValue(in, t)
}

// readNumberValue is to_number with a parsed template.
func readNumberValue(in string, t *numberTemplate) (decimal.Decimal, bool, error) {
	s, err := readNumber(t, in)
	if err != nil {
		return decimal.Decimal{}, false, err
	}
	scale := r2scale(s)
	precision := t.pre + t.multi + scale
	text := strings.TrimLeft(s, " ")
	d, perr := decimal.NewFromString(text)
	if perr != nil || text == "" || text == "-" || text == "+" {
		return decimal.Decimal{}, false, pgerr.New(pgerr.InvalidTextRep, "invalid input syntax for type numeric: \"%s\"", s)
	}
	d = d.Round(int32(scale))
	if wholeDigits(d) > precision-scale {
		e := pgerr.New(pgerr.NumericOutOfRange, "numeric field overflow")
		if precision-scale > 0 {
			e.Detail = "A field with precision " + strconv.Itoa(precision) + ", scale " + strconv.Itoa(scale) +
				" must round to an absolute value less than 10^" + strconv.Itoa(precision-scale) + "."
		} else {
			e.Detail = "A field with precision " + strconv.Itoa(precision) + ", scale " + strconv.Itoa(scale) +
				" must round to an absolute value less than 1."
		}
		return decimal.Decimal{}, false, e
	}
	if t.has(numFlagMulti) {
		// As PostgreSQL, multiply by power(10, -multi), whose 16 digits
		// after the point give the result's scale.
		p, err := numericPower(decimal.NewFromInt(10), decimal.NewFromInt(int64(-t.multi)))
		if err != nil {
			return decimal.Decimal{}, false, err
		}
		d = numericMul(d, p)
	}
	return d, true, nil
}

// r2scale is how many digits follow the point of a number's text.
func r2scale(s string) int {
	if i := strings.IndexByte(s, '.'); i >= 0 {
		return len(s) - i - 1
	}
	return 0
}

// wholeDigits is how many digits d has before its point (0 below one).
func wholeDigits(d decimal.Decimal) int {
	w := d.Abs().Truncate(0)
	if w.IsZero() {
		return 0
	}
	return len(w.String())
}

func init() {
	text := types.TText
	register([]funcSig{
		fn(text, templateImpl(decs, strs, parseNumberTemplate, numberFormatter(numericToChar)), types.TNumeric, text),
		fn(text, templateImpl(ints, strs, parseNumberTemplate, numberFormatter(func(v int64, t *numberTemplate) (numberOutput, error) { return integerToChar(v, t, 32) })), types.TInt4, text),
		fn(text, templateImpl(ints, strs, parseNumberTemplate, numberFormatter(func(v int64, t *numberTemplate) (numberOutput, error) { return integerToChar(v, t, 64) })), types.TInt8, text),
		fn(text, templateImpl(floats, strs, parseNumberTemplate, numberFormatter(func(f float64, t *numberTemplate) (numberOutput, error) { return floatToChar(f, t, true), nil })), types.TFloat4, text),
		fn(text, templateImpl(floats, strs, parseNumberTemplate, numberFormatter(func(f float64, t *numberTemplate) (numberOutput, error) { return floatToChar(f, t, false), nil })), types.TFloat8, text),
	}, "to_char")
	register([]funcSig{fn(types.TNumeric, templateImpl(strs, decs, parseNumberTemplate, func(in, format string, t *numberTemplate) (decimal.Decimal, bool, error) {
		if format == "" {
			return decimal.Decimal{}, false, nil
		}
		tc := *t
		return readNumberValue(in, &tc)
	}), text, text)}, "to_number")
}

// numberFormatter is to_char of a number type, given how the type's
// values become digits: an empty template gives an empty string. The
// writing changes the template's counts, so each row works on a copy.
func numberFormatter[V any](prepare func(V, *numberTemplate) (numberOutput, error)) func(V, string, *numberTemplate) (string, bool, error) {
	return func(v V, format string, parsed *numberTemplate) (string, bool, error) {
		if format == "" {
			return "", true, nil
		}
		t := *parsed
		o, err := prepare(v, &t)
		if err != nil {
			return "", false, err
		}
		s, err := writeNumber(&t, o)
		return s, err == nil, err
	}
}
