package wire

import (
	"net"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgproto3"
)

// rawSession connects to addr and completes the start-up, for tests that
// drive the protocol message by message.
func rawSession(t *testing.T, addr string) *pgproto3.Frontend {
	t.Helper()
	nc, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { nc.Close() })
	nc.SetDeadline(time.Now().Add(20 * time.Second)) //nolint:errcheck
	fe := pgproto3.NewFrontend(nc, nc)
	fe.Send(&pgproto3.StartupMessage{ProtocolVersion: pgproto3.ProtocolVersionNumber, Parameters: map[string]string{"user": "tester"}})
	if err := fe.Flush(); err != nil {
		t.Fatal(err)
	}
	receiveUntilReady(t, fe)
	return fe
}

// exchange flushes what was sent and summarises the answer up to
// ReadyForQuery as lines ("row 1", "suspended", "SELECT 3", "error
// 25P02", ...) followed by the transaction status ("status T").
func exchange(t *testing.T, fe *pgproto3.Frontend) []string {
	t.Helper()
	if err := fe.Flush(); err != nil {
		t.Fatal(err)
	}
	var out []string
	for {
		msg, err := fe.Receive()
		if err != nil {
			t.Fatal(err)
		}
		switch m := msg.(type) {
		case *pgproto3.DataRow:
			vals := make([]string, len(m.Values))
			for i, v := range m.Values {
				vals[i] = string(v)
				if v == nil {
					vals[i] = "NULL"
				}
			}
			out = append(out, "row "+strings.Join(vals, ","))
		case *pgproto3.PortalSuspended:
			out = append(out, "suspended")
		case *pgproto3.CommandComplete:
			out = append(out, string(m.CommandTag))
		case *pgproto3.ErrorResponse:
			out = append(out, "error "+m.Code)
		case *pgproto3.NoticeResponse:
			out = append(out, "notice "+m.Code)
		case *pgproto3.RowDescription:
			names := make([]string, len(m.Fields))
			for i, f := range m.Fields {
				names[i] = string(f.Name)
			}
			out = append(out, "columns "+strings.Join(names, ","))
		case *pgproto3.NoData:
			out = append(out, "no data")
		case *pgproto3.CopyOutResponse:
			out = append(out, "copy out "+string('0'+rune(m.OverallFormat)))
		case *pgproto3.CopyData:
			out = append(out, "data "+string(m.Data))
		case *pgproto3.CopyDone:
			out = append(out, "copy done")
		case *pgproto3.ReadyForQuery:
			return append(out, "status "+string(m.TxStatus))
		}
	}
}

func simpleQuery(t *testing.T, fe *pgproto3.Frontend, sql string) []string {
	t.Helper()
	fe.Send(&pgproto3.Query{String: sql})
	return exchange(t, fe)
}

func expectMessages(t *testing.T, what string, got []string, want ...string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("%s:\n got %q\nwant %q", what, got, want)
	}
}

const threeRows = "SELECT x FROM (VALUES (1), (2), (3)) AS t(x)"

// TestTransactionStatus follows ReadyForQuery's status through a block,
// an error in it and its end.
func TestTransactionStatus(t *testing.T) {
	fe := rawSession(t, startServer(t, nil, Options{}))
	expectMessages(t, "outside a block", simpleQuery(t, fe, "SELECT 1"), "columns ?column?", "row 1", "SELECT 1", "status I")
	expectMessages(t, "BEGIN", simpleQuery(t, fe, "BEGIN"), "BEGIN", "status T")
	expectMessages(t, "BEGIN again", simpleQuery(t, fe, "BEGIN"), "notice 25001", "BEGIN", "status T")
	expectMessages(t, "error in the block", simpleQuery(t, fe, "SELECT 1/0"), "error 22012", "status E")
	expectMessages(t, "after the error", simpleQuery(t, fe, "SELECT 1"), "error 25P02", "status E")
	expectMessages(t, "COMMIT of a failed block", simpleQuery(t, fe, "COMMIT"), "ROLLBACK", "status I")
	expectMessages(t, "error outside a block", simpleQuery(t, fe, "SELECT 1/0"), "error 22012", "status I")
	expectMessages(t, "savepoints", simpleQuery(t, fe, "BEGIN; SAVEPOINT a; SELECT 1/0"), "BEGIN", "SAVEPOINT", "error 22012", "status E")
	expectMessages(t, "ROLLBACK TO", simpleQuery(t, fe, "ROLLBACK TO a; SELECT 2"), "ROLLBACK", "columns ?column?", "row 2", "SELECT 1", "status T")
	expectMessages(t, "read-write", simpleQuery(t, fe, "END; BEGIN READ WRITE"), "COMMIT", "error 25006", "status I")
	expectMessages(t, "COMMIT outside", simpleQuery(t, fe, "COMMIT"), "notice 25P01", "COMMIT", "status I")
	expectMessages(t, "SET TRANSACTION outside", simpleQuery(t, fe, "SET TRANSACTION READ ONLY"), "notice 25P01", "SET", "status I")
	expectMessages(t, "serializable", simpleQuery(t, fe, "SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL SERIALIZABLE"), "error 0A000", "status I")
	expectMessages(t, "a cursor in one simple query's implicit transaction",
		simpleQuery(t, fe, "DECLARE c CURSOR FOR "+threeRows+"; FETCH 2 c"), "DECLARE CURSOR", "columns x", "row 1", "row 2", "FETCH 2", "status I")
	expectMessages(t, "the implicit transaction's end", simpleQuery(t, fe, "FETCH c"), "error 34000", "status I")
}

// TestPortalOutlivesSyncInBlock reads a portal a few rows at a time across
// Syncs, as pgjdbc does with a fetch size and autocommit off; the block's
// end closes it.
func TestPortalOutlivesSyncInBlock(t *testing.T) {
	fe := rawSession(t, startServer(t, nil, Options{}))
	expectMessages(t, "BEGIN", simpleQuery(t, fe, "BEGIN"), "BEGIN", "status T")
	fe.SendParse(&pgproto3.Parse{Query: threeRows})
	fe.SendBind(&pgproto3.Bind{DestinationPortal: "C_1"})
	fe.SendExecute(&pgproto3.Execute{Portal: "C_1", MaxRows: 2})
	fe.SendSync(&pgproto3.Sync{})
	expectMessages(t, "first Execute", exchange(t, fe), "row 1", "row 2", "suspended", "status T")
	fe.SendExecute(&pgproto3.Execute{Portal: "C_1", MaxRows: 2})
	fe.SendSync(&pgproto3.Sync{})
	expectMessages(t, "second Execute", exchange(t, fe), "row 3", "SELECT 3", "status T")

	fe.SendBind(&pgproto3.Bind{DestinationPortal: "C_2"})
	fe.SendExecute(&pgproto3.Execute{Portal: "C_2", MaxRows: 1})
	fe.SendSync(&pgproto3.Sync{})
	expectMessages(t, "another portal", exchange(t, fe), "row 1", "suspended", "status T")
	fe.SendClose(&pgproto3.Close{ObjectType: 'P', Name: "C_2"})
	fe.SendExecute(&pgproto3.Execute{Portal: "C_2", MaxRows: 1})
	fe.SendSync(&pgproto3.Sync{})
	expectMessages(t, "closed portal", exchange(t, fe), "error 34000", "status E")
	expectMessages(t, "ROLLBACK", simpleQuery(t, fe, "ROLLBACK"), "ROLLBACK", "status I")

	fe.SendBind(&pgproto3.Bind{DestinationPortal: "C_3"})
	fe.SendExecute(&pgproto3.Execute{Portal: "C_3", MaxRows: 1})
	fe.SendSync(&pgproto3.Sync{})
	expectMessages(t, "outside a block", exchange(t, fe), "row 1", "suspended", "status I")
	fe.SendExecute(&pgproto3.Execute{Portal: "C_3", MaxRows: 1})
	fe.SendSync(&pgproto3.Sync{})
	expectMessages(t, "after Sync outside a block", exchange(t, fe), "error 34000", "status I")
}

// TestExtendedErrorFailsBlock checks that an error in an extended-query
// series fails the block, which refuses even Parse until ROLLBACK.
func TestExtendedErrorFailsBlock(t *testing.T) {
	fe := rawSession(t, startServer(t, nil, Options{}))
	simpleQuery(t, fe, "BEGIN")
	fe.SendParse(&pgproto3.Parse{Query: "SELECT 1/0"})
	fe.SendBind(&pgproto3.Bind{})
	fe.SendExecute(&pgproto3.Execute{})
	fe.SendSync(&pgproto3.Sync{})
	expectMessages(t, "error", exchange(t, fe), "error 22012", "status E")
	fe.SendParse(&pgproto3.Parse{Query: "SELECT 1"})
	fe.SendSync(&pgproto3.Sync{})
	expectMessages(t, "Parse in the failed block", exchange(t, fe), "error 25P02", "status E")
	fe.SendParse(&pgproto3.Parse{Query: "ROLLBACK"})
	fe.SendBind(&pgproto3.Bind{})
	fe.SendExecute(&pgproto3.Execute{})
	fe.SendSync(&pgproto3.Sync{})
	expectMessages(t, "ROLLBACK", exchange(t, fe), "ROLLBACK", "status I")
}

// TestCursorInExtendedProtocol declares a cursor and fetches from it
// through prepared statements, whose Describe knows the cursor's columns.
func TestCursorInExtendedProtocol(t *testing.T) {
	fe := rawSession(t, startServer(t, nil, Options{}))
	simpleQuery(t, fe, "BEGIN; DECLARE c SCROLL CURSOR FOR "+threeRows)
	fe.SendParse(&pgproto3.Parse{Query: "FETCH 2 FROM c"})
	fe.SendDescribe(&pgproto3.Describe{ObjectType: 'S'})
	fe.SendBind(&pgproto3.Bind{})
	fe.SendExecute(&pgproto3.Execute{})
	fe.SendParse(&pgproto3.Parse{Query: "FETCH BACKWARD 1 FROM c"})
	fe.SendBind(&pgproto3.Bind{})
	fe.SendExecute(&pgproto3.Execute{})
	fe.SendSync(&pgproto3.Sync{})
	expectMessages(t, "FETCH", filterProtocolNoise(exchange(t, fe)), "columns x", "row 1", "row 2", "FETCH 2", "row 1", "FETCH 1", "status T")
	fe.SendDescribe(&pgproto3.Describe{ObjectType: 'P', Name: "c"})
	fe.SendSync(&pgproto3.Sync{})
	expectMessages(t, "Describe of the cursor as a portal", exchange(t, fe), "columns x", "status T")
	fe.SendExecute(&pgproto3.Execute{Portal: "c"})
	fe.SendSync(&pgproto3.Sync{})
	expectMessages(t, "Execute of the cursor", exchange(t, fe), "error 0A000", "status E")
	expectMessages(t, "ROLLBACK closes the cursor", simpleQuery(t, fe, "ROLLBACK; FETCH c"), "ROLLBACK", "error 34000", "status I")
}

// filterProtocolNoise drops what the extended protocol answers besides
// results: ParseComplete and friends are not summarised, and neither is
// ParameterDescription, so only NoData lines need to go.
func filterProtocolNoise(msgs []string) []string {
	return slices.DeleteFunc(msgs, func(s string) bool { return s == "no data" })
}

// TestCopyOutMessages checks COPY TO STDOUT's messages in both protocols.
func TestCopyOutMessages(t *testing.T) {
	fe := rawSession(t, startServer(t, nil, Options{}))
	const copy = "COPY (SELECT * FROM (VALUES (1, 'a'), (2, NULL)) AS t(x, y)) TO STDOUT"
	expectMessages(t, "simple", simpleQuery(t, fe, copy),
		"copy out 0", "data 1\ta\n", "data 2\t\\N\n", "copy done", "COPY 2", "status I")
	fe.SendParse(&pgproto3.Parse{Query: copy + " (FORMAT csv, HEADER)"})
	fe.SendBind(&pgproto3.Bind{})
	fe.SendDescribe(&pgproto3.Describe{ObjectType: 'P'})
	fe.SendExecute(&pgproto3.Execute{})
	fe.SendSync(&pgproto3.Sync{})
	expectMessages(t, "extended", exchange(t, fe),
		"no data", "copy out 0", "data x,y\n", "data 1,a\n", "data 2,\n", "copy done", "COPY 2", "status I")
	expectMessages(t, "COPY FROM", simpleQuery(t, fe, "COPY t FROM STDIN"), "error 25006", "status I")
	expectMessages(t, "COPY to a file", simpleQuery(t, fe, "COPY (SELECT 1) TO '/x'"), "error 0A000", "status I")
	expectMessages(t, "bad option", simpleQuery(t, fe, "COPY (SELECT 1) TO STDOUT (FORMAT binary, HEADER)"), "error 0A000", "status I")
}

// TestBinaryCursor fetches from a BINARY cursor in a simple query: the
// rows come in binary, and RowDescription says so.
func TestBinaryCursor(t *testing.T) {
	fe := rawSession(t, startServer(t, nil, Options{}))
	simpleQuery(t, fe, "BEGIN; DECLARE b BINARY CURSOR FOR SELECT 258::int4 AS n, 'x'::text AS s")
	fe.Send(&pgproto3.Query{String: "FETCH b"})
	if err := fe.Flush(); err != nil {
		t.Fatal(err)
	}
	var formats []int16
	var values [][]byte
	for _, msg := range receiveUntilReady(t, fe) {
		switch m := msg.(type) {
		case *pgproto3.RowDescription:
			for _, f := range m.Fields {
				formats = append(formats, f.Format)
			}
		case *pgproto3.DataRow:
			values = m.Values
		}
	}
	if !slices.Equal(formats, []int16{1, 1}) || len(values) != 2 || string(values[0]) != "\x00\x00\x01\x02" || string(values[1]) != "x" {
		t.Errorf("FETCH from a binary cursor: formats %v, values %q", formats, values)
	}
}

// TestDiscardAll checks what connection poolers rely on between clients:
// DISCARD ALL closes cursors and resets settings, and not inside a block.
func TestDiscardAll(t *testing.T) {
	fe := rawSession(t, startServer(t, nil, Options{}))
	expectMessages(t, "in a block", simpleQuery(t, fe, "BEGIN; DISCARD ALL"), "BEGIN", "error 25001", "status E")
	simpleQuery(t, fe, "ROLLBACK")
	simpleQuery(t, fe, "SET application_name = 'pooled'; DECLARE h CURSOR WITH HOLD FOR "+threeRows)
	expectMessages(t, "DISCARD ALL", simpleQuery(t, fe, "DISCARD ALL"), "DISCARD ALL", "status I")
	expectMessages(t, "after DISCARD ALL", simpleQuery(t, fe, "SHOW application_name; FETCH h"),
		"columns application_name", "row ", "SHOW", "error 34000", "status I")
}

// TestTransactionSettings checks that the transaction settings say what
// Junction's transactions are and refuse what they cannot be.
func TestTransactionSettings(t *testing.T) {
	fe := rawSession(t, startServer(t, nil, Options{}))
	expectMessages(t, "transaction_read_only", simpleQuery(t, fe, "SHOW transaction_read_only"),
		"columns transaction_read_only", "row on", "SHOW", "status I")
	expectMessages(t, "read-write", simpleQuery(t, fe, "SET default_transaction_read_only = off"), "error 25006", "status I")
	expectMessages(t, "serializable", simpleQuery(t, fe, "SET default_transaction_isolation = 'serializable'"), "error 0A000", "status I")
	expectMessages(t, "read uncommitted", simpleQuery(t, fe, "SET transaction_isolation = 'read uncommitted'; SHOW transaction_isolation"),
		"SET", "columns transaction_isolation", "row read committed", "SHOW", "status I")
}

// TestCancelWhileIdleSparesSuspendedPortal sends a cancel request while
// the connection waits for the client with a portal suspended in a block:
// nothing runs, so nothing is cancelled, and the portal reads on.
func TestCancelWhileIdleSparesSuspendedPortal(t *testing.T) {
	addr := startServer(t, nil, Options{})
	nc, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	nc.SetDeadline(time.Now().Add(20 * time.Second)) //nolint:errcheck
	fe := pgproto3.NewFrontend(nc, nc)
	fe.Send(&pgproto3.StartupMessage{ProtocolVersion: pgproto3.ProtocolVersionNumber, Parameters: map[string]string{"user": "tester"}})
	if err := fe.Flush(); err != nil {
		t.Fatal(err)
	}
	var key pgproto3.BackendKeyData
	for _, msg := range receiveUntilReady(t, fe) {
		if k, ok := msg.(*pgproto3.BackendKeyData); ok {
			key = *k
		}
	}
	simpleQuery(t, fe, "BEGIN")
	fe.SendParse(&pgproto3.Parse{Query: "SELECT x FROM generate_series(1, 100000) AS g(x)"})
	fe.SendBind(&pgproto3.Bind{DestinationPortal: "p"})
	fe.SendExecute(&pgproto3.Execute{Portal: "p", MaxRows: 1})
	fe.SendSync(&pgproto3.Sync{})
	expectMessages(t, "first Execute", exchange(t, fe), "row 1", "suspended", "status T")

	cancel, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	cfe := pgproto3.NewFrontend(cancel, cancel)
	cfe.Send(&pgproto3.CancelRequest{ProcessID: key.ProcessID, SecretKey: key.SecretKey})
	if err := cfe.Flush(); err != nil {
		t.Fatal(err)
	}
	cancel.Close()
	time.Sleep(200 * time.Millisecond)

	// The next rows come from more than one batch, so a cancelled portal
	// would notice.
	fe.SendExecute(&pgproto3.Execute{Portal: "p", MaxRows: 20000})
	fe.SendSync(&pgproto3.Sync{})
	got := exchange(t, fe)
	if len(got) != 20002 || got[0] != "row 2" || got[20000] != "suspended" || got[20001] != "status T" {
		t.Errorf("Execute after the cancel: %d messages, ending %q", len(got), got[max(0, len(got)-3):])
	}
}
