// Package templates holds the assets databridge embeds in its binary. For
// now that is the library of built-in hierarchy templates: YAML documents
// in the shape of a hierarchy (see pkg/hierarchy) that `hierarchy new
// --template` copies into a project.
//
// This package must not import pkg/hierarchy (pkg/hierarchy imports it), so
// it reads the templates into a minimal local struct that is only good for
// listing and counting.
package templates

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"
)

//go:embed hierarchies/*.yaml
var hierarchyFS embed.FS

const hierarchyDir = "hierarchies"

// HierarchyTemplate describes one built-in hierarchy template.
type HierarchyTemplate struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Kind        string `json:"kind"`
	Description string `json:"description"`
	// Nodes counts every node; Leaves and Formulas count nodes of those
	// types.
	Nodes    int `json:"nodes"`
	Leaves   int `json:"leaves"`
	Formulas int `json:"formulas"`
}

// templateDoc is the part of a hierarchy document needed for the listing.
type templateDoc struct {
	ID          string `yaml:"id"`
	Name        string `yaml:"name"`
	Kind        string `yaml:"kind"`
	Description string `yaml:"description"`
	Nodes       []struct {
		Type string `yaml:"type"`
	} `yaml:"nodes"`
}

var loadHierarchies = sync.OnceValues(func() ([]HierarchyTemplate, error) {
	entries, err := fs.ReadDir(hierarchyFS, hierarchyDir)
	if err != nil {
		return nil, fmt.Errorf("hierarchy templates: %w", err)
	}
	var out []HierarchyTemplate
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".yaml") {
			continue
		}
		file := path.Join(hierarchyDir, e.Name())
		data, err := hierarchyFS.ReadFile(file)
		if err != nil {
			return nil, fmt.Errorf("hierarchy template %s: %w", file, err)
		}
		var doc templateDoc
		if err := yaml.Unmarshal(data, &doc); err != nil {
			return nil, fmt.Errorf("hierarchy template %s: %w", file, err)
		}
		if want := strings.TrimSuffix(e.Name(), ".yaml"); doc.ID != want {
			return nil, fmt.Errorf("hierarchy template %s: id %q does not match the file name", file, doc.ID)
		}
		t := HierarchyTemplate{
			ID:          doc.ID,
			Name:        doc.Name,
			Kind:        doc.Kind,
			Description: doc.Description,
			Nodes:       len(doc.Nodes),
		}
		for _, n := range doc.Nodes {
			switch n.Type {
			case "leaf":
				t.Leaves++
			case "formula":
				t.Formulas++
			}
		}
		out = append(out, t)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
})

// HierarchyTemplates lists the built-in hierarchy templates sorted by id.
func HierarchyTemplates() ([]HierarchyTemplate, error) {
	list, err := loadHierarchies()
	if err != nil {
		return nil, err
	}
	return append([]HierarchyTemplate(nil), list...), nil
}

// HierarchyTemplateYAML returns the YAML document of the template with the
// id. An unknown id is an error that lists the known ones.
func HierarchyTemplateYAML(id string) ([]byte, error) {
	list, err := loadHierarchies()
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, t := range list {
		if t.ID == id {
			return hierarchyFS.ReadFile(path.Join(hierarchyDir, id+".yaml"))
		}
		ids = append(ids, t.ID)
	}
	return nil, fmt.Errorf("unknown hierarchy template %q (known: %s)", id, strings.Join(ids, ", "))
}
