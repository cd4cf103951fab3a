package clients

import (
	"bufio"
	"context"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"
)

// clientTimeout bounds one client program, JVM start included.
const clientTimeout = 3 * time.Minute

// pending names a feature a check needs that Junction does not have yet,
// and the error that shows it is missing. A check that fails with that
// error is skipped with the feature's name; any other failure fails.
type pending struct {
	feature string
	err     *regexp.Regexp
}

// runClient runs a client program and turns each line it prints into a
// subtest: "PASS name" passes, "FAIL name: message" fails (or skips, when
// the check is listed in pendings and the message shows that feature is
// missing). Lines of any other form are logged.
func runClient(t *testing.T, s *server, pendings map[string]pending, dir string, name string, args ...string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), clientTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Env = s.env()
	out, err := cmd.CombinedOutput()
	checks := 0
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		status, rest, _ := strings.Cut(line, " ")
		check, msg, _ := strings.Cut(rest, ": ")
		switch status {
		case "PASS":
			checks++
			t.Run(check, func(*testing.T) {})
		case "FAIL":
			checks++
			t.Run(check, func(t *testing.T) {
				if p, ok := pendings[check]; ok && p.err.MatchString(msg) {
					t.Skipf("needs %s, which Junction does not support yet: %.300s", p.feature, msg)
				}
				t.Error(msg)
			})
		default:
			t.Log(line)
		}
	}
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	if checks == 0 {
		t.Fatalf("%s %s ran no checks:\n%s", name, strings.Join(args, " "), out)
	}
}
