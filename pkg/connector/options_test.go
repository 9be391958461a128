package connector

import (
	"strings"
	"testing"
)

func TestCheckOptions(t *testing.T) {
	for _, tc := range []struct {
		typ  string
		opts map[string]string
		want string // "" for accepted; else substrings of the error, "|"-separated
	}{
		{"postgres", map[string]string{"sslmode": "disable", "application_name": "fpa", "connect_timeout": "5"}, ""},
		{"postgres", map[string]string{"api_key": "hunter2"}, "option api_key|${ENV}"},
		{"postgres", map[string]string{"api_key": "${API_KEY}"}, ""},
		{"postgres", map[string]string{"sslpassword": "abc"}, "option sslpassword carries a credential|${ENV}"},
		{"postgres", map[string]string{"sslpassword": "${SSLPW}"}, ""},
		{"postgres", map[string]string{"some_setting": "on"}, "option some_setting is not an option databridge knows for postgres|server run-time parameter|${ENV}"},
		{"postgres", map[string]string{"some_setting": "${X}"}, ""},
		{"mysql", map[string]string{"parseTime": "true", "tls": "skip-verify", "sql_mode": "'ANSI_QUOTES'"}, ""},
		{"mysql", map[string]string{"multiStatements": "true"}, "option multiStatements cannot be set|read-only"},
		{"mysql", map[string]string{"allowAllFiles": "${X}"}, "option allowAllFiles cannot be set"},
		{"mysql", map[string]string{"strict": "true"}, "option strict cannot be set"},
		{"sqlserver", map[string]string{"encrypt": "true", "TrustServerCertificate": "false", "app name": "x"}, ""},
		{"sqlserver", map[string]string{"clientsecret": "s3"}, "option clientsecret carries a credential"},
		{"snowflake", map[string]string{"protocol": "http", "QUERY_TAG": "databridge", "max_retry_count": "1"}, ""},
		{"snowflake", map[string]string{"passcode": "123456"}, "option passcode carries a credential"},
		{"databricks", map[string]string{"timeout": "120", "ansi_mode": "true"}, ""},
		{"databricks", map[string]string{"accessToken": "dapi1"}, "option accessToken carries a credential"},
		{"duckdb", map[string]string{"threads": "4", "memory_limit": "2GB"}, ""},
		{"duckdb", map[string]string{"enable_external_access": "true"}, "option enable_external_access cannot be set on a duckdb connection|databridge sets"},
		{"duckdb", map[string]string{"lock_configuration": "false"}, "option lock_configuration cannot be set"},
		{"duckdb", map[string]string{"allowed_directories": "${DIRS}"}, "option allowed_directories cannot be set"},
		{"duckdb", map[string]string{"Allowed_Paths": "/"}, "option Allowed_Paths cannot be set"},
		{"duckdb", map[string]string{"access_mode": "read_write"}, "option access_mode cannot be set|read_only"},
		{"duckdb", map[string]string{"threads; drop": "1"}, "not a DuckDB setting"},
		{"duckdb", map[string]string{"s3_secret_access_key": "AKIA"}, "carries a credential"},
		{"duckdb", map[string]string{"http_proxy": "x"}, "not an option databridge knows for duckdb"},
		{"files", map[string]string{"delimiter": ";", "header": "true", "dateformat": "%d/%m/%Y"}, ""},
		{"files", map[string]string{"delim": ";"}, `unknown option "delim" for the files engine`},
		{"files", map[string]string{"api_key": "${K}"}, `unknown option "api_key" for the files engine`},
		{"bigquery", map[string]string{"x": "${Y}"}, "the bigquery engine takes no options"},
	} {
		err := CheckOptions(tc.typ, tc.opts)
		if tc.want == "" {
			if err != nil {
				t.Errorf("CheckOptions(%s, %v) = %v, want nil", tc.typ, tc.opts, err)
			}
			continue
		}
		if err == nil {
			t.Errorf("CheckOptions(%s, %v) = nil, want %q", tc.typ, tc.opts, tc.want)
			continue
		}
		for _, w := range strings.Split(tc.want, "|") {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("CheckOptions(%s, %v) = %v, want it to contain %q", tc.typ, tc.opts, err, w)
			}
		}
		for _, v := range tc.opts {
			if len(v) >= 3 && !strings.HasPrefix(v, "${") && strings.Contains(err.Error(), v) {
				t.Errorf("CheckOptions error quotes the value %q: %v", v, err)
			}
		}
	}
}

// Validate applies the option rules, so config.yaml and connection add
// both refuse a literal credential in an option.
func TestValidateChecksOptions(t *testing.T) {
	err := Config{Type: "postgres", Host: "db", Options: map[string]string{"api_key": "hunter2"}}.Validate()
	if err == nil || !strings.Contains(err.Error(), "api_key") || strings.Contains(err.Error(), "hunter2") {
		t.Fatalf("Validate = %v", err)
	}
}

// Every engine type has an entry in the one option table.
func TestOptionTableCoversEngines(t *testing.T) {
	for _, typ := range []string{"postgres", "mysql", "sqlserver", "snowflake", "databricks", "duckdb", "files", "bigquery"} {
		if _, ok := Options(typ); !ok {
			t.Errorf("no option facts for %s", typ)
		}
	}
	for typ, spec := range engineOptions {
		for _, k := range spec.Known {
			if inFold(spec.Secret, k) {
				t.Errorf("%s: option %s is both known-harmless and secret", typ, k)
			}
		}
	}
}
