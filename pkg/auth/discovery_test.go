package auth

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// An issuer configured without jwks_url: its keys are found through its
// OpenID discovery document, whose issuer must be the configured one.
func TestOIDCDiscovery(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	b64 := base64.RawURLEncoding.EncodeToString
	jwks, _ := json.Marshal(map[string]any{"keys": []map[string]string{{
		"kty": "RSA", "kid": "d1", "alg": "RS256", "use": "sig",
		"n": b64(key.N.Bytes()), "e": b64(big.NewInt(int64(key.E)).Bytes()),
	}}})
	var srv *httptest.Server
	claimedIssuer := func() string { return srv.URL + "/realms/fin" }
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/realms/fin/.well-known/openid-configuration":
			json.NewEncoder(w).Encode(map[string]string{"issuer": claimedIssuer(), "jwks_uri": srv.URL + "/realms/fin/certs"})
		case "/realms/fin/certs":
			w.Write(jwks)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	issuer := srv.URL + "/realms/fin"
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	cfg := OIDCConfig{Issuer: issuer, Audience: "databridge", DefaultRole: "viewer"}
	if err := cfg.check(&Policy{Roles: DefaultRoles(), StdioRole: RoleAdmin}); err != nil {
		t.Fatalf("a config without jwks_url is refused: %v", err)
	}
	v, err := NewJWTVerifier(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	tok := jwt.NewWithClaims(jwt.SigningMethodRS256, jwt.MapClaims{"iss": issuer, "aud": "databridge", "sub": "ana", "exp": time.Now().Add(time.Hour).Unix()})
	tok.Header["kid"] = "d1"
	s, err := tok.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	p, _, err := v.Verify(ctx, s)
	if err != nil || p.Subject != "oidc:ana" || p.Role != "viewer" {
		t.Fatalf("verify through discovered keys: %+v, %v", p, err)
	}

	// A document that names another issuer is not trusted.
	claimedIssuer = func() string { return "https://evil.test" }
	if _, err := NewJWTVerifier(ctx, cfg); err == nil || !strings.Contains(err.Error(), "evil.test") {
		t.Fatalf("a discovery document of another issuer: %v", err)
	}
	// No discovery document: the error says to set jwks_url.
	cfg.Issuer = srv.URL + "/nothing"
	if _, err := NewJWTVerifier(ctx, cfg); err == nil || !strings.Contains(err.Error(), "jwks_url") {
		t.Fatalf("no discovery document: %v", err)
	}
}
