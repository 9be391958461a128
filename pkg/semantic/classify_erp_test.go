package semantic

import (
	"context"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/databridge/databridge/pkg/connector"
	_ "github.com/databridge/databridge/pkg/connector/files"
	"github.com/databridge/databridge/pkg/dialect"
	"github.com/databridge/databridge/pkg/model"
)

// The finance_erp example (examples/finance_erp/README.md) and the model a
// data architect gives for it.

type erpTable struct {
	key      []string
	role     model.Role
	entity   model.Entity
	measures []string
	scd      int
}

var erpWant = map[string]erpTable{
	"gl_journal_lines":  {[]string{"journal_id", "line_no"}, model.RoleTransactionFact, model.EntityTransaction, []string{"debit", "credit"}, 0},
	"chart_of_accounts": {[]string{"account_code"}, model.RoleDimension, model.EntityChartOfAccounts, nil, 1},
	"cost_centers":      {[]string{"cost_center_code", "valid_from"}, model.RoleDimension, model.EntityCostCenter, nil, 2},
	"vendors":           {[]string{"vendor_id"}, model.RoleDimension, model.EntityVendor, nil, 1},
	"customers":         {[]string{"customer_id"}, model.RoleDimension, model.EntityCustomer, []string{"credit_limit"}, 1},
	"products":          {[]string{"product_id"}, model.RoleDimension, model.EntityProduct, []string{"unit_price"}, 1},
	"periods":           {[]string{"period_id"}, model.RoleTimeDimension, model.EntityTime, nil, 0},
	"currencies":        {[]string{"currency_code"}, model.RoleDimension, model.EntityCurrency, nil, 0},
	"monthly_balances":  {[]string{"account_code", "period_id"}, model.RoleSnapshotFact, model.EntityTransaction, []string{"opening_balance", "closing_balance"}, 0},
	// A rate table, one rate per period and currency: a dimension-like
	// lookup keyed by references to periods and currencies; its rate is
	// numeric, listed as a measure like credit_limit and unit_price.
	"exchange_rates": {[]string{"period_id", "currency_code"}, model.RoleDimension, model.EntityCurrency, []string{"rate_to_usd"}, 0},
}

// erpRels are the relationships, child → parent, as "child(cols)->parent(cols)".
var erpRels = []string{
	"exchange_rates(currency_code)->currencies(currency_code)",
	"exchange_rates(period_id)->periods(period_id)",
	"gl_journal_lines(account_code)->chart_of_accounts(account_code)",
	"gl_journal_lines(cost_center_code)->cost_centers(cost_center_code)", // the business key of a type-2 dimension
	"gl_journal_lines(currency_code)->currencies(currency_code)",
	"gl_journal_lines(customer_id)->customers(customer_id)",
	"gl_journal_lines(period_id)->periods(period_id)",
	"gl_journal_lines(period_id,currency_code)->exchange_rates(period_id,currency_code)", // the rate of each line, for conversion to USD
	"gl_journal_lines(product_id)->products(product_id)",
	"gl_journal_lines(vendor_id)->vendors(vendor_id)",
	"monthly_balances(account_code)->chart_of_accounts(account_code)",
	"monthly_balances(period_id)->periods(period_id)",
}

func relString(r model.Relationship) string {
	return r.FromTable + "(" + strings.Join(r.FromColumns, ",") + ")->" + r.ToTable + "(" + strings.Join(r.ToColumns, ",") + ")"
}

func erpRelsParsed() []model.Relationship {
	var out []model.Relationship
	for _, s := range erpRels {
		from, to, _ := strings.Cut(s, "->")
		ft, fc, _ := strings.Cut(strings.TrimSuffix(from, ")"), "(")
		tt, tcs, _ := strings.Cut(strings.TrimSuffix(to, ")"), "(")
		out = append(out, rel(ft, strings.Split(fc, ","), tt, strings.Split(tcs, ",")))
	}
	return out
}

func erpOpen(t *testing.T) connector.Connector {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	dir := filepath.Join(filepath.Dir(file), "..", "..", "examples", "finance_erp")
	c, err := connector.Open(context.Background(), "finance_erp", connector.Config{Type: "files", Path: dir})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// erpMiniProfile is a minimal profile of one table, computed in the
// engine: row count, and per column non-null and distinct counts, with
// numeric/temporal from the type.
func erpMiniProfile(t *testing.T, c connector.Connector, table string) *TableProfile {
	t.Helper()
	ctx := context.Background()
	d, err := c.Describe(ctx, "", table)
	if err != nil {
		t.Fatal(err)
	}
	items := []dialect.SelectItem{dialect.As(dialect.F("COUNT"), "n")}
	for _, col := range d.Columns {
		items = append(items, dialect.SelectItem{Expr: dialect.F("COUNT", dialect.C(col.Name))},
			dialect.SelectItem{Expr: &dialect.Func{Name: "COUNT", Args: []dialect.Expr{dialect.C(col.Name)}, Distinct: true}})
	}
	sql, err := dialect.RenderQuery(c.Dialect(), &dialect.Select{Columns: items, From: dialect.Table{Name: dialect.N(table)}})
	if err != nil {
		t.Fatal(err)
	}
	res, err := c.Query(ctx, sql, connector.QueryOptions{MaxRows: 1})
	if err != nil {
		t.Fatal(err)
	}
	row := res.Rows[0]
	n, _ := scdInt(row[0])
	tp := &TableProfile{Name: table, Rows: n}
	for i, col := range d.Columns {
		nn, _ := scdInt(row[1+2*i])
		dist, _ := scdInt(row[2+2*i])
		typ := strings.ToUpper(col.Type)
		cp := ColumnProfile{Name: col.Name, Type: col.Type, Position: i + 1, Rows: n, Nulls: n - nn, Distinct: dist, Nullable: nn < n}
		switch {
		case strings.Contains(typ, "INT"):
			cp.Numeric, cp.Pattern = true, "integer"
		case typ == "DOUBLE" || strings.HasPrefix(typ, "DECIMAL") || typ == "FLOAT":
			cp.Numeric, cp.Pattern = true, "amount"
		case typ == "DATE" || strings.HasPrefix(typ, "TIMESTAMP"):
			cp.Temporal, cp.Pattern, cp.Class = true, "date", "temporal"
		case typ == "BOOLEAN":
			cp.Pattern, cp.Class = "boolean", "boolean"
		default:
			cp.Pattern = "code"
		}
		tp.Columns = append(tp.Columns, cp)
	}
	return tp
}

// erpAnalysis is what the classifier is given: profiles, keys,
// relationships.
type erpAnalysis struct {
	profiles []*TableProfile
	keys     map[string][]string
	rels     []model.Relationship
	// gaps are expected relationships the analysis is known to miss.
	gaps map[string]bool
}

// erpKnownGaps lists expected relationships inference does not find yet
// (none today). The ledger's references to periods and currencies, once
// dropped as implied by its (period_id, currency_code) reference to
// exchange_rates, are kept since a parent keyed by a period is read as a
// periodic snapshot (rates by month × currency), not a bridge like TPC-H's
// partsupp (rlPeriodicParent).
var erpKnownGaps = map[string]bool{}

// erpAnalyseMini profiles with the minimal helper and takes keys and
// relationships from the expected model, confirming each relationship's
// coverage in the engine; the cost-centre reference comes from
// SCDRelationships after VerifySCD2.
func erpAnalyseMini(t *testing.T, c connector.Connector) erpAnalysis {
	ctx := context.Background()
	var a erpAnalysis
	a.keys = map[string][]string{}
	names := make([]string, 0, len(erpWant))
	for n := range erpWant {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		a.profiles = append(a.profiles, erpMiniProfile(t, c, n))
		a.keys[n] = erpWant[n].key
	}
	for _, r := range erpRelsParsed() {
		if r.ToTable == "cost_centers" {
			continue // found below, from the verified history
		}
		a.rels = append(a.rels, r)
	}
	// Confirm the hand-given relationships on the data: every child value
	// exists in the parent (the SCD-2 reference check does the same).
	for _, r := range a.rels {
		var parent *TableProfile
		var child *TableProfile
		for _, p := range a.profiles {
			if p.Name == r.ToTable {
				parent = p
			}
			if p.Name == r.FromTable {
				child = p
			}
		}
		got, ok, err := scdConfirm(ctx, c, "", child, parent, r.FromColumns, model.SCD{Type: 2, BusinessKey: r.ToColumns}, 1)
		if err != nil || !ok || got.Coverage != 1 {
			t.Errorf("%s: coverage %v ok=%v err=%v", relString(r), got.Coverage, ok, err)
		}
	}
	return a
}

// TestFinanceERPExample analyses the example as analyze does: profiles
// (ProfileTable), keys (FindKeys), relationships (FindRelationships), the
// SCD-2 check and the references to its business key, then classifies
// every table.
func TestFinanceERPExample(t *testing.T) {
	c := erpOpen(t)
	erpCheck(t, c, erpAnalyseFull(t, c))
}

// TestFinanceERPExampleGivenKeys classifies the example on minimal
// profiles with the expected keys and relationships given, so a change in
// key or relationship inference cannot hide a classification regression.
func TestFinanceERPExampleGivenKeys(t *testing.T) {
	c := erpOpen(t)
	erpCheck(t, c, erpAnalyseMini(t, c))
}

func erpAnalyseFull(t *testing.T, c connector.Connector) erpAnalysis {
	ctx := context.Background()
	tables, err := c.Tables(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	a := erpAnalysis{keys: map[string][]string{}, gaps: erpKnownGaps}
	cands := map[string][]KeyCandidate{}
	for _, tb := range tables {
		p, err := ProfileTable(ctx, c, "", tb.Name, Options{})
		if err != nil {
			t.Fatal(err)
		}
		ks, err := FindKeys(ctx, c, p, Options{})
		if err != nil {
			t.Fatal(err)
		}
		a.profiles = append(a.profiles, p)
		cands[p.Name] = ks
		if len(ks) > 0 {
			a.keys[p.Name] = ks[0].Columns
		}
	}
	if a.rels, err = FindRelationships(ctx, c, a.profiles, cands, Options{}); err != nil {
		t.Fatal(err)
	}
	return a
}

func erpCheck(t *testing.T, c connector.Connector, a erpAnalysis) {
	ctx := context.Background()
	if len(a.profiles) != len(erpWant) {
		t.Errorf("%d tables, want %d", len(a.profiles), len(erpWant))
	}

	// The SCD-2 table, verified in the engine, and the reference to its
	// business key.
	var cc *TableProfile
	for _, p := range a.profiles {
		if p.Name == "cost_centers" {
			cc = p
		}
	}
	cand := SCDCandidates(cc, a.keys["cost_centers"])
	if cand == nil {
		t.Fatal("cost_centers: no SCD candidate")
	}
	scd, err := VerifySCD2(ctx, c, "", "cost_centers", cand)
	if err != nil {
		t.Fatal(err)
	}
	if scd.Type != 2 || !reflect.DeepEqual(scd.BusinessKey, []string{"cost_center_code"}) || scd.ValidFrom != "valid_from" ||
		scd.ValidTo != "valid_to" || scd.IsCurrent != "is_current" || scd.Confidence < 0.9 {
		t.Fatalf("cost_centers SCD %+v\n%s", scd, rules(scd.Inference))
	}
	if ev := rules(scd.Inference); !strings.Contains(ev, "18 rows, 10 business keys (cost_center_code), 6 with more than one version, at most 3 versions") {
		t.Errorf("cost_centers evidence:\n%s", ev)
	}
	extra, err := SCDRelationships(ctx, c, "", a.profiles, map[string]model.SCD{"cost_centers": scd}, a.rels, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range a.rels {
		if r.ToTable == "cost_centers" {
			t.Logf("relationship inference found %s itself", relString(r))
		}
	}
	for _, r := range extra {
		if relString(r) != "gl_journal_lines(cost_center_code)->cost_centers(cost_center_code)" || r.Coverage != 1 {
			t.Errorf("SCD-2 reference %+v", r)
		}
		if ev := rules(r.Inference); !strings.Contains(ev, "7004 of 7004 gl_journal_lines rows fall inside a version of cost_centers by posting_date") {
			t.Errorf("as-of evidence:\n%s", ev)
		}
	}
	rels := append(append([]model.Relationship(nil), a.rels...), extra...)
	var got []string
	for _, r := range rels {
		got = append(got, relString(r))
	}
	sort.Strings(got)
	want := erpRels
	if a.gaps != nil {
		want = nil
		for _, r := range erpRels {
			if a.gaps[r] {
				if slices.Contains(got, r) {
					t.Errorf("%s is found now: remove it from erpKnownGaps", r)
				}
				t.Logf("known gap in relationship inference: %s not found", r)
				continue
			}
			want = append(want, r)
		}
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("relationships\n got %v\nwant %v", got, want)
	}

	// Roles as analyze gives them: each table classified, then the rules
	// that need every table at once (refineRoles: exchange_rates, a
	// snapshot of rates on its own, is looked up by the ledger outside
	// the ledger's grain, so it is an associative dimension).
	m := &model.Model{Relationships: rels}
	classes := map[string]TableClass{}
	for _, p := range a.profiles {
		cl := ClassifyTable(p, a.keys[p.Name], rels, a.profiles)
		classes[p.Name] = cl
		mt := &model.Table{Name: p.Name, Rows: p.Rows, PrimaryKey: a.keys[p.Name], Role: cl.Role, RoleInference: cl.RoleInference, Measures: cl.Measures}
		for _, col := range p.Columns {
			mt.Columns = append(mt.Columns, model.Column{Name: col.Name, Type: col.Type, Kind: cl.ColumnKinds[col.Name],
				Profile: model.ColumnProfile{Rows: col.Rows, Nulls: col.Nulls, Distinct: col.Distinct, Pattern: col.Pattern, Class: col.Class}})
		}
		m.Tables = append(m.Tables, mt)
	}
	refineRoles(m)
	for _, p := range a.profiles {
		w := erpWant[p.Name]
		if !reflect.DeepEqual(a.keys[p.Name], w.key) {
			t.Errorf("%s: key %v, want %v", p.Name, a.keys[p.Name], w.key)
		}
		cl := classes[p.Name]
		if mt := m.Table(p.Name); mt.Role != w.role {
			t.Errorf("%s: role %s, want %s\n%s", p.Name, mt.Role, w.role, rules(mt.RoleInference))
		} else {
			cl.Role, cl.RoleInference = mt.Role, mt.RoleInference
		}
		if cl.Entity != w.entity {
			t.Errorf("%s: entity %s, want %s\n%s", p.Name, cl.Entity, w.entity, rules(cl.EntityInference))
		}
		if !reflect.DeepEqual(cl.Measures, w.measures) {
			t.Errorf("%s: measures %v, want %v", p.Name, cl.Measures, w.measures)
		}
		s := cl.SCD
		if cl.SCDCandidate != nil {
			if s, err = VerifySCD2(ctx, c, "", p.Name, cl.SCDCandidate); err != nil {
				t.Fatal(err)
			}
		}
		if s.Type != w.scd {
			t.Errorf("%s: SCD type %d, want %d\n%s", p.Name, s.Type, w.scd, rules(s.Inference))
		}
		if testing.Verbose() {
			t.Logf("%s: %s (%.2f), %s (%.2f), key %v, measures %v, SCD %d (%.2f)", p.Name, cl.Role, cl.RoleInference.Confidence,
				cl.Entity, cl.EntityInference.Confidence, a.keys[p.Name], cl.Measures, s.Type, s.Confidence)
		}
	}
}
