package functions

import (
	"strings"

	"golang.org/x/text/unicode/norm"

	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/types"
)

// normalize(string [, form]) and string IS [form] NORMALIZED, over the
// Unicode normalization forms NFC (the default), NFD, NFKC and NFKD.

func normForm(name string) (norm.Form, error) {
	switch strings.ToUpper(name) {
	case "NFC":
		return norm.NFC, nil
	case "NFD":
		return norm.NFD, nil
	case "NFKC":
		return norm.NFKC, nil
	case "NFKD":
		return norm.NFKD, nil
	}
	return 0, pgerr.New(invalidParameterValue, "invalid normalization form: %s", name)
}

func normalizeText(s, form string) (string, error) {
	f, err := normForm(form)
	if err != nil {
		return "", err
	}
	return f.String(s), nil
}

func isNormalized(s, form string) (bool, error) {
	f, err := normForm(form)
	if err != nil {
		return false, err
	}
	return f.IsNormalString(s), nil
}

func init() {
	text := types.TText
	register([]funcSig{
		fn(text, strict1(strs, strs, func(s string) (string, error) { return normalizeText(s, "NFC") }), text),
		fn(text, strict2(strs, strs, strs, normalizeText), text, text),
	}, "normalize")
	register([]funcSig{
		fn(types.TBool, strict1(strs, bools, func(s string) (bool, error) { return isNormalized(s, "NFC") }), text),
		fn(types.TBool, strict2(strs, strs, bools, isNormalized), text, text),
	}, "is_normalized")
}
