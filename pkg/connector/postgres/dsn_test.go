package postgres

import (
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/databridge/databridge/pkg/connector"
)

func TestBuildDSNFromFields(t *testing.T) {
	dsn, err := BuildDSN(connector.Config{
		Type: Type, Host: "db.example.com", Database: "finance", User: "analyst", Password: "s3cret",
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := "postgres://analyst:s3cret@db.example.com:5432/finance"; dsn != want {
		t.Fatalf("dsn = %q, want %q", dsn, want)
	}
	pc := mustParse(t, dsn)
	if pc.Host != "db.example.com" || pc.Port != 5432 || pc.Database != "finance" || pc.User != "analyst" || pc.Password != "s3cret" {
		t.Fatalf("pgx parsed %+v", pc.Config)
	}
}

func TestBuildDSNPortAndOptions(t *testing.T) {
	dsn, err := BuildDSN(connector.Config{
		Type: Type, Host: "10.0.0.5", Port: 6543, Database: "gl", User: "u",
		Options: map[string]string{"sslmode": "disable", "application_name": "databridge test", "connect_timeout": "7"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := "postgres://u@10.0.0.5:6543/gl?application_name=databridge%20test&connect_timeout=7&sslmode=disable"; dsn != want {
		t.Fatalf("dsn = %q, want %q", dsn, want)
	}
	pc := mustParse(t, dsn)
	if pc.Port != 6543 || pc.TLSConfig != nil || pc.RuntimeParams["application_name"] != "databridge test" || pc.ConnectTimeout.Seconds() != 7 {
		t.Fatalf("pgx parsed port=%d tls=%v params=%v timeout=%s", pc.Port, pc.TLSConfig != nil, pc.RuntimeParams, pc.ConnectTimeout)
	}
}

func TestBuildDSNIPv6AndSocket(t *testing.T) {
	dsn, err := BuildDSN(connector.Config{Type: Type, Host: "::1", Database: "d", User: "u"})
	if err != nil {
		t.Fatal(err)
	}
	if want := "postgres://u@[::1]:5432/d"; dsn != want {
		t.Fatalf("dsn = %q, want %q", dsn, want)
	}
	dsn, err = BuildDSN(connector.Config{Type: Type, Host: "/var/run/postgresql", Port: 5433, Database: "d", User: "u"})
	if err != nil {
		t.Fatal(err)
	}
	pc := mustParse(t, dsn)
	if pc.Host != "/var/run/postgresql" || pc.Port != 5433 || pc.Database != "d" {
		t.Fatalf("socket dsn %q parsed as host=%q port=%d db=%q", dsn, pc.Host, pc.Port, pc.Database)
	}
}

func TestBuildDSNSpecialCharacters(t *testing.T) {
	pw := `p@ss:w/rd?#%&='"\ 1`
	user := "fin user@corp"
	db := "gl db/2024"
	dsn, err := BuildDSN(connector.Config{Type: Type, Host: "h", User: user, Password: pw, Database: db})
	if err != nil {
		t.Fatal(err)
	}
	pc := mustParse(t, dsn)
	if pc.Password != pw || pc.User != user || pc.Database != db || pc.Host != "h" {
		t.Fatalf("round trip of %q: user=%q password=%q database=%q host=%q", dsn, pc.User, pc.Password, pc.Database, pc.Host)
	}
	// The password never appears unescaped in the URL.
	if strings.Contains(dsn, pw) {
		t.Fatalf("password appears raw in %q", dsn)
	}
}

func TestBuildDSNPassthrough(t *testing.T) {
	for _, dsn := range []string{
		"postgres://u:p@h:5432/d?sslmode=disable",
		"postgresql://u@h/d",
		"host=h port=5432 dbname=d user=u sslmode=disable",
	} {
		got, err := BuildDSN(connector.Config{Type: Type, DSN: dsn, Schema: "finance"})
		if err != nil {
			t.Fatal(err)
		}
		if got != dsn {
			t.Errorf("BuildDSN(%q) = %q, want it unchanged", dsn, got)
		}
	}
}

func TestBuildDSNMergesPasswordAndOptions(t *testing.T) {
	pw := `it's a \secret@/`
	// URL form: the password goes into the userinfo, options into the query.
	got, err := BuildDSN(connector.Config{Type: Type, DSN: "postgres://u@h:5433/d?sslmode=require", Password: pw,
		Options: map[string]string{"sslmode": "disable", "application_name": "db"}})
	if err != nil {
		t.Fatal(err)
	}
	pc := mustParse(t, got)
	if pc.User != "u" || pc.Password != pw || pc.Port != 5433 || pc.TLSConfig != nil || pc.RuntimeParams["application_name"] != "db" {
		t.Fatalf("merged URL %q parsed as user=%q pw=%q port=%d tls=%v params=%v", got, pc.User, pc.Password, pc.Port, pc.TLSConfig != nil, pc.RuntimeParams)
	}
	// key=value form: appended, quoted.
	got, err = BuildDSN(connector.Config{Type: Type, DSN: "host=h dbname=d user=u", Password: pw,
		Options: map[string]string{"sslmode": "disable"}})
	if err != nil {
		t.Fatal(err)
	}
	pc = mustParse(t, got)
	if pc.User != "u" || pc.Password != pw || pc.Database != "d" || pc.TLSConfig != nil {
		t.Fatalf("merged key=value %q parsed as user=%q pw=%q db=%q tls=%v", got, pc.User, pc.Password, pc.Database, pc.TLSConfig != nil)
	}
}

func TestBuildDSNKeepsOtherURLParameters(t *testing.T) {
	got, err := BuildDSN(connector.Config{Type: Type, DSN: "postgres://u@h/d?application_name=a+b&sslmode=require",
		Options: map[string]string{"sslmode": "disable"}})
	if err != nil {
		t.Fatal(err)
	}
	if want := "postgres://u@h/d?application_name=a+b&sslmode=disable"; got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
}

func TestBuildDSNNeedsHost(t *testing.T) {
	if _, err := BuildDSN(connector.Config{Type: Type, Database: "d"}); err == nil {
		t.Fatal("want an error without host or dsn")
	}
}

func TestCheck(t *testing.T) {
	for _, tc := range []struct {
		cfg  connector.Config
		want string // substring of the error, "" for ok
	}{
		{connector.Config{Type: Type, Host: "h", Password: "${PGPW}"}, ""},
		{connector.Config{Type: Type, DSN: "${PG_URL}"}, ""},
		{connector.Config{Type: Type, DSN: "postgres://u@h/d", Password: "${PGPW}", Schema: "s"}, ""},
		{connector.Config{Type: Type}, "set host"},
		{connector.Config{Type: Type, DSN: "postgres://u@h/d", Host: "h", User: "u"}, "dsn and host, user are both set"},
		{connector.Config{Type: Type, Host: "h", Port: 70000}, "out of range"},
		{connector.Config{Type: Type, Host: "h", Password: "literal"}, "${ENV} reference"},
		{connector.Config{Type: Type, DSN: "postgres://u:literal@h/d"}, "${ENV} reference"},
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
	e, ok := connector.Lookup("postgres")
	if !ok || e.Dialect != "postgres" {
		t.Fatalf("engine = %+v, %v", e, ok)
	}
}

func mustParse(t *testing.T, dsn string) *pgx.ConnConfig {
	t.Helper()
	pc, err := pgx.ParseConfig(dsn)
	if err != nil {
		t.Fatalf("pgx cannot parse %q: %v", dsn, err)
	}
	return pc
}
