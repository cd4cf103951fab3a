package wire

import (
	"bufio"
	"bytes"
	"context"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"time"

	wire "github.com/jeroenrinzema/psql-wire"
	"github.com/junction-db/junction/pgerr"
)

// maxReadAhead bounds what a socket buffers ahead of the protocol reader.
// While that much is pending the watcher stops reading, so a disconnect is
// noticed once the client's pipelined input has been consumed.
const maxReadAhead = 1 << 20

// writeBuffer is how much output a socket gathers before it sends it.
const writeBuffer = 64 << 10

// watchAfter is how long a query runs before its socket is watched for
// the client's hang-up.
const watchAfter = 100 * time.Millisecond

// socket is an accepted connection that notices the client's hang-up
// while a query runs. psql-wire reads the socket only between commands, so
// a client that hangs up while its query runs would go unnoticed until the
// query tries to write. A query that runs for watchAfter gets a watcher
// goroutine that reads ahead of the protocol reader and cancels the
// socket's context the moment the peer's end is closed; it stops once
// the query is over and it has handed over what it read. A short query
// has no watcher to wake: between commands the protocol reader reads the
// network connection itself, so the client's next message wakes the
// connection's goroutine directly.
//
// Output is buffered: psql-wire writes every protocol message with its own
// write, which would cost a system call per message. As in PostgreSQL the
// buffer is sent when it fills, and whenever the connection is about to
// wait for the client, so nothing the client waits for is held back.
type socket struct {
	net.Conn
	ctx    context.Context // cancelled when the client is gone or the socket closed
	cancel context.CancelFunc
	owner  *watchingListener
	// tls is set once the client has started a TLS handshake on the
	// socket; psql-wire wraps the socket in the TLS connection.
	tls atomic.Bool
	// clientCert is the certificate the client proved it holds in the
	// TLS handshake, verified against the client CA; nil if none.
	clientCert atomic.Pointer[x509.Certificate]

	wmu sync.Mutex
	out *bufio.Writer

	mu      sync.Mutex
	ready   sync.Cond // signalled when pending grows, shrinks or the watcher stops
	pending bytes.Buffer
	readErr error
	closing bool
	// working counts the queries running, the first of them since
	// workStarted; watch starts the watcher when one has run for
	// watchAfter, and is set while watchSet.
	working     int
	workStarted time.Time
	watch       *time.Timer
	watchSet    bool
	// watching is set while the watcher reads, reading while the protocol
	// reader reads the network connection itself.
	watching bool
	reading  bool
	// draining is set by a shutdown: the connection ends the next time
	// it waits for its client.
	draining bool
	// idleLimit, when set, says how long the connection may wait for its
	// client now (zero: no limit); idleExpired is set when wait number
	// idleWait lasted that long.
	idleLimit   func() time.Duration
	idleWait    uint64
	idleExpired bool

	closeOnce sync.Once
	onClose   []func()
}

func newSocket(c net.Conn, owner *watchingListener) *socket {
	s := &socket{Conn: c, owner: owner}
	s.out = bufio.NewWriterSize(c, writeBuffer)
	s.ctx, s.cancel = context.WithCancel(context.Background())
	s.ready.L = &s.mu
	return s
}

// startWork marks a query running until the matching endWork. The watch
// timer is set when the connection's first query starts and left running
// after: when it fires it starts the watcher for a query that has run for
// watchAfter, or sets itself again for the query running now. Queries that
// follow one another quickly thus do not each set and stop a timer, and
// each change of a timer may wake the runtime's network poller.
func (s *socket) startWork() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.working++
	if s.working > 1 {
		return
	}
	s.workStarted = time.Now()
	if s.watchSet {
		return
	}
	s.watchSet = true
	if s.watch == nil {
		s.watch = time.AfterFunc(watchAfter, s.watchTimer)
	} else {
		s.watch.Reset(watchAfter)
	}
}

func (s *socket) endWork() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.working--
}

// watchTimer starts the watcher for a query that has run for watchAfter,
// unless the connection is being read already.
func (s *socket) watchTimer() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.working > 0 && !s.closing {
		if ran := time.Since(s.workStarted); ran < watchAfter {
			s.watch.Reset(watchAfter - ran)
			return
		}
	}
	s.watchSet = false
	if s.working == 0 || s.watching || s.reading || s.readErr != nil || s.closing {
		return
	}
	s.watching = true
	go s.watchConn()
}

// watchConn reads ahead until the connection fails, or until what it
// read after the last query ended has been handed over.
func (s *socket) watchConn() {
	buf := make([]byte, 32<<10)
	for {
		s.mu.Lock()
		for s.pending.Len() >= maxReadAhead && !s.closing {
			s.ready.Wait()
		}
		s.mu.Unlock()

		n, err := s.Conn.Read(buf)

		s.mu.Lock()
		s.pending.Write(buf[:n])
		if err != nil {
			s.readErr = err
		}
		stop := err != nil || s.working == 0
		if stop {
			s.watching = false
		}
		s.ready.Broadcast()
		s.mu.Unlock()
		if err != nil {
			s.cancel()
		}
		if stop {
			return
		}
	}
}

// Write buffers p.
func (s *socket) Write(p []byte) (int, error) {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	return s.out.Write(p)
}

// flush sends the buffered output.
func (s *socket) flush() error {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	return s.out.Flush()
}

// Read hands out what the watcher has read, or else reads the network
// connection itself, sending the buffered output first when there is
// nothing to read yet. A connection that would wait for its client while
// the server drains, or longer than its idle limit, is terminated instead.
func (s *socket) Read(p []byte) (int, error) {
	s.mu.Lock()
	empty := s.pending.Len() == 0 && s.readErr == nil
	direct := empty && !s.watching
	s.reading = direct
	s.mu.Unlock()
	if empty {
		if err := s.flush(); err != nil {
			s.mu.Lock()
			s.reading = false
			s.mu.Unlock()
			return 0, err
		}
	}
	var limit time.Duration
	if empty && s.idleLimit != nil {
		limit = s.idleLimit()
	}
	if direct {
		return s.readConn(p, limit)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if limit > 0 {
		timer := time.AfterFunc(limit, s.idleTimer(s.idleWait))
		defer timer.Stop()
	}
	// A timer of a wait that has ended must not expire the next one.
	defer func() { s.idleWait++; s.idleExpired = false }()
	for s.pending.Len() == 0 && s.readErr == nil && !s.draining && !s.idleExpired {
		s.ready.Wait()
	}
	if s.pending.Len() == 0 && s.readErr == nil && !s.closing {
		s.mu.Unlock()
		s.endWait()
		s.mu.Lock()
		return 0, io.EOF
	}
	if s.pending.Len() == 0 {
		if s.readErr == nil {
			return 0, io.EOF
		}
		return 0, s.readErr
	}
	n, _ := s.pending.Read(p)
	s.ready.Broadcast()
	return n, nil
}

// readConn reads the network connection on the protocol reader's own
// goroutine. A read deadline bounds the wait by the idle limit, and drain
// moves it to now to end the wait at once.
func (s *socket) readConn(p []byte, limit time.Duration) (int, error) {
	s.mu.Lock()
	draining := s.draining
	s.mu.Unlock()
	if !draining && limit > 0 {
		s.Conn.SetReadDeadline(time.Now().Add(limit)) //nolint:errcheck // a closed socket fails the read below
		defer s.Conn.SetReadDeadline(time.Time{})     //nolint:errcheck // as above
	}
	var n int
	var err error
	if !draining {
		n, err = s.Conn.Read(p)
	}
	s.mu.Lock()
	s.reading = false
	waitEnded := draining || (n == 0 && errors.Is(err, os.ErrDeadlineExceeded) && !s.closing)
	if err != nil && !waitEnded {
		s.readErr = err
	}
	s.mu.Unlock()
	if waitEnded {
		s.endWait()
		return 0, io.EOF
	}
	if err != nil {
		s.cancel()
	}
	return n, err
}

// endWait ends a connection whose wait for its client was cut short by a
// shutdown or by the idle limit.
func (s *socket) endWait() {
	s.mu.Lock()
	draining := s.draining
	s.mu.Unlock()
	if draining {
		s.terminate(pgerr.AdminShutdown, shutdownMessage)
	} else {
		s.terminate(idleInTransactionTimeout, idleInTransactionMessage)
	}
}

// RemoteAddr carries the socket itself, so that the connection it belongs to
// can find it through psql-wire's RemoteAddress.
func (s *socket) RemoteAddr() net.Addr { return socketAddr{Addr: s.Conn.RemoteAddr(), socket: s} }

// socketAddr is a socket's remote address.
type socketAddr struct {
	net.Addr
	socket *socket
}

// socketOf returns the socket a connection came in on.
func socketOf(ctx context.Context) *socket {
	if a, ok := wire.RemoteAddress(ctx).(socketAddr); ok {
		return a.socket
	}
	return nil
}

// whenClosed registers fn to run when the connection's goroutine closes the
// socket, after its last command.
func (s *socket) whenClosed(fn func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.onClose = append(s.onClose, fn)
}

// Close sends what is buffered (a FATAL error, say), closes the socket and
// runs the registered clean-ups. psql-wire calls it from the connection's
// own goroutine when the connection ends.
func (s *socket) Close() error {
	s.flush() //nolint:errcheck // the peer may be gone; the socket closes either way
	err := s.abort()
	s.closeOnce.Do(func() {
		s.mu.Lock()
		fns := s.onClose
		s.mu.Unlock()
		for _, fn := range fns {
			fn()
		}
		s.owner.forget(s)
	})
	return err
}

// drain makes the connection end the next time it waits for its client,
// waking it if it waits already.
func (s *socket) drain() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.draining = true
	if s.reading {
		// Wakes the protocol reader waiting in readConn.
		s.Conn.SetReadDeadline(time.Now()) //nolint:errcheck // a closed socket needs no waking
	}
	s.ready.Broadcast()
}

// idleTimer returns what ends wait number wait for the client once it
// lasted the idle limit.
func (s *socket) idleTimer(wait uint64) func() {
	return func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.idleWait == wait {
			s.idleExpired = true
			s.ready.Broadcast()
		}
	}
}

// terminate sends the client a FATAL error and aborts the socket.
func (s *socket) terminate(code, message string) {
	s.wmu.Lock()
	s.out.Write(fatalMessage(code, message)) //nolint:errcheck // the peer may be gone; the socket closes either way
	s.out.Flush()                            //nolint:errcheck // as above
	s.wmu.Unlock()
	s.abort() //nolint:errcheck // as above
}

// abort cancels the socket's context and closes the network connection;
// the connection's goroutine notices and winds down by itself.
func (s *socket) abort() error {
	s.cancel()
	s.mu.Lock()
	s.closing = true
	s.ready.Broadcast()
	s.mu.Unlock()
	return s.Conn.Close()
}

// watchingListener wraps every accepted connection in a socket and keeps
// track of the open ones.
type watchingListener struct {
	net.Listener

	mu      sync.Mutex
	closed  bool
	sockets map[*socket]struct{}
}

func newWatchingListener(l net.Listener) *watchingListener {
	return &watchingListener{Listener: l, sockets: map[*socket]struct{}{}}
}

func (l *watchingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		// Accepted just as the listener closed: abortAll may have run already.
		c.Close() //nolint:errcheck // the connection is refused either way
		return nil, net.ErrClosed
	}
	s := newSocket(c, l)
	l.sockets[s] = struct{}{}
	return s, nil
}

// Close closes the listener once; psql-wire closes it again when it stops.
func (l *watchingListener) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return nil
	}
	l.closed = true
	return l.Listener.Close()
}

func (l *watchingListener) forget(s *socket) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.sockets, s)
}

// drainAll drains every open socket.
func (l *watchingListener) drainAll() {
	for _, s := range l.openSockets() {
		s.drain()
	}
}

// open counts the open sockets.
func (l *watchingListener) open() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.sockets)
}

func (l *watchingListener) openSockets() []*socket {
	l.mu.Lock()
	defer l.mu.Unlock()
	open := make([]*socket, 0, len(l.sockets))
	for s := range l.sockets {
		open = append(open, s)
	}
	return open
}

// abortAll aborts every open socket.
func (l *watchingListener) abortAll() {
	for _, s := range l.openSockets() {
		s.abort() //nolint:errcheck // the connection is being torn down
	}
}
