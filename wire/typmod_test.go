package wire

import (
	"bytes"
	"context"
	"log/slog"
	"slices"
	"testing"

	"github.com/jackc/pgx/v5/pgproto3"
	wire "github.com/jeroenrinzema/psql-wire"
	"github.com/jeroenrinzema/psql-wire/pkg/buffer"
	proto "github.com/jeroenrinzema/psql-wire/pkg/types"
	"github.com/junction-db/junction/plan"
	"github.com/junction-db/junction/types"
)

var typmodColumns = []plan.Column{
	{Name: "id", Type: types.TInt4},
	{Name: "price", Type: types.Type{Kind: types.Numeric, Precision: 10, Scale: 2}},
	{Name: "code", Type: types.Type{Kind: types.Varchar, Length: 20}},
}

// messages is what psql-wire writes for a statement Describe of cols:
// ParameterDescription, then RowDescription with typmods of -1.
func describeMessages(t *testing.T, cols []plan.Column) (params, rows []byte) {
	t.Helper()
	var out bytes.Buffer
	w := buffer.NewWriter(slog.New(slog.DiscardHandler), &out)
	w.Start(proto.ServerParameterDescription)
	w.AddInt16(0)
	if err := w.End(); err != nil {
		t.Fatal(err)
	}
	params = bytes.Clone(out.Bytes())
	out.Reset()
	if err := wireColumns(cols).Define(context.Background(), w, []wire.FormatCode{wire.TextFormat}); err != nil {
		t.Fatal(err)
	}
	return params, bytes.Clone(out.Bytes())
}

// typmodsOf decodes the RowDescription at the end of msgs.
func typmodsOf(t *testing.T, msgs []byte) []int32 {
	t.Helper()
	for len(msgs) > 0 && msgs[0] != 'T' {
		n := int(msgs[1])<<24 | int(msgs[2])<<16 | int(msgs[3])<<8 | int(msgs[4])
		msgs = msgs[1+n:]
	}
	var rd pgproto3.RowDescription
	if len(msgs) < 5 || rd.Decode(msgs[5:]) != nil {
		t.Fatalf("no RowDescription in %q", msgs)
	}
	var mods []int32
	for _, f := range rd.Fields {
		mods = append(mods, f.TypeModifier)
	}
	return mods
}

func TestTypmodPatchWritesTheTypmodsOfTheDescribedColumns(t *testing.T) {
	params, rows := describeMessages(t, typmodColumns)
	want := []int32{-1, 655366, 24}

	// ParameterDescription and RowDescription in one write.
	both := append(bytes.Clone(params), rows...)
	original := bytes.Clone(both)
	patch := typmodPatch{cols: typmodColumns}
	out, done := patch.apply(both)
	if !done || !slices.Equal(typmodsOf(t, out), want) {
		t.Fatalf("done=%v typmods %v, want %v", done, typmodsOf(t, out), want)
	}
	if !bytes.Equal(both, original) {
		t.Error("apply changed the bytes it was given")
	}

	// Each in a write of its own.
	patch = typmodPatch{cols: typmodColumns}
	if out, done := patch.apply(params); done || !bytes.Equal(out, params) {
		t.Fatalf("ParameterDescription: done=%v", done)
	}
	if out, done := patch.apply(rows); !done || !slices.Equal(typmodsOf(t, out), want) {
		t.Fatalf("RowDescription: done=%v typmods %v", done, typmodsOf(t, out))
	}

	// A patch in use allocates nothing.
	if allocs := testing.AllocsPerRun(100, func() { patch.apply(rows) }); allocs != 0 {
		t.Errorf("apply allocates %.0f times", allocs)
	}
}

func TestTypmodPatchLeavesOtherMessagesAlone(t *testing.T) {
	_, rows := describeMessages(t, typmodColumns)
	renamed := append([]plan.Column(nil), typmodColumns...)
	renamed[1].Name = "cost"
	_, other := describeMessages(t, renamed)
	retyped := append([]plan.Column(nil), typmodColumns...)
	retyped[2].Type = types.Type{Kind: types.Bpchar, Length: 20}
	_, otherType := describeMessages(t, retyped)
	bindComplete := []byte{'2', 0, 0, 0, 4}

	for name, p := range map[string][]byte{
		"BindComplete":                 bindComplete,
		"BindComplete, RowDescription": append(bytes.Clone(bindComplete), rows...),
		"other column names":           other,
		"other column types":           otherType,
		"fewer columns":                func() []byte { _, r := describeMessages(t, typmodColumns[:2]); return r }(),
		"a truncated RowDescription":   rows[:len(rows)-3],
		"a RowDescription with bytes to spare": func() []byte {
			long := append(bytes.Clone(rows), 0)
			long[4]++
			return long
		}(),
		"half a message header":         rows[:3],
		"a length shorter than its own": {'T', 0, 0, 0, 2},
	} {
		patch := typmodPatch{cols: typmodColumns}
		out, done := patch.apply(p)
		if !done {
			t.Errorf("%s: the patch stays armed", name)
		}
		if !bytes.Equal(out, p) {
			t.Errorf("%s: patched to %q", name, out)
		}
	}
}
