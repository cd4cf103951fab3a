package wire

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"os"

	"github.com/jeroenrinzema/psql-wire/pkg/buffer"
	"github.com/junction-db/junction/pgerr"
)

// ClientCertMode is what a client's TLS certificate has to do with its
// login, named as PostgreSQL's clientcert option of pg_hba.conf.
type ClientCertMode string

// The client certificate modes.
const (
	// ClientCertOff ignores client certificates: a certificate the client
	// sends is checked against the client CA but proves nothing.
	ClientCertOff ClientCertMode = "off"
	// ClientCertVerifyCA requires a certificate signed by the client CA,
	// and the user's password on top of it.
	ClientCertVerifyCA ClientCertMode = "verify-ca"
	// ClientCertVerifyFull requires a certificate signed by the client CA
	// whose Common Name is the user name; it logs the user in without a
	// password, as PostgreSQL's cert method does.
	ClientCertVerifyFull ClientCertMode = "verify-full"
)

// ClientCert is what a client's certificate proves in its login.
func (s *Server) ClientCert() ClientCertMode { return s.clientCert }

// clientCertMode checks the client certificate options against the rest
// of opts and the engine's users; "" means ClientCertOff.
func clientCertMode(opts Options, haveUsers bool) (ClientCertMode, error) {
	mode := opts.ClientCert
	switch mode {
	case "":
		mode = ClientCertOff
	case ClientCertOff, ClientCertVerifyCA, ClientCertVerifyFull:
	default:
		return "", fmt.Errorf(`unknown client certificate mode %q (use "verify-full", "verify-ca" or "off")`, mode)
	}
	if opts.ClientCA != "" && opts.TLSCert == "" {
		return "", errors.New("a client CA needs a TLS certificate and key")
	}
	if mode != ClientCertOff {
		if opts.ClientCA == "" {
			return "", fmt.Errorf("client certificate mode %q needs a client CA file that signs the client certificates", mode)
		}
		if !haveUsers {
			return "", fmt.Errorf("client certificate mode %q needs configured users: a certificate logs in only a user that exists", mode)
		}
	}
	return mode, nil
}

// loadClientCAs reads the PEM bundle of the certificates that sign client
// certificates.
func loadClientCAs(file string) (*x509.CertPool, error) {
	pem, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("read client CA file: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("client CA file %s holds no PEM certificate", file)
	}
	return pool, nil
}

// requestClientCerts makes config ask clients for a certificate signed by
// cas. A client may still come without one (so that password logins go on
// working when no mode requires one), but one whose certificate does not
// verify fails the handshake, as in PostgreSQL.
func requestClientCerts(config *tls.Config, cas *x509.CertPool) {
	config.ClientCAs = cas
	config.ClientAuth = tls.VerifyClientCertIfGiven
}

// recordingClientCert is config for the handshake on sock: a copy that
// keeps the client's verified certificate on the socket for the login.
func recordingClientCert(config *tls.Config, sock *socket) *tls.Config {
	c := config.Clone()
	c.GetConfigForClient = nil
	c.VerifyConnection = func(state tls.ConnectionState) error {
		if len(state.VerifiedChains) > 0 && len(state.VerifiedChains[0]) > 0 {
			sock.clientCert.Store(state.VerifiedChains[0][0])
		}
		return nil
	}
	return c
}

// checkClientCert applies the client certificate mode to a login of user
// from host on sock; loggedIn reports that the certificate alone
// authenticated the user (verify-full).
func (s *Server) checkClientCert(w *buffer.Writer, sock *socket, user, host string) (loggedIn bool, err error) {
	cert := sock.clientCert.Load()
	if cert == nil {
		s.logger.Warn("connection refused: no valid client certificate", "client", host, "user", user)
		return false, refuse(w, pgerr.InvalidAuthorization, "connection requires a valid client certificate")
	}
	if s.clientCert != ClientCertVerifyFull {
		return false, nil
	}
	// An unknown user fails as a name mismatch does, so that a certificate
	// cannot probe which users exist.
	if cert.Subject.CommonName != user || !s.engine.HasRole(user) {
		s.logins.failed(host)
		s.logger.Warn("certificate authentication failed", "client", host, "user", user, "common_name", cert.Subject.CommonName)
		return false, refuse(w, pgerr.InvalidAuthorization, fmt.Sprintf(`certificate authentication failed for user "%s"`, user))
	}
	return true, nil
}
