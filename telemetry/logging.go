package telemetry

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
)

// Log formats.
const (
	LogText = "text"
	LogJSON = "json"
)

// NewLogger makes the server's logger: format is LogText or LogJSON,
// level one of debug, info, warn, error. Every line logged with a
// statement's context carries the statement's query_id.
func NewLogger(w io.Writer, format, level string) (*slog.Logger, error) {
	var lvl slog.Level
	if level != "" {
		if err := lvl.UnmarshalText([]byte(level)); err != nil {
			return nil, fmt.Errorf("log level %q: use debug, info, warn or error", level)
		}
	}
	opts := &slog.HandlerOptions{Level: lvl}
	var h slog.Handler
	switch strings.ToLower(format) {
	case "", LogText:
		h = slog.NewTextHandler(w, opts)
	case LogJSON:
		h = slog.NewJSONHandler(w, opts)
	default:
		return nil, fmt.Errorf("log format %q: use text or json", format)
	}
	return slog.New(queryHandler{h}), nil
}

// queryHandler adds the query_id of the statement a record's context
// carries.
type queryHandler struct{ slog.Handler }

func (h queryHandler) Handle(ctx context.Context, r slog.Record) error {
	if q := QueryFrom(ctx); q != nil {
		r.AddAttrs(slog.Int64("query_id", q.ID))
	}
	return h.Handler.Handle(ctx, r)
}

func (h queryHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return queryHandler{h.Handler.WithAttrs(attrs)}
}

func (h queryHandler) WithGroup(name string) slog.Handler {
	return queryHandler{h.Handler.WithGroup(name)}
}
