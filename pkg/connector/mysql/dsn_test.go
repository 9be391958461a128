package mysql

import (
	"strings"
	"testing"
	"time"

	driver "github.com/go-sql-driver/mysql"

	"github.com/databridge/databridge/pkg/connector"
)

func mustParse(t *testing.T, dsn string) *driver.Config {
	t.Helper()
	dc, err := driver.ParseDSN(dsn)
	if err != nil {
		t.Fatalf("driver cannot parse %q: %v", dsn, err)
	}
	return dc
}

func TestBuildDSNFromFields(t *testing.T) {
	dsn, err := BuildDSN(connector.Config{Type: Type, Host: "db.example.com", Database: "finance", User: "analyst", Password: "s3cret"})
	if err != nil {
		t.Fatal(err)
	}
	if want := "analyst:s3cret@tcp(db.example.com:3306)/finance?parseTime=true&timeout=10s"; dsn != want {
		t.Fatalf("dsn = %q, want %q", dsn, want)
	}
	dc := mustParse(t, dsn)
	if dc.Net != "tcp" || dc.Addr != "db.example.com:3306" || dc.DBName != "finance" || dc.User != "analyst" || dc.Passwd != "s3cret" || !dc.ParseTime || dc.Timeout != DialTimeout {
		t.Fatalf("parsed %+v", dc)
	}
}

func TestBuildDSNPortSocketIPv6(t *testing.T) {
	for _, tc := range []struct {
		cfg       connector.Config
		net, addr string
	}{
		{connector.Config{Type: Type, Host: "10.0.0.5", Port: 3307, Database: "gl", User: "u"}, "tcp", "10.0.0.5:3307"},
		{connector.Config{Type: Type, Host: "::1", Database: "gl", User: "u"}, "tcp", "[::1]:3306"},
		{connector.Config{Type: Type, Host: "/run/mysqld/mysqld.sock", Database: "gl", User: "u"}, "unix", "/run/mysqld/mysqld.sock"},
	} {
		dsn, err := BuildDSN(tc.cfg)
		if err != nil {
			t.Fatal(err)
		}
		dc := mustParse(t, dsn)
		if dc.Net != tc.net || dc.Addr != tc.addr || dc.DBName != "gl" {
			t.Errorf("%+v: %q parsed as net=%q addr=%q db=%q", tc.cfg, dsn, dc.Net, dc.Addr, dc.DBName)
		}
	}
}

func TestBuildDSNOptions(t *testing.T) {
	dsn, err := BuildDSN(connector.Config{Type: Type, Host: "h", Database: "d", User: "u",
		Options: map[string]string{"tls": "skip-verify", "timeout": "3s", "sql_mode": "'ANSI_QUOTES'", "charset": "utf8mb4"}})
	if err != nil {
		t.Fatal(err)
	}
	dc := mustParse(t, dsn)
	if dc.TLSConfig != "skip-verify" || dc.Timeout != 3*time.Second || dc.Params["sql_mode"] != "'ANSI_QUOTES'" || !dc.ParseTime {
		t.Fatalf("%q parsed as tls=%q timeout=%s params=%v parseTime=%v", dsn, dc.TLSConfig, dc.Timeout, dc.Params, dc.ParseTime)
	}
	if _, err := BuildDSN(connector.Config{Type: Type, Host: "h", Options: map[string]string{"timeout": "soon"}}); err == nil {
		t.Fatal("want an error for an invalid option value")
	}
}

func TestBuildDSNSpecialCharacters(t *testing.T) {
	pw := `p@ss:w/rd?#%&='"\ (1)`
	db := "gl db"
	dsn, err := BuildDSN(connector.Config{Type: Type, Host: "h", User: "fin", Password: pw, Database: db})
	if err != nil {
		t.Fatal(err)
	}
	dc := mustParse(t, dsn)
	if dc.Passwd != pw || dc.User != "fin" || dc.DBName != db || dc.Addr != "h:3306" {
		t.Fatalf("round trip of %q: user=%q password=%q db=%q addr=%q", dsn, dc.User, dc.Passwd, dc.DBName, dc.Addr)
	}
	// With options the DSN is re-parsed: the password must survive that too.
	dsn, err = BuildDSN(connector.Config{Type: Type, Host: "h", User: "fin", Password: pw, Database: db, Options: map[string]string{"tls": "true"}})
	if err != nil {
		t.Fatal(err)
	}
	if dc := mustParse(t, dsn); dc.Passwd != pw || dc.DBName != db || dc.TLSConfig != "true" {
		t.Fatalf("round trip with options of %q: password=%q db=%q tls=%q", dsn, dc.Passwd, dc.DBName, dc.TLSConfig)
	}
}

func TestBuildDSNPassthrough(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		// Defaults are added to a DSN that does not set them...
		{"u:p@tcp(h:3306)/d", "u:p@tcp(h:3306)/d?parseTime=true&timeout=10s"},
		// ...and what it sets is kept.
		{"u:p@tcp(h:3306)/d?parseTime=true&timeout=2s", "u:p@tcp(h:3306)/d?parseTime=true&timeout=2s"},
		{"u:p@tcp(h:3306)/d?parseTime=false", "u:p@tcp(h:3306)/d?timeout=10s"},
		{"u@unix(/tmp/my.sock)/d?tls=preferred&parseTime=true&timeout=5s", "u@unix(/tmp/my.sock)/d?allowFallbackToPlaintext=true&parseTime=true&timeout=5s&tls=preferred"},
	} {
		got, err := BuildDSN(connector.Config{Type: Type, DSN: tc.in})
		if err != nil {
			t.Fatal(err)
		}
		if got != tc.want {
			t.Errorf("BuildDSN(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestBuildDSNMergesPasswordOptionsSchema(t *testing.T) {
	got, err := BuildDSN(connector.Config{Type: Type, DSN: "u@tcp(h:3306)/?timeout=2s", Password: "x@y/z", Schema: "finance",
		Options: map[string]string{"timeout": "4s"}})
	if err != nil {
		t.Fatal(err)
	}
	dc := mustParse(t, got)
	if dc.User != "u" || dc.Passwd != "x@y/z" || dc.DBName != "finance" || dc.Timeout != 4*time.Second {
		t.Fatalf("%q parsed as user=%q pw=%q db=%q timeout=%s", got, dc.User, dc.Passwd, dc.DBName, dc.Timeout)
	}
}

func TestBuildDSNErrors(t *testing.T) {
	if _, err := BuildDSN(connector.Config{Type: Type, Database: "d"}); err == nil {
		t.Error("want an error without host or dsn")
	}
	_, err := BuildDSN(connector.Config{Type: Type, DSN: "u:hunter22@tcp(h:3306"})
	if err == nil || strings.Contains(err.Error(), "hunter22") {
		t.Errorf("invalid dsn error = %v", err)
	}
}

func TestCheck(t *testing.T) {
	for _, tc := range []struct {
		cfg  connector.Config
		want string
	}{
		{connector.Config{Type: Type, Host: "h", Password: "${MYPW}"}, ""},
		{connector.Config{Type: Type, DSN: "${MY_URL}"}, ""},
		{connector.Config{Type: Type, DSN: "u:${MYPW}@tcp(h:3306)/d"}, ""},
		{connector.Config{Type: Type}, "set host"},
		{connector.Config{Type: Type, DSN: "u@tcp(h)/d", Port: 3306, Database: "d"}, "dsn and port, database are both set"},
		{connector.Config{Type: Type, Host: "h", Port: -1}, "out of range"},
		{connector.Config{Type: Type, Host: "h", Password: "literal"}, "${ENV} reference"},
		{connector.Config{Type: Type, DSN: "u:literal@tcp(h:3306)/d"}, "${ENV} reference"},
	} {
		err := connector.CheckConfig(tc.cfg)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%+v: unexpected error %v", tc.cfg, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%+v: error %v, want one containing %q", tc.cfg, err, tc.want)
		}
	}
}

func TestRegistered(t *testing.T) {
	e, ok := connector.Lookup("mysql")
	if !ok || e.Dialect != "mysql" {
		t.Fatalf("engine = %+v, %v", e, ok)
	}
}
