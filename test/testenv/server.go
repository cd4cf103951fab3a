package testenv

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// Bounds on the server's life cycle: generous for a loaded 2-core machine,
// short enough that a hung server fails the test instead of the suite.
const (
	startTimeout = 20 * time.Second
	stopTimeout  = 10 * time.Second
)

// The user the tests log in as. demo admits only this user with this
// password; serve without configured users admits anyone, so the same
// credentials work for both.
const (
	DemoUser     = "junction"
	DemoPassword = "junction"
)

var build struct {
	once sync.Once
	dir  string
	path string
	err  error
}

// BuildBinary builds the junction command once per test process and
// returns the executable's path.
func BuildBinary(tb testing.TB) string {
	tb.Helper()
	build.once.Do(func() {
		root, err := ModuleRoot()
		if err != nil {
			build.err = err
			return
		}
		goTool, err := exec.LookPath("go")
		if err != nil {
			build.err = fmt.Errorf("the go command is needed to build junction: %w", err)
			return
		}
		build.dir, err = os.MkdirTemp("", "junction-test-bin-")
		if err != nil {
			build.err = err
			return
		}
		build.path = filepath.Join(build.dir, "junction")
		cmd := exec.Command(goTool, "build", "-o", build.path, "./cmd/junction")
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			build.err = fmt.Errorf("go build ./cmd/junction: %v\n%s", err, out)
		}
	})
	if build.err != nil {
		tb.Fatal(build.err)
	}
	return build.path
}

// Main runs a test binary's tests and then removes the junction binary
// BuildBinary built. Use it as TestMain.
func Main(m *testing.M) {
	code := m.Run()
	if build.dir != "" {
		os.RemoveAll(build.dir)
	}
	os.Exit(code)
}

// ModuleRoot finds the directory of go.mod by walking up from the working
// directory (a test runs in its package's directory).
func ModuleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("go.mod not found above the working directory")
		}
		dir = parent
	}
}

// Server is a running junction process.
type Server struct {
	// Addr is the PostgreSQL wire address (host:port).
	Addr string
	// HTTPAddr is the address of /healthz and /readyz.
	HTTPAddr string
	// DataDir is the data directory; Restart keeps it.
	DataDir string

	args    []string
	cmd     *exec.Cmd
	output  *lockedBuffer
	exited  chan struct{}
	waitErr error
	stopped bool
}

// StartServer runs the junction binary with args (default "serve") plus
// --listen and --http on free local ports and --data-dir in a directory
// of the test, waits until it accepts connections, and stops it with
// SIGTERM when the test ends. args must not set those three flags.
func StartServer(tb testing.TB, args ...string) *Server {
	tb.Helper()
	if len(args) == 0 {
		args = []string{"serve"}
	}
	s := &Server{DataDir: tb.TempDir(), args: args}
	s.start(tb)
	tb.Cleanup(func() {
		s.Stop(tb)
		if tb.Failed() {
			tb.Logf("junction %v output:\n%s", s.args, s.Output())
		}
	})
	return s
}

func (s *Server) start(tb testing.TB) {
	tb.Helper()
	bin := BuildBinary(tb)
	// A free port may be taken by another process before the server
	// binds it; that is worth another try, anything else is a failure.
	for attempt := 1; ; attempt++ {
		err := s.launch(bin)
		if err == nil {
			return
		}
		if attempt == 3 || !strings.Contains(s.Output(), "address already in use") {
			tb.Fatalf("junction %v: %v; output:\n%s", s.args, err, s.Output())
		}
	}
}

// launch starts the process on fresh ports and waits until it accepts
// connections.
func (s *Server) launch(bin string) error {
	var err error
	if s.Addr, err = freeAddr(); err != nil {
		return err
	}
	if s.HTTPAddr, err = freeAddr(); err != nil {
		return err
	}
	args := append(append([]string{}, s.args...), "--listen", s.Addr, "--http", s.HTTPAddr, "--data-dir", s.DataDir)
	s.output = &lockedBuffer{}
	s.stopped = false
	s.cmd = exec.Command(bin, args...)
	s.cmd.Stdout = s.output
	s.cmd.Stderr = s.output
	if err := s.cmd.Start(); err != nil {
		s.stopped = true
		return err
	}
	s.exited = make(chan struct{})
	go func() {
		s.waitErr = s.cmd.Wait()
		close(s.exited)
	}()
	deadline := time.Now().Add(startTimeout)
	for {
		select {
		case <-s.exited:
			s.stopped = true
			return fmt.Errorf("exited before accepting connections (%v)", s.waitErr)
		default:
		}
		conn, err := net.DialTimeout("tcp", s.Addr, 250*time.Millisecond)
		if err == nil {
			conn.Close()
			return nil
		}
		if time.Now().After(deadline) {
			s.kill()
			return fmt.Errorf("did not accept connections on %s within %s", s.Addr, startTimeout)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// freeAddr returns a local address no one listens on right now.
func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("find a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().String(), nil
}

// Stop sends SIGTERM and fails the test unless the server exits cleanly
// within 10 seconds, or if it had exited on its own. Stopping a stopped
// server does nothing.
func (s *Server) Stop(tb testing.TB) {
	tb.Helper()
	if s.stopped {
		return
	}
	s.stopped = true
	select {
	case <-s.exited:
		tb.Errorf("junction exited on its own during the test (%v); output:\n%s", s.waitErr, s.Output())
		return
	default:
	}
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		tb.Errorf("send SIGTERM to junction: %v", err)
	}
	select {
	case <-s.exited:
		if s.waitErr != nil {
			tb.Errorf("junction exited with %v after SIGTERM; a clean shutdown exits with status 0", s.waitErr)
		}
	case <-time.After(stopTimeout):
		s.kill()
		tb.Errorf("junction did not exit within %s of SIGTERM", stopTimeout)
	}
}

// Terminate sends the server SIGTERM and returns at once, so that a test
// can watch the shutdown; WaitExit then waits for the process to end.
func (s *Server) Terminate(tb testing.TB) {
	tb.Helper()
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		tb.Fatalf("send SIGTERM to junction: %v", err)
	}
}

// WaitExit waits up to timeout for the process to end and returns its
// exit error (nil for status 0); past the timeout it kills the process and
// fails the test. The server then counts as stopped.
func (s *Server) WaitExit(tb testing.TB, timeout time.Duration) error {
	tb.Helper()
	select {
	case <-s.exited:
		s.stopped = true
		return s.waitErr
	case <-time.After(timeout):
		s.kill()
		tb.Fatalf("junction did not exit within %s", timeout)
		return nil
	}
}

// Kill ends the server with SIGKILL, as a crash would, and waits for
// the process to be gone; the server then counts as stopped.
func (s *Server) Kill() { s.kill() }

func (s *Server) kill() {
	s.stopped = true
	s.cmd.Process.Kill() //nolint:errcheck // it may have exited meanwhile
	<-s.exited
}

// Restart stops the server and starts it again on the same data directory,
// as an operator restarting the service would.
func (s *Server) Restart(tb testing.TB) {
	tb.Helper()
	s.Stop(tb)
	s.start(tb)
}

// Pid is the process id of the running server, for reading its resource
// use from /proc.
func (s *Server) Pid() int { return s.cmd.Process.Pid }

// Output is everything the server wrote to stdout and stderr so far.
func (s *Server) Output() string { return s.output.String() }

// WaitForOutput waits until the server's output matches re and returns
// the match's first group (or the whole match without groups).
func (s *Server) WaitForOutput(tb testing.TB, re *regexp.Regexp) string {
	tb.Helper()
	deadline := time.Now().Add(startTimeout)
	for {
		if m := re.FindStringSubmatch(s.Output()); m != nil {
			return m[len(m)-1]
		}
		if time.Now().After(deadline) {
			tb.Fatalf("junction did not print a line matching %s within %s; output:\n%s", re, startTimeout, s.Output())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// URL is the connection URL for user and password (empty: none).
func (s *Server) URL(user, password string) string {
	u := url.URL{Scheme: "postgres", Host: s.Addr, Path: "/junction", RawQuery: "sslmode=disable"}
	switch {
	case password != "":
		u.User = url.UserPassword(user, password)
	case user != "":
		u.User = url.User(user)
	}
	return u.String()
}

// Connect opens a connection as the demo user, closed when the test ends.
func (s *Server) Connect(tb testing.TB) *pgx.Conn {
	tb.Helper()
	return ConnectURL(tb, s.URL(DemoUser, DemoPassword))
}

// ConnectURL opens a connection to a PostgreSQL URL, closed when the test
// ends.
func ConnectURL(tb testing.TB, url string) *pgx.Conn {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), connectTimeout)
	defer cancel()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		tb.Fatalf("connect to junction at %s: %v", url, err)
	}
	tb.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

// lockedBuffer collects a process's output while tests read it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
