package connections_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/databridge/databridge/pkg/connections"
	"github.com/databridge/databridge/pkg/connector"
	_ "github.com/databridge/databridge/pkg/connector/all"
	"github.com/databridge/databridge/pkg/testenv/hostile"
)

// TestHostileCorpusReadOnly runs the hostile corpus through the service
// behind `databridge sql` (no --write) on DuckDB (the local warehouse and a
// files connection), PostgreSQL and MariaDB: every statement is refused or
// fails in the engine, and nothing changes.
func TestHostileCorpusReadOnly(t *testing.T) {
	if testing.Short() {
		t.Skip("runs hundreds of statements per engine")
	}
	env := hostile.Setup(t)
	hostile.Run(t, env, func(ctx context.Context, conn, sql string) (string, error) {
		res, err := connections.New(env.Project).Query(ctx, connections.QueryInput{Connection: conn, SQL: sql})
		if err != nil {
			return "", err
		}
		b, _ := json.Marshal(res)
		return string(b), nil
	})
}

// TestHostileCorpusEngineAlone takes databridge's lexical guard away and
// sends the corpus straight to the read-only sessions: the engines alone
// (DuckDB's read-only file, its parser's statement type and its sandbox;
// PostgreSQL's READ ONLY transactions) must still change nothing and show
// nothing outside the data. MariaDB is left out here: the test user holds
// global privileges (SHUTDOWN, FILE, SUPER) that no read-only session
// revokes, which is why docs/connectors.md asks for a least-privilege user.
func TestHostileCorpusEngineAlone(t *testing.T) {
	if testing.Short() {
		t.Skip("runs hundreds of statements per engine")
	}
	env := hostile.Setup(t)
	engines := env.Engines[:0]
	for _, e := range env.Engines {
		if e.Conn != "my" {
			engines = append(engines, e)
		}
	}
	env.Engines = engines
	// One session per engine for the whole corpus: whatever a statement
	// leaves behind in the session meets every statement after it.
	sessions := map[string]connector.Connector{}
	t.Cleanup(func() {
		for _, c := range sessions {
			c.Close()
		}
	})
	hostile.Run(t, env, func(ctx context.Context, conn, sql string) (string, error) {
		c, ok := sessions[conn]
		if !ok {
			var err error
			if c, err = connections.New(env.Project).ConnectUser(ctx, conn, false); err != nil {
				t.Fatal(err)
			}
			sessions[conn] = c
		}
		g, ok := c.(interface{ Unwrap() connector.Connector })
		if !ok {
			t.Fatalf("%s: a read-only session is not guarded (%T)", conn, c)
		}
		res, err := g.Unwrap().Query(ctx, sql, connector.QueryOptions{MaxRows: 100, Timeout: 20 * time.Second})
		if err != nil {
			return "", err
		}
		b, _ := json.Marshal(res)
		return string(b), nil
	})
}
