package mcpserver

import (
	"context"
	"errors"
	"os"
	"strings"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/databridge/databridge/pkg/advanced"
	"github.com/databridge/databridge/pkg/gitops"
)

func init() {
	registerToolset(toolset{
		Name:        "git",
		Description: "Advanced Mode: the dbt project in git, GitHub and dbt Cloud.",
		Tools:       []tool{createGitHubRepoTool, pushDBTProjectTool, triggerDBTRunTool},
	})
}

// tokenRule is said in every tool description that needs a token.
const tokenRule = " Tokens are read from the server's environment variable NAMED by token_env; never put a token itself in any argument (it would be logged and echoed), and tokens never appear in results or errors."

// cloudPollInterval overrides the wait between dbt Cloud status checks
// (tests only; zero keeps the client's default).
var cloudPollInterval time.Duration

func (e *env) advanced() (*advanced.Service, error) {
	s, err := e.services()
	if err != nil {
		return nil, err
	}
	return s.Advanced, nil
}

// externalAnnotations marks a tool that acts on a service outside the
// project (GitHub, a git remote, dbt Cloud).
func externalAnnotations(title string, destructive, idempotent bool) *mcp.ToolAnnotations {
	t := true
	return &mcp.ToolAnnotations{Title: title, DestructiveHint: &destructive, IdempotentHint: idempotent, OpenWorldHint: &t}
}

// checkTokenEnv refuses a token_env that holds a token rather than the
// name of a variable, without repeating it: the services would otherwise
// say "environment variable <token> is not set".
func checkTokenEnv(name string) error {
	if name == "" {
		return nil
	}
	lower := strings.ToLower(name)
	for _, prefix := range []string{"ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "dbtc_", "dbtu_"} {
		if strings.HasPrefix(lower, prefix) {
			return errors.New("token_env must be the NAME of an environment variable holding the token (for example GITHUB_TOKEN), not the token itself; the value given looks like a token and was not used — revoke it if it was shared")
		}
	}
	for i, r := range name {
		ok := r == '_' || (r >= 'A' && r <= 'Z') || (r >= 'a' && r <= 'z') || (i > 0 && r >= '0' && r <= '9')
		if !ok {
			return errors.New("token_env must be the NAME of an environment variable (letters, digits and _, for example GITHUB_TOKEN), not a token")
		}
	}
	if os.Getenv(name) == "" && len(name) >= 30 && strings.ToUpper(name) != name && strings.ToLower(name) != name {
		return errors.New("token_env must be the NAME of an environment variable holding the token (for example GITHUB_TOKEN); the value given is not a set variable and looks like it may be a token itself, so it was not used")
	}
	return nil
}

type createRepoInput struct {
	Owner       string `json:"owner,omitempty" jsonschema:"Organization (or the token's own user) to create the repository under (default: the token's user)."`
	Name        string `json:"name" jsonschema:"Repository name (letters, digits, '-', '_' and '.')."`
	Private     *bool  `json:"private,omitempty" jsonschema:"Create the repository private (default true)."`
	Description string `json:"description,omitempty" jsonschema:"Repository description."`
	TokenEnv    string `json:"token_env,omitempty" jsonschema:"NAME of the environment variable holding the GitHub token (default GITHUB_TOKEN). Never pass the token itself."`
	GitHubAPI   string `json:"github_api,omitempty" jsonschema:"GitHub API URL (default https://api.github.com; Enterprise: https://HOST/api/v3)."`
}

var createGitHubRepoTool = newTool(&mcp.Tool{
	Name: "create_github_repository",
	Description: "Create a GitHub repository for the dbt project, under the token's user or an organization (private by default). " +
		"An existing repository of that name is returned with created false instead of failing, so calling it twice is safe. Returns its full name, clone URL, web URL and default branch." + tokenRule,
	Annotations: externalAnnotations("Create a GitHub repository", false, true),
}, func(ctx context.Context, e *env, in createRepoInput) (*gitops.Repo, error) {
	if err := checkTokenEnv(in.TokenEnv); err != nil {
		return nil, err
	}
	gh, err := gitops.NewGitHub(in.GitHubAPI, in.TokenEnv)
	if err != nil {
		return nil, err
	}
	private := in.Private == nil || *in.Private
	return gh.CreateRepository(ctx, in.Owner, in.Name, private, in.Description)
})

var pushDBTProjectTool = newTool(&mcp.Tool{
	Name: "push_dbt_project_to_github",
	Description: "Publish the generated dbt project (see design_warehouse_model with output_mode dbt): commit what is not committed yet in its folder, then push it to a git remote. " +
		"With github_repo the repository is created when missing (private unless public; the first push is its default branch), and a push to a branch other than the default one opens a pull request (or returns the open one). " +
		"Returns the commit, the repository, the push (remote, branch, commit) and the pull request. force replaces a remote branch that has commits the local one lacks." + tokenRule,
	Annotations: externalAnnotations("Push the dbt project", true, false),
}, func(ctx context.Context, e *env, in advanced.PublishInput) (*advanced.PublishResult, error) {
	if err := checkTokenEnv(in.TokenEnv); err != nil {
		return nil, err
	}
	s, err := e.advanced()
	if err != nil {
		return nil, err
	}
	return s.Publish(ctx, in, nil)
})

var triggerDBTRunTool = newTool(&mcp.Tool{
	Name: "trigger_dbt_run",
	Description: "Trigger a dbt Cloud job (which builds the dbt project from its repository) and return the run: id, status, link. " +
		"With wait, follow the run until it ends: a failed or cancelled run is returned marked isError, with a message naming the run, dbt Cloud's message and its page." + tokenRule,
	Annotations: externalAnnotations("Trigger a dbt Cloud run", true, false),
}, func(ctx context.Context, e *env, in advanced.CloudRunInput) (*gitops.CloudRun, error) {
	if err := checkTokenEnv(in.TokenEnv); err != nil {
		return nil, err
	}
	s, err := e.advanced()
	if err != nil {
		return nil, err
	}
	in.PollInterval = cloudPollInterval
	p := progressOf(ctx)
	run, err := s.TriggerCloud(ctx, in, func(r *gitops.CloudRun) {
		e.logger.Info("dbt Cloud run", "run", r.ID, "status", r.StatusHumanized)
		p.step(ctx, "dbt Cloud run %d: %s", r.ID, r.StatusHumanized)
	})
	var failed *gitops.RunFailedError
	if errors.As(err, &failed) && run != nil {
		// deploy --dbt-cloud-job exits 3: the run and isError.
		return run, checksFailed("%s", err.Error())
	}
	if err != nil {
		return nil, err
	}
	return run, nil
})
