package warehouse

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	d "github.com/databridge/databridge/pkg/dialect"
	"github.com/databridge/databridge/pkg/hierarchy"
)

// Column names of the pipeline objects (upper case, quoted everywhere, so
// they read the same on every engine).
const (
	colNodeCode      = "NODE_CODE"
	colNodeName      = "NODE_NAME"
	colParentCode    = "PARENT_CODE"
	colNodeType      = "NODE_TYPE"
	colConsolidation = "CONSOLIDATION"
	colNodeSign      = "NODE_SIGN"
	colFlipSign      = "FLIP_SIGN"
	colNodeLevel     = "NODE_LEVEL"
	colSortOrder     = "SORT_ORDER"
	colFormula       = "FORMULA"
	colRuleNo        = "RULE_NO"
	colSourceColumn  = "SOURCE_COLUMN"
	colMatchType     = "MATCH_TYPE"
	colMatchValue    = "MATCH_VALUE"
	colRangeFrom     = "RANGE_FROM"
	colRangeTo       = "RANGE_TO"
	colCodeWidth     = "CODE_WIDTH"
	colIsExclude     = "IS_EXCLUDE"
	colPrecedence    = "PRECEDENCE"
	colRuleText      = "RULE_TEXT"
	colSourceCode    = "SOURCE_CODE"
	colLeafCode      = "LEAF_CODE"
	colRowCount      = "ROW_COUNT"
	// PresentationSuffix names the sign-flipped copy of each value column.
	PresentationSuffix = "_PRESENTATION"
)

func levelCol(k int) string { return "LEVEL_" + strconv.Itoa(k) }
func signCol(k int) string  { return "SIGN_TO_LEVEL_" + strconv.Itoa(k) }

// pipeline holds what one binding's objects are built from.
type pipeline struct {
	dialect string
	schema  string
	h       *hierarchy.Hierarchy
	b       Binding
	names   Names
	sf      SnowflakeOptions
	stem    string
	ruleCol string
	codeCol string
	// tree order
	nodes []*hierarchy.Node
	depth map[string]int // 0-based
	ord   map[string]int // 1-based tree order
	maxD  int            // number of levels
	// resolve, when set, rewrites every object and source reference
	// (Specs); known maps upper-cased names of design objects.
	resolve Resolver
	known   map[string]string
}

func (p *pipeline) name(prefix, suffix string) d.Name {
	n := d.Name{Schema: p.schema, Name: prefix + p.stem + suffix}
	if p.resolve != nil {
		return p.resolve(Reference{Object: n.Name})
	}
	return n
}

func (p *pipeline) tbl0() d.Name    { return p.name(p.names.Hierarchy, "") }
func (p *pipeline) mapping() d.Name { return p.name(p.names.Hierarchy, p.names.Mapping) }
func (p *pipeline) vw1() d.Name     { return p.name(p.names.View, "") }
func (p *pipeline) dt2() d.Name     { return p.name(p.names.Joined, "") }
func (p *pipeline) dt3a() d.Name    { return p.name(p.names.Aggregate, "") }
func (p *pipeline) dt3() d.Name     { return p.name(p.names.Final, "") }

// Stem is the object name stem for a hierarchy id.
func Stem(id string) string { return strings.ToUpper(id) }

func newPipeline(dialect string, cfg *Config, h *hierarchy.Hierarchy, b Binding) (*pipeline, error) {
	if err := b.check(); err != nil {
		return nil, err
	}
	if errs := hierarchy.CheckIntegrity(h); len(errs) > 0 {
		return nil, fmt.Errorf("hierarchy %s has structural errors (run `databridge hierarchy validate %s`): %s", h.ID, h.ID, errs[0].Message)
	}
	p := &pipeline{dialect: dialect, schema: cfg.Schema, h: h, b: b, names: cfg.Names.withDefaults(), sf: cfg.Snowflake,
		depth: map[string]int{}, ord: map[string]int{}}
	p.stem = b.Name
	if p.stem == "" {
		p.stem = Stem(h.ID)
	}
	p.ruleCol = b.RuleColumn
	if p.ruleCol == "" {
		p.ruleCol = h.DefaultColumn()
	}
	if p.ruleCol == "" {
		return nil, fmt.Errorf("hierarchy %s has no source column: set rule_column in the binding or source_columns on the hierarchy", h.ID)
	}
	p.codeCol = b.CodeColumn
	if p.codeCol == "" {
		p.codeCol = p.ruleCol
	}
	h.Walk(func(n *hierarchy.Node, depth int) bool {
		p.nodes = append(p.nodes, n)
		p.depth[n.Code] = depth
		p.ord[n.Code] = len(p.nodes)
		if depth+1 > p.maxD {
			p.maxD = depth + 1
		}
		return true
	})
	if p.maxD == 0 {
		return nil, fmt.Errorf("hierarchy %s has no nodes", h.ID)
	}
	return p, nil
}

// contribution returns, for node n, the ancestor codes per level (1-based;
// level L = the node itself) and the sign of n's value in that ancestor's
// value (nil where the ancestor takes no value: labels and formulas).
func (p *pipeline) levels(n *hierarchy.Node) ([]string, []*int) {
	idx := p.h.Index()
	anc := p.h.Ancestors(n.Code) // parent first
	L := len(anc) + 1
	codes := make([]string, L)
	signs := make([]*int, L)
	codes[L-1] = n.Code
	one := 1
	if n.Type == hierarchy.TypeLeaf || n.Type == hierarchy.TypeRollup {
		signs[L-1] = &one
	}
	sign := n.Consolidation.Sign()
	if n.Type == hierarchy.TypeFormula {
		sign = 0
	}
	for i, a := range anc {
		lvl := L - 2 - i
		codes[lvl] = a
		an := idx[a]
		if an.Type == hierarchy.TypeRollup {
			s := sign
			signs[lvl] = &s
		}
		sign *= an.Consolidation.Sign()
	}
	return codes, signs
}

// ---------------------------------------------------------------- TBL_0

func (p *pipeline) tbl0Object() (*Object, []d.Stmt, []d.Stmt) {
	cols := []d.ColumnDef{
		{Name: colNodeCode, Type: d.Varchar(100), NotNull: true},
		{Name: colNodeName, Type: d.Varchar(500), NotNull: true},
		{Name: colParentCode, Type: d.Varchar(100)},
		{Name: colNodeType, Type: d.Varchar(20), NotNull: true},
		{Name: colConsolidation, Type: d.Varchar(1), NotNull: true},
		{Name: colNodeSign, Type: d.Int, NotNull: true},
		{Name: colFlipSign, Type: d.Int, NotNull: true},
		{Name: colNodeLevel, Type: d.Int, NotNull: true},
		{Name: colSortOrder, Type: d.Int, NotNull: true},
	}
	for k := 1; k <= p.maxD; k++ {
		cols = append(cols, d.ColumnDef{Name: levelCol(k), Type: d.Varchar(100)})
	}
	for k := 1; k <= p.maxD; k++ {
		cols = append(cols, d.ColumnDef{Name: signCol(k), Type: d.Int})
	}
	cols = append(cols, d.ColumnDef{Name: colFormula, Type: d.Varchar(4000)})
	ddl := []d.Stmt{&d.CreateTable{Name: p.tbl0(), Columns: cols, PrimaryKey: []string{colNodeCode}, OrReplace: true,
		Comment: fmt.Sprintf("databridge: hierarchy %s v%d, one row per node", p.h.ID, p.h.Version)}}

	var rows [][]d.Expr
	for _, n := range p.nodes {
		codes, signs := p.levels(n)
		cons := string(n.Consolidation)
		if cons == "" {
			cons = "+"
		}
		flip := int64(0)
		if n.FlipSign {
			flip = 1
		}
		row := []d.Expr{d.S(n.Code), d.S(n.Name), strOrNull(n.Parent), d.S(string(n.Type)), d.S(cons),
			d.I(int64(n.Consolidation.Sign())), d.I(flip), d.I(int64(len(codes))), d.I(int64(p.ord[n.Code]))}
		for k := 0; k < p.maxD; k++ {
			if k < len(codes) {
				row = append(row, d.S(codes[k]))
			} else {
				row = append(row, d.Null)
			}
		}
		for k := 0; k < p.maxD; k++ {
			if k < len(signs) && signs[k] != nil {
				row = append(row, d.I(int64(*signs[k])))
			} else {
				row = append(row, d.Null)
			}
		}
		if n.Formula != nil {
			row = append(row, d.S(n.Formula.Expression))
		} else {
			row = append(row, d.Null)
		}
		rows = append(rows, row)
	}
	names := make([]string, len(cols))
	types := make([]d.Type, len(cols))
	for i, c := range cols {
		names[i], types[i] = c.Name, c.Type
	}
	load := append([]d.Stmt{&d.Delete{Table: p.tbl0()}}, insertRows(p.tbl0(), names, types, rows)...)
	o := &Object{Name: p.plain(p.tbl0), Schema: p.schema, Kind: KindTable, Role: RoleHierarchy, Hierarchy: p.h.ID, DependsOn: []string{}, File: FileDimensions, Columns: names}
	return o, ddl, load
}

func strOrNull(s string) d.Expr {
	if s == "" {
		return d.Null
	}
	return d.S(s)
}

// insertRows splits rows into INSERT ... SELECT FROM VALUES statements of
// at most 500 rows.
func insertRows(t d.Name, cols []string, types []d.Type, rows [][]d.Expr) []d.Stmt {
	const chunk = 500
	var out []d.Stmt
	for i := 0; i < len(rows); i += chunk {
		end := min(i+chunk, len(rows))
		items := make([]d.SelectItem, len(cols))
		for j, c := range cols {
			items[j] = d.SelectItem{Expr: d.C("v", c)}
		}
		out = append(out, &d.Insert{Table: t, Columns: cols, Query: &d.Select{
			Columns: items,
			From:    &d.Values{Columns: cols, Types: types, Rows: rows[i:end], Alias: "v"},
		}})
	}
	return out
}

// ---------------------------------------------------------------- TBL_0_MAPPING

func (p *pipeline) mappingObject() (*Object, []d.Stmt, []d.Stmt) {
	cols := []d.ColumnDef{
		{Name: colNodeCode, Type: d.Varchar(100), NotNull: true},
		{Name: colRuleNo, Type: d.Int, NotNull: true},
		{Name: colSourceColumn, Type: d.Varchar(200), NotNull: true},
		{Name: colMatchType, Type: d.Varchar(10), NotNull: true},
		{Name: colMatchValue, Type: d.Varchar(400)},
		{Name: colRangeFrom, Type: d.Varchar(400)},
		{Name: colRangeTo, Type: d.Varchar(400)},
		{Name: colCodeWidth, Type: d.Int},
		{Name: colIsExclude, Type: d.Int, NotNull: true},
		{Name: colPrecedence, Type: d.Int, NotNull: true},
		{Name: colRuleText, Type: d.Varchar(1000), NotNull: true},
	}
	ddl := []d.Stmt{&d.CreateTable{Name: p.mapping(), Columns: cols, OrReplace: true,
		Comment: fmt.Sprintf("databridge: mapping rules of hierarchy %s v%d, one row per rule value", p.h.ID, p.h.Version)}}
	var rows [][]d.Expr
	for _, n := range p.nodes {
		if n.Type != hierarchy.TypeLeaf {
			continue
		}
		for ri, r := range n.Rules {
			col := p.h.RuleColumn(r)
			excl := int64(0)
			if r.Exclude {
				excl = 1
			}
			shown := r
			shown.Column = col
			base := func(match string, value, from, to d.Expr, width d.Expr) []d.Expr {
				return []d.Expr{d.S(n.Code), d.I(int64(ri + 1)), d.S(col), d.S(match), value, from, to, width, d.I(excl), d.I(int64(r.EffectivePrecedence())), d.S(shown.String())}
			}
			switch r.Match {
			case hierarchy.MatchExact:
				rows = append(rows, base("exact", d.S(r.Value), d.Null, d.Null, d.Null))
			case hierarchy.MatchList:
				seen := map[string]bool{}
				for _, v := range r.Values {
					if !seen[v] {
						seen[v] = true
						rows = append(rows, base("exact", d.S(v), d.Null, d.Null, d.Null))
					}
				}
			case hierarchy.MatchRange:
				rows = append(rows, base("range", d.Null, d.S(r.From), d.S(r.To), d.I(int64(utf8.RuneCountInString(r.From)))))
			case hierarchy.MatchPrefix:
				rows = append(rows, base("prefix", d.S(r.Value), d.Null, d.Null, d.I(int64(utf8.RuneCountInString(r.Value)))))
			case hierarchy.MatchPattern:
				rows = append(rows, base("pattern", d.S(hierarchy.LikePattern(p.dialect, r.Value)), d.Null, d.Null, d.Null))
			}
		}
	}
	names := make([]string, len(cols))
	types := make([]d.Type, len(cols))
	for i, c := range cols {
		names[i], types[i] = c.Name, c.Type
	}
	load := []d.Stmt{&d.Delete{Table: p.mapping()}}
	load = append(load, insertRows(p.mapping(), names, types, rows)...)
	o := &Object{Name: p.plain(p.mapping), Schema: p.schema, Kind: KindTable, Role: RoleMapping, Hierarchy: p.h.ID, DependsOn: []string{}, File: FileDimensions, Columns: names}
	return o, ddl, load
}

// ---------------------------------------------------------------- VW_1

func (p *pipeline) vw1Object() (*Object, []d.Stmt) {
	items := []d.SelectItem{}
	var names []string
	for _, c := range []string{colNodeCode, colRuleNo, colSourceColumn, colMatchType, colMatchValue, colRangeFrom, colRangeTo, colCodeWidth, colIsExclude, colPrecedence, colRuleText} {
		items = append(items, d.SelectItem{Expr: d.C("m", c)})
		names = append(names, c)
	}
	for _, c := range []string{colNodeName, colNodeLevel, colSortOrder} {
		items = append(items, d.SelectItem{Expr: d.C("n", c)})
		names = append(names, c)
	}
	for k := 1; k <= p.maxD; k++ {
		items = append(items, d.SelectItem{Expr: d.C("n", levelCol(k))})
		names = append(names, levelCol(k))
	}
	q := &d.Select{
		Columns: items,
		From:    d.Table{Name: p.mapping(), Alias: "m"},
		Joins:   []d.Join{{Kind: d.InnerJoin, From: d.Table{Name: p.tbl0(), Alias: "n"}, On: d.Eq(d.C("n", colNodeCode), d.C("m", colNodeCode))}},
		Where:   d.Eq(d.C("n", colNodeType), d.S(string(hierarchy.TypeLeaf))),
	}
	o := &Object{Name: p.plain(p.vw1), Schema: p.schema, Kind: KindView, Role: RoleView, Hierarchy: p.h.ID,
		DependsOn: []string{p.plain(p.tbl0), p.plain(p.mapping)}, File: FileViews, Columns: names}
	return o, []d.Stmt{&d.CreateView{Name: p.vw1(), Query: q, OrReplace: true,
		Comment: fmt.Sprintf("databridge: mapping rules of %s resolved against node levels", p.h.ID)}}
}

// ---------------------------------------------------------------- DT_2

func (p *pipeline) sourceName() d.Name {
	n := p.boundSource()
	obj, ok := knownObject(p.known, n)
	if p.resolve != nil {
		if ok {
			return p.resolve(Reference{Object: obj})
		}
		return p.resolve(Reference{Source: p.b.Source})
	}
	if ok && !strings.EqualFold(obj, n.Name) {
		// A table of the approved model: read the object the design
		// builds from it.
		return d.Name{Schema: p.schema, Name: obj}
	}
	return n
}

// boundSource is the binding's fact table as written (checked when the
// binding was made and when warehouse.yaml is read).
func (p *pipeline) boundSource() d.Name {
	n, err := ParseSourceName(p.b.Source)
	if err != nil {
		return d.Name{Name: p.b.Source}
	}
	return n
}

// knownObject is the design object a bound source names: an object of the
// design by its name, or (unqualified) a table of the approved model by
// its own name.
func knownObject(known map[string]string, n d.Name) (string, bool) {
	obj, ok := known[strings.ToUpper(n.Name)]
	if !ok || (n.Schema != "" && !strings.EqualFold(obj, n.Name)) {
		return "", false
	}
	return obj, true
}

func (p *pipeline) codeExpr(alias string) d.Expr {
	return &d.Cast{X: d.C(alias, p.codeCol), Type: d.Varchar(400)}
}

func (p *pipeline) dt2Query() d.Query {
	v, c := "v", "c"
	matchSel := func(on d.Expr) *d.Select {
		return &d.Select{
			Columns: []d.SelectItem{d.As(d.C(c, colSourceCode), colSourceCode), d.As(d.C(v, colNodeCode), colNodeCode),
				d.As(d.C(v, colPrecedence), colPrecedence), d.As(d.C(v, colIsExclude), colIsExclude), d.As(d.C(v, colSortOrder), colSortOrder)},
			From:  d.Table{Name: d.N("codes"), Alias: c},
			Joins: []d.Join{{Kind: d.InnerJoin, From: d.Table{Name: p.vw1(), Alias: v}, On: d.And(d.Eq(d.C(v, colSourceColumn), d.S(p.ruleCol)), on)}},
		}
	}
	// The one matcher (hierarchy.MatchCondition) over the codes' keys,
	// with the hierarchy's matching option on both sides.
	code := d.C(c, colSourceCode)
	kind := func(typ string, m hierarchy.MatchType) *d.Select {
		return matchSel(d.And(d.Eq(d.C(v, colMatchType), d.S(typ)), hierarchy.MatchCondition(p.dialect, p.h.CodeMatching(), m, code,
			hierarchy.RuleOperands{Value: d.C(v, colMatchValue), From: d.C(v, colRangeFrom), To: d.C(v, colRangeTo)})))
	}
	exact := kind("exact", hierarchy.MatchExact)
	rng := kind("range", hierarchy.MatchRange)
	prefix := kind("prefix", hierarchy.MatchPrefix)
	pattern := kind("pattern", hierarchy.MatchPattern)

	groupCols := func(alias string) []d.SelectItem {
		var out []d.SelectItem
		for _, g := range p.b.GroupBy {
			out = append(out, d.SelectItem{Expr: d.C(alias, g)})
		}
		return out
	}
	// Values are cast to the exact type of DT_3 row by row, before any
	// sum: a DOUBLE source (a CSV read as floating point) is summed
	// exactly, as the rollup does.
	valueCols := func(alias string) []d.SelectItem {
		var out []d.SelectItem
		for _, x := range p.b.Values {
			out = append(out, d.As(&d.Cast{X: d.C(alias, x), Type: valueType}, x))
		}
		return out
	}
	final := &d.Select{
		With: []d.CTE{
			{Name: "codes", Query: &d.Select{Distinct: true, Columns: []d.SelectItem{d.As(hierarchy.CodeKey(p.codeExpr("s"), p.h.CodeMatching()), colSourceCode)},
				From: d.Table{Name: p.sourceName(), Alias: "s"}, Where: &d.IsNull{X: d.C("s", p.codeCol), Not: true}}},
			{Name: "matched", Query: &d.UnionAll{Queries: []d.Query{exact, rng, prefix, pattern}}},
			{Name: "included", Query: &d.Select{
				Columns: []d.SelectItem{{Expr: d.C("i", colSourceCode)}, {Expr: d.C("i", colNodeCode)}, {Expr: d.C("i", colSortOrder)},
					d.As(d.F("MIN", d.C("i", colPrecedence)), colPrecedence)},
				From: d.Table{Name: d.N("matched"), Alias: "i"},
				Where: d.And(d.Eq(d.C("i", colIsExclude), d.I(0)),
					&d.Exists{Not: true, Query: &d.Select{Columns: []d.SelectItem{{Expr: d.I(1)}}, From: d.Table{Name: d.N("matched"), Alias: "x"},
						Where: d.And(d.Eq(d.C("x", colIsExclude), d.I(1)), d.Eq(d.C("x", colSourceCode), d.C("i", colSourceCode)), d.Eq(d.C("x", colNodeCode), d.C("i", colNodeCode)))}}),
				GroupBy: []d.Expr{d.C("i", colSourceCode), d.C("i", colNodeCode), d.C("i", colSortOrder)},
			}},
			{Name: "ranked", Query: &d.Select{
				Columns: []d.SelectItem{{Expr: d.C("r", colSourceCode)}, {Expr: d.C("r", colNodeCode)},
					d.As(&d.Over{Func: d.F("ROW_NUMBER"), PartitionBy: []d.Expr{d.C("r", colSourceCode)},
						OrderBy: []d.Order{{Expr: d.C("r", colPrecedence)}, {Expr: d.C("r", colSortOrder)}}}, "RN")},
				From: d.Table{Name: d.N("included"), Alias: "r"},
			}},
			{Name: "winner", Query: &d.Select{
				Columns: []d.SelectItem{{Expr: d.C("w", colSourceCode)}, {Expr: d.C("w", colNodeCode)}},
				From:    d.Table{Name: d.N("ranked"), Alias: "w"},
				Where:   d.Eq(d.C("w", "RN"), d.I(1)),
			}},
		},
		From:  d.Table{Name: p.sourceName(), Alias: "s"},
		Joins: []d.Join{{Kind: d.LeftJoin, From: d.Table{Name: d.N("winner"), Alias: "w"}, On: d.Eq(d.C("w", colSourceCode), hierarchy.CodeKey(p.codeExpr("s"), p.h.CodeMatching()))}},
	}
	final.Columns = append(final.Columns, groupCols("s")...)
	final.Columns = append(final.Columns, d.As(p.codeExpr("s"), colSourceCode), d.As(d.C("w", colNodeCode), colLeafCode))
	final.Columns = append(final.Columns, valueCols("s")...)
	return final
}

func (p *pipeline) dt2Object() (*Object, []d.Stmt) {
	q := p.dt2Query()
	names := append(append(append([]string{}, p.b.GroupBy...), colSourceCode, colLeafCode), p.b.Values...)
	o := &Object{Name: p.plain(p.dt2), Schema: p.schema, Role: RoleJoined, Hierarchy: p.h.ID,
		DependsOn: []string{p.plain(p.vw1)}, Columns: names}
	comment := fmt.Sprintf("databridge: rows of %s joined to their %s leaf (LEAF_CODE NULL = unmapped)", p.b.Source, p.h.ID)
	if d.Capabilities(p.dialect).DynamicTables && p.sf.dynamic() {
		o.Kind, o.File = KindDynamicTable, FileDynamicTables
		return o, []d.Stmt{&d.CreateDynamicTable{Name: p.dt2(), Query: q, OrReplace: true, TargetLag: "DOWNSTREAM",
			Warehouse: p.sf.Warehouse, RefreshMode: p.sf.RefreshMode, Comment: comment}}
	}
	// Elsewhere a view: materialising every fact row again would double
	// the storage; DT_3A aggregates from it.
	o.Kind, o.File = KindView, FileViews
	return o, []d.Stmt{&d.CreateView{Name: p.dt2(), Query: q, OrReplace: true, Comment: comment}}
}

// derived creates DT_3A / DT_3: a dynamic table where the engine has them
// (Snowflake), a materialized view where it has those but no CREATE OR
// REPLACE TABLE (PostgreSQL: refreshed in place), a table (CREATE OR
// REPLACE TABLE AS, or its drop and create) elsewhere.
func (p *pipeline) derived(name d.Name, q d.Query, lag, comment string) (Kind, []d.Stmt) {
	c := d.Capabilities(p.dialect)
	switch {
	case c.DynamicTables && p.sf.dynamic():
		return KindDynamicTable, []d.Stmt{&d.CreateDynamicTable{Name: name, Query: q, OrReplace: true, TargetLag: lag,
			Warehouse: p.sf.Warehouse, RefreshMode: p.sf.RefreshMode, Comment: comment}}
	case c.MaterializedViews && !c.CreateOrReplaceTable:
		return KindMaterializedView, []d.Stmt{&d.CreateMaterializedView{Name: name, Query: q, OrReplace: true, Comment: comment}}
	}
	return KindTable, []d.Stmt{&d.CreateTableAs{Name: name, Query: q, OrReplace: true, Comment: comment}}
}

// ---------------------------------------------------------------- DT_3A

func (p *pipeline) dt3aObject() (*Object, []d.Stmt) {
	var items []d.SelectItem
	var group []d.Expr
	group = append(group, d.C("j", colLeafCode))
	items = append(items, d.SelectItem{Expr: d.C("j", colLeafCode)})
	for _, g := range p.b.GroupBy {
		items = append(items, d.SelectItem{Expr: d.C("j", g)})
		group = append(group, d.C("j", g))
	}
	for _, v := range p.b.Values {
		items = append(items, d.As(d.F("SUM", d.C("j", v)), v))
	}
	items = append(items, d.As(d.F("COUNT", d.Star{}), colRowCount))
	q := &d.Select{Columns: items, From: d.Table{Name: p.dt2(), Alias: "j"}, GroupBy: group}
	by := "leaf"
	if len(p.b.GroupBy) > 0 {
		by += ", " + strings.Join(p.b.GroupBy, ", ")
	}
	kind, ddl := p.derived(p.dt3a(), q, "DOWNSTREAM", fmt.Sprintf("databridge: %s summed by %s for %s (LEAF_CODE NULL = unmapped)", p.b.Source, by, p.h.ID))
	names := append(append(append([]string{colLeafCode}, p.b.GroupBy...), p.b.Values...), colRowCount)
	o := &Object{Name: p.plain(p.dt3a), Schema: p.schema, Kind: kind, Role: RoleAggregate, Hierarchy: p.h.ID,
		DependsOn: []string{p.plain(p.dt2)}, File: FileDynamicTables, Columns: names}
	return o, ddl
}

// plain is an object's own name, never rewritten by the resolver.
func (p *pipeline) plain(f func() d.Name) string {
	r := p.resolve
	p.resolve = nil
	defer func() { p.resolve = r }()
	return f().Name
}
