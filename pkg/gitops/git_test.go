package gitops

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/transport"
	githttp "github.com/go-git/go-git/v5/plumbing/transport/http"
)

func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// dbtProject writes a small dbt project with the clutter a dbt run leaves.
func dbtProject(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"dbt_project.yml":              "name: finance\nversion: '1.0'\nprofile: finance\n",
		"models/staging/stg_gl.sql":    "select * from {{ source('erp', 'gl') }}\n",
		"models/marts/fct_pnl.sql":     "select * from {{ ref('stg_gl') }}\n",
		"profiles.yml":                 "finance:\n  outputs:\n    dev:\n      password: hunter22\n",
		"target/manifest.json":         "{}",
		"target/run/x.sql":             "select 1",
		"dbt_packages/dbt_utils/a.sql": "x",
		"logs/dbt.log":                 "log",
	})
	return dir
}

func commitFiles(t *testing.T, dir, hash string) []string {
	t.Helper()
	repo, err := git.PlainOpen(dir)
	if err != nil {
		t.Fatal(err)
	}
	c, err := repo.CommitObject(plumbing.NewHash(hash))
	if err != nil {
		t.Fatal(err)
	}
	tree, err := c.Tree()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	if err := tree.Files().ForEach(func(f *object.File) error { names = append(names, f.Name); return nil }); err != nil {
		t.Fatal(err)
	}
	sort.Strings(names)
	return names
}

func commitCount(t *testing.T, dir string) int {
	t.Helper()
	repo, err := git.PlainOpen(dir)
	if err != nil {
		t.Fatal(err)
	}
	head, err := repo.Head()
	if err != nil {
		t.Fatal(err)
	}
	it, err := repo.Log(&git.LogOptions{From: head.Hash()})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	_ = it.ForEach(func(*object.Commit) error { n++; return nil })
	return n
}

var testAuthor = CommitOptions{AuthorName: "Test Bot", AuthorEmail: "bot@example.com", Version: "v1.2.3"}

func TestCommitDirLifecycle(t *testing.T) {
	dir := dbtProject(t)

	first, err := CommitDir(dir, testAuthor)
	if err != nil {
		t.Fatal(err)
	}
	if !first.Changed || !first.Initialized || !first.WroteGitignore {
		t.Fatalf("first commit: %+v", first)
	}
	if first.Branch != "main" {
		t.Errorf("branch = %q, want main", first.Branch)
	}
	if !strings.Contains(first.Message, DefaultMessage) || !strings.Contains(first.Message, "Generated-by: databridge v1.2.3") {
		t.Errorf("message = %q", first.Message)
	}
	got := commitFiles(t, dir, first.Commit)
	want := []string{".gitignore", "dbt_project.yml", "models/marts/fct_pnl.sql", "models/staging/stg_gl.sql"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("committed files = %v, want %v", got, want)
	}
	if first.Files != len(want) {
		t.Errorf("Files = %d, want %d", first.Files, len(want))
	}
	repo, _ := git.PlainOpen(dir)
	c, _ := repo.CommitObject(plumbing.NewHash(first.Commit))
	if c.Author.Name != "Test Bot" || c.Author.Email != "bot@example.com" {
		t.Errorf("author = %v", c.Author)
	}

	// Regenerating the same project (even with new build output) changes nothing.
	writeFiles(t, dir, map[string]string{"target/manifest.json": `{"changed": true}`, "logs/dbt.log": "more"})
	again, err := CommitDir(dir, testAuthor)
	if err != nil {
		t.Fatal(err)
	}
	if again.Changed || again.Commit != first.Commit || again.Initialized || again.WroteGitignore {
		t.Fatalf("unchanged re-commit: %+v", again)
	}
	if again.Files != first.Files || again.Message != first.Message {
		t.Errorf("unchanged re-commit reports %+v", again)
	}
	if n := commitCount(t, dir); n != 1 {
		t.Fatalf("commits = %d, want 1", n)
	}

	// An edit, an addition and a deletion make one new commit.
	writeFiles(t, dir, map[string]string{
		"models/marts/fct_pnl.sql":     "select account, sum(amount) from {{ ref('stg_gl') }} group by 1\n",
		"models/marts/dim_account.sql": "select 1\n",
	})
	if err := os.Remove(filepath.Join(dir, "models/staging/stg_gl.sql")); err != nil {
		t.Fatal(err)
	}
	third, err := CommitDir(dir, CommitOptions{Message: "Regenerate after model approval", AuthorName: "x", AuthorEmail: "x@y", Version: "v1.2.4"})
	if err != nil {
		t.Fatal(err)
	}
	if !third.Changed || third.Commit == first.Commit {
		t.Fatalf("changed re-commit: %+v", third)
	}
	if !strings.HasPrefix(third.Message, "Regenerate after model approval\n") || !strings.Contains(third.Message, "databridge v1.2.4") {
		t.Errorf("message = %q", third.Message)
	}
	got = commitFiles(t, dir, third.Commit)
	want = []string{".gitignore", "dbt_project.yml", "models/marts/dim_account.sql", "models/marts/fct_pnl.sql"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("committed files = %v, want %v", got, want)
	}
	if n := commitCount(t, dir); n != 2 {
		t.Fatalf("commits = %d, want 2", n)
	}
	c, _ = repo.CommitObject(plumbing.NewHash(third.Commit))
	if len(c.ParentHashes) != 1 || c.ParentHashes[0].String() != first.Commit {
		t.Errorf("parents = %v, want [%s]", c.ParentHashes, first.Commit)
	}
}

func TestCommitDirRespectsOwnGitignore(t *testing.T) {
	dir := dbtProject(t)
	// The project's own .gitignore skips *.csv but forgets the dbt clutter:
	// profiles.yml, target/, logs/ and dbt_packages/ stay out regardless.
	writeFiles(t, dir, map[string]string{
		".gitignore":       "*.csv\n",
		"seeds/big.csv":    "a,b\n",
		"seeds/README.md":  "seeds\n",
		"models/.keep.sql": "",
	})
	res, err := CommitDir(dir, testAuthor)
	if err != nil {
		t.Fatal(err)
	}
	if res.WroteGitignore {
		t.Error("an existing .gitignore was replaced")
	}
	if b, _ := os.ReadFile(filepath.Join(dir, ".gitignore")); string(b) != "*.csv\n" {
		t.Errorf(".gitignore changed to %q", b)
	}
	got := commitFiles(t, dir, res.Commit)
	for _, f := range got {
		if f == "profiles.yml" || f == "seeds/big.csv" || strings.HasPrefix(f, "target/") || strings.HasPrefix(f, "logs/") || strings.HasPrefix(f, "dbt_packages/") {
			t.Errorf("%s was committed: %v", f, got)
		}
	}
	if !contains(got, "seeds/README.md") || !contains(got, "models/.keep.sql") {
		t.Errorf("wanted files missing: %v", got)
	}
}

func TestCommitDirUntracksProfilesCommittedBefore(t *testing.T) {
	dir := dbtProject(t)
	// Another tool committed profiles.yml before databridge took over.
	repo, err := git.PlainInit(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	wt, _ := repo.Worktree()
	if _, err := wt.Add("profiles.yml"); err != nil {
		t.Fatal(err)
	}
	if _, err := wt.Add("dbt_project.yml"); err != nil {
		t.Fatal(err)
	}
	sig := &object.Signature{Name: "old", Email: "old@example.com"}
	if _, err := wt.Commit("old", &git.CommitOptions{Author: sig}); err != nil {
		t.Fatal(err)
	}
	res, err := CommitDir(dir, testAuthor)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Changed || res.Initialized {
		t.Fatalf("%+v", res)
	}
	if contains(commitFiles(t, dir, res.Commit), "profiles.yml") {
		t.Error("profiles.yml is still tracked")
	}
	if _, err := os.Stat(filepath.Join(dir, "profiles.yml")); err != nil {
		t.Errorf("profiles.yml was deleted from disk: %v", err)
	}
}

func TestCommitDirBranches(t *testing.T) {
	dir := dbtProject(t)
	res, err := CommitDir(dir, CommitOptions{Branch: "databridge/generated", AuthorName: "a", AuthorEmail: "a@b"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Branch != "databridge/generated" {
		t.Fatalf("branch = %q", res.Branch)
	}
	if !strings.Contains(res.Message, "Generated-by: databridge dev") {
		t.Errorf("message without version: %q", res.Message)
	}
	// Switching to a new branch with the same files: the branch is created
	// at the current commit and nothing new is committed.
	res2, err := CommitDir(dir, CommitOptions{Branch: "regen", AuthorName: "a", AuthorEmail: "a@b"})
	if err != nil {
		t.Fatal(err)
	}
	if res2.Changed || res2.Branch != "regen" || res2.Commit != res.Commit {
		t.Fatalf("%+v", res2)
	}
	writeFiles(t, dir, map[string]string{"models/new.sql": "select 2\n"})
	res3, err := CommitDir(dir, CommitOptions{AuthorName: "a", AuthorEmail: "a@b"})
	if err != nil {
		t.Fatal(err)
	}
	if !res3.Changed || res3.Branch != "regen" {
		t.Fatalf("%+v", res3)
	}
	repo, _ := git.PlainOpen(dir)
	ref, _ := repo.Reference(plumbing.NewBranchReferenceName("databridge/generated"), true)
	if ref.Hash().String() != res.Commit {
		t.Error("committing on regen moved databridge/generated")
	}

	if _, err := CommitDir(dir, CommitOptions{Branch: "bad..name"}); err == nil {
		t.Error("invalid branch name accepted")
	}
}

func TestCommitDirDefaultAuthorAndEmptyDir(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(home, ".config"))
	t.Setenv("GIT_CONFIG_GLOBAL", filepath.Join(home, ".gitconfig"))

	empty := t.TempDir()
	res, err := CommitDir(empty, CommitOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// Only the written .gitignore: that is a commit of its own.
	if !res.Changed || res.Files != 1 {
		t.Fatalf("%+v", res)
	}
	repo, _ := git.PlainOpen(empty)
	c, _ := repo.CommitObject(plumbing.NewHash(res.Commit))
	if c.Author.Name != "databridge" {
		t.Errorf("author = %v", c.Author)
	}

	if _, err := CommitDir(filepath.Join(empty, "missing"), CommitOptions{}); err == nil {
		t.Error("missing directory accepted")
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// bareRemote makes an empty bare repository, as `git init --bare` would.
func bareRemote(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "remote.git")
	if _, err := git.PlainInit(path, true); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestPushToLocalBareRepository(t *testing.T) {
	dir := dbtProject(t)
	first, err := CommitDir(dir, testAuthor)
	if err != nil {
		t.Fatal(err)
	}
	remote := bareRemote(t)
	ctx := context.Background()

	res, err := Push(ctx, dir, PushOptions{Remote: remote})
	if err != nil {
		t.Fatal(err)
	}
	if res.UpToDate || res.Branch != "main" || res.LocalBranch != "main" || res.Commit != first.Commit || res.Remote != remote {
		t.Fatalf("%+v", res)
	}
	readBack := func(branch string) string {
		t.Helper()
		r, err := git.PlainOpen(remote)
		if err != nil {
			t.Fatal(err)
		}
		ref, err := r.Reference(plumbing.NewBranchReferenceName(branch), true)
		if err != nil {
			t.Fatalf("remote branch %s: %v", branch, err)
		}
		return ref.Hash().String()
	}
	if got := readBack("main"); got != first.Commit {
		t.Fatalf("remote main = %s, want %s", got, first.Commit)
	}
	// The pushed commit is complete: clone it and compare the files.
	clone := t.TempDir()
	if _, err := git.PlainClone(clone, false, &git.CloneOptions{URL: remote, ReferenceName: plumbing.NewBranchReferenceName("main")}); err == nil {
		if b, err := os.ReadFile(filepath.Join(clone, "models/marts/fct_pnl.sql")); err != nil || !strings.Contains(string(b), "stg_gl") {
			t.Errorf("cloned model: %q %v", b, err)
		}
		if _, err := os.Stat(filepath.Join(clone, "profiles.yml")); err == nil {
			t.Error("profiles.yml reached the remote")
		}
	} else {
		t.Fatalf("clone: %v", err)
	}

	// Pushing again: already up to date.
	res, err = Push(ctx, dir, PushOptions{Remote: remote})
	if err != nil {
		t.Fatal(err)
	}
	if !res.UpToDate {
		t.Errorf("second push: %+v", res)
	}

	// To another branch, via a file:// URL.
	res, err = Push(ctx, dir, PushOptions{Remote: "file://" + remote, Branch: "databridge/regen"})
	if err != nil {
		t.Fatal(err)
	}
	if readBack("databridge/regen") != first.Commit || res.Branch != "databridge/regen" {
		t.Errorf("%+v", res)
	}

	// A rewritten local history is refused without Force and accepted with it.
	other := dbtProject(t)
	writeFiles(t, other, map[string]string{"models/other.sql": "select 3\n"})
	otherRes, err := CommitDir(other, testAuthor)
	if err != nil {
		t.Fatal(err)
	}
	_, err = Push(ctx, other, PushOptions{Remote: remote})
	if err == nil || !strings.Contains(err.Error(), "non-fast-forward") {
		t.Fatalf("non-fast-forward push: %v", err)
	}
	if !strings.Contains(err.Error(), "force") {
		t.Errorf("error gives no hint: %v", err)
	}
	if _, err := Push(ctx, other, PushOptions{Remote: remote, Force: true}); err != nil {
		t.Fatal(err)
	}
	if readBack("main") != otherRes.Commit {
		t.Error("forced push did not move main")
	}
}

func TestPushUsesConfiguredRemote(t *testing.T) {
	dir := dbtProject(t)
	if _, err := CommitDir(dir, testAuthor); err != nil {
		t.Fatal(err)
	}
	remote := bareRemote(t)
	ctx := context.Background()
	if _, err := Push(ctx, dir, PushOptions{}); err == nil || !strings.Contains(err.Error(), "--remote") {
		t.Fatalf("no remote: %v", err)
	}
	repo, _ := git.PlainOpen(dir)
	if _, err := repo.CreateRemote(&config.RemoteConfig{Name: "origin", URLs: []string{remote}}); err != nil {
		t.Fatal(err)
	}
	res, err := Push(ctx, dir, PushOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Remote != remote {
		t.Errorf("%+v", res)
	}
}

func TestPushErrors(t *testing.T) {
	ctx := context.Background()
	if _, err := Push(ctx, t.TempDir(), PushOptions{Remote: bareRemote(t)}); err == nil || !strings.Contains(err.Error(), "not a git repository") {
		t.Errorf("not a repo: %v", err)
	}
	empty := t.TempDir()
	if _, err := git.PlainInit(empty, false); err != nil {
		t.Fatal(err)
	}
	if _, err := Push(ctx, empty, PushOptions{Remote: bareRemote(t)}); err == nil || !strings.Contains(err.Error(), "no commits") {
		t.Errorf("no commits: %v", err)
	}
	dir := dbtProject(t)
	if _, err := CommitDir(dir, testAuthor); err != nil {
		t.Fatal(err)
	}
	if _, err := Push(ctx, dir, PushOptions{Remote: filepath.Join(t.TempDir(), "nope.git")}); err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("missing remote: %v", err)
	}
	// A non-bare repository with main checked out is not overwritten.
	nonBare := dbtProject(t)
	if _, err := CommitDir(nonBare, testAuthor); err != nil {
		t.Fatal(err)
	}
	if _, err := Push(ctx, dir, PushOptions{Remote: nonBare}); err == nil || !strings.Contains(err.Error(), "checked out") {
		t.Errorf("checked-out branch: %v", err)
	}
	// ...but another branch of it can be updated.
	if _, err := Push(ctx, dir, PushOptions{Remote: nonBare, Branch: "incoming"}); err != nil {
		t.Errorf("push to a non-bare repository's other branch: %v", err)
	}
	// A token env var that is not set: a clear error naming the variable.
	_, err := Push(ctx, dir, PushOptions{Remote: "https://example.invalid/org/repo.git", TokenEnv: "DATABRIDGE_TEST_UNSET_TOKEN"})
	if err == nil || !strings.Contains(err.Error(), "DATABRIDGE_TEST_UNSET_TOKEN is not set") {
		t.Errorf("unset token: %v", err)
	}
}

func TestPushAuth(t *testing.T) {
	const secret = "ghp_s3cretT0kenValue"
	t.Setenv("DATABRIDGE_TEST_TOKEN", secret)

	auth, red, err := pushAuth("https://github.com/acme/finance-dbt.git", "DATABRIDGE_TEST_TOKEN")
	if err != nil {
		t.Fatal(err)
	}
	basic, ok := auth.(*githttp.BasicAuth)
	if !ok || basic.Username != "x-access-token" || basic.Password != secret {
		t.Fatalf("auth = %#v", auth)
	}
	if strings.Contains(basic.String(), secret) {
		t.Error("auth String() shows the token")
	}
	if got := red.String("push failed: token " + secret + " rejected"); strings.Contains(got, secret) {
		t.Errorf("redactor left the token: %s", got)
	}

	// Local and ssh remotes take no token, even when one is named.
	for _, u := range []string{"/srv/git/x.git", "file:///srv/git/x.git", "git@github.com:acme/x.git", "ssh://git@github.com/acme/x.git"} {
		auth, _, err := pushAuth(u, "DATABRIDGE_TEST_TOKEN")
		if err != nil || auth != nil {
			t.Errorf("%s: auth %v, err %v", u, auth, err)
		}
	}
	// A password written into the URL is masked too.
	_, red, err = pushAuth("https://bob:pa55word@git.example.com/x.git", "")
	if err != nil {
		t.Fatal(err)
	}
	if got := red.String("https://bob:pa55word@git.example.com/x.git said pa55word"); strings.Contains(got, "pa55word") {
		t.Errorf("redacted = %s", got)
	}
}

func TestPushErrorsNeverShowTheToken(t *testing.T) {
	const secret = "ghp_an0therS3cretValue"
	t.Setenv("DATABRIDGE_TEST_TOKEN", secret)
	dir := dbtProject(t)
	if _, err := CommitDir(dir, testAuthor); err != nil {
		t.Fatal(err)
	}
	// An http remote that is refused at once (nothing listens on port 1), with
	// the token also written into the URL the way people paste them.
	remote := "http://x-access-token:" + secret + "@127.0.0.1:1/acme/finance.git"
	_, err := Push(context.Background(), dir, PushOptions{Remote: remote, TokenEnv: "DATABRIDGE_TEST_TOKEN"})
	if err == nil {
		t.Fatal("push to a closed port succeeded")
	}
	if strings.Contains(err.Error(), secret) {
		t.Fatalf("error shows the token: %v", err)
	}
	if !strings.Contains(err.Error(), "127.0.0.1:1") {
		t.Errorf("error does not say where: %v", err)
	}
}

func TestPushSendsTokenAsBasicAuth(t *testing.T) {
	const secret = "ghp_basicAuthT0kenValue"
	t.Setenv("DATABRIDGE_TEST_TOKEN", secret)
	var gotUser, gotPass, gotPath string
	var sawAuth bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotPath = r.URL.Path + "?" + r.URL.RawQuery
		gotUser, gotPass, sawAuth = r.BasicAuth()
		// Refuse, as a server does for a token without push access.
		w.Header().Set("WWW-Authenticate", `Basic realm="git"`)
		w.WriteHeader(http.StatusForbidden)
	}))
	defer srv.Close()

	dir := dbtProject(t)
	if _, err := CommitDir(dir, testAuthor); err != nil {
		t.Fatal(err)
	}
	_, err := Push(context.Background(), dir, PushOptions{Remote: srv.URL + "/acme/finance.git", TokenEnv: "DATABRIDGE_TEST_TOKEN"})
	if err == nil {
		t.Fatal("refused push succeeded")
	}
	if !sawAuth || gotUser != TokenUser || gotPass != secret {
		t.Errorf("basic auth = %v %q %q", sawAuth, gotUser, gotPass)
	}
	if gotPath != "/acme/finance.git/info/refs?service=git-receive-pack" {
		t.Errorf("request = %s", gotPath)
	}
	if strings.Contains(err.Error(), secret) || !strings.Contains(err.Error(), "$DATABRIDGE_TEST_TOKEN") {
		t.Errorf("err = %v", err)
	}
}

func TestPushErrorUnwraps(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusUnauthorized) }))
	defer srv.Close()
	dir := dbtProject(t)
	if _, err := CommitDir(dir, testAuthor); err != nil {
		t.Fatal(err)
	}
	_, err := Push(context.Background(), dir, PushOptions{Remote: srv.URL + "/a/b.git"})
	if !errors.Is(err, transport.ErrAuthenticationRequired) {
		t.Fatalf("err = %v", err)
	}
	if strings.Contains(err.Error(), ":  (") || !strings.Contains(err.Error(), "put a token in an environment variable") {
		t.Errorf("err = %v", err)
	}
}
