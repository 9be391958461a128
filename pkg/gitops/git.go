// Package gitops puts a generated dbt project under version control and
// moves it where a team can use it: a git commit (go-git, so no git binary is
// needed), a push to any git remote, a GitHub repository and pull request,
// and a dbt Cloud job run.
package gitops

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/format/gitignore"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// DefaultBranch is the branch a new repository starts on.
const DefaultBranch = "main"

// DefaultMessage is the commit subject when none is given.
const DefaultMessage = "Generate dbt project"

// alwaysIgnored are paths that never belong in a dbt project's history:
// build output, installed packages, logs, and the profile that may hold
// credentials. They are excluded even when a project's own .gitignore forgets
// them, and are taken out of the index if an earlier commit tracked them.
var alwaysIgnored = []string{
	"target/",
	"dbt_packages/",
	"logs/",
	"profiles.yml",
}

// defaultGitignore is written when a project has no .gitignore of its own.
const defaultGitignore = `# Written by databridge. Build output, installed packages, logs and local
# credentials stay out of version control.
target/
dbt_packages/
dbt_modules/
logs/
profiles.yml
.user.yml
.env
*.duckdb
*.duckdb.wal
.DS_Store
`

// CommitOptions control CommitDir.
type CommitOptions struct {
	// Message is the commit subject and body; DefaultMessage when empty.
	// The databridge version is always appended as a trailer.
	Message string `json:"message,omitempty"`
	// AuthorName and AuthorEmail sign the commit. When empty they come from
	// the repository's or the user's git config, else "databridge".
	AuthorName  string `json:"author_name,omitempty"`
	AuthorEmail string `json:"author_email,omitempty"`
	// Branch to commit on. A new repository starts on it (DefaultBranch when
	// empty); in an existing repository an empty Branch means the current
	// one, and a different name switches HEAD to it (created at the current
	// commit if it does not exist) without touching the files.
	Branch string `json:"branch,omitempty"`
	// Version is the databridge version recorded in the message ("dev" when empty).
	Version string `json:"version,omitempty"`
}

// CommitResult reports what CommitDir did.
type CommitResult struct {
	// Repo is the absolute path of the repository's working tree.
	Repo string `json:"repo"`
	// Commit is the HEAD commit after the call: the new commit when Changed,
	// else the existing HEAD ("" when the directory has nothing to commit).
	Commit string `json:"commit"`
	// Changed is true when a new commit was made.
	Changed bool `json:"changed"`
	// Files is the number of files tracked in Commit.
	Files int `json:"files"`
	// Message is the full message of Commit ("" when there is none).
	Message string `json:"message"`
	// Branch is the branch HEAD points to.
	Branch string `json:"branch"`
	// Initialized is true when CommitDir created the repository.
	Initialized bool `json:"initialized,omitempty"`
	// WroteGitignore is true when CommitDir wrote a default .gitignore.
	WroteGitignore bool `json:"wrote_gitignore,omitempty"`
}

// CommitDir records the current contents of dir as a commit. It creates the
// repository when dir is not one yet, writes a .gitignore when there is none,
// stages every change (additions, edits, deletions) except ignored paths, and
// commits only when the resulting tree differs from HEAD: regenerating an
// unchanged project leaves history as it was.
func CommitDir(dir string, opts CommitOptions) (*CommitResult, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("git: %s: %w", dir, err)
	}
	if fi, err := os.Stat(abs); err != nil {
		return nil, fmt.Errorf("git: %w", err)
	} else if !fi.IsDir() {
		return nil, fmt.Errorf("git: %s is not a directory", abs)
	}
	res := &CommitResult{Repo: abs}

	repo, err := git.PlainOpen(abs)
	switch {
	case errors.Is(err, git.ErrRepositoryNotExists):
		branch := opts.Branch
		if branch == "" {
			branch = DefaultBranch
		}
		if err := checkBranchName(branch); err != nil {
			return nil, err
		}
		repo, err = git.PlainInitWithOptions(abs, &git.PlainInitOptions{
			InitOptions: git.InitOptions{DefaultBranch: plumbing.NewBranchReferenceName(branch)},
		})
		if err != nil {
			return nil, fmt.Errorf("git: init %s: %w", abs, err)
		}
		res.Initialized = true
	case err != nil:
		return nil, fmt.Errorf("git: open %s: %w", abs, err)
	default:
		if err := switchBranch(repo, opts.Branch); err != nil {
			return nil, fmt.Errorf("git: %s: %w", abs, err)
		}
	}

	head, err := repo.Reference(plumbing.HEAD, false)
	if err != nil {
		return nil, fmt.Errorf("git: %s: read HEAD: %w", abs, err)
	}
	if head.Type() != plumbing.SymbolicReference || !head.Target().IsBranch() {
		return nil, fmt.Errorf("git: %s: HEAD is detached; check out a branch or pass a branch name", abs)
	}
	res.Branch = head.Target().Short()

	gi := filepath.Join(abs, ".gitignore")
	if _, err := os.Stat(gi); errors.Is(err, os.ErrNotExist) {
		if err := os.WriteFile(gi, []byte(defaultGitignore), 0o644); err != nil {
			return nil, fmt.Errorf("git: write %s: %w", gi, err)
		}
		res.WroteGitignore = true
	}

	wt, err := repo.Worktree()
	if err != nil {
		return nil, fmt.Errorf("git: %s: %w", abs, err)
	}
	for _, p := range alwaysIgnored {
		wt.Excludes = append(wt.Excludes, gitignore.ParsePattern(p, nil))
	}
	if err := wt.AddWithOptions(&git.AddOptions{All: true}); err != nil {
		return nil, fmt.Errorf("git: stage %s: %w", abs, err)
	}
	if err := untrackAlwaysIgnored(repo); err != nil {
		return nil, fmt.Errorf("git: stage %s: %w", abs, err)
	}

	msg := commitMessage(opts.Message, opts.Version)
	author := signature(repo, opts.AuthorName, opts.AuthorEmail)
	hash, err := wt.Commit(msg, &git.CommitOptions{Author: author, Committer: author})
	switch {
	case errors.Is(err, git.ErrEmptyCommit):
		// Nothing differs from HEAD (or there is nothing at all to commit).
	case err != nil:
		return nil, fmt.Errorf("git: commit %s: %w", abs, err)
	default:
		res.Changed = true
		res.Commit = hash.String()
	}

	if !res.Changed {
		ref, err := repo.Head()
		if errors.Is(err, plumbing.ErrReferenceNotFound) {
			return res, nil
		}
		if err != nil {
			return nil, fmt.Errorf("git: %s: read HEAD: %w", abs, err)
		}
		hash = ref.Hash()
		res.Commit = hash.String()
	}
	c, err := repo.CommitObject(hash)
	if err != nil {
		return nil, fmt.Errorf("git: %s: read commit %s: %w", abs, hash, err)
	}
	res.Message = c.Message
	n, err := countFiles(c)
	if err != nil {
		return nil, fmt.Errorf("git: %s: read commit %s: %w", abs, hash, err)
	}
	res.Files = n
	return res, nil
}

// commitMessage is the caller's message (or the default) with the
// databridge version as a git trailer.
func commitMessage(message, version string) string {
	message = strings.TrimSpace(message)
	if message == "" {
		message = DefaultMessage
	}
	if version == "" {
		version = "dev"
	}
	return fmt.Sprintf("%s\n\nGenerated-by: databridge %s\n", message, version)
}

// signature picks the commit author: explicit options, then git config
// (repository, then the user's global file), then a databridge identity.
func signature(repo *git.Repository, name, email string) *object.Signature {
	if name == "" || email == "" {
		for _, scope := range []config.Scope{config.LocalScope, config.GlobalScope} {
			cfg, err := repo.ConfigScoped(scope)
			if err != nil {
				continue
			}
			if name == "" {
				name = cfg.User.Name
			}
			if email == "" {
				email = cfg.User.Email
			}
		}
	}
	if name == "" {
		name = "databridge"
	}
	if email == "" {
		email = "databridge@localhost"
	}
	return &object.Signature{Name: name, Email: email, When: time.Now()}
}

// switchBranch points HEAD at branch in an existing repository without
// touching the working tree: the next commit records the files as they are
// on top of that branch. An empty branch keeps the current one.
func switchBranch(repo *git.Repository, branch string) error {
	if branch == "" {
		return nil
	}
	if err := checkBranchName(branch); err != nil {
		return err
	}
	target := plumbing.NewBranchReferenceName(branch)
	head, err := repo.Reference(plumbing.HEAD, false)
	if err != nil {
		return fmt.Errorf("read HEAD: %w", err)
	}
	if head.Type() == plumbing.SymbolicReference && head.Target() == target {
		return nil
	}
	if _, err := repo.Reference(target, false); errors.Is(err, plumbing.ErrReferenceNotFound) {
		// Create the branch at the current commit, if there is one.
		if cur, err := repo.Head(); err == nil {
			if err := repo.Storer.SetReference(plumbing.NewHashReference(target, cur.Hash())); err != nil {
				return fmt.Errorf("create branch %s: %w", branch, err)
			}
		}
	} else if err != nil {
		return fmt.Errorf("read branch %s: %w", branch, err)
	}
	if err := repo.Storer.SetReference(plumbing.NewSymbolicReference(plumbing.HEAD, target)); err != nil {
		return fmt.Errorf("switch to branch %s: %w", branch, err)
	}
	return nil
}

func checkBranchName(branch string) error {
	ref := plumbing.NewBranchReferenceName(branch)
	if err := ref.Validate(); err != nil || strings.HasPrefix(branch, "-") {
		return fmt.Errorf("git: %q is not a valid branch name", branch)
	}
	return nil
}

// untrackAlwaysIgnored drops index entries under alwaysIgnored paths, so a
// profiles.yml committed by an earlier tool stops being recorded. The files
// themselves are left on disk.
func untrackAlwaysIgnored(repo *git.Repository) error {
	var patterns []gitignore.Pattern
	for _, p := range alwaysIgnored {
		patterns = append(patterns, gitignore.ParsePattern(p, nil))
	}
	m := gitignore.NewMatcher(patterns)
	idx, err := repo.Storer.Index()
	if err != nil {
		return err
	}
	kept := idx.Entries[:0]
	removed := false
	for _, e := range idx.Entries {
		if ignoredPath(m, e.Name) {
			removed = true
			continue
		}
		kept = append(kept, e)
	}
	if !removed {
		return nil
	}
	idx.Entries = kept
	idx.Cache = nil // the tree cache describes the old entries
	return repo.Storer.SetIndex(idx)
}

// ignoredPath reports whether a file, or any directory above it, matches.
func ignoredPath(m gitignore.Matcher, name string) bool {
	parts := strings.Split(name, "/")
	for i := 1; i <= len(parts); i++ {
		if m.Match(parts[:i], i < len(parts)) {
			return true
		}
	}
	return false
}

func countFiles(c *object.Commit) (int, error) {
	tree, err := c.Tree()
	if err != nil {
		return 0, err
	}
	n := 0
	err = tree.Files().ForEach(func(*object.File) error { n++; return nil })
	return n, err
}

// ShortHash is the 12-character form of a commit hash shown to people
// ("(no commit)" for none).
func ShortHash(sha string) string {
	if sha == "" {
		return "(no commit)"
	}
	if len(sha) > 12 {
		return sha[:12]
	}
	return sha
}
