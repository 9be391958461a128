package semantic

import (
	"reflect"
	"strings"
	"testing"

	"github.com/databridge/databridge/pkg/model"
)

// tc builds a column profile: type decides numeric/temporal and the
// pattern; rows, distinct and nulls as given.
func tc(name, typ string, rows, distinct, nulls int64) ColumnProfile {
	c := ColumnProfile{Name: name, Type: typ, Rows: rows, Distinct: distinct, Nulls: nulls, Nullable: nulls > 0}
	t := strings.ToUpper(typ)
	switch {
	case strings.Contains(t, "INT"):
		c.Numeric, c.Pattern, c.Class = true, "integer", "numeric"
	case strings.HasPrefix(t, "DECIMAL"), strings.HasPrefix(t, "DOUBLE"), strings.HasPrefix(t, "NUMERIC"):
		c.Numeric, c.Pattern, c.Class = true, "amount", "numeric"
	case t == "DATE", strings.HasPrefix(t, "TIMESTAMP"):
		c.Temporal, c.Pattern, c.Class = true, "date", "temporal"
	case t == "BOOLEAN":
		c.Pattern, c.Class = "boolean", "boolean"
	default:
		c.Pattern, c.Class = "code", "categorical"
	}
	if distinct == rows-nulls && rows > 1 {
		c.Class = "identifier"
	}
	return c
}

func tp(name string, rows int64, cols ...ColumnProfile) *TableProfile {
	for i := range cols {
		cols[i].Position = i + 1
	}
	return &TableProfile{Name: name, Rows: rows, Columns: cols}
}

func rel(from string, fromCols []string, to string, toCols []string) model.Relationship {
	return model.Relationship{Name: from + "_" + to, FromTable: from, FromColumns: fromCols, ToTable: to, ToColumns: toCols, Coverage: 1}
}

func rules(inf model.Inference) string {
	var s []string
	for _, e := range inf.Evidence {
		s = append(s, e.Rule+": "+e.Detail)
	}
	return strings.Join(s, "\n")
}

// A small star: sales lines referencing customers, products and a date
// dimension, plus the other role shapes.
func roleFixture() ([]*TableProfile, []model.Relationship) {
	customers := tp("customers", 200,
		tc("customer_id", "INTEGER", 200, 200, 0), tc("customer_name", "VARCHAR", 200, 200, 0), tc("segment", "VARCHAR", 200, 4, 0))
	products := tp("products", 50,
		tc("product_id", "INTEGER", 50, 50, 0), tc("product_name", "VARCHAR", 50, 50, 0), tc("category", "VARCHAR", 50, 5, 0),
		tc("unit_price", "DECIMAL(10,2)", 50, 40, 0))
	dates := tp("dim_date", 730,
		tc("date_key", "DATE", 730, 730, 0), tc("year", "INTEGER", 730, 2, 0), tc("quarter", "INTEGER", 730, 4, 0),
		tc("month", "INTEGER", 730, 12, 0), tc("day_of_week", "VARCHAR", 730, 7, 0), tc("is_weekend", "BOOLEAN", 730, 2, 0))
	sales := tp("sales_lines", 50000,
		tc("order_id", "INTEGER", 50000, 20000, 0), tc("line_number", "INTEGER", 50000, 5, 0),
		tc("customer_id", "INTEGER", 50000, 200, 0), tc("product_id", "INTEGER", 50000, 50, 0), tc("order_date", "DATE", 50000, 700, 0),
		tc("quantity", "INTEGER", 50000, 20, 0), tc("net_amount", "DECIMAL(18,2)", 50000, 30000, 0),
		tc("discount_pct", "DOUBLE", 50000, 10, 0), tc("fiscal_year", "INTEGER", 50000, 2, 0), tc("status_flag", "INTEGER", 50000, 2, 0))
	inventory := tp("inventory_snapshot", 36500,
		tc("product_id", "INTEGER", 36500, 50, 0), tc("snapshot_date", "DATE", 36500, 730, 0),
		tc("quantity_on_hand", "INTEGER", 36500, 900, 0), tc("inventory_value", "DECIMAL(18,2)", 36500, 20000, 0))
	fulfilment := tp("order_fulfilment", 20000,
		tc("order_id", "INTEGER", 20000, 20000, 0), tc("customer_id", "INTEGER", 20000, 200, 0),
		tc("ordered_date", "DATE", 20000, 700, 0), tc("shipped_date", "DATE", 20000, 690, 300), tc("delivered_date", "DATE", 20000, 680, 900),
		tc("invoiced_date", "DATE", 20000, 680, 1200), tc("order_amount", "DECIMAL(18,2)", 20000, 15000, 0), tc("updated_at", "TIMESTAMP", 20000, 20000, 0))
	employees := tp("employees", 300, tc("employee_id", "INTEGER", 300, 300, 0), tc("employee_name", "VARCHAR", 300, 300, 0))
	trainings := tp("trainings", 40, tc("training_id", "INTEGER", 40, 40, 0), tc("title", "VARCHAR", 40, 40, 0))
	attendance := tp("training_attendance", 5000,
		tc("employee_id", "INTEGER", 5000, 300, 0), tc("training_id", "INTEGER", 5000, 40, 0), tc("attended_on", "DATE", 5000, 200, 0))
	groups := tp("account_groups", 12, tc("account_group_id", "INTEGER", 12, 12, 0), tc("group_name", "VARCHAR", 12, 12, 0))
	accounts := tp("gl_accounts", 120, tc("gl_account_code", "VARCHAR", 120, 120, 0), tc("account_name", "VARCHAR", 120, 120, 0),
		tc("account_type", "VARCHAR", 120, 5, 0))
	members := tp("account_group_member", 300, tc("account_group_id", "INTEGER", 300, 12, 0), tc("gl_account_code", "VARCHAR", 300, 120, 0))
	all := []*TableProfile{customers, products, dates, sales, inventory, fulfilment, employees, trainings, attendance, groups, accounts, members}
	rels := []model.Relationship{
		rel("sales_lines", []string{"customer_id"}, "customers", []string{"customer_id"}),
		rel("sales_lines", []string{"product_id"}, "products", []string{"product_id"}),
		rel("sales_lines", []string{"order_date"}, "dim_date", []string{"date_key"}),
		rel("inventory_snapshot", []string{"product_id"}, "products", []string{"product_id"}),
		rel("inventory_snapshot", []string{"snapshot_date"}, "dim_date", []string{"date_key"}),
		rel("order_fulfilment", []string{"customer_id"}, "customers", []string{"customer_id"}),
		rel("training_attendance", []string{"employee_id"}, "employees", []string{"employee_id"}),
		rel("training_attendance", []string{"training_id"}, "trainings", []string{"training_id"}),
		rel("account_group_member", []string{"account_group_id"}, "account_groups", []string{"account_group_id"}),
		rel("account_group_member", []string{"gl_account_code"}, "gl_accounts", []string{"gl_account_code"}),
	}
	return all, rels
}

func TestClassifyRoles(t *testing.T) {
	all, rels := roleFixture()
	keys := map[string][]string{
		"customers": {"customer_id"}, "products": {"product_id"}, "dim_date": {"date_key"},
		"sales_lines": {"order_id", "line_number"}, "inventory_snapshot": {"product_id", "snapshot_date"},
		"order_fulfilment": {"order_id"}, "employees": {"employee_id"}, "trainings": {"training_id"},
		"training_attendance": {"employee_id", "training_id", "attended_on"}, "account_groups": {"account_group_id"},
		"gl_accounts": {"gl_account_code"}, "account_group_member": {"account_group_id", "gl_account_code"},
	}
	want := map[string]struct {
		role     model.Role
		entity   model.Entity
		measures []string
	}{
		"customers":            {model.RoleDimension, model.EntityCustomer, nil},
		"products":             {model.RoleDimension, model.EntityProduct, []string{"unit_price"}},
		"dim_date":             {model.RoleTimeDimension, model.EntityTime, nil},
		"sales_lines":          {model.RoleTransactionFact, model.EntityTransaction, []string{"quantity", "net_amount", "discount_pct"}},
		"inventory_snapshot":   {model.RoleSnapshotFact, model.EntityOther, []string{"quantity_on_hand", "inventory_value"}},
		"order_fulfilment":     {model.RoleAccumulatingFact, model.EntityOrder, []string{"order_amount"}},
		"employees":            {model.RoleDimension, model.EntityEmployee, nil},
		"training_attendance":  {model.RoleFactlessFact, model.EntityOther, nil},
		"account_group_member": {model.RoleBridge, model.EntityChartOfAccounts, nil},
		"gl_accounts":          {model.RoleDimension, model.EntityChartOfAccounts, nil},
	}
	for _, p := range all {
		w, ok := want[p.Name]
		if !ok {
			continue
		}
		c := ClassifyTable(p, keys[p.Name], rels, all)
		if c.Role != w.role {
			t.Errorf("%s: role %s, want %s\n%s", p.Name, c.Role, w.role, rules(c.RoleInference))
		}
		if c.Entity != w.entity {
			t.Errorf("%s: entity %s, want %s\n%s", p.Name, c.Entity, w.entity, rules(c.EntityInference))
		}
		if !reflect.DeepEqual(c.Measures, w.measures) {
			t.Errorf("%s: measures %v, want %v", p.Name, c.Measures, w.measures)
		}
		if c.RoleInference.Confidence <= 0.3 || c.RoleInference.Confidence >= 1 || len(c.RoleInference.Evidence) == 0 {
			t.Errorf("%s: role inference %+v", p.Name, c.RoleInference)
		}
		if len(c.EntityInference.Evidence) == 0 {
			t.Errorf("%s: entity without evidence", p.Name)
		}
		for _, col := range p.Columns {
			if c.ColumnKinds[col.Name] == "" {
				t.Errorf("%s.%s: no column kind", p.Name, col.Name)
			}
		}
	}
}

func TestClassifyRoleEvidenceHasNumbers(t *testing.T) {
	all, rels := roleFixture()
	var sales *TableProfile
	for _, p := range all {
		if p.Name == "sales_lines" {
			sales = p
		}
	}
	c := ClassifyTable(sales, []string{"order_id", "line_number"}, rels, all)
	ev := rules(c.RoleInference)
	for _, want := range []string{"3 foreign keys to customers, dim_date, products", "3 measures", "50000 rows vs 730 in the largest parent dim_date (68.5x)", `table name has "sale"`} {
		if !strings.Contains(ev, want) {
			t.Errorf("evidence lacks %q:\n%s", want, ev)
		}
	}
	if c.RoleInference.Confidence != 0.95 {
		t.Errorf("confidence %v, want 0.95 (0.6 + 0.1 parents + 0.1 measures + 0.1 rows + 0.05 name)", c.RoleInference.Confidence)
	}
	kinds := c.ColumnKinds
	for col, k := range map[string]model.ColumnKind{"order_id": model.KindKey, "customer_id": model.KindForeign, "order_date": model.KindForeign,
		"net_amount": model.KindMeasure, "fiscal_year": model.KindAttribute, "status_flag": model.KindAttribute} {
		if kinds[col] != k {
			t.Errorf("%s: kind %s, want %s", col, kinds[col], k)
		}
	}
	if c.SCD.Type != 0 || len(c.SCD.Evidence) == 0 {
		t.Errorf("a fact's SCD: %+v", c.SCD)
	}
}

func TestClassifyEntitiesFromNames(t *testing.T) {
	cases := []struct {
		table string
		cols  []string
		want  model.Entity
	}{
		{"customers", []string{"customer_id", "customer_name"}, model.EntityCustomer},
		{"clients", []string{"id", "name"}, model.EntityCustomer},
		{"CustMaster", []string{"cust_no", "name"}, model.EntityCustomer},
		{"vendors", []string{"vendor_id", "vendor_name"}, model.EntityVendor},
		{"suppliers", []string{"id", "name"}, model.EntityVendor},
		{"payees", []string{"payee_id", "payee_name"}, model.EntityVendor},
		{"employees", []string{"employee_id", "full_name"}, model.EntityEmployee},
		{"staff", []string{"staff_no", "name"}, model.EntityEmployee},
		{"cost_centres", []string{"cc_code", "description"}, model.EntityCostCenter},
		{"CostCenter", []string{"CostCenterCode", "Name"}, model.EntityCostCenter},
		{"departments", []string{"dept_id", "dept_name"}, model.EntityDepartment},
		{"legal_entities", []string{"entity_code", "entity_name"}, model.EntityLegalEntity},
		{"companies", []string{"company_code", "company_name"}, model.EntityLegalEntity},
		{"subsidiaries", []string{"id", "name"}, model.EntityLegalEntity},
		{"products", []string{"product_id", "product_name"}, model.EntityProduct},
		{"items", []string{"item_no", "description"}, model.EntityProduct},
		{"materials", []string{"material_number", "material_desc"}, model.EntityProduct},
		{"countries", []string{"country_code", "country_name"}, model.EntityGeography},
		{"regions", []string{"region_id", "region_name"}, model.EntityGeography},
		{"nation", []string{"n_nationkey", "n_name"}, model.EntityGeography},
		{"calendar", []string{"calendar_date", "year"}, model.EntityTime},
		{"fiscal_periods", []string{"period_id", "fiscal_year"}, model.EntityTime},
		{"gl_accounts", []string{"gl_account", "description", "account_type"}, model.EntityChartOfAccounts},
		{"chart_of_accounts", []string{"account_code", "account_name"}, model.EntityChartOfAccounts},
		{"coa", []string{"acct", "acct_desc"}, model.EntityChartOfAccounts},
		{"ledger_accounts", []string{"ledger_account_id", "name"}, model.EntityChartOfAccounts},
		{"currencies", []string{"currency_code", "currency_name"}, model.EntityCurrency},
		{"fx_rates", []string{"from_ccy", "to_ccy", "rate_date", "rate"}, model.EntityCurrency},
		{"projects", []string{"project_id", "project_name"}, model.EntityProject},
		{"purchase_orders", []string{"po_number", "vendor_id"}, model.EntityOrder},
		{"gl_journal_lines", []string{"journal_id", "line_no"}, model.EntityTransaction},
		{"ledger_entries", []string{"entry_id", "amount"}, model.EntityTransaction},
		{"tbl_x17", []string{"a", "b"}, model.EntityOther},
	}
	for _, c := range cases {
		cols := make([]ColumnProfile, len(c.cols))
		for i, n := range c.cols {
			cols[i] = tc(n, "VARCHAR", 10, 10, 0)
		}
		p := tp(c.table, 10, cols...)
		got := ClassifyTable(p, c.cols[:1], nil, []*TableProfile{p})
		if got.Entity != c.want {
			t.Errorf("%s: entity %s, want %s\n%s", c.table, got.Entity, c.want, rules(got.EntityInference))
		}
	}
}

func TestClassifyEntityConfidenceCombines(t *testing.T) {
	vendors := tp("vendors", 40, tc("vendor_id", "VARCHAR", 40, 40, 0), tc("vendor_name", "VARCHAR", 40, 40, 0), tc("payment_terms", "VARCHAR", 40, 4, 0))
	c := ClassifyTable(vendors, []string{"vendor_id"}, nil, []*TableProfile{vendors})
	ev := rules(c.EntityInference)
	for _, want := range []string{`name "vendors" matches vendor word "vendor" (+0.60)`, "key column vendor_id present", `(+0.20)`} {
		if !strings.Contains(ev, want) {
			t.Errorf("evidence lacks %q:\n%s", want, ev)
		}
	}
	// Name 0.6 + key column 0.2; vendor_name adds nothing more for the
	// same entity (one column signal per entity).
	if c.EntityInference.Confidence != 0.8 {
		t.Errorf("confidence %v, want 0.8", c.EntityInference.Confidence)
	}
	// Referenced from a fact through vendor_id: +0.15.
	gl := tp("gl", 1000, tc("line_id", "INTEGER", 1000, 1000, 0), tc("vendor_id", "VARCHAR", 1000, 40, 200))
	c = ClassifyTable(vendors, []string{"vendor_id"}, []model.Relationship{rel("gl", []string{"vendor_id"}, "vendors", []string{"vendor_id"})}, []*TableProfile{vendors, gl})
	if c.EntityInference.Confidence != 0.95 || c.Role != model.RoleDimension {
		t.Errorf("referenced vendors: %s %v\n%s", c.Role, c.EntityInference.Confidence, rules(c.EntityInference))
	}
}

func TestClassifyEntitiesFromValues(t *testing.T) {
	top := func(vals ...string) []TopValue {
		out := make([]TopValue, len(vals))
		for i, v := range vals {
			out[i] = TopValue{Value: v, Count: 1}
		}
		return out
	}
	code := tc("code", "VARCHAR", 8, 8, 0)
	code.MinLength, code.MaxLength = 3, 3
	code.Top = top("USD", "EUR", "GBP", "JPY", "CHF", "SEK", "NOK", "DKK")
	p := tp("ref_a", 8, code, tc("label", "VARCHAR", 8, 8, 0))
	c := ClassifyTable(p, []string{"code"}, nil, []*TableProfile{p})
	if c.Entity != model.EntityCurrency || !strings.Contains(rules(c.EntityInference), "8 of 8 top code values are ISO 4217 currency codes") {
		t.Errorf("currency codes: %s\n%s", c.Entity, rules(c.EntityInference))
	}
	if c.SCD.Type != 0 {
		t.Errorf("currency reference data: SCD %+v, want type 0", c.SCD)
	}
	cc := tc("code", "VARCHAR", 6, 6, 0)
	cc.MinLength, cc.MaxLength = 2, 2
	cc.Top = top("US", "GB", "DE", "FR", "NL", "SE")
	p = tp("ref_b", 6, cc, tc("label", "VARCHAR", 6, 6, 0))
	if c := ClassifyTable(p, []string{"code"}, nil, []*TableProfile{p}); c.Entity != model.EntityGeography {
		t.Errorf("country codes: %s\n%s", c.Entity, rules(c.EntityInference))
	}
	ac := tc("code", "VARCHAR", 5, 5, 0)
	ac.Top = top("1000", "1100", "2000", "4000-10", "6100.200")
	p = tp("ref_c", 5, ac, tc("account_type", "VARCHAR", 5, 3, 0))
	if c := ClassifyTable(p, []string{"code"}, nil, []*TableProfile{p}); c.Entity != model.EntityChartOfAccounts ||
		!strings.Contains(rules(c.EntityInference), "5 of 5 top code values look like account codes") {
		t.Errorf("account codes: %s\n%s", c.Entity, rules(c.EntityInference))
	}
}

func TestMeasures(t *testing.T) {
	p := tp("facts", 1000,
		tc("id", "INTEGER", 1000, 1000, 0),
		tc("customer_id", "INTEGER", 1000, 50, 0),
		tc("account_code", "INTEGER", 1000, 30, 0),
		tc("fiscal_year", "INTEGER", 1000, 3, 0),
		tc("month_number", "INTEGER", 1000, 12, 0),
		tc("is_reversal", "INTEGER", 1000, 2, 0),
		tc("line_no", "INTEGER", 1000, 9, 0),
		tc("amount", "DOUBLE", 1000, 900, 0),
		tc("amt_lcy", "DECIMAL(18,2)", 1000, 900, 0),
		tc("qty", "INTEGER", 1000, 30, 0),
		tc("period_balance", "DECIMAL(18,2)", 1000, 900, 0),
		tc("fx_factor", "DECIMAL(18,6)", 1000, 20, 0),
		tc("priority", "INTEGER", 1000, 100, 0), // a whole number with no word of a measure
		tc("csat_score", "INTEGER", 1000, 5, 0), // a score given: averaged by the semantic layer
		tc("label", "VARCHAR", 1000, 10, 0),
		tc("total_cost", "VARCHAR", 1000, 10, 0), // text: never a measure
	)
	c := ClassifyTable(p, []string{"id"}, []model.Relationship{rel("facts", []string{"customer_id"}, "customers", []string{"customer_id"})}, []*TableProfile{p})
	want := []string{"amount", "amt_lcy", "qty", "period_balance", "fx_factor", "csat_score"}
	if !reflect.DeepEqual(c.Measures, want) {
		t.Errorf("measures %v, want %v", c.Measures, want)
	}
}

func TestSCDCandidates(t *testing.T) {
	cc := tp("cost_centers", 17,
		tc("cost_center_code", "VARCHAR", 17, 10, 0), tc("name", "VARCHAR", 17, 13, 0),
		tc("valid_from", "DATE", 17, 9, 0), tc("valid_to", "DATE", 17, 9, 0), tc("is_current", "BOOLEAN", 17, 2, 0))
	c := SCDCandidates(cc, []string{"cost_center_code", "valid_from"})
	if c == nil || c.ValidFrom != "valid_from" || c.ValidTo != "valid_to" || c.IsCurrent != "is_current" || !c.Strong ||
		!reflect.DeepEqual(c.BusinessKey, []string{"cost_center_code"}) {
		t.Fatalf("candidate %+v", c)
	}
	// A surrogate key: the business key is the natural code.
	sk := tp("dim_customer", 100,
		tc("customer_sk", "INTEGER", 100, 100, 0), tc("customer_code", "VARCHAR", 100, 60, 0),
		tc("effective_date", "DATE", 100, 30, 0), tc("end_date", "DATE", 100, 30, 60), tc("current_flag", "VARCHAR", 100, 2, 0))
	c = SCDCandidates(sk, []string{"customer_sk"})
	if c == nil || c.ValidFrom != "effective_date" || c.ValidTo != "end_date" || c.IsCurrent != "current_flag" ||
		!reflect.DeepEqual(c.BusinessKey, []string{"customer_code"}) {
		t.Fatalf("surrogate candidate %+v", c)
	}
	// No validity columns, or a lone start date: no candidate.
	if c := SCDCandidates(tp("vendors", 3, tc("vendor_id", "VARCHAR", 3, 3, 0)), []string{"vendor_id"}); c != nil {
		t.Errorf("vendors: %+v", c)
	}
	if c := SCDCandidates(tp("projects", 3, tc("project_id", "VARCHAR", 3, 3, 0), tc("start_date", "DATE", 3, 3, 0)), []string{"project_id"}); c != nil {
		t.Errorf("projects: %+v", c)
	}
	// The classifier marks validity columns and leaves type 1 pending
	// verification.
	cl := ClassifyTable(cc, []string{"cost_center_code", "valid_from"}, nil, []*TableProfile{cc})
	if cl.SCDCandidate == nil || cl.ColumnKinds["valid_from"] != model.KindValidity || cl.ColumnKinds["is_current"] != model.KindValidity ||
		cl.ColumnKinds["cost_center_code"] != model.KindKey || cl.Entity != model.EntityCostCenter {
		t.Errorf("classified %+v", cl)
	}
}

func TestDecideSCD(t *testing.T) {
	c := &SCDCandidate{ValidFrom: "vf", ValidTo: "vt", IsCurrent: "cur", BusinessKey: []string{"k"}, Strong: true}
	ok := decideSCD(c, SCDStats{Rows: 17, BusinessKeys: 10, MaxVersions: 3, ChangedKeys: 5})
	if ok.Type != 2 || ok.Confidence != 0.95 || ok.ValidFrom != "vf" || !reflect.DeepEqual(ok.BusinessKey, []string{"k"}) {
		t.Errorf("valid: %+v", ok)
	}
	weak := &SCDCandidate{ValidFrom: "start_date", ValidTo: "end_date", BusinessKey: []string{"k"}}
	if d := decideSCD(weak, SCDStats{Rows: 5, BusinessKeys: 5, MaxVersions: 1}); d.Type != 1 {
		t.Errorf("generic dates without history: %+v", d)
	}
	if d := decideSCD(c, SCDStats{Rows: 5, BusinessKeys: 5, MaxVersions: 1}); d.Type != 2 || d.Confidence != 0.65 {
		t.Errorf("SCD names without history yet: %+v", d)
	}
}

// A daily activity per campaign has the grain of a snapshot (a date and
// a reference) but its measures are flows — clicks, impressions, spend —
// that add up over days: a transaction fact, its counts measures. A
// table named as a snapshot keeps its role whatever its measures.
func TestClassifyDailyActivityIsNotASnapshot(t *testing.T) {
	campaigns := tp("campaigns", 5, tc("campaign_id", "VARCHAR", 5, 5, 0), tc("campaign_name", "VARCHAR", 5, 5, 0))
	ads := tp("ad_performance", 1825,
		tc("activity_date", "DATE", 1825, 365, 0), tc("campaign_id", "VARCHAR", 1825, 5, 0),
		tc("impressions", "INTEGER", 1825, 1800, 0), tc("clicks", "INTEGER", 1825, 700, 0), tc("conversions", "INTEGER", 1825, 60, 0),
		tc("spend", "DECIMAL(18,2)", 1825, 1800, 0))
	snap := tp("campaign_month_end", 60,
		tc("month_end", "DATE", 60, 12, 0), tc("campaign_id", "VARCHAR", 60, 5, 0), tc("spend", "DECIMAL(18,2)", 60, 60, 0))
	all := []*TableProfile{campaigns, ads, snap}
	rels := []model.Relationship{
		rel("ad_performance", []string{"campaign_id"}, "campaigns", []string{"campaign_id"}),
		rel("campaign_month_end", []string{"campaign_id"}, "campaigns", []string{"campaign_id"}),
	}
	c := ClassifyTable(ads, []string{"activity_date", "campaign_id"}, rels, all)
	if c.Role != model.RoleTransactionFact {
		t.Errorf("ad_performance: role %s, want a transaction fact\n%s", c.Role, rules(c.RoleInference))
	}
	if want := []string{"impressions", "clicks", "conversions", "spend"}; !reflect.DeepEqual(c.Measures, want) {
		t.Errorf("ad_performance: measures %v, want %v", c.Measures, want)
	}
	if c := ClassifyTable(snap, []string{"month_end", "campaign_id"}, rels, all); c.Role != model.RoleSnapshotFact {
		t.Errorf("campaign_month_end: role %s, want a periodic snapshot\n%s", c.Role, rules(c.RoleInference))
	}
}

// Order items without a date of their own, referenced by returns, are
// still the lines of dated documents (the order header has the date and
// fewer rows) with line measures: a transaction fact, not a dimension —
// and so their header is a fact too. A track list (no dated parent, only
// a price and a length) stays a dimension.
func TestClassifyLinesOfADatedHeader(t *testing.T) {
	customers := tp("customers", 300, tc("customer_id", "VARCHAR", 300, 300, 0), tc("customer_name", "VARCHAR", 300, 290, 0))
	products := tp("products", 9, tc("sku", "VARCHAR", 9, 9, 0), tc("product_name", "VARCHAR", 9, 9, 0), tc("unit_price", "DECIMAL(10,2)", 9, 6, 0))
	orders := tp("orders", 5498, tc("order_id", "VARCHAR", 5498, 5498, 0), tc("customer_id", "VARCHAR", 5498, 300, 0),
		tc("order_date", "DATE", 5498, 730, 0), tc("order_status", "VARCHAR", 5498, 2, 0), tc("order_total", "DECIMAL(18,2)", 5498, 900, 0))
	items := tp("order_items", 13674, tc("order_item_id", "VARCHAR", 13674, 13674, 0), tc("order_id", "VARCHAR", 13674, 5498, 0),
		tc("sku", "VARCHAR", 13674, 9, 0), tc("quantity", "INTEGER", 13674, 3, 0), tc("line_amount", "DECIMAL(18,2)", 13674, 40, 0))
	returns := tp("returns", 793, tc("return_id", "VARCHAR", 793, 793, 0), tc("order_item_id", "VARCHAR", 793, 793, 0),
		tc("return_date", "DATE", 793, 600, 0), tc("refund_amount", "DECIMAL(18,2)", 793, 20, 0))
	albums := tp("albums", 300, tc("album_id", "INTEGER", 300, 300, 0), tc("title", "VARCHAR", 300, 300, 0))
	genres := tp("genres", 25, tc("genre_id", "INTEGER", 25, 25, 0), tc("genre_name", "VARCHAR", 25, 25, 0))
	tracks := tp("tracks", 3500, tc("track_id", "INTEGER", 3500, 3500, 0), tc("track_name", "VARCHAR", 3500, 3400, 0),
		tc("album_id", "INTEGER", 3500, 300, 0), tc("genre_id", "INTEGER", 3500, 25, 0), tc("unit_price", "DECIMAL(10,2)", 3500, 2, 0),
		tc("milliseconds", "INTEGER", 3500, 3400, 0))
	plays := tp("play_counts", 20000, tc("track_id", "INTEGER", 20000, 3500, 0), tc("played_on", "DATE", 20000, 365, 0), tc("plays", "INTEGER", 20000, 50, 0))
	all := []*TableProfile{customers, products, orders, items, returns, albums, genres, tracks, plays}
	rels := []model.Relationship{
		rel("orders", []string{"customer_id"}, "customers", []string{"customer_id"}),
		rel("order_items", []string{"order_id"}, "orders", []string{"order_id"}),
		rel("order_items", []string{"sku"}, "products", []string{"sku"}),
		rel("returns", []string{"order_item_id"}, "order_items", []string{"order_item_id"}),
		rel("tracks", []string{"album_id"}, "albums", []string{"album_id"}),
		rel("tracks", []string{"genre_id"}, "genres", []string{"genre_id"}),
		rel("play_counts", []string{"track_id"}, "tracks", []string{"track_id"}),
	}
	if c := ClassifyTable(items, []string{"order_item_id"}, rels, all); c.Role != model.RoleTransactionFact {
		t.Errorf("order_items: role %s, want a transaction fact\n%s", c.Role, rules(c.RoleInference))
	}
	if c := ClassifyTable(tracks, []string{"track_id"}, rels, all); c.Role != model.RoleDimension {
		t.Errorf("tracks: role %s, want a dimension\n%s", c.Role, rules(c.RoleInference))
	}
}
