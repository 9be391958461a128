// Package app assembles a project's services once, for both faces of
// databridge: the CLI factory (cmd/cmdutil) and the MCP server's tool
// environment (pkg/mcpserver) open a project with Open and call the
// services it hands out, so both see the same project-level settings
// (DATABRIDGE_DEFAULT_TARGET) and the same inputs are accepted by both.
package app

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/databridge/databridge/pkg/advanced"
	"github.com/databridge/databridge/pkg/analytics"
	"github.com/databridge/databridge/pkg/connections"
	"github.com/databridge/databridge/pkg/deploy"
	"github.com/databridge/databridge/pkg/fpa"
	"github.com/databridge/databridge/pkg/hierarchy"
	"github.com/databridge/databridge/pkg/insights"
	"github.com/databridge/databridge/pkg/model"
	"github.com/databridge/databridge/pkg/project"
	"github.com/databridge/databridge/pkg/reconcile"
	"github.com/databridge/databridge/pkg/semantic"
	"github.com/databridge/databridge/pkg/warehouse"
	"github.com/databridge/databridge/pkg/workflow"
)

// EnvDefaultTarget names the environment variable that overrides the
// project's default target for one process (it is not written back).
const EnvDefaultTarget = "DATABRIDGE_DEFAULT_TARGET"

// Settings are the project-level settings that come from outside the
// project's files: the environment, or the CLI's global flags.
type Settings struct {
	// DefaultTarget overrides config.yaml's default_target; it must name a
	// configured connection.
	DefaultTarget string
	// Version is databridge's version, recorded by services that write it
	// (generated scripts, commit trailers). Empty means "dev".
	Version string
}

// SettingsFromEnv reads the settings from the process environment.
func SettingsFromEnv() Settings {
	return Settings{DefaultTarget: strings.TrimSpace(os.Getenv(EnvDefaultTarget))}
}

// Services are a project's services, assembled once per command (CLI) or
// per tool call (MCP, so a connection the CLI adds while the server runs
// is seen by the next call).
type Services struct {
	Project  *project.Project
	Settings Settings

	Connections *connections.Service
	Hierarchies *hierarchy.Service
	Semantic    *semantic.Service
	Warehouse   *warehouse.Service
	Deploy      *deploy.Service
	Workflow    *workflow.Service
	Advanced    *advanced.Service
	Analytics   *analytics.Service
	Reconcile   *reconcile.Service
	Insights    *insights.Service
	// Close is the monthly close (pkg/fpa); it guards deploys of the
	// default target against changing a signed-off period.
	Close *fpa.Service
}

// Open reads the project at root and assembles its services.
func Open(root string, s Settings) (*Services, error) {
	p, err := project.Open(root)
	if err != nil {
		return nil, err
	}
	return New(p, s)
}

// New assembles the services of an opened project, applying the settings
// to it (the default target is resolved here and nowhere else).
func New(p *project.Project, s Settings) (*Services, error) {
	if t := strings.TrimSpace(s.DefaultTarget); t != "" {
		if _, ok := p.Config.Connections[t]; !ok {
			return nil, fmt.Errorf("%s=%q is not a configured connection (known: %s)", EnvDefaultTarget, t, strings.Join(p.Config.ConnectionNames(), ", "))
		}
		p.Config.DefaultTarget = t
	}
	if s.Version == "" {
		s.Version = "dev"
	}
	conns := connections.New(p)
	dep := &deploy.Service{Project: p, Connections: conns, Ledger: deploy.NewLedger(p)}
	wf := workflow.NewService(p)
	wf.Deploys = dep
	wf.Version = "databridge " + s.Version
	an := analytics.New(p)
	hs := hierarchy.NewService(p)
	ins := insights.New(an, hs)
	rec := reconcile.New(p, conns)
	cl := fpa.New(p, an, hs, ins, dep, rec, conns)
	dep.Guard = cl.DeployGuard
	return &Services{
		Project:     p,
		Settings:    s,
		Connections: conns,
		Hierarchies: hs,
		Semantic:    semantic.NewService(p),
		Warehouse:   warehouse.NewService(p),
		Deploy:      dep,
		Workflow:    wf,
		Advanced:    advanced.NewService(p, s.Version),
		Analytics:   an,
		Insights:    ins,
		Reconcile:   rec,
		Close:       cl,
	}, nil
}

// ApproveModel approves a canonical model and makes it the warehouse
// design's (workflow.ApproveModel): `databridge model approve` and the
// approve_canonical_model tool.
func (s *Services) ApproveModel(ctx context.Context, name string) (*model.Model, error) {
	return workflow.ApproveModel(ctx, s.Project, name)
}
