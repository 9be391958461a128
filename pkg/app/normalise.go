package app

import (
	"context"
	"fmt"
	"strings"

	"github.com/databridge/databridge/pkg/hierarchy"
	"github.com/databridge/databridge/pkg/model"
	"github.com/databridge/databridge/pkg/semantic"
)

// Inputs both faces accept the same way. The CLI and the MCP tools call
// these instead of the underlying services directly, so a word one face
// takes is taken by the other (and by a CSV import) too.

// ParseConsolidation reads a node's consolidation: +, - or ~, or the
// words the CSV import accepts (add/plus, subtract/minus, ignore/none), in
// any case. "" stays "" (the default, +).
func ParseConsolidation(s string) (hierarchy.Consolidation, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "":
		return "", nil
	case "+", "add", "plus":
		return hierarchy.ConsolidateAdd, nil
	case "-", "subtract", "minus":
		return hierarchy.ConsolidateSubtract, nil
	case "~", "ignore", "none":
		return hierarchy.ConsolidateIgnore, nil
	}
	return "", fmt.Errorf("consolidation must be + (add), - (subtract) or ~ (ignore), not %q", s)
}

// AddNode adds a node to hierarchy id (hierarchy.Service.AddNode) after
// reading its consolidation with ParseConsolidation.
func (s *Services) AddNode(ctx context.Context, id string, in hierarchy.NodeInput) (*hierarchy.Result, error) {
	c, err := ParseConsolidation(string(in.Consolidation))
	if err != nil {
		return nil, err
	}
	in.Consolidation = c
	return s.Hierarchies.AddNode(ctx, id, in)
}

// UpdateNode changes a node (hierarchy.Service.UpdateNode) after reading
// its consolidation with ParseConsolidation.
func (s *Services) UpdateNode(ctx context.Context, id, code string, p hierarchy.NodePatch) (*hierarchy.Result, error) {
	if p.Consolidation != nil {
		c, err := ParseConsolidation(string(*p.Consolidation))
		if err != nil {
			return nil, err
		}
		p.Consolidation = &c
	}
	return s.Hierarchies.UpdateNode(ctx, id, code, p)
}

// ApproveEntityInput confirms or corrects a table's entity and role.
type ApproveEntityInput struct {
	Model  string `json:"model,omitempty" jsonschema:"Model name (default: the only model)."`
	Table  string `json:"table" jsonschema:"The table."`
	Entity string `json:"entity" jsonschema:"customer, vendor, employee, cost_center, department, legal_entity, product, geography, time, chart_of_accounts, currency, project, order, transaction or other."`
	As     string `json:"as,omitempty" jsonschema:"Role: fact, snapshot, accumulating, factless, dimension, bridge or time (or a full role name)."`
}

// Entity is an entity name as the model stores it: trimmed, lower case.
func Entity(s string) model.Entity { return model.Entity(strings.ToLower(strings.TrimSpace(s))) }

// ApproveEntity records the reviewer's decision on a table's entity (and
// role, with As): the entity is read with Entity, the role with
// semantic.ParseRole.
func (s *Services) ApproveEntity(ctx context.Context, in ApproveEntityInput) (*model.Model, error) {
	d := model.Decision{Action: model.ActionApproveEntity, Table: in.Table, Entity: Entity(in.Entity)}
	if strings.TrimSpace(in.As) != "" {
		r, err := semantic.ParseRole(in.As)
		if err != nil {
			return nil, err
		}
		d.Role = r
	}
	return s.Semantic.Decide(ctx, in.Model, d)
}
