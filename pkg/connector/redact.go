package connector

import (
	"regexp"
	"sort"
	"strings"
)

// Mask is what a secret is replaced with in anything databridge prints.
const Mask = "********"

var (
	// scheme://user:password@host  and  user:password@tcp(host)/db
	userinfoRe = regexp.MustCompile(`((?:^|[/\s"'=])[^\s:/@"'=]+):([^\s@"'/]*)@`)
	// password=..., pwd=..., token=... in key/value DSNs and query strings.
	kvSecretRe = regexp.MustCompile(`(?i)\b((?:password|passwd|pwd|token|secret|passphrase|private_key_passphrase|access_token|privateKey)\s*=\s*)('[^']*'|"[^"]*"|[^\s;&]*)`)
)

// dsnPassword extracts the password from the common DSN shapes, or "".
func dsnPassword(dsn string) string {
	if dsn == "" {
		return ""
	}
	if m := kvSecretRe.FindStringSubmatch(dsn); m != nil {
		return strings.Trim(m[2], `'"`)
	}
	if m := userinfoRe.FindStringSubmatch(dsn); m != nil {
		return m[2]
	}
	return ""
}

// RedactDSN masks the password in a DSN while keeping the rest readable.
func RedactDSN(dsn string) string {
	out := userinfoRe.ReplaceAllStringFunc(dsn, func(m string) string {
		sub := userinfoRe.FindStringSubmatch(m)
		if sub[2] == "" || IsEnvRef(sub[2]) {
			return m
		}
		return sub[1] + ":" + Mask + "@"
	})
	return kvSecretRe.ReplaceAllStringFunc(out, func(m string) string {
		sub := kvSecretRe.FindStringSubmatch(m)
		if IsEnvRef(strings.Trim(sub[2], `'"`)) || sub[2] == "" {
			return m
		}
		return sub[1] + Mask
	})
}

// Redactor removes known secret values from text: error messages from
// drivers, logs, anything printed. Longer secrets are replaced first so a
// secret that contains another is masked whole.
type Redactor struct {
	secrets []string
}

// NewRedactor builds a redactor for the given secret values (empty and very
// short values are ignored: masking "a" everywhere would destroy messages).
func NewRedactor(secrets ...string) *Redactor {
	r := &Redactor{}
	r.Add(secrets...)
	return r
}

// Add registers more secret values.
func (r *Redactor) Add(secrets ...string) {
	for _, s := range secrets {
		if len(s) >= 3 {
			r.secrets = append(r.secrets, s)
		}
	}
	sort.Slice(r.secrets, func(i, j int) bool { return len(r.secrets[i]) > len(r.secrets[j]) })
}

// String redacts s: every registered secret, and any password in DSN form.
func (r *Redactor) String(s string) string {
	if r != nil {
		for _, sec := range r.secrets {
			s = strings.ReplaceAll(s, sec, Mask)
		}
	}
	return RedactDSN(s)
}

// Error wraps err so its message is redacted; nil stays nil.
func (r *Redactor) Error(err error) error {
	if err == nil {
		return nil
	}
	return &redactedError{msg: r.String(err.Error()), err: err}
}

type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }

// Unwrap keeps errors.Is/As working on the original (e.g. context errors).
func (e *redactedError) Unwrap() error { return e.err }

// Redacted returns a copy of the config safe to print: secret fields keep
// their ${ENV} reference (or are masked if somehow literal) and the DSN
// password is masked.
func (c Config) Redacted() Config {
	out := c
	mask := func(v string) string {
		if v == "" || IsEnvRef(v) {
			return v
		}
		return Mask
	}
	out.Password = mask(c.Password)
	out.Token = mask(c.Token)
	out.PrivateKeyPassphrase = mask(c.PrivateKeyPassphrase)
	out.DSN = RedactDSN(c.DSN)
	if c.Options != nil {
		out.Options = make(map[string]string, len(c.Options))
		for k, v := range c.Options {
			if isSecretKey(k) {
				v = mask(v)
			}
			out.Options[k] = v
		}
	}
	return out
}
