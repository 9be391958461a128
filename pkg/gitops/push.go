package gitops

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/go-git/go-billy/v5/osfs"
	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/cache"
	"github.com/go-git/go-git/v5/plumbing/storer"
	"github.com/go-git/go-git/v5/plumbing/transport"
	"github.com/go-git/go-git/v5/plumbing/transport/client"
	githttp "github.com/go-git/go-git/v5/plumbing/transport/http"
	"github.com/go-git/go-git/v5/plumbing/transport/server"
	"github.com/go-git/go-git/v5/storage/filesystem"

	"github.com/databridge/databridge/pkg/connector"
)

// TokenUser is the user name sent with a token over HTTP basic auth. GitHub
// documents it for installation tokens and accepts it for personal tokens;
// GitLab, Gitea and Azure DevOps ignore the user name when the password is a
// token.
const TokenUser = "x-access-token"

// PushOptions control Push.
type PushOptions struct {
	// Remote is where to push: a URL (https://, ssh://, git@host:path,
	// file://), a local path, or the name of a remote configured in the
	// repository. Empty means the configured "origin". The URL is used for
	// this push only and never written to the repository's config.
	Remote string `json:"remote,omitempty"`
	// Branch is the remote branch to update; the current branch's name when empty.
	Branch string `json:"branch,omitempty"`
	// TokenEnv names the environment variable that holds a token for
	// http(s) remotes (sent as basic auth, user TokenUser). Ignored for ssh
	// and local remotes.
	TokenEnv string `json:"token_env,omitempty"`
	// Force replaces the remote branch even when it is not an ancestor.
	Force bool `json:"force,omitempty"`
	// Progress, when set, receives the remote's progress messages.
	Progress io.Writer `json:"-"`
}

// PushResult reports what Push did.
type PushResult struct {
	// Remote is where the push went, with any credentials masked.
	Remote string `json:"remote"`
	// Branch is the remote branch that was updated.
	Branch string `json:"branch"`
	// LocalBranch is the branch that was pushed.
	LocalBranch string `json:"local_branch"`
	// Commit is the commit the remote branch now points to.
	Commit string `json:"commit"`
	// UpToDate is true when the remote already had Commit.
	UpToDate bool `json:"up_to_date"`
}

// Push sends the current branch of the repository in dir to a remote. The
// token named by opts.TokenEnv is read from the environment; neither it nor
// any password in the remote URL appears in the result or in errors.
func Push(ctx context.Context, dir string, opts PushOptions) (*PushResult, error) {
	repo, err := git.PlainOpen(dir)
	if err != nil {
		if errors.Is(err, git.ErrRepositoryNotExists) {
			return nil, fmt.Errorf("git push: %s is not a git repository (commit it first: databridge generate dbt --git)", dir)
		}
		return nil, fmt.Errorf("git push: open %s: %w", dir, err)
	}

	remoteURL, err := resolveRemote(repo, opts.Remote)
	if err != nil {
		return nil, err
	}
	auth, red, err := pushAuth(remoteURL, opts.TokenEnv)
	if err != nil {
		return nil, red.Error(err)
	}
	shown := red.String(remoteURL)

	head, err := repo.Head()
	if errors.Is(err, plumbing.ErrReferenceNotFound) {
		return nil, fmt.Errorf("git push: %s has no commits yet (commit it first: databridge generate dbt --git)", dir)
	}
	if err != nil {
		return nil, fmt.Errorf("git push: %s: read HEAD: %w", dir, err)
	}
	if !head.Name().IsBranch() {
		return nil, fmt.Errorf("git push: %s: HEAD is detached; check out a branch", dir)
	}
	local := head.Name().Short()
	branch := opts.Branch
	if branch == "" {
		branch = local
	}
	if err := checkBranchName(branch); err != nil {
		return nil, err
	}
	spec := config.RefSpec(fmt.Sprintf("%s:%s", head.Name(), plumbing.NewBranchReferenceName(branch)))
	if opts.Force {
		spec = "+" + spec
	}

	if isLocalRemote(remoteURL) {
		if err := checkLocalTarget(remoteURL, branch); err != nil {
			return nil, err
		}
		useInProcessFileTransport()
	}
	remote := git.NewRemote(repo.Storer, &config.RemoteConfig{Name: "databridge-push", URLs: []string{remoteURL}})
	res := &PushResult{Remote: shown, Branch: branch, LocalBranch: local, Commit: head.Hash().String()}
	err = remote.PushContext(ctx, &git.PushOptions{
		RemoteName: "databridge-push",
		RefSpecs:   []config.RefSpec{spec},
		Auth:       auth,
		Progress:   opts.Progress,
	})
	switch {
	case errors.Is(err, git.NoErrAlreadyUpToDate):
		res.UpToDate = true
	case err != nil:
		msg := fmt.Sprintf("git push %s to %s (branch %s): %s%s", local, shown, branch,
			strings.TrimRight(err.Error(), ": "), pushHint(err, opts))
		return nil, red.Error(&wrapped{msg: msg, err: err})
	}
	return res, nil
}

// resolveRemote turns a remote name, URL or path into a URL go-git can use.
func resolveRemote(repo *git.Repository, remote string) (string, error) {
	name := remote
	if name == "" {
		name = "origin"
	}
	if r, err := repo.Remote(name); err == nil {
		if urls := r.Config().URLs; len(urls) > 0 {
			return urls[0], nil
		}
	}
	if remote == "" {
		return "", errors.New("git push: no remote given and the repository has no \"origin\" (pass --remote URL)")
	}
	if strings.Contains(remote, "://") || isSCPLike(remote) {
		return remote, nil
	}
	// A local path: make it absolute so it does not depend on the caller's
	// working directory.
	abs, err := filepath.Abs(remote)
	if err != nil {
		return "", fmt.Errorf("git push: remote %s: %w", remote, err)
	}
	if _, err := os.Stat(abs); err != nil {
		return "", fmt.Errorf("git push: remote %s does not exist (create it with `git init --bare %s`, or pass a URL)", abs, abs)
	}
	return abs, nil
}

// isSCPLike matches user@host:path, the ssh shorthand git accepts.
func isSCPLike(s string) bool {
	at := strings.Index(s, "@")
	colon := strings.Index(s, ":")
	return at > 0 && colon > at && !strings.Contains(s[:colon], "/")
}

func isHTTPRemote(u string) bool {
	l := strings.ToLower(u)
	return strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://")
}

func isLocalRemote(u string) bool {
	return strings.HasPrefix(strings.ToLower(u), "file://") || (!strings.Contains(u, "://") && !isSCPLike(u))
}

// pushAuth builds the credentials for remoteURL and a redactor that masks
// them (and any password written into the URL) in anything shown.
func pushAuth(remoteURL, tokenEnv string) (transport.AuthMethod, *connector.Redactor, error) {
	red := connector.NewRedactor()
	if u, err := url.Parse(remoteURL); err == nil && u.User != nil {
		if pw, ok := u.User.Password(); ok {
			red.Add(pw, url.QueryEscape(pw), url.PathEscape(pw))
		}
	}
	if tokenEnv == "" || !isHTTPRemote(remoteURL) {
		return nil, red, nil
	}
	token := strings.TrimSpace(os.Getenv(tokenEnv))
	if token == "" {
		return nil, red, fmt.Errorf("git push: environment variable %s is not set (it should hold a token with push access)", tokenEnv)
	}
	red.Add(token)
	return &githttp.BasicAuth{Username: TokenUser, Password: token}, red, nil
}

func pushHint(err error, opts PushOptions) string {
	switch {
	case errors.Is(err, transport.ErrAuthenticationRequired), errors.Is(err, transport.ErrAuthorizationFailed):
		if opts.TokenEnv == "" {
			return " (the remote wants credentials: put a token in an environment variable and pass its name)"
		}
		return fmt.Sprintf(" (check that $%s holds a token with push access to this repository)", opts.TokenEnv)
	case errors.Is(err, transport.ErrRepositoryNotFound):
		return " (check the URL; create the repository first)"
	case errors.Is(err, git.ErrNonFastForwardUpdate), strings.Contains(err.Error(), "non-fast-forward"):
		return " (the remote branch has commits this one lacks; push to another branch, or force)"
	}
	return ""
}

var installFileTransport sync.Once

// useInProcessFileTransport serves file:// and path remotes inside this
// process. go-git's default file transport runs git-receive-pack, which
// would make a git installation a requirement again.
func useInProcessFileTransport() {
	installFileTransport.Do(func() {
		client.InstallProtocol("file", server.NewClient(localLoader{}))
	})
}

// localLoader opens the repository at an endpoint's path: a bare repository
// directly, a non-bare one through its .git directory.
type localLoader struct{}

func (localLoader) Load(ep *transport.Endpoint) (storer.Storer, error) {
	base := osfs.New(ep.Path)
	if fi, err := os.Stat(filepath.Join(ep.Path, git.GitDirName)); err == nil && fi.IsDir() {
		base = osfs.New(filepath.Join(ep.Path, git.GitDirName))
	} else if _, err := os.Stat(filepath.Join(ep.Path, "config")); err != nil {
		return nil, transport.ErrRepositoryNotFound
	}
	return filesystem.NewStorage(base, cache.NewObjectLRUDefault()), nil
}

// checkLocalTarget refuses, as git does, to move the checked-out branch of a
// non-bare local repository: its files would no longer match its HEAD.
func checkLocalTarget(remoteURL, branch string) error {
	path := strings.TrimPrefix(remoteURL, "file://")
	r, err := git.PlainOpen(path)
	if err != nil {
		return nil // bare, or not a repository: the push reports it
	}
	if _, err := r.Worktree(); err != nil {
		return nil // bare
	}
	head, err := r.Reference(plumbing.HEAD, false)
	if err == nil && head.Type() == plumbing.SymbolicReference && head.Target() == plumbing.NewBranchReferenceName(branch) {
		return fmt.Errorf("git push: %s has branch %s checked out; push to a bare repository or another branch", path, branch)
	}
	return nil
}

// wrapped is an error with a message of its own that still unwraps to the
// underlying error (for errors.Is on go-git's sentinels).
type wrapped struct {
	msg string
	err error
}

func (w *wrapped) Error() string { return w.msg }
func (w *wrapped) Unwrap() error { return w.err }
