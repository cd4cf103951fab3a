package wire

import (
	"context"
	"encoding/binary"
	"errors"
	"time"

	proto "github.com/jeroenrinzema/psql-wire/pkg/types"
	"github.com/junction-db/junction/pgerr"
)

// errShutdown is the cause of a query cancelled by Shutdown.
var errShutdown = errors.New("server shutting down")

// shutdownMessage is what PostgreSQL tells a client whose connection a
// shutdown ends.
const shutdownMessage = "terminating connection due to administrator command"

// idleInTransactionTimeout (SQLSTATE 25P03) and its message end a session
// that waited longer than idle_in_transaction_session_timeout inside a
// transaction block.
const (
	idleInTransactionTimeout = "25P03"
	idleInTransactionMessage = "terminating connection due to idle-in-transaction timeout"
)

// adminShutdown is the error of a statement cancelled by a shutdown.
func adminShutdown() error { return pgerr.New(pgerr.AdminShutdown, shutdownMessage) }

// fatalMessage is a FATAL ErrorResponse that ends a connection, written
// directly to the socket: the connection may be between messages, where
// psql-wire's writer is not at hand.
func fatalMessage(code, message string) []byte {
	var body []byte
	for _, f := range []struct {
		field byte
		value string
	}{{'S', "FATAL"}, {'V', "FATAL"}, {'C', code}, {'M', message}} {
		body = append(body, f.field)
		body = append(body, f.value...)
		body = append(body, 0)
	}
	body = append(body, 0)
	msg := []byte{byte(proto.ServerErrorResponse), 0, 0, 0, 0}
	binary.BigEndian.PutUint32(msg[1:], uint32(4+len(body)))
	return append(msg, body...)
}

// shutdownGrace bounds the wait for cancelled queries to end their
// connections once Shutdown's context has ended.
const shutdownGrace = 5 * time.Second

// Shutdown stops the server the way PostgreSQL's fast shutdown ends its
// sessions, after a wait: it stops accepting connections at once, lets
// the statements that are running finish until ctx ends, and ends every
// connection as soon as it waits for its client. When ctx ends, the
// statements still running are cancelled. Every client is told FATAL
// 57P01 before its connection closes. Shutdown returns once every
// connection is gone.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	listeners := s.listeners
	s.mu.Unlock()
	for _, l := range listeners {
		l.Close() //nolint:errcheck // the listener is gone either way
		l.drainAll()
	}
	if !s.waitForConnections(ctx) {
		s.logger.Info("cancelling the statements still running")
		s.mu.Lock()
		for _, c := range s.conns {
			c.cancelQuery(errShutdown)
		}
		s.mu.Unlock()
		grace, cancel := context.WithTimeout(context.Background(), shutdownGrace)
		defer cancel()
		s.waitForConnections(grace)
	}
	return s.Close()
}

// waitForConnections waits until no connection is open; false when ctx
// ends first.
func (s *Server) waitForConnections(ctx context.Context) bool {
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		s.mu.Lock()
		listeners := s.listeners
		s.mu.Unlock()
		open := 0
		for _, l := range listeners {
			open += l.open()
		}
		if open == 0 {
			return true
		}
		select {
		case <-ctx.Done():
			return false
		case <-tick.C:
		}
	}
}

// Sessions counts the client sessions open now.
func (s *Server) Sessions() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.conns)
}
