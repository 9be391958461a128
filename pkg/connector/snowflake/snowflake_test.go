package snowflake

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/snowflakedb/gosnowflake"

	"github.com/databridge/databridge/pkg/catalog"
	"github.com/databridge/databridge/pkg/connector"
)

func TestRegistered(t *testing.T) {
	e, ok := connector.Lookup("snowflake")
	if !ok || e.Dialect != "snowflake" || e.Open == nil {
		t.Fatalf("engine: %+v %v", e, ok)
	}
}

func TestBuildConfigPassword(t *testing.T) {
	sc, err := BuildConfig(connector.Config{
		Type: "snowflake", Account: "xy12345.eu-west-1", User: "loader", Password: "s3cret!",
		Database: "FINANCE", Schema: "RAW", Warehouse: "WH_XS", Role: "LOADER",
		Options: map[string]string{"protocol": "http", "host": "127.0.0.1", "port": "8123", "QUERY_TAG": "databridge"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if sc.Account != "xy12345.eu-west-1" || sc.User != "loader" || sc.Password != "s3cret!" || sc.Database != "FINANCE" ||
		sc.Schema != "RAW" || sc.Warehouse != "WH_XS" || sc.Role != "LOADER" || sc.Authenticator != gosnowflake.AuthTypeSnowflake {
		t.Fatalf("config: %+v", sc)
	}
	if sc.Protocol != "http" || sc.Host != "127.0.0.1" || sc.Port != 8123 {
		t.Fatalf("endpoint: %s://%s:%d", sc.Protocol, sc.Host, sc.Port)
	}
	if v := sc.Params["QUERY_TAG"]; v == nil || *v != "databridge" {
		t.Fatalf("session params: %v", sc.Params)
	}
	dsn, err := gosnowflake.DSN(sc)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"loader:", "@127.0.0.1:8123", "database=FINANCE", "schema=RAW", "protocol=http", "warehouse=WH_XS", "role=LOADER"} {
		if !strings.Contains(dsn, want) {
			t.Errorf("dsn %s lacks %q", connector.RedactDSN(dsn), want)
		}
	}
	if red := connector.NewRedactor("s3cret!").String(dsn); strings.Contains(red, "s3cret") {
		t.Fatalf("redacted dsn still has the password: %s", red)
	}
}

func TestBuildDSNRoundTrip(t *testing.T) {
	dsn, err := BuildDSN(connector.Config{Type: "snowflake", Account: "acme-prod", User: "u", Password: "p@ss/word", Database: "DB"})
	if err != nil {
		t.Fatal(err)
	}
	sc, err := gosnowflake.ParseDSN(dsn)
	if err != nil {
		t.Fatal(err)
	}
	if sc.Account != "acme-prod" || sc.Password != "p@ss/word" || sc.Host != "acme-prod.snowflakecomputing.com" || sc.Database != "DB" {
		t.Fatalf("round trip: account=%s host=%s db=%s", sc.Account, sc.Host, sc.Database)
	}
}

func TestBuildConfigFromDSN(t *testing.T) {
	sc, err := BuildConfig(connector.Config{Type: "snowflake", DSN: "loader:pw@acme-prod/FIN/RAW?warehouse=WH", Schema: "STAGE"})
	if err != nil {
		t.Fatal(err)
	}
	if sc.User != "loader" || sc.Password != "pw" || sc.Database != "FIN" || sc.Schema != "STAGE" || sc.Warehouse != "WH" {
		t.Fatalf("dsn config: %+v", sc)
	}
}

func TestBuildConfigErrors(t *testing.T) {
	cases := []struct {
		cfg  connector.Config
		want string
	}{
		{connector.Config{Type: "snowflake", User: "u", Password: "p"}, "needs account"},
		{connector.Config{Type: "snowflake", Account: "a", User: "u"}, "needs password"},
		{connector.Config{Type: "snowflake", Account: "a", Password: "p"}, "needs user"},
		{connector.Config{Type: "snowflake", Account: "a", User: "u", Authenticator: "oauth"}, "needs token"},
		{connector.Config{Type: "snowflake", Account: "a", User: "u", Authenticator: "snowflake_jwt"}, "needs private_key_path"},
		{connector.Config{Type: "snowflake", Account: "a", User: "u", Authenticator: "kerberos"}, "unknown snowflake authenticator"},
		{connector.Config{Type: "snowflake", Account: "a", User: "u", PrivateKeyPath: "/no/such/key.p8"}, "private_key_path"},
		{connector.Config{Type: "snowflake", Account: "a", User: "u", Password: "p", Options: map[string]string{"port": "http"}}, "option port"},
		{connector.Config{Type: "snowflake", Account: "a", User: "u", Password: "p", Options: map[string]string{"protocol": "ftp"}}, "option protocol"},
		{connector.Config{Type: "snowflake", DSN: "::not a dsn"}, "invalid snowflake dsn"},
	}
	for _, c := range cases {
		_, err := BuildConfig(c.cfg)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: got %v, want %q", c.cfg, err, c.want)
		}
	}
}

func TestBuildConfigOtherAuthenticators(t *testing.T) {
	sc, err := BuildConfig(connector.Config{Type: "snowflake", Account: "a", User: "me@acme.com", Authenticator: "ExternalBrowser"})
	if err != nil || sc.Authenticator != gosnowflake.AuthTypeExternalBrowser {
		t.Fatalf("externalbrowser: %v %v", sc, err)
	}
	sc, err = BuildConfig(connector.Config{Type: "snowflake", Account: "a", Authenticator: "oauth", Token: "tok-123"})
	if err != nil || sc.Authenticator != gosnowflake.AuthTypeOAuth || sc.Token != "tok-123" {
		t.Fatalf("oauth: %v %v", sc, err)
	}
	sc, err = BuildConfig(connector.Config{Type: "snowflake", Account: "a", User: "svc", Authenticator: "pat", Token: "pat-1"})
	if err != nil || sc.Authenticator != gosnowflake.AuthTypePat || sc.Token != "pat-1" {
		t.Fatalf("pat: %v %v", sc, err)
	}
	sc, err = BuildConfig(connector.Config{Type: "snowflake", Account: "a", User: "u", Authenticator: "https://acme.okta.com"})
	if err != nil || sc.Authenticator != gosnowflake.AuthTypeOkta || sc.OktaURL.Host != "acme.okta.com" {
		t.Fatalf("okta: %v %v", sc, err)
	}
}

func writeKey(t *testing.T, dir, name string, block *pem.Block) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, pem.EncodeToMemory(block), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestKeyPair(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	plain := writeKey(t, dir, "rsa_key.p8", &pem.Block{Type: "PRIVATE KEY", Bytes: der})

	sc, err := BuildConfig(connector.Config{Type: "snowflake", Account: "a", User: "svc", PrivateKeyPath: plain})
	if err != nil {
		t.Fatal(err)
	}
	if sc.Authenticator != gosnowflake.AuthTypeJwt || sc.PrivateKey == nil || !sc.PrivateKey.Equal(key) {
		t.Fatalf("jwt config: auth=%v key=%v", sc.Authenticator, sc.PrivateKey != nil)
	}
	if _, err := gosnowflake.DSN(sc); err != nil {
		t.Fatalf("dsn with private key: %v", err)
	}

	// Encrypted with our own PBES2 writer (PBKDF2-SHA256, AES-256-CBC).
	enc := writeKey(t, dir, "rsa_key_enc.p8", &pem.Block{Type: "ENCRYPTED PRIVATE KEY", Bytes: encryptPKCS8(t, der, "correct horse", 2048)})
	sc, err = BuildConfig(connector.Config{Type: "snowflake", Account: "a", User: "svc", Authenticator: "SNOWFLAKE_JWT", PrivateKeyPath: enc, PrivateKeyPassphrase: "correct horse"})
	if err != nil {
		t.Fatal(err)
	}
	if !sc.PrivateKey.Equal(key) {
		t.Fatal("decrypted key differs")
	}
	for _, pass := range []string{"", "wrong horse"} {
		_, err = BuildConfig(connector.Config{Type: "snowflake", Account: "a", User: "svc", PrivateKeyPath: enc, PrivateKeyPassphrase: pass})
		if !errors.Is(err, ErrPassphrase) || !strings.Contains(err.Error(), enc) {
			t.Fatalf("passphrase %q: %v", pass, err)
		}
		if pass != "" && strings.Contains(err.Error(), pass) {
			t.Fatalf("error shows the passphrase: %v", err)
		}
	}

	// PKCS#1 is accepted too.
	rsa1 := writeKey(t, dir, "rsa1.pem", &pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)})
	if sc, err = BuildConfig(connector.Config{Type: "snowflake", Account: "a", User: "svc", PrivateKeyPath: rsa1}); err != nil || !sc.PrivateKey.Equal(key) {
		t.Fatalf("pkcs1: %v", err)
	}
	notKey := filepath.Join(dir, "junk.pem")
	_ = os.WriteFile(notKey, []byte("hello"), 0o600)
	if _, err = LoadPrivateKey(notKey, ""); err == nil || !strings.Contains(err.Error(), "no PEM block") {
		t.Fatalf("junk: %v", err)
	}
}

// TestKeyPairOpenSSL checks decryption against keys OpenSSL encrypts, as
// Snowflake's key-pair guide tells users to create them.
func TestKeyPairOpenSSL(t *testing.T) {
	openssl, err := exec.LookPath("openssl")
	if err != nil {
		t.Skip("openssl not installed")
	}
	dir := t.TempDir()
	plain := filepath.Join(dir, "rsa_key.p8")
	if out, err := exec.Command(openssl, "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", plain).CombinedOutput(); err != nil {
		t.Fatalf("genpkey: %v %s", err, out)
	}
	want, err := LoadPrivateKey(plain, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"-v2", "aes-256-cbc"},
		{"-v2", "aes-128-cbc", "-v2prf", "hmacWithSHA1"},
		{"-v2", "aes-192-cbc", "-v2prf", "hmacWithSHA512"},
	} {
		enc := filepath.Join(dir, "enc.p8")
		cmd := append([]string{"pkcs8", "-topk8", "-in", plain, "-out", enc, "-passout", "pass:s3cret-phrase"}, args...)
		if out, err := exec.Command(openssl, cmd...).CombinedOutput(); err != nil {
			t.Fatalf("openssl %v: %v %s", args, err, out)
		}
		got, err := LoadPrivateKey(enc, "s3cret-phrase")
		if err != nil {
			t.Fatalf("%v: %v", args, err)
		}
		if !got.Equal(want) {
			t.Fatalf("%v: key differs", args)
		}
	}
}

func TestQuoteIdent(t *testing.T) {
	cases := map[string]string{
		"ORDERS":       `"ORDERS"`,
		"my table":     `"my table"`,
		`we"ird`:       `"we""ird"`,
		`x"; DROP --"`: `"x""; DROP --"""`,
	}
	for in, want := range cases {
		if got := QuoteIdent(in); got != want {
			t.Errorf("QuoteIdent(%q) = %s, want %s", in, got, want)
		}
	}
	if got := QuoteQualified("DB", "", `S"1`, "T"); got != `"DB"."S""1"."T"` {
		t.Errorf("QuoteQualified = %s", got)
	}
}

func TestColumnType(t *testing.T) {
	cases := []struct{ dt, l, p, s, want string }{
		{"NUMBER", "", "38", "0", "NUMBER(38,0)"},
		{"NUMBER", "", "18", "2", "NUMBER(18,2)"},
		{"TEXT", "16777216", "", "", "VARCHAR(16777216)"},
		{"TEXT", "", "", "", "VARCHAR"},
		{"TIMESTAMP_NTZ", "", "", "", "TIMESTAMP_NTZ"},
		{"float", "", "", "", "FLOAT"},
	}
	for _, c := range cases {
		if got := columnType(c.dt, c.l, c.p, c.s); got != c.want {
			t.Errorf("columnType(%v) = %s, want %s", c, got, c.want)
		}
	}
}

// fakeQuerier answers metadata queries from canned results and records
// every statement and its arguments.
type fakeQuerier struct {
	answers []answer
	calls   []string
}

type answer struct {
	match string
	res   *connector.Result
	err   error
}

func (f *fakeQuerier) Query(_ context.Context, sql string, _ connector.QueryOptions, args ...any) (*connector.Result, error) {
	f.calls = append(f.calls, fmt.Sprintf("%s %v", sql, args))
	for _, a := range f.answers {
		if strings.Contains(sql, a.match) {
			if a.err != nil {
				return nil, a.err
			}
			return a.res, nil
		}
	}
	return &connector.Result{}, nil
}

func (f *fakeQuerier) Exec(context.Context, string, ...any) (connector.ExecResult, error) {
	return connector.ExecResult{}, errors.New("no exec in metadata")
}

func result(cols []string, rows ...[]any) *connector.Result {
	r := &connector.Result{Rows: rows, RowCount: len(rows)}
	for _, c := range cols {
		r.Columns = append(r.Columns, connector.ResultColumn{Name: c})
	}
	return r
}

func TestDescribeSQLAndKeys(t *testing.T) {
	show := []string{"created_on", "database_name", "schema_name", "table_name", "column_name", "key_sequence", "constraint_name", "rely", "comment"}
	imported := []string{"created_on", "pk_database_name", "pk_schema_name", "pk_table_name", "pk_column_name", "fk_database_name", "fk_schema_name", "fk_table_name", "fk_column_name", "key_sequence", "update_rule", "delete_rule", "fk_name", "pk_name", "deferrability", "rely", "comment"}
	q := &fakeQuerier{answers: []answer{
		{match: "CURRENT_DATABASE()", res: result([]string{"db", "schema"}, []any{"FIN DB", "PUBLIC"})},
		{match: "FROM INFORMATION_SCHEMA.TABLES", res: result([]string{"s", "n", "t", "c"},
			[]any{"GL", "JOURNAL_LINES", "BASE TABLE", "lines"})},
		{match: "FROM INFORMATION_SCHEMA.COLUMNS", res: result([]string{"n", "t", "null", "pos", "def", "c", "l", "p", "s"},
			[]any{"ENTITY", "TEXT", "NO", int64(1), nil, nil, int64(10), nil, nil},
			[]any{"JOURNAL_ID", "NUMBER", "NO", int64(2), nil, nil, nil, int64(38), int64(0)},
			[]any{"LINE_NO", "NUMBER", "NO", int64(3), nil, nil, nil, int64(38), int64(0)},
			[]any{"ACCOUNT", "TEXT", "YES", int64(4), "'0000'", "GL account", int64(20), nil, nil})},
		{match: "SHOW PRIMARY KEYS", res: result(show,
			// out of order on purpose: key_sequence decides.
			[]any{nil, "FIN DB", "GL", "JOURNAL_LINES", "LINE_NO", int64(3), "PK_JL", "false", nil},
			[]any{nil, "FIN DB", "GL", "JOURNAL_LINES", "ENTITY", int64(1), "PK_JL", "false", nil},
			[]any{nil, "FIN DB", "GL", "JOURNAL_LINES", "JOURNAL_ID", int64(2), "PK_JL", "false", nil},
			[]any{nil, "FIN DB", "GL", "OTHER_TABLE", "X", int64(1), "PK_OTHER", "false", nil})},
		{match: "SHOW UNIQUE KEYS", err: errors.New("SQL compilation error: unsupported")},
		{match: "SHOW IMPORTED KEYS", res: result(imported,
			[]any{nil, "FIN DB", "GL", "JOURNALS", "JOURNAL_ID", "FIN DB", "GL", "JOURNAL_LINES", "JOURNAL_ID", int64(2), "", "", "FK_J", "PK_J", "", "", nil},
			[]any{nil, "FIN DB", "GL", "JOURNALS", "ENTITY", "FIN DB", "GL", "JOURNAL_LINES", "ENTITY", int64(1), "", "", "FK_J", "PK_J", "", "", nil},
			[]any{nil, "FIN DB", "MD", "ACCOUNTS", "CODE", "FIN DB", "GL", "JOURNAL_LINES", "ACCOUNT", int64(1), "", "", "FK_A", "PK_A", "", "", nil},
			// an emulator-style row without a referenced table is dropped.
			[]any{nil, "", "", "", "", "FIN DB", "GL", "JOURNAL_LINES", "ENTITY", int64(1), "", "", "bogus", "", "", "", nil})},
	}}
	d, err := Meta{}.Describe(context.Background(), q, "gl", "journal_lines")
	if err != nil {
		t.Fatal(err)
	}
	want := &catalog.TableDetail{
		Table: catalog.Table{Schema: "GL", Name: "JOURNAL_LINES", Kind: catalog.KindTable, Comment: "lines"},
		Columns: []catalog.Column{
			{Name: "ENTITY", Type: "VARCHAR(10)", Position: 1},
			{Name: "JOURNAL_ID", Type: "NUMBER(38,0)", Position: 2},
			{Name: "LINE_NO", Type: "NUMBER(38,0)", Position: 3},
			{Name: "ACCOUNT", Type: "VARCHAR(20)", Nullable: true, Position: 4, Default: ptr("'0000'"), Comment: "GL account"},
		},
		PrimaryKey: []string{"ENTITY", "JOURNAL_ID", "LINE_NO"},
		UniqueKeys: nil,
		ForeignKeys: []catalog.ForeignKey{
			{Name: "FK_J", Columns: []string{"ENTITY", "JOURNAL_ID"}, RefSchema: "GL", RefTable: "JOURNALS", RefColumns: []string{"ENTITY", "JOURNAL_ID"}},
			{Name: "FK_A", Columns: []string{"ACCOUNT"}, RefSchema: "MD", RefTable: "ACCOUNTS", RefColumns: []string{"CODE"}},
		},
	}
	if !reflect.DeepEqual(d, want) {
		t.Fatalf("describe:\n got %+v\nwant %+v", d, want)
	}
	calls := strings.Join(q.calls, "\n")
	for _, s := range []string{
		"TABLE_SCHEMA IN (?, UPPER(?)) AND TABLE_NAME IN (?, UPPER(?)) [gl gl journal_lines journal_lines]",
		"WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION [GL JOURNAL_LINES]",
		`SHOW PRIMARY KEYS IN TABLE "FIN DB"."GL"."JOURNAL_LINES" []`,
		`SHOW IMPORTED KEYS IN TABLE "FIN DB"."GL"."JOURNAL_LINES" []`,
	} {
		if !strings.Contains(calls, s) {
			t.Errorf("no call like %q in\n%s", s, calls)
		}
	}
	if strings.Contains(calls, "journal_lines'") || strings.Contains(calls, "'gl'") {
		t.Errorf("values interpolated into SQL:\n%s", calls)
	}
}

func TestDescribeNotFound(t *testing.T) {
	q := &fakeQuerier{answers: []answer{{match: "CURRENT_DATABASE()", res: result([]string{"d", "s"}, []any{"DB", "PUBLIC"})}}}
	_, err := Meta{}.Describe(context.Background(), q, "", "NOPE")
	if !errors.Is(err, connector.ErrTableNotFound) || !strings.Contains(err.Error(), "PUBLIC.NOPE") {
		t.Fatalf("got %v", err)
	}
}

func TestTablesPrefersExactCase(t *testing.T) {
	q := &fakeQuerier{answers: []answer{
		{match: "INFORMATION_SCHEMA.TABLES", res: result([]string{"s", "n", "t", "c"},
			[]any{"Sales", "a", "BASE TABLE", nil}, []any{"SALES", "B", "BASE TABLE", nil})},
		{match: "INFORMATION_SCHEMA.VIEWS", res: result([]string{"s", "n", "t", "c"},
			[]any{"Sales", "V", "VIEW", nil})},
	}}
	tabs, err := Meta{}.Tables(context.Background(), q, "Sales")
	if err != nil {
		t.Fatal(err)
	}
	want := []catalog.Table{{Schema: "Sales", Name: "V", Kind: "view"}, {Schema: "Sales", Name: "a", Kind: "table"}}
	if !reflect.DeepEqual(tabs, want) {
		t.Fatalf("got %+v", tabs)
	}
}

func ptr(s string) *string { return &s }

// A read-only session asks Snowflake for one statement per request,
// whatever the account's default MULTI_STATEMENT_COUNT.
func TestReadOnlyParamsOneStatement(t *testing.T) {
	sc, err := BuildConfig(connector.Config{Type: "snowflake", Account: "xy12345", User: "u", Password: "p", Options: map[string]string{"MULTI_STATEMENT_COUNT": "0"}})
	if err != nil {
		t.Fatal(err)
	}
	ReadOnlyParams(sc)
	if v := sc.Params["MULTI_STATEMENT_COUNT"]; v == nil || *v != "1" {
		t.Fatalf("MULTI_STATEMENT_COUNT = %v, want 1", v)
	}
}
