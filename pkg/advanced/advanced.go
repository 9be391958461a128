// Package advanced is Advanced Mode: the project's warehouse as a dbt
// project in git. It is the one service behind `databridge generate dbt`,
// `databridge publish`, `databridge deploy --mode advanced` and the MCP
// tools that do the same: it gathers the design inputs from the project
// (pkg/warehouse), generates the dbt project (pkg/dbt), commits and pushes
// it (pkg/gitops), opens pull requests on GitHub and runs dbt, locally or
// through dbt Cloud.
package advanced

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/databridge/databridge/pkg/dbt"
	"github.com/databridge/databridge/pkg/gitops"
	"github.com/databridge/databridge/pkg/project"
	"github.com/databridge/databridge/pkg/warehouse"
)

// DefaultDir is where a project's dbt project is written, relative to
// the project root.
const DefaultDir = "generated/dbt"

// Service is Advanced Mode for one project.
type Service struct {
	Project   *project.Project
	Warehouse *warehouse.Service
	// Version is databridge's version, recorded in commit trailers.
	Version string
}

// NewService returns the Advanced Mode service of a project.
func NewService(p *project.Project, version string) *Service {
	return &Service{Project: p, Warehouse: warehouse.NewService(p), Version: version}
}

// GenerateInput asks for the dbt project.
type GenerateInput struct {
	Adapter string `json:"adapter,omitempty" jsonschema:"dbt adapter / target engine: duckdb, postgres, snowflake, bigquery, databricks, sqlserver or mysql (default: the project's default target)."`
	Name    string `json:"name,omitempty" jsonschema:"dbt project (and profile) name (default databridge_warehouse)."`
	Out     string `json:"out,omitempty" jsonschema:"Output folder, relative to the project (default generated/dbt)."`
	DryRun  bool   `json:"dry_run,omitempty" jsonschema:"Generate without writing: list the files and the models."`
	Git     bool   `json:"git,omitempty" jsonschema:"Commit the generated project to the git repository in the output folder (created when missing)."`
	Message string `json:"message,omitempty" jsonschema:"Commit message (with git)."`
	Branch  string `json:"branch,omitempty" jsonschema:"Branch to commit on (with git; default main or the current branch)."`
}

// GenerateResult says what was generated and where.
type GenerateResult struct {
	Dir     string   `json:"dir"`
	Name    string   `json:"name"`
	Adapter string   `json:"adapter"`
	Models  []string `json:"models"`
	Seeds   []string `json:"seeds"`
	Tests   []string `json:"tests"`
	Files   []string `json:"files"`
	// Changed lists the files whose content changed on disk.
	Changed []string `json:"changed"`
	// Removed lists files an earlier generation wrote that this one no
	// longer does (a hierarchy unbound, a table dropped from the model);
	// files the user added are never removed.
	Removed []string `json:"removed"`
	Written bool     `json:"written"`
	// Commit is the git commit (with git).
	Commit *gitops.CommitResult `json:"commit,omitempty"`
}

// Generate designs the project's warehouse, renders it as a dbt project
// and writes it (and commits it, with Git).
func (s *Service) Generate(ctx context.Context, in GenerateInput) (*GenerateResult, *dbt.Project, error) {
	in.Adapter = strings.ToLower(strings.TrimSpace(in.Adapter))
	if in.Adapter != "" {
		if _, ok := dbt.Adapters[in.Adapter]; !ok {
			return nil, nil, fmt.Errorf("unknown dbt adapter %q (use one of %s)", in.Adapter, strings.Join(adapterNames(), ", "))
		}
	}
	inp, err := s.Warehouse.Inputs(ctx, warehouse.DesignInput{Dialect: in.Adapter})
	if err != nil {
		return nil, nil, err
	}
	p, err := dbt.Generate(dbt.Input{
		Adapter: dbt.Adapters[inp.Dialect], ProjectName: in.Name, Config: inp.Config,
		Model: inp.Model, Sources: inp.Sources, Hierarchies: inp.Hierarchies,
	})
	if err != nil {
		return nil, nil, err
	}
	dir := s.dir(in.Out)
	res := &GenerateResult{Dir: dir, Name: p.Name, Adapter: p.Adapter, Models: p.Models, Seeds: p.Seeds, Tests: p.Tests,
		Files: p.Paths(), Changed: []string{}, Removed: []string{}}
	if in.DryRun {
		if in.Git {
			return nil, nil, fmt.Errorf("dry_run and git cannot be combined: a dry run writes nothing to commit")
		}
		return res, p, nil
	}
	changed, err := p.Write(dir)
	if changed != nil {
		res.Changed = changed
	}
	if err != nil {
		return nil, nil, fmt.Errorf("writing the dbt project to %s: %w", dir, err)
	}
	removed, err := prune(dir, res.Files)
	res.Removed = append(res.Removed, removed...)
	if err != nil {
		return nil, nil, fmt.Errorf("removing stale generated files from %s: %w", dir, err)
	}
	res.Written = true
	if in.Git {
		msg := in.Message
		if msg == "" {
			msg = fmt.Sprintf("Generate dbt project %s (%s): %d models, %d seeds", p.Name, p.Adapter, len(p.Models), len(p.Seeds))
		}
		c, err := gitops.CommitDir(dir, gitops.CommitOptions{Message: msg, Branch: in.Branch, Version: s.Version})
		if err != nil {
			return nil, nil, fmt.Errorf("the dbt project is written to %s but not committed: %w", dir, err)
		}
		res.Commit = c
	}
	return res, p, nil
}

func (s *Service) dir(out string) string {
	if out == "" {
		out = DefaultDir
	}
	if !filepath.IsAbs(out) {
		out = s.Project.Resolve(out)
	}
	return out
}

func adapterNames() []string {
	out := make([]string, 0, len(dbt.Adapters))
	for k := range dbt.Adapters {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// GeneratedList is the file, in the dbt project folder, that lists what
// the last generation wrote, so the next one can remove what it no longer
// writes without touching files people added.
const GeneratedList = ".databridge-generated"

func prune(dir string, files []string) ([]string, error) {
	listPath := filepath.Join(dir, GeneratedList)
	now := map[string]bool{}
	for _, f := range files {
		now[f] = true
	}
	removed := []string{}
	old, err := os.ReadFile(listPath)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return removed, err
	}
	for _, rel := range strings.Split(string(old), "\n") {
		rel = strings.TrimSpace(rel)
		if rel == "" || strings.HasPrefix(rel, "#") || now[rel] || !filepath.IsLocal(filepath.FromSlash(rel)) {
			continue
		}
		err := os.Remove(filepath.Join(dir, filepath.FromSlash(rel)))
		switch {
		case err == nil:
			removed = append(removed, rel)
		case !errors.Is(err, fs.ErrNotExist):
			return removed, err
		}
	}
	body := "# Files written by `databridge generate dbt`; the next generation removes those it no longer writes.\n" + strings.Join(files, "\n") + "\n"
	if string(old) == body {
		return removed, nil
	}
	return removed, project.WriteFileAtomic(listPath, []byte(body), 0o644)
}
