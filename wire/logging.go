package wire

import (
	"context"
	"log/slog"
)

// protocolLogger is the logger psql-wire gets: at most informational
// lines, for its debug lines quote every query text and parameter value
// a client sends, passwords in CREATE SERVER among them.
func protocolLogger(l *slog.Logger) *slog.Logger {
	return slog.New(atLeastInfo{l.Handler()})
}

type atLeastInfo struct{ slog.Handler }

func (h atLeastInfo) Enabled(ctx context.Context, level slog.Level) bool {
	return level >= slog.LevelInfo && h.Handler.Enabled(ctx, level)
}

func (h atLeastInfo) WithAttrs(attrs []slog.Attr) slog.Handler {
	return atLeastInfo{h.Handler.WithAttrs(attrs)}
}

func (h atLeastInfo) WithGroup(name string) slog.Handler {
	return atLeastInfo{h.Handler.WithGroup(name)}
}
