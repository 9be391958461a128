package connections_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/databridge/databridge/pkg/connections"
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
