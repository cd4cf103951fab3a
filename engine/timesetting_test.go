package engine

import "testing"

func TestTimeSettingsReadAndShowAsPostgreSQL(t *testing.T) {
	for in, want := range map[string]string{
		"0": "0", "500": "500ms", "1.5s": "1500ms", "90s": "90s", "60000": "1min", "2h": "2h", "1d": "1d",
		"500 ms": "500ms", "1500us": "2ms", "10us": "0", "3.7": "4ms", " 30 s ": "30s", "2147483647": "2147483647ms",
	} {
		ms, err := parseTimeSetting(statementTimeout, in)
		if err != nil {
			t.Errorf("%q: %v", in, err)
			continue
		}
		if got := formatTimeSetting(ms); got != want {
			t.Errorf("%q shows as %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{
		"soon":       `invalid value for parameter "statement_timeout": "soon"`,
		"":           `invalid value for parameter "statement_timeout": ""`,
		"5 sec":      `invalid value for parameter "statement_timeout": "5 sec"`,
		"-1":         `-1 ms is outside the valid range for parameter "statement_timeout" (0 .. 2147483647)`,
		"2147483648": `2147483648 ms is outside the valid range for parameter "statement_timeout" (0 .. 2147483647)`,
	} {
		_, err := parseTimeSetting(statementTimeout, in)
		if err == nil || err.Error() != want {
			t.Errorf("%q: got %v, want %s", in, err, want)
		}
	}
}
