package auth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/MicahParks/keyfunc/v3"
	"github.com/golang-jwt/jwt/v5"
)

// OIDCConfig accepts bearer JWTs from an identity provider: signed by a key
// of its JWKS, from Issuer, for Audience, not expired; the role is read
// from RoleClaim (a string or a list of strings, such as "groups") through
// RoleMap, else DefaultRole (empty: refused).
type OIDCConfig struct {
	Issuer   string `yaml:"issuer"`
	Audience string `yaml:"audience"`
	// JWKSURL is where the signing keys are; empty: read from the
	// issuer's OpenID discovery document
	// (ISSUER/.well-known/openid-configuration, jwks_uri).
	JWKSURL     string            `yaml:"jwks_url,omitempty"`
	RoleClaim   string            `yaml:"role_claim,omitempty"`
	RoleMap     map[string]string `yaml:"role_map,omitempty"`
	DefaultRole string            `yaml:"default_role,omitempty"`
	// SubjectClaim names the caller in logs and audit (default "sub";
	// "email" or "preferred_username" read better).
	SubjectClaim string `yaml:"subject_claim,omitempty"`
}

func (c *OIDCConfig) check(p *Policy) error {
	if c.Issuer == "" || c.Audience == "" {
		return errors.New("issuer and audience are required (jwks_url too when the issuer publishes no OpenID discovery document)")
	}
	for claim, role := range c.RoleMap {
		if err := p.CheckRole(role); err != nil {
			return fmt.Errorf("role_map %q: %w", claim, err)
		}
	}
	if c.DefaultRole != "" {
		return p.CheckRole(c.DefaultRole)
	}
	return nil
}

// JWTVerifier verifies bearer JWTs against an issuer's JWKS (fetched and
// refreshed in the background by keyfunc).
type JWTVerifier struct {
	cfg    OIDCConfig
	kf     keyfunc.Keyfunc
	parser *jwt.Parser
}

// NewJWTVerifier fetches the issuer's JWKS; ctx bounds the background
// refresh.
func NewJWTVerifier(ctx context.Context, cfg OIDCConfig) (*JWTVerifier, error) {
	if cfg.JWKSURL == "" {
		u, err := discoverJWKS(ctx, cfg.Issuer)
		if err != nil {
			return nil, err
		}
		cfg.JWKSURL = u
	}
	kf, err := keyfunc.NewDefaultCtx(ctx, []string{cfg.JWKSURL})
	if err != nil {
		return nil, fmt.Errorf("oidc: JWKS %s: %w", cfg.JWKSURL, err)
	}
	return &JWTVerifier{cfg: cfg, kf: kf, parser: jwt.NewParser(
		jwt.WithIssuer(cfg.Issuer),
		jwt.WithAudience(cfg.Audience),
		jwt.WithExpirationRequired(),
		jwt.WithValidMethods([]string{"RS256", "RS384", "RS512", "PS256", "ES256", "ES384", "EdDSA"}),
		jwt.WithLeeway(30*time.Second),
	)}, nil
}

// discoverJWKS reads the jwks_uri of an issuer's OpenID Provider
// metadata (OpenID Connect Discovery 1.0, section 4): the document at
// ISSUER/.well-known/openid-configuration, whose issuer must be this one
// exactly (so a document cannot name another issuer's keys).
func discoverJWKS(ctx context.Context, issuer string) (string, error) {
	u := strings.TrimSuffix(issuer, "/") + "/.well-known/openid-configuration"
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return "", fmt.Errorf("oidc: discovery %s: %w", u, err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", fmt.Errorf("oidc: discovery %s: %w", u, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("oidc: discovery %s: HTTP %s (set jwks_url when the issuer publishes no discovery document)", u, resp.Status)
	}
	var meta struct {
		Issuer  string `json:"issuer"`
		JWKSURI string `json:"jwks_uri"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&meta); err != nil {
		return "", fmt.Errorf("oidc: discovery %s: %w", u, err)
	}
	if meta.Issuer != issuer {
		return "", fmt.Errorf("oidc: discovery %s names the issuer %q, not %q", u, meta.Issuer, issuer)
	}
	if meta.JWKSURI == "" {
		return "", fmt.Errorf("oidc: discovery %s has no jwks_uri", u)
	}
	return meta.JWKSURI, nil
}

// Verify checks a JWT and returns who it names, with which role, until
// when.
func (v *JWTVerifier) Verify(ctx context.Context, token string) (Principal, time.Time, error) {
	claims := jwt.MapClaims{}
	if _, err := v.parser.ParseWithClaims(token, claims, v.kf.KeyfuncCtx(ctx)); err != nil {
		return Principal{}, time.Time{}, fmt.Errorf("invalid bearer token: %w", jwtReason(err))
	}
	exp, _ := claims.GetExpirationTime()
	subClaim := v.cfg.SubjectClaim
	if subClaim == "" {
		subClaim = "sub"
	}
	sub, _ := claims[subClaim].(string)
	if sub == "" {
		sub, _ = claims["sub"].(string)
	}
	role := v.role(claims)
	if role == "" {
		return Principal{}, time.Time{}, fmt.Errorf("invalid bearer token: no role for %q (claim %q maps to none)", sub, v.cfg.RoleClaim)
	}
	return Principal{Subject: "oidc:" + sub, Role: role, Method: "oidc"}, exp.Time, nil
}

// role maps the role claim; with a list, the first value (in claim order)
// that maps wins.
func (v *JWTVerifier) role(claims jwt.MapClaims) string {
	if v.cfg.RoleClaim != "" {
		var vals []string
		switch c := claims[v.cfg.RoleClaim].(type) {
		case string:
			vals = []string{c}
		case []any:
			for _, x := range c {
				if s, ok := x.(string); ok {
					vals = append(vals, s)
				}
			}
		}
		for _, s := range vals {
			if r, ok := v.cfg.RoleMap[s]; ok {
				return r
			}
		}
	}
	return v.cfg.DefaultRole
}

// jwtReason keeps the library's reason (expired, wrong audience, bad
// signature) and drops the rest; tokens are never quoted.
func jwtReason(err error) error {
	for _, e := range []error{jwt.ErrTokenExpired, jwt.ErrTokenInvalidAudience, jwt.ErrTokenInvalidIssuer,
		jwt.ErrTokenSignatureInvalid, jwt.ErrTokenUnverifiable, jwt.ErrTokenNotValidYet, jwt.ErrTokenMalformed,
		jwt.ErrTokenRequiredClaimMissing} {
		if errors.Is(err, e) {
			return e
		}
	}
	return errors.New("token rejected")
}

// Principal is an authenticated caller.
type Principal struct {
	Subject string `json:"who"`    // key:NAME, oidc:SUB, local:USER or anonymous
	Role    string `json:"role"`   // a role of the policy
	Method  string `json:"method"` // key, oidc, local, none
}

// ErrInvalidToken is wrapped by every refusal of a bearer token.
var ErrInvalidToken = errors.New("invalid token")

// Authenticator verifies bearer tokens: API keys of the store, and JWTs
// when an OIDC verifier is set.
type Authenticator struct {
	Keys   *KeyStore
	JWT    *JWTVerifier
	Policy *Policy
}

// Verify returns the principal of token and when it expires (zero: never).
// Errors wrap ErrInvalidToken unless the store could not be read, and never
// contain the token.
func (a *Authenticator) Verify(ctx context.Context, token string) (Principal, time.Time, error) {
	if LooksLikeKey(token) || a.JWT == nil {
		if a.Keys == nil {
			return Principal{}, time.Time{}, fmt.Errorf("%w: API keys are not accepted", ErrInvalidToken)
		}
		k, err := a.Keys.Verify(token)
		if err != nil {
			if errors.Is(err, ErrUnknownKey) || errors.Is(err, ErrKeyRevoked) || errors.Is(err, ErrKeyExpired) {
				return Principal{}, time.Time{}, fmt.Errorf("%w: %v", ErrInvalidToken, err)
			}
			return Principal{}, time.Time{}, err
		}
		if a.Policy != nil {
			if err := a.Policy.CheckRole(k.Role); err != nil {
				return Principal{}, time.Time{}, fmt.Errorf("%w: key %s: %v", ErrInvalidToken, k.Name, err)
			}
		}
		var exp time.Time
		if k.Expires != nil {
			exp = *k.Expires
		}
		return Principal{Subject: "key:" + k.Name, Role: k.Role, Method: "key"}, exp, nil
	}
	p, exp, err := a.JWT.Verify(ctx, token)
	if err != nil {
		return Principal{}, time.Time{}, fmt.Errorf("%w: %v", ErrInvalidToken, err)
	}
	return p, exp, nil
}

// Allowed reports whether principal p may use permission need.
func (pol *Policy) Allowed(p Principal, need Permission) bool {
	r, ok := pol.Roles[p.Role]
	return ok && r.Allows(need)
}

// RedactKeys replaces anything shaped like an API key in s.
func RedactKeys(s string) string { return keyPattern.ReplaceAllString(s, "dbk_[redacted]") }
