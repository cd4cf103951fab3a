package wire

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
	psqlerr "github.com/jeroenrinzema/psql-wire/errors"
	"github.com/junction-db/junction/pgerr"
	"github.com/junction-db/junction/types"
	"github.com/junction-db/junction/vector"
	"github.com/shopspring/decimal"
)

func mustParse(t *testing.T, typ types.Type, text string) types.Datum {
	t.Helper()
	d, err := types.ParseText(typ, text)
	if err != nil {
		t.Fatalf("parse %s %q: %v", typ, text, err)
	}
	return d
}

// binaryCases are values whose binary form the tests check against pgx's
// reading of their text form.
var binaryCases = []struct {
	typ  types.Type
	text string
}{
	{types.TBool, "t"},
	{types.TBool, "f"},
	{types.TInt2, "-32768"},
	{types.TInt4, "2147483647"},
	{types.TInt8, "-9223372036854775808"},
	{types.TOID, "4294967295"},
	{types.TFloat4, "1.5"},
	{types.TFloat8, "-0.000123456789"},
	{types.TFloat8, "NaN"},
	{types.TFloat8, "-Infinity"},
	{types.TFloat4, "NaN"},
	{types.TNumeric, "12.50"},
	{types.TNumeric, "-0.001"},
	{types.TNumeric, "123456789012345678901234567890.123"},
	{types.TNumeric, "0"},
	{types.TNumeric, "0.00"},
	{types.TNumeric, "10000"},
	{types.TNumeric, "0.00001"},
	{types.TNumeric, "-12345.678"},
	{types.TNumeric, "100000000.00010000"},
	{types.TNumeric, "NaN"},
	{types.TNumeric, "Infinity"},
	{types.TNumeric, "-Infinity"},
	{types.TText, "héllo, wörld"},
	{types.TText, ""},
	{types.TVarchar, "varchar"},
	{types.TName, "pg_class"},
	{types.TChar, "a"},
	{types.Type{Kind: types.Bpchar, Length: 5}, "ab"},
	{types.TBytea, `\x00ff10`},
	{types.TBytea, `\x`},
	{types.TDate, "2024-02-29"},
	{types.TDate, "1999-12-31"},
	{types.TTime, "23:59:59.999999"},
	{types.TTimestamp, "2024-02-29 12:34:56.123456"},
	{types.TTimestamp, "1970-01-01 00:00:00"},
	{types.TTimestampTZ, "2001-09-09 01:46:40+00"},
	{types.TInterval, "1 year 2 mons 3 days 04:05:06.5"},
	{types.TInterval, "-1 days -00:00:01"},
	{types.TJSON, `{"a": [1, 2]}`},
	{types.TJSONB, `{"a": [1, 2]}`},
	{types.TUUID, "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"},
	{types.Type{Kind: types.TextArray}, `{a,"b c",NULL}`},
	{types.Type{Kind: types.OIDArray}, `{1,2,3}`},
}

// TestBinaryMatchesText checks that pgx reads the same value from the
// binary form Junction writes as from its text form.
func TestBinaryMatchesText(t *testing.T) {
	m := pgtype.NewMap()
	c := &conn{}
	for _, tc := range binaryCases {
		d := mustParse(t, tc.typ, tc.text)
		vec := vector.New(tc.typ, 1)
		vec.AppendDatum(d)
		enc := columnEncoder{conn: c, typ: tc.typ, vec: vec}
		bin, err := enc.appendBinary([]byte{}, 0)
		if err != nil {
			t.Errorf("%s %q: encode binary: %v", tc.typ, tc.text, err)
			continue
		}
		text := enc.appendText([]byte{}, 0)
		pt, ok := m.TypeForOID(tc.typ.OID())
		if !ok {
			t.Fatalf("pgx does not know OID %d", tc.typ.OID())
		}
		fromBinary, err := pt.Codec.DecodeValue(m, tc.typ.OID(), pgtype.BinaryFormatCode, bin)
		if err != nil {
			t.Errorf("%s %q: pgx cannot read the binary form % x: %v", tc.typ, tc.text, bin, err)
			continue
		}
		fromText, err := pt.Codec.DecodeValue(m, tc.typ.OID(), pgtype.TextFormatCode, text)
		if err != nil {
			t.Errorf("%s %q: pgx cannot read the text form %q: %v", tc.typ, tc.text, text, err)
			continue
		}
		if !sameValue(t, m, tc.typ.OID(), fromBinary, fromText) {
			t.Errorf("%s %q: binary form reads as %v, text form as %v", tc.typ, tc.text, fromBinary, fromText)
		}
	}
}

// sameValue compares two values pgx decoded by their text encoding (times
// by instant, since pgx gives the two forms different locations; numerics
// by value, since pgx drops the display scale of a binary zero; byte
// strings by content, since pgx reads an empty one as nil).
func sameValue(t *testing.T, m *pgtype.Map, oid uint32, a, b any) bool {
	if ta, ok := a.(time.Time); ok {
		tb, ok := b.(time.Time)
		return ok && ta.Equal(tb)
	}
	if ba, ok := a.([]byte); ok {
		bb, ok := b.([]byte)
		return ok && bytes.Equal(ba, bb)
	}
	if oid == types.TNumeric.OID() {
		ea, errA := m.Encode(oid, pgtype.TextFormatCode, a, nil)
		eb, errB := m.Encode(oid, pgtype.TextFormatCode, b, nil)
		if special := map[string]bool{"NaN": true, "Infinity": true, "-Infinity": true}; special[string(ea)] || special[string(eb)] {
			return errA == nil && errB == nil && string(ea) == string(eb)
		}
		da, errC := decimal.NewFromString(string(ea))
		db, errD := decimal.NewFromString(string(eb))
		if err := errors.Join(errA, errB, errC, errD); err != nil {
			t.Fatalf("re-encode numeric: %v", err)
		}
		return da.Equal(db)
	}
	ea, errA := m.Encode(oid, pgtype.TextFormatCode, a, nil)
	eb, errB := m.Encode(oid, pgtype.TextFormatCode, b, nil)
	if errA != nil || errB != nil {
		t.Fatalf("re-encode: %v, %v", errA, errB)
	}
	return string(ea) == string(eb)
}

// TestBinaryParameters checks that a parameter pgx writes in binary is read
// as the same value as when pgx writes it in text.
func TestBinaryParameters(t *testing.T) {
	m := pgtype.NewMap()
	c := &conn{}
	for _, tc := range binaryCases {
		pt, _ := m.TypeForOID(tc.typ.OID())
		value, err := pt.Codec.DecodeValue(m, tc.typ.OID(), pgtype.TextFormatCode, []byte(tc.text))
		if err != nil {
			t.Fatalf("%s %q: %v", tc.typ, tc.text, err)
		}
		bin, err := m.Encode(tc.typ.OID(), pgtype.BinaryFormatCode, value, nil)
		if err != nil {
			t.Fatalf("%s %q: pgx encode: %v", tc.typ, tc.text, err)
		}
		text, err := m.Encode(tc.typ.OID(), pgtype.TextFormatCode, value, nil)
		if err != nil {
			t.Fatalf("%s %q: pgx encode: %v", tc.typ, tc.text, err)
		}
		got, err := c.decodeBinary(tc.typ, bin)
		if err != nil {
			t.Errorf("%s %q: decode % x: %v", tc.typ, tc.text, bin, err)
			continue
		}
		want := mustParse(t, tc.typ, string(text))
		if g, w := types.FormatText(tc.typ, got), types.FormatText(tc.typ, want); g != w {
			t.Errorf("%s: binary parameter read as %q, want %q", tc.typ, g, w)
		}
	}
}

// TestBinaryMatchesPostgreSQL compares the binary form of every case with
// the bytes PostgreSQL itself sends for the value.
func TestBinaryMatchesPostgreSQL(t *testing.T) {
	ctx := context.Background()
	pg := postgresDatabase(t)
	c := &conn{}
	// Infinite dates and timestamps, and times with time zone, are here
	// only: pgx has no binary encoding of them for TestBinaryParameters.
	infinite := []struct {
		typ  types.Type
		text string
	}{
		{types.TDate, "infinity"}, {types.TDate, "-infinity"},
		{types.TTimestamp, "infinity"}, {types.TTimestampTZ, "-infinity"},
		{types.TTimeTZ, "04:05:06.789-08"}, {types.TTimeTZ, "23:59:59+15:59:59"},
	}
	for _, tc := range append(binaryCases, infinite...) {
		d := mustParse(t, tc.typ, tc.text)
		vec := vector.New(tc.typ, 1)
		vec.AppendDatum(d)
		enc := columnEncoder{conn: c, typ: tc.typ, vec: vec}
		ours, err := enc.appendBinary([]byte{}, 0)
		if err != nil {
			t.Errorf("%s %q: %v", tc.typ, tc.text, err)
			continue
		}
		res := pg.ExecParams(ctx, "SELECT $1::"+tc.typ.String(), [][]byte{[]byte(tc.text)}, nil, nil, []int16{pgtype.BinaryFormatCode}).Read()
		if res.Err != nil {
			t.Fatalf("PostgreSQL: %s %q: %v", tc.typ, tc.text, res.Err)
		}
		theirs := res.Rows[0][0]
		if !bytes.Equal(ours, theirs) {
			t.Errorf("%s %q: binary % x, PostgreSQL sends % x", tc.typ, tc.text, ours, theirs)
		}
		if got, err := c.decodeBinary(tc.typ, theirs); err != nil || types.FormatText(tc.typ, got) != types.FormatText(tc.typ, d) {
			t.Errorf("%s %q: PostgreSQL's binary form reads as %q (%v)", tc.typ, tc.text, types.FormatText(tc.typ, got), err)
		}
	}
}

// postgresDatabase connects to a database of its own on the local
// PostgreSQL server, dropped when the test ends.
func postgresDatabase(t *testing.T) *pgconn.PgConn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	admin, err := pgconn.Connect(ctx, "postgres://root@127.0.0.1:5432/test?sslmode=disable")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("PostgreSQL at 127.0.0.1:5432 is unreachable: %v", err)
		}
		t.Skipf("PostgreSQL at 127.0.0.1:5432 is unreachable (%v); skipping the comparison with it", err)
	}
	name := fmt.Sprintf("junction_wire_%d", time.Now().UnixNano())
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+name).ReadAll(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		admin.Exec(context.Background(), "DROP DATABASE "+name+" WITH (FORCE)").ReadAll() //nolint:errcheck // best-effort clean-up
		admin.Close(context.Background())
	})
	pg, err := pgconn.Connect(ctx, "postgres://root@127.0.0.1:5432/"+name+"?sslmode=disable")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pg.Close(context.Background()) })
	return pg
}

func TestMalformedBinaryParameter(t *testing.T) {
	c := &conn{}
	_, err := c.decodeBinary(types.TInt4, []byte{1, 2})
	if err == nil {
		t.Fatal("a 2-byte int4 was accepted")
	}
}

func TestNumericBinaryKeepsScale(t *testing.T) {
	vec := vector.New(types.TNumeric, 1)
	vec.AppendDatum(types.DecDatum(decimal.RequireFromString("12.50")))
	enc := columnEncoder{conn: &conn{}, typ: types.TNumeric, vec: vec}
	bin, err := enc.appendBinary([]byte{}, 0)
	if err != nil {
		t.Fatal(err)
	}
	// ndigits, weight, sign, dscale: the last must be 2.
	if len(bin) < 8 || bin[6] != 0 || bin[7] != 2 {
		t.Fatalf("numeric 12.50 encoded as % x; want display scale 2", bin)
	}
}

func TestErrorsKeepTheirFields(t *testing.T) {
	err := &pgerr.Error{Code: pgerr.UndefinedTable, Message: `relation "x" does not exist`, Detail: "d", Hint: "h"}
	got := psqlerr.Flatten(toProtocolError(err))
	if got.Code != "42P01" || got.Message != err.Message || got.Detail != "d" || got.Hint != "h" {
		t.Fatalf("flattened to %+v", got)
	}
	if got := psqlerr.Flatten(toProtocolError(errors.New("boom"))); got.Code != "XX000" || got.Message != "boom" {
		t.Fatalf("plain error flattened to %+v", got)
	}
}

func TestStartupOptions(t *testing.T) {
	got, err := parseStartupOptions(`-c search_path=a\ b --work-mem=4MB -cDateStyle=ISO`)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"search_path": "a b", "work_mem": "4MB", "DateStyle": "ISO"}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Fatalf("got %v, want %v", got, want)
		}
	}
	if _, err := parseStartupOptions("-x"); pgerr.Code(err) != pgerr.FeatureNotSupported {
		t.Fatalf("-x: got %v, want 0A000", err)
	}
}

// TestSocketNoticesDisconnect checks that a socket's context ends soon
// after the client hangs up while a query runs, and that what the client
// sent before stays readable.
func TestSocketNoticesDisconnect(t *testing.T) {
	tcp, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	l := newWatchingListener(tcp)
	defer l.Close()
	client, err := net.Dial("tcp", tcp.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	accepted, err := l.Accept()
	if err != nil {
		t.Fatal(err)
	}
	s := accepted.(*socket)
	defer s.Close()
	s.startWork()
	defer s.endWork()
	if _, err := client.Write([]byte("hello")); err != nil {
		t.Fatal(err)
	}
	client.Close()
	select {
	case <-s.ctx.Done():
	case <-time.After(time.Second):
		t.Fatal("the socket did not notice the disconnect within a second")
	}
	got, err := io.ReadAll(s)
	if err != nil || string(got) != "hello" {
		t.Fatalf("read %q, %v; want hello", got, err)
	}
}
