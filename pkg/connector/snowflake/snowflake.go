// Package snowflake is the Snowflake engine: gosnowflake over database/sql,
// with password, key-pair (JWT), OAuth, PAT and browser authentication, and
// catalogue queries over INFORMATION_SCHEMA plus SHOW ... KEYS.
//
// Options host, port and protocol point the driver somewhere other than
// <account>.snowflakecomputing.com (a private link, or an emulator such as
// fakesnow: protocol=http, host=127.0.0.1, port=<n>). Any other option is
// passed to Snowflake as a session parameter.
package snowflake

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/snowflakedb/gosnowflake"

	"github.com/databridge/databridge/pkg/connector"
	"github.com/databridge/databridge/pkg/connector/sqldb"
)

// Type and Dialect of this engine.
const (
	Type    = "snowflake"
	Dialect = "snowflake"
)

func init() {
	connector.Register(connector.Engine{
		Type:        Type,
		Dialect:     Dialect,
		Description: "Snowflake (password, key-pair, OAuth, PAT or browser authentication)",
		Fields: []string{"account", "user", "password", "database", "schema", "warehouse", "role",
			"authenticator", "private_key_path", "private_key_passphrase", "token", "dsn", "options"},
		Open:  open,
		Check: check,
	})
}

func check(cfg connector.Config) error {
	if cfg.DSN != "" {
		return nil
	}
	if cfg.Account == "" && cfg.Options["host"] == "" {
		return fmt.Errorf("snowflake needs account (for example xy12345.eu-west-1, or orgname-accountname)")
	}
	_, err := authKind(cfg)
	return err
}

func open(_ context.Context, name string, cfg connector.Config) (connector.Connector, error) {
	sc, err := BuildConfig(cfg)
	if err != nil {
		return nil, err
	}
	if cfg.ReadOnly {
		ReadOnlyParams(sc)
	}
	db := sql.OpenDB(gosnowflake.NewConnector(gosnowflake.SnowflakeDriver{}, *sc))
	// Exact decimals: with higher precision gosnowflake returns NUMBER(p,s)
	// values as *big.Float (s > 0) or integers, which sqldb writes exactly
	// at the column's scale; without it, arrow results of NUMBER columns
	// stored as 64-bit integers are formatted through a float64, inexact
	// beyond 2^53.
	return &sqldb.Conn{ConnName: name, DialectName: Dialect, DB: db, Meta: Meta{}, QueryContext: gosnowflake.WithHigherPrecision}, nil
}

// ReadOnlyParams sets the session parameters of a read-only session: one
// statement per request (MULTI_STATEMENT_COUNT = 1, whatever the account
// or user default says), so a second statement hidden from the guard is an
// error in Snowflake itself. Snowflake has no read-only session; a role
// with only SELECT grants is the engine's line (docs/connectors.md).
func ReadOnlyParams(sc *gosnowflake.Config) {
	if sc.Params == nil {
		sc.Params = map[string]*string{}
	}
	one := "1"
	sc.Params["MULTI_STATEMENT_COUNT"] = &one
}

// Authenticator names accepted in the config (case-insensitive). An empty
// authenticator means password, or key-pair when private_key_path is set.
const (
	AuthPassword        = "snowflake"
	AuthKeyPair         = "snowflake_jwt"
	AuthExternalBrowser = "externalbrowser"
	AuthOAuth           = "oauth"
	AuthPAT             = "programmatic_access_token"
	AuthMFA             = "username_password_mfa"
)

var authAliases = map[string]string{
	"":                          AuthPassword,
	"snowflake":                 AuthPassword,
	"password":                  AuthPassword,
	"snowflake_jwt":             AuthKeyPair,
	"jwt":                       AuthKeyPair,
	"keypair":                   AuthKeyPair,
	"key_pair":                  AuthKeyPair,
	"externalbrowser":           AuthExternalBrowser,
	"oauth":                     AuthOAuth,
	"programmatic_access_token": AuthPAT,
	"pat":                       AuthPAT,
	"username_password_mfa":     AuthMFA,
}

// authKind resolves the configured authenticator to one of the Auth*
// names, or to an Okta URL.
func authKind(cfg connector.Config) (string, error) {
	a := strings.ToLower(strings.TrimSpace(cfg.Authenticator))
	if a == "" && cfg.PrivateKeyPath != "" {
		return AuthKeyPair, nil
	}
	if k, ok := authAliases[a]; ok {
		return k, nil
	}
	if strings.HasPrefix(a, "https://") && strings.Contains(a, ".okta.com") {
		return a, nil
	}
	known := []string{AuthPassword, AuthKeyPair, AuthExternalBrowser, AuthOAuth, AuthPAT, AuthMFA, "https://<org>.okta.com"}
	return "", fmt.Errorf("unknown snowflake authenticator %q (known: %s)", cfg.Authenticator, strings.Join(known, ", "))
}

// BuildConfig turns a databridge config (secrets already expanded) into a
// gosnowflake config. A DSN, when given, is the starting point and the
// fields override it. It reads the private key file for key-pair auth but
// makes no network call.
func BuildConfig(cfg connector.Config) (*gosnowflake.Config, error) {
	sc := &gosnowflake.Config{}
	if cfg.DSN != "" {
		parsed, err := gosnowflake.ParseDSN(cfg.DSN)
		if err != nil {
			return nil, fmt.Errorf("invalid snowflake dsn (expected user:password@account/database/schema?warehouse=...): %w", err)
		}
		sc = parsed
	}
	set := func(dst *string, v string) {
		if v != "" {
			*dst = v
		}
	}
	set(&sc.Account, cfg.Account)
	set(&sc.User, cfg.User)
	set(&sc.Password, cfg.Password)
	set(&sc.Database, cfg.Database)
	set(&sc.Schema, cfg.Schema)
	set(&sc.Warehouse, cfg.Warehouse)
	set(&sc.Role, cfg.Role)
	if cfg.Host != "" {
		sc.Host = cfg.Host
	}
	if cfg.Port != 0 {
		sc.Port = cfg.Port
	}
	if sc.Application == "" {
		sc.Application = "databridge"
	}
	if err := applyOptions(sc, cfg.Options); err != nil {
		return nil, err
	}
	if sc.Account == "" && sc.Host == "" {
		return nil, fmt.Errorf("snowflake needs account (for example xy12345.eu-west-1, or orgname-accountname)")
	}
	if err := applyAuth(sc, cfg); err != nil {
		return nil, err
	}
	return sc, nil
}

// BuildDSN renders BuildConfig's result as a gosnowflake DSN. The DSN holds
// the resolved secrets: never print it (connector.RedactDSN masks it).
func BuildDSN(cfg connector.Config) (string, error) {
	sc, err := BuildConfig(cfg)
	if err != nil {
		return "", err
	}
	return gosnowflake.DSN(sc)
}

func applyOptions(sc *gosnowflake.Config, opts map[string]string) error {
	keys := make([]string, 0, len(opts))
	for k := range opts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := opts[k]
		switch strings.ToLower(k) {
		case "host":
			sc.Host = v
		case "port":
			p, err := strconv.Atoi(v)
			if err != nil || p <= 0 || p > 65535 {
				return fmt.Errorf("option port: %q is not a port number", v)
			}
			sc.Port = p
		case "protocol":
			v = strings.ToLower(v)
			if v != "http" && v != "https" {
				return fmt.Errorf("option protocol: %q must be http or https", v)
			}
			sc.Protocol = v
		case "region":
			sc.Region = v
		case "application":
			sc.Application = v
		case "login_timeout", "client_timeout", "request_timeout":
			d, err := parseSeconds(v)
			if err != nil {
				return fmt.Errorf("option %s: %w", k, err)
			}
			switch strings.ToLower(k) {
			case "login_timeout":
				sc.LoginTimeout = d
			case "client_timeout":
				sc.ClientTimeout = d
			default:
				sc.RequestTimeout = d
			}
		case "max_retry_count":
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				return fmt.Errorf("option max_retry_count: %q is not a count", v)
			}
			sc.MaxRetryCount = n
		case "disable_ocsp_checks":
			b, err := strconv.ParseBool(v)
			if err != nil {
				return fmt.Errorf("option disable_ocsp_checks: %q is not true/false", v)
			}
			sc.DisableOCSPChecks = b
		case "disable_telemetry":
			b, err := strconv.ParseBool(v)
			if err != nil {
				return fmt.Errorf("option disable_telemetry: %q is not true/false", v)
			}
			sc.DisableTelemetry = b
		default:
			// Anything else is a session parameter (QUERY_TAG, TIMEZONE, ...).
			if sc.Params == nil {
				sc.Params = map[string]*string{}
			}
			val := v
			sc.Params[k] = &val
		}
	}
	return nil
}

// parseSeconds accepts a Go duration ("90s", "2m") or a plain number of
// seconds.
func parseSeconds(v string) (time.Duration, error) {
	if n, err := strconv.Atoi(v); err == nil && n >= 0 {
		return time.Duration(n) * time.Second, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("%q is not a duration (for example 30s or 30)", v)
	}
	return d, nil
}

func applyAuth(sc *gosnowflake.Config, cfg connector.Config) error {
	kind, err := authKind(cfg)
	if err != nil {
		return err
	}
	// A DSN may already carry an authenticator; keep it when the config
	// does not name one.
	if cfg.Authenticator == "" && cfg.PrivateKeyPath == "" && cfg.DSN != "" && sc.Authenticator != gosnowflake.AuthTypeSnowflake {
		return nil
	}
	needUser := func() error {
		if sc.User == "" {
			return fmt.Errorf("snowflake authenticator %s needs user", kind)
		}
		return nil
	}
	switch kind {
	case AuthPassword, AuthMFA:
		if err := needUser(); err != nil {
			return err
		}
		if sc.Password == "" {
			return fmt.Errorf("snowflake password authentication needs password (as ${ENV}), or set private_key_path for key-pair authentication")
		}
		sc.Authenticator = gosnowflake.AuthTypeSnowflake
		if kind == AuthMFA {
			sc.Authenticator = gosnowflake.AuthTypeUsernamePasswordMFA
		}
	case AuthKeyPair:
		if err := needUser(); err != nil {
			return err
		}
		if cfg.PrivateKeyPath == "" {
			return fmt.Errorf("snowflake key-pair authentication needs private_key_path (a PEM PKCS#8 private key)")
		}
		key, err := LoadPrivateKey(cfg.PrivateKeyPath, cfg.PrivateKeyPassphrase)
		if err != nil {
			return err
		}
		sc.Authenticator = gosnowflake.AuthTypeJwt
		sc.PrivateKey = key
		sc.Password = ""
	case AuthExternalBrowser:
		sc.Authenticator = gosnowflake.AuthTypeExternalBrowser
	case AuthOAuth, AuthPAT:
		if cfg.Token == "" && sc.Token == "" {
			return fmt.Errorf("snowflake authenticator %s needs token (as ${ENV})", kind)
		}
		if cfg.Token != "" {
			sc.Token = cfg.Token
		}
		sc.Authenticator = gosnowflake.AuthTypeOAuth
		if kind == AuthPAT {
			sc.Authenticator = gosnowflake.AuthTypePat
		}
	default: // Okta URL
		if err := needUser(); err != nil {
			return err
		}
		u, err := parseOkta(kind)
		if err != nil {
			return err
		}
		sc.Authenticator = gosnowflake.AuthTypeOkta
		sc.OktaURL = u
	}
	return nil
}
