package types

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/junction-db/junction/pgerr"
)

// pgSettings are the session settings Junction's text I/O implements.
var pgSettings = map[string]string{
	"TimeZone":           "UTC",
	"DateStyle":          "ISO, MDY",
	"IntervalStyle":      "postgres",
	"extra_float_digits": "1",
}

// connectPostgres opens a connection to a fresh, uniquely named database on
// the local PostgreSQL server and drops it when the test ends.
func connectPostgres(t *testing.T) *pgx.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	admin, err := pgx.Connect(ctx, "postgres://root@127.0.0.1:5432/test?sslmode=disable")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("PostgreSQL at 127.0.0.1:5432 is required in CI: %v", err)
		}
		t.Skipf("PostgreSQL at 127.0.0.1:5432 is not reachable (%v); skipping the comparison with PostgreSQL", err)
	}
	name := fmt.Sprintf("junction_types_%d_%d", os.Getpid(), time.Now().UnixNano())
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		admin.Close(ctx)
		t.Fatalf("create database: %v", err)
	}
	cfg, err := pgx.ParseConfig("postgres://root@127.0.0.1:5432/" + name + "?sslmode=disable")
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range pgSettings {
		cfg.RuntimeParams[k] = v
	}
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		t.Fatalf("connect to %s: %v", name, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		conn.Close(ctx)
		if _, err := admin.Exec(ctx, "DROP DATABASE IF EXISTS "+name); err != nil {
			t.Errorf("drop database %s: %v", name, err)
		}
		admin.Close(ctx)
	})
	return conn
}

// pgCases are inputs whose text round trip must match PostgreSQL's exactly,
// including the SQLSTATE of the inputs PostgreSQL rejects.
var pgCases = []struct {
	typ    string
	inputs []string
	// query overrides "SELECT $1::text::<typ>::text" where a cast is not
	// the input function: explicit casts to varchar(n) truncate, and a
	// cast of char(n) to text drops the padding.
	query string
}{
	{"boolean", []string{"t", "true", " TRUE ", "yes", "y", "on", "1", "f", "False", "no", "off", "of", "0", "o", "tru e", "", "2"},
		"SELECT boolout($1::text::boolean)::text"},
	{"smallint", []string{"0", "-32768", "32767", "32768", " +12 ", "1.5", "", "abc", "- 1"}, ""},
	{"integer", []string{"42", "-2147483648", "2147483647", "2147483648", "-2147483649", "99999999999999999999", " 7", "0x1F", "1e3"}, ""},
	{"bigint", []string{"9223372036854775807", "-9223372036854775808", "9223372036854775808", "-0", "00012"}, ""},
	{"oid", []string{"0", "4294967295", "4294967296", "-1", "-2147483648", "-2147483649", "x"}, ""},
	{"double precision", []string{
		"0", "-0", "1", "1.5", "0.1", "100000000000000", "1e15", "1e16", "100000000000000000000",
		"123456789012345680", "0.0001", "0.00001", "1e-05", "3.141592653589793", "2.718281828459045e-10",
		"1.7976931348623157e308", "1e309", "-1e309", "4.9e-324", "1e-320", "1e-400", "NaN", "nan", "-NaN",
		"Infinity", "-Infinity", "inf", "-inf", " 2.5 ", "1.", ".5", "5e", "abc", "", "1e+02", "12345678.9",
	}, ""},
	{"real", []string{
		"0", "1.1", "3.4e38", "3.5e38", "1e-45", "1e-50", "123456", "1234567", "0.0001", "0.00001",
		"16777217", "NaN", "-Infinity", "3.14159265", "1e-10",
	}, ""},
	{"numeric", []string{
		"0", "12.50", "-0.00", "1.", ".5", "+.5", "1.5e3", "1.50e-3", "1e-5", "007.250", " 12 ",
		"123456789012345678901234567890.123456789", "-1e20", "1E+2", "1 e3", "abc", "", ".", "1e", "1.2.3",
		"1e131071", "1e131072", "1e-16383", "1e-16384",
	}, ""},
	{"numeric(5,2)", []string{"12.5", "99.994", "99.995", "-99.995", "999.99", "1000", "0.001", "-0.005", "1e2"}, ""},
	{"numeric(3,0)", []string{"2.5", "-2.5", "999.4", "999.5"}, ""},
	{"numeric(4,4)", []string{"0.12345", "0.99995", "1"}, ""},
	{"text", []string{"hello", "", " spaced ", "it's", `back\slash`, "ünïcödé"}, ""},
	{"character varying(3)", []string{"ab", "abc", "abcd", "abc   ", "ab d", "äöü", "äöüß"},
		"SELECT varcharin($1::text::cstring, 0, 7)::text"},
	{"character(4)", []string{"ab", "abcd", "abcde", "abcd  ", "äb"},
		"SELECT bpcharout(bpcharin($1::text::cstring, 0, 8))::text"},
	{"bytea", []string{`\x`, `\x4a4b`, `\x4A 4b`, `\x4a4`, `\x4g`, `\x4 a`, "abc", `a\\b`, `\001\377`, `a\`, `a\9`, `\x 0a`}, ""},
	{"uuid", []string{
		"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11",
		"{a0eebc99-9c0b4ef8-bb6d6bb9-bd380a11}", "a0eebc999c0b4ef8bb6d6bb9bd380a11",
		"a0ee-bc99-9c0b-4ef8-bb6d-6bb9-bd38-0a11", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1", " a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
		"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}", "g0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
	}, ""},
	{"json", []string{`{"b":1, "a":2}`, `[1, 2.50, "x"]`, ` null `, `{"a":}`, `1 2`, `"\u00e9"`}, ""},
	{"jsonb", []string{
		`{"b":1, "a":2}`, `{"aa":1, "b":2, "a":3}`, `{"a":1, "a":2}`, `[1, 2.50, 1e2, -0, 1E-2]`, `"x\u00e9\n\t\u0001"`,
		`{"nested": {"z": [true, false, null], "y": {}}, "e": []}`, `{"a":}`, `"\u0000"`, `  3  `, `"a\/b"`,
	}, ""},
	{"date", []string{
		"2024-01-01", " 2024-01-01 ", "2024-1-2", "2024-01-01 10:00", "2024-01-01 10:00+05", "2024-02-29", "2023-02-29",
		"2024-13-01", "0001-01-01", "0001-01-01 BC", "4714-11-24 BC", "4714-11-23 BC", "5874897-12-31", "5874898-01-01",
		"10000-01-01", "0099-06-01", "01/02/2024", "13/01/2024", "01/02/69", "01/02/70", "99-01-08", "20240102", "990108",
		"Jan 8 1999", "8 January 1999", "1999-Jan-08", "January 8, 1999 BC", "2024.01.02", "epoch", "2024-01-01T10:00:00Z",
		"0000-01-01", "foo", "", "2024-01", "2024-01-01 foo", "1999-01-08 AD", "2024-00-10", "2024-01-32",
	}, ""},
	{"time without time zone", []string{
		"10:00", "10:00:00", "23:59:59.999999", "23:59:59.9999995", "24:00:00", "24:00:01", "25:00", "10:60",
		"10:00:00.5+02", "2024-01-01 10:20:30", "allballs", "10:00 PM", "12:30 AM", "12:30 PM", "13:00 PM",
		"10", "2024-01-01", "1:2:3", "10:00.5", "04:05:06.789 -8:00", "101112", "1011", "0:30 AM", "12:00 PM",
		"12:00 AM", "T10:20", "epoch", "allballs 10:00", "10:00 foo",
	}, ""},
	{"timestamp without time zone", []string{
		"2024-01-01 10:00:00", "2024-01-01T10:00:00", "2024-01-01 10:00:00.123456", "2024-01-01 10:00:00.1234565",
		"2024-01-01 10:00:00.1234575", "2024-01-01 10:00:00.0000005", "2024-01-01 10:00:00.0000015",
		"2024-01-01 10:00:00.999999999", "2024-01-01", "2024-01-01 24:00", "2024-01-01 23:59:60", "2024-01-01 25:00",
		"2024-01-01 10:00:00+05", "2024-01-01 10:00 Europe/Paris", "2024-01-01 1000", "2024-01-01 103015",
		"2024-01-01 10", "0001-01-01 00:00:00 BC", "4714-11-24 00:00:00 BC", "4714-11-23 23:59:59 BC",
		"294246-12-31 23:59:59", "epoch", "2024-01-01 10:00 PM", "Jan 8 1999 04:05:06", "20240101T103000",
		"2024-01-01 10:00:00 Z", "2024-01-01 foo", "1999-01-08 04:05:06 -8:00", "",
	}, ""},
	{"timestamp with time zone", []string{
		"2024-01-01 10:00:00", "2024-01-01 10:00:00+00", "2024-01-01T10:00:00.1234567Z", "2024-01-01 10:00:00+05:30",
		"2024-01-01 10:00:00-0800", "2024-01-01 10:00:00 +5", "2024-01-01 10:00:00 +05:30:15", "2024-01-01 10:00 +16",
		"2024-01-01 10:00 +15:59", "2024-01-01 10:00 Europe/Paris", "2024-07-01 10:00 Europe/Paris",
		"2024-01-01 10:00 america/new_york", "2024-07-01 10:00 America/New_York", "2024-01-01 10:00 EST",
		"2024-07-01 10:00 PDT", "2024-01-01 10:00 UTC", "2024-01-01 10:00 GMT", "2024-01-01 10:00 CET",
		"2024-01-01 10:00 JST", "2024-01-01 10:00 Mars/Olympus", "0001-01-01 00:00:00+00 BC",
		"4714-11-24 00:00:00+00 BC", "4714-11-24 00:00:00+01 BC", "2024-03-31 02:30 Europe/Paris", "epoch",
		"2024-01-01 10:00 +05 +06", "2024-01-01 10:00:00.5 +01", "epoch 10:00", "10:00 epoch", "epoch 2024-01-01", "now 10:30", "2024-01-01 allballs", "2024-06-30T23:59:59.999999-12:00",
		"Jan 8 1999 10:00 PM PST", "1999-01-08 04:05:06 America/Los_Angeles", "2024-01-01 10:00 WEST", "2024-01-01 10:00 WET", "2024-01-01 10:00 BST",
		"2024-01-01 10:00 AEST", "2024-01-01 10:00 NZDT", "2024-01-01 10:00 AKST", "2024-01-01 10:00 HST", "2024-01-01 10:00 EEST",
	}, ""},
	{"interval", []string{
		"1 day", "2 days", "-1 days", "1 year 2 mons 3 days 04:05:06", "-1 year -2 mons +3 days -04:05:06",
		"1.5 years", "1.5 months", "1.5 weeks", "1.5 days", "1.5 hours", "-1 days +02:03:04", "3 days 04:05:06.5",
		"@ 1 day ago", "1 day ago", "-1 day ago", "2", "1 day 2", "10:00", "1:2", "100 hours", "1 day 02:03",
		"02:03:04.123456789", "-02:03", "1.5", "1 mon -1 day", "1 day -1 mon", "0.1 sec", "1 millisecond",
		"1 microsecond", "1 decade", "1 century", "1 millennium", "1 d 2 h 3 m 4 s", "1 yr 2 mon 3 hr 4 min 5 sec 6 ms 7 us",
		"1 week 1 day", "1 day 2 days", "1 week 2 weeks", "1 hour 30 minutes 10:00", "1 hour 60 minutes",
		"1 day 25:00", "1 ms 1 us", "1 s 1 ms", "1.5 seconds 2 ms", "2147483647 days", "-2147483648 days",
		"2147483648 days", "178956970 years 7 mons", "178956971 years", "  1 day  ", "1day", "1 DAY", "+1 day",
		"- 1 day", "1 day 1 mon ago", "1:2:3.5 ago", "1.123456789 sec", "0.5 us", "1.5 us", "2.5 us",
		"1 hour 2 minutes -3 seconds", "-1:00:00.5", "1:2:3:4", "", "ago", "1-2", "-1-2", "1-12", "0", "0 days",
		"P1Y2M3DT4H5M6.5S", "PT1.5H", "P1.5Y", "P0001-02-03T04:05:06", "P1W", "P-1D", "P1DT-1H", "-P1D",
		"P00010203T040506", "P1Y-2M", "PT", "P", "p1d", "1 microseconds", "1 millisecondsxyz", "1 quarter",
		"10:00 1.5 weeks", "1.5 weeks 10:00", "9223372036854775807 us", "9223372036854775808 us",
		"2562047788 hours", "2562047789 hours", "-2562047788:00:54.775808", "1 day 1e3",
	}, ""},
}

func TestTextMatchesPostgres(t *testing.T) {
	conn := connectPostgres(t)
	ctx := context.Background()
	for _, c := range pgCases {
		typ, ok := typeFromSQL(c.typ)
		if !ok {
			t.Fatalf("test type %q unknown", c.typ)
		}
		for _, in := range c.inputs {
			var want string
			var wantCode, wantMessage string
			query := c.query
			if query == "" {
				query = "SELECT $1::text::" + c.typ + "::text"
			}
			err := conn.QueryRow(ctx, query, in).Scan(&want)
			if err != nil {
				var pe *pgconn.PgError
				if !errors.As(err, &pe) {
					t.Fatalf("%s %q: %v", c.typ, in, err)
				}
				wantCode, wantMessage = pe.Code, pe.Message
			}
			d, gotErr := ParseText(typ, in)
			switch {
			case wantCode != "" && gotErr == nil:
				t.Errorf("%s %q: PostgreSQL rejects it (%s), Junction reads %q", c.typ, in, wantCode, FormatText(typ, d))
			case wantCode != "" && pgerr.Code(gotErr) != wantCode:
				t.Errorf("%s %q: PostgreSQL rejects it with %s, Junction with %s (%v)", c.typ, in, wantCode, pgerr.Code(gotErr), gotErr)
			case wantCode != "" && gotErr.Error() != wantMessage:
				t.Errorf("%s %q: PostgreSQL says %q, Junction %q", c.typ, in, wantMessage, gotErr.Error())
			case wantCode == "" && gotErr != nil:
				t.Errorf("%s %q: PostgreSQL reads %q, Junction fails: %v", c.typ, in, want, gotErr)
			case wantCode == "":
				if got := FormatText(typ, d); got != want {
					t.Errorf("%s %q: PostgreSQL prints %q, Junction %q", c.typ, in, want, got)
				}
			}
		}
	}
}

// typeFromSQL resolves the type spellings used in pgCases.
func typeFromSQL(s string) (Type, bool) {
	var n1, n2 int32
	if _, err := fmt.Sscanf(s, "numeric(%d,%d)", &n1, &n2); err == nil {
		return Type{Kind: Numeric, Precision: n1, Scale: n2}, true
	}
	if _, err := fmt.Sscanf(s, "character varying(%d)", &n1); err == nil {
		return Type{Kind: Varchar, Length: n1}, true
	}
	if _, err := fmt.Sscanf(s, "character(%d)", &n1); err == nil {
		return Type{Kind: Bpchar, Length: n1}, true
	}
	return ByName(s)
}

// TestFormatMatchesPostgres prints random values of the types whose output
// is computed (floats, intervals, dates, timestamps) and compares each with
// PostgreSQL's output for the same value.
func TestFormatMatchesPostgres(t *testing.T) {
	conn := connectPostgres(t)
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(1, 2))

	compare := func(name, query string, arg any, n int, format func(i int) string) {
		t.Helper()
		rows, err := conn.Query(ctx, query, arg)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		want, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(want) != n {
			t.Fatalf("%s: PostgreSQL returned %d rows for %d values", name, len(want), n)
		}
		for i := range want {
			if got := format(i); got != want[i] {
				t.Errorf("%s #%d: PostgreSQL prints %q, Junction %q", name, i, want[i], got)
			}
		}
	}
	const ordered = " WITH ORDINALITY AS u(v, i) ORDER BY i"

	floats := []float64{1e15, 1e16, 999999999999999, 1e-4, 1e-5, 0.1, 1.0 / 3, math.MaxFloat64, math.SmallestNonzeroFloat64, -2.5e-300}
	for range 2000 {
		f := math.Float64frombits(rng.Uint64())
		if math.IsNaN(f) {
			continue
		}
		floats = append(floats, f)
	}
	for range 500 {
		floats = append(floats, float64(rng.IntN(2_000_000)-1_000_000)/math.Pow10(rng.IntN(12)))
	}
	// Large integers and short dyadic fractions are where a shortest
	// decimal can fall exactly halfway between two floats.
	for range 2000 {
		floats = append(floats, float64(rng.Int64N(1<<60)+1<<53), float64(rng.Int64N(1<<40))/float64(int64(1)<<rng.IntN(30)))
	}
	compare("float8", "SELECT v::text FROM unnest($1::float8[])"+ordered, floats, len(floats),
		func(i int) string { return FormatText(TFloat8, FloatDatum(floats[i])) })

	var reals []float32
	for range 1000 {
		f := math.Float32frombits(rng.Uint32())
		if f != f {
			continue
		}
		reals = append(reals, f)
	}
	for range 2000 {
		reals = append(reals, float32(rng.Int64N(1<<31)+1<<24), float32(rng.Int64N(1<<20))/float32(int64(1)<<rng.IntN(20)))
	}
	reals = append(reals, 1e6, 999999, 1e-4, 1e-5, 16777216, -69383776)
	compare("float4", "SELECT v::text FROM unnest($1::float4[])"+ordered, reals, len(reals),
		func(i int) string { return FormatText(TFloat4, FloatDatum(float64(reals[i]))) })

	var intervals []pgtype.Interval
	pick := func(limit int64) int64 {
		switch rng.IntN(3) {
		case 0:
			return 0
		case 1:
			return rng.Int64N(2*limit+1) - limit
		}
		return rng.Int64N(21) - 10
	}
	for range 2000 {
		intervals = append(intervals, pgtype.Interval{
			Months:       int32(pick(math.MaxInt32)),
			Days:         int32(pick(math.MaxInt32)),
			Microseconds: pick(math.MaxInt64/2) / []int64{1, 1_000_000, 3_600_000_000}[rng.IntN(3)],
			Valid:        true,
		})
	}
	intervals = append(intervals, pgtype.Interval{Valid: true}, pgtype.Interval{Microseconds: math.MinInt64, Valid: true},
		pgtype.Interval{Microseconds: math.MaxInt64, Months: -1, Days: 1, Valid: true})
	compare("interval", "SELECT v::text FROM unnest($1::interval[])"+ordered, intervals, len(intervals),
		func(i int) string {
			iv := intervals[i]
			return FormatText(TInterval, Datum{Iv: IntervalValue{Months: iv.Months, Days: iv.Days, Micros: iv.Microseconds}})
		})

	var days []int64
	for range 1000 {
		days = append(days, minDateDays+rng.Int64N(endDateDays-minDateDays))
	}
	days = append(days, minDateDays, endDateDays-1, 0, -1, DateToDays(0, 12, 31), DateToDays(1, 1, 1))
	compare("date", "SELECT ('epoch'::date + v::int)::text FROM unnest($1::bigint[])"+ordered, days, len(days),
		func(i int) string { return FormatText(TDate, IntDatum(days[i])) })

	var stamps []int64
	for range 1000 {
		lo := int64(minTimestamp)
		us := int64(uint64(lo) + rng.Uint64N(uint64(endTimestamp)+uint64(-lo)))
		if rng.IntN(2) == 0 {
			us -= us % MicrosPerSecond
		}
		stamps = append(stamps, us)
	}
	stamps = append(stamps, minTimestamp, endTimestamp-1, 0, -1, 1)
	const stampSQL = "'epoch'::timestamp + (v / 86400000000) * interval '1 day' + (v % 86400000000) * interval '1 microsecond'"
	compare("timestamp", "SELECT ("+stampSQL+")::text FROM unnest($1::bigint[])"+ordered, stamps, len(stamps),
		func(i int) string { return FormatText(TTimestamp, IntDatum(stamps[i])) })
	compare("timestamptz", "SELECT (("+stampSQL+") AT TIME ZONE 'UTC')::text FROM unnest($1::bigint[])"+ordered, stamps, len(stamps),
		func(i int) string { return FormatText(TTimestampTZ, IntDatum(stamps[i])) })

	var clocks []int64
	for range 500 {
		clocks = append(clocks, rng.Int64N(MicrosPerDay+1))
	}
	compare("time", "SELECT ('00:00'::time + v * interval '1 microsecond')::text FROM unnest($1::bigint[])"+ordered, clocks, len(clocks),
		func(i int) string {
			if clocks[i] == MicrosPerDay {
				return "00:00:00" // time + interval wraps at midnight
			}
			return FormatText(TTime, IntDatum(clocks[i]))
		})
}

// TestLiteralReadsBackInPostgres checks that each literal Literal writes is
// read by PostgreSQL as the same type and value.
func TestLiteralReadsBackInPostgres(t *testing.T) {
	conn := connectPostgres(t)
	ctx := context.Background()
	values := []struct {
		t  Type
		in string
	}{
		{TInt2, "-5"}, {TInt4, "-2147483648"}, {TInt4, "7"}, {TInt8, "5"}, {TInt8, "-9223372036854775808"},
		{TNumeric, "1.50"}, {TNumeric, "-15"}, {TNumeric, "0"}, {Type{Kind: Numeric, Precision: 6, Scale: 2}, "12.5"},
		{TFloat8, "1.5"}, {TFloat8, "-Infinity"}, {TFloat8, "1e+20"}, {TFloat4, "0.1"},
		{TText, "it's"}, {TText, `a\b`}, {Type{Kind: Varchar, Length: 4}, "ab"}, {Type{Kind: Bpchar, Length: 3}, "a"},
		{TBool, "t"}, {TBool, "f"}, {TBytea, `\x00ff`}, {TUUID, "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"},
		{TJSON, `{"a": 1}`}, {TJSONB, `{"a": [1, 2]}`}, {TDate, "2024-02-29"}, {TDate, "0044-03-15 BC"},
		{TTime, "10:20:30.5"}, {TTimestamp, "2024-01-01 10:00:00.25"}, {TTimestampTZ, "2024-01-01 10:00:00+00"},
		{TInterval, "-1 years +2 days -03:00:00"}, {TOID, "4294967295"}, {TName, "pg_class"}, {TChar, "r"},
	}
	for _, v := range values {
		d, err := ParseText(v.t, v.in)
		if err != nil {
			t.Fatalf("%s %q: %v", v.t, v.in, err)
		}
		lit := Literal(v.t, d)
		var gotType, gotText string
		query := "SELECT format_type(pg_typeof(" + lit + "), NULL), (" + lit + ")::text"
		if v.t.Kind == Bpchar {
			query = "SELECT format_type(pg_typeof(" + lit + "), NULL), bpcharout(" + lit + ")::text"
		}
		if err := conn.QueryRow(ctx, query).Scan(&gotType, &gotText); err != nil {
			t.Errorf("literal %s: %v", lit, err)
			continue
		}
		want := FormatText(v.t, d)
		if v.t.Kind == Bool {
			want = map[bool]string{true: "true", false: "false"}[d.Bool]
		}
		wantType := v.t.BaseName()
		if v.t.Kind == Text {
			wantType = "unknown" // a bare string constant, which context resolves to text
		}
		if gotType != wantType || gotText != want {
			t.Errorf("literal %s reads back as %s %q, want %s %q", lit, gotType, gotText, wantType, want)
		}
	}
}
