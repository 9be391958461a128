package auth

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/databridge/databridge/pkg/project"
)

func newRoot(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, project.DirName), 0o755); err != nil {
		t.Fatal(err)
	}
	return root
}

func TestKeyLifecycle(t *testing.T) {
	root := newRoot(t)
	server := OpenKeys(root) // a running server's store
	cli := OpenKeys(root)    // the CLI's, another process in real life
	k, err := cli.Create("bot", RoleAnalyst, 0)
	if err != nil {
		t.Fatal(err)
	}
	if !keyPattern.MatchString(k.Key) || len(k.Key) != len("dbk_")+12+1+43 {
		t.Fatalf("key shape %q", k.Key)
	}
	got, err := server.Verify(k.Key)
	if err != nil || got.Name != "bot" || got.Role != RoleAnalyst {
		t.Fatalf("Verify = %+v, %v", got, err)
	}
	b, _ := os.ReadFile(KeysPath(root))
	if strings.Contains(string(b), k.Key) || strings.Contains(string(b), k.Key[17:]) {
		t.Fatal("the key is stored")
	}
	if fi, _ := os.Stat(KeysPath(root)); fi.Mode().Perm() != 0o600 {
		t.Errorf("keys.json mode %v", fi.Mode().Perm())
	}
	// One changed character of the secret, or of the id, is unknown.
	for _, bad := range []string{k.Key[:len(k.Key)-1] + "x", "dbk_ffffffffffff" + k.Key[16:], k.Key + "x", "", "Bearer"} {
		if _, err := server.Verify(bad); !errors.Is(err, ErrUnknownKey) {
			t.Errorf("Verify(altered) = %v", err)
		}
	}
	// Revoked by the CLI: the running store refuses it at once.
	time.Sleep(10 * time.Millisecond) // a distinct modification time
	if _, err := cli.Revoke("bot"); err != nil {
		t.Fatal(err)
	}
	if _, err := server.Verify(k.Key); !errors.Is(err, ErrKeyRevoked) {
		t.Errorf("after revoke: %v", err)
	}
	// The name is free again; an expiring key expires.
	k2, err := cli.Create("bot", RoleViewer, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	server.now = func() time.Time { return time.Now().Add(2 * time.Hour) }
	if _, err := server.Verify(k2.Key); !errors.Is(err, ErrKeyExpired) {
		t.Errorf("expired: %v", err)
	}
	list, _ := cli.List()
	if len(list) != 2 {
		t.Fatalf("list = %+v", list)
	}
	js, _ := json.Marshal(list)
	if strings.Contains(string(js), "sha256") || strings.Contains(string(js), "dbk_") {
		t.Errorf("list shows secrets: %s", js)
	}
}

func TestParseTTL(t *testing.T) {
	for in, want := range map[string]time.Duration{"90d": 90 * 24 * time.Hour, "12h": 12 * time.Hour, "never": 0, "": 0} {
		if got, err := ParseTTL(in); err != nil || got != want {
			t.Errorf("ParseTTL(%q) = %v, %v", in, got, err)
		}
	}
	for _, in := range []string{"soon", "-1d", "0d", "-5h"} {
		if _, err := ParseTTL(in); err == nil {
			t.Errorf("ParseTTL(%q) accepted", in)
		}
	}
}

func TestRolesAreCumulativeAndOverridable(t *testing.T) {
	roles := DefaultRoles()
	order := []string{RoleViewer, RoleAnalyst, RoleEngineer, RoleDeployer, RoleAdmin}
	for i := 1; i < len(order); i++ {
		for _, r := range Resources {
			for _, a := range Actions {
				p := Permission{r, a}
				if roles[order[i-1]].Allows(p) && !roles[order[i]].Allows(p) {
					t.Errorf("%s may %s but %s may not", order[i-1], p, order[i])
				}
			}
		}
	}
	if roles[RoleAnalyst].Allows(Permission{Hierarchy, Write}) || !roles[RoleEngineer].Allows(Permission{Hierarchy, Write}) ||
		roles[RoleEngineer].Allows(Permission{Deployment, Deploy}) || !roles[RoleDeployer].Allows(Permission{Deployment, Deploy}) {
		t.Error("default role boundaries moved")
	}
	root := newRoot(t)
	yaml := "stdio_role: analyst\nroles:\n  viewer:\n    allow:\n      project: [read]\n"
	if err := os.WriteFile(filepath.Join(root, project.DirName, ConfigFile), []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	pol, err := LoadPolicy(root)
	if err != nil {
		t.Fatal(err)
	}
	if pol.StdioRole != RoleAnalyst || pol.Roles[RoleViewer].Allows(Permission{Hierarchy, Read}) || !pol.Roles[RoleViewer].Allows(Permission{Project, Read}) {
		t.Errorf("override not applied: %+v", pol)
	}
	for _, bad := range []string{"stdio_role: wizard\n", "roles:\n  x:\n    allow:\n      money: [read]\n", "oidc:\n  issuer: x\n", "nonsense: 1\n"} {
		os.WriteFile(filepath.Join(root, project.DirName, ConfigFile), []byte(bad), 0o644)
		if _, err := LoadPolicy(root); err == nil {
			t.Errorf("accepted %q", bad)
		}
	}
}

func TestToolPermissions(t *testing.T) {
	cases := []struct {
		set, tool string
		ro        bool
		want      Permission
	}{
		{"connections", "list_tables", true, Permission{Project, Read}},
		{"connections", "run_query", true, Permission{Query, Read}},
		{"hierarchy", "create_hierarchy", false, Permission{Hierarchy, Write}},
		{"hierarchy", "remove_hierarchy_node", false, Permission{Hierarchy, Delete}},
		{"deploy", "deploy_warehouse", false, Permission{Deployment, Deploy}},
		{"deploy", "rollback_deployment", false, Permission{Deployment, Deploy}},
		{"reconcile", "compare_tables", true, Permission{Query, Read}},
		{"brand-new", "do_things", false, Permission{Project, Delete}},
		{"brand-new", "see_things", true, Permission{Project, Read}},
	}
	for _, c := range cases {
		if got := ToolPermission(c.set, c.tool, c.ro); got != c.want {
			t.Errorf("%s/%s = %v, want %v", c.set, c.tool, got, c.want)
		}
	}
}

func TestAuthenticatorNeverQuotesTheToken(t *testing.T) {
	root := newRoot(t)
	a := &Authenticator{Keys: OpenKeys(root), Policy: &Policy{Roles: DefaultRoles()}}
	tok := "dbk_0123456789ab_secretsecretsecretsecretsecret"
	_, _, err := a.Verify(context.Background(), tok)
	if !errors.Is(err, ErrInvalidToken) || strings.Contains(err.Error(), "secretsecret") {
		t.Errorf("err = %v", err)
	}
	if got := RedactKeys("key " + tok + " used"); strings.Contains(got, "secretsecret") {
		t.Errorf("RedactKeys = %q", got)
	}
}
