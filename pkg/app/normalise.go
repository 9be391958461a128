package app

import (
	"context"
	"strings"

	"github.com/databridge/databridge/pkg/model"
	"github.com/databridge/databridge/pkg/semantic"
)

// Inputs both faces accept the same way. The normalisation itself lives
// in the services (hierarchy.ParseConsolidation, used by
// hierarchy.Service.AddNode/UpdateNode and the CSV import; entity names in
// semantic.Service.Decide), so every caller gets it.

// ApproveEntityInput confirms or corrects a table's entity and role.
type ApproveEntityInput struct {
	Model  string `json:"model,omitempty" jsonschema:"Model name (default: the only model)."`
	Table  string `json:"table" jsonschema:"The table."`
	Entity string `json:"entity" jsonschema:"customer, vendor, employee, cost_center, department, legal_entity, product, geography, time, chart_of_accounts, currency, project, order, transaction or other."`
	As     string `json:"as,omitempty" jsonschema:"Role: fact, snapshot, accumulating, factless, dimension, bridge or time (or a full role name)."`
}

// ApproveEntity records the reviewer's decision on a table's entity (and
// role, with As): the entity is normalised by semantic.Service.Decide,
// the role read with semantic.ParseRole.
func (s *Services) ApproveEntity(ctx context.Context, in ApproveEntityInput) (*model.Model, error) {
	d := model.Decision{Action: model.ActionApproveEntity, Table: in.Table, Entity: model.Entity(in.Entity)}
	if strings.TrimSpace(in.As) != "" {
		r, err := semantic.ParseRole(in.As)
		if err != nil {
			return nil, err
		}
		d.Role = r
	}
	return s.Semantic.Decide(ctx, in.Model, d)
}
