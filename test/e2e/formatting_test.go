package e2e

import "testing"

// TestFormattingFunctions runs to_char, to_timestamp, to_number and the
// make_* functions over the demo's SQLite data, which Junction computes
// itself, and checks the settings they depend on.
func TestFormattingFunctions(t *testing.T) {
	srv := startDemo(t)
	conn := srv.Connect(t)

	for _, c := range []struct{ sql, want string }{
		{`SELECT count(*) FROM demo_shop.orders WHERE to_timestamp(to_char(created_at, 'YYYY-MM-DD HH24:MI:SS.US'), 'YYYY-MM-DD HH24:MI:SS.US') <> created_at`, "0"},
		{`SELECT count(*) FROM demo_shop.orders WHERE to_number(to_char(amount, 'FM9G999G990D00'), '9G999G999D99') <> amount`, "0"},
		{`SELECT to_char(-1234.5, 'L9G999D99S')`, " 1,234.50-"},
		{`SELECT to_char(timestamp '2024-02-29 13:05:09', 'FMDay, DDth FMMonth YYYY HH12:MI AM')`, "Thursday, 29th February 2024 01:05 PM"},
		{`SELECT make_interval(days => 10, hours => 2)`, "10 days 02:00:00"},
		{`SELECT date_bin(interval '15 minutes', timestamp '2020-02-11 15:44:17', timestamp '2001-01-01')`, "2020-02-11 15:30:00"},
		{`SHOW lc_numeric`, "C"},
	} {
		if got := queryValue(t, conn, c.sql); got != c.want {
			t.Errorf("%s = %q, want %q", c.sql, got, c.want)
		}
	}
	// Junction formats in the C locale only; another locale is refused
	// rather than ignored.
	expectError(t, conn, `SET lc_monetary = 'de_DE.UTF-8'`, "0A000")
	expectError(t, conn, `SELECT to_timestamp('2011-13-01', 'YYYY-MM-DD')`, "22008")
	expectError(t, conn, `SELECT to_char(1.5, '9.9.9')`, "42601")
	if got := queryValue(t, conn, `SELECT to_char(1.5, '9D9')`); got != " 1.5" {
		t.Errorf("after the errors to_char(1.5, '9D9') = %q", got)
	}
}
