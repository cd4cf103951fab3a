package differential

// handWritten are queries written for cases the generator reaches
// rarely or not at all. Each runs in every run.
var handWritten = []struct {
	name    string
	sql     string
	ordered bool
}{
	{"every column", `SELECT * FROM {t1}`, false},
}
