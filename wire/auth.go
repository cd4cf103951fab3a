package wire

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"slices"

	"github.com/jeroenrinzema/psql-wire/pkg/buffer"
	proto "github.com/jeroenrinzema/psql-wire/pkg/types"
	"github.com/junction-db/junction/pgerr"
	"github.com/xdg-go/scram"
)

// Authentication request codes of the AuthenticationRequest message.
const (
	authOK                = 0
	authCleartextPassword = 3
	authSASL              = 10
	authSASLContinue      = 11
	authSASLFinal         = 12
)

// The SASL mechanisms. SCRAM-SHA-256-PLUS, with tls-server-end-point
// channel binding, is offered on TLS connections: it ties the exchange to
// the server's certificate, so a man in the middle holding another
// certificate cannot relay it.
const (
	scramMechanism     = "SCRAM-SHA-256"
	scramPlusMechanism = "SCRAM-SHA-256-PLUS"
)

// serverEndPoint is the tls-server-end-point channel binding of leaf (RFC
// 5929: a hash of the certificate chosen by its signature algorithm); its
// zero value, offering no binding, if the algorithm has no such hash.
func serverEndPoint(leaf *x509.Certificate) scram.ChannelBinding {
	// The library computes the binding from the client's point of view,
	// where the server's certificate is the peer's.
	cb, err := scram.NewTLSServerEndpointBinding(&tls.ConnectionState{PeerCertificates: []*x509.Certificate{leaf}})
	if err != nil {
		return scram.ChannelBinding{}
	}
	return cb
}

// errAuthFailed marks a refusal for a wrong password (or unknown user), as
// opposed to a broken exchange.
var errAuthFailed = errors.New("password authentication failed")

// scramExchange runs PostgreSQL's SASL exchange of SCRAM-SHA-256 for user.
// The user name in the client's first message is ignored, as PostgreSQL
// ignores it: the start-up packet's is the one authenticated.
func (s *Server) scramExchange(w *buffer.Writer, r *buffer.Reader, user string, encrypted bool) error {
	verifier, _ := s.engine.Verifier(user)
	server, err := scram.SHA256.NewServer(func(string) (scram.StoredCredentials, error) {
		return verifier.StoredCredentials, nil
	})
	if err != nil {
		return err
	}
	mechanisms := []string{scramMechanism}
	binding := scram.ChannelBinding{}
	if encrypted && s.channelBinding.IsSupported() {
		binding = s.channelBinding
		mechanisms = []string{scramPlusMechanism, scramMechanism}
	}
	w.Start(proto.ServerAuth)
	w.AddInt32(authSASL)
	for _, m := range mechanisms {
		w.AddString(m)
		w.AddNullTerminate()
	}
	w.AddNullTerminate()
	if err := w.End(); err != nil {
		return err
	}

	if err := readPasswordMessage(w, r, "SASL initial response"); err != nil {
		return err
	}
	mechanism, err := r.GetString()
	if err != nil {
		return refuse(w, protocolViolation, "malformed SASL initial response")
	}
	if !slices.Contains(mechanisms, mechanism) {
		return refuse(w, protocolViolation, "client selected an invalid SASL authentication mechanism")
	}
	n, err := r.GetInt32()
	if err != nil || n < 0 || int(n) != len(r.Msg) {
		return refuse(w, protocolViolation, "malformed SASL initial response")
	}
	// The GS2 flag must agree with the mechanism: "p=" (binding used)
	// exactly when the client chose the -PLUS one. The library checks the
	// rest, among it a "y" flag (client could bind, thought the server
	// could not) answered with the binding offered: a downgrade.
	if (mechanism == scramPlusMechanism) != bytes.HasPrefix(r.Msg, []byte("p=")) {
		return refuse(w, protocolViolation, "SCRAM channel binding flag does not match the selected mechanism")
	}
	conversation := server.NewConversationWithChannelBinding(binding)
	first, err := conversation.Step(string(r.Msg))
	if err != nil {
		return refuse(w, protocolViolation, "malformed SCRAM message: "+err.Error())
	}
	if err := writeAuthData(w, authSASLContinue, first); err != nil {
		return err
	}

	if err := readPasswordMessage(w, r, "SASL response"); err != nil {
		return err
	}
	final, err := conversation.Step(string(r.Msg))
	if err != nil || !conversation.Valid() {
		return errAuthFailed
	}
	return writeAuthData(w, authSASLFinal, final)
}

// cleartextExchange asks for the password itself and checks it.
func (s *Server) cleartextExchange(w *buffer.Writer, r *buffer.Reader, user string) error {
	if err := writeAuthRequest(w, authCleartextPassword); err != nil {
		return err
	}
	if err := readPasswordMessage(w, r, "password response"); err != nil {
		return err
	}
	password, err := r.GetString()
	if err != nil {
		return refuse(w, protocolViolation, "malformed password packet")
	}
	if !s.engine.Authenticate(user, password) {
		return errAuthFailed
	}
	return nil
}

// readPasswordMessage reads the client's next message, which must be a
// PasswordMessage ('p', also carrying the SASL responses).
func readPasswordMessage(w *buffer.Writer, r *buffer.Reader, what string) error {
	t, _, err := r.ReadTypedMsg()
	if err != nil {
		return err
	}
	if t != proto.ClientPassword {
		return refuse(w, protocolViolation, fmt.Sprintf("expected %s, got message type %q", what, byte(t)))
	}
	return nil
}

func writeAuthData(w *buffer.Writer, code int32, data string) error {
	w.Start(proto.ServerAuth)
	w.AddInt32(code)
	w.AddBytes([]byte(data))
	return w.End()
}

// refuseLogin sends the FATAL error of a failed password check.
func refuseLogin(w *buffer.Writer, user string) error {
	return refuse(w, pgerr.InvalidPassword, fmt.Sprintf(`password authentication failed for user "%s"`, user))
}

// checkLogin decides whether the client on sock may log in as user: the
// transport first (RequireTLS), then the rate limit of failed logins from
// its host, then the client certificate, then the password exchange of the
// configured method.
func (s *Server) checkLogin(w *buffer.Writer, r *buffer.Reader, sock *socket, user, database string) error {
	host := hostOf(sock.Conn.RemoteAddr())
	if s.requireTLS && !sock.tls.Load() {
		s.logger.Warn("connection refused: TLS required", "client", host, "user", user, "database", database)
		return refuse(w, pgerr.InvalidAuthorization, fmt.Sprintf(`no pg_hba.conf entry for host "%s", user "%s", database "%s", no encryption`, host, user, database))
	}
	if !s.engine.RequiresPassword() {
		return nil
	}
	if !s.logins.allowed(host) {
		s.logger.Warn("login refused: too many failed logins", "client", host, "user", user)
		return refuse(w, pgerr.InvalidAuthorization, fmt.Sprintf(`too many failed logins from host "%s"; try again later`, host))
	}
	if s.clientCert != ClientCertOff {
		if loggedIn, err := s.checkClientCert(w, sock, user, host); loggedIn || err != nil {
			return err
		}
	}
	var err error
	method := s.authMethod
	if s.takesJWT(user) {
		method = AuthJWT
		err = s.jwtExchange(w, r, user)
	} else if method == AuthPassword {
		err = s.cleartextExchange(w, r, user)
	} else {
		err = s.scramExchange(w, r, user, sock.tls.Load())
	}
	if errors.Is(err, errAuthFailed) {
		s.logins.failed(host)
		attrs := []any{"client", host, "user", user, "method", string(method)}
		if reason := refusalReason(err); reason != "" {
			attrs = append(attrs, "reason", reason)
		}
		s.logger.Warn("password authentication failed", attrs...)
		return refuseLogin(w, user)
	}
	return err
}
