package functions

import (
	"errors"
	"regexp"
	"regexp/syntax"
)

// compileRegex compiles the pattern of the ~ operators.
func compileRegex(pattern string, fold bool) (*regexp.Regexp, error) {
	r, err := compilePGRegex(pattern, regexOptions{fold: fold})
	if err != nil {
		return nil, err
	}
	return r.re, nil
}

func regexErrorText(err error) string {
	var se *syntax.Error
	if errors.As(err, &se) {
		return se.Code.String() + ": " + se.Expr
	}
	return err.Error()
}
