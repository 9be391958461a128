package app

import (
	"github.com/databridge/databridge/pkg/hierarchy"
	"github.com/databridge/databridge/templates"
)

// HierarchyList is the project's hierarchies: `databridge hierarchy list
// --json` and the MCP list_hierarchies tool both return it (an object, so
// fields can be added without breaking readers).
type HierarchyList struct {
	Hierarchies []hierarchy.Summary `json:"hierarchies"`
}

// ListHierarchies lists the project's hierarchies.
func (s *Services) ListHierarchies() (HierarchyList, error) {
	l, err := s.Hierarchies.List()
	if l == nil {
		l = []hierarchy.Summary{}
	}
	return HierarchyList{Hierarchies: l}, err
}

// TemplateList is the built-in hierarchy templates: `databridge hierarchy
// templates --json` and the MCP list_hierarchy_templates tool.
type TemplateList struct {
	Templates []templates.HierarchyTemplate `json:"templates"`
}

// ListTemplates lists the built-in hierarchy templates.
func ListTemplates() (TemplateList, error) {
	l, err := hierarchy.Templates()
	if l == nil {
		l = []templates.HierarchyTemplate{}
	}
	return TemplateList{Templates: l}, err
}

// RuleList is a hierarchy's mapping rules: `databridge hierarchy mapping
// list --json` and the MCP list_mapping_rules tool.
type RuleList struct {
	Rules []hierarchy.RuleRef `json:"rules"`
}

// ListMappingRules lists the mapping rules of hierarchy id's current
// version: every leaf's, one node's, or with inherited a rollup's
// descendant leaves' too.
func (s *Services) ListMappingRules(id, node string, inherited bool) (RuleList, error) {
	h, err := s.Hierarchies.Get(id, 0)
	if err != nil {
		return RuleList{}, err
	}
	r, err := hierarchy.ListRules(h, node, inherited)
	if r == nil {
		r = []hierarchy.RuleRef{}
	}
	return RuleList{Rules: r}, err
}
