package warehouse

import (
	"fmt"
	"strings"

	d "github.com/databridge/databridge/pkg/dialect"
)

// Reference is one name a generated statement reads: an object of the
// design, a bound fact source that the design does not build, or a table
// of the canonical model read through its Source. Exactly one is set.
type Reference struct {
	Object     string // e.g. TBL_0_PL, STG_GL_JOURNAL_LINES, FACT_GL_JOURNAL_LINES
	Source     string // the binding's source as written (schema.table)
	ModelTable string // a model table name (staging reads it)
}

// Resolver turns a reference into the name written in SQL (for dbt a
// dialect.Name with Raw set: {{ ref('x') }}, {{ source('s', 't') }}).
type Resolver func(Reference) d.Name

// Data is the content of an object loaded from rows (TBL_0 and
// TBL_0_MAPPING): its columns and one literal per column and row.
type Data struct {
	Columns []d.ColumnDef
	Rows    [][]d.Expr
}

// Spec is one object of a design described for generators that create the
// objects themselves (dbt): the SELECT computing it, or its rows.
type Spec struct {
	// Object is the design's object (kind, role, dependencies, columns,
	// the Basic Mode DDL).
	Object *Object
	// Binding is the binding a pipeline object comes from (nil for model
	// objects).
	Binding *Binding
	// Query computes views, tables-as-select and dynamic tables, with
	// every reference resolved; nil when Data is set.
	Query d.Query
	// Data holds the rows of TBL_0 and TBL_0_MAPPING.
	Data *Data
	// Comment describes the object.
	Comment string
	// Snowflake dynamic table settings (when Object.Kind is
	// dynamic_table).
	TargetLag, Warehouse, RefreshMode string
}

// Specs describes every object of the design in dependency order, with
// the references inside each query rewritten by resolve. Build's output
// is not affected.
func Specs(in Input, resolve Resolver) ([]*Spec, error) {
	if resolve == nil {
		return nil, fmt.Errorf("warehouse.Specs: a resolver is required")
	}
	ds, err := Build(in)
	if err != nil {
		return nil, err
	}
	byName := map[string]*Spec{}
	add := func(o *Object, b *Binding, ddl, load []d.Stmt) error {
		s := &Spec{Object: ds.Object(o.Name), Binding: b}
		if s.Object == nil {
			return fmt.Errorf("warehouse.Specs: %s is not in the design", o.Name)
		}
		for _, st := range ddl {
			switch x := st.(type) {
			case *d.CreateView:
				s.Query, s.Comment = x.Query, x.Comment
			case *d.CreateTableAs:
				s.Query, s.Comment = x.Query, x.Comment
			case *d.CreateMaterializedView:
				s.Query, s.Comment = x.Query, x.Comment
			case *d.CreateDynamicTable:
				s.Query, s.Comment = x.Query, x.Comment
				s.TargetLag, s.Warehouse, s.RefreshMode = x.TargetLag, x.Warehouse, x.RefreshMode
			case *d.CreateTable:
				s.Data = &Data{Columns: x.Columns, Rows: [][]d.Expr{}}
				s.Comment = x.Comment
			}
		}
		if s.Data != nil {
			for _, st := range load {
				ins, ok := st.(*d.Insert)
				if !ok {
					continue
				}
				sel, ok := ins.Query.(*d.Select)
				if !ok {
					return fmt.Errorf("warehouse.Specs: %s: unexpected load statement", o.Name)
				}
				v, ok := sel.From.(*d.Values)
				if !ok {
					return fmt.Errorf("warehouse.Specs: %s: unexpected load statement", o.Name)
				}
				s.Data.Rows = append(s.Data.Rows, v.Rows...)
			}
		}
		if s.Query == nil && s.Data == nil {
			return fmt.Errorf("warehouse.Specs: %s has neither a query nor rows", o.Name)
		}
		byName[o.Name] = s
		return nil
	}
	if in.Config == nil {
		in.Config = &Config{}
	}
	known := map[string]string{}
	if in.Model != nil {
		objs, stmts, err := modelObjects(in.Dialect, in.Config.Schema, in.Model, in.Sources, resolve)
		if err != nil {
			return nil, err
		}
		for _, o := range objs {
			if err := add(o, nil, stmts[o.Name], nil); err != nil {
				return nil, err
			}
			known[strings.ToUpper(o.Name)] = o.Name
		}
		modelAliases(in.Model, known)
	}
	want := map[string]bool{}
	for _, id := range in.Only {
		want[id] = true
	}
	for i := range in.Config.Bindings {
		b := in.Config.Bindings[i]
		if len(want) > 0 && !want[b.Hierarchy] {
			continue
		}
		err := hierarchyObjects(in.Dialect, in.Config, in.Hierarchies[b.Hierarchy], b, known, resolve, func(o *Object, ddl, load []d.Stmt) error {
			return add(o, &b, ddl, load)
		})
		if err != nil {
			return nil, err
		}
	}
	out := make([]*Spec, 0, len(ds.Order))
	for _, n := range ds.Order {
		s, ok := byName[n]
		if !ok {
			return nil, fmt.Errorf("warehouse.Specs: no description of %s", n)
		}
		out = append(out, s)
	}
	return out, nil
}
