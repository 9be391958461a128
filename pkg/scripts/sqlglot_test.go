package scripts

import (
	"encoding/json"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/databridge/databridge/pkg/testenv"
	"github.com/databridge/databridge/pkg/warehouse"
)

var sqlglotName = map[string]string{
	"duckdb": "duckdb", "postgres": "postgres", "mysql": "mysql", "sqlserver": "tsql",
	"snowflake": "snowflake", "bigquery": "bigquery", "databricks": "databricks",
}

// Valid SQL sqlglot cannot parse (with the version the gap was seen in).
var sqlglotAllow = map[string]string{
	"sqlserver/05_grants.sql": "sqlglot 30.22 lacks T-SQL's GRANT ... ON OBJECT::",
	"snowflake/05_grants.sql": "sqlglot 30.22 lacks GRANT ... ON DYNAMIC TABLE",
}

// TestGoldenScriptsParse parses every generated script for every engine
// with sqlglot in that engine's dialect (the Python test oracle).
func TestGoldenScriptsParse(t *testing.T) {
	py := testenv.VenvTool(t, "python")
	script, err := filepath.Abs("../dialect/testdata/sqlglot_parse.py")
	if err != nil {
		t.Fatal(err)
	}
	for _, dialect := range warehouse.Dialects {
		var files []string
		for _, f := range warehouse.Files {
			files = append(files, filepath.Join("testdata", "golden", dialect, f))
		}
		out, err := exec.Command(py, append([]string{script, sqlglotName[dialect]}, files...)...).Output()
		if err != nil {
			t.Fatalf("%s: sqlglot oracle: %v", dialect, err)
		}
		var res struct {
			Version string            `json:"version"`
			Errors  map[string]string `json:"errors"`
		}
		if err := json.Unmarshal(out, &res); err != nil {
			t.Fatalf("%s: %v: %s", dialect, err, out)
		}
		for file, msg := range res.Errors {
			key := dialect + "/" + filepath.Base(file)
			if _, ok := sqlglotAllow[key]; ok {
				continue
			}
			t.Errorf("sqlglot %s (%s) cannot parse %s: %s", res.Version, sqlglotName[dialect], key, msg)
		}
		for key := range sqlglotAllow {
			if filepath.Dir(key) == dialect {
				if _, still := res.Errors[filepath.Join("testdata", "golden", key)]; !still {
					t.Errorf("%s parses now with sqlglot %s: remove it from sqlglotAllow", key, res.Version)
				}
			}
		}
	}
}
