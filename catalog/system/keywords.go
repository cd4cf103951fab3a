package system

// pg_get_keywords() lists the keywords of the parser Junction uses, with
// PostgreSQL's descriptions of their categories.

type keyword struct {
	word      string
	category  rune
	bareLabel bool
}

var keywordCategories = map[rune]string{
	'U': "unreserved",
	'C': "unreserved (cannot be function or type name)",
	'T': "reserved (can be function or type name)",
	'R': "reserved",
}

var pgGetKeywordsColumns = []column{
	{"word", tText, false},
	{"catcode", tChar, false},
	{"barelabel", tBool, false},
	{"catdesc", tText, false},
	{"baredesc", tText, false},
}

func fillKeywords(_ *env, out *rowSet) {
	for _, k := range keywords {
		bare := "requires AS"
		if k.bareLabel {
			bare = "can be bare label"
		}
		out.add("word", k.word, "catcode", k.category, "barelabel", k.bareLabel,
			"catdesc", keywordCategories[k.category], "baredesc", bare)
	}
}
