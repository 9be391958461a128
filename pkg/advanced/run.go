package advanced

import (
	"context"
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
	"github.com/databridge/databridge/pkg/deploy"
	"github.com/databridge/databridge/pkg/project"
	"github.com/databridge/databridge/pkg/validate"
)

// DBTEnv names the environment variable with the dbt executable used by
// RunLocal when RunInput.DBT is empty (default: dbt on PATH).
const DBTEnv = "DATABRIDGE_DBT"

// passwordEnv carries the target's password to dbt: profiles read it with
// env_var, and dbt scrubs DBT_ENV_SECRET_* values from its logs.
const passwordEnv = "DBT_ENV_SECRET_DATABRIDGE_PASSWORD"

// DefaultSchema is the schema a local dbt run builds into.
const DefaultSchema = "dbt"

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

// RunRecord is one local dbt run. It is also kept in the deployment
// ledger (kind dbt, `deploy history`), with dbt's tests as its validation
// report.
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
	// Validation is dbt's tests as a validation report (one result per
	// test: pass, fail with the failing rows, or error).
	Validation *validate.Report `json:"validation"`
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
	rec := &RunRecord{Started: time.Now().UTC(), Dir: dir, Failures: []string{}}
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
	rec.Validation = testReport(res)
	if err := s.record(rec, cmd); err != nil {
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

// record keeps the run in the deployment ledger.
func (s *Service) record(rec *RunRecord, cmd string) error {
	l := deploy.NewLedger(s.Project)
	r := deploy.NewRunRecord(deploy.KindDBT, rec.Target, rec.Adapter)
	r.StartedAt = rec.Started
	r.FinishedAt = time.Now().UTC()
	r.Status = deploy.StatusSucceeded
	if rec.Result.Status != dbt.StatusSuccess {
		r.Status = deploy.StatusFailed
		r.Error = fmt.Sprintf("dbt %s: %d nodes failed", cmd, len(rec.Failures))
	}
	r.Notes = []string{fmt.Sprintf("%s in %s, schema %s", strings.Join(rec.Command, " "), rec.Dir, rec.Schema)}
	for _, n := range rec.Result.Results {
		st := deploy.StatementRecord{Object: n.UniqueID, SQL: "dbt " + cmd, Phase: deploy.PhaseDDL,
			DurationMS: int64(n.ExecutionTime * 1000)}
		if strings.HasPrefix(n.UniqueID, "test.") {
			st.Phase = deploy.PhaseValidate
		}
		if n.Status == "error" || n.Status == "fail" {
			st.Error = oneLine(n.Message)
		}
		r.Statements = append(r.Statements, st)
	}
	r.Validation = rec.Validation
	unlock, err := l.Lock(context.Background())
	if err != nil {
		return err
	}
	defer unlock()
	if err := l.Save(r); err != nil {
		return err
	}
	rec.ID = r.ID
	return nil
}

// testReport turns dbt's test results into a validation report.
func testReport(res *dbt.RunResult) *validate.Report {
	rep := &validate.Report{Level: validate.Comprehensive, Results: []validate.Result{}}
	for _, n := range res.Results {
		if !strings.HasPrefix(n.UniqueID, "test.") {
			continue
		}
		r := validate.Result{Check: validate.Check{Name: n.UniqueID, Kind: "dbt_test"}, Message: oneLine(n.Message),
			Failing: int64(n.Failures), DurationMS: int64(n.ExecutionTime * 1000)}
		switch n.Status {
		case "pass", "warn": // a warning does not fail the build
			r.Status = "pass"
			rep.Passed++
		case "fail":
			r.Status = "fail"
			rep.Failed++
		case "skipped":
			rep.Skipped++
			continue
		default:
			r.Status = "error"
			rep.Errors++
		}
		rep.Results = append(rep.Results, r)
	}
	return rep
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
