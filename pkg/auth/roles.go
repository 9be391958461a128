// Package auth is who may use a databridge MCP server and what they may do:
// API keys (only their SHA-256 hash is stored), OIDC/JWT bearer tokens
// verified against an issuer's JWKS, roles as data (resource × action), the
// mapping from each MCP tool to the permission it needs, and the audit log
// of every call.
package auth

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/databridge/databridge/pkg/project"
)

// Resource is what a tool acts on.
type Resource string

// Action is what a tool does to its resource.
type Action string

// The resources and actions of the plan.
const (
	Project    Resource = "project"    // connections, models, designs, workflows, the close
	Hierarchy  Resource = "hierarchy"  // reporting hierarchies
	Deployment Resource = "deployment" // deployments, rollbacks, git and dbt runs
	Query      Resource = "query"      // queries, analytics, insights, reconciliation

	Read   Action = "read"
	Write  Action = "write"
	Delete Action = "delete"
	Deploy Action = "deploy"
)

// Resources and Actions list every value, in order.
var (
	Resources = []Resource{Project, Hierarchy, Deployment, Query}
	Actions   = []Action{Read, Write, Delete, Deploy}
)

// Permission is one resource × action.
type Permission struct {
	Resource Resource `json:"resource"`
	Action   Action   `json:"action"`
}

func (p Permission) String() string { return string(p.Resource) + ":" + string(p.Action) }

// Role is a named set of permissions. ManageKeys is the admin's right to
// create and revoke API keys.
type Role struct {
	Name        string                `json:"name" yaml:"-"`
	Description string                `json:"description,omitempty" yaml:"description,omitempty"`
	Allow       map[Resource][]Action `json:"allow" yaml:"allow"`
	ManageKeys  bool                  `json:"manage_keys,omitempty" yaml:"manage_keys,omitempty"`
}

// Allows reports whether the role grants p.
func (r Role) Allows(p Permission) bool {
	return slices.Contains(r.Allow[p.Resource], p.Action)
}

// Role names of the default policy.
const (
	RoleViewer   = "viewer"
	RoleAnalyst  = "analyst"
	RoleEngineer = "engineer"
	RoleDeployer = "deployer"
	RoleAdmin    = "admin"
)

// DefaultRoles is the built-in policy; each role has the rights of the one
// before it and more.
func DefaultRoles() map[string]Role {
	viewer := map[Resource][]Action{Project: {Read}, Hierarchy: {Read}, Deployment: {Read}}
	analyst := with(viewer, Query, Read, Write)
	engineer := with(with(analyst, Project, Write), Hierarchy, Write, Delete)
	deployer := with(engineer, Deployment, Write, Deploy)
	admin := map[Resource][]Action{}
	for _, r := range Resources {
		admin[r] = slices.Clone(Actions)
	}
	return map[string]Role{
		RoleViewer:   {Name: RoleViewer, Description: "reads projects, hierarchies and deployments", Allow: viewer},
		RoleAnalyst:  {Name: RoleAnalyst, Description: "viewer + queries, analytics, insights, reconciliation", Allow: analyst},
		RoleEngineer: {Name: RoleEngineer, Description: "analyst + hierarchy and model edits, designs, generation", Allow: engineer},
		RoleDeployer: {Name: RoleDeployer, Description: "engineer + deploy, rollback, git and dbt runs", Allow: deployer},
		RoleAdmin:    {Name: RoleAdmin, Description: "everything, including API keys", Allow: admin, ManageKeys: true},
	}
}

func with(base map[Resource][]Action, r Resource, acts ...Action) map[Resource][]Action {
	out := make(map[Resource][]Action, len(base)+1)
	for k, v := range base {
		out[k] = slices.Clone(v)
	}
	for _, a := range acts {
		if !slices.Contains(out[r], a) {
			out[r] = append(out[r], a)
		}
	}
	return out
}

// ConfigFile is the optional settings file, under .databridge/.
const ConfigFile = "roles.yaml"

// Config is .databridge/roles.yaml: roles that replace or add to the
// default ones, the role of a local stdio session, and an OIDC issuer
// whose tokens are accepted.
type Config struct {
	Roles     map[string]Role `yaml:"roles,omitempty"`
	StdioRole string          `yaml:"stdio_role,omitempty"`
	OIDC      *OIDCConfig     `yaml:"oidc,omitempty"`
}

// Policy is the roles in force.
type Policy struct {
	Roles     map[string]Role
	StdioRole string
	OIDC      *OIDCConfig
}

// LoadPolicy reads .databridge/roles.yaml under root if there is one and
// merges it over the default roles (a role of the same name is replaced).
func LoadPolicy(root string) (*Policy, error) {
	pol := &Policy{Roles: DefaultRoles(), StdioRole: RoleAdmin}
	path := filepath.Join(root, project.DirName, ConfigFile)
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return pol, nil
	}
	if err != nil {
		return nil, err
	}
	var c Config
	dec := yaml.NewDecoder(strings.NewReader(string(b)))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	for name, r := range c.Roles {
		r.Name = name
		for res, acts := range r.Allow {
			if !slices.Contains(Resources, res) {
				return nil, fmt.Errorf("%s: role %s: unknown resource %q (known: project, hierarchy, deployment, query)", path, name, res)
			}
			for _, a := range acts {
				if !slices.Contains(Actions, a) {
					return nil, fmt.Errorf("%s: role %s: unknown action %q (known: read, write, delete, deploy)", path, name, a)
				}
			}
		}
		pol.Roles[name] = r
	}
	if c.StdioRole != "" {
		pol.StdioRole = c.StdioRole
	}
	if _, ok := pol.Roles[pol.StdioRole]; !ok {
		return nil, fmt.Errorf("%s: stdio_role %q is not a role (roles: %s)", path, pol.StdioRole, strings.Join(pol.RoleNames(), ", "))
	}
	if c.OIDC != nil {
		if err := c.OIDC.check(pol); err != nil {
			return nil, fmt.Errorf("%s: oidc: %w", path, err)
		}
		pol.OIDC = c.OIDC
	}
	return pol, nil
}

// RoleNames lists the roles, sorted.
func (p *Policy) RoleNames() []string {
	out := make([]string, 0, len(p.Roles))
	for n := range p.Roles {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Role returns the named role.
func (p *Policy) Role(name string) (Role, bool) {
	r, ok := p.Roles[name]
	return r, ok
}

// CheckRole is an error naming the known roles when name is not one.
func (p *Policy) CheckRole(name string) error {
	if _, ok := p.Roles[name]; !ok {
		return fmt.Errorf("unknown role %q (roles: %s)", name, strings.Join(p.RoleNames(), ", "))
	}
	return nil
}
