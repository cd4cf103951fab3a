package auth

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/MicahParks/keyfunc/v3"
	"github.com/golang-jwt/jwt/v5"
)

// JWTAlgorithms are the signature algorithms a JWT may be accepted with:
// the asymmetric ones only. HMAC is left out because a verifier holding
// only public keys must never accept a token "signed" with one of them as
// a shared secret, and "none" because it is no signature.
var JWTAlgorithms = []string{"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"}

// JWTConfig says which tokens of an identity provider (OAuth2 / OpenID
// Connect) are accepted as passwords.
type JWTConfig struct {
	// JWKSFile is a local JSON Web Key Set; JWKSURL one fetched over HTTPS,
	// cached and refreshed in the background. Exactly one is set.
	JWKSFile, JWKSURL string
	// Issuer and Audience must match the token's iss and aud claims.
	Issuer, Audience string
	// RoleClaim names the claim holding the role the token logs in as;
	// "sub" when empty.
	RoleClaim string
	// Algorithms are the accepted signature algorithms; RS256 and ES256
	// when empty.
	Algorithms []string
}

// JWTVerifier checks tokens against one JWTConfig.
type JWTVerifier struct {
	keys      jwt.Keyfunc
	parser    *jwt.Parser
	roleClaim string
}

// clockSkew is how far the clocks of the identity provider and the server
// may disagree about exp, nbf and iat.
const clockSkew = 30 * time.Second

// NewJWTVerifier loads the key set of cfg and checks cfg. A key set
// fetched from a URL is refreshed in the background until ctx ends: every
// hour, and when a token names a key it lacks (at most every 5 minutes);
// log receives the failed refreshes.
func NewJWTVerifier(ctx context.Context, cfg JWTConfig, log *slog.Logger) (*JWTVerifier, error) {
	if cfg.Issuer == "" || cfg.Audience == "" {
		return nil, errors.New("jwt: issuer and audience are required")
	}
	algs := cfg.Algorithms
	if len(algs) == 0 {
		algs = []string{"RS256", "ES256"}
	}
	for _, alg := range algs {
		if !slices.Contains(JWTAlgorithms, alg) {
			return nil, fmt.Errorf("jwt: algorithm %q is not accepted (expected one of %s)", alg, strings.Join(JWTAlgorithms, ", "))
		}
	}
	var keys keyfunc.Keyfunc
	switch {
	case (cfg.JWKSFile == "") == (cfg.JWKSURL == ""):
		return nil, errors.New("jwt: set exactly one of jwks_file and jwks_url")
	case cfg.JWKSFile != "":
		data, err := os.ReadFile(cfg.JWKSFile)
		if err != nil {
			return nil, fmt.Errorf("jwt: read jwks_file: %w", err)
		}
		if keys, err = keyfunc.NewJWKSetJSON(data); err != nil {
			return nil, fmt.Errorf("jwt: jwks_file %s: %w", cfg.JWKSFile, err)
		}
	default:
		u, err := url.Parse(cfg.JWKSURL)
		if err != nil || u.Scheme != "https" || u.Host == "" {
			return nil, fmt.Errorf("jwt: jwks_url %q is not an https URL", cfg.JWKSURL)
		}
		refreshFailed := func(url string) func(context.Context, error) {
			return func(_ context.Context, err error) {
				log.Warn("could not refresh the JWT key set", "url", url, "err", err)
			}
		}
		if keys, err = keyfunc.NewDefaultOverrideCtx(ctx, []string{cfg.JWKSURL}, keyfunc.Override{RefreshErrorHandlerFunc: refreshFailed}); err != nil {
			return nil, fmt.Errorf("jwt: jwks_url %s: %w", cfg.JWKSURL, err)
		}
	}
	role := cfg.RoleClaim
	if role == "" {
		role = "sub"
	}
	parser := jwt.NewParser(jwt.WithValidMethods(algs), jwt.WithIssuer(cfg.Issuer), jwt.WithAudience(cfg.Audience),
		jwt.WithExpirationRequired(), jwt.WithIssuedAt(), jwt.WithLeeway(clockSkew))
	return &JWTVerifier{keys: keys.Keyfunc, parser: parser, roleClaim: role}, nil
}

// Role verifies token (signature, algorithm, issuer, audience, expiry) and
// returns the role its role claim names. The error says why a token was
// refused, for the server's log; it never contains the token.
func (v *JWTVerifier) Role(token string) (string, error) {
	claims := jwt.MapClaims{}
	if _, err := v.parser.ParseWithClaims(token, claims, v.keys); err != nil {
		return "", err
	}
	role, ok := claims[v.roleClaim].(string)
	if !ok || role == "" {
		return "", fmt.Errorf("token has no string claim %q", v.roleClaim)
	}
	return role, nil
}
