package warehouse

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	d "github.com/databridge/databridge/pkg/dialect"
	"github.com/databridge/databridge/pkg/hierarchy"
	"github.com/databridge/databridge/pkg/model"
)

// Input is what a design is built from.
type Input struct {
	Dialect string
	Config  *Config
	// Hierarchies by id; every bound hierarchy must be present.
	Hierarchies map[string]*hierarchy.Hierarchy
	// Only limits the design to these hierarchy ids (empty = all bound).
	Only []string
	// Model is the approved canonical model (nil = none) and Sources how
	// the target reads each of its tables.
	Model   *model.Model
	Sources map[string]Source
}

// Build designs the warehouse for one engine: the pipeline objects of every
// bound hierarchy (and, once the canonical model lands, staging,
// dimensions and facts), rendered for the dialect, in dependency order.
func Build(in Input) (*Design, error) {
	if in.Config == nil {
		in.Config = &Config{}
	}
	if _, err := d.RenderExpr(in.Dialect, d.I(1)); err != nil {
		return nil, err
	}
	want := map[string]bool{}
	for _, id := range in.Only {
		want[id] = true
	}
	design := &Design{Dialect: in.Dialect, Schema: in.Config.Schema, Objects: []*Object{}, Order: []string{}, Grants: []string{}}
	known := map[string]string{}
	if in.Model != nil {
		objs, stmts, err := modelObjects(in.Dialect, in.Config.Schema, in.Model, in.Sources, nil)
		if err != nil {
			return nil, err
		}
		for _, o := range objs {
			if err := renderObject(in.Dialect, o, stmts[o.Name], nil); err != nil {
				return nil, err
			}
			known[strings.ToUpper(o.Name)] = o.Name
		}
		modelAliases(in.Model, known)
		design.Objects = append(design.Objects, objs...)
	}
	seen := map[string]bool{}
	for _, b := range in.Config.Bindings {
		if len(want) > 0 && !want[b.Hierarchy] {
			continue
		}
		if seen[b.Hierarchy+"|"+b.Name] {
			return nil, fmt.Errorf("hierarchy %s is bound twice with the same name; give one binding a name", b.Hierarchy)
		}
		seen[b.Hierarchy+"|"+b.Name] = true
		h, ok := in.Hierarchies[b.Hierarchy]
		if !ok {
			return nil, fmt.Errorf("binding: hierarchy %q not found", b.Hierarchy)
		}
		if err := b.check(); err != nil {
			return nil, err
		}
		var objs []*Object
		err := hierarchyObjects(in.Dialect, in.Config, h, b, known, nil, func(o *Object, ddl, load []d.Stmt) error {
			if err := renderObject(in.Dialect, o, ddl, load); err != nil {
				return err
			}
			objs = append(objs, o)
			return nil
		})
		if err != nil {
			return nil, err
		}
		design.Objects = append(design.Objects, objs...)
	}
	for id := range want {
		found := false
		for _, b := range in.Config.Bindings {
			if b.Hierarchy == id {
				found = true
			}
		}
		if !found {
			return nil, fmt.Errorf("hierarchy %s is not bound to a fact source: add a binding (databridge generate bind %s --source TABLE --value COLUMN)", id, id)
		}
	}
	// A model seam: staging/dimension/fact objects from the canonical
	// model will be appended here.
	sorted, err := sortTopological(design.Objects)
	if err != nil {
		return nil, err
	}
	design.Objects = sorted
	for _, o := range sorted {
		design.Order = append(design.Order, o.Name)
	}
	for _, g := range in.Config.Grants {
		priv := strings.ToUpper(g.Privilege)
		if priv == "" {
			priv = "SELECT"
		}
		for _, o := range sorted {
			kind := d.KindTable
			switch o.Kind {
			case KindView:
				kind = d.KindView
			case KindMaterializedView:
				kind = d.KindMaterializedView
			case KindDynamicTable:
				kind = d.KindDynamicTable
			}
			s, err := d.Render(in.Dialect, &d.Grant{Privilege: priv, Kind: kind, Name: d.Name{Schema: o.Schema, Name: o.Name}, Role: g.Role})
			var unsup *d.UnsupportedError
			if errors.As(err, &unsup) {
				design.Notes = append(design.Notes, fmt.Sprintf("grants to %s are not generated: %v", g.Role, err))
				break
			}
			if err != nil {
				return nil, fmt.Errorf("grant to %s: %w", g.Role, err)
			}
			design.Grants = append(design.Grants, s)
		}
	}
	return design, nil
}

// modelAliases lets a binding name a table of the approved model by its
// own name (generate bind acme_pl --source gl_transactions): the pipeline
// then reads the object the design builds from it (modelAlias). A design
// object of the same name wins.
func modelAliases(m *model.Model, known map[string]string) {
	for _, t := range m.Tables {
		key := strings.ToUpper(t.Name)
		if _, taken := known[key]; taken {
			continue
		}
		if name, ok := known[strings.ToUpper(modelAlias(m, t.Name))]; ok {
			known[key] = name
		}
	}
}

// modelAlias is the design object read for a model table named by a
// binding: FACT_<T> for a fact, STG_<T> (the staged copy) otherwise; ""
// when the model has no such table.
func modelAlias(m *model.Model, table string) string {
	t := m.Table(table)
	if t == nil {
		return ""
	}
	if t.Role.IsFact() {
		return factName(t.Name)
	}
	return stgName(t.Name)
}

// hierarchyObjects builds the pipeline objects of one binding and hands
// each with its statements to sink; resolve (nil in Build) rewrites the
// references inside the statements.
func hierarchyObjects(dialect string, cfg *Config, h *hierarchy.Hierarchy, b Binding, known map[string]string, resolve Resolver, sink func(o *Object, ddl, load []d.Stmt) error) error {
	p, err := newPipeline(dialect, cfg, h, b)
	if err != nil {
		return err
	}
	p.resolve, p.known = resolve, known
	render := func(o *Object, ddl, load []d.Stmt) error {
		// DT_2 reads the bound fact table: when the design builds it (a
		// model fact or staging table), DT_2 depends on it.
		if o.Role == RoleJoined {
			if name, ok := knownObject(known, p.boundSource()); ok {
				o.DependsOn = append(o.DependsOn, name)
			}
		}
		return sink(o, ddl, load)
	}
	o, ddl, load := p.tbl0Object()
	if err := render(o, ddl, load); err != nil {
		return err
	}
	o, ddl, load = p.mappingObject()
	if err := render(o, ddl, load); err != nil {
		return err
	}
	o, ddl = p.vw1Object()
	if err := render(o, ddl, nil); err != nil {
		return err
	}
	o, ddl = p.dt2Object()
	if err := render(o, ddl, nil); err != nil {
		return err
	}
	o, ddl = p.dt3aObject()
	if err := render(o, ddl, nil); err != nil {
		return err
	}
	o, ddl, err = p.dt3Object()
	if err != nil {
		return err
	}
	return render(o, ddl, nil)
}

// renderObject renders an object's DDL and load statements for the
// dialect and computes its checksum.
func renderObject(dialect string, o *Object, ddl, load []d.Stmt) error {
	o.Engine = dialect
	for _, s := range ddl {
		txt, err := d.Render(dialect, s)
		if err != nil {
			return fmt.Errorf("%s: %w", o.Name, err)
		}
		o.DDL = append(o.DDL, txt)
	}
	o.Load = []string{}
	for _, s := range load {
		txt, err := d.Render(dialect, s)
		if err != nil {
			return fmt.Errorf("%s: %w", o.Name, err)
		}
		o.Load = append(o.Load, txt)
	}
	o.sum()
	return nil
}

// Statements returns every statement of the design in execution order:
// each object's DDL then its load, then the grants.
func (ds *Design) Statements() []string {
	var out []string
	for _, o := range ds.Objects {
		out = append(out, o.DDL...)
		out = append(out, o.Load...)
	}
	return append(out, ds.Grants...)
}

// ByFile groups the objects by script file, keeping dependency order.
func (ds *Design) ByFile() map[string][]*Object {
	out := map[string][]*Object{}
	for _, o := range ds.Objects {
		out[o.File] = append(out[o.File], o)
	}
	return out
}

// Hierarchies lists the hierarchy ids in the design.
func (ds *Design) Hierarchies() []string {
	set := map[string]bool{}
	for _, o := range ds.Objects {
		if o.Hierarchy != "" {
			set[o.Hierarchy] = true
		}
	}
	var out []string
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
