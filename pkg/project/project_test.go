package project

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/databridge/databridge/pkg/connector"
)

func TestInitCreatesLayoutAndNeverClobbers(t *testing.T) {
	root := t.TempDir()
	res, err := Init(root, "acme-fpa")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{".databridge/", ".databridge/hierarchies/", ".databridge/models/", ".databridge/state/", ".databridge/config.yaml", ".databridge/.gitignore"} {
		if !contains(res.Created, want) {
			t.Errorf("created %v, missing %s", res.Created, want)
		}
	}
	p, err := Open(root)
	if err != nil {
		t.Fatal(err)
	}
	if p.Config.Name != "acme-fpa" || p.Config.SchemaVersion != SchemaVersion || p.Config.DefaultTarget != LocalTarget {
		t.Fatalf("config = %+v", p.Config)
	}
	local := p.Config.Connections[LocalTarget]
	if local.Type != "duckdb" || local.Path != ".databridge/warehouse.duckdb" {
		t.Fatalf("local = %+v", local)
	}
	gi, _ := os.ReadFile(filepath.Join(root, DirName, ".gitignore"))
	for _, w := range []string{"warehouse.duckdb", "state/"} {
		if !strings.Contains(string(gi), w) {
			t.Errorf(".gitignore lacks %s", w)
		}
	}

	// Edit the config, then init again: nothing is overwritten.
	if err := p.Update(context.Background(), func(c *Config) error {
		c.Connections["src"] = connector.Config{Type: "files", Path: "data"}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(p.ConfigPath())
	res2, err := Init(root, "other-name")
	if err != nil {
		t.Fatal(err)
	}
	if len(res2.Created) != 0 {
		t.Fatalf("second init created %v", res2.Created)
	}
	if res2.Name != "acme-fpa" {
		t.Fatalf("second init reports name %q", res2.Name)
	}
	after, _ := os.ReadFile(p.ConfigPath())
	if string(before) != string(after) {
		t.Fatal("init clobbered config.yaml")
	}
}

func TestInitRefusesBrokenConfig(t *testing.T) {
	root := t.TempDir()
	os.MkdirAll(filepath.Join(root, DirName), 0o755)
	bad := "name: x\nschema_version: 1\nconnections:\n  local:\n    type: duckdb\n   path: [\n"
	os.WriteFile(filepath.Join(root, DirName, ConfigFile), []byte(bad), 0o644)
	if _, err := Init(root, ""); err == nil {
		t.Fatal("init over a malformed config succeeded")
	}
	got, _ := os.ReadFile(filepath.Join(root, DirName, ConfigFile))
	if string(got) != bad {
		t.Fatal("malformed config was modified")
	}
}

func TestFindWalksUp(t *testing.T) {
	root := t.TempDir()
	if _, err := Init(root, "p"); err != nil {
		t.Fatal(err)
	}
	deep := filepath.Join(root, "a", "b", "c")
	os.MkdirAll(deep, 0o755)
	got, err := Find(deep)
	if err != nil {
		t.Fatal(err)
	}
	if got != root {
		t.Fatalf("Find = %s, want %s", got, root)
	}
	if _, err := Find(t.TempDir()); err == nil {
		t.Fatal("Find outside a project succeeded")
	}
}

func TestParseConfigErrorsHaveFileAndLine(t *testing.T) {
	cases := []struct {
		name, yaml, want string
	}{
		{"syntax", "name: p\nschema_version: 1\nconnections:\n\ta: 1\n", "config.yaml:4"},
		{"unknown field", "name: p\nschema_version: 1\nconnections:\n  a:\n    type: duckdb\n    colour: red\n", "config.yaml:6: field colour not found"},
		{"literal secret", "name: p\nschema_version: 1\nconnections:\n  ok:\n    type: duckdb\n  pg:\n    type: postgres\n    password: hunter2\n", "config.yaml:6: connection \"pg\": password must be an ${ENV} reference"},
		{"wrong type", "name: p\nschema_version: one\n", "config.yaml:2: schema_version must be a whole number"},
		{"newer", "name: p\nschema_version: 99\n", "newer databridge"},
		{"default target", "name: p\nschema_version: 1\ndefault_target: nope\nconnections: {}\n", "default_target \"nope\""},
		{"empty", "", "file is empty"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseConfig("config.yaml", []byte(c.yaml))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want it to contain %q", err, c.want)
			}
			if strings.Contains(err.Error(), "hunter2") {
				t.Fatalf("error leaks the secret: %v", err)
			}
		})
	}
}

func TestMigrateVersionZero(t *testing.T) {
	cfg, err := ParseConfig("c.yaml", []byte("name: old\nconnections:\n  local:\n    type: duckdb\n    path: w.duckdb\n"))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.SchemaVersion != SchemaVersion || cfg.Connections["local"].Path != "w.duckdb" {
		t.Fatalf("migrated = %+v", cfg)
	}
}

func TestUpdateFailureLeavesFileAsItWas(t *testing.T) {
	root := t.TempDir()
	Init(root, "p")
	p, _ := Open(root)
	before, _ := os.ReadFile(p.ConfigPath())
	err := p.Update(context.Background(), func(c *Config) error {
		c.Connections["bad"] = connector.Config{Type: "postgres", Password: "literal"}
		return nil
	})
	if err == nil {
		t.Fatal("update with a literal secret succeeded")
	}
	after, _ := os.ReadFile(p.ConfigPath())
	if string(before) != string(after) {
		t.Fatal("failed update changed config.yaml")
	}
	entries, _ := os.ReadDir(p.Dir)
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp-") {
			t.Fatalf("temp file left behind: %s", e.Name())
		}
	}
}

// addConns adds n connections named prefix-i, each in its own Update.
func addConns(root, prefix string, n int) error {
	for i := 0; i < n; i++ {
		p, err := Open(root)
		if err != nil {
			return err
		}
		name := fmt.Sprintf("%s-%d", prefix, i)
		if err := p.Update(context.Background(), func(c *Config) error {
			c.Connections[name] = connector.Config{Type: "duckdb", Path: name + ".duckdb"}
			return nil
		}); err != nil {
			return err
		}
	}
	return nil
}

func TestConcurrentWritersLoseNothingGoroutines(t *testing.T) {
	root := t.TempDir()
	Init(root, "p")
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			errs <- addConns(root, fmt.Sprintf("g%d", g), 15)
		}(g)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	p, err := Open(root)
	if err != nil {
		t.Fatal(err)
	}
	if got := len(p.Config.Connections); got != 1+4*15 {
		t.Fatalf("connections = %d, want %d (updates were lost)", got, 1+4*15)
	}
}

const helperEnv = "DATABRIDGE_PROJECT_TEST_HELPER"

func TestMain(m *testing.M) {
	if spec := os.Getenv(helperEnv); spec != "" {
		parts := strings.SplitN(spec, "|", 2)
		if err := addConns(parts[0], parts[1], 20); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func TestConcurrentWritersLoseNothingProcesses(t *testing.T) {
	root := t.TempDir()
	Init(root, "p")
	var cmds []*exec.Cmd
	for i := 0; i < 3; i++ {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), fmt.Sprintf("%s=%s|proc%d", helperEnv, root, i))
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds = append(cmds, cmd)
	}
	for _, c := range cmds {
		if err := c.Wait(); err != nil {
			t.Fatal(err)
		}
	}
	p, err := Open(root)
	if err != nil {
		t.Fatal(err)
	}
	if got := len(p.Config.Connections); got != 1+3*20 {
		t.Fatalf("connections = %d, want %d (updates were lost)", got, 1+3*20)
	}
}

func TestWriteFileAtomicReplaces(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "f.yaml")
	if err := WriteFileAtomic(path, []byte("one"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := WriteFileAtomic(path, []byte("two"), 0o644); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(path)
	if string(got) != "two" {
		t.Fatalf("got %q", got)
	}
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}
