package warehouse

import (
	"fmt"
	"sort"
	"strings"

	d "github.com/databridge/databridge/pkg/dialect"
	"github.com/databridge/databridge/pkg/model"
)

// Source says how the target reads one model table: a table in the target
// database (schema.table), or a file DuckDB reads directly.
type Source struct {
	Table  d.Name `json:"table,omitempty"`
	File   string `json:"file,omitempty"`
	Format string `json:"format,omitempty"` // csv, tsv, parquet, json
	// Version fingerprints a file's content as last seen (size and
	// modification time): a staging table read from a file that changed
	// has another checksum, so a deploy reloads it and what depends on it.
	Version string `json:"version,omitempty"`
}

func (s Source) from(alias string, t *model.Table) (d.From, error) {
	if s.File == "" {
		return d.Table{Name: s.Table, Alias: alias}, nil
	}
	fn := map[string]string{"csv": "read_csv_auto", "tsv": "read_csv_auto", "parquet": "read_parquet", "json": "read_json_auto"}[s.Format]
	if fn == "" {
		return nil, fmt.Errorf("cannot stage %s: unknown file format %q", s.File, s.Format)
	}
	args := []d.Expr{d.S(s.File)}
	if types := FileDecimalTypes(s.Format, t); types != nil {
		args = append(args, types)
	}
	return d.TableFunc{Func: d.F(fn, args...), Alias: alias}, nil
}

// FileDecimalTypes is the types argument that reads a CSV file's money
// columns as the exact decimals the model profiled (DECIMAL(18,2)), not
// as the DOUBLE the CSV sniffer would pick; nil when there are none or
// the file is not CSV. Staging and the dbt sources both use it.
func FileDecimalTypes(format string, t *model.Table) d.Expr {
	if t == nil || format != "csv" && format != "tsv" {
		return nil
	}
	var fields []d.StructField
	for _, c := range t.Columns {
		if len(c.MergedFrom) > 0 {
			continue
		}
		u := strings.ToUpper(strings.ReplaceAll(c.Type, " ", ""))
		if c.Format != "" {
			// A formatted amount ("$1,234.56") is read as its text;
			// staging converts it (stagingColumn).
			fields = append(fields, d.StructField{Name: c.Name, Value: d.S("VARCHAR")})
		} else if strings.HasPrefix(u, "DECIMAL(") || strings.HasPrefix(u, "NUMERIC(") {
			fields = append(fields, d.StructField{Name: c.Name, Value: d.S(u)})
		}
	}
	if len(fields) == 0 {
		return nil
	}
	return d.NamedArg{Name: "types", Value: d.StructLit{Fields: fields}}
}

// stagingColumn is model column c as staging selects it from alias: as
// is, or — a formatted amount of a file (c.Format) — converted from its
// text to the exact decimal the model holds.
func stagingColumn(dialect, alias string, c model.Column, file bool) (d.SelectItem, error) {
	if c.Format == "" || !file {
		return d.As(d.C(alias, c.Name), c.Name), nil
	}
	t, ok := d.ParseDecimal(c.Type)
	if !ok {
		return d.SelectItem{}, fmt.Errorf("column %s is written as %s amounts but typed %s: a formatted amount reads as a DECIMAL(p,s)", c.Name, c.Format, c.Type)
	}
	e, err := d.FormattedAmount(dialect, d.C(alias, c.Name), c.Format, t)
	if err != nil {
		return d.SelectItem{}, fmt.Errorf("column %s: %w", c.Name, err)
	}
	return d.As(e, c.Name), nil
}

// hasFormatted: a column of t is a formatted amount.
func hasFormatted(t *model.Table) bool {
	for _, c := range t.Columns {
		if c.Format != "" && len(c.MergedFrom) == 0 {
			return true
		}
	}
	return false
}

// Model object name stems.
func stgName(t string) string  { return "STG_" + strings.ToUpper(t) }
func dimName(t string) string  { return "DIM_" + strings.ToUpper(t) }
func factName(t string) string { return "FACT_" + strings.ToUpper(t) }
func skName(t string) string   { return strings.ToUpper(t) + "_SK" }

// factSK is the column of fact that holds the surrogate key of the
// dimension relationship r points at: the dimension's key name, or, where
// the fact references that dimension more than once, one named by the
// referencing columns (SHIP_DATE_SK, BILL_DATE_SK).
func factSK(m *model.Model, fact string, r model.Relationship) string {
	if countRels(m, fact, r.ToTable) > 1 {
		return strings.ToUpper(strings.Join(r.FromColumns, "_")) + "_SK"
	}
	return skName(r.ToTable)
}

// modelObjects turns an approved canonical model into staging tables or
// views (STG_), dimensions with surrogate keys (DIM_; SCD type 2 tables
// keep their validity columns and get IS_CURRENT) and facts joined to them
// (FACT_, with each dimension's surrogate key, the attributes of a time
// dimension, and a signed AMOUNT where the fact has debit and credit).
func modelObjects(dialect, schema string, m *model.Model, sources map[string]Source, resolve Resolver) ([]*Object, map[string][]d.Stmt, error) {
	if m.Status != model.StatusApproved {
		return nil, nil, fmt.Errorf("model %s is %s: approve it first (databridge model approve --model %s)", m.Name, m.Status, m.Name)
	}
	name := func(n string) d.Name {
		if resolve != nil {
			return resolve(Reference{Object: n})
		}
		return d.Name{Schema: schema, Name: n}
	}
	objs := []*Object{}
	ddl := map[string][]d.Stmt{}
	add := func(o *Object, stmts []d.Stmt) {
		o.Schema = schema
		objs = append(objs, o)
		ddl[o.Name] = stmts
	}
	tables := append([]*model.Table{}, m.Tables...)
	sort.SliceStable(tables, func(i, j int) bool { return tables[i].Name < tables[j].Name })
	// Staging: a copy of every source table (from files, a table; from the
	// same database, a view).
	for _, t := range tables {
		src, ok := sources[t.Name]
		if !ok {
			return nil, nil, fmt.Errorf("no source for model table %s", t.Name)
		}
		from, err := src.from("s", t)
		if err != nil {
			return nil, nil, err
		}
		q := &d.Select{Columns: []d.SelectItem{{Expr: d.Star{Table: "s"}}}, From: from}
		if resolve != nil || src.File != "" && hasFormatted(t) {
			// Specs: the source by reference, its columns listed (and a
			// file's formatted amounts converted).
			if resolve != nil {
				q = &d.Select{From: d.Table{Name: resolve(Reference{ModelTable: t.Name}), Alias: "s"}}
			} else {
				q = &d.Select{From: from}
			}
			for _, c := range t.Columns {
				if resolve == nil && len(c.MergedFrom) > 0 {
					continue
				}
				it, err := stagingColumn(dialect, "s", c, src.File != "")
				if err != nil {
					return nil, nil, fmt.Errorf("staging of %s: %w", t.Name, err)
				}
				q.Columns = append(q.Columns, it)
			}
		}
		o := &Object{Name: stgName(t.Name), Role: RoleStaging, DependsOn: []string{}, File: FileDimensions, SourceVersion: src.Version}
		for _, c := range t.Columns {
			o.Columns = append(o.Columns, c.Name)
		}
		comment := fmt.Sprintf("databridge: staging of %s (model %s)", t.Name, m.Name)
		if src.File != "" {
			o.Kind = KindTable
			add(o, []d.Stmt{&d.CreateTableAs{Name: name(o.Name), Query: q, OrReplace: true, Comment: comment}})
		} else {
			o.Kind = KindView
			add(o, []d.Stmt{&d.CreateView{Name: name(o.Name), Query: q, OrReplace: true, Comment: comment}})
		}
	}
	// Dimensions.
	for _, t := range tables {
		if !isDim(t) {
			continue
		}
		if len(t.PrimaryKey) == 0 {
			return nil, nil, fmt.Errorf("dimension %s has no key: set one (databridge model set-key %s COLUMN...)", t.Name, t.Name)
		}
		var order []d.Order
		for _, k := range t.PrimaryKey {
			order = append(order, d.Order{Expr: d.C("s", k)})
		}
		items := []d.SelectItem{d.As(&d.Over{Func: d.F("ROW_NUMBER"), OrderBy: order}, skName(t.Name)), {Expr: d.Star{Table: "s"}}}
		if t.SCD.Type == 2 {
			items = append(items, d.As(currentExpr("s", t.SCD), CurrentVersionColumn))
		}
		o := &Object{Name: dimName(t.Name), Kind: KindTable, Role: RoleDimension, DependsOn: []string{stgName(t.Name)}, File: FileDimensions,
			Columns: append([]string{skName(t.Name)}, columnNames(t)...)}
		q := &d.Select{Columns: items, From: d.Table{Name: name(stgName(t.Name)), Alias: "s"}}
		add(o, []d.Stmt{&d.CreateTableAs{Name: name(o.Name), Query: q, OrReplace: true,
			Comment: fmt.Sprintf("databridge: dimension %s (%s) with surrogate key %s%s", t.Name, t.Entity, skName(t.Name), map[bool]string{true: ", SCD type 2", false: ""}[t.SCD.Type == 2])}})
	}
	// Facts.
	for _, t := range tables {
		if !t.Role.IsFact() {
			continue
		}
		o := &Object{Name: factName(t.Name), Kind: KindTable, Role: RoleFact, DependsOn: []string{stgName(t.Name)}, File: FileFacts, Columns: columnNames(t)}
		items := []d.SelectItem{{Expr: d.Star{Table: "f"}}}
		var joins []d.Join
		have := map[string]bool{}
		for _, c := range t.Columns {
			have[strings.ToLower(c.Name)] = true
		}
		n := 0
		for _, r := range m.Relationships {
			if !strings.EqualFold(r.FromTable, t.Name) {
				continue
			}
			p := m.Table(r.ToTable)
			if p == nil || !isDim(p) {
				continue
			}
			n++
			alias := fmt.Sprintf("d%d", n)
			var on []d.Expr
			for i, c := range r.FromColumns {
				on = append(on, d.Eq(d.C("f", c), d.C(alias, r.ToColumns[i])))
			}
			if p.SCD.Type == 2 {
				// Join the version current today; as-of joins by a date of
				// the fact are a reviewer's choice for later.
				on = append(on, d.Eq(d.C(alias, CurrentVersionColumn), d.I(1)))
			}
			joins = append(joins, d.Join{Kind: d.LeftJoin, From: d.Table{Name: name(dimName(p.Name)), Alias: alias}, On: d.And(on...)})
			sk := factSK(m, t.Name, r)
			items = append(items, d.As(d.C(alias, skName(p.Name)), sk))
			o.Columns = append(o.Columns, sk)
			o.DependsOn = append(o.DependsOn, dimName(p.Name))
			if p.Role == model.RoleTimeDimension {
				// Calendar attributes travel with the fact for reporting
				// (fiscal year, quarter, ...).
				for _, c := range p.Columns {
					if contains(p.PrimaryKey, c.Name) || have[strings.ToLower(c.Name)] {
						continue
					}
					have[strings.ToLower(c.Name)] = true
					items = append(items, d.As(d.C(alias, c.Name), c.Name))
					o.Columns = append(o.Columns, c.Name)
				}
			}
		}
		if deb, cred := t.Column("debit"), t.Column("credit"); deb != nil && cred != nil && !have["amount"] {
			items = append(items, d.As(&d.Binary{Op: "-", L: d.F("COALESCE", d.C("f", deb.Name), d.I(0)), R: d.F("COALESCE", d.C("f", cred.Name), d.I(0))}, "AMOUNT"))
			o.Columns = append(o.Columns, "AMOUNT")
		}
		q := &d.Select{Columns: items, From: d.Table{Name: name(stgName(t.Name)), Alias: "f"}, Joins: joins}
		add(o, []d.Stmt{&d.CreateTableAs{Name: name(o.Name), Query: q, OrReplace: true,
			Comment: fmt.Sprintf("databridge: %s %s joined to its dimensions", strings.ReplaceAll(string(t.Role), "_", " "), t.Name)}})
	}
	return objs, ddl, nil
}

// isDim reports whether a model table deploys as a dimension.
func isDim(t *model.Table) bool {
	return t.Role == model.RoleDimension || t.Role == model.RoleTimeDimension || t.Role == model.RoleBridge
}

// currentExpr is 1 for a dimension row that is the current version.
func currentExpr(alias string, s model.SCD) d.Expr {
	var cond d.Expr
	switch {
	case s.IsCurrent != "":
		cond = d.Or(d.Eq(&d.Cast{X: d.C(alias, s.IsCurrent), Type: d.Varchar(10)}, d.S("true")),
			d.Eq(&d.Cast{X: d.C(alias, s.IsCurrent), Type: d.Varchar(10)}, d.S("1")),
			d.Eq(d.F("UPPER", &d.Cast{X: d.C(alias, s.IsCurrent), Type: d.Varchar(10)}), d.S("Y")),
			d.Eq(d.F("UPPER", &d.Cast{X: d.C(alias, s.IsCurrent), Type: d.Varchar(10)}), d.S("TRUE")))
	case s.ValidTo != "":
		cond = d.Or(&d.IsNull{X: d.C(alias, s.ValidTo)}, &d.Binary{Op: ">=", L: &d.Cast{X: d.C(alias, s.ValidTo), Type: d.Varchar(10)}, R: d.S("9000-01-01")})
	default:
		return d.I(1)
	}
	return &d.Case{Whens: []d.When{{Cond: cond, Then: d.I(1)}}, Else: d.I(0)}
}

func countRels(m *model.Model, from, to string) int {
	n := 0
	for _, r := range m.Relationships {
		if strings.EqualFold(r.FromTable, from) && strings.EqualFold(r.ToTable, to) {
			n++
		}
	}
	return n
}

func columnNames(t *model.Table) []string {
	var out []string
	for _, c := range t.Columns {
		out = append(out, c.Name)
	}
	return out
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if strings.EqualFold(x, v) {
			return true
		}
	}
	return false
}

func dialect2Name(schema, table string) d.Name { return d.Name{Schema: schema, Name: table} }
