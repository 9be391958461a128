package advanced

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/databridge/databridge/pkg/connections"
	"github.com/databridge/databridge/pkg/connector"
	"github.com/databridge/databridge/pkg/connector/postgres"
	"github.com/databridge/databridge/pkg/dbt"
	"github.com/databridge/databridge/pkg/project"
)

// DBTEnv names the environment variable with the dbt executable used by
// RunLocal when RunInput.DBT is empty (default: dbt on PATH).
const DBTEnv = "DATABRIDGE_DBT"

// passwordEnv carries the target's password to dbt: profiles read it with
// env_var, and dbt scrubs DBT_ENV_SECRET_* values from its logs.
const passwordEnv = "DBT_ENV_SECRET_DATABRIDGE_PASSWORD"

// DefaultSchema is the schema a local dbt run builds into.
const DefaultSchema = "dbt"

// RunsDir is where local dbt runs are recorded, under .databridge/state.
const RunsDir = "dbt_runs"

// RunInput asks for a local dbt run of the generated project.
type RunInput struct {
	Dir    string `json:"dir,omitempty" jsonschema:"The dbt project folder, relative to the project (default generated/dbt)."`
	Target string `json:"target,omitempty" jsonschema:"Connection to build into (default: the default target). DuckDB and PostgreSQL targets get a generated profile."`
	// ProfilesDir uses the user's own profiles.yml instead of one made
	// from the target connection.
	ProfilesDir string `json:"profiles_dir,omitempty" jsonschema:"Use the profiles.yml in this folder instead of one made from the target connection."`
	// Schema is where dbt builds (default DefaultSchema), apart from the
	// Basic Mode objects so both can live in one target and be compared.
	Schema  string   `json:"schema,omitempty" jsonschema:"Schema dbt builds into (default dbt), apart from Basic Mode objects."`
	DBT     string   `json:"-"`
	Command string   `json:"command,omitempty" jsonschema:"dbt command: build (default), run, test, seed or parse."`
	Select  []string `json:"select,omitempty" jsonschema:"dbt --select arguments."`
}

// RunRecord is one local dbt run, kept in .databridge/state/dbt_runs.
type RunRecord struct {
	ID       string         `json:"id"`
	Started  time.Time      `json:"started"`
	Dir      string         `json:"dir"`
	Target   string         `json:"target"`
	Schema   string         `json:"schema,omitempty"`
	Adapter  string         `json:"adapter"`
	Command  []string       `json:"command"`
	Result   *dbt.RunResult `json:"result"`
	Passed   int            `json:"passed"`
	Failures []string       `json:"failures"`
}

// RunLocal runs dbt (build by default) on the generated project against
// a target connection and records the run. A run in which models or tests
// fail returns the record and an error naming them.
func (s *Service) RunLocal(ctx context.Context, in RunInput, out io.Writer) (*RunRecord, error) {
	dir := s.dir(in.Dir)
	projFile := filepath.Join(dir, "dbt_project.yml")
	raw, err := os.ReadFile(projFile)
	if err != nil {
		return nil, fmt.Errorf("no dbt project in %s: run `databridge generate dbt` first", dir)
	}
	var meta struct {
		Profile string `yaml:"profile"`
	}
	if err := yaml.Unmarshal(raw, &meta); err != nil || meta.Profile == "" {
		return nil, fmt.Errorf("%s: no profile name (%v)", projFile, err)
	}
	cmd := in.Command
	if cmd == "" {
		cmd = "build"
	}
	switch cmd {
	case "build", "run", "test", "seed", "parse":
	default:
		return nil, fmt.Errorf("unknown dbt command %q (use build, run, test, seed or parse)", cmd)
	}
	bin := in.DBT
	if bin == "" {
		bin = os.Getenv(DBTEnv)
	}
	if bin == "" {
		bin = "dbt"
	}
	rec := &RunRecord{ID: time.Now().UTC().Format("20060102T150405.000Z"), Started: time.Now().UTC(), Dir: dir, Failures: []string{}}
	profilesDir := in.ProfilesDir
	var env []string
	if profilesDir == "" {
		name, cfg, err := connections.New(s.Project).Resolve(in.Target)
		if err != nil {
			return nil, err
		}
		rec.Target = name
		rec.Schema = first(in.Schema, DefaultSchema)
		profilesDir = s.Project.Path(project.StateDir, "dbt")
		var prof []byte
		prof, env, rec.Adapter, err = s.profile(meta.Profile, cfg, first(in.Schema, DefaultSchema))
		if err != nil {
			return nil, fmt.Errorf("target %s: %w", name, err)
		}
		if err := os.MkdirAll(profilesDir, 0o700); err != nil {
			return nil, err
		}
		if err := project.WriteFileAtomic(filepath.Join(profilesDir, "profiles.yml"), prof, 0o600); err != nil {
			return nil, err
		}
	}
	args := []string{cmd}
	for _, sel := range in.Select {
		args = append(args, "--select", sel)
	}
	rec.Command = append([]string{"dbt"}, args...)
	res, err := dbt.RunEnv(ctx, bin, dir, profilesDir, env, args, out)
	if err != nil {
		return nil, fmt.Errorf("dbt %s: %w (set %s to the dbt executable if it is not on PATH)", cmd, err, DBTEnv)
	}
	rec.Result = res
	for _, r := range res.Results {
		switch r.Status {
		case "success", "pass":
			rec.Passed++
		}
	}
	for _, f := range res.Failed {
		msg := oneLine(f.Message)
		if len(msg) > 300 {
			msg = msg[:300] + "…"
		}
		rec.Failures = append(rec.Failures, f.UniqueID+": "+msg)
	}
	if err := s.record(rec); err != nil {
		return rec, err
	}
	if res.Status != dbt.StatusSuccess {
		if len(rec.Failures) == 0 {
			return rec, fmt.Errorf("dbt %s failed (exit %d): see its output above", cmd, res.ExitCode)
		}
		return rec, fmt.Errorf("dbt %s: %d of %d nodes failed: %s", cmd, len(rec.Failures), len(res.Results), strings.Join(rec.Failures, "; "))
	}
	return rec, nil
}

func (s *Service) record(rec *RunRecord) error {
	dir := s.Project.Path(project.StateDir, RunsDir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	b, err := json.MarshalIndent(rec, "", "  ")
	if err != nil {
		return err
	}
	return project.WriteFileAtomic(filepath.Join(dir, rec.ID+".json"), append(b, '\n'), 0o644)
}

// profile makes profiles.yml for one target connection: the values are
// literal except the password, which dbt reads from the environment.
func (s *Service) profile(name string, cfg connector.Config, schema string) ([]byte, []string, string, error) {
	exp, err := cfg.Expand(nil)
	if err != nil {
		return nil, nil, "", err
	}
	out := map[string]any{}
	var env []string
	var adapter string
	switch cfg.Type {
	case "duckdb":
		adapter = "duckdb"
		path := exp.Path
		if path == "" {
			return nil, nil, "", fmt.Errorf("an in-memory DuckDB target keeps nothing: give it a file")
		}
		out["path"] = s.Project.Resolve(path)
		out["schema"] = schema
	case "postgres":
		adapter = "postgres"
		dsn, err := postgres.BuildDSN(exp)
		if err != nil {
			return nil, nil, "", err
		}
		u, err := url.Parse(dsn)
		if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
			return nil, nil, "", fmt.Errorf("the connection's DSN is not a postgres:// URL; give host, port, user and database fields for a dbt profile")
		}
		port := 5432
		if p := u.Port(); p != "" {
			if port, err = strconv.Atoi(p); err != nil {
				return nil, nil, "", fmt.Errorf("bad port %q", p)
			}
		}
		out["host"] = u.Hostname()
		out["port"] = port
		out["user"] = u.User.Username()
		pw, _ := u.User.Password()
		out["password"] = "{{ env_var('" + passwordEnv + "', '') }}"
		env = append(env, passwordEnv+"="+pw)
		out["dbname"] = strings.TrimPrefix(u.Path, "/")
		out["schema"] = schema
		if m := u.Query().Get("sslmode"); m != "" {
			out["sslmode"] = m
		}
	default:
		return nil, nil, "", fmt.Errorf("databridge makes dbt profiles for DuckDB and PostgreSQL targets; for %s pass --profiles-dir with your own profiles.yml, or run the project in dbt Cloud (databridge publish dbt-cloud)", cfg.Type)
	}
	out["type"] = adapter
	out["threads"] = 4
	doc := map[string]any{name: map[string]any{"target": "databridge", "outputs": map[string]any{"databridge": out}}}
	b, err := yaml.Marshal(doc)
	if err != nil {
		return nil, nil, "", err
	}
	return append([]byte("# Written by databridge for `deploy --mode advanced`; the password comes from the environment.\n"), b...), env, adapter, nil
}

func first(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
