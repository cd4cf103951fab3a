package wire

import (
	"strings"
	"testing"
)

func TestClientCertModeNeedsItsPrerequisites(t *testing.T) {
	withTLS := Options{TLSCert: "s.crt", TLSKey: "s.key"}
	for _, tc := range []struct {
		name      string
		opts      Options
		haveUsers bool
		want      ClientCertMode
		err       string
	}{
		{"default", withTLS, false, ClientCertOff, ""},
		{"client CA alone", Options{TLSCert: "s.crt", ClientCA: "c.crt"}, false, ClientCertOff, ""},
		{"verify-full", Options{TLSCert: "s.crt", ClientCA: "c.crt", ClientCert: ClientCertVerifyFull}, true, ClientCertVerifyFull, ""},
		{"unknown mode", Options{TLSCert: "s.crt", ClientCA: "c.crt", ClientCert: "require"}, true, "", `unknown client certificate mode "require"`},
		{"client CA without TLS", Options{ClientCA: "c.crt"}, true, "", "needs a TLS certificate"},
		{"mode without client CA", Options{TLSCert: "s.crt", ClientCert: ClientCertVerifyCA}, true, "", "needs a client CA"},
		{"mode without users", Options{TLSCert: "s.crt", ClientCA: "c.crt", ClientCert: ClientCertVerifyFull}, false, "", "needs configured users"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := clientCertMode(tc.opts, tc.haveUsers)
			if tc.err == "" && (err != nil || got != tc.want) {
				t.Fatalf("got %q, %v; want %q", got, err, tc.want)
			}
			if tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)) {
				t.Fatalf("got %q, %v; want an error saying %q", got, err, tc.err)
			}
		})
	}
}
