package dbt

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"sort"
	"strconv"
	"strings"

	d "github.com/databridge/databridge/pkg/dialect"
	"github.com/databridge/databridge/pkg/hierarchy"
	"github.com/databridge/databridge/pkg/model"
	"github.com/databridge/databridge/pkg/warehouse"
)

// Pipeline column descriptions.
var columnDocs = map[string]string{
	"NODE_CODE":     "Code of the hierarchy node (the key of the hierarchy).",
	"NODE_NAME":     "Name of the node as reported.",
	"PARENT_CODE":   "Code of the parent node (empty for a root).",
	"NODE_TYPE":     "rollup, leaf, formula or label.",
	"CONSOLIDATION": "How the node adds into its parent: + adds, - subtracts, ~ is ignored.",
	"NODE_SIGN":     "1, -1 or 0: the consolidation as a number.",
	"FLIP_SIGN":     "1 when the presentation shows the value with its sign flipped.",
	"NODE_LEVEL":    "Depth of the node, 1 for a root.",
	"SORT_ORDER":    "Position of the node in tree order.",
	"FORMULA":       "The formula of a formula node.",
	"RULE_NO":       "Number of the rule within its leaf.",
	"SOURCE_COLUMN": "The source column the rule matches.",
	"MATCH_TYPE":    "exact, range, prefix or pattern.",
	"MATCH_VALUE":   "The value (exact), prefix, or LIKE pattern matched.",
	"RANGE_FROM":    "Lower bound of a range rule (inclusive, compared as text of equal width).",
	"RANGE_TO":      "Upper bound of a range rule (inclusive).",
	"CODE_WIDTH":    "Width a range or prefix rule compares on.",
	"IS_EXCLUDE":    "1 when the rule removes codes from the leaf.",
	"PRECEDENCE":    "Rules of a lower precedence number win.",
	"RULE_TEXT":     "The rule as written in the hierarchy.",
	"SOURCE_CODE":   "The source code (as text) the row carries.",
	"LEAF_CODE":     "The leaf the source code maps to (empty = unmapped).",
	"ROW_COUNT":     "Number of source rows summed.",
}

func colDoc(name string) string {
	if s, ok := columnDocs[name]; ok {
		return s
	}
	switch {
	case strings.HasPrefix(name, "LEVEL_"):
		return "Ancestor code at level " + strings.TrimPrefix(name, "LEVEL_") + "."
	case strings.HasPrefix(name, "SIGN_TO_LEVEL_"):
		return "Sign of the node's value in its level " + strings.TrimPrefix(name, "SIGN_TO_LEVEL_") + " ancestor (empty where that ancestor takes no value)."
	case strings.HasSuffix(name, warehouse.PresentationSuffix):
		return strings.TrimSuffix(name, warehouse.PresentationSuffix) + " with the node's presentation sign."
	}
	return ""
}

func unique() any  { return "unique" }
func notNull() any { return "not_null" }

func (g *gen) relationship(toModel, field string) any {
	return omap{{"relationships", omap{{"to", "ref('" + toModel + "')"}, {"field", d.QuoteIdent(g.dialect, field)}}}}
}

func acceptedValues(vals []any, quote bool) any {
	m := omap{{"values", vals}}
	if !quote {
		m = append(m, kv{"quote", false})
	}
	return omap{{"accepted_values", m}}
}

func (g *gen) uniqueCombination(cols []string) any {
	q := make([]string, len(cols))
	for i, c := range cols {
		q[i] = d.QuoteIdent(g.dialect, c)
	}
	return omap{{"databridge_unique_combination", omap{{"columns", q}}}}
}

// quoted reports whether the generated SQL quotes a column name (on
// PostgreSQL and Snowflake plain names are left to fold, as the modeler
// writes them); data tests must name the column the same way.
func (g *gen) quoted(name string) bool { return d.QuoteIdent(g.dialect, name) != name }

// keyTests are the tests of a key: unique + not_null on one column, the
// combination test (and not_null on each part) otherwise.
func (g *gen) keyTests(cols []column, key []string) ([]column, []any) {
	if len(key) == 0 {
		return cols, nil
	}
	set := func(name string, t ...any) {
		for i := range cols {
			if strings.EqualFold(cols[i].name, name) {
				cols[i].tests = append(cols[i].tests, t...)
			}
		}
	}
	if len(key) == 1 {
		set(key[0], unique(), notNull())
		return cols, nil
	}
	return cols, []any{g.uniqueCombination(key)}
}

func (g *gen) columnsOf(names []string, doc func(string) string) []column {
	out := make([]column, 0, len(names))
	for _, n := range names {
		out = append(out, column{name: n, desc: doc(n), quote: g.quoted(n)})
	}
	return out
}

func addTests(cols []column, name string, t ...any) {
	for i := range cols {
		if cols[i].name == name {
			cols[i].tests = append(cols[i].tests, t...)
		}
	}
}

// staging writes the sources files and the staging models of bound raw
// tables (model tables are staged from their specs).
func (g *gen) staging() error {
	names := make([]string, 0, len(g.sources))
	for n := range g.sources {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		src := g.sources[n]
		var tables []omap
		for _, st := range src.tables {
			t := omap{{"name", st.name}}
			if st.identifier != st.name {
				t = append(t, kv{"identifier", st.identifier})
			}
			t = append(t, kv{"description", st.desc})
			if st.external != "" {
				t = append(t, kv{"meta", omap{{"external_location", st.external}}})
			}
			var cols []omap
			for _, c := range st.columns {
				col := omap{{"name", c}}
				if g.quoted(c) {
					col = append(col, kv{"quote", true})
				}
				cols = append(cols, col)
			}
			t = append(t, kv{"columns", cols})
			tables = append(tables, t)
		}
		s := omap{{"name", src.name}}
		if src.schema != "" {
			s = append(s, kv{"schema", src.schema})
		} else {
			s = append(s, kv{"schema", "{{ target.schema }}"})
		}
		desc := "Tables the warehouse reads"
		if g.in.Model != nil && ident(g.in.Model.Name) == src.name {
			desc = fmt.Sprintf("Tables of the canonical model %s (connection %s)", g.in.Model.Name, g.in.Model.Connection)
		}
		s = append(s, kv{"description", desc + "."}, kv{"tables", tables})
		g.add("models/staging/"+src.name+"/_"+src.name+"__sources.yml",
			toYAML("# Generated by databridge: where the raw data lives.\n", omap{{"version", 2}, {"sources", []omap{s}}}))
		// Staging models of bound tables outside the model.
		var props []node
		for _, st := range src.tables {
			if st.modelTable != nil {
				continue
			}
			q := &d.Select{From: d.Table{Name: g.token("{{ source('" + src.name + "', '" + st.name + "') }}"), Alias: "s"}}
			for _, c := range st.columns {
				q.Columns = append(q.Columns, d.As(d.C("s", c), c))
			}
			body, err := g.sql(st.stg, q)
			if err != nil {
				return err
			}
			g.add("models/staging/"+src.name+"/"+st.stg+".sql", "-- Staging of "+src.name+"."+st.identifier+": the columns the warehouse uses, renamed and cast only.\n"+body+"\n")
			g.proj.Models = append(g.proj.Models, st.stg)
			props = append(props, node{name: st.stg, desc: "Staging of " + src.name + "." + st.identifier + ".",
				cols: g.columnsOf(st.columns, func(string) string { return "" })})
		}
		for _, st := range src.tables {
			if st.modelTable != nil {
				props = append(props, g.stagingProps(st))
			}
		}
		if len(props) > 0 {
			g.add("models/staging/"+src.name+"/_"+src.name+"__models.yml", propertiesFile("models", props))
		}
	}
	return nil
}

func modelColDoc(t *model.Table) func(string) string {
	return func(n string) string {
		c := t.Column(n)
		if c == nil {
			return ""
		}
		s := strings.ReplaceAll(string(c.Kind), "_", " ")
		if c.Type != "" {
			s += ", " + strings.ToLower(c.Type)
		}
		return strings.ToUpper(s[:1]) + s[1:] + "."
	}
}

func (g *gen) stagingProps(st *sourceTable) node {
	t := st.modelTable
	cols := g.columnsOf(st.columns, modelColDoc(t))
	cols, tests := g.keyTests(cols, t.PrimaryKey)
	return node{name: st.stg, desc: "Staging of " + t.Name + ": its columns, renamed and cast only.", tests: tests, cols: cols}
}

// folderDefault is the materialization dbt_project.yml sets per folder.
var folderDefault = map[string]string{"staging": "view", "intermediate": "view", "marts": "table"}

// objects writes a model or seed per design object.
func (g *gen) objects(specs []*warehouse.Spec) error {
	props := map[string][]node{} // properties file → nodes
	var propOrder []string
	addProp := func(file string, n node) {
		if _, ok := props[file]; !ok {
			propOrder = append(propOrder, file)
		}
		props[file] = append(props[file], n)
	}
	for _, s := range specs {
		o := s.Object
		name := g.models[strings.ToUpper(o.Name)]
		var stem, hid string
		var h *hierarchy.Hierarchy
		if s.Binding != nil {
			hid = s.Binding.Hierarchy
			h = g.in.Hierarchies[hid]
			stem = s.Binding.Name
			if stem == "" {
				stem = warehouse.Stem(hid)
			}
			stem = ident(stem)
		}
		switch o.Role {
		case warehouse.RoleHierarchy, warehouse.RoleMapping:
			if err := g.seed(s, name, stem, h, addProp); err != nil {
				return err
			}
			continue
		}
		var folder, dir string
		switch o.Role {
		case warehouse.RoleStaging:
			var st *sourceTable
			for _, x := range g.modelSrc {
				if x.stg == name {
					st = x
				}
			}
			if st == nil {
				return fmt.Errorf("%s: no source", o.Name)
			}
			folder, dir = "staging", "models/staging/"+g.sourceOf(st)
		case warehouse.RoleDimension, warehouse.RoleFact, warehouse.RoleFinal:
			folder, dir = "marts", "models/marts"
		default:
			folder, dir = "intermediate", "models/intermediate/"+stem
		}
		body, err := g.sql(name, s.Query)
		if err != nil {
			return err
		}
		var cfg string
		mat := string(o.Kind)
		if folder == "staging" {
			mat = "view"
		}
		switch {
		case mat == string(warehouse.KindDynamicTable):
			lag := strings.ToLower(s.TargetLag)
			args := []string{"materialized='dynamic_table'", "target_lag='" + jinjaStr(lag) + "'", "snowflake_warehouse='" + jinjaStr(s.Warehouse) + "'"}
			if s.RefreshMode != "" {
				args = append(args, "refresh_mode='"+jinjaStr(s.RefreshMode)+"'")
			}
			cfg = "{{ config(" + strings.Join(args, ", ") + ") }}\n\n"
		case mat != folderDefault[folder]:
			cfg = "{{ config(materialized='" + mat + "') }}\n\n"
		}
		comment := strings.TrimPrefix(s.Comment, "databridge: ")
		g.add(dir+"/"+name+".sql", cfg+"-- "+oneLine(comment)+"\n"+body+"\n")
		g.proj.Models = append(g.proj.Models, name)
		if folder == "staging" {
			continue // described with its source
		}
		n := node{name: name, desc: upperFirst(comment) + "."}
		switch o.Role {
		case warehouse.RoleView:
			n.cols = g.columnsOf(o.Columns, colDoc)
			addTests(n.cols, "NODE_CODE", notNull(), g.relationship(g.tbl0(s), "NODE_CODE"))
		case warehouse.RoleJoined:
			n.cols = g.columnsOf(o.Columns, colDoc)
			addTests(n.cols, "LEAF_CODE", g.relationship(g.tbl0(s), "NODE_CODE"))
		case warehouse.RoleAggregate:
			n.cols = g.columnsOf(o.Columns, colDoc)
			n.tests = []any{g.uniqueCombination(append([]string{"LEAF_CODE"}, s.Binding.GroupBy...))}
			addTests(n.cols, "LEAF_CODE", g.relationship(g.tbl0(s), "NODE_CODE"))
			addTests(n.cols, "ROW_COUNT", notNull())
		case warehouse.RoleFinal:
			n.cols = g.columnsOf(o.Columns, colDoc)
			n.tests = []any{g.uniqueCombination(append([]string{"NODE_CODE"}, s.Binding.GroupBy...))}
			addTests(n.cols, "NODE_CODE", notNull(), g.relationship(g.tbl0(s), "NODE_CODE"))
			addTests(n.cols, "NODE_TYPE", notNull(), acceptedValues(nodeTypes(), true))
			addTests(n.cols, "FLIP_SIGN", acceptedValues([]any{0, 1}, false))
		case warehouse.RoleDimension, warehouse.RoleFact:
			n = g.modelProps(o, name, n)
		}
		file := dir + "/_" + folder + "__models.yml"
		if folder == "intermediate" {
			file = dir + "/_int_" + stem + "__models.yml"
		}
		addProp(file, n)
	}
	for _, f := range propOrder {
		kind := "models"
		if strings.HasPrefix(f, "seeds/") {
			kind = "seeds"
		}
		g.add(f, propertiesFile(kind, props[f]))
	}
	return nil
}

func nodeTypes() []any {
	return []any{string(hierarchy.TypeRollup), string(hierarchy.TypeLeaf), string(hierarchy.TypeFormula), string(hierarchy.TypeLabel)}
}

// tbl0 is the seed name of the hierarchy a pipeline spec belongs to.
func (g *gen) tbl0(s *warehouse.Spec) string {
	names := g.in.Config.Names
	prefix := names.Hierarchy
	if prefix == "" {
		prefix = "TBL_0_"
	}
	stem := s.Binding.Name
	if stem == "" {
		stem = warehouse.Stem(s.Binding.Hierarchy)
	}
	return g.objectModel(prefix + stem)
}

// modelProps describes a dimension or a fact of the canonical model.
func (g *gen) modelProps(o *warehouse.Object, name string, n node) node {
	m := g.in.Model
	var t *model.Table
	for _, x := range m.Tables {
		if strings.EqualFold("DIM_"+x.Name, o.Name) || strings.EqualFold("FACT_"+x.Name, o.Name) {
			t = x
		}
	}
	if t == nil {
		n.cols = g.columnsOf(o.Columns, func(string) string { return "" })
		return n
	}
	doc := modelColDoc(t)
	n.cols = g.columnsOf(o.Columns, func(c string) string {
		if s := doc(c); s != "" {
			return s
		}
		if strings.HasSuffix(c, "_SK") {
			return "Surrogate key."
		}
		if c == "AMOUNT" {
			return "Signed amount: debit minus credit."
		}
		return ""
	})
	sk := strings.ToUpper(t.Name) + "_SK"
	if o.Role == warehouse.RoleDimension {
		addTests(n.cols, sk, unique(), notNull())
		var tests []any
		n.cols, tests = g.keyTests(n.cols, t.PrimaryKey)
		n.tests = append(n.tests, tests...)
		if t.SCD.Type == 2 {
			n.cols = append(n.cols, column{name: "IS_CURRENT_VERSION", desc: "1 for the current version of the row.", quote: g.quoted("IS_CURRENT_VERSION"),
				tests: []any{notNull(), acceptedValues([]any{0, 1}, false)}})
		}
		return n
	}
	var tests []any
	n.cols, tests = g.keyTests(n.cols, t.PrimaryKey)
	n.tests = append(n.tests, tests...)
	for _, r := range m.Relationships {
		if !strings.EqualFold(r.FromTable, t.Name) {
			continue
		}
		p := m.Table(r.ToTable)
		if p == nil || !(p.Role == model.RoleDimension || p.Role == model.RoleTimeDimension || p.Role == model.RoleBridge) {
			continue
		}
		col := strings.ToUpper(p.Name) + "_SK"
		cnt := 0
		for _, x := range m.Relationships {
			if strings.EqualFold(x.FromTable, t.Name) && strings.EqualFold(x.ToTable, p.Name) {
				cnt++
			}
		}
		if cnt > 1 {
			col = strings.ToUpper(strings.Join(r.FromColumns, "_")) + "_SK"
		}
		dim := "dim_" + ident(p.Name)
		addTests(n.cols, col, g.relationship(dim, strings.ToUpper(p.Name)+"_SK"))
		if len(r.FromColumns) == 1 && len(r.ToColumns) == 1 {
			addTests(n.cols, r.FromColumns[0], g.relationship(dim, r.ToColumns[0]))
		}
	}
	return n
}

// seed writes TBL_0 or TBL_0_MAPPING as a seed with its column types.
func (g *gen) seed(s *warehouse.Spec, name, stem string, h *hierarchy.Hierarchy, addProp func(string, node)) error {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	var header []string
	types := omap{}
	for _, c := range s.Data.Columns {
		header = append(header, c.Name)
		typ, err := d.RenderType(g.dialect, c.Type)
		if err != nil {
			return fmt.Errorf("%s.%s: %w", name, c.Name, err)
		}
		types = append(types, kv{c.Name, strings.ToLower(typ)})
	}
	if err := w.Write(header); err != nil {
		return err
	}
	for _, row := range s.Data.Rows {
		rec := make([]string, len(row))
		for i, e := range row {
			lit, ok := e.(d.Lit)
			if !ok {
				return fmt.Errorf("%s: a value is not a literal", name)
			}
			switch v := lit.Value.(type) {
			case nil:
			case string:
				if v == "" || strings.EqualFold(v, "null") {
					return fmt.Errorf("%s: the value %q cannot be told from an empty value in a dbt seed", name, v)
				}
				rec[i] = v
			case int64:
				rec[i] = strconv.FormatInt(v, 10)
			case int:
				rec[i] = strconv.Itoa(v)
			default:
				rec[i] = fmt.Sprint(v)
			}
		}
		if err := w.Write(rec); err != nil {
			return err
		}
	}
	w.Flush()
	g.add("seeds/"+stem+"/"+name+".csv", buf.String())
	g.proj.Seeds = append(g.proj.Seeds, name)
	cols := make([]column, 0, len(s.Data.Columns))
	for _, c := range s.Data.Columns {
		col := column{name: c.Name, desc: colDoc(c.Name), quote: g.quoted(c.Name)}
		if c.NotNull {
			col.tests = append(col.tests, notNull())
		}
		cols = append(cols, col)
	}
	n := node{name: name, desc: upperFirst(strings.TrimPrefix(s.Comment, "databridge: ")) + ".", config: omap{{"column_types", types}}}
	if s.Object.Role == warehouse.RoleHierarchy {
		addTests(cols, "NODE_CODE", unique())
		addTests(cols, "PARENT_CODE", g.relationship(name, "NODE_CODE"))
		addTests(cols, "NODE_TYPE", acceptedValues(nodeTypes(), true))
		addTests(cols, "CONSOLIDATION", acceptedValues([]any{"+", "-", "~"}, true))
	} else {
		addTests(cols, "NODE_CODE", g.relationship(g.tbl0(s), "NODE_CODE"))
		addTests(cols, "MATCH_TYPE", acceptedValues([]any{"exact", "range", "prefix", "pattern"}, true))
		addTests(cols, "IS_EXCLUDE", acceptedValues([]any{0, 1}, false))
	}
	n.cols = cols
	if h != nil && n.desc == "." {
		n.desc = h.Name + "."
	}
	addProp("seeds/"+stem+"/_"+stem+"__seeds.yml", n)
	return nil
}

func jinjaStr(s string) string { return strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) }

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
