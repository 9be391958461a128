package hierarchy

import (
	"context"
	"fmt"

	"github.com/databridge/databridge/templates"
)

// Templates lists the built-in hierarchy templates.
func Templates() ([]templates.HierarchyTemplate, error) { return templates.HierarchyTemplates() }

// NewInput creates a hierarchy from a built-in template.
type NewInput struct {
	Template string `json:"template" jsonschema:"Template id (see list_hierarchy_templates), e.g. standard_pl."`
	Name     string `json:"name,omitempty" jsonschema:"Name of the new hierarchy (default: the template's name)."`
	ID       string `json:"id,omitempty" jsonschema:"Id of the new hierarchy (default: derived from the name, or the template id)."`
}

// TemplateHierarchy parses a template into a hierarchy.
func TemplateHierarchy(id string) (*Hierarchy, error) {
	data, err := templates.HierarchyTemplateYAML(id)
	if err != nil {
		return nil, err
	}
	h, err := Parse("template "+id, data)
	if err != nil {
		return nil, fmt.Errorf("template %s is broken: %w", id, err)
	}
	h.Template = id
	return h, nil
}

// NewFromTemplate creates a hierarchy (version 1, draft) from a template.
func (s *Service) NewFromTemplate(ctx context.Context, in NewInput) (*Hierarchy, error) {
	h, err := TemplateHierarchy(in.Template)
	if err != nil {
		return nil, err
	}
	if in.Name != "" {
		h.Name = in.Name
	}
	switch {
	case in.ID != "":
		h.ID = in.ID
	case in.Name != "":
		h.ID = IDFromName(in.Name)
	}
	return s.Store.Create(ctx, h)
}
