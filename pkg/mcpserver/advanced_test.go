package mcpserver

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/databridge/databridge/pkg/advanced"
	"github.com/databridge/databridge/pkg/gitops"
	"github.com/databridge/databridge/pkg/hierarchy"
	"github.com/databridge/databridge/pkg/project"
	"github.com/databridge/databridge/pkg/warehouse"
)

const (
	testGHToken     = "ghp_mcpT3stTokenNotReal0123456789"
	testGHTokenEnv  = "DATABRIDGE_MCP_TEST_GH_TOKEN"
	testDBTToken    = "dbtc_mcpT3stTokenNotReal987"
	testDBTTokenEnv = "DATABRIDGE_MCP_TEST_DBT_TOKEN"
)

// boundProject is newProject with the standard P&L bound to fin.gl, so the
// warehouse (and its dbt project) has something to build.
func boundProject(t *testing.T) *project.Project {
	t.Helper()
	p := newProject(t)
	ctx := context.Background()
	if _, err := hierarchy.NewService(p).NewFromTemplate(ctx, hierarchy.NewInput{Template: "standard_pl", ID: "pl"}); err != nil {
		t.Fatal(err)
	}
	if _, err := warehouse.NewService(p).Bind(ctx, warehouse.Binding{Hierarchy: "pl", Source: "fin.gl", Values: []string{"amount"}, GroupBy: []string{"period"}}); err != nil {
		t.Fatal(err)
	}
	return p
}

// outputs collects every text a client was shown, to check no token leaks.
type outputs struct {
	mu    sync.Mutex
	texts []string
}

func (o *outputs) add(s string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.texts = append(o.texts, s)
}

func (o *outputs) all() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return strings.Join(o.texts, "\n")
}

// callOK is call that also records the output.
func callOK[T any](t *testing.T, o *outputs, cs *mcp.ClientSession, name string, args map[string]any) T {
	t.Helper()
	res := callRaw(t, cs, name, args)
	o.add(text(res))
	if res.IsError {
		t.Fatalf("%s(%v): tool error: %s", name, args, text(res))
	}
	b, err := json.Marshal(res.StructuredContent)
	if err != nil {
		t.Fatal(err)
	}
	o.add(string(b))
	var out T
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatalf("%s: decoding %s: %v", name, b, err)
	}
	return out
}

// callFail is callErr that also records the output.
func callFail(t *testing.T, o *outputs, cs *mcp.ClientSession, name string, args map[string]any) string {
	t.Helper()
	msg := callErr(t, cs, name, args)
	o.add(msg)
	return msg
}

// fakeGitHub serves the GitHub REST calls Advanced Mode makes. Repositories
// it creates clone from a local bare repository.
type fakeGitHub struct {
	t        *testing.T
	cloneURL string
	mu       sync.Mutex
	repos    map[string]map[string]any // full name → creation body
	pulls    []map[string]any
	calls    []string
}

func newFakeGitHub(t *testing.T) (*fakeGitHub, string) {
	bare := filepath.Join(t.TempDir(), "remote.git")
	if _, err := git.PlainInit(bare, true); err != nil {
		t.Fatal(err)
	}
	f := &fakeGitHub{t: t, cloneURL: bare, repos: map[string]map[string]any{}}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	t.Setenv(testGHTokenEnv, testGHToken)
	return f, srv.URL
}

func (f *fakeGitHub) repoJSON(full string, private bool) map[string]any {
	return map[string]any{"full_name": full, "clone_url": f.cloneURL, "html_url": "https://github.example/" + full,
		"default_branch": "main", "private": private}
}

func (f *fakeGitHub) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, r.Method+" "+r.URL.Path)
	w.Header().Set("Content-Type", "application/json")
	reply := func(status int, v any) {
		w.WriteHeader(status)
		if err := json.NewEncoder(w).Encode(v); err != nil {
			f.t.Error(err)
		}
	}
	if r.Header.Get("Authorization") != "Bearer "+testGHToken {
		reply(http.StatusUnauthorized, map[string]any{"message": "Bad credentials"})
		return
	}
	var body map[string]any
	if r.Method == http.MethodPost {
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			f.t.Errorf("%s %s: body: %v", r.Method, r.URL.Path, err)
		}
	}
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	switch {
	case r.Method == http.MethodGet && r.URL.Path == "/user":
		reply(http.StatusOK, map[string]any{"login": "octo"})
	case r.Method == http.MethodPost && (r.URL.Path == "/user/repos" || (len(parts) == 3 && parts[0] == "orgs" && parts[2] == "repos")):
		owner := "octo"
		if parts[0] == "orgs" {
			owner = parts[1]
		}
		full := owner + "/" + fmt.Sprint(body["name"])
		if _, ok := f.repos[full]; ok {
			reply(http.StatusUnprocessableEntity, map[string]any{"message": "Repository creation failed.",
				"errors": []map[string]any{{"resource": "Repository", "code": "custom", "field": "name", "message": "name already exists on this account"}}})
			return
		}
		f.repos[full] = body
		private, _ := body["private"].(bool)
		reply(http.StatusCreated, f.repoJSON(full, private))
	case r.Method == http.MethodGet && len(parts) == 3 && parts[0] == "repos":
		full := parts[1] + "/" + parts[2]
		body, ok := f.repos[full]
		if !ok {
			reply(http.StatusNotFound, map[string]any{"message": "Not Found"})
			return
		}
		private, _ := body["private"].(bool)
		reply(http.StatusOK, f.repoJSON(full, private))
	case r.Method == http.MethodPost && len(parts) == 4 && parts[0] == "repos" && parts[3] == "pulls":
		f.pulls = append(f.pulls, body)
		n := len(f.pulls)
		reply(http.StatusCreated, map[string]any{"number": n, "html_url": fmt.Sprintf("https://github.example/%s/%s/pull/%d", parts[1], parts[2], n),
			"state": "open", "head": map[string]any{"ref": body["head"]}, "base": map[string]any{"ref": body["base"]}})
	default:
		f.t.Errorf("fake GitHub: unexpected %s %s", r.Method, r.URL.Path)
		reply(http.StatusNotFound, map[string]any{"message": "Not Found"})
	}
}

func remoteRef(t *testing.T, bare, branch string) string {
	t.Helper()
	r, err := git.PlainOpen(bare)
	if err != nil {
		t.Fatal(err)
	}
	ref, err := r.Reference(plumbing.NewBranchReferenceName(branch), true)
	if err != nil {
		t.Fatalf("remote branch %s: %v", branch, err)
	}
	return ref.Hash().String()
}

func TestGitHubTools(t *testing.T) {
	gh, api := newFakeGitHub(t)
	var logs bytes.Buffer
	p := boundProject(t)
	cs := newSession(t, p, Options{Toolsets: []string{"git", "warehouse"}, Version: "9.9.9",
		Logger: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	o := &outputs{}

	// create_github_repository: private by default, in an organization;
	// again, it is found instead of failing.
	repo := callOK[gitops.Repo](t, o, cs, "create_github_repository", map[string]any{
		"owner": "acme", "name": "finance-dw", "description": "the warehouse", "token_env": testGHTokenEnv, "github_api": api})
	if !repo.Created || repo.FullName != "acme/finance-dw" || !repo.Private || repo.CloneURL != gh.cloneURL || repo.DefaultBranch != "main" {
		t.Errorf("create = %+v", repo)
	}
	if b := gh.repos["acme/finance-dw"]; b["private"] != true || b["description"] != "the warehouse" {
		t.Errorf("creation body = %v", b)
	}
	repo = callOK[gitops.Repo](t, o, cs, "create_github_repository", map[string]any{
		"owner": "acme", "name": "finance-dw", "token_env": testGHTokenEnv, "github_api": api})
	if repo.Created || repo.FullName != "acme/finance-dw" {
		t.Errorf("create again = %+v", repo)
	}
	pub := callOK[gitops.Repo](t, o, cs, "create_github_repository", map[string]any{
		"name": "public-dw", "private": false, "token_env": testGHTokenEnv, "github_api": api})
	if !pub.Created || pub.Private || pub.FullName != "octo/public-dw" {
		t.Errorf("create public = %+v", pub)
	}
	wantContains(t, "unset token", callFail(t, o, cs, "create_github_repository", map[string]any{
		"name": "x", "token_env": "DATABRIDGE_MCP_TEST_NO_SUCH_VAR", "github_api": api}), "DATABRIDGE_MCP_TEST_NO_SUCH_VAR is not set")
	// A token passed where its variable's name belongs is refused, and not repeated.
	for _, bad := range []string{testGHToken, "xq9Lm2Zr7Tb4Wc8Yd1Ve6Uf3Sg5Ph0Nj", "not a name"} {
		msg := callFail(t, o, cs, "create_github_repository", map[string]any{"name": "x", "token_env": bad, "github_api": api})
		wantContains(t, "token as token_env", msg, "NAME of an environment variable")
		if strings.Contains(msg, bad) {
			t.Errorf("the token_env value is repeated: %s", msg)
		}
	}

	// Nothing to push before the dbt project is generated.
	wantContains(t, "no project", callFail(t, o, cs, "push_dbt_project_to_github", map[string]any{
		"github_repo": "dbt-warehouse", "token_env": testGHTokenEnv, "github_api": api}), "no dbt project", "generate dbt")
	callOK[designOutput](t, o, cs, "design_warehouse_model", map[string]any{"output_mode": "dbt", "dialect": "duckdb"})

	// First push: the repository is created and its default branch pushed.
	first := callOK[advanced.PublishResult](t, o, cs, "push_dbt_project_to_github", map[string]any{
		"github_repo": "dbt-warehouse", "token_env": testGHTokenEnv, "github_api": api})
	if first.Repository == nil || !first.Repository.Created || first.Repository.FullName != "octo/dbt-warehouse" || !first.Repository.Private {
		t.Fatalf("repository = %+v", first.Repository)
	}
	if first.Commit == nil || !first.Commit.Changed || first.Push == nil || first.Push.Branch != "main" || first.Push.Commit != first.Commit.Commit || first.PullRequest != nil {
		t.Fatalf("publish = %+v / %+v / %+v", first.Commit, first.Push, first.PullRequest)
	}
	if !strings.Contains(first.Commit.Message, "9.9.9") {
		t.Errorf("the commit does not record the server version: %q", first.Commit.Message)
	}
	if got := remoteRef(t, gh.cloneURL, "main"); got != first.Push.Commit {
		t.Errorf("remote main = %s, want %s", got, first.Push.Commit)
	}

	// A push to another branch of the existing repository opens a pull request.
	second := callOK[advanced.PublishResult](t, o, cs, "push_dbt_project_to_github", map[string]any{
		"github_repo": "dbt-warehouse", "branch": "databridge/regen", "token_env": testGHTokenEnv, "github_api": api})
	if second.Repository == nil || second.Repository.Created || second.Push.Branch != "databridge/regen" || second.PullRequest == nil ||
		!second.PullRequest.Created || second.PullRequest.Head != "databridge/regen" || second.PullRequest.Base != "main" || second.PullRequest.Number != 1 {
		t.Fatalf("second publish = %+v / %+v / %+v", second.Repository, second.Push, second.PullRequest)
	}
	if got := remoteRef(t, gh.cloneURL, "databridge/regen"); got != second.Push.Commit {
		t.Errorf("remote databridge/regen = %s, want %s", got, second.Push.Commit)
	}
	if len(gh.pulls) != 1 || gh.pulls[0]["head"] != "databridge/regen" || gh.pulls[0]["base"] != "main" {
		t.Errorf("pull requests seen by GitHub = %v", gh.pulls)
	}

	if all := o.all() + logs.String(); strings.Contains(all, testGHToken) {
		t.Errorf("the token appears in tool output or logs")
	}
	if !strings.Contains(logs.String(), "push_dbt_project_to_github") {
		t.Errorf("logs do not mention the tool: %s", logs.String())
	}
}

// fakeDBTCloud serves a job that succeeds (77, run 9001: queued, running,
// success) and one that fails (78, run 9002).
type fakeDBTCloud struct {
	t     *testing.T
	mu    sync.Mutex
	polls map[string]int
	cause []string
}

func envelope(data string) string {
	return `{"status":{"code":200,"is_success":true,"user_message":"Success!","developer_message":""},"data":` + data + `}`
}

func runJSON(id, job, status int, msg string) string {
	m := "null"
	if msg != "" {
		m = fmt.Sprintf("%q", msg)
	}
	return fmt.Sprintf(`{"id":%d,"account_id":1234,"job_definition_id":%d,"status":%d,"status_message":%s,"href":"https://cloud.example/deploy/1234/runs/%d/","duration_humanized":"1 minute"}`,
		id, job, status, m, id)
}

func (f *fakeDBTCloud) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	if r.Header.Get("Authorization") != "Token "+testDBTToken {
		w.WriteHeader(http.StatusUnauthorized)
		io.WriteString(w, `{"status":{"code":401,"is_success":false,"user_message":"Invalid token.","developer_message":""},"data":null}`)
		return
	}
	switch r.Method + " " + r.URL.Path {
	case "POST /api/v2/accounts/1234/jobs/77/run/", "POST /api/v2/accounts/1234/jobs/78/run/":
		var body struct {
			Cause string `json:"cause"`
		}
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			f.t.Error(err)
		}
		f.cause = append(f.cause, body.Cause)
		if strings.Contains(r.URL.Path, "/77/") {
			io.WriteString(w, envelope(runJSON(9001, 77, gitops.RunQueued, "")))
		} else {
			io.WriteString(w, envelope(runJSON(9002, 78, gitops.RunQueued, "")))
		}
	case "GET /api/v2/accounts/1234/runs/9001/":
		f.polls["9001"]++
		status := []int{gitops.RunQueued, gitops.RunRunning, gitops.RunSuccess}[min(f.polls["9001"]-1, 2)]
		io.WriteString(w, envelope(runJSON(9001, 77, status, "")))
	case "GET /api/v2/accounts/1234/runs/9002/":
		f.polls["9002"]++
		status, msg := gitops.RunRunning, ""
		if f.polls["9002"] > 1 {
			status, msg = gitops.RunError, "Database Error in model dt_3_pl"
		}
		io.WriteString(w, envelope(runJSON(9002, 78, status, msg)))
	default:
		f.t.Errorf("fake dbt Cloud: unexpected %s %s", r.Method, r.URL.Path)
		w.WriteHeader(http.StatusNotFound)
		io.WriteString(w, `{"status":{"code":404,"is_success":false,"user_message":"Not found.","developer_message":""},"data":null}`)
	}
}

func TestTriggerDBTRun(t *testing.T) {
	f := &fakeDBTCloud{t: t, polls: map[string]int{}}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	t.Setenv(testDBTTokenEnv, testDBTToken)
	cloudPollInterval = time.Millisecond
	t.Cleanup(func() { cloudPollInterval = 0 })
	var logs bytes.Buffer
	cs := newSession(t, newProject(t), Options{Toolsets: []string{"git"}, Version: "9.9.9",
		Logger: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	o := &outputs{}
	args := func(job string, wait bool) map[string]any {
		return map[string]any{"account_id": "1234", "job_id": job, "token_env": testDBTTokenEnv, "base_url": srv.URL, "wait": wait}
	}

	// Without wait: the queued run, at once.
	run := callOK[gitops.CloudRun](t, o, cs, "trigger_dbt_run", args("77", false))
	if run.ID != 9001 || run.Status != gitops.RunQueued || run.StatusHumanized != "Queued" || f.polls["9001"] != 0 {
		t.Errorf("no wait = %+v (polls %d)", run, f.polls["9001"])
	}
	// With wait: followed through queued and running to success.
	start := time.Now()
	run = callOK[gitops.CloudRun](t, o, cs, "trigger_dbt_run", args("77", true))
	if run.ID != 9001 || run.Status != gitops.RunSuccess || run.JobID != 77 || run.HrefURL == "" || f.polls["9001"] != 3 {
		t.Errorf("wait = %+v (polls %d)", run, f.polls["9001"])
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("following the run took %v: the poll interval was not applied", d)
	}
	if len(f.cause) != 2 || f.cause[1] != "Triggered by databridge 9.9.9" {
		t.Errorf("causes = %q", f.cause)
	}
	// A failed run is a tool error that names the run and says why, and
	// still returns the run.
	msg, failed := callChecksFailed[gitops.CloudRun](t, cs, "trigger_dbt_run", args("78", true))
	o.add(msg)
	if failed.ID != 9002 || failed.JobID != 78 || failed.Status == gitops.RunSuccess {
		t.Errorf("failed run = %+v", failed)
	}
	wantContains(t, "failed run", msg, "dbt Cloud run 9002", "job 78", "failed", "Database Error in model dt_3_pl", "https://cloud.example/deploy/1234/runs/9002/")
	// Errors from dbt Cloud and missing tokens.
	t.Setenv("DATABRIDGE_MCP_TEST_WRONG_DBT", "dbtc_wrong")
	a := args("77", false)
	a["token_env"] = "DATABRIDGE_MCP_TEST_WRONG_DBT"
	wantContains(t, "refused token", callFail(t, o, cs, "trigger_dbt_run", a), "DATABRIDGE_MCP_TEST_WRONG_DBT")
	a["token_env"] = testDBTToken
	wantContains(t, "token as token_env", callFail(t, o, cs, "trigger_dbt_run", a), "NAME of an environment variable")
	callFail(t, o, cs, "trigger_dbt_run", map[string]any{"account_id": "1234"}) // job_id is required

	if all := o.all() + logs.String(); strings.Contains(all, testDBTToken) || strings.Contains(all, "dbtc_wrong") {
		t.Errorf("a token appears in tool output or logs")
	}
	if !strings.Contains(logs.String(), "status=Running") {
		t.Errorf("run progress is not logged: %s", logs.String())
	}
}
