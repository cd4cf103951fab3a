package engine

import (
	"math"
	"strconv"
	"strings"
)

// integerLiterals finds the integer constants of a SQL text and returns
// the text with each replaced by a parameter ($1, $2, ...), their values,
// and whether each is an integer (int4) or a bigint (int8), as
// PostgreSQL types an integer literal by its size. ok is false for a text
// this scanner does not read with certainty - one with parameters or
// dollar quotes, escape strings, numbers other than plain integers - or
// without integer constants.
func integerLiterals(sql string) (normalized string, values []int64, bigint []bool, ok bool) {
	var b strings.Builder
	last := 0
	for i := 0; i < len(sql); {
		c := sql[i]
		switch {
		case c == '\'':
			if i > 0 && isIdentChar(sql[i-1]) {
				return "", nil, nil, false // E'...', U&'...', B'...' and friends
			}
			end, ok := skipQuoted(sql, i, '\'')
			if !ok {
				return "", nil, nil, false
			}
			i = end
		case c == '"':
			end, ok := skipQuoted(sql, i, '"')
			if !ok {
				return "", nil, nil, false
			}
			i = end
		case c == '$' || c == '\\':
			return "", nil, nil, false
		case c == '-' && i+1 < len(sql) && sql[i+1] == '-':
			nl := strings.IndexByte(sql[i:], '\n')
			if nl < 0 {
				i = len(sql)
			} else {
				i += nl + 1
			}
		case c == '/' && i+1 < len(sql) && sql[i+1] == '*':
			end, ok := skipComment(sql, i)
			if !ok {
				return "", nil, nil, false
			}
			i = end
		case c == '.' && i+1 < len(sql) && isDigit(sql[i+1]):
			return "", nil, nil, false // .5
		case isDigit(c):
			j := i
			for j < len(sql) && isDigit(sql[j]) {
				j++
			}
			if j < len(sql) && (sql[j] == '.' || isIdentChar(sql[j])) {
				return "", nil, nil, false // 1.5, 1e3, 0x1f, 1_000, junk
			}
			v, err := strconv.ParseInt(sql[i:j], 10, 64)
			if err != nil {
				return "", nil, nil, false // a numeric
			}
			values = append(values, v)
			bigint = append(bigint, v > math.MaxInt32)
			b.WriteString(sql[last:i])
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(len(values)))
			last, i = j, j
		case isIdentChar(c):
			for i < len(sql) && isIdentChar(sql[i]) {
				i++
			}
		default:
			i++
		}
	}
	if len(values) == 0 {
		return "", nil, nil, false
	}
	b.WriteString(sql[last:])
	return b.String(), values, bigint, true
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// isIdentChar reports whether c may continue an identifier or keyword;
// bytes of multi-byte characters count, as in PostgreSQL's scanner.
func isIdentChar(c byte) bool {
	return c == '_' || c == '$' || isDigit(c) || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

// skipQuoted returns the index after the quoted text starting at i, where
// a doubled quote stands for itself.
func skipQuoted(sql string, i int, quote byte) (int, bool) {
	for j := i + 1; j < len(sql); j++ {
		if sql[j] != quote {
			continue
		}
		if j+1 < len(sql) && sql[j+1] == quote {
			j++
			continue
		}
		return j + 1, true
	}
	return 0, false
}

// skipComment returns the index after the (possibly nested) block comment
// starting at i.
func skipComment(sql string, i int) (int, bool) {
	depth := 0
	for j := i; j+1 < len(sql); j++ {
		switch {
		case sql[j] == '/' && sql[j+1] == '*':
			depth++
			j++
		case sql[j] == '*' && sql[j+1] == '/':
			depth--
			j++
			if depth == 0 {
				return j + 1, true
			}
		}
	}
	return 0, false
}
