package warehouse

import (
	"strings"

	"github.com/databridge/databridge/pkg/hierarchy"
	"github.com/databridge/databridge/pkg/model"
	"github.com/databridge/databridge/pkg/validate"
)

// ChecksInput is what the post-deploy checks are derived from.
type ChecksInput struct {
	Design      *Design
	Config      *Config
	Model       *model.Model
	Hierarchies map[string]*hierarchy.Hierarchy
}

// Checks derives the validation suite of a design: keys and relationships
// of the model's dimensions and facts, every staged row kept, trial
// balances, and per bound hierarchy its structure, every source code
// mapped, the statement tying out to the source, and the balance check of
// a balance sheet.
func Checks(in ChecksInput) []validate.Check {
	var out []validate.Check
	q := func(n string) string {
		if in.Design.Schema == "" {
			return n
		}
		return in.Design.Schema + "." + n
	}
	has := func(n string) bool { return in.Design.Object(n) != nil }
	// A bound source is qualified already, or lives in the design's schema
	// when the design builds it.
	// An unqualified name of a model table is read from the object the
	// design builds from it, as the pipeline does.
	qSource := func(n string) string {
		if strings.Contains(n, ".") {
			return n
		}
		if !has(n) && in.Model != nil {
			if a := modelAlias(in.Model, n); a != "" && has(a) {
				return q(in.Design.Object(a).Name)
			}
		}
		if !has(n) {
			return n
		}
		return q(n)
	}
	if m := in.Model; m != nil {
		for _, t := range m.Tables {
			switch {
			case has(dimName(t.Name)):
				dim := q(dimName(t.Name))
				out = append(out,
					validate.Check{Kind: validate.KindRowCount, Table: dim, SourceTable: q(stgName(t.Name))},
					validate.Check{Kind: validate.KindUnique, Table: dim, Columns: []string{skName(t.Name)}},
					validate.Check{Kind: validate.KindNotNull, Table: dim, Columns: t.PrimaryKey, Keys: []string{skName(t.Name)}},
				)
				if len(t.PrimaryKey) > 0 {
					out = append(out, validate.Check{Kind: validate.KindUnique, Table: dim, Columns: t.PrimaryKey})
				}
			case has(factName(t.Name)):
				fact := q(factName(t.Name))
				out = append(out, validate.Check{Kind: validate.KindRowCount, Table: fact, SourceTable: q(stgName(t.Name))})
				if len(t.PrimaryKey) > 0 {
					out = append(out, validate.Check{Kind: validate.KindUnique, Table: fact, Columns: t.PrimaryKey, Level: validate.Comprehensive})
				}
				for _, r := range m.Relationships {
					if !strings.EqualFold(r.FromTable, t.Name) || !has(dimName(r.ToTable)) {
						continue
					}
					out = append(out, validate.Check{Kind: validate.KindRelationship, Table: fact, Columns: r.FromColumns,
						RefTable: q(dimName(r.ToTable)), RefColumns: r.ToColumns, Level: validate.Comprehensive})
					// The key found its dimension row: a fact row with the
					// business key has the surrogate key (a lookup that
					// misses, e.g. on a version no longer current, leaves
					// it NULL while the business key still matches).
					sk := factSK(m, t.Name, r)
					var where []validate.Filter
					for _, c := range r.FromColumns {
						where = append(where, validate.Filter{Column: c, Not: true})
					}
					out = append(out, validate.Check{Name: "dimension key " + fact + "." + sk + " found for every " + strings.Join(r.FromColumns, ", "),
						Kind: validate.KindNotNull, Table: fact, Columns: []string{sk}, Where: where, Keys: r.FromColumns, Level: validate.Comprehensive})
				}
				// A ledger with debits and credits balances.
				if deb, cred := t.Column("debit"), t.Column("credit"); deb != nil && cred != nil {
					c := validate.Check{Name: "trial balance " + fact, Kind: validate.KindSumsToZero, Table: fact,
						Amount: []validate.Term{validate.Plus(deb.Name), validate.Minus(cred.Name)}}
					for _, r := range m.Relationships {
						if strings.EqualFold(r.FromTable, t.Name) {
							if p := m.Table(r.ToTable); p != nil && p.Role == model.RoleTimeDimension && len(r.FromColumns) == 1 {
								c.GroupBy = r.FromColumns
							}
						}
					}
					out = append(out, c)
				}
			}
		}
	}
	for _, b := range in.Config.Bindings {
		h := in.Hierarchies[b.Hierarchy]
		if h == nil {
			continue
		}
		stem := b.Name
		if stem == "" {
			stem = Stem(h.ID)
		}
		names := in.Config.Names.withDefaults()
		tbl0 := q(names.Hierarchy + stem)
		mapping := q(names.Hierarchy + stem + names.Mapping)
		dt2, dt3a, dt3 := q(names.Joined+stem), q(names.Aggregate+stem), q(names.Final+stem)
		if !has(names.Final + stem) {
			continue
		}
		out = append(out,
			validate.Check{Kind: validate.KindUnique, Table: tbl0, Columns: []string{colNodeCode}},
			validate.Check{Kind: validate.KindAcceptedValues, Table: tbl0, Columns: []string{colNodeType}, Values: []string{"rollup", "leaf", "formula", "label"}},
			validate.Check{Kind: validate.KindRelationship, Table: mapping, Columns: []string{colNodeCode}, RefTable: tbl0, RefColumns: []string{colNodeCode}},
			validate.Check{Name: "every " + b.CodeColumnOr(h) + " of " + b.Source + " mapped in " + h.ID, Kind: validate.KindAllMapped, Table: dt2,
				Columns: []string{colSourceCode}, MappedColumn: colLeafCode, Amount: validate.Amount(b.Values[0])},
			validate.Check{Name: h.ID + " statement ties out to " + b.Source, Kind: validate.KindTiesOut, Table: dt3,
				Where:       []validate.Filter{validate.In(colNodeType, string(hierarchy.TypeLeaf))},
				Amount:      validate.Amount(b.Values[0]),
				Plus:        []validate.Part{{Table: dt3a, Where: []validate.Filter{validate.IsNull(colLeafCode)}, Amount: validate.Amount(b.Values[0])}},
				SourceTable: qSource(b.Source), SourceAmount: validate.Amount(b.Values[0]), GroupBy: b.GroupBy},
		)
		if h.Kind == hierarchy.KindBalanceSheet {
			for _, n := range h.Nodes {
				if n.Type == hierarchy.TypeFormula && strings.Contains(strings.ToUpper(n.Code), "BALANCE_CHECK") {
					out = append(out, validate.Check{Name: h.ID + " balances (" + n.Code + " = 0)", Kind: validate.KindExpressionZero, Table: dt3,
						Where: []validate.Filter{validate.In(colNodeCode, n.Code)}, Amount: validate.Amount(b.Values[0]), GroupBy: b.GroupBy})
				}
			}
		}
	}
	return out
}

// CodeColumnOr is the binding's code column, or the hierarchy's rule column.
func (b Binding) CodeColumnOr(h *hierarchy.Hierarchy) string {
	if b.CodeColumn != "" {
		return b.CodeColumn
	}
	if b.RuleColumn != "" {
		return b.RuleColumn
	}
	return h.DefaultColumn()
}
