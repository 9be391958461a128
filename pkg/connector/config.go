package connector

import (
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"
)

// Config is one named connection as stored in .databridge/config.yaml. A
// connection is configured either as fields or as a DSN; engines read the
// fields they understand. Secret fields (password, token,
// private_key_passphrase, and the password inside a DSN) may only hold
// ${ENV} references: Validate refuses literal secrets so they never land in
// a file a person commits.
type Config struct {
	Type string `json:"type" yaml:"type"`
	DSN  string `json:"dsn,omitempty" yaml:"dsn,omitempty"`

	Host     string `json:"host,omitempty" yaml:"host,omitempty"`
	Port     int    `json:"port,omitempty" yaml:"port,omitempty"`
	Database string `json:"database,omitempty" yaml:"database,omitempty"`
	Schema   string `json:"schema,omitempty" yaml:"schema,omitempty"`
	User     string `json:"user,omitempty" yaml:"user,omitempty"`
	Password string `json:"password,omitempty" yaml:"password,omitempty"`

	// Path is a database file (duckdb) or, for the files engine, a file,
	// folder or glob. Paths lists several of them.
	Path  string   `json:"path,omitempty" yaml:"path,omitempty"`
	Paths []string `json:"paths,omitempty" yaml:"paths,omitempty"`

	// Snowflake.
	Account              string `json:"account,omitempty" yaml:"account,omitempty"`
	Warehouse            string `json:"warehouse,omitempty" yaml:"warehouse,omitempty"`
	Role                 string `json:"role,omitempty" yaml:"role,omitempty"`
	Authenticator        string `json:"authenticator,omitempty" yaml:"authenticator,omitempty"`
	PrivateKeyPath       string `json:"private_key_path,omitempty" yaml:"private_key_path,omitempty"`
	PrivateKeyPassphrase string `json:"private_key_passphrase,omitempty" yaml:"private_key_passphrase,omitempty"`

	// Databricks.
	HTTPPath string `json:"http_path,omitempty" yaml:"http_path,omitempty"`
	Token    string `json:"token,omitempty" yaml:"token,omitempty"`
	Catalog  string `json:"catalog,omitempty" yaml:"catalog,omitempty"`

	// BigQuery.
	Project         string `json:"project,omitempty" yaml:"project,omitempty"`
	Dataset         string `json:"dataset,omitempty" yaml:"dataset,omitempty"`
	Location        string `json:"location,omitempty" yaml:"location,omitempty"`
	CredentialsFile string `json:"credentials_file,omitempty" yaml:"credentials_file,omitempty"`

	// Options are extra engine parameters appended to the DSN (sslmode,
	// encrypt, ...).
	Options map[string]string `json:"options,omitempty" yaml:"options,omitempty"`

	// ReadOnly marks a connection that databridge must never write to.
	ReadOnly bool `json:"read_only,omitempty" yaml:"read_only,omitempty"`

	// dsnSecretValues, set by Expand, are the values of the ${ENV}
	// references that stood where the DSN holds a secret: Secrets reports
	// them whole even when the expanded DSN no longer parses the way its
	// author meant (an unquoted password with a space in a key=value DSN).
	dsnSecretValues []string

	// Sandbox, set at run time and never stored, limits what the files a
	// session's SQL may reach (engines that run in this process: DuckDB,
	// files). Nil means a trusted session (databridge's own work).
	Sandbox *Sandbox `json:"-" yaml:"-"`

	// CacheDir, set at run time and never stored, is the project's cache
	// folder (.databridge/state/cache): the files engine keeps each file
	// parsed there once per version. Empty (no project) reads the files
	// directly.
	CacheDir string `json:"-" yaml:"-"`
}

var envRef = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)\}`)

// IsEnvRef reports whether s is exactly one ${ENV} reference.
func IsEnvRef(s string) bool {
	m := envRef.FindStringIndex(s)
	return m != nil && m[0] == 0 && m[1] == len(s)
}

// secretFields names the fields that may only hold ${ENV} references.
func (c Config) secretFields() map[string]string {
	return map[string]string{
		"password":               c.Password,
		"token":                  c.Token,
		"private_key_passphrase": c.PrivateKeyPassphrase,
	}
}

// Validate checks the parts of a config that do not depend on the engine:
// a type, and secrets given only as ${ENV} references.
func (c Config) Validate() error {
	if c.Type == "" {
		return fmt.Errorf("type is required (one of %s)", strings.Join(Types(), ", "))
	}
	fields := c.secretFields()
	names := make([]string, 0, len(fields))
	for k := range fields {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		v := fields[k]
		if v != "" && !IsEnvRef(v) {
			return fmt.Errorf("%s must be an ${ENV} reference (for example ${%s}), not a literal secret", k, suggestEnv(k))
		}
	}
	for _, sec := range dsnSecrets(c.DSN) {
		if sec.value == "" || IsEnvRef(sec.value) || IsEnvRef(unquote(sec.raw(c.DSN))) {
			continue
		}
		if sec.key == "password" {
			return fmt.Errorf("the password inside dsn must be an ${ENV} reference (for example ${%s}), not a literal secret", suggestEnv("password"))
		}
		return fmt.Errorf("the %s parameter inside dsn must be an ${ENV} reference (for example ${%s}), not a literal secret", sec.key, suggestEnv(envName(sec.key)))
	}
	if err := CheckOptions(c.Type, c.Options); err != nil {
		return err
	}
	return nil
}

func suggestEnv(field string) string {
	return "DATABRIDGE_" + strings.ToUpper(field)
}

// isSecretKey reports whether a parameter name says it carries a
// credential. The option table (options.go) lists each engine's secrets;
// this catches the names it does not list (api_key, client_secret, ...).
func isSecretKey(k string) bool {
	k = strings.ToLower(k)
	for _, s := range []string{"password", "passwd", "pwd", "secret", "token", "passphrase", "passcode",
		"private_key", "privatekey", "api_key", "apikey", "access_key", "accesskey", "credential"} {
		if strings.Contains(k, s) {
			return true
		}
	}
	return false
}

// Expand returns a copy of the config with every ${ENV} reference replaced
// by the variable's value. A reference to an unset variable is an error
// naming the variable (never its value).
func (c Config) Expand(lookup func(string) (string, bool)) (Config, error) {
	if lookup == nil {
		lookup = os.LookupEnv
	}
	var missing []string
	exp := func(s string) string {
		return envRef.ReplaceAllStringFunc(s, func(ref string) string {
			name := envRef.FindStringSubmatch(ref)[1]
			v, ok := lookup(name)
			if !ok {
				missing = append(missing, name)
				return ""
			}
			return v
		})
	}
	out := c
	out.DSN = exp(c.DSN)
	out.dsnSecretValues = nil
	for _, sec := range dsnSecrets(c.DSN) {
		for _, m := range envRef.FindAllStringSubmatch(sec.raw(c.DSN), -1) {
			if v, ok := lookup(m[1]); ok && v != "" {
				out.dsnSecretValues = append(out.dsnSecretValues, v)
			}
		}
	}
	out.Host = exp(c.Host)
	out.Database = exp(c.Database)
	out.Schema = exp(c.Schema)
	out.User = exp(c.User)
	out.Password = exp(c.Password)
	out.Path = exp(c.Path)
	out.Paths = nil
	for _, p := range c.Paths {
		out.Paths = append(out.Paths, exp(p))
	}
	out.Account = exp(c.Account)
	out.Warehouse = exp(c.Warehouse)
	out.Role = exp(c.Role)
	out.PrivateKeyPath = exp(c.PrivateKeyPath)
	out.PrivateKeyPassphrase = exp(c.PrivateKeyPassphrase)
	out.HTTPPath = exp(c.HTTPPath)
	out.Token = exp(c.Token)
	out.Catalog = exp(c.Catalog)
	out.Project = exp(c.Project)
	out.Dataset = exp(c.Dataset)
	out.Location = exp(c.Location)
	out.CredentialsFile = exp(c.CredentialsFile)
	if c.Options != nil {
		out.Options = make(map[string]string, len(c.Options))
		for k, v := range c.Options {
			out.Options[k] = exp(v)
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		return c, fmt.Errorf("environment variable %s is not set", strings.Join(uniq(missing), ", "))
	}
	return out, nil
}

// Secrets returns the resolved secret values of an expanded config, for
// redaction: the secret fields, every secret parsed out of the DSN (the
// password of its user info and parameters such as password= or
// sslpassword=, as the driver reads them and as written), and the value
// of every option the option table does not know to be harmless.
// NewRedactor adds the escaped forms a driver may echo.
func (c Config) Secrets() []string {
	var out []string
	for _, v := range c.secretFields() {
		if v != "" {
			out = append(out, v)
		}
	}
	out = append(out, c.dsnSecretValues...)
	for _, sec := range dsnSecrets(c.DSN) {
		if sec.value != "" {
			out = append(out, sec.value)
		}
		if raw := sec.raw(c.DSN); raw != "" && raw != sec.value {
			out = append(out, raw, unquote(raw))
		}
	}
	for k, v := range c.Options {
		if v != "" && !optionMayBeLiteral(c.Type, k) {
			out = append(out, v)
		}
	}
	return out
}

func uniq(s []string) []string {
	var out []string
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}

// CheckDSNOrFields refuses a config that sets a DSN together with the
// server fields it would duplicate (host, port, database, user): one of the
// two would silently win.
func CheckDSNOrFields(engine string, cfg Config) error {
	if cfg.DSN == "" {
		return nil
	}
	var both []string
	if cfg.Host != "" {
		both = append(both, "host")
	}
	if cfg.Port != 0 {
		both = append(both, "port")
	}
	if cfg.Database != "" {
		both = append(both, "database")
	}
	if cfg.User != "" {
		both = append(both, "user")
	}
	if len(both) > 0 {
		return fmt.Errorf("%s: dsn and %s are both set; put them in the dsn or drop the dsn and use fields", engine, strings.Join(both, ", "))
	}
	return nil
}

// JoinQuoted quotes each non-empty part with quote and joins them with dots
// (schema.table, catalog.schema.table).
func JoinQuoted(quote func(string) string, parts ...string) string {
	var q []string
	for _, p := range parts {
		if p != "" {
			q = append(q, quote(p))
		}
	}
	return strings.Join(q, ".")
}
