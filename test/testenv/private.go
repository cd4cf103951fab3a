package testenv

import (
	"context"
	"database/sql"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"
)

// PrivateMariaDB is a MariaDB server a test starts for itself, on its own
// port and data directory, so that it can kill and restart it without
// touching the shared server.
type PrivateMariaDB struct {
	// Port is the TCP port it listens on, on 127.0.0.1; it stays the
	// same across restarts.
	Port int

	bin     string
	dataDir string
	sockDir string
	log     string
	cmd     *exec.Cmd
	exited  chan struct{}
}

// StartPrivateMariaDB creates a data directory in the test's temporary
// directory and starts a MariaDB server on it, stopped when the test ends.
// It skips the test when the server binaries are not installed.
func StartPrivateMariaDB(tb testing.TB) *PrivateMariaDB {
	tb.Helper()
	install, err1 := exec.LookPath("mariadb-install-db")
	bin, err2 := lookPathOrSbin("mariadbd")
	if err1 != nil || err2 != nil {
		Unavailable(tb, "a private MariaDB needs mariadb-install-db and mariadbd on the PATH")
	}
	m := &PrivateMariaDB{bin: bin, dataDir: filepath.Join(tb.TempDir(), "data")}
	// A socket path must be short; the test's directory may not be.
	sockDir, err := os.MkdirTemp("", "mdb")
	if err != nil {
		tb.Fatal(err)
	}
	m.sockDir, m.log = sockDir, filepath.Join(filepath.Dir(m.dataDir), "mariadbd.log")
	tb.Cleanup(func() { os.RemoveAll(sockDir) })
	args := append([]string{"--no-defaults", "--datadir=" + m.dataDir, "--auth-root-authentication-method=normal", "--skip-test-db"}, runAs()...)
	out, err := exec.Command(install, args...).CombinedOutput()
	if err != nil {
		tb.Fatalf("mariadb-install-db: %v\n%s", err, out)
	}
	addr, err := freeAddr()
	if err != nil {
		tb.Fatal(err)
	}
	_, port, _ := net.SplitHostPort(addr)
	m.Port, _ = strconv.Atoi(port)
	m.Start(tb)
	tb.Cleanup(func() {
		m.Kill(tb)
		if tb.Failed() {
			if b, err := os.ReadFile(m.log); err == nil {
				tb.Logf("private MariaDB log:\n%s", b)
			}
		}
	})
	return m
}

func lookPathOrSbin(name string) (string, error) {
	if p, err := exec.LookPath(name); err == nil {
		return p, nil
	}
	return exec.LookPath(filepath.Join("/usr/sbin", name))
}

// runAs keeps the server on the test's own user: mariadbd refuses to run
// as root unless told so explicitly, and another user could not reach a
// data directory inside the test's.
func runAs() []string {
	if os.Geteuid() == 0 {
		return []string{"--user=root"}
	}
	return nil
}

// Start starts the server (again) and waits until it accepts queries.
func (m *PrivateMariaDB) Start(tb testing.TB) {
	tb.Helper()
	logFile, err := os.OpenFile(m.log, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		tb.Fatal(err)
	}
	defer logFile.Close()
	args := []string{"--no-defaults", "--datadir=" + m.dataDir, "--port=" + strconv.Itoa(m.Port),
		"--bind-address=127.0.0.1", "--socket=" + filepath.Join(m.sockDir, "s"),
		"--pid-file=" + filepath.Join(m.sockDir, "pid"), "--skip-log-bin", "--innodb-buffer-pool-size=32M"}
	args = append(args, runAs()...)
	m.cmd = exec.Command(m.bin, args...)
	m.cmd.Stdout, m.cmd.Stderr = logFile, logFile
	if err := m.cmd.Start(); err != nil {
		tb.Fatalf("start mariadbd: %v", err)
	}
	m.exited = make(chan struct{})
	go func(cmd *exec.Cmd, exited chan struct{}) {
		cmd.Wait() //nolint:errcheck // a killed server exits with an error
		close(exited)
	}(m.cmd, m.exited)
	deadline := time.Now().Add(startTimeout)
	for {
		db, err := m.Open("")
		if err == nil {
			err = db.PingContext(context.Background())
			db.Close()
		}
		if err == nil {
			return
		}
		select {
		case <-m.exited:
			tb.Fatalf("private MariaDB exited while starting: %v", err)
		default:
		}
		if time.Now().After(deadline) {
			tb.Fatalf("private MariaDB did not answer within %s: %v", startTimeout, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// Kill ends the server with SIGKILL, as a crash would, and waits until it
// is gone. Killing a stopped server does nothing.
func (m *PrivateMariaDB) Kill(tb testing.TB) {
	tb.Helper()
	select {
	case <-m.exited:
		return
	default:
	}
	if err := m.cmd.Process.Kill(); err != nil {
		tb.Errorf("kill private MariaDB: %v", err)
	}
	<-m.exited
}

// Freeze stops the server with SIGSTOP: it keeps its connections and
// accepts new ones, and answers nothing, as a hung server does.
func (m *PrivateMariaDB) Freeze(tb testing.TB) {
	tb.Helper()
	if err := m.cmd.Process.Signal(syscall.SIGSTOP); err != nil {
		tb.Fatalf("freeze private MariaDB: %v", err)
	}
}

// Thaw lets a frozen server go on with SIGCONT.
func (m *PrivateMariaDB) Thaw(tb testing.TB) {
	tb.Helper()
	if err := m.cmd.Process.Signal(syscall.SIGCONT); err != nil {
		tb.Fatalf("thaw private MariaDB: %v", err)
	}
}

// Open connects to database dbname (empty: none) as root.
func (m *PrivateMariaDB) Open(dbname string) (*sql.DB, error) {
	return sql.Open("mysql", fmt.Sprintf("root:@tcp(127.0.0.1:%d)/%s?timeout=%s&multiStatements=true", m.Port, dbname, connectTimeout))
}
