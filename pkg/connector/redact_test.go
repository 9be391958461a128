package connector

import (
	"net/url"
	"strconv"
	"strings"
	"testing"
	"unicode"

	mysqldriver "github.com/go-sql-driver/mysql"
)

// Passwords with every character DSN parsers split at, quotes, escapes and
// non-ASCII letters.
var hardPasswords = []string{
	`p@ss w0rd/%S3c#'x:ü€`,
	`pa:ss@wo/rd?x=1&y#z`,
	`%41%42c@d e:f`,
	`héllo wörld ünïcode`,
	`semi;colon"dq'sq`,
	`{brace}}x=y`,
	`back\slash 'q`,
	`t4b	änd  tw0@@sp4ces`,
	`trailing@`,
}

// passwordLeaks lists text that must not appear where pw was masked: the
// password, its escaped forms, and every piece of 3+ bytes between the
// characters DSN parsers split at.
func passwordLeaks(pw string) []string {
	leaks := []string{pw, url.QueryEscape(pw), url.PathEscape(pw),
		strings.TrimPrefix(url.UserPassword("", pw).String(), ":"),
		strings.Trim(strconv.Quote(pw), `"`)}
	for _, piece := range strings.FieldsFunc(pw, func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune("@:/?#&;='\"%{}\\", r)
	}) {
		if len(piece) >= 3 {
			leaks = append(leaks, piece)
		}
	}
	return leaks
}

func checkNoLeak(t *testing.T, what, pw, got string) {
	t.Helper()
	for _, leak := range passwordLeaks(pw) {
		if strings.Contains(got, leak) {
			t.Errorf("%s leaks %q of password %q:\n%s", what, leak, pw, got)
		}
	}
}

func libpqQuote(v string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(v) + "'"
}

func libpqBare(v string) string {
	var b strings.Builder
	for _, r := range v {
		if r == '\\' || r == '\'' || unicode.IsSpace(r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

func adoQuote(v string) string {
	if strings.ContainsAny(v, `;"`) {
		return `"` + strings.ReplaceAll(v, `"`, `""`) + `"`
	}
	return v
}

type dsnShape struct {
	name, typ, keep string
	build           func(pw string) string
}

// dsnShapes builds a DSN holding pw in every shape databridge accepts.
var dsnShapes = []dsnShape{
	{"postgres URL escaped", "postgres", "db.internal:5432/fin", func(pw string) string {
		return "postgres://" + url.UserPassword("me", pw).String() + "@db.internal:5432/fin?sslmode=disable"
	}},
	{"postgres URL raw", "postgres", "db.internal:5432/fin", func(pw string) string {
		return "postgres://me:" + pw + "@db.internal:5432/fin?sslmode=disable"
	}},
	{"postgres URL query password", "postgres", "db.internal:5432/fin", func(pw string) string {
		return "postgresql://me@db.internal:5432/fin?sslmode=disable&password=" + url.QueryEscape(pw) + "&application_name=x"
	}},
	{"postgres URL query sslpassword", "postgres", "db.internal:5432/fin", func(pw string) string {
		return "postgres://me@db.internal:5432/fin?sslpassword=" + url.QueryEscape(pw)
	}},
	{"postgres key=value quoted", "postgres", "host=db.internal", func(pw string) string {
		return "host=db.internal user=me password=" + libpqQuote(pw) + " dbname=fin sslmode=disable"
	}},
	{"postgres key=value bare", "postgres", "host=db.internal", func(pw string) string {
		return "host=db.internal user=me password = " + libpqBare(pw) + " dbname=fin"
	}},
	{"mysql DSN", "mysql", "tcp(db.internal:3306)/fin", func(pw string) string {
		return "me:" + pw + "@tcp(db.internal:3306)/fin?parseTime=true"
	}},
	{"mysql DSN from FormatDSN", "mysql", "db.internal:3306", func(pw string) string {
		c := mysqldriver.NewConfig()
		c.User, c.Passwd, c.Net, c.Addr, c.DBName = "me", pw, "tcp", "db.internal:3306", "fin"
		return c.FormatDSN()
	}},
	{"sqlserver URL escaped", "sqlserver", "db.internal:1433", func(pw string) string {
		return "sqlserver://" + url.UserPassword("sa", pw).String() + "@db.internal:1433?database=fin&encrypt=disable"
	}},
	{"sqlserver URL raw", "sqlserver", "db.internal:1433", func(pw string) string {
		return "sqlserver://sa:" + pw + "@db.internal:1433?database=fin"
	}},
	{"sqlserver URL query password", "sqlserver", "db.internal", func(pw string) string {
		return "sqlserver://sa@db.internal?database=fin&password=" + url.QueryEscape(pw)
	}},
	{"sqlserver key=value", "sqlserver", "server=db.internal", func(pw string) string {
		return "server=db.internal;user id=sa;password=" + adoQuote(pw) + ";database=fin"
	}},
	{"sqlserver key=value pwd", "sqlserver", "Server=db.internal", func(pw string) string {
		return "Server=db.internal; User ID=sa; Pwd=" + adoQuote(pw) + "; Database=fin"
	}},
	{"sqlserver odbc", "sqlserver", "server=db.internal", func(pw string) string {
		return "odbc:server=db.internal;uid=sa;pwd={" + strings.ReplaceAll(pw, "}", "}}") + "};database=fin"
	}},
	{"snowflake DSN", "snowflake", "xy12345/FIN/PUBLIC", func(pw string) string {
		return "fpa:" + pw + "@xy12345/FIN/PUBLIC?warehouse=WH"
	}},
	{"databricks DSN", "databricks", "adb-1.azuredatabricks.net:443", func(pw string) string {
		return "token:" + pw + "@adb-1.azuredatabricks.net:443/sql/1.0/warehouses/abc?catalog=main"
	}},
}

// Every DSN shape, every hard password: RedactDSN, Config.Redacted and a
// Redactor built from the expanded config's Secrets leave nothing of the
// password, keep the rest of the DSN readable, and Validate refuses the
// literal password.
func TestRedactDSNParsesEveryShape(t *testing.T) {
	for _, shape := range dsnShapes {
		for _, pw := range hardPasswords {
			dsn := shape.build(pw)
			what := shape.name + " " + strconv.Quote(pw)

			got := RedactDSN(dsn)
			checkNoLeak(t, "RedactDSN("+what+")", pw, got)
			if !strings.Contains(got, Mask) || !strings.Contains(got, shape.keep) {
				t.Errorf("RedactDSN(%s) = %q, want the mask and %q kept", what, got, shape.keep)
			}

			cfg := Config{Type: shape.typ, DSN: dsn}
			checkNoLeak(t, "Redacted("+what+")", pw, cfg.Redacted().DSN)

			if err := cfg.Validate(); err == nil {
				t.Errorf("Validate(%s) accepted a literal password", what)
			} else {
				checkNoLeak(t, "Validate error of "+what, pw, err.Error())
			}

			red := NewRedactor(cfg.Secrets()...)
			for _, msg := range []string{
				dsn,
				"cannot connect to " + dsn + ": authentication failed",
				"failed to connect: password " + pw + " rejected",
				"dial: " + url.QueryEscape(pw) + " / " + url.PathEscape(pw),
			} {
				checkNoLeak(t, "Redactor.String("+what+")", pw, red.String(msg))
			}
		}
	}
}

// The same DSNs with the password as an ${ENV} reference are accepted,
// printed as written, and RedactDSN leaves them alone.
func TestRedactDSNKeepsEnvReferences(t *testing.T) {
	for _, shape := range dsnShapes {
		if strings.Contains(shape.name, "FormatDSN") {
			continue
		}
		dsn := shape.build("${DB_PASSWORD}")
		if strings.Contains(shape.name, "escaped") || strings.Contains(shape.name, "query") {
			dsn = strings.NewReplacer("%24%7BDB_PASSWORD%7D", "${DB_PASSWORD}", "$%7BDB_PASSWORD%7D", "${DB_PASSWORD}").Replace(dsn)
		}
		if strings.Contains(shape.name, "bare") {
			dsn = strings.ReplaceAll(dsn, `\$`, `$`)
		}
		if got := RedactDSN(dsn); got != dsn {
			t.Errorf("%s: RedactDSN(%q) = %q, want it unchanged", shape.name, dsn, got)
		}
		if err := (Config{Type: shape.typ, DSN: dsn}).Validate(); err != nil {
			t.Errorf("%s: Validate(%q) = %v", shape.name, dsn, err)
		}
	}
}

func TestRedactDSNReadable(t *testing.T) {
	for in, want := range map[string]string{
		"postgres://me:pa55@db:5432/x?sslmode=disable":          "postgres://me:" + Mask + "@db:5432/x?sslmode=disable",
		"postgres://me@db:5432/x?sslmode=disable":               "postgres://me@db:5432/x?sslmode=disable",
		"postgres://db/x?application_name=report":               "postgres://db/x?application_name=report",
		"me:pa55@tcp(db:3306)/x":                                "me:" + Mask + "@tcp(db:3306)/x",
		"me@tcp(db:3306)/x":                                     "me@tcp(db:3306)/x",
		"host=db user=me password='p w' dbname=x":               "host=db user=me password=" + Mask + " dbname=x",
		"host=db user=me sslpassword=abc sslmode=verify-full":   "host=db user=me sslpassword=" + Mask + " sslmode=verify-full",
		"server=db;user id=sa;password=\"a;b\"\"c\";database=x": "server=db;user id=sa;password=" + Mask + ";database=x",
		"password=\"a b;c\"; server=db":                         "password=" + Mask + "; server=db",
		"sqlserver://sa:pa55@db?database=x&password=pa55":       "sqlserver://sa:" + Mask + "@db?database=x&password=" + Mask,
		"token:dapi123@adb.net:443/sql/1.0/x?catalog=main":      "token:" + Mask + "@adb.net:443/sql/1.0/x?catalog=main",
		"postgres://me:${PW}@db/x":                              "postgres://me:${PW}@db/x",
		"":                                                      "",
	} {
		if got := RedactDSN(in); got != want {
			t.Errorf("RedactDSN(%q) = %q, want %q", in, got, want)
		}
	}
	// Free text quoting a DSN falls back to patterns.
	for in, want := range map[string]string{
		`pq: cannot parse "postgres://me:pa55@db/x": bad`:             `pq: cannot parse "postgres://me:` + Mask + `@db/x": bad`,
		"Error 1045: Access denied for user 'me'@'10.0.0.1'":          "Error 1045: Access denied for user 'me'@'10.0.0.1'",
		"login failed; connection string had password=hunter2; retry": "login failed; connection string had password=" + Mask + "; retry",
	} {
		if got := RedactDSN(in); got != want {
			t.Errorf("RedactDSN(%q) = %q, want %q", in, got, want)
		}
	}
}

// A driver that read part of a malformed DSN may print the rest: the
// pieces of a registered secret are masked too.
func TestRedactorMasksPiecesAndEncodings(t *testing.T) {
	pw := `p@ss w0rd/%S3c#'x:ü€`
	r := NewRedactor(pw)
	for _, msg := range []string{
		`hostname resolving error: lookup ss w0rd/%S3c#'x:ü€: no such host`,
		`invalid port ":ü€@db" after host`,
		`parse "postgres://me:p%40ss%20w0rd%2F%25S3c%23%27x%3A%C3%BC%E2%82%AC@db": bad`,
		`invalid URL escape "%S3"; w0rd`,
	} {
		checkNoLeak(t, "Redactor.String", pw, r.String(msg))
	}
	if got := NewRedactor("x", "ab").String("x marks ab"); got != "x marks ab" {
		t.Errorf("short secrets must not be masked: %s", got)
	}
}

func TestConfigRedactedOptions(t *testing.T) {
	c := Config{Type: "postgres", Host: "db", Options: map[string]string{
		"sslmode": "disable", "api_key": "hunter2", "sslpassword": "abc", "mystery": "xyz", "token": "${TOK}",
	}}.Redacted()
	want := map[string]string{"sslmode": "disable", "api_key": Mask, "sslpassword": Mask, "mystery": Mask, "token": "${TOK}"}
	for k, v := range want {
		if c.Options[k] != v {
			t.Errorf("Redacted option %s = %q, want %q", k, c.Options[k], v)
		}
	}
}

func TestSecretsIncludeParsedDSNPasswordAndUnknownOptions(t *testing.T) {
	pw := `p@ss w0rd/%S3c#'x:ü€`
	c := Config{Type: "postgres", DSN: "postgres://me:" + url.PathEscape(pw) + "@db/x",
		Options: map[string]string{"sslmode": "disable", "api_key": "k-123456"}}
	got := strings.Join(c.Secrets(), "\n")
	for _, want := range []string{pw, "k-123456"} {
		if !strings.Contains(got, want) {
			t.Errorf("Secrets() = %q, missing %q", got, want)
		}
	}
	if strings.Contains(got, "disable") {
		t.Errorf("Secrets() holds a harmless option: %q", got)
	}
}
