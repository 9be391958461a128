package semantic

import (
	"context"
	"fmt"
	"strings"

	"github.com/databridge/databridge/pkg/connector"
	"github.com/databridge/databridge/pkg/dialect"
	"github.com/databridge/databridge/pkg/model"
)

// References to a type-2 dimension.
//
// A fact that references an SCD-2 table holds the business key
// (gl_journal_lines.cost_center_code), which is not unique in the
// dimension: every version repeats it. Key-based relationship inference
// cannot find such a reference (the dimension's key is the business key
// plus valid_from), so SCDRelationships adds it once the history is
// verified, represented as:
//
//	from (child columns named like the business key) → to (the business
//	key columns), Coverage over distinct child values, and evidence that
//	says the parent is versioned: join to the current version, or as of a
//	child date (child.date BETWEEN valid_from AND valid_to) — with the
//	share of child rows whose date falls inside a version.

// SCDRelationships finds columns of other tables named like a verified
// type-2 table's business key, confirms in the engine that their values
// exist in the dimension (coverage ≥ minCoverage; 0 means 0.98), and
// returns those relationships. Child column sets that already have a
// relationship in existing are skipped. scd maps table name → verified SCD.
func SCDRelationships(ctx context.Context, conn connector.Connector, schema string, tables []*TableProfile,
	scd map[string]model.SCD, existing []model.Relationship, minCoverage float64) ([]model.Relationship, error) {
	if minCoverage <= 0 {
		minCoverage = 0.98
	}
	have := map[string]bool{}
	for _, r := range existing {
		have[strings.ToLower(r.FromTable+"|"+strings.Join(r.FromColumns, ","))] = true
	}
	var out []model.Relationship
	for _, parent := range tables {
		s, ok := scd[parent.Name]
		if !ok || s.Type != 2 || len(s.BusinessKey) == 0 {
			continue
		}
		for _, child := range tables {
			if child == parent {
				continue
			}
			cols := make([]string, len(s.BusinessKey))
			match := true
			for i, k := range s.BusinessKey {
				cc, pc := child.Column(k), parent.Column(k)
				if rlGeneric[rlNorm(k)] {
					// A business key called just "id" or "code": every
					// table may have one; the child's column must name
					// the parent (employee_id → employees.id).
					cc = scdNamedReference(child, parent, k)
				}
				if cc == nil || pc == nil || cc.Numeric != pc.Numeric || cc.Temporal != pc.Temporal {
					match = false
					break
				}
				cols[i] = cc.Name
			}
			if !match || have[strings.ToLower(child.Name+"|"+strings.Join(cols, ","))] {
				continue
			}
			r, ok, err := scdConfirm(ctx, conn, schema, child, parent, cols, s, minCoverage)
			if err != nil {
				return nil, err
			}
			if ok {
				out = append(out, r)
			}
		}
	}
	return out, nil
}

func scdConfirm(ctx context.Context, conn connector.Connector, schema string, child, parent *TableProfile, cols []string,
	s model.SCD, minCoverage float64) (model.Relationship, bool, error) {
	name := func(t string) dialect.Name {
		if schema != "" {
			return dialect.N(schema, t)
		}
		return dialect.N(t)
	}
	// Distinct child values and how many are missing in the parent.
	var items []dialect.SelectItem
	var notNull []dialect.Expr
	var match []dialect.Expr
	for i, c := range cols {
		a := fmt.Sprintf("v%d", i+1)
		items = append(items, dialect.As(dialect.C(c), a))
		notNull = append(notNull, &dialect.IsNull{X: dialect.C(c), Not: true})
		match = append(match, dialect.Eq(dialect.C("p", s.BusinessKey[i]), dialect.C("d", a)))
	}
	d := &dialect.Select{Distinct: true, Columns: items, From: dialect.Table{Name: name(child.Name)}, Where: dialect.And(notNull...)}
	missing := &dialect.Case{Whens: []dialect.When{{
		Cond: &dialect.Exists{Not: true, Query: &dialect.Select{Columns: []dialect.SelectItem{{Expr: dialect.I(1)}},
			From: dialect.Table{Name: name(parent.Name), Alias: "p"}, Where: dialect.And(match...)}},
		Then: dialect.I(1)}}, Else: dialect.I(0)}
	q := &dialect.Select{
		With:    []dialect.CTE{{Name: "d", Query: d}},
		Columns: []dialect.SelectItem{dialect.As(dialect.F("COUNT"), "distinct_values"), dialect.As(dialect.F("COALESCE", dialect.F("SUM", missing), dialect.I(0)), "missing")},
		From:    dialect.Table{Name: dialect.N("d"), Alias: "d"},
	}
	vals, err := scdRow(ctx, conn, q, 2)
	if err != nil {
		return model.Relationship{}, false, fmt.Errorf("scd: %s → %s: %w", child.Name, parent.Name, err)
	}
	distinct, miss := vals[0], vals[1]
	if distinct == 0 {
		return model.Relationship{}, false, nil
	}
	coverage := float64(distinct-miss) / float64(distinct)
	if coverage < minCoverage {
		return model.Relationship{}, false, nil
	}
	key := strings.Join(s.BusinessKey, ", ")
	r := model.Relationship{
		Name:        "fk_" + child.Name + "_" + parent.Name,
		FromTable:   child.Name,
		FromColumns: cols,
		ToTable:     parent.Name,
		ToColumns:   append([]string(nil), s.BusinessKey...),
		Coverage:    coverage,
	}
	conf := 0.75
	ev := []model.Evidence{
		clsEv("scd2_reference.name", "%s.(%s) is named like the business key of the type-2 dimension %s", child.Name, strings.Join(cols, ", "), parent.Name),
		clsEv("scd2_reference.coverage", "%d of %d distinct values found in %s.(%s) (coverage %.4f)", distinct-miss, distinct, parent.Name, key, coverage),
		clsEv("scd2_reference.versioned", "the business key repeats across versions: join to the current version (%s) or as of a date of %s between %s and %s",
			scdOr(s.IsCurrent, s.ValidTo+" open"), child.Name, s.ValidFrom, scdOr(s.ValidTo, "the next version")),
	}
	if miss == 0 {
		conf += 0.1
	}
	// As-of check: does each child row's date fall inside a version?
	if date := scdChildDate(child); date != "" && s.ValidFrom != "" {
		covered, rows, err := scdAsOf(ctx, conn, name(child.Name), name(parent.Name), cols, date, s)
		if err != nil {
			return model.Relationship{}, false, fmt.Errorf("scd: %s → %s as of %s: %w", child.Name, parent.Name, date, err)
		}
		if rows > 0 {
			ev = append(ev, clsEv("scd2_reference.as_of", "%d of %d %s rows fall inside a version of %s by %s", covered, rows, child.Name, parent.Name, date))
			if covered == rows {
				conf += 0.1
			}
		}
	}
	r.Confidence = clsCap(conf)
	r.Evidence = ev
	return r, true, nil
}

func scdOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// scdChildDate picks the child's business date: a temporal column whose
// name says posting/transaction/document date first, else the first one.
func scdChildDate(t *TableProfile) string {
	first := ""
	for i := range t.Columns {
		c := &t.Columns[i]
		if !c.Temporal {
			continue
		}
		toks := clsTokens(c.Name)
		if clsHasAny(toks, clsAuditWords) {
			continue
		}
		if clsHasAny(toks, clsSet("posting", "posted", "transaction", "document", "invoice", "order", "booking", "entry")) {
			return c.Name
		}
		if first == "" {
			first = c.Name
		}
	}
	return first
}

// scdAsOf counts child rows (with a key and a date) and those whose date
// falls inside a version of their business key.
func scdAsOf(ctx context.Context, conn connector.Connector, child, parent dialect.Name, cols []string, date string, s model.SCD) (int64, int64, error) {
	var match []dialect.Expr
	var notNull []dialect.Expr
	for i, c := range cols {
		match = append(match, dialect.Eq(dialect.C("p", s.BusinessKey[i]), dialect.C("c", c)))
		notNull = append(notNull, &dialect.IsNull{X: dialect.C("c", c), Not: true})
	}
	match = append(match, &dialect.Binary{Op: "<=", L: dialect.C("p", s.ValidFrom), R: dialect.C("c", date)})
	if s.ValidTo != "" {
		match = append(match, &dialect.Paren{X: dialect.Or(&dialect.IsNull{X: dialect.C("p", s.ValidTo)},
			&dialect.Binary{Op: ">=", L: dialect.C("p", s.ValidTo), R: dialect.C("c", date)})})
	}
	notNull = append(notNull, &dialect.IsNull{X: dialect.C("c", date), Not: true})
	inside := &dialect.Case{Whens: []dialect.When{{
		Cond: &dialect.Exists{Query: &dialect.Select{Columns: []dialect.SelectItem{{Expr: dialect.I(1)}},
			From: dialect.Table{Name: parent, Alias: "p"}, Where: dialect.And(match...)}},
		Then: dialect.I(1)}}, Else: dialect.I(0)}
	q := &dialect.Select{
		Columns: []dialect.SelectItem{dialect.As(dialect.F("COALESCE", dialect.F("SUM", inside), dialect.I(0)), "covered"), dialect.As(dialect.F("COUNT"), "row_count")},
		From:    dialect.Table{Name: child, Alias: "c"},
		Where:   dialect.And(notNull...),
	}
	vals, err := scdRow(ctx, conn, q, 2)
	if err != nil {
		return 0, 0, err
	}
	return vals[0], vals[1], nil
}

// scdRow runs a one-row query of n integer columns.
func scdRow(ctx context.Context, conn connector.Connector, q dialect.Query, n int) ([]int64, error) {
	sql, err := dialect.RenderQuery(conn.Dialect(), q)
	if err != nil {
		return nil, err
	}
	res, err := conn.Query(ctx, sql, connector.QueryOptions{MaxRows: 1})
	if err != nil {
		return nil, err
	}
	if len(res.Rows) != 1 || len(res.Rows[0]) != n {
		return nil, fmt.Errorf("unexpected result shape")
	}
	out := make([]int64, n)
	for i, v := range res.Rows[0] {
		if out[i], err = scdInt(v); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// scdNamedReference finds the child column whose name points at the
// parent's generic business key column k, or nil.
func scdNamedReference(child, parent *TableProfile, k string) *ColumnProfile {
	cp, pp := rlTablePrefix(child), rlTablePrefix(parent)
	var best *ColumnProfile
	bestScore := 0.0
	for i := range child.Columns {
		c := &child.Columns[i]
		if n, _ := rlNameScore(child, c.Name, cp, parent, k, pp); n >= 0.8 && n > bestScore {
			best, bestScore = c, n
		}
	}
	return best
}
