package hierarchy

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/databridge/databridge/pkg/project"
)

// Service is the hierarchy API behind `databridge hierarchy ...` and the
// MCP "hierarchy" toolset. Every method takes typed input and returns the
// struct both faces render.
type Service struct {
	Project *project.Project
	Store   *Store
}

// NewService returns the service of a project.
func NewService(p *project.Project) *Service {
	return &Service{Project: p, Store: NewStore(p)}
}

// Result reports the hierarchy version a change produced.
type Result struct {
	ID      string `json:"id"`
	Version int    `json:"version"`
	Status  Status `json:"status"`
	// Message says what changed, in words.
	Message string `json:"message"`
	// Node is the node concerned, after the change (if any).
	Node *Node `json:"node,omitempty"`
}

func result(h *Hierarchy, msg string, node string) *Result {
	r := &Result{ID: h.ID, Version: h.Version, Status: h.Status, Message: msg}
	if node != "" {
		r.Node = h.Node(node)
	}
	return r
}

// CreateInput creates an empty hierarchy.
type CreateInput struct {
	ID            string   `json:"id,omitempty"`
	Name          string   `json:"name"`
	Kind          Kind     `json:"kind,omitempty"`
	Description   string   `json:"description,omitempty"`
	SourceColumns []string `json:"source_columns,omitempty"`
	// Matching says how rules compare codes (default: exactly).
	Matching *Matching `json:"matching,omitempty" jsonschema:"How mapping rules compare source codes: {case: sensitive|insensitive, trim: true|false}. Default exact: case- and space-sensitive."`
}

// Create makes a new, empty hierarchy (version 1, draft). The id defaults
// to one derived from the name.
func (s *Service) Create(ctx context.Context, in CreateInput) (*Hierarchy, error) {
	if strings.TrimSpace(in.Name) == "" {
		return nil, fmt.Errorf("a hierarchy needs a name")
	}
	if in.ID == "" {
		in.ID = IDFromName(in.Name)
	}
	if in.Kind == "" {
		in.Kind = KindCustom
	}
	if !knownKind(in.Kind) {
		return nil, fmt.Errorf("unknown kind %q (use one of %s)", in.Kind, kindList())
	}
	if in.Matching != nil {
		if err := in.Matching.Check(); err != nil {
			return nil, err
		}
	}
	return s.Store.Create(ctx, &Hierarchy{ID: in.ID, Name: in.Name, Kind: in.Kind, Description: in.Description, SourceColumns: in.SourceColumns, Matching: in.Matching})
}

// List summarises every hierarchy.
func (s *Service) List() ([]Summary, error) { return s.Store.List() }

// Get loads a hierarchy; version 0 means the current one.
func (s *Service) Get(id string, version int) (*Hierarchy, error) {
	if version == 0 {
		return s.Store.Get(id)
	}
	return s.Store.GetVersion(id, version)
}

// UpdateInput changes hierarchy-level fields; nil fields stay.
type UpdateInput struct {
	Name          *string  `json:"name,omitempty"`
	Kind          *Kind    `json:"kind,omitempty"`
	Description   *string  `json:"description,omitempty"`
	SourceColumns []string `json:"source_columns,omitempty"`
	// Matching changes the matching option; nil fields stay.
	Matching *MatchingUpdate `json:"matching,omitempty"`
}

// MatchingUpdate changes a hierarchy's Matching option; nil fields stay.
type MatchingUpdate struct {
	Case *CaseMatching `json:"case,omitempty"`
	Trim *bool         `json:"trim,omitempty"`
}

// apply changes m by u.
func (u *MatchingUpdate) apply(m *Matching) *Matching {
	out := Matching{}
	if m != nil {
		out = *m
	}
	if u.Case != nil {
		out.Case = *u.Case
	}
	if u.Trim != nil {
		out.Trim = *u.Trim
	}
	return &out
}

// Empty reports whether the update changes nothing.
func (in UpdateInput) Empty() bool {
	return in.Name == nil && in.Kind == nil && in.Description == nil && in.SourceColumns == nil && in.Matching == nil
}

// ErrNothingToUpdate is Update's error for an empty update.
var ErrNothingToUpdate = errors.New("nothing to update: give a name, kind, description, source columns or matching option")

// Update changes the hierarchy's name, kind, description, source columns
// or matching option.
func (s *Service) Update(ctx context.Context, id string, in UpdateInput) (*Result, error) {
	if in.Empty() {
		return nil, ErrNothingToUpdate
	}
	h, err := s.Store.Update(ctx, id, func(h *Hierarchy) error {
		if in.Name != nil {
			h.Name = *in.Name
		}
		if in.Kind != nil {
			h.Kind = *in.Kind
		}
		if in.Description != nil {
			h.Description = *in.Description
		}
		if in.SourceColumns != nil {
			h.SourceColumns = in.SourceColumns
		}
		if in.Matching != nil {
			h.Matching = in.Matching.apply(h.Matching)
			if err := h.Matching.Check(); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return result(h, "updated "+id, ""), nil
}

// Delete removes a hierarchy and its versions.
func (s *Service) Delete(ctx context.Context, id string) error { return s.Store.Delete(ctx, id) }

// Copy copies a hierarchy under a new id.
func (s *Service) Copy(ctx context.Context, from, to, name string) (*Hierarchy, error) {
	if to == "" {
		return nil, fmt.Errorf("copy needs a new id")
	}
	return s.Store.Copy(ctx, from, to, name)
}

// AddNode adds a node; its consolidation is read with ParseConsolidation
// (add/plus, subtract/minus, ignore/none are taken too).
func (s *Service) AddNode(ctx context.Context, id string, in NodeInput) (*Result, error) {
	c, err := ParseConsolidation(string(in.Consolidation))
	if err != nil {
		return nil, err
	}
	in.Consolidation = c
	h, err := s.Store.Update(ctx, id, func(h *Hierarchy) error { return AddNode(h, in) })
	if err != nil {
		return nil, err
	}
	return result(h, fmt.Sprintf("added %s %s", h.Node(in.Code).Type, in.Code), in.Code), nil
}

// UpdateNode patches a node; a new consolidation is read with
// ParseConsolidation.
func (s *Service) UpdateNode(ctx context.Context, id, code string, p NodePatch) (*Result, error) {
	if p.Consolidation != nil {
		c, err := ParseConsolidation(string(*p.Consolidation))
		if err != nil {
			return nil, err
		}
		p.Consolidation = &c
	}
	h, err := s.Store.Update(ctx, id, func(h *Hierarchy) error { return UpdateNode(h, code, p) })
	if err != nil {
		return nil, err
	}
	final := code
	if p.NewCode != nil {
		final = *p.NewCode
	}
	return result(h, "updated "+final, final), nil
}

// MoveNode moves a node under a new parent at a position (0 = last).
func (s *Service) MoveNode(ctx context.Context, id, code, parent string, position int) (*Result, error) {
	h, err := s.Store.Update(ctx, id, func(h *Hierarchy) error { return MoveNode(h, code, parent, position) })
	if err != nil {
		return nil, err
	}
	return result(h, fmt.Sprintf("moved %s under %s", code, nameOr(parent, "the root")), code), nil
}

// RemoveNode removes a node, with or without its subtree.
func (s *Service) RemoveNode(ctx context.Context, id, code string, withChildren bool) (*Result, error) {
	var gone []string
	h, err := s.Store.Update(ctx, id, func(h *Hierarchy) error {
		var err error
		gone, err = RemoveNode(h, code, withChildren)
		return err
	})
	if err != nil {
		return nil, err
	}
	return result(h, fmt.Sprintf("removed %s", strings.Join(gone, ", ")), ""), nil
}

// Reorder sets the order of a parent's children.
func (s *Service) Reorder(ctx context.Context, id, parent string, codes []string) (*Result, error) {
	h, err := s.Store.Update(ctx, id, func(h *Hierarchy) error { return Reorder(h, parent, codes) })
	if err != nil {
		return nil, err
	}
	return result(h, fmt.Sprintf("reordered the children of %s", nameOr(parent, "the root")), ""), nil
}

// AddRule adds a mapping rule to a leaf.
func (s *Service) AddRule(ctx context.Context, id, code string, r Rule) (*Result, error) {
	h, err := s.Store.Update(ctx, id, func(h *Hierarchy) error { return AddRule(h, code, r) })
	if err != nil {
		return nil, err
	}
	shown := r
	shown.Column = h.RuleColumn(r)
	return result(h, fmt.Sprintf("mapped %s to %s", shown, code), code), nil
}

// RemoveRule removes a leaf's rule by 1-based index.
func (s *Service) RemoveRule(ctx context.Context, id, code string, index int) (*Result, error) {
	var removed Rule
	h, err := s.Store.Update(ctx, id, func(h *Hierarchy) error {
		var err error
		removed, err = RemoveRule(h, code, index)
		return err
	})
	if err != nil {
		return nil, err
	}
	removed.Column = h.RuleColumn(removed)
	return result(h, fmt.Sprintf("removed rule %s from %s", removed, code), code), nil
}

// SetFormula sets a formula node's expression.
func (s *Service) SetFormula(ctx context.Context, id, code, expr string, nulls NullHandling) (*Result, error) {
	h, err := s.Store.Update(ctx, id, func(h *Hierarchy) error { return SetFormula(h, code, expr, nulls) })
	if err != nil {
		return nil, err
	}
	return result(h, fmt.Sprintf("%s = %s", code, h.Node(code).Formula.Expression), code), nil
}

// Publish freezes the current draft.
func (s *Service) Publish(ctx context.Context, id string) (*Result, error) {
	h, err := s.Store.Publish(ctx, id)
	if err != nil {
		return nil, err
	}
	return result(h, fmt.Sprintf("published %s version %d", id, h.Version), ""), nil
}

// Diff compares two versions (0 = current).
func (s *Service) Diff(id string, from, to int) (*Diff, error) {
	a, err := s.Get(id, from)
	if err != nil {
		return nil, err
	}
	b, err := s.Get(id, to)
	if err != nil {
		return nil, err
	}
	return DiffHierarchies(a, b), nil
}

// TreeLine is one line of the tree view.
type TreeLine struct {
	Code          string        `json:"code"`
	Name          string        `json:"name"`
	Type          NodeType      `json:"type"`
	Depth         int           `json:"depth"`
	Consolidation Consolidation `json:"consolidation"`
	FlipSign      bool          `json:"flip_sign,omitempty"`
	Rules         []string      `json:"rules,omitempty"`
	Formula       string        `json:"formula,omitempty"`
}

// Tree returns the hierarchy in tree order, with orphaned nodes (not
// reachable from a root: unknown parent or a cycle) at the end at depth 0.
func Tree(h *Hierarchy) []TreeLine {
	var out []TreeLine
	seen := map[string]bool{}
	add := func(n *Node, d int) {
		seen[n.Code] = true
		tl := TreeLine{Code: n.Code, Name: n.Name, Type: n.Type, Depth: d, Consolidation: orPlus(n.Consolidation), FlipSign: n.FlipSign}
		for _, r := range n.Rules {
			if r.Column == "" {
				r.Column = h.DefaultColumn()
			}
			tl.Rules = append(tl.Rules, r.String())
		}
		if n.Formula != nil {
			tl.Formula = n.Formula.Expression
		}
		out = append(out, tl)
	}
	h.Walk(func(n *Node, d int) bool { add(n, d); return true })
	for _, n := range h.Nodes {
		if !seen[n.Code] {
			add(n, 0)
		}
	}
	return out
}
