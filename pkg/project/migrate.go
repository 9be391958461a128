package project

import (
	"fmt"
	"strconv"

	"gopkg.in/yaml.v3"
)

// migrations[v] upgrades a config document from schema_version v to v+1,
// editing the YAML tree in place so comments and order survive.
var migrations = map[int]func(root *yaml.Node) error{
	// Version 0 is a config written before schema_version existed: the
	// field is added; everything else already has the version-1 shape.
	0: func(root *yaml.Node) error { return nil },
}

func migrate(root *yaml.Node, from int) error {
	for v := from; v < SchemaVersion; v++ {
		m, ok := migrations[v]
		if !ok {
			return fmt.Errorf("no migration from schema_version %d", v)
		}
		if err := m(root); err != nil {
			return fmt.Errorf("migrating schema_version %d: %w", v, err)
		}
	}
	setScalar(root, "schema_version", strconv.Itoa(SchemaVersion))
	return nil
}

func setScalar(m *yaml.Node, key, value string) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			m.Content[i+1].Value = value
			m.Content[i+1].Tag = "!!int"
			return
		}
	}
	m.Content = append(m.Content,
		&yaml.Node{Kind: yaml.ScalarNode, Value: key},
		&yaml.Node{Kind: yaml.ScalarNode, Value: value, Tag: "!!int"})
}
