package connector

import (
	"errors"
	"strings"
	"testing"
)

func TestCheckReadOnly(t *testing.T) {
	reads := []string{
		"SELECT 1",
		"select * from gl where account = 'DELETE FROM x'",
		"  -- insert into x\n SELECT 1;",
		"WITH a AS (SELECT 1 AS x) SELECT x FROM a",
		"SELECT replace(name, 'a', 'b') FROM t",
		"(SELECT 1) UNION ALL (SELECT 2)",
		"SHOW TABLES",
		"DESCRIBE t",
		"EXPLAIN SELECT 1",
		"SELECT \"update\" FROM t",
		"SELECT $$drop table x$$",
		"/* create */ SELECT 1",
		"FROM t",
		"SELECT 1;;",
	}
	for _, q := range reads {
		if err := CheckReadOnlyDialect(q, "duckdb"); err != nil {
			t.Errorf("CheckReadOnlyDialect(%q, duckdb) = %v, want nil", q, err)
		}
	}
	writes := map[string]string{
		"INSERT INTO t VALUES (1)": "INSERT",
		"delete from t":            "DELETE",
		"SELECT 1; DROP TABLE t":   "a second statement",
		"WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d": "DELETE",
		"SELECT * INTO newt FROM t":                             "INTO",
		"CREATE TABLE x AS SELECT 1":                            "CREATE",
		"update t set a = 1":                                    "UPDATE",
		"SET search_path = x":                                   "SET",
		"PRAGMA foo":                                            "PRAGMA",
		"COPY t TO '/tmp/x.csv'":                                "COPY",
		"EXPLAIN ANALYZE DELETE FROM t":                         "DELETE",
		"ATTACH 'x.db'":                                         "ATTACH",
		"SELECT * FROM t FOR UPDATE":                            "UPDATE",
		"CALL proc()":                                           "CALL",
		"VACUUM":                                                "VACUUM",
	}
	for q, kw := range writes {
		err := CheckReadOnly(q)
		var we *ErrWriteRefused
		if !errors.As(err, &we) {
			t.Errorf("CheckReadOnly(%q) = %v, want refusal", q, err)
			continue
		}
		if we.Keyword != kw {
			t.Errorf("CheckReadOnly(%q) keyword = %q, want %q", q, we.Keyword, kw)
		}
	}
	if err := CheckReadOnly("   -- nothing\n"); err == nil {
		t.Error("empty statement accepted")
	}
	if err := CheckReadOnly("SELECT 'open"); err == nil {
		t.Error("unterminated string accepted")
	}
}

func TestValidateRefusesLiteralSecrets(t *testing.T) {
	cases := []Config{
		{Type: "postgres", Password: "hunter2"},
		{Type: "databricks", Token: "dapi123"},
		{Type: "snowflake", PrivateKeyPassphrase: "pass"},
		{Type: "postgres", DSN: "postgres://me:hunter2@db:5432/x"},
		{Type: "postgres", DSN: "host=db user=me password=hunter2"},
		{Type: "mysql", DSN: "me:hunter2@tcp(db:3306)/x"},
		{Type: "postgres", Options: map[string]string{"sslpassword": "abc"}},
	}
	for _, c := range cases {
		err := c.Validate()
		if err == nil {
			t.Errorf("Validate(%+v) = nil, want refusal", c)
			continue
		}
		if strings.Contains(err.Error(), "hunter2") || strings.Contains(err.Error(), "dapi123") {
			t.Errorf("error leaks the secret: %v", err)
		}
	}
	ok := []Config{
		{Type: "postgres", Password: "${PGPASS}"},
		{Type: "postgres", DSN: "postgres://me:${PGPASS}@db:5432/x"},
		{Type: "mysql", DSN: "me:${MYPASS}@tcp(db:3306)/x"},
		{Type: "duckdb", Path: "w.duckdb"},
	}
	for _, c := range ok {
		if err := c.Validate(); err != nil {
			t.Errorf("Validate(%+v) = %v", c, err)
		}
	}
	if err := (Config{}).Validate(); err == nil {
		t.Error("config without type accepted")
	}
}

func TestExpand(t *testing.T) {
	env := map[string]string{"PGPASS": "s3cr3t!", "PGHOST": "db.internal"}
	lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	c := Config{Type: "postgres", Host: "${PGHOST}", Password: "${PGPASS}", DSN: "postgres://u:${PGPASS}@h/x", Options: map[string]string{"sslmode": "disable"}}
	got, err := c.Expand(lookup)
	if err != nil {
		t.Fatal(err)
	}
	if got.Host != "db.internal" || got.Password != "s3cr3t!" || got.DSN != "postgres://u:s3cr3t!@h/x" || got.Options["sslmode"] != "disable" {
		t.Fatalf("expanded = %+v", got)
	}
	if c.Password != "${PGPASS}" {
		t.Fatal("Expand modified its receiver")
	}
	_, err = Config{Type: "postgres", Password: "${NOPE_A}", User: "${NOPE_B}"}.Expand(lookup)
	if err == nil || !strings.Contains(err.Error(), "NOPE_A, NOPE_B") {
		t.Fatalf("missing env error = %v", err)
	}
}

func TestRedaction(t *testing.T) {
	r := NewRedactor("s3cr3t-pw", "x")
	msg := r.String(`pq: password authentication failed for user "me" (tried s3cr3t-pw)`)
	if strings.Contains(msg, "s3cr3t-pw") || !strings.Contains(msg, Mask) {
		t.Fatalf("not redacted: %s", msg)
	}
	if got := r.String("x marks the spot"); got != "x marks the spot" {
		t.Fatalf("short secrets must not be masked: %s", got)
	}
	dsns := map[string]string{
		"postgres://me:pa55@db:5432/x?sslmode=disable":    "postgres://me:" + Mask + "@db:5432/x?sslmode=disable",
		"me:pa55@tcp(db:3306)/x":                          "me:" + Mask + "@tcp(db:3306)/x",
		"host=db user=me password=pa55 dbname=x":          "host=db user=me password=" + Mask + " dbname=x",
		"sqlserver://sa:pa55@db?database=x&password=pa55": "sqlserver://sa:" + Mask + "@db?database=x&password=" + Mask,
		"postgres://me:${PW}@db/x":                        "postgres://me:${PW}@db/x",
	}
	for in, want := range dsns {
		if got := RedactDSN(in); got != want {
			t.Errorf("RedactDSN(%q) = %q, want %q", in, got, want)
		}
	}
	wrapped := r.Error(errors.New("dial failed: s3cr3t-pw"))
	if strings.Contains(wrapped.Error(), "s3cr3t-pw") {
		t.Fatal("Error() not redacted")
	}
	c := Config{Type: "postgres", Password: "literal", Token: "${T}", DSN: "postgres://a:b@c/d"}.Redacted()
	if c.Password != Mask || c.Token != "${T}" || strings.Contains(c.DSN, ":b@") {
		t.Fatalf("Redacted() = %+v", c)
	}
}

func TestCheckReadOnlyExplain(t *testing.T) {
	for _, q := range []string{"EXPLAIN SELECT 1", "EXPLAIN ANALYZE SELECT 1", "EXPLAIN (ANALYZE, FORMAT JSON) SELECT 1", "EXPLAIN (SELECT 1)", "EXPLAIN QUERY PLAN WITH a AS (SELECT 1) SELECT * FROM a"} {
		if err := CheckReadOnlyDialect(q, "postgres"); err != nil {
			t.Errorf("%q refused: %v", q, err)
		}
	}
	for _, q := range []string{"EXPLAIN SET x = 1", "EXPLAIN ANALYZE COPY (SELECT 1) TO 'f'", "EXPLAIN RESET lock_configuration", "EXPLAIN (ANALYZE) PRAGMA x", "EXPLAIN ANALYZE VACUUM"} {
		var we *ErrWriteRefused
		if err := CheckReadOnlyDialect(q, "duckdb"); !errors.As(err, &we) {
			t.Errorf("%q = %v, want a refusal", q, err)
		}
	}
}

// TestGuardLexesLikeEachEngine covers finding 1 of issue 10: a literal the
// guard lexes differently from its engine hides a second statement.
func TestGuardLexesLikeEachEngine(t *testing.T) {
	for _, tc := range []struct{ dialect, sql string }{
		{"duckdb", `SELECT '\' AS a; ATTACH 'w.duckdb' AS w; DROP TABLE w.t; SELECT 1 --'`},
		{"postgres", `SELECT '\' AS a; DROP TABLE t; SELECT 1 --'`},
		{"postgres", `SELECT E'\''; DROP TABLE t; SELECT E'\''`},
		{"postgres", `SELECT 1 /* a /* nested */ ; DROP TABLE t; /* */ */; DROP TABLE t`},
		{"mysql", `SELECT 1 --x` + "\n" + `; DROP TABLE t`},
		{"mysql", `SELECT 1 /*!50000 ; DROP TABLE t */`},
		{"sqlserver", `SELECT [a]; DROP TABLE t`},
		{"duckdb", `SELECT ['x]'; DROP TABLE t; --']`},
		{"bigquery", `SELECT '''a'''; DROP TABLE t`},
		{"databricks", `SELECT r'\'; DROP TABLE t; --'`},
		{"snowflake", `SELECT 1 //` + "\n" + `; DROP TABLE t`},
	} {
		if err := CheckReadOnlyDialect(tc.sql, tc.dialect); err == nil {
			t.Errorf("%s: %q accepted", tc.dialect, tc.sql)
		}
	}
	// And what each engine reads as one harmless statement stays allowed.
	for _, tc := range []struct{ dialect, sql string }{
		{"duckdb", `SELECT 'C:\' AS path`},
		{"postgres", `SELECT E'it\'s' AS s`},
		{"mysql", `SELECT 'it\'s' AS s`},
		{"mysql", `SELECT 1 # comment; DROP TABLE t`},
		{"sqlserver", `SELECT [weird;name] FROM t`},
		{"sqlserver", `SELECT [a]]; DROP TABLE t; --]`},
		{"mysql", `SELECT "\"; DROP TABLE t; --"`},
		{"duckdb", `SELECT [1, 2, 3] AS xs`},
		{"bigquery", `SELECT """a ; b""" AS s`},
	} {
		if err := CheckReadOnlyDialect(tc.sql, tc.dialect); err != nil {
			t.Errorf("%s: %q refused: %v", tc.dialect, tc.sql, err)
		}
	}
}
