package wire

import (
	"bufio"
	"bytes"
	"context"
	"net"
	"sync"
	"time"

	wire "github.com/jeroenrinzema/psql-wire"
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

	wmu sync.Mutex
	out *bufio.Writer

	mu      sync.Mutex
	ready   sync.Cond // signalled when pending grows, shrinks or the watcher stops
	pending bytes.Buffer
	readErr error
	closing bool
	// working counts the queries running; watch starts the watcher when
	// one has run for watchAfter.
	working int
	watch   *time.Timer
	// watching is set while the watcher reads, reading while the protocol
	// reader reads the network connection itself.
	watching bool
	reading  bool

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

// startWork marks a query running until the matching endWork.
func (s *socket) startWork() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.working++
	if s.working > 1 {
		return
	}
	if s.watch == nil {
		s.watch = time.AfterFunc(watchAfter, s.startWatcher)
	} else {
		s.watch.Reset(watchAfter)
	}
}

func (s *socket) endWork() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.working--
	if s.working == 0 {
		s.watch.Stop()
	}
}

// startWatcher starts the watcher for a query still running, unless the
// connection is being read already.
func (s *socket) startWatcher() {
	s.mu.Lock()
	defer s.mu.Unlock()
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
// nothing to read yet.
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
	if direct {
		n, err := s.Conn.Read(p)
		s.mu.Lock()
		s.reading = false
		if err != nil {
			s.readErr = err
		}
		s.mu.Unlock()
		if err != nil {
			s.cancel()
		}
		return n, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for s.pending.Len() == 0 && s.readErr == nil {
		s.ready.Wait()
	}
	if s.pending.Len() == 0 {
		return 0, s.readErr
	}
	n, _ := s.pending.Read(p)
	s.ready.Broadcast()
	return n, nil
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

// abortAll aborts every open socket.
func (l *watchingListener) abortAll() {
	l.mu.Lock()
	open := make([]*socket, 0, len(l.sockets))
	for s := range l.sockets {
		open = append(open, s)
	}
	l.mu.Unlock()
	for _, s := range open {
		s.abort() //nolint:errcheck // the connection is being torn down
	}
}
