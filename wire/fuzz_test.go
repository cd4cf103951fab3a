package wire

import (
	"context"
	"encoding/binary"
	"io"
	"net"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgproto3"
)

// exchangeTimeout bounds one fuzzed connection: the server must answer or
// close within it once the client has said everything.
const exchangeTimeout = 2 * time.Second

// FuzzMessages sends arbitrary bytes to a running server as a client's
// messages, after a valid startup message when withStartup is set (so that
// the fuzzer spends its time on the message decoder rather than on the
// startup packet). The server must not crash, and another client's session
// must keep working.
func FuzzMessages(f *testing.F) {
	for _, seed := range messageSeeds(f) {
		f.Add(seed.withStartup, seed.data)
	}
	addr := startServer(f, nil, Options{})
	other := connect(f, testURL(addr))

	f.Fuzz(func(t *testing.T, withStartup bool, data []byte) {
		c, err := net.DialTimeout("tcp", addr, exchangeTimeout)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		if err := c.SetDeadline(time.Now().Add(exchangeTimeout)); err != nil {
			t.Fatal(err)
		}
		if withStartup {
			data = append(encode(t, startupMessage()), data...)
		}
		// The server may close the connection before reading everything,
		// which is its right; only its survival matters.
		_, _ = c.Write(data)
		if tc, ok := c.(*net.TCPConn); ok {
			_ = tc.CloseWrite()
		}
		// A reset or the deadline ends the answer as well as a close.
		_, _ = io.Copy(io.Discard, c)

		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		var one int
		if err := other.QueryRow(ctx, "SELECT 1").Scan(&one); err != nil || one != 1 {
			t.Fatalf("another session stopped working after input %q: %v", data, err)
		}
	})
}

type messageSeed struct {
	withStartup bool
	data        []byte
}

func startupMessage() pgproto3.FrontendMessage {
	return &pgproto3.StartupMessage{ProtocolVersion: pgproto3.ProtocolVersionNumber,
		Parameters: map[string]string{"user": "tester", "database": "test"}}
}

func encode(tb testing.TB, msgs ...pgproto3.FrontendMessage) []byte {
	tb.Helper()
	var out []byte
	for _, m := range msgs {
		var err error
		if out, err = m.Encode(out); err != nil {
			tb.Fatal(err)
		}
	}
	return out
}

// withLength replaces the length word of the message at the start of msg,
// which has a one-byte type when typed is set.
func withLength(msg []byte, typed bool, length uint32) []byte {
	out := append([]byte(nil), msg...)
	at := 0
	if typed {
		at = 1
	}
	binary.BigEndian.PutUint32(out[at:], length)
	return out
}

func messageSeeds(tb testing.TB) []messageSeed {
	parse := encode(tb, &pgproto3.Parse{Name: "s", Query: "SELECT $1::int + 1", ParameterOIDs: []uint32{23}})
	bind := encode(tb, &pgproto3.Bind{DestinationPortal: "p", PreparedStatement: "s",
		ParameterFormatCodes: []int16{0}, Parameters: [][]byte{[]byte("41")}, ResultFormatCodes: []int16{1}})
	describe := encode(tb, &pgproto3.Describe{ObjectType: 'S', Name: "s"})
	execute := encode(tb, &pgproto3.Execute{Portal: "p", MaxRows: 1})
	sync := encode(tb, &pgproto3.Sync{})
	terminate := encode(tb, &pgproto3.Terminate{})
	query := encode(tb, &pgproto3.Query{String: "SELECT 'a'; SELECT 1/0; SELECT 2"})
	extended := concat(parse, bind, describe, execute, sync, terminate)
	startup := encode(tb, startupMessage())
	cancel := encode(tb, &pgproto3.CancelRequest{ProcessID: 1, SecretKey: []byte{0, 0, 0, 2}})
	ssl := encode(tb, &pgproto3.SSLRequest{})
	copyFrom := encode(tb, &pgproto3.Query{String: "COPY (SELECT 1) TO STDOUT"}, &pgproto3.CopyData{Data: []byte("x\n")},
		&pgproto3.CopyFail{Message: "no"})
	fnCall := encode(tb, &pgproto3.FunctionCall{Function: 1, ArgFormatCodes: []uint16{0}, Arguments: [][]byte{nil}})

	seeds := []messageSeed{
		{false, nil},
		{false, startup},
		{false, concat(startup, query, terminate)},
		{true, query},
		{true, extended},
		{true, concat(parse, sync)},
		{true, concat(bind, execute, sync)}, // no such statement
		{true, copyFrom},
		{true, fnCall},
		{false, ssl},
		{false, concat(ssl, startup)},
		{false, cancel},
		{false, []byte{0, 0, 0, 8, 4, 210, 22, 47}}, // GSSENCRequest
		{false, withLength(startup, false, 4)},
		{false, withLength(startup, false, 0)},
		{false, withLength(startup, false, 0xffffffff)},
		{false, withLength(startup, false, 1<<30)},
		{false, startup[:len(startup)/2]},
		{false, []byte{0, 0, 0, 16, 0, 3, 0, 0, 'u', 's', 'e', 'r', 0, 'x', 0, 0}},
		{false, []byte{0, 0, 0, 12, 0, 3, 0, 0, 'u', 's', 'e', 'r'}}, // unterminated name
		{false, []byte{0, 0, 0, 9, 0, 2, 0, 0, 0}},                   // protocol 2
		{true, withLength(parse, true, 0)},
		{true, withLength(parse, true, 3)},
		{true, withLength(parse, true, 0x7fffffff)},
		{true, withLength(parse, true, uint32(len(parse)+10))},
		{true, parse[:len(parse)-3]},
		{true, withLength(bind, true, 4)},
		{true, withLength(bind, true, 0xfffffff0)},
		{true, bind[:len(bind)-2]},
		{true, concat(parse, bind[:12], sync)},
		{true, withLength(execute, true, 5)},
		{true, withLength(describe, true, 5)},
		{true, []byte{'D', 0, 0, 0, 6, 'X', 0}},                        // describe of an unknown kind
		{true, []byte{'B', 0, 0, 0, 12, 0, 0, 0, 2, 0, 1, 0xff, 0xff}}, // negative counts
		{true, []byte{'B', 0, 0, 0, 14, 0, 0, 0, 0, 0, 1, 0, 0, 0x7f, 0xff}},
		{true, []byte{'P', 0, 0, 0, 9, 0, 0, 0xff, 0xff}}, // huge parameter count
		{true, []byte{'Q', 0, 0, 0, 5, 'x'}},              // unterminated query
		{true, []byte{'Q', 0, 0, 0, 4}},
		{true, []byte{'Z', 0, 0, 0, 4}}, // a backend message sent by the client
		{true, []byte{0, 0, 0, 0, 0}},
		{true, concat(query, query, terminate)},
	}
	return append(seeds, binaryParamSeeds(tb)...)
}

// binaryParamSeeds bind malformed binary values to parameters of each
// type the server decodes from binary.
func binaryParamSeeds(tb testing.TB) []messageSeed {
	oids := []uint32{16, 21, 23, 20, 26, 2205, 700, 701, 1700, 1082, 1083, 1266, 1114, 1184, 1186, 25, 18, 114, 3802, 17, 2950, 1007, 1009}
	values := [][]byte{
		{},
		{0x01, 0x02, 0x03},
		{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff},
		{0x7f, 0xff, 0x7f, 0xff, 0x40, 0x00, 0x3f, 0xff, 0x27, 0x10},                                                             // numeric: huge digit count, bad sign and digit
		{0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x17, 0x7f, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x01}, // array: 2^31 elements
		{0x02, 0xff, 0xfe}, // jsonb with a bad version, invalid UTF-8
	}
	var seeds []messageSeed
	for _, oid := range oids {
		parse := encode(tb, &pgproto3.Parse{Query: "SELECT $1", ParameterOIDs: []uint32{oid}})
		for _, v := range values {
			bind := encode(tb, &pgproto3.Bind{ParameterFormatCodes: []int16{1}, Parameters: [][]byte{v}, ResultFormatCodes: []int16{1}})
			seeds = append(seeds, messageSeed{true, concat(parse, bind, encode(tb, &pgproto3.Execute{}, &pgproto3.Sync{}))})
		}
	}
	return seeds
}

func concat(parts ...[]byte) []byte {
	var out []byte
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}
