package gitops

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/databridge/databridge/pkg/connector"
)

// GitHubAPI is the public GitHub REST API. GitHub Enterprise Server serves
// the same API under https://HOST/api/v3.
const GitHubAPI = "https://api.github.com"

// GitHubAPIVersion is the REST API version databridge is written against.
const GitHubAPIVersion = "2022-11-28"

// DefaultGitHubTokenEnv is read when no token variable is named.
const DefaultGitHubTokenEnv = "GITHUB_TOKEN"

// GitHub is a small client for the GitHub REST API (v3): enough to create a
// repository for a dbt project and open a pull request for a regeneration.
type GitHub struct {
	// BaseURL is the API root: GitHubAPI, or https://HOST/api/v3 for
	// GitHub Enterprise Server, or a test server.
	BaseURL string
	// Token is sent as a bearer token. Take it from the environment
	// (NewGitHub); it never appears in errors.
	Token string
	// HTTP sends the requests; a client with a 60 s timeout when nil.
	HTTP *http.Client

	tokenEnv string
}

// NewGitHub makes a client for baseURL (GitHubAPI when empty) with the token
// in the environment variable tokenEnv (DefaultGitHubTokenEnv when empty).
func NewGitHub(baseURL, tokenEnv string) (*GitHub, error) {
	base, tok, env, err := apiConfig("GitHub", baseURL, GitHubAPI, tokenEnv, DefaultGitHubTokenEnv,
		"API URL: use "+GitHubAPI+", or https://HOST/api/v3 for GitHub Enterprise")
	if err != nil {
		return nil, err
	}
	return &GitHub{BaseURL: strings.TrimRight(base, "/"), Token: tok, tokenEnv: env}, nil
}

// Repo is a GitHub repository.
type Repo struct {
	FullName      string `json:"full_name"`
	CloneURL      string `json:"clone_url"`
	HTMLURL       string `json:"html_url"`
	DefaultBranch string `json:"default_branch"`
	Private       bool   `json:"private"`
	// Created is false when the repository already existed and was reused.
	Created bool `json:"created"`
}

// PullRequest is a GitHub pull request.
type PullRequest struct {
	Number  int    `json:"number"`
	HTMLURL string `json:"html_url"`
	State   string `json:"state,omitempty"`
	Head    string `json:"head,omitempty"`
	Base    string `json:"base,omitempty"`
	// Created is false when an open pull request for the branch already
	// existed and was returned instead.
	Created bool `json:"created"`
}

// CreateRepository creates owner/name: under the authenticated user when
// owner is empty or is the user's own login, else under the organization
// owner. When the repository already exists it is returned (Created false)
// instead of failing, so publishing twice is safe.
func (g *GitHub) CreateRepository(ctx context.Context, owner, name string, private bool, description string) (*Repo, error) {
	if err := checkRepoPart("repository name", name); err != nil {
		return nil, err
	}
	if owner != "" {
		if err := checkRepoPart("owner", owner); err != nil {
			return nil, err
		}
	}
	in := map[string]any{"name": name, "private": private, "auto_init": false}
	if description != "" {
		in["description"] = description
	}
	var out Repo
	path := "/user/repos"
	if owner != "" {
		path = "/orgs/" + url.PathEscape(owner) + "/repos"
	}
	err := g.do(ctx, http.MethodPost, path, in, &out)
	var apiErr *APIError
	if owner != "" && errors.As(err, &apiErr) && apiErr.Status == http.StatusNotFound {
		// Not an organization: maybe the owner is the user themself.
		login, lerr := g.login(ctx)
		if lerr != nil {
			return nil, lerr
		}
		if !strings.EqualFold(login, owner) {
			apiErr.Hint = fmt.Sprintf("there is no organization %q that this token (user %s) can create repositories in", owner, login)
			return nil, apiErr
		}
		path = "/user/repos"
		err = g.do(ctx, http.MethodPost, path, in, &out)
	}
	if errors.As(err, &apiErr) && apiErr.Status == http.StatusUnprocessableEntity && apiErr.mentions("already exists") {
		if owner == "" {
			if owner, err = g.login(ctx); err != nil {
				return nil, err
			}
		}
		repo, gerr := g.GetRepository(ctx, owner, name)
		if gerr != nil {
			return nil, gerr
		}
		repo.Created = false
		return repo, nil
	}
	if err != nil {
		return nil, err
	}
	out.Created = true
	return &out, nil
}

// GetRepository reads owner/name.
func (g *GitHub) GetRepository(ctx context.Context, owner, name string) (*Repo, error) {
	if err := checkRepoPart("owner", owner); err != nil {
		return nil, err
	}
	if err := checkRepoPart("repository name", name); err != nil {
		return nil, err
	}
	var out Repo
	if err := g.do(ctx, http.MethodGet, "/repos/"+url.PathEscape(owner)+"/"+url.PathEscape(name), nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// OpenPullRequest opens a pull request in owner/repo from head (a branch, or
// "user:branch" for a fork) into base (the repository's default branch when
// empty). When an open pull request for head already exists it is returned
// (Created false): pushing a regeneration to the same branch updates it.
func (g *GitHub) OpenPullRequest(ctx context.Context, owner, repo, head, base, title, body string) (*PullRequest, error) {
	if err := checkRepoPart("owner", owner); err != nil {
		return nil, err
	}
	if err := checkRepoPart("repository name", repo); err != nil {
		return nil, err
	}
	if head == "" {
		return nil, errors.New("GitHub: a pull request needs a head branch")
	}
	if base == "" {
		r, err := g.GetRepository(ctx, owner, repo)
		if err != nil {
			return nil, err
		}
		base = r.DefaultBranch
	}
	if title == "" {
		title = "Regenerate dbt project"
	}
	prefix := "/repos/" + url.PathEscape(owner) + "/" + url.PathEscape(repo) + "/pulls"
	var out apiPull
	err := g.do(ctx, http.MethodPost, prefix, map[string]any{"title": title, "head": head, "base": base, "body": body}, &out)
	var apiErr *APIError
	if errors.As(err, &apiErr) && apiErr.Status == http.StatusUnprocessableEntity && apiErr.mentions("already exists") {
		qualified := head
		if !strings.Contains(head, ":") {
			qualified = owner + ":" + head
		}
		q := url.Values{"state": {"open"}, "head": {qualified}}
		var open []apiPull
		if lerr := g.do(ctx, http.MethodGet, prefix+"?"+q.Encode(), nil, &open); lerr != nil {
			return nil, lerr
		}
		for _, p := range open {
			if p.Base.Ref == base {
				return p.result(false), nil
			}
		}
		if len(open) > 0 {
			return open[0].result(false), nil
		}
		return nil, apiErr
	}
	if errors.As(err, &apiErr) && apiErr.Status == http.StatusUnprocessableEntity && apiErr.mentions("No commits between") {
		apiErr.Hint = fmt.Sprintf("branch %s has nothing that %s lacks: push the regenerated project to it first", head, base)
	}
	if err != nil {
		return nil, err
	}
	return out.result(true), nil
}

type apiPull struct {
	Number  int    `json:"number"`
	HTMLURL string `json:"html_url"`
	State   string `json:"state"`
	Head    struct {
		Ref   string `json:"ref"`
		Label string `json:"label"`
	} `json:"head"`
	Base struct {
		Ref string `json:"ref"`
	} `json:"base"`
}

func (p apiPull) result(created bool) *PullRequest {
	return &PullRequest{Number: p.Number, HTMLURL: p.HTMLURL, State: p.State, Head: p.Head.Ref, Base: p.Base.Ref, Created: created}
}

func (g *GitHub) login(ctx context.Context) (string, error) {
	var u struct {
		Login string `json:"login"`
	}
	if err := g.do(ctx, http.MethodGet, "/user", nil, &u); err != nil {
		return "", err
	}
	return u.Login, nil
}

func (g *GitHub) do(ctx context.Context, method, path string, in, out any) error {
	if g.Token == "" {
		return errors.New("GitHub: no token (make the client with NewGitHub, which reads it from the environment)")
	}
	h := http.Header{}
	h.Set("Authorization", "Bearer "+g.Token)
	h.Set("Accept", "application/vnd.github+json")
	h.Set("X-GitHub-Api-Version", GitHubAPIVersion)
	h.Set("User-Agent", "databridge")
	base := g.BaseURL
	if base == "" {
		base = GitHubAPI
	}
	err := call(ctx, g.HTTP, connector.NewRedactor(g.Token), "GitHub", method, base, path, h, in, out, parseGitHubError)
	var apiErr *APIError
	if errors.As(err, &apiErr) && apiErr.Hint == "" {
		apiErr.Hint = g.hint(apiErr)
	}
	return err
}

func (g *GitHub) hint(e *APIError) string {
	env := g.tokenEnv
	if env == "" {
		env = "the token variable"
	} else {
		env = "$" + env
	}
	switch {
	case e.Status == http.StatusUnauthorized:
		return fmt.Sprintf("the token in %s was refused: check it has not expired or been revoked", env)
	case e.Status == http.StatusForbidden && strings.Contains(strings.ToLower(e.Message), "rate limit"):
		return "rate limited by GitHub: wait and try again"
	case e.Status == http.StatusForbidden:
		return fmt.Sprintf("the token in %s lacks a permission this needs (repository administration to create, pull requests to open)", env)
	case e.Status == http.StatusNotFound:
		return fmt.Sprintf("not found, or not visible to the token in %s", env)
	case e.Temporary():
		return "GitHub is having trouble; try again shortly"
	}
	return ""
}

// parseGitHubError reads GitHub's {"message", "errors": [...]} error body.
func parseGitHubError(e *APIError, body []byte) {
	var b struct {
		Message string            `json:"message"`
		Errors  []json.RawMessage `json:"errors"`
	}
	if json.Unmarshal(body, &b) != nil {
		return
	}
	e.Message = b.Message
	for _, raw := range b.Errors {
		var d struct {
			Resource string `json:"resource"`
			Field    string `json:"field"`
			Code     string `json:"code"`
			Message  string `json:"message"`
		}
		var s string
		switch {
		case json.Unmarshal(raw, &s) == nil:
			e.Details = append(e.Details, s)
		case json.Unmarshal(raw, &d) == nil:
			switch {
			case d.Message != "":
				e.Details = append(e.Details, d.Message)
			default:
				e.Details = append(e.Details, strings.Trim(d.Resource+" "+d.Field+" "+d.Code, " "))
			}
		}
	}
}

func (e *APIError) mentions(s string) bool {
	s = strings.ToLower(s)
	if strings.Contains(strings.ToLower(e.Message), s) {
		return true
	}
	for _, d := range e.Details {
		if strings.Contains(strings.ToLower(d), s) {
			return true
		}
	}
	return false
}

// checkRepoPart rejects owner and repository names GitHub would not accept,
// before they reach a URL path.
func checkRepoPart(what, s string) error {
	if s == "" {
		return fmt.Errorf("GitHub: %s is empty", what)
	}
	if s == "." || s == ".." || len(s) > 100 {
		return fmt.Errorf("GitHub: %q is not a valid %s", s, what)
	}
	for _, r := range s {
		ok := r == '-' || r == '_' || r == '.' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9')
		if !ok {
			return fmt.Errorf("GitHub: %q is not a valid %s (letters, digits, '-', '_' and '.' only)", s, what)
		}
	}
	return nil
}
