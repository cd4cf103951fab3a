package wire

import (
	"errors"
	"fmt"

	"github.com/jeroenrinzema/psql-wire/pkg/buffer"
)

// A client logs in with a token of an identity provider (OAuth2 / OpenID
// Connect) by sending it as its password, as Trino's JWT authenticator
// takes it: the clear-text password exchange carries it, which is why JWT
// authentication needs require_tls. The token must verify (signature
// against the configured key set, algorithm, issuer, audience, expiry) and
// its role claim must name the user of the start-up packet, a catalog
// role that may log in.

// errTokenRefused wraps the reason a token was refused, for the log.
type errTokenRefused struct{ reason error }

func (e errTokenRefused) Error() string { return e.reason.Error() }
func (e errTokenRefused) Unwrap() []error {
	return []error{errAuthFailed, e.reason}
}

// takesJWT reports whether user's password is taken as a JWT: always with
// the jwt method, otherwise when JWT is configured and user is not a role
// with a password. The role the token names must exist and have LOGIN
// (engine.CheckLogin). Only TLS connections get this far when JWT is
// configured (it needs require_tls).
func (s *Server) takesJWT(user string) bool {
	if s.jwt == nil {
		return false
	}
	if s.authMethod == AuthJWT {
		return true
	}
	_, known := s.engine.Verifier(user)
	return !known
}

// jwtExchange asks for the password, verifies it as a JWT and checks that
// the token's role is user.
func (s *Server) jwtExchange(w *buffer.Writer, r *buffer.Reader, user string) error {
	if err := writeAuthRequest(w, authCleartextPassword); err != nil {
		return err
	}
	if err := readPasswordMessage(w, r, "password response"); err != nil {
		return err
	}
	token, err := r.GetString()
	if err != nil {
		return refuse(w, protocolViolation, "malformed password packet")
	}
	role, err := s.jwt.Role(token)
	if err != nil {
		return errTokenRefused{err}
	}
	if role != user {
		return errTokenRefused{fmt.Errorf("token is for role %q, not the user logging in", role)}
	}
	return nil
}

// refusalReason is why a login failed, for the log; empty for a wrong
// password, which needs no explanation.
func refusalReason(err error) string {
	var refused errTokenRefused
	if errors.As(err, &refused) {
		return refused.Error()
	}
	return ""
}
