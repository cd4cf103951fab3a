package main

import (
	"github.com/junction-db/junction/auth"
	"gopkg.in/yaml.v3"
)

// jwt reads the auth section's jwt: which identity provider tokens are
// accepted as passwords. auth.NewJWTVerifier checks the values together.
func (p configParser) jwt(n *yaml.Node, at string, out *auth.JWTConfig) error {
	return p.mapping(n, at, func(k *yaml.Node, at string, v *yaml.Node) error {
		switch k.Value {
		case "algorithms":
			out.Algorithms = []string{}
			return p.sequence(v, at, func(at string, v *yaml.Node) error {
				var alg string
				if err := p.scalar(v, at, &alg); err != nil {
					return err
				}
				out.Algorithms = append(out.Algorithms, alg)
				return nil
			})
		case "jwks_file":
			return p.scalar(v, at, &out.JWKSFile)
		case "jwks_url":
			return p.scalar(v, at, &out.JWKSURL)
		case "issuer":
			return p.scalar(v, at, &out.Issuer)
		case "audience":
			return p.scalar(v, at, &out.Audience)
		case "role_claim":
			return p.scalar(v, at, &out.RoleClaim)
		}
		return unknownField(k, at, "jwks_file", "jwks_url", "issuer", "audience", "role_claim", "algorithms")
	})
}
