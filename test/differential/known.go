package differential

import "testing"

// knownFailures are minimised queries on which Junction's answer still
// differs from PostgreSQL's, with the reason. They are run and reported,
// never counted as passing; one that starts passing should move to the
// hand-written queries as a regression case.
var knownFailures = []struct {
	name   string
	sql    string
	reason string
}{}

func (e *env) checkKnownFailures(t *testing.T) {}
