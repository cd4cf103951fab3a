// Package wire owns Junction's PostgreSQL wire-protocol endpoint, built on
// github.com/jeroenrinzema/psql-wire: connection start-up and password
// authentication (SCRAM-SHA-256, client certificates, a failed-login limit), TLS, one engine session per connection, the simple and
// extended query protocols (prepared statements, portals with row limits),
// the text and binary encodings of parameters and results, error reporting
// with SQLSTATEs, and query cancellation.
//
// Decisions worth knowing:
//
//   - Authentication is SCRAM-SHA-256 through PostgreSQL's SASL exchange
//     (github.com/xdg-go/scram does the arithmetic against the engine's
//     verifiers), run inside psql-wire's session auth strategy since
//     psql-wire has no SCRAM of its own. The clear-text exchange is used
//     only when configured, and then only with RequireTLS. A connection
//     learns it is encrypted from the TLS handshake itself: psql-wire runs
//     it on the accepted socket, which GetConfigForClient marks.
//   - With a client CA, TLS clients are asked for a certificate and the
//     verified one is kept on the socket (a per-handshake copy of the TLS
//     config records it); ClientCert decides whether it is required and
//     whether its Common Name logs the user in, as PostgreSQL's cert
//     method and clientcert option do.
//   - Identity provider tokens (JWT) arrive in the clear-text exchange,
//     so they too need RequireTLS (auth_jwt.go).
//   - Failed logins are counted per client host in a token bucket; a host
//     whose bucket is empty is refused before any password is checked.
//   - psql-wire reports its own fixed start-up parameters (among them a
//     server_version of "150000"). Before every ReadyForQuery the server
//     reports each session setting whose value differs from what the client
//     last saw, so the client ends up with the session's values and also
//     learns about changes made by SET, as PostgreSQL's GUC_REPORT does.
//   - A simple query holding several statements is split first (a syntax
//     error anywhere rejects the whole string, as in PostgreSQL) and each
//     statement is prepared just before it runs, so a statement sees what
//     the ones before it created.
//   - Results are encoded straight from the column vectors into DataRow
//     messages, side by side in one reused buffer, without a per-value
//     allocation: a simple query writes its rows itself, and so does a
//     portal whose first Execute asks for all rows, which Junction runs on
//     the connection's goroutine (the statement and portal caches are
//     wrapped to learn each portal's statement, parameters and result
//     formats). A portal read a few rows at a time goes through
//     psql-wire's flow control, which gets references to vector cells that
//     a codec registered for every Junction type OID encodes in place.
//   - A result that one PostgreSQL source computed whole, read in text,
//     goes out as the source's text forms without being decoded into
//     vectors, for the types whose text Junction prints as PostgreSQL
//     does (see rowWriter.passesText and engine.TextStream).
//   - Output is buffered per connection and sent when the buffer fills or
//     the connection is about to wait for the client, so a small query's
//     messages leave in one write, as PostgreSQL's do.
//   - Every running query has a context that a CancelRequest carrying the
//     connection's key, the client's disconnect (noticed by a reader that
//     watches the socket once a query has run for 100 ms), the session's
//     statement_timeout or Server.Close cancels; each ends with
//     PostgreSQL's 57014 message for its cause. As in PostgreSQL, a
//     CancelRequest that finds the connection waiting for the client
//     cancels nothing, not even a portal suspended in a block.
//   - The socket reader is where a connection waits for its client, so it
//     is where a session idle in a transaction block past
//     idle_in_transaction_session_timeout is ended (FATAL 25P03), and where
//     Shutdown ends each session once its statement is done (FATAL 57P01);
//     statements still running when Shutdown's context ends are cancelled
//     and end their connections the same way.
//   - At most Options.MaxConnections sessions are open at once; one more
//     client is refused with FATAL 53300, as PostgreSQL refuses it.
//   - psql-wire reads each connection through a buffer whose size is also
//     its message size limit; Junction makes the buffer small and raises
//     the limit to PostgreSQL's once the client is authenticated.
//   - ReadyForQuery reports the session's transaction status (idle, in a
//     block, failed block). Portals outlive the Sync that ends their
//     extended-query series inside a transaction block, so a client can
//     read a portal a few rows at a time (pgjdbc's fetch size); psql-wire
//     closes them all when the status turns idle. Every error, in either
//     protocol, fails the block it happens in.
//   - COPY TO STDOUT writes CopyOutResponse, a CopyData message per row
//     and CopyDone on the connection's writer, in either protocol.
package wire

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"crypto/tls"
	"crypto/x509"
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"time"

	wire "github.com/jeroenrinzema/psql-wire"
	"github.com/junction-db/junction/auth"
	"github.com/junction-db/junction/engine"
	"github.com/junction-db/junction/pgerr"
	"github.com/xdg-go/scram"
)

// Options configures a Server.
type Options struct {
	// TLSCert and TLSKey are PEM files; when both are set, clients may
	// upgrade their connections to TLS.
	TLSCert, TLSKey string
	// Logger receives connection-level events; nil means slog.Default().
	Logger *slog.Logger
	// MaxConnections bounds the client sessions open at once; a client
	// beyond it is refused with SQLSTATE 53300. Zero means
	// DefaultMaxConnections.
	MaxConnections int
	// AuthMethod is how clients prove their password when the engine has
	// users; empty means AuthSCRAM. AuthPassword needs TLS.
	AuthMethod AuthMethod
	// RequireTLS refuses connections that did not negotiate TLS, with
	// FATAL 28000 as PostgreSQL refuses a client no hostssl line admits.
	RequireTLS bool
	// ClientCA is a PEM file of the certificates that sign client
	// certificates; with it, TLS clients are asked for one. ClientCert
	// says what the certificate proves (see ClientCertMode); any mode but
	// off implies RequireTLS.
	ClientCA   string
	ClientCert ClientCertMode
	// MaxFailedLogins is how many failed logins a client host may have in
	// a row before its logins are refused; it gets one more attempt per
	// FailedLoginRefill. Zero means DefaultMaxFailedLogins.
	MaxFailedLogins   int
	FailedLoginRefill time.Duration
	// JWT, when set, accepts identity provider tokens as passwords (see
	// auth_jwt.go); it needs RequireTLS.
	JWT *auth.JWTVerifier
}

// AuthMethod names a password authentication method.
type AuthMethod string

// The password authentication methods, named as in pg_hba.conf.
const (
	// AuthSCRAM is SCRAM-SHA-256: the password never crosses the wire.
	AuthSCRAM AuthMethod = "scram-sha-256"
	// AuthPassword is the clear-text password exchange, allowed only
	// when every connection uses TLS.
	AuthPassword AuthMethod = "password"
	// AuthJWT takes every password as a JWT (Options.JWT).
	AuthJWT AuthMethod = "jwt"
)

// Defaults of the failed-login limit.
const (
	DefaultMaxFailedLogins   = 5
	DefaultFailedLoginRefill = time.Minute
)

// DefaultMaxConnections is PostgreSQL's default max_connections.
const DefaultMaxConnections = 100

// readBuffer is the size of the buffer psql-wire reads each connection's
// messages through. psql-wire's default (16 MiB, allocated per
// connection) would make a few hundred idle sessions cost gigabytes; the
// socket already reads ahead, and a message larger than the buffer is
// read straight into its own allocation.
const readBuffer = 64 << 10

// maxMessageSize is the largest client message accepted once a session
// is authenticated: PostgreSQL's limit (PQ_LARGE_MESSAGE_LIMIT).
const maxMessageSize = 1<<30 - 1

// Server serves the PostgreSQL wire protocol for one engine.
type Server struct {
	engine   *engine.Engine
	protocol *wire.Server
	logger   *slog.Logger
	maxConns int

	authMethod AuthMethod
	requireTLS bool
	clientCert ClientCertMode
	jwt        *auth.JWTVerifier
	logins     *failedLogins
	// channelBinding is the tls-server-end-point binding of the TLS
	// certificate, offered as SCRAM-SHA-256-PLUS on TLS connections.
	channelBinding scram.ChannelBinding

	mu        sync.Mutex
	closed    bool
	listeners []*watchingListener
	conns     map[int32]*conn // by backend process ID
}

// New configures a server for e; nothing listens until Serve.
func New(e *engine.Engine, opts Options) (*Server, error) {
	logger := opts.Logger
	if logger == nil {
		logger = slog.Default()
	}
	maxConns := opts.MaxConnections
	if maxConns <= 0 {
		maxConns = DefaultMaxConnections
	}
	clientCert, err := clientCertMode(opts, e.RequiresPassword())
	if err != nil {
		return nil, err
	}
	opts.RequireTLS = opts.RequireTLS || clientCert != ClientCertOff
	method := opts.AuthMethod
	switch method {
	case "":
		method = AuthSCRAM
	case AuthSCRAM:
	case AuthPassword:
		if !opts.RequireTLS {
			return nil, errors.New(`authentication method "password" sends passwords in the clear: it needs require_tls (and a TLS certificate)`)
		}
	case AuthJWT:
		if opts.JWT == nil {
			return nil, errors.New(`authentication method "jwt" needs a jwt section (key set, issuer, audience)`)
		}
	default:
		return nil, fmt.Errorf(`unknown authentication method %q (use "scram-sha-256", "password" or "jwt")`, method)
	}
	if opts.JWT != nil && !opts.RequireTLS {
		return nil, errors.New("jwt authentication sends tokens in the clear: it needs require_tls (and a TLS certificate)")
	}
	if opts.JWT != nil && !e.RequiresPassword() {
		return nil, errors.New("jwt authentication needs an engine made with TokenAuth, or it would trust every client")
	}
	if opts.RequireTLS && opts.TLSCert == "" {
		return nil, errors.New("require_tls needs a TLS certificate and key")
	}
	maxFailed, refill := opts.MaxFailedLogins, opts.FailedLoginRefill
	if maxFailed <= 0 {
		maxFailed = DefaultMaxFailedLogins
	}
	if refill <= 0 {
		refill = DefaultFailedLoginRefill
	}
	s := &Server{engine: e, logger: logger, maxConns: maxConns, conns: map[int32]*conn{},
		authMethod: method, requireTLS: opts.RequireTLS, clientCert: clientCert, jwt: opts.JWT, logins: newFailedLogins(maxFailed, refill)}
	options := []wire.OptionFn{
		wire.Logger(protocolLogger(logger)),
		wire.MessageBufferSize(readBuffer),
		wire.SessionAuthStrategy(s.authenticate),
		wire.BackendKeyData(s.backendKey),
		wire.CancelRequest(s.cancelRequest),
		wire.TxStatus(s.beforeReadyForQuery),
		wire.SyncConn(s.sync),
		wire.ErrorSanitizer(toProtocolError),
		wire.ExtendTypes(registerCellCodec),
		wire.Statements(newStatements),
		wire.Portals(newPortals),
	}
	if opts.TLSCert != "" || opts.TLSKey != "" {
		if opts.TLSCert == "" || opts.TLSKey == "" {
			return nil, errors.New("TLS needs both a certificate and a key file")
		}
		cert, err := tls.LoadX509KeyPair(opts.TLSCert, opts.TLSKey)
		if err != nil {
			return nil, fmt.Errorf("load TLS certificate %s and key %s: %w", opts.TLSCert, opts.TLSKey, err)
		}
		if leaf, err := x509.ParseCertificate(cert.Certificate[0]); err == nil {
			s.channelBinding = serverEndPoint(leaf)
		}
		config := &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
		if opts.ClientCA != "" {
			cas, err := loadClientCAs(opts.ClientCA)
			if err != nil {
				return nil, err
			}
			requestClientCerts(config, cas)
		}
		config.GetConfigForClient = func(hello *tls.ClientHelloInfo) (*tls.Config, error) {
			// The handshake runs on the socket Serve accepted; marking it
			// is how authentication learns the connection is encrypted.
			sock, ok := hello.Conn.(*socket)
			if !ok {
				return nil, nil
			}
			sock.tls.Store(true)
			if config.ClientCAs != nil {
				return recordingClientCert(config, sock), nil
			}
			return nil, nil
		}
		options = append(options, wire.TLSConfig(config))
	}
	protocol, err := wire.NewServer(s.parse, options...)
	if err != nil {
		return nil, err
	}
	s.protocol = protocol
	return s, nil
}

// AuthMethod is the password method clients authenticate with.
func (s *Server) AuthMethod() AuthMethod { return s.authMethod }

// Serve accepts connections on l until Close; it closes l.
func (s *Server) Serve(l net.Listener) error {
	wl := newWatchingListener(l)
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return l.Close()
	}
	s.listeners = append(s.listeners, wl)
	s.mu.Unlock()
	return s.protocol.Serve(wl)
}

// Close stops accepting connections, cancels running queries, closes every
// connection with its session and waits until they are gone.
func (s *Server) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	listeners := s.listeners
	s.mu.Unlock()

	for _, l := range listeners {
		l.Close() //nolint:errcheck // closing twice is harmless and the listener is gone either way
	}
	for _, l := range listeners {
		l.abortAll()
	}
	err := s.protocol.Close()
	s.protocol.Wait()
	return err
}

// backendKey is the BackendKeyData psql-wire sends after authentication.
func (s *Server) backendKey(ctx context.Context) (int32, int32) {
	c := connFrom(ctx)
	return c.pid, c.secret
}

// register assigns c a process ID no other connection uses and a secret,
// unless MaxConnections sessions are open already.
func (s *Server) register(c *conn) error {
	var b [8]byte
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.conns) >= s.maxConns {
		return pgerr.New(pgerr.TooManyConnections, "sorry, too many clients already")
	}
	for {
		rand.Read(b[:]) //nolint:errcheck // crypto/rand.Read never fails
		pid := int32(binary.BigEndian.Uint32(b[:4]) & 0x7fffffff)
		if _, taken := s.conns[pid]; pid != 0 && !taken {
			c.pid = pid
			c.secret = int32(binary.BigEndian.Uint32(b[4:]))
			s.conns[pid] = c
			return nil
		}
	}
}

func (s *Server) unregister(c *conn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.conns[c.pid] == c {
		delete(s.conns, c.pid)
	}
}

// cancelRequest handles a CancelRequest packet. As in PostgreSQL, a wrong
// key is ignored silently: the requester learns nothing either way.
func (s *Server) cancelRequest(_ context.Context, pid, secret int32) error {
	s.mu.Lock()
	c := s.conns[pid]
	s.mu.Unlock()
	if c == nil || subtle.ConstantTimeEq(c.secret, secret) != 1 {
		s.logger.Debug("ignoring cancel request with an unknown key", "pid", pid)
		return nil
	}
	c.cancelQuery(context.Canceled)
	return nil
}
