// Package reconcile is databridge's reconciliation service: it proves that
// two datasets agree — row by row on a key, total by total per group, name
// by name across systems — inside the engines where they live, on the same
// engine or across two, and records every run under
// .databridge/state/reconciliations/. The CLI (`databridge reconcile …`)
// and the MCP reconcile toolset are thin faces over this one service.
package reconcile

import (
	"time"

	"github.com/databridge/databridge/pkg/connections"
	"github.com/databridge/databridge/pkg/project"
)

// Service is the reconciliation service of a project.
type Service struct {
	Project     *project.Project
	Connections *connections.Service
	// Now is the clock (tests fix it).
	Now func() time.Time
	// Progress, when set, is told as Rows and Totals move through their
	// stages: done of total, and what comes next.
	Progress func(done, total int, stage string)
}

// progress reports a stage to Progress when it is set.
func (s *Service) progress(done, total int, stage string) {
	if s.Progress != nil {
		s.Progress(done, total, stage)
	}
}

// New returns the reconciliation service of a project.
func New(p *project.Project, conns *connections.Service) *Service {
	return &Service{Project: p, Connections: conns, Now: time.Now}
}
