package wire

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/jackc/pgx/v5/pgtype"
	wire "github.com/jeroenrinzema/psql-wire"
	"github.com/jeroenrinzema/psql-wire/codes"
	psqlerr "github.com/jeroenrinzema/psql-wire/errors"
	"github.com/jeroenrinzema/psql-wire/pkg/buffer"
	proto "github.com/jeroenrinzema/psql-wire/pkg/types"
	"github.com/junction-db/junction/engine"
	"github.com/junction-db/junction/pgerr"
)

// conn is one authenticated client connection.
type conn struct {
	server  *Server
	pid     int32
	secret  int32
	session *engine.Session
	// out is the connection's protocol writer, used for the messages
	// psql-wire has no API for (ParameterStatus after start-up, whole
	// simple-query results, EmptyQueryResponse).
	out *buffer.Writer
	// sock is the connection's socket; ctx ends when the client is gone or
	// the server closes the connection.
	sock *socket
	ctx  context.Context
	// reported is what the client was last told of each session setting,
	// as of the session's settings generation reportedAt.
	reported   map[string]string
	reportedAt uint64
	// rowBuf is where results gather their DataRows; it goes from one
	// result to the next, so that a short result allocates none.
	rowBuf []byte
	// converter holds pgx's codecs for the binary forms Junction does not
	// encode itself (arrays); created on first use.
	converter *pgtype.Map

	// statements maps the statements psql-wire keeps to the engine
	// statements they run; parsed is the one Parse is about to store.
	statements map[*wire.Statement]*engine.Statement
	parsed     parsedStatement

	mu      sync.Mutex
	running map[*context.CancelCauseFunc]struct{}
	// handling counts the client messages being handled (a simple query,
	// Parse, Execute). A cancel request that comes while it is zero finds
	// the connection idle and, as in PostgreSQL, cancels nothing - not even
	// a portal suspended between Executes.
	handling atomic.Int32
}

type connKey struct{}

func connFrom(ctx context.Context) *conn {
	c, _ := ctx.Value(connKey{}).(*conn)
	return c
}

// connectionSettings are start-up packet keys that are not settings.
var connectionSettings = map[string]bool{"user": true, "database": true, "options": true, "replication": true}

// replicationOff are the values of the start-up key "replication" that ask
// for an ordinary connection.
var replicationOff = map[string]bool{"": true, "false": true, "off": true, "no": true, "0": true}

// authenticate runs the authentication exchange and opens the connection's
// session. psql-wire calls it with the connection's own reader and writer
// right after the start-up packet.
func (s *Server) authenticate(ctx context.Context, w *buffer.Writer, r *buffer.Reader) (context.Context, error) {
	params := wire.ClientParameters(ctx)
	user := params[wire.ParamUsername]
	if user == "" {
		return ctx, refuse(w, pgerr.InvalidAuthorization, "no PostgreSQL user name specified in startup packet")
	}
	if !replicationOff[strings.ToLower(params["replication"])] {
		return ctx, refuse(w, pgerr.FeatureNotSupported, "replication connections are not supported")
	}
	sock := socketOf(ctx)
	if sock == nil {
		return ctx, errors.New("connection was not accepted through Server.Serve")
	}
	database := params[wire.ParamDatabase]
	if database == "" {
		database = user
	}
	if err := s.checkLogin(w, r, sock, user, database); err != nil {
		return ctx, err
	}
	// Only now, as PostgreSQL does, so that a client that has not
	// authenticated learns nothing about which roles exist.
	if err := s.engine.CheckLogin(user); err != nil {
		s.logger.Warn("login refused", "client", hostOf(sock.Conn.RemoteAddr()), "user", user, "reason", err.Error())
		return ctx, refuse(w, pgerr.Code(err), err.Error())
	}
	c := &conn{
		server:     s,
		out:        w,
		sock:       sock,
		ctx:        sock.ctx,
		reported:   map[string]string{},
		running:    map[*context.CancelCauseFunc]struct{}{},
		statements: map[*wire.Statement]*engine.Statement{},
	}
	if err := s.register(c); err != nil {
		return ctx, refuse(w, pgerr.Code(err), err.Error())
	}
	c.session = s.engine.NewSession(user, database)
	c.session.SetClientAddr(sock.Conn.RemoteAddr().String())
	sock.whenClosed(c.close)
	sock.idleLimit = c.session.IdleInTransactionTimeout
	r.MaxMessageSize = maxMessageSize
	ignored, err := c.applyStartupSettings(params)
	if err != nil {
		return ctx, refuse(w, pgerr.Code(err), err.Error())
	}
	if err := writeAuthRequest(w, authOK); err != nil {
		return ctx, err
	}
	for _, warning := range ignored {
		if err := writeWarning(w, warning); err != nil {
			return ctx, err
		}
	}
	return context.WithValue(ctx, connKey{}, c), nil
}

// applyStartupSettings applies the settings a client put in its start-up
// packet (application_name, DateStyle, TimeZone, "-c name=value" in
// options, ...) as the SET statements they stand for. As in PostgreSQL an
// unknown setting or a bad value refuses the connection, but a value
// Junction does not support (a TimeZone other than UTC, which JDBC sends
// from the JVM's zone) only earns a warning: the client still gets correct
// values, with their UTC offsets.
func (c *conn) applyStartupSettings(params wire.Parameters) (ignored []*pgerr.Error, err error) {
	settings := map[string]string{}
	for k, v := range params {
		if !connectionSettings[string(k)] {
			settings[string(k)] = v
		}
	}
	fromOptions, err := parseStartupOptions(params["options"])
	if err != nil {
		return nil, err
	}
	for k, v := range fromOptions {
		settings[k] = v
	}
	for _, name := range slices.Sorted(maps.Keys(settings)) {
		err := c.set(name, settings[name])
		if pgerr.Code(err) == pgerr.FeatureNotSupported {
			ignored = append(ignored, pgerr.As(err))
			continue
		}
		if err != nil {
			return nil, err
		}
	}
	return ignored, nil
}

// set runs SET name TO 'value' in the connection's session.
func (c *conn) set(name, value string) error {
	for _, r := range name {
		if !(r == '_' || r == '.' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return pgerr.New(pgerr.UndefinedObject, "unrecognized configuration parameter %q", name)
		}
	}
	sql := fmt.Sprintf("SET %s TO '%s'", name, strings.ReplaceAll(value, "'", "''"))
	stmts, err := c.session.Parse(c.ctx, sql, nil)
	if err != nil {
		return err
	}
	for _, st := range stmts {
		res, err := c.session.Execute(c.ctx, st, nil)
		if err != nil {
			return err
		}
		if res.Rows != nil {
			res.Rows.Close()
		}
	}
	return nil
}

// parseStartupOptions reads the start-up "options" value the way PostgreSQL
// does: space-separated switches, a backslash escaping the next character,
// where "-c name=value" and "--name=value" set a configuration parameter.
func parseStartupOptions(options string) (map[string]string, error) {
	var words []string
	var word strings.Builder
	inWord, escaped := false, false
	for _, r := range options {
		switch {
		case escaped:
			word.WriteRune(r)
			escaped = false
		case r == '\\':
			escaped, inWord = true, true
		case r == ' ' || r == '\t' || r == '\n':
			if inWord {
				words = append(words, word.String())
				word.Reset()
				inWord = false
			}
		default:
			word.WriteRune(r)
			inWord = true
		}
	}
	if inWord {
		words = append(words, word.String())
	}
	out := map[string]string{}
	for i := 0; i < len(words); i++ {
		var assignment string
		switch w := words[i]; {
		case w == "-c" && i+1 < len(words):
			i++
			assignment = words[i]
		case strings.HasPrefix(w, "-c") && len(w) > 2:
			assignment = w[2:]
		case strings.HasPrefix(w, "--"):
			assignment = w[2:]
		default:
			return nil, pgerr.New(pgerr.FeatureNotSupported, "start-up option %q is not supported", w).
				WithHint("Pass settings as -c name=value.")
		}
		name, value, ok := strings.Cut(assignment, "=")
		if !ok {
			return nil, pgerr.New(protocolViolation, "start-up option %q needs a value, as in -c name=value", assignment)
		}
		out[strings.ReplaceAll(name, "-", "_")] = value
	}
	return out, nil
}

// close ends the connection's session; it runs on the connection's own
// goroutine once psql-wire is done with the connection.
func (c *conn) close() {
	c.server.unregister(c)
	c.session.Close()
}

// beforeReadyForQuery reports changed session settings before psql-wire
// writes ReadyForQuery, and returns the session's transaction status.
// psql-wire closes the portals when it is idle, as a transaction's end
// does in PostgreSQL.
func (s *Server) beforeReadyForQuery(ctx context.Context) proto.ServerStatus {
	c := connFrom(ctx)
	if c == nil {
		return proto.ServerIdle
	}
	c.reportSettings()
	return proto.ServerStatus(c.session.TxStatus())
}

// sync ends an extended-query series: an error in it fails the
// transaction block it ran in.
func (s *Server) sync(ctx context.Context, failed bool) error {
	if c := connFrom(ctx); c != nil && failed {
		c.session.Failed()
	}
	return nil
}

// reportSettings sends a ParameterStatus for every reported setting whose
// value the client does not know yet. A setting without a value is left
// out until it gets one.
func (c *conn) reportSettings() {
	gen := c.session.SettingsGeneration()
	if gen == c.reportedAt && len(c.reported) > 0 {
		return
	}
	current := c.session.ParameterStatus()
	for _, name := range slices.Sorted(maps.Keys(current)) {
		value := current[name]
		if last, known := c.reported[name]; known && last == value || !known && value == "" {
			continue
		}
		c.out.Start(proto.ServerParameterStatus)
		c.out.AddString(name)
		c.out.AddNullTerminate()
		c.out.AddString(value)
		c.out.AddNullTerminate()
		if err := c.out.End(); err != nil {
			return // the ReadyForQuery that follows reports the broken connection
		}
		c.reported[name] = value
	}
	c.reportedAt = gen
}

// query runs fn with a context that a cancel request, the client's
// disconnect, the server's shutdown or the session's statement_timeout
// ends, and reports such an end as PostgreSQL does. A shutdown that
// cancels the query ends the connection too.
func (c *conn) query(fn func(ctx context.Context) error) error {
	c.sock.startWork()
	defer c.sock.endWork()
	ctx, cancel := context.WithCancelCause(c.ctx)
	c.mu.Lock()
	c.running[&cancel] = struct{}{}
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		delete(c.running, &cancel)
		c.mu.Unlock()
		cancel(nil)
	}()
	run := ctx
	if timeout := c.session.StatementTimeout(); timeout > 0 {
		var stop context.CancelFunc
		run, stop = context.WithTimeout(ctx, timeout)
		defer stop()
	}
	err := fn(run)
	if err == nil || errors.Is(err, wire.ErrSuspendedHandlerClosed) {
		return err
	}
	c.session.Failed()
	switch {
	case errors.Is(context.Cause(ctx), errShutdown):
		c.sock.terminate(pgerr.AdminShutdown, shutdownMessage)
		return adminShutdown()
	case ctx.Err() != nil:
		return pgerr.New(pgerr.QueryCanceled, "canceling statement due to user request")
	case run.Err() != nil:
		return pgerr.New(pgerr.QueryCanceled, "canceling statement due to statement timeout")
	}
	return err
}

// handle marks a client message as being handled until the returned
// function is called.
func (c *conn) handle() func() {
	c.handling.Add(1)
	return func() { c.handling.Add(-1) }
}

// cancelQuery cancels whatever the connection is running, unless it is
// idle; cause tells why.
func (c *conn) cancelQuery(cause error) {
	if c.handling.Load() == 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for cancel := range c.running {
		(*cancel)(cause)
	}
}

// protocolViolation is SQLSTATE 08P01.
const protocolViolation = "08P01"

func writeAuthRequest(w *buffer.Writer, code int32) error {
	w.Start(proto.ServerAuth)
	w.AddInt32(code)
	return w.End()
}

// writeWarning sends a NoticeResponse of the notice's severity, WARNING
// unless it says otherwise.
func writeWarning(w *buffer.Writer, e *pgerr.Error) error {
	severity := e.Severity
	if severity == "" {
		severity = "WARNING"
	}
	w.Start(proto.ServerNoticeResponse)
	for _, f := range []struct {
		field byte
		value string
	}{{'S', severity}, {'V', severity}, {'C', e.Code}, {'M', e.Message}, {'D', e.Detail}, {'H', e.Hint}} {
		if f.value != "" {
			w.AddByte(f.field)
			w.AddString(f.value)
			w.AddNullTerminate()
		}
	}
	w.AddNullTerminate()
	return w.End()
}

// refuse sends a FATAL error to a client that is not let in and returns it,
// which makes psql-wire close the connection.
func refuse(w *buffer.Writer, code, message string) error {
	err := psqlerr.WithSeverity(psqlerr.WithCode(errors.New(message), codes.Code(code)), psqlerr.LevelFatal)
	if werr := wire.WriteUnterminatedError(w, err); werr != nil {
		return werr
	}
	return err
}
