package connector_test

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/databridge/databridge/pkg/connector"
	_ "github.com/databridge/databridge/pkg/connector/postgres"
	"github.com/databridge/databridge/pkg/testenv"
)

// A wrong password with every awkward character, given through ${ENV} in
// each DSN shape and in the password field, fails against a real
// PostgreSQL with an error that names the connection and holds nothing of
// the password: not whole, not URL-encoded, not the pieces a parser that
// split it at '@', ' ', ':', '/', '#' ... would print.
func TestIntegrationHardPasswordNeverLeaks(t *testing.T) {
	raw := testenv.Need(t, testenv.PostgresURL, "PostgreSQL")
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	const pw = `Wr0ng p@ss w0rd/%S3c#'x:ü€`
	host, port, db, user := u.Hostname(), u.Port(), strings.TrimPrefix(u.Path, "/"), u.User.Username()
	portN, _ := strconv.Atoi(port)
	libpqQuoted := strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(pw)

	for _, tc := range []struct {
		name, env string // env is what the variable holds
		cfg       connector.Config
		auth      bool // the server itself refuses the password
	}{
		{"url_escaped", strings.TrimPrefix(url.UserPassword("", pw).String(), ":"), connector.Config{DSN: "postgres://" + user + ":${DATABRIDGE_TEST_HARD_PW}@" + host + ":" + port + "/" + db + "?sslmode=disable"}, true},
		{"url_path_escaped", url.PathEscape(pw), connector.Config{DSN: "postgres://" + user + ":${DATABRIDGE_TEST_HARD_PW}@" + host + ":" + port + "/" + db + "?sslmode=disable"}, false},
		{"url_raw", pw, connector.Config{DSN: "postgres://" + user + ":${DATABRIDGE_TEST_HARD_PW}@" + host + ":" + port + "/" + db + "?sslmode=disable"}, false},
		{"url_query", url.QueryEscape(pw), connector.Config{DSN: "postgres://" + user + "@" + host + ":" + port + "/" + db + "?sslmode=disable&password=${DATABRIDGE_TEST_HARD_PW}"}, true},
		{"kv_quoted", libpqQuoted, connector.Config{DSN: "host=" + host + " port=" + port + " dbname=" + db + " user=" + user + " password='${DATABRIDGE_TEST_HARD_PW}' sslmode=disable"}, true},
		{"kv_unquoted", pw, connector.Config{DSN: "host=" + host + " port=" + port + " dbname=" + db + " user=" + user + " password=${DATABRIDGE_TEST_HARD_PW} sslmode=disable"}, false},
		{"fields", pw, connector.Config{Host: host, Port: portN, Database: db, User: user, Password: "${DATABRIDGE_TEST_HARD_PW}", Options: map[string]string{"sslmode": "disable"}}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("DATABRIDGE_TEST_HARD_PW", tc.env)
			cfg := tc.cfg
			cfg.Type = "postgres"
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			c, err := connector.Open(ctx, "hard_"+tc.name, cfg)
			if err == nil {
				c.Close()
				t.Fatal("Open succeeded with a wrong password")
			}
			msg := err.Error()
			t.Logf("%s", msg)
			if !strings.Contains(msg, `connection "hard_`+tc.name+`"`) {
				t.Errorf("error does not name the connection: %s", msg)
			}
			if tc.auth && !strings.Contains(msg, "password authentication failed") {
				t.Errorf("error does not say what failed: %s", msg)
			}
			for _, leak := range hardLeaks(pw, tc.env) {
				if strings.Contains(msg, leak) {
					t.Errorf("error leaks %q: %s", leak, msg)
				}
			}
		})
	}
}

// hardLeaks is the password, its encoded forms, and its pieces of 3+
// bytes between split characters.
func hardLeaks(pw, env string) []string {
	out := []string{pw, env, url.QueryEscape(pw), url.PathEscape(pw),
		strings.ReplaceAll(url.QueryEscape(pw), "+", "%20"),
		strings.TrimPrefix(url.UserPassword("", pw).String(), ":")}
	for _, p := range strings.FieldsFunc(pw, func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune("@:/?#&;='\"%", r)
	}) {
		if len(p) >= 3 {
			out = append(out, p)
		}
	}
	for _, p := range strings.FieldsFunc(pw, func(r rune) bool { return r == '@' || r == ' ' }) {
		if len(p) >= 3 {
			out = append(out, p)
		}
	}
	return out
}
