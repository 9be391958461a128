// Package analytics is databridge's analytics service over the deployed
// warehouse: it keeps the semantic layer (generated from the approved
// model, the deployed design and the bound hierarchies; edited by people
// under .databridge/semantic/), browses it, runs structured queries
// through pkg/query, and answers plain-English questions through
// pkg/nlq. The CLI (`databridge analytics …`, `databridge query`) and the
// MCP analytics toolset are thin faces over this one service.
package analytics

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/databridge/databridge/pkg/connections"
	"github.com/databridge/databridge/pkg/connector"
	"github.com/databridge/databridge/pkg/project"
	"github.com/databridge/databridge/pkg/semlayer"
	"github.com/databridge/databridge/pkg/warehouse"
)

// Files under .databridge/.
const (
	// LayerFile is the semantic layer people read and edit.
	LayerFile = "semantic/layer.yaml"
	// GeneratedFile is the last generated layer, the base of the
	// three-way merge that keeps people's edits.
	GeneratedFile = "state/semantic/generated.yaml"
	// GlossaryFile holds business synonyms for the question parser.
	GlossaryFile = "semantic/glossary.yaml"
)

// Service is the analytics service of a project.
type Service struct {
	Project *project.Project
	// Target is the connection the warehouse is read through ("" = the
	// project's default target).
	Target string
	// Now is the clock (tests fix it).
	Now func() time.Time

	vocab *vocabCache
}

// New returns the analytics service of a project.
func New(p *project.Project) *Service {
	return &Service{Project: p, Now: time.Now}
}

func (s *Service) path(rel string) string {
	return s.Project.Path(filepath.FromSlash(rel))
}

// ErrNoLayer says the layer has not been generated yet.
var ErrNoLayer = errors.New("no semantic layer yet: deploy the warehouse (`databridge deploy`) or run `databridge analytics refresh`")

// Layer reads the project's semantic layer.
func (s *Service) Layer() (*semlayer.Layer, error) {
	data, err := os.ReadFile(s.path(LayerFile))
	if errors.Is(err, os.ErrNotExist) {
		return nil, ErrNoLayer
	}
	if err != nil {
		return nil, err
	}
	l, err := semlayer.Parse(data)
	if err != nil {
		return nil, fmt.Errorf(".databridge/%s: %w", LayerFile, err)
	}
	return l, nil
}

// RefreshResult says what a refresh generated and kept.
type RefreshResult struct {
	Path           string             `json:"path"`
	Dialect        string             `json:"dialect"`
	Models         int                `json:"semantic_models"`
	Metrics        int                `json:"metrics"`
	Dimensions     int                `json:"dimensions"`
	Calendar       semlayer.Calendar  `json:"calendar"`
	CalendarSource string             `json:"calendar_source"`
	Currency       *semlayer.Currency `json:"currency,omitempty"`
	// Kept are the people's edits carried into the new layer.
	Kept []string `json:"kept,omitempty"`
	// Dropped are edited objects the warehouse no longer has.
	Dropped []string `json:"dropped,omitempty"`
	Members int      `json:"members"`
	// Scenarios are the budgets and forecasts reloaded into the warehouse.
	Scenarios []string `json:"scenarios,omitempty"`
	Notes     []string `json:"notes,omitempty"`
}

// Refresh regenerates the semantic layer from the approved model, the
// deployed design and the bound hierarchies, with the fiscal calendar read
// from the warehouse's periods table, merges people's edits of the
// previous layer into it (three-way, by each object's origin), writes it,
// and reloads the question parser's vocabulary (member values). The
// deploy calls it after it commits; so do `databridge analytics refresh`
// and the MCP server's event handlers.
//
// The project's scenarios (budgets, saved forecasts) are then reloaded
// into the warehouse from .databridge/scenarios/, so a redeploy or a
// rollback never loses them.
func (s *Service) Refresh(ctx context.Context) (*RefreshResult, error) {
	res, err := s.refresh(ctx)
	if err != nil {
		return nil, err
	}
	// After refresh's read-only session is closed: an embedded engine
	// takes one writer at a time.
	loaded, err := s.LoadScenarios(ctx)
	switch {
	case err != nil:
		res.Notes = append(res.Notes, "scenarios not reloaded into the warehouse: "+err.Error())
	case len(loaded) > 0:
		res.Scenarios = loaded
	}
	return res, nil
}

func (s *Service) refresh(ctx context.Context) (*RefreshResult, error) {
	ws := warehouse.NewService(s.Project)
	in, err := ws.Inputs(ctx, warehouse.DesignInput{Dialect: s.dialect()})
	if err != nil {
		return nil, err
	}
	design, err := warehouse.Build(*in)
	if err != nil {
		return nil, err
	}
	// The calendar is inferred from the generated layer's models and only
	// stated on the layer (nothing else in it depends on it).
	fresh, err := semlayer.Generate(semlayer.GenerateInput{
		Dialect: in.Dialect, Model: in.Model, Objects: design.Objects,
		Bindings: in.Config.Bindings, Hierarchies: in.Hierarchies,
		Calendar: semlayer.Calendar{StartMonth: 1}, CalendarSource: "calendar year (no periods table with fiscal years found)",
	})
	if err != nil {
		return nil, err
	}
	conn, err := s.connect(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	res := &RefreshResult{Dialect: in.Dialect}
	if cal, src, ok, err := s.inferCalendar(ctx, conn, fresh); err != nil {
		res.Notes = append(res.Notes, "fiscal calendar: "+err.Error())
	} else if ok {
		fresh.Calendar, fresh.CalendarSource = cal, src
	}
	// Three-way merge: the previous generation is the base, the file on
	// disk is theirs (people's edits), the new generation is ours.
	merged := fresh
	if cur, err := os.ReadFile(s.path(LayerFile)); err == nil {
		theirs, perr := semlayer.Parse(cur)
		if perr != nil {
			return nil, fmt.Errorf(".databridge/%s: %w (fix it, or move it away to regenerate from scratch)", LayerFile, perr)
		}
		var base *semlayer.Layer
		if b, err := os.ReadFile(s.path(GeneratedFile)); err == nil {
			if base, err = semlayer.Parse(b); err != nil {
				base = nil
			}
		}
		var mr semlayer.MergeReport
		merged, mr = semlayer.Merge(base, theirs, fresh)
		res.Kept, res.Dropped = mr.Kept, mr.Dropped
		if errs := merged.Check(); len(errs) > 0 {
			return nil, fmt.Errorf("merging your edits of .databridge/%s into the regenerated layer leaves it inconsistent: %s", LayerFile, strings.Join(errs, "; "))
		}
	}
	if err := writeYAML(s.path(GeneratedFile), fresh, "# Generated by databridge: the base of the merge that keeps your edits of ../../semantic/layer.yaml. Do not edit.\n"); err != nil {
		return nil, err
	}
	if err := writeYAML(s.path(LayerFile), merged, layerHeader); err != nil {
		return nil, err
	}
	members, err := s.loadMembers(ctx, conn, merged)
	if err != nil {
		res.Notes = append(res.Notes, "member values: "+err.Error())
	}
	s.vocab = &vocabCache{layer: merged, members: members}
	res.Members = members.count()
	res.Path = s.path(LayerFile)
	res.Models, res.Metrics = len(merged.Models), len(merged.Metrics)
	res.Dimensions = len(merged.Dimensions())
	res.Calendar, res.CalendarSource, res.Currency = merged.Calendar, merged.CalendarSource, merged.Currency
	return res, nil
}

const layerHeader = `# databridge semantic layer: what every number of the deployed warehouse means.
# Generated after each deploy and by ` + "`databridge analytics refresh`" + `; edit freely —
# names, labels, synonyms, descriptions, hidden flags and added metrics survive
# regeneration (a three-way merge by each object's origin).
`

func writeYAML(path string, v any, header string) error {
	data, err := yaml.Marshal(v)
	if err != nil {
		return err
	}
	return writeFile(path, append([]byte(header), data...))
}

// writeFile replaces a file atomically.
func writeFile(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// dialect is the warehouse engine's dialect ("" = the project's default).
func (s *Service) dialect() string {
	name := s.Target
	if name == "" {
		name = s.Project.Config.DefaultTarget
	}
	if c, ok := s.Project.Config.Connections[name]; ok {
		if e, ok := connector.Lookup(c.Type); ok {
			return e.Dialect
		}
	}
	return ""
}

// connect opens a read-only session on the warehouse.
func (s *Service) connect(ctx context.Context) (connector.Connector, error) {
	return connections.New(s.Project).Connect(ctx, s.Target, true)
}
