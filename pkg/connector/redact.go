package connector

import (
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"

	mysqldriver "github.com/go-sql-driver/mysql"
)

// Mask is what a secret is replaced with in anything databridge prints.
const Mask = "********"

// dsnSecret is a secret found in a DSN: the parameter it is the value of
// ("password" for the password of a user:password@ user info), its raw
// text as [start, end) offsets into the DSN, and its value as the driver
// reads it (unescaped, unquoted).
type dsnSecret struct {
	key        string
	start, end int
	value      string
}

func (d dsnSecret) raw(dsn string) string { return dsn[d.start:d.end] }

var (
	urlSchemeRe = regexp.MustCompile(`^\s*[A-Za-z][A-Za-z0-9+.-]*://`)
	kvStartRe   = regexp.MustCompile(`^\s*(?:(?i:odbc):)?[A-Za-z][A-Za-z0-9_ ]*=`)
	// user: at the start of a go-sql-driver/mysql, gosnowflake or
	// databricks DSN (user:password@net(addr)/db, token:pat@host/path).
	userColonRe = regexp.MustCompile(`^[^\s:/@()"'=;]*:`)
	queryKeyRe  = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_ .%-]*=`)
)

// dsnSecrets parses a DSN and returns every secret in it: the password of
// its user info (URL DSNs, go-sql-driver/mysql DSNs and the shapes built
// like them) and the value of every parameter that carries a credential
// (password=, sslpassword=, pwd=, token=, ... in a URL query, a libpq
// key=value string or an ADO/ODBC connection string). The parsing follows
// the drivers' own rules, so passwords containing @ : / % # space quotes
// or non-ASCII letters are found whole. Where a malformed DSN could be
// read two ways, the reading that covers more is taken: masking too much
// is safe, too little is not.
func dsnSecrets(dsn string) []dsnSecret {
	secrets, _ := parseDSNSecrets(dsn)
	return secrets
}

// parseDSNSecrets is dsnSecrets, also saying whether dsn has a DSN shape
// at all (free text does not).
func parseDSNSecrets(dsn string) ([]dsnSecret, bool) {
	if dsn == "" || strings.ContainsAny(dsn, "\n\r") {
		return nil, false
	}
	switch {
	case urlSchemeRe.MatchString(dsn):
		return urlSecrets(dsn), true
	case kvStartRe.MatchString(dsn):
		if i := strings.Index(strings.ToLower(dsn), "odbc:"); i >= 0 && strings.TrimSpace(dsn[:i]) == "" {
			return shiftSecrets(odbcSecrets(dsn[i+5:]), i+5), true
		}
		if adoStyle(dsn) {
			return adoSecrets(dsn), true
		}
		return libpqSecrets(dsn), true
	case userColonRe.MatchString(dsn):
		s := userinfoSecrets(dsn)
		return s, s != nil
	}
	return nil, false
}

// adoStyle tells an ADO connection string (key=value;key=value) from a
// libpq one (key=value key=value) by its first value: ';' before any
// white space means ADO.
func adoStyle(dsn string) bool {
	v := strings.TrimLeftFunc(dsn[strings.IndexByte(dsn, '=')+1:], unicode.IsSpace)
	if strings.HasPrefix(v, "'") {
		return false
	}
	if strings.HasPrefix(v, `"`) {
		// A quoted ADO value: what follows its closing quote decides.
		for i := 1; i < len(v); i++ {
			if v[i] != '"' {
				continue
			}
			if i+1 < len(v) && v[i+1] == '"' {
				i++
				continue
			}
			rest := strings.TrimLeftFunc(v[i+1:], unicode.IsSpace)
			return rest == "" || rest[0] == ';'
		}
		return false
	}
	semi := strings.IndexByte(v, ';')
	space := strings.IndexFunc(v, unicode.IsSpace)
	return semi >= 0 && (space < 0 || semi < space)
}

func shiftSecrets(in []dsnSecret, off int) []dsnSecret {
	for i := range in {
		in[i].start += off
		in[i].end += off
	}
	return in
}

// urlSecrets reads scheme://user:password@host:port/path?query. On a
// valid URL net/url's reading decides where the user info ends (the last
// '@' of the authority). When the DSN is not a valid URL (an unescaped
// space, '#' or '%' in the password), or holds an '@' after the authority
// (an unescaped '/', '?' or '#' in the password moves the authority's end
// into it), the user info runs to the last '@': masking a path or query
// with the password is safe, leaving half a password is not.
func urlSecrets(dsn string) []dsnSecret {
	var out []dsnSecret
	restStart := urlSchemeRe.FindStringIndex(dsn)[1]
	rest := dsn[restStart:]
	userEnd := strings.LastIndex(rest, "@")
	parsedPW, parsed := "", false
	if u, err := url.Parse(strings.TrimSpace(dsn)); err == nil && u.User != nil {
		authEnd := len(rest)
		if i := strings.IndexAny(rest, "/?#"); i >= 0 {
			authEnd = i
		}
		if strings.LastIndex(rest[:authEnd], "@") == userEnd {
			parsedPW, parsed = u.User.Password()
		}
	}
	queryFrom := 0
	if userEnd >= 0 {
		queryFrom = userEnd + 1
		if c := strings.Index(rest[:userEnd], ":"); c >= 0 && !strings.ContainsAny(rest[:c], "/?#") {
			raw := rest[c+1 : userEnd]
			val := raw
			if parsed {
				val = parsedPW
			} else if v, err := url.PathUnescape(raw); err == nil {
				val = v
			}
			out = append(out, dsnSecret{key: "password", start: restStart + c + 1, end: restStart + userEnd, value: val})
		}
	}
	if q := strings.Index(rest[queryFrom:], "?"); q >= 0 {
		qs := restStart + queryFrom + q + 1
		out = append(out, querySecrets(dsn[qs:], qs)...)
	}
	return out
}

// querySecrets reads a URL query. A secret's value runs to the next
// "&key=" (not merely the next '&' or '#'), so an unescaped '&' or '#' in
// a password does not cut it short.
func querySecrets(q string, off int) []dsnSecret {
	var out []dsnSecret
	pos := 0
	for pos < len(q) {
		amp := nextParam(q, pos)
		part := q[pos:amp]
		if k, v, ok := strings.Cut(part, "="); ok {
			key := k
			if uk, err := url.QueryUnescape(k); err == nil {
				key = uk
			}
			if isSecretParam(key) {
				raw := v
				val := raw
				if uv, err := url.QueryUnescape(raw); err == nil {
					val = uv
				}
				vs := off + pos + len(k) + 1
				out = append(out, dsnSecret{key: key, start: vs, end: vs + len(raw), value: val})
			}
		}
		pos = amp + 1
	}
	return out
}

// nextParam returns the index of the '&' that starts the next key=value
// parameter after pos, or len(q).
func nextParam(q string, pos int) int {
	for i := pos; i < len(q); i++ {
		if q[i] == '&' && queryKeyRe.MatchString(q[i+1:]) {
			return i
		}
	}
	return len(q)
}

// userinfoSecrets reads user:password@rest DSNs: go-sql-driver/mysql
// (user:password@tcp(host:3306)/db?params), gosnowflake
// (user:password@account/db/schema?params) and databricks
// (token:pat@host:443/path?params). The mysql driver's rule decides where
// the password ends: the last '@' before the last '/'. Without a '/' after
// it, the last '@'.
func userinfoSecrets(dsn string) []dsnSecret {
	colon := strings.Index(dsn, ":")
	at := -1
	if dc, err := mysqldriver.ParseDSN(dsn); err == nil && dc.Passwd != "" {
		slash := strings.LastIndex(dsn, "/")
		at = strings.LastIndex(dsn[:slash], "@")
	}
	if at <= colon {
		at = strings.LastIndex(dsn, "@")
	}
	if at <= colon || strings.IndexFunc(dsn[at+1:], unicode.IsSpace) >= 0 {
		// Not a DSN after all (free text such as "error: x@y failed").
		return nil
	}
	out := []dsnSecret{{key: "password", start: colon + 1, end: at, value: dsn[colon+1 : at]}}
	if q := strings.Index(dsn[at:], "?"); q >= 0 {
		qs := at + q + 1
		out = append(out, querySecrets(dsn[qs:], qs)...)
	}
	return out
}

func isKVSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

// libpqSecrets reads a libpq key=value string the way pgx does: a value
// is 'quoted' (with \' and \\ escapes) or runs to the next white space
// (with backslash escapes).
func libpqSecrets(s string) []dsnSecret {
	var out []dsnSecret
	pos := 0
	for pos < len(s) {
		eq := strings.IndexByte(s[pos:], '=')
		if eq < 0 {
			break
		}
		key := strings.TrimSpace(s[pos : pos+eq])
		if i := strings.LastIndexFunc(key, unicode.IsSpace); i >= 0 {
			key = key[i+1:]
		}
		pos += eq + 1
		for pos < len(s) && isKVSpace(s[pos]) {
			pos++
		}
		start := pos
		var val strings.Builder
		if pos < len(s) && s[pos] == '\'' {
			pos++
			for pos < len(s) && s[pos] != '\'' {
				if s[pos] == '\\' && pos+1 < len(s) {
					pos++
				}
				val.WriteByte(s[pos])
				pos++
			}
			if pos < len(s) {
				pos++ // closing quote
			}
		} else {
			for pos < len(s) && !isKVSpace(s[pos]) {
				if s[pos] == '\\' && pos+1 < len(s) {
					pos++
				}
				val.WriteByte(s[pos])
				pos++
			}
		}
		if isSecretParam(key) {
			out = append(out, dsnSecret{key: key, start: start, end: pos, value: val.String()})
		}
	}
	return out
}

// adoSecrets reads an ADO connection string the way go-mssqldb does:
// key=value parts separated by ';', where double quotes (doubled inside)
// protect ';'.
func adoSecrets(s string) []dsnSecret {
	var out []dsnSecret
	partStart := 0
	inQuotes := false
	flush := func(end int) {
		part := s[partStart:end]
		eq := strings.IndexByte(part, '=')
		if eq < 0 {
			return
		}
		key := strings.ToLower(strings.TrimSpace(part[:eq]))
		if !isSecretParam(key) {
			return
		}
		vs := partStart + eq + 1
		for vs < end && isKVSpace(s[vs]) {
			vs++
		}
		ve := end
		for ve > vs && isKVSpace(s[ve-1]) {
			ve--
		}
		val := s[vs:ve]
		if len(val) >= 2 && val[0] == '"' && val[len(val)-1] == '"' {
			val = strings.ReplaceAll(val[1:len(val)-1], `""`, `"`)
		}
		out = append(out, dsnSecret{key: key, start: vs, end: ve, value: val})
	}
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '"' && inQuotes && i+1 < len(s) && s[i+1] == '"':
			i++
		case s[i] == '"':
			inQuotes = !inQuotes
		case s[i] == ';' && !inQuotes:
			flush(i)
			partStart = i + 1
		}
	}
	flush(len(s))
	return out
}

// odbcSecrets reads an ODBC connection string (after "odbc:"): values may
// be {braced}, with }} for a literal '}'.
func odbcSecrets(s string) []dsnSecret {
	var out []dsnSecret
	pos := 0
	for pos < len(s) {
		eq := strings.IndexByte(s[pos:], '=')
		if eq < 0 {
			break
		}
		key := strings.ToLower(strings.TrimSpace(s[pos : pos+eq]))
		pos += eq + 1
		for pos < len(s) && isKVSpace(s[pos]) {
			pos++
		}
		start := pos
		var val string
		if pos < len(s) && s[pos] == '{' {
			var b strings.Builder
			pos++
			for pos < len(s) {
				if s[pos] == '}' {
					if pos+1 < len(s) && s[pos+1] == '}' {
						b.WriteByte('}')
						pos += 2
						continue
					}
					pos++
					break
				}
				b.WriteByte(s[pos])
				pos++
			}
			val = b.String()
			end := pos
			if i := strings.IndexByte(s[pos:], ';'); i >= 0 {
				pos += i + 1
			} else {
				pos = len(s)
			}
			if isSecretParam(key) {
				out = append(out, dsnSecret{key: key, start: start, end: end, value: val})
			}
			continue
		}
		end := strings.IndexByte(s[pos:], ';')
		if end < 0 {
			end = len(s)
		} else {
			end += pos
		}
		val = strings.TrimSpace(s[pos:end])
		if isSecretParam(key) {
			out = append(out, dsnSecret{key: key, start: start, end: end, value: val})
		}
		pos = end + 1
	}
	return out
}

// isSecretParam reports whether a DSN parameter carries a credential:
// one the option table lists as secret for any engine, or one whose name
// says so.
func isSecretParam(key string) bool {
	if isSecretKey(key) {
		return true
	}
	for _, spec := range engineOptions {
		if inFold(spec.Secret, key) {
			return true
		}
	}
	return false
}

// unquote strips one pair of single or double quotes, or braces, around v.
func unquote(v string) string {
	if len(v) >= 2 {
		switch {
		case v[0] == '\'' && v[len(v)-1] == '\'',
			v[0] == '"' && v[len(v)-1] == '"',
			v[0] == '{' && v[len(v)-1] == '}':
			return v[1 : len(v)-1]
		}
	}
	return v
}

// maskSpans replaces the raw text of each secret that is not an ${ENV}
// reference with Mask.
func maskSpans(dsn string, secrets []dsnSecret) string {
	type span struct{ start, end int }
	var spans []span
	for _, s := range secrets {
		raw := unquote(strings.TrimSpace(s.raw(dsn)))
		if s.end <= s.start || IsEnvRef(raw) || IsEnvRef(s.value) {
			continue
		}
		spans = append(spans, span{s.start, s.end})
	}
	if len(spans) == 0 {
		return dsn
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i].start < spans[j].start })
	var b strings.Builder
	last := 0
	for _, sp := range spans {
		if sp.end <= last {
			continue
		}
		if sp.start < last {
			sp.start = last
		} else {
			b.WriteString(dsn[last:sp.start])
			b.WriteString(Mask)
		}
		last = sp.end
	}
	b.WriteString(dsn[last:])
	return b.String()
}

// The patterns below are the last line, for free text (a driver's error
// message) that merely contains a DSN: DSNs themselves are parsed.
var (
	// scheme://user:password@host and user:password@tcp(host)/db; the
	// password runs to the last '@' before white space.
	userinfoRe = regexp.MustCompile(`((?:^|[/\s"'=(])[^\s:/@"'=()]+):([^\s/]\S*)@`)
	// password=..., pwd=..., token=... in key/value DSNs and query strings.
	kvSecretRe = regexp.MustCompile(`(?i)((?:^|[^A-Za-z0-9_])[A-Za-z_]*(?:password|passwd|pwd|token|secret|passphrase|passcode|privatekey|private_key|api_?key|access_?key)[A-Za-z_]*\s*=\s*)('(?:[^'\\]|\\.)*'?|"(?:[^"]|"")*"?|\{(?:[^}]|\}\})*\}?|[^\s;&]*)`)
)

func redactText(s string) string {
	out := userinfoRe.ReplaceAllStringFunc(s, func(m string) string {
		sub := userinfoRe.FindStringSubmatch(m)
		if sub[2] == "" || sub[2] == Mask || IsEnvRef(sub[2]) {
			return m
		}
		return sub[1] + ":" + Mask + "@"
	})
	return kvSecretRe.ReplaceAllStringFunc(out, func(m string) string {
		sub := kvSecretRe.FindStringSubmatch(m)
		v := unquote(sub[2])
		if v == "" || v == Mask || IsEnvRef(v) || IsEnvRef(strings.ReplaceAll(v, "}}", "}")) {
			return m
		}
		return sub[1] + Mask
	})
}

// RedactDSN masks every secret in a DSN (the password of its user info,
// and parameters such as password=, sslpassword=, pwd=, token=) while
// keeping the rest readable. The DSN is parsed by its shape: URL
// (postgres://, sqlserver://, ...), go-sql-driver/mysql
// (user:password@tcp(host)/db), libpq key=value, or ADO/ODBC key=value;
// ${ENV} references are kept. Text that is not a DSN (an error message
// quoting one) falls back to pattern matching, which also runs after the
// parse.
func RedactDSN(dsn string) string {
	if secrets, isDSN := parseDSNSecrets(dsn); isDSN {
		dsn = maskSpans(dsn, secrets)
	}
	// Also text that starts like a DSN may quote another one.
	return redactText(dsn)
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

// minSecret is the shortest text a Redactor masks.
const minSecret = 3

// Add registers more secret values. Each is registered with the forms a
// driver may echo it in: URL-escaped (query, path and user-info escaping),
// Go-quoted, libpq-quoted, and the pieces between the characters DSN
// parsers split at ('@', ':', '/', '?', '#', '&', ';', '=', space, quotes),
// so a driver that read only part of a malformed DSN does not print the
// rest.
func (r *Redactor) Add(secrets ...string) {
	seen := map[string]bool{}
	for _, s := range r.secrets {
		seen[s] = true
	}
	add := func(v string) {
		if len(v) < minSecret || seen[v] || strings.Trim(v, "*") == "" {
			return
		}
		seen[v] = true
		r.secrets = append(r.secrets, v)
	}
	for _, s := range secrets {
		if len(s) < minSecret {
			continue
		}
		for _, v := range secretForms(s) {
			add(v)
		}
	}
	sort.SliceStable(r.secrets, func(i, j int) bool { return len(r.secrets[i]) > len(r.secrets[j]) })
}

// secretForms is s and the encodings and pieces of it a message may hold.
func secretForms(s string) []string {
	q := url.QueryEscape(s)
	forms := []string{
		s,
		q,
		strings.ReplaceAll(q, "+", "%20"),
		url.PathEscape(s),
		strings.TrimPrefix(url.UserPassword("", s).String(), ":"),
		strings.ToLower(q), // lower-case hex
		strings.Trim(strconv.Quote(s), `"`),
		strings.Trim(strconv.QuoteToASCII(s), `"`),
		strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s),
		strings.ReplaceAll(s, `'`, `''`),
		strings.ReplaceAll(s, `"`, `""`),
	}
	// Pieces between split characters, and every run of consecutive
	// pieces (a parser that split at '@' keeps the rest whole).
	isSplit := func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune("@:/?#&;='\"%", r)
	}
	var bounds [][2]int // [start, end) of each piece
	start := -1
	for i, r := range s {
		if isSplit(r) {
			if start >= 0 {
				bounds = append(bounds, [2]int{start, i})
				start = -1
			}
		} else if start < 0 {
			start = i
		}
	}
	if start >= 0 {
		bounds = append(bounds, [2]int{start, len(s)})
	}
	if len(bounds) > 1 {
		for i := range bounds {
			for j := i; j < len(bounds); j++ {
				if i == 0 && j == len(bounds)-1 {
					continue
				}
				forms = append(forms, s[bounds[i][0]:bounds[j][1]])
			}
		}
	}
	return forms
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
// their ${ENV} reference (or are masked if somehow literal), every secret
// in the DSN is masked, and an option keeps a literal value only when the
// option table knows it carries no secret.
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
			if !optionMayBeLiteral(c.Type, k) {
				v = mask(v)
			}
			out.Options[k] = v
		}
	}
	return out
}
