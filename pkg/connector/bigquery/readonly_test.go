package bigquery

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"cloud.google.com/go/bigquery"
	"google.golang.org/api/option"

	"github.com/databridge/databridge/pkg/connector"
)

// fakeBigQuery answers jobs.insert like BigQuery does for a dry run: the
// statement type its parser found. It records every job it was sent, so
// the test can prove that nothing but dry runs reached it.
type fakeBigQuery struct {
	mu   sync.Mutex
	jobs []map[string]any
}

func (f *fakeBigQuery) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	var job map[string]any
	_ = json.Unmarshal(body, &job)
	f.mu.Lock()
	f.jobs = append(f.jobs, job)
	f.mu.Unlock()
	cfg, _ := job["configuration"].(map[string]any)
	q, _ := cfg["query"].(map[string]any)
	sql, _ := q["query"].(string)
	typ := "SELECT"
	for _, w := range []string{"DELETE", "INSERT", "DROP", "CREATE", "MERGE", "UPDATE"} {
		if strings.Contains(strings.ToUpper(sql), w) {
			typ = w
			if w == "CREATE" {
				typ = "CREATE_TABLE"
			}
			break
		}
	}
	if dry, _ := cfg["dryRun"].(bool); !dry {
		http.Error(w, `{"error":{"code":500,"message":"the fake only takes dry runs"}}`, 500)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{
		"jobReference":  map[string]any{"projectId": "p", "jobId": "j1"},
		"configuration": cfg,
		"status":        map[string]any{"state": "DONE"},
		"statistics":    map[string]any{"query": map[string]any{"statementType": typ, "totalBytesProcessed": "0"}},
	})
}

func TestReadOnlyDryRunRefusesNonSelect(t *testing.T) {
	fake := &fakeBigQuery{}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	ctx := context.Background()
	client, err := bigquery.NewClient(ctx, "p", option.WithEndpoint(srv.URL), option.WithoutAuthentication(), option.WithHTTPClient(srv.Client()))
	if err != nil {
		t.Fatal(err)
	}
	c := &Conn{name: "bq", project: "p", dataset: "d", client: client, readOnly: true}
	defer c.Close()
	// The guard lets a literal through that a BigQuery script would read
	// differently; the dry run is the engine's answer.
	for _, q := range []string{"DELETE FROM d.t WHERE true", "CREATE TABLE d.x AS SELECT 1"} {
		_, err := c.Query(ctx, q, connector.QueryOptions{})
		var we *connector.ErrWriteRefused
		if !errors.As(err, &we) {
			t.Fatalf("Query(%q) = %v, want a refusal", q, err)
		}
		if _, err := c.Exec(ctx, q); !errors.As(err, &we) {
			t.Fatalf("Exec(%q) = %v, want a refusal", q, err)
		}
	}
	fake.mu.Lock()
	defer fake.mu.Unlock()
	if len(fake.jobs) != 4 {
		t.Fatalf("jobs sent = %d, want 4 dry runs", len(fake.jobs))
	}
	for _, j := range fake.jobs {
		cfg, _ := j["configuration"].(map[string]any)
		if dry, _ := cfg["dryRun"].(bool); !dry {
			t.Fatalf("a job that was not a dry run reached BigQuery: %v", j)
		}
	}
}

func TestStatementTypeAllowed(t *testing.T) {
	if err := StatementTypeAllowed("SELECT"); err != nil {
		t.Fatal(err)
	}
	for _, typ := range []string{"", "SCRIPT", "INSERT", "CREATE_TABLE_AS_SELECT", "EXPORT_DATA", "CALL"} {
		if StatementTypeAllowed(typ) == nil {
			t.Errorf("statement type %q allowed", typ)
		}
	}
}
