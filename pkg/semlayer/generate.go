package semlayer

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/databridge/databridge/pkg/hierarchy"
	"github.com/databridge/databridge/pkg/model"
	"github.com/databridge/databridge/pkg/warehouse"
)

// GenerateInput is what the layer is generated from: the warehouse design
// that was deployed (its objects, the approved model, the bound
// hierarchies) and the fiscal calendar.
type GenerateInput struct {
	Dialect string
	Model   *model.Model
	// Objects are the deployed design's objects (facts, dimensions, the
	// hierarchy pipelines).
	Objects     []*warehouse.Object
	Bindings    []warehouse.Binding
	Hierarchies map[string]*hierarchy.Hierarchy
	Calendar    Calendar
	// CalendarSource says where the calendar came from.
	CalendarSource string
	// ReportingCurrency is the currency rates convert to (default USD).
	ReportingCurrency string
}

// Generate builds the layer: one semantic model per deployed fact and
// dimension, a metric per measure (sums, row counts, distinct counts of
// what the facts reference), and a metric per line of every bound
// hierarchy (formula lines as formulas of other lines).
func Generate(in GenerateInput) (*Layer, error) {
	l := &Layer{Version: 1, Calendar: in.Calendar, CalendarSource: in.CalendarSource, Dialect: in.Dialect}
	if l.Calendar.StartMonth == 0 {
		l.Calendar = Calendar{StartMonth: 1}
	}
	objs := map[string]*warehouse.Object{}
	for _, o := range in.Objects {
		objs[strings.ToUpper(o.Name)] = o
	}
	m := in.Model
	if m != nil {
		if err := generateModels(l, m, objs); err != nil {
			return nil, err
		}
	}
	generateHeaderDates(l)
	generateCurrency(l, m, objs, in.ReportingCurrency)
	generateScenarios(l, m)
	generateMetrics(l, m)
	generateRecurring(l)
	generatePipeline(l, m)
	generateDiscounts(l)
	if err := generateHierarchyMetrics(l, in, objs); err != nil {
		return nil, err
	}
	if errs := l.Check(); len(errs) > 0 {
		return nil, fmt.Errorf("generated semantic layer is inconsistent: %s", strings.Join(errs, "; "))
	}
	return l, nil
}

// snake is a lower-case identifier of words joined by underscores.
func snake(s string) string {
	var b strings.Builder
	prevUnderscore := true
	rs := []rune(s)
	lower := func(r rune) bool { return r >= 'a' && r <= 'z' || r >= '0' && r <= '9' }
	upper := func(r rune) bool { return r >= 'A' && r <= 'Z' }
	for i, r := range rs {
		// CamelCase words apart: UnitPrice → unit_price, CustomerID →
		// customer_id, FactInternetSales → fact_internet_sales.
		if upper(r) && i > 0 && !prevUnderscore && (lower(rs[i-1]) || upper(rs[i-1]) && i+1 < len(rs) && rs[i+1] >= 'a' && rs[i+1] <= 'z') {
			b.WriteByte('_')
		}
		switch {
		case lower(r):
			b.WriteRune(r)
			prevUnderscore = false
		case upper(r):
			b.WriteRune(r - 'A' + 'a')
			prevUnderscore = false
		case !prevUnderscore:
			b.WriteByte('_')
			prevUnderscore = true
		}
	}
	return strings.Trim(b.String(), "_")
}

// words is a snake name as words ("cost_centers" → "cost centers").
func words(s string) string { return strings.ReplaceAll(snake(s), "_", " ") }

// tableWords are a table's name in words without a warehouse prefix
// (dim_product: "product", fact_sales: "sales").
func tableWords(name string) string {
	w := words(name)
	for _, pre := range []string{"dim ", "dimension ", "fact ", "fct ", "tbl "} {
		if rest, ok := strings.CutPrefix(w, pre); ok && rest != "" {
			return rest
		}
	}
	return w
}

// singular is a simple English singular of a word or snake phrase's last
// word ("cost_centers" → "cost_center", "categories" → "category").
func singular(s string) string {
	switch {
	case strings.HasSuffix(s, "ies") && len(s) > 4:
		return s[:len(s)-3] + "y"
	case strings.HasSuffix(s, "sses"), strings.HasSuffix(s, "xes"), strings.HasSuffix(s, "ches"), strings.HasSuffix(s, "shes"):
		return s[:len(s)-2]
	case strings.HasSuffix(s, "ss"), strings.HasSuffix(s, "us"), strings.HasSuffix(s, "is"):
		return s
	case strings.HasSuffix(s, "s") && len(s) > 2:
		return s[:len(s)-1]
	}
	return s
}

// pluralOnce is the plural of a name that may be plural already (table
// names often are: "customers").
func pluralOnce(s string) string {
	if strings.HasSuffix(s, "s") {
		return s
	}
	return plural(s)
}

// plural is a simple English plural ("category" → "categories").
func plural(s string) string {
	ws := strings.Fields(s)
	switch last := ws[len(ws)-1]; {
	case uncountable[last]:
		return s
	case strings.HasSuffix(s, "y") && len(s) > 2 && !strings.ContainsRune("aeiou", rune(s[len(s)-2])):
		return s[:len(s)-1] + "ies"
	case strings.HasSuffix(s, "s"), strings.HasSuffix(s, "x"), strings.HasSuffix(s, "ch"), strings.HasSuffix(s, "sh"):
		return s + "es"
	}
	return s + "s"
}

// uncountable nouns have no plural of their own ("number of aircraft").
var uncountable = map[string]bool{"aircraft": true, "staff": true, "personnel": true, "equipment": true, "data": true, "software": true,
	"hardware": true, "inventory": true, "stock": true, "series": true, "species": true, "news": true, "sheep": true, "fish": true}

// Columns a fact gets from its time dimension (calendar attributes) are
// hidden: the layer's time grains say the same from the fact's date.
var periodAttributeHint = []string{"fiscal_year", "fiscal_quarter", "fiscal_period", "month_number", "period_name", "period_start", "period_end", "quarter", "year", "month"}

func isPeriodAttribute(col string) bool {
	c := strings.ToLower(col)
	for _, h := range periodAttributeHint {
		if c == h {
			return true
		}
	}
	return false
}

// isNumericType says whether a column's type is numeric.
func isNumericType(t string) bool {
	t = strings.ToUpper(t)
	for _, k := range []string{"INT", "DEC", "NUMERIC", "NUMBER", "DOUBLE", "FLOAT", "REAL", "MONEY", "HUGEINT"} {
		if strings.Contains(t, k) {
			return true
		}
	}
	return false
}

// isYearMonthText: a text column whose every profiled value is a month
// written "YYYY-MM" (2025-03).
func isYearMonthText(c model.Column) bool {
	u := strings.ToUpper(c.Type)
	if !(strings.Contains(u, "CHAR") || strings.Contains(u, "TEXT") || strings.Contains(u, "STRING")) || c.Profile.Rows == 0 {
		return false
	}
	return model.YearMonths(append([]string{c.Profile.Min, c.Profile.Max}, c.Profile.Top...)...)
}

func isDateType(t string) bool {
	t = strings.ToUpper(t)
	return strings.Contains(t, "DATE") || strings.Contains(t, "TIMESTAMP")
}

// quantityWords in a measure's name make it a number of something, not
// money: units, time, energy, weight, distance, people, points and
// scores.
var quantityWords = []string{"qty", "quantity", "units", "count", "number", "num", "headcount", "seats", "hours", "days", "volume", "weight",
	"minutes", "seconds", "secs", "nights", "kwh", "mwh", "kg", "kgs", "lbs", "tons", "tonnes", "liters", "litres", "gallons", "miles", "km",
	"covers", "guests", "passengers", "points", "score", "rating", "grade", "gpa", "percent", "pct", "ratio"}

func isMoneyMeasure(c *model.Column) bool {
	if nameHas(c.Name, quantityWords...) {
		return false
	}
	if strings.Contains(strings.ToUpper(c.Type), "INT") && c.Profile.Pattern != "amount" {
		return false
	}
	return true
}

func generateModels(l *Layer, m *model.Model, objs map[string]*warehouse.Object) error {
	tables := append([]*model.Table{}, m.Tables...)
	sort.SliceStable(tables, func(i, j int) bool { return tables[i].Name < tables[j].Name })
	// Entity names: the table's entity where no other dimension has it,
	// else the table's singular name.
	entityCount := map[model.Entity]int{}
	for _, t := range tables {
		if warehouse.IsDimension(t) {
			entityCount[t.Entity]++
		}
	}
	entityOf := map[string]string{}
	for _, t := range tables {
		if !warehouse.IsDimension(t) {
			continue
		}
		name := singular(snake(t.Name))
		if t.Entity != "" && t.Entity != model.EntityOther && t.Entity != model.EntityTransaction && entityCount[t.Entity] == 1 {
			name = string(t.Entity)
		}
		entityOf[strings.ToLower(t.Name)] = name
	}
	for _, t := range tables {
		switch {
		case warehouse.IsDimension(t):
			o := objs[strings.ToUpper(warehouse.DimensionName(t.Name))]
			if o == nil {
				continue // not deployed
			}
			sm := &Model{Name: snake(t.Name), Origin: "model:" + t.Name, Table: o.Name, Schema: o.Schema, Role: "dimension",
				Label: tableWords(t.Name), Description: fmt.Sprintf("%s (%s)", tableWords(t.Name), strings.ReplaceAll(string(t.Role), "_", " "))}
			sm.Entities = append(sm.Entities, &Entity{Name: entityOf[strings.ToLower(t.Name)], Type: "primary", Column: warehouse.SurrogateKey(t.Name)})
			skip := map[string]bool{}
			for _, c := range []string{t.SCD.ValidFrom, t.SCD.ValidTo, t.SCD.IsCurrent} {
				if c != "" {
					skip[strings.ToLower(c)] = true
				}
			}
			// Snowflaked dimensions: references to other dimensions by
			// their natural key.
			for _, r := range m.Relationships {
				if !strings.EqualFold(r.FromTable, t.Name) || len(r.FromColumns) != 1 {
					continue
				}
				p := m.Table(r.ToTable)
				if p == nil || !warehouse.IsDimension(p) || objs[strings.ToUpper(warehouse.DimensionName(p.Name))] == nil {
					continue
				}
				e := &Entity{Name: entityOf[strings.ToLower(p.Name)], Type: "foreign", Column: r.FromColumns[0], Ref: snake(p.Name), RefColumn: r.ToColumns[0]}
				if p.SCD.Type == 2 {
					e.CurrentColumn = warehouse.CurrentVersionColumn
				}
				sm.Entities = append(sm.Entities, e)
			}
			for _, c := range t.Columns {
				if skip[strings.ToLower(c.Name)] {
					continue
				}
				sm.Dimensions = append(sm.Dimensions, columnDimension(t, c))
			}
			// How many members the dimension has (one row each; not for
			// versioned dimensions, whose rows are versions), counted by
			// the day each began (signed up, started, opened), when it
			// has such a date.
			if t.SCD.Type != 2 && t.Role != model.RoleTimeDimension {
				sm.Measures = append(sm.Measures, &Measure{Name: "row_count", Column: "*", Agg: AggCount, Description: "number of " + tableWords(t.Name)})
				sm.TimeColumn = startColumn(sm)
				// Members that start and end (subscriptions, contracts):
				// their amounts are a stock, summed over the current ones
				// (no end date).
				if end := endColumn(sm); sm.TimeColumn != "" && end != "" {
					for _, c := range t.Columns {
						if skip[strings.ToLower(c.Name)] || c.Kind == model.KindKey || !isNumericType(c.Type) || !isMoneyMeasure(&c) || c.Profile.Class == "identifier" {
							continue
						}
						sm.Measures = append(sm.Measures, &Measure{Name: snake(c.Name), Column: c.Name, Agg: AggSum,
							Description: fmt.Sprintf("sum of %s of the current %s (without %s)", words(c.Name), tableWords(t.Name), words(end))})
					}
				}
			}
			l.Models = append(l.Models, sm)
		case t.Role.IsFact():
			o := objs[strings.ToUpper(warehouse.FactName(t.Name))]
			if o == nil {
				continue
			}
			sm := &Model{Name: snake(t.Name), Origin: "model:" + t.Name, Table: o.Name, Schema: o.Schema, Role: "fact",
				Label: tableWords(t.Name), Description: fmt.Sprintf("%s (%s)", tableWords(t.Name), strings.ReplaceAll(string(t.Role), "_", " "))}
			fks := map[string]bool{}
			for _, r := range m.Relationships {
				if !strings.EqualFold(r.FromTable, t.Name) {
					continue
				}
				p := m.Table(r.ToTable)
				if p != nil && p.Role.IsFact() && len(r.FromColumns) == 1 && len(r.ToColumns) == 1 && !strings.EqualFold(p.Name, t.Name) {
					// A fact that references another's rows by their
					// source key (a payment its invoice): many to one,
					// joined on the source columns.
					if pc := p.Column(r.ToColumns[0]); pc != nil && pc.Profile.Rows > 0 && pc.Profile.Distinct == pc.Profile.Rows-pc.Profile.Nulls {
						sm.Entities = append(sm.Entities, &Entity{Name: singular(snake(p.Name)), Type: "foreign", Column: r.FromColumns[0], Ref: snake(p.Name), RefColumn: r.ToColumns[0]})
					}
					continue
				}
				if p != nil && p.Role.IsFact() && len(r.FromColumns) > 1 && len(r.FromColumns) == len(r.ToColumns) && !strings.EqualFold(p.Name, t.Name) {
					// By a composite key (a return its sales line, by
					// receipt and line number): many to one when the
					// columns are the referenced fact's grain.
					if sameColumns(r.ToColumns, p.PrimaryKey) {
						e := &Entity{Name: singular(snake(p.Name)), Type: "foreign", Column: r.FromColumns[0], Ref: snake(p.Name), RefColumn: r.ToColumns[0]}
						for i := 1; i < len(r.FromColumns); i++ {
							e.CompositeKeys = append(e.CompositeKeys, KeyPair{Fact: r.FromColumns[i], Other: r.ToColumns[i]})
						}
						sm.Entities = append(sm.Entities, e)
					}
					continue
				}
				if p == nil || !warehouse.IsDimension(p) || objs[strings.ToUpper(warehouse.DimensionName(p.Name))] == nil {
					continue
				}
				for _, c := range r.FromColumns {
					fks[strings.ToLower(c)] = true
				}
				sk := warehouse.FactKeyColumn(m, r)
				name := entityOf[strings.ToLower(p.Name)]
				if sk != warehouse.SurrogateKey(p.Name) { // role-playing: named by the columns
					name = snake(strings.Join(r.FromColumns, "_"))
				}
				sm.Entities = append(sm.Entities, &Entity{Name: name, Type: "foreign", Column: sk, Ref: snake(p.Name)})
				// Distinct count of what the fact references.
				if len(r.FromColumns) == 1 && p.Role != model.RoleTimeDimension {
					sm.Measures = append(sm.Measures, &Measure{Name: name + "_count", Column: r.FromColumns[0], Agg: AggCountDistinct,
						Description: fmt.Sprintf("number of distinct %s in %s", pluralOnce(tableWords(p.Name)), tableWords(t.Name))})
				}
			}
			measures := map[string]bool{}
			for _, ms := range t.Measures {
				measures[strings.ToLower(ms)] = true
			}
			var dates []string
			for _, c := range t.Columns {
				lc := strings.ToLower(c.Name)
				switch {
				case measures[lc]:
					c := c
					ms := &Measure{Name: snake(c.Name), Column: c.Name, Agg: AggSum, Money: isMoneyMeasure(&c),
						Description: fmt.Sprintf("sum of %s", words(c.Name))}
					if isIntensive(c.Name) || isRate(&c) {
						// A grade, a score, a rating, a discount rate:
						// averaged, never added.
						ms.Agg, ms.Money, ms.Description = AggAverage, false, fmt.Sprintf("average of %s", words(c.Name))
					} else if isUnitPrice(c.Name) && ms.Money {
						// A price per unit: averaged (summed over lines it
						// is no amount).
						ms.Agg, ms.Description = AggAverage, fmt.Sprintf("average of %s", words(c.Name))
					}
					if t.Role == model.RoleSnapshotFact || headcountName(c.Name) {
						// (a headcount is a stock in any fact: a monthly
						// P&L's heads are not added over the months)
						if edge := stockEdge(c.Name); edge != "" {
							ms.NonAdditive = &NonAdditive{Time: edge}
							ms.Description = fmt.Sprintf("%s at the %s period of each time bucket, summed over the rest", words(c.Name), edge)
						}
					}
					sm.Measures = append(sm.Measures, ms)
				case c.Kind == model.KindDate || isDateType(c.Type):
					dates = append(dates, c.Name)
					sm.Dimensions = append(sm.Dimensions, &Dimension{Name: snake(c.Name), Origin: "column:" + c.Name, Column: c.Name, Type: "time", Label: words(c.Name)})
				default:
					dim := columnDimension(t, c)
					if c.Kind == model.KindKey && !fks[lc] && (len(t.PrimaryKey) <= 1 || identifierName(c.Name) && !(nameHas(c.Name, "line") && !isNumericType(c.Type))) {
						dim.Hidden = true // a transaction's own id: not something to group by
						dim.Members = false
						// A document number its lines share (a receipt, a
						// journal): how many documents.
						if pr := c.Profile; pr.Rows > 0 && pr.Distinct > 1 && pr.Distinct < pr.Rows-pr.Nulls && pr.Distinct*100 >= pr.Rows {
							doc := docStem(snake(c.Name))
							sm.Measures = append(sm.Measures, &Measure{Name: snake(c.Name) + "_count", Column: c.Name, Agg: AggCountDistinct,
								Description: fmt.Sprintf("number of distinct %s in %s", pluralOnce(words(doc)), tableWords(t.Name))})
						}
					} else if n := snake(c.Name); c.Kind != model.KindKey && !fks[lc] && strings.HasSuffix(n, "_id") && len(n) > 3 && !keyElsewhere(m, sm, c.Name) {
						// Who or what the rows are about, with no table of
						// their own (a ticket order's customer_id): how
						// many distinct ones.
						if pr := c.Profile; pr.Rows > 0 && pr.Distinct > 1 && pr.Distinct < pr.Rows-pr.Nulls {
							sm.Measures = append(sm.Measures, &Measure{Name: strings.TrimSuffix(n, "_id") + "_count", Column: c.Name, Agg: AggCountDistinct,
								Description: fmt.Sprintf("number of distinct %s in %s", pluralOnce(words(strings.TrimSuffix(n, "_id"))), tableWords(t.Name))})
						}
					}
					sm.Dimensions = append(sm.Dimensions, dim)
				}
			}
			// Columns the fact got from the deployment: AMOUNT (debit −
			// credit) and its time dimension's calendar attributes.
			have := map[string]bool{}
			for _, c := range t.Columns {
				have[strings.ToLower(c.Name)] = true
			}
			// The copied calendar attributes come from the time
			// dimension the fact references (date_key → dim_date): its
			// date (full_date) dates the fact's rows.
			calendar := map[string]model.Column{}
			for _, r := range m.Relationships {
				if p := m.Table(r.ToTable); strings.EqualFold(r.FromTable, t.Name) && p != nil && p.Role == model.RoleTimeDimension {
					for _, c := range p.Columns {
						calendar[strings.ToLower(c.Name)] = c
					}
				}
			}
			for _, c := range o.Columns {
				lc := strings.ToLower(c)
				if have[lc] || strings.HasSuffix(strings.ToUpper(c), "_SK") {
					continue
				}
				if tc, ok := calendar[lc]; ok && (tc.Kind == model.KindDate || isDateType(tc.Type)) {
					dates = append(dates, c)
					sm.Dimensions = append(sm.Dimensions, &Dimension{Name: snake(c), Origin: "column:" + c, Column: c, Type: "time", Label: words(c)})
					continue
				}
				if strings.EqualFold(c, "AMOUNT") {
					sm.Measures = append(sm.Measures, &Measure{Name: "amount", Column: c, Agg: AggSum, Money: true, Description: "debit − credit (the ledger's signed amount)"})
					continue
				}
				if strings.Contains(lc, "start") && len(dates) == 0 && strings.Contains(lc, "period") {
					dates = append(dates, c)
				}
				sm.Dimensions = append(sm.Dimensions, &Dimension{Name: snake(c), Origin: "column:" + c, Column: c, Type: "categorical", Label: words(c), Hidden: isPeriodAttribute(c)})
			}
			if len(dates) == 0 {
				// No date, but a month written as text ("2025-03", a
				// ledger's period): the rows' time, read as the month's
				// first day.
				var months []string
				for _, c := range t.Columns {
					if isYearMonthText(c) {
						months = append(months, c.Name)
					}
				}
				if len(months) > 0 {
					col := pickTimeColumn(t, months)
					for _, x := range sm.Dimensions {
						if strings.EqualFold(x.Column, col) {
							x.Type, x.DateText, x.Hidden, x.Members = "time", DateTextYearMonth, false, false
							dates = append(dates, col)
						}
					}
				}
			}
			if len(dates) > 0 {
				sm.TimeColumn = pickTimeColumn(t, dates)
			}
			if la := lineAmount(sm.Measures); la != nil {
				sm.Measures = append(sm.Measures, la)
			}
			sm.Measures = append(sm.Measures, &Measure{Name: "row_count", Column: "*", Agg: AggCount, Description: "number of " + tableWords(t.Name)})
			l.Models = append(l.Models, sm)
		}
	}
	return nil
}

// generateHeaderDates dates the rows of a fact that has no date of its
// own by the one fact it references that has one: the lines of an order
// by their order's date (TimeVia). The measures of such a fact are flows
// (a stock needs its own date).
func generateHeaderDates(l *Layer) {
	for _, sm := range l.Models {
		if sm.Role != "fact" || sm.TimeColumn != "" {
			continue
		}
		stock := false
		for _, x := range sm.Measures {
			stock = stock || x.NonAdditive != nil
		}
		if stock {
			continue
		}
		var headers []*Model
		for _, e := range sm.Entities {
			if ref := l.RefModel(e); e.Type == "foreign" && ref != nil && ref.Role == "fact" && ref.TimeColumn != "" && ref.TimeVia == "" && !slices.Contains(headers, ref) {
				headers = append(headers, ref)
			}
		}
		if len(headers) == 0 {
			// A header without amounts is a dimension (purchase orders
			// with a supplier, a buyer and a date): its lines are dated
			// by its one date all the same.
			for _, e := range sm.Entities {
				if ref := l.RefModel(e); e.Type == "foreign" && ref != nil && ref.Role == "dimension" && documentHeader(ref) != "" && !slices.Contains(headers, ref) {
					headers = append(headers, ref)
				}
			}
			if len(headers) == 1 && headers[0].TimeColumn == "" {
				headers[0].TimeColumn = documentHeader(headers[0])
			}
		}
		if len(headers) == 1 && headers[0].TimeColumn != "" {
			sm.TimeColumn, sm.TimeVia = headers[0].TimeColumn, headers[0].Name
		}
	}
}

// documentEntities are the primary entities of a dimension whose rows
// are documents (an order, an invoice) rather than parties or things.
var documentEntities = []string{"order", "transaction", "invoice", "receipt", "bill", "purchase_order"}

// documentHeader is the one date of a dimension of documents (a purchase
// order's order date), or "".
func documentHeader(m *Model) string {
	pe := m.PrimaryEntity()
	if pe == nil || !slices.Contains(documentEntities, pe.Name) {
		return ""
	}
	if m.TimeColumn != "" {
		return m.TimeColumn
	}
	var dates []string
	for _, x := range m.Dimensions {
		if x.Type == "time" {
			dates = append(dates, x.Column)
		}
	}
	if len(dates) != 1 {
		return ""
	}
	return dates[0]
}

// endColumn is the date a dimension's member ended (end_date,
// cancelled_at, closed_on), or "".
func endColumn(sm *Model) string {
	var found []string
	for _, x := range sm.Dimensions {
		if x.Type != "time" || x.Column == sm.TimeColumn {
			continue
		}
		n := strings.ToLower(x.Name)
		for _, w := range []string{"end", "cancel", "churn", "closed", "terminat", "expir"} {
			if strings.Contains(n, w) {
				found = append(found, x.Column)
				break
			}
		}
	}
	if len(found) == 1 {
		return found[0]
	}
	return ""
}

// startColumn is the date a dimension's member began (signup_date,
// start_date, opened_on, created_at, hire_date, enrolled_on), or "".
func startColumn(sm *Model) string {
	var found []string
	for _, x := range sm.Dimensions {
		if x.Type != "time" {
			continue
		}
		n := strings.ToLower(x.Name)
		for _, w := range []string{"signup", "sign_up", "signed_up", "start", "open", "created", "regist", "join", "onboard", "since", "hire", "enrol", "activat", "commenc", "acqui", "placed_in_service", "in_service"} {
			if strings.Contains(n, w) {
				found = append(found, x.Column)
				break
			}
		}
	}
	if len(found) == 1 {
		return found[0]
	}
	return ""
}

// docStem is a document number's name without its number suffix
// (receipt_no → receipt, journal_id → journal).
func docStem(n string) string {
	for _, suf := range []string{"_number", "_num", "_no", "_nr", "_id", "_code", "_key"} {
		if strings.HasSuffix(n, suf) && len(n) > len(suf) {
			return strings.TrimSuffix(n, suf)
		}
	}
	return n
}

// pickTimeColumn chooses the date a fact's rows happen on: a column whose
// name says it is the event's date (posting, sale, order, invoice,
// transaction ...) before validity and due dates.
func pickTimeColumn(t *model.Table, dates []string) string {
	best, bestScore := dates[0], -100
	for i, c := range dates {
		n := snake(c)
		score := -i
		for _, w := range []string{"posting", "posted", "transaction", "txn", "sale", "sales", "order", "invoice", "event", "booking", "entry", "document", "period_start", "date"} {
			if strings.Contains(n, w) {
				score += 10
				break
			}
		}
		for _, w := range []string{"due", "valid", "end", "expir", "created", "updated", "modified", "loaded", "paid", "ship", "deliver"} {
			if strings.Contains(n, w) && !strings.Contains(snake(t.Name), w) {
				// A later milestone of another event (an order's ship
				// date) — unless the table records that event (a
				// shipment's ship date).
				score -= 20
			}
		}
		for _, w := range []string{"promis", "expect", "plan", "schedul", "target", "estimat", "forecast", "requested"} {
			if strings.Contains(n, w) {
				score -= 30 // a date aimed at, not one something happened on
			}
		}
		if col := t.Column(c); col != nil && col.Profile.Rows > 0 {
			score -= int(10 * col.Profile.Nulls / col.Profile.Rows)
		}
		if score > bestScore {
			best, bestScore = c, score
		}
	}
	return best
}

// columnDimension is a model column as a dimension.
func columnDimension(t *model.Table, c model.Column) *Dimension {
	x := &Dimension{Name: snake(c.Name), Origin: "column:" + c.Name, Column: c.Name, Type: "categorical", Label: words(c.Name)}
	if c.Kind == model.KindDate || isDateType(c.Type) {
		x.Type = "time"
		return x
	}
	if t := strings.ToUpper(c.Type); t == "BOOLEAN" || t == "BOOL" {
		x.Flag = true
		return x
	}
	switch c.Profile.Class {
	case "categorical", "free_text", "identifier", "":
		x.Members = !isNumericType(c.Type) && (c.Profile.Distinct == 0 || c.Profile.Distinct <= 5000)
	}
	if c.Kind == model.KindMeasure || (isNumericType(c.Type) && c.Kind != model.KindKey && c.Kind != model.KindForeign && c.Kind != model.KindAttribute) {
		x.Hidden = true // a numeric attribute (a price, a limit): not a grouping
	}
	return x
}

// generateCurrency finds the currency column of each fact and a rates
// table: a deployed table with a currency column and a rate column, which
// facts join on the columns they share with it (currency, and period or
// date).
func generateCurrency(l *Layer, m *model.Model, objs map[string]*warehouse.Object, reporting string) {
	if m == nil {
		return
	}
	isCurrencyCol := func(c string) bool {
		n := snake(c)
		return n == "currency" || n == "currency_code" || n == "ccy" || n == "currency_id" || n == "iso_currency"
	}
	any := false
	for _, sm := range l.Models {
		if sm.Role != "fact" {
			continue
		}
		for _, x := range sm.Dimensions {
			if isCurrencyCol(x.Column) {
				sm.CurrencyColumn = x.Column
				any = true
				break
			}
		}
	}
	if !any {
		return
	}
	if reporting == "" {
		reporting = "USD"
	}
	cur := &Currency{Reporting: reporting}
	// A rates table: a model table with a currency column and a numeric
	// column named like a rate.
	for _, t := range m.Tables {
		var ccy, rate string
		for _, c := range t.Columns {
			n := snake(c.Name)
			switch {
			case isCurrencyCol(c.Name) && ccy == "":
				ccy = c.Name
			case isNumericType(c.Type) && (strings.Contains(n, "rate") || strings.Contains(n, "fx")) && rate == "":
				rate = c.Name
			}
		}
		if ccy == "" || rate == "" {
			continue
		}
		name := warehouse.FactName(t.Name)
		if warehouse.IsDimension(t) {
			name = warehouse.DimensionName(t.Name)
		}
		o := objs[strings.ToUpper(name)]
		if o == nil {
			continue
		}
		// The other keys of the rates table (its grain minus the currency)
		// must be columns every money fact has.
		var others []string
		for _, k := range t.PrimaryKey {
			if !strings.EqualFold(k, ccy) {
				others = append(others, k)
			}
		}
		ok := true
		for _, sm := range l.Models {
			if sm.Role != "fact" || sm.CurrencyColumn == "" || strings.EqualFold(sm.Table, o.Name) {
				continue
			}
			for _, k := range others {
				if sm.Dimension(snake(k)) == nil {
					ok = false
				}
			}
		}
		if !ok {
			continue
		}
		r := &Rates{Table: o.Name, Schema: o.Schema, RateColumn: rate}
		for _, k := range others {
			r.Keys = append(r.Keys, KeyPair{Fact: k, Other: k})
		}
		r.Keys = append(r.Keys, KeyPair{Fact: "<currency>", Other: ccy})
		cur.Rates = r
		// The rates table's own rows are not money to convert.
		for _, sm := range l.Models {
			if strings.EqualFold(sm.Table, o.Name) {
				sm.CurrencyColumn = ""
				for _, x := range sm.Measures {
					if strings.EqualFold(x.Column, rate) {
						x.Money = false
					}
				}
			}
		}
		break
	}
	l.Currency = cur
}

// ScenarioWords are values that name a version of the numbers rather
// than a kind of them: a column holding two of them (Budget and Actual)
// is a scenario column.
var ScenarioWords = map[string]bool{"budget": true, "budgets": true, "actual": true, "actuals": true,
	"forecast": true, "forecasts": true, "reforecast": true, "plan": true, "target": true, "outlook": true}

// IsScenarioValue says a member names a scenario ("Budget", "ACTUALS",
// "Forecast Q3").
func IsScenarioValue(v string) bool {
	f := strings.Fields(strings.ToLower(strings.NewReplacer("_", " ", "-", " ").Replace(v)))
	return len(f) > 0 && ScenarioWords[f[0]]
}

// generateScenarios marks the scenario column of each fact: a category
// of few members, two or more of which name scenarios (Budget, Actual,
// Forecast). Its profile's most frequent values say so.
func generateScenarios(l *Layer, m *model.Model) {
	for _, sm := range l.Models {
		t := modelTable(m, sm)
		if sm.Role != "fact" || t == nil {
			continue
		}
		for _, c := range t.Columns {
			var dim *Dimension
			for _, x := range sm.Dimensions {
				if strings.EqualFold(x.Column, c.Name) && x.Type == "categorical" {
					dim = x
				}
			}
			if dim == nil || c.Kind == model.KindMeasure || isNumericType(c.Type) || c.Profile.Distinct > 12 {
				continue
			}
			n := 0
			for _, v := range c.Profile.Top {
				if IsScenarioValue(v) {
					n++
				}
			}
			if n >= 2 {
				sm.ScenarioColumn = dim.Column
				break
			}
		}
	}
}

// modelTable is the approved model's table a semantic model was made
// from (nil when there is no model or it is not the model's).
func modelTable(m *model.Model, sm *Model) *model.Table {
	if m == nil {
		return nil
	}
	return m.Table(strings.TrimPrefix(sm.Origin, "model:"))
}

// openEnded says some members of a dimension have no end yet (the end
// column has empty values), or that the model does not say.
func openEnded(m *model.Model, sm *Model, end string) bool {
	t := modelTable(m, sm)
	if t == nil {
		return true
	}
	c := t.Column(end)
	return c == nil || c.Profile.Rows == 0 || c.Profile.Nulls > 0
}

// generateMetrics adds a metric per measure: the measure's name where no
// other fact has one of that name, else model_measure.
func generateMetrics(l *Layer, mdl *model.Model) {
	count := map[string]int{}
	for _, sm := range l.Models {
		if sm.Role != "fact" {
			continue
		}
		for _, x := range sm.Measures {
			count[x.Name]++
		}
	}
	facts := 0
	for _, sm := range l.Models {
		if sm.Role == "fact" {
			facts++
		}
	}
	for _, sm := range l.Models {
		if sm.Role != "fact" {
			// A dimension's member count, and the current members'
			// amounts.
			for _, x := range sm.Measures {
				if x.Agg == AggCount {
					addMetric(l, &Metric{Name: sm.Name + "_count", Origin: "measure:" + sm.Name + "." + x.Name, Type: MetricSimple,
						Label: "number of " + pluralOnce(tableWords(sm.Name)), Model: sm.Name, Measure: x.Name, Format: "count", Description: x.Description + " (all of them)"})
				}
				if end := endColumn(sm); end != "" && sm.TimeColumn != "" && x.Agg == AggSum && l.Metric(x.Name) == nil && !openEnded(mdl, sm, end) {
					// Every member has an end (a project's planned end):
					// no member is current by having none; the amount is
					// every member's (a project's budget).
					l.Metrics = append(l.Metrics, &Metric{Name: x.Name, Origin: "measure:" + sm.Name + "." + x.Name, Type: MetricSimple,
						Label: words(x.Name), Model: sm.Name, Measure: x.Name, Format: "money", Description: x.Description})
				} else if end != "" && sm.TimeColumn != "" && x.Agg == AggSum && l.Metric(x.Name) == nil {
					if d := sm.Dimension(snake(end)); d != nil {
						l.Metrics = append(l.Metrics, &Metric{Name: x.Name, Origin: "measure:" + sm.Name + "." + x.Name, Type: MetricSimple,
							Label: words(x.Name), Model: sm.Name, Measure: x.Name, Format: "money", Description: x.Description, Filter: d.Name + " IS NULL"})
						// Every member's amount, ended or not: what the
						// members that ended had ("MRR lost to
						// cancellations"), what those that began in a
						// period have ("MRR of subscriptions started in
						// FY2026"). Hidden: the question parser reads it
						// for them, the current one is what "MRR" means.
						if l.Metric(sm.Name+"_"+x.Name) == nil {
							l.Metrics = append(l.Metrics, &Metric{Name: sm.Name + "_" + x.Name, Origin: "measure:" + sm.Name + "." + x.Name + ":all", Type: MetricSimple,
								Label: words(x.Name) + " of all " + tableWords(sm.Name), Model: sm.Name, Measure: x.Name, Format: "money", Hidden: true,
								Description: "sum of " + words(x.Name) + " of every one of the " + tableWords(sm.Name) + ", ended or not"})
						}
					}
				}
			}
			continue
		}
		for _, x := range sm.Measures {
			name := x.Name
			if count[x.Name] > 1 {
				name = sm.Name + "_" + x.Name
			}
			label := words(x.Name)
			format := "number"
			switch {
			case x.Agg == AggCount:
				name = sm.Name + "_count"
				label = "number of " + pluralOnce(tableWords(sm.Name))
				format = "count"
			case x.Agg == AggCountDistinct:
				label = "number of " + plural(words(strings.TrimSuffix(x.Name, "_count")))
				// The referenced model's own words ("accounts", not the
				// entity's canonical name).
				if d, ok := strings.CutPrefix(x.Description, "number of distinct "); ok {
					if i := strings.LastIndex(d, " in "); i > 0 {
						label = "number of " + d[:i]
					}
				}
				format = "count"
			case x.Agg == AggAverage:
				label = "average " + words(x.Name)
			case x.Money:
				format = "money"
			}
			if count[x.Name] > 1 && x.Agg != AggCount {
				label = tableWords(sm.Name) + " " + label
			}
			mt := &Metric{Name: name, Origin: "measure:" + sm.Name + "." + x.Name, Type: MetricSimple, Label: label, Model: sm.Name, Measure: x.Name,
				Format: format, Description: x.Description}
			if x.Agg == AggCount && facts == 1 {
				mt.Synonyms = append(mt.Synonyms, "rows")
			}
			addMetric(l, mt)
		}
	}
}

// generateHierarchyMetrics adds a metric per line of each bound hierarchy
// on a deployed fact.
func generateHierarchyMetrics(l *Layer, in GenerateInput, objs map[string]*warehouse.Object) error {
	for _, b := range in.Bindings {
		h := in.Hierarchies[b.Hierarchy]
		if h == nil || len(b.Values) == 0 {
			continue
		}
		src, err := warehouse.ParseSourceName(b.Source)
		if err != nil {
			return err
		}
		var fact *Model
		for _, sm := range l.Models {
			if sm.Role == "fact" && strings.EqualFold(sm.Table, src.Name) {
				fact = sm
			}
		}
		var mapping *warehouse.Object
		for _, o := range in.Objects {
			if o.Role == warehouse.RoleJoined && o.Hierarchy == h.ID {
				mapping = o
			}
		}
		if fact == nil || mapping == nil {
			continue
		}
		code := b.CodeColumn
		if code == "" && len(h.SourceColumns) > 0 {
			code = h.SourceColumns[0]
		}
		mt := h.CodeMatching()
		fact.Hierarchies = append(fact.Hierarchies, &HierarchyBinding{Hierarchy: h.ID, CodeColumn: code, ValueColumn: b.Values[0],
			Mapping: mapping.Name, Schema: mapping.Schema, Trim: mt.Trim, CaseInsensitive: mt.Case == hierarchy.CaseInsensitive})
		if err := hierarchyLineMetrics(l, h, fact); err != nil {
			return err
		}
	}
	return nil
}

// hierarchyLineMetrics makes each line of h a metric over fact.
func hierarchyLineMetrics(l *Layer, h *hierarchy.Hierarchy, fact *Model) error {
	idx := h.Index()
	children := map[string][]*hierarchy.Node{}
	for _, n := range h.Nodes {
		children[n.Parent] = append(children[n.Parent], n)
	}
	// leaves under n with their sign towards n (as DT_3 rolls up).
	var leaves func(n *hierarchy.Node, sign int, out map[string]int)
	leaves = func(n *hierarchy.Node, sign int, out map[string]int) {
		switch n.Type {
		case hierarchy.TypeLeaf:
			out[n.Code] = sign
		case hierarchy.TypeRollup, hierarchy.TypeLabel:
			for _, c := range children[n.Code] {
				leaves(c, sign*c.Consolidation.Sign(), out)
			}
		}
	}
	taken := map[string]bool{}
	for _, m := range l.Metrics {
		taken[m.Name] = true
	}
	names := map[string]string{}
	for _, n := range h.Nodes {
		name := snake(n.Code)
		if taken[name] {
			name = snake(h.ID) + "_" + name
		}
		taken[name] = true
		names[n.Code] = name
	}
	for _, n := range h.Nodes {
		if n.Type == hierarchy.TypeLabel {
			continue
		}
		if n.Consolidation == hierarchy.ConsolidateIgnore && n.Parent != "" && idx[n.Parent] != nil && n.Type == hierarchy.TypeLeaf && len(n.Rules) == 0 {
			continue
		}
		m := &Metric{Name: names[n.Code], Origin: "hierarchy:" + h.ID + "." + n.Code, Type: MetricHierarchy, Label: n.Name,
			Description: fmt.Sprintf("line %s of %s", n.Code, h.Name), Model: fact.Name, Hierarchy: h.ID, Node: n.Code, FlipSign: n.FlipSign, Format: "money"}
		if syn := strings.ToLower(n.Name); syn != strings.ReplaceAll(m.Name, "_", " ") {
			m.Synonyms = append(m.Synonyms, syn)
		}
		switch n.Type {
		case hierarchy.TypeFormula:
			if n.Formula == nil {
				continue
			}
			m.Formula = n.Formula.Expression
			e, err := hierarchy.ParseFormula(n.Formula.Expression)
			if err != nil {
				return fmt.Errorf("hierarchy %s line %s: %w", h.ID, n.Code, err)
			}
			if !e.Additive() {
				m.Format = "number"
				up := strings.ToUpper(n.Code + " " + n.Name)
				if strings.Contains(up, "PCT") || strings.Contains(up, "%") || strings.Contains(up, "PERCENT") || strings.Contains(up, "MARGIN") || strings.Contains(up, "RATIO") {
					m.Format = "percent"
				}
			}
		default:
			m.Leaves = map[string]int{}
			leaves(n, 1, m.Leaves)
			if len(m.Leaves) == 0 {
				continue
			}
		}
		if n.FlipSign {
			m.FavourableWhen = "increase"
		} else if n.Type != hierarchy.TypeFormula {
			m.FavourableWhen = "decrease"
		} else {
			m.FavourableWhen = "increase"
		}
		l.Metrics = append(l.Metrics, m)
	}
	return nil
}

// stockEdge says a periodic snapshot's measure is a stock (a balance,
// stock on hand, headcount, MRR) read at a time bucket's last period —
// an opening one at its first — rather than summed over periods ("" for
// a flow such as a debit or a movement).
func stockEdge(column string) string {
	words := strings.FieldsFunc(strings.ToLower(column), func(r rune) bool { return r == '_' || r == ' ' || r == '-' })
	has := func(ws ...string) bool {
		for _, w := range words {
			for _, x := range ws {
				if w == x {
					return true
				}
			}
		}
		return false
	}
	switch {
	case has("change", "changes", "delta", "movement", "movements", "increase", "decrease", "net_change"):
		return "" // a change of a stock is a flow (mrr_change)
	case has("opening", "beginning", "begin", "start"):
		return TimeFirst
	case has("balance", "bal", "closing", "ending", "stock", "inventory", "headcount", "fte", "ftes", "mrr", "arr", "outstanding", "hand",
		// A fixed asset's book value and its depreciation to date, a
		// loan's principal left.
		"accumulated", "cumulative", "nbv", "remaining") || has("book") && has("value"):
		return TimeLast
	}
	return ""
}

// sameColumns says a and b name the same columns (any order, any case).
func sameColumns(a, b []string) bool {
	if len(a) == 0 || len(a) != len(b) {
		return false
	}
	seen := map[string]int{}
	for _, x := range a {
		seen[strings.ToLower(x)]++
	}
	for _, x := range b {
		k := strings.ToLower(x)
		if seen[k] == 0 {
			return false
		}
		seen[k]--
	}
	return true
}

// generateRecurring names monthly recurring revenue by its words and adds
// its annual run rate: a metric mrr (a stock of the current
// subscriptions, or a snapshot's MRR) is "monthly recurring revenue", and
// ARR, "annual recurring revenue", is 12 × MRR — the usual definition —
// unless the layer already has a metric arr.
func generateRecurring(l *Layer) {
	m := l.Metric("mrr")
	if m == nil || m.Format != "money" {
		return
	}
	m.Synonyms = appendNew(m.Synonyms, "monthly recurring revenue")
	if l.Metric("arr") != nil {
		return
	}
	l.Metrics = append(l.Metrics, &Metric{Name: "arr", Origin: "derived:arr", Type: MetricDerived, Label: "ARR",
		Synonyms:    []string{"annual recurring revenue", "annualized recurring revenue", "annualised recurring revenue"},
		Description: "annual recurring revenue: 12 × " + m.Description, Format: "money", Expr: "12 * " + m.Name})
}

// generateDiscounts adds, where a fact has a list amount and a net one
// of the same thing (list_cost and net_cost), their difference: the
// discount.
func generateDiscounts(l *Layer) {
	for _, x := range l.Metrics {
		ws := strings.Split(x.Name, "_")
		if x.Type != MetricSimple || x.Filter != "" || x.Format != "money" || len(ws) != 2 || ws[0] != "net" {
			continue
		}
		// (a list amount only: gross less net pay is what was withheld,
		// not a discount)
		for _, pre := range []string{"list"} {
			y := l.Metric(pre + "_" + ws[1])
			if y == nil || y.Type != MetricSimple || y.Filter != "" || !strings.EqualFold(y.Model, x.Model) {
				continue
			}
			name := ws[1] + "_discount"
			if l.Metric(name) == nil && l.Metric("discount") == nil {
				name = "discount"
			}
			if l.Metric(name) != nil {
				break
			}
			l.Metrics = append(l.Metrics, &Metric{Name: name, Origin: "derived:discount:" + x.Model + ":" + ws[1], Type: MetricDerived, Label: "discount",
				Synonyms: []string{"discounts"}, Format: "money", Expr: y.Name + " - " + x.Name,
				Description: fmt.Sprintf("%s less %s", words(y.Name), words(x.Name))})
			break
		}
	}
}

// generatePipeline adds a sales pipeline's metrics to a fact of
// opportunities: rows with one amount and a stage (or status) column
// whose members include a won and a lost stage ("Closed Won", "Closed
// Lost"). The pipeline is the amount of the open rows (neither won nor
// lost), the won amount (bookings) that of the won ones, the win rate
// the won rows' share of the closed ones, and — with a probability
// between 0 and 1 — the weighted pipeline, the open rows' amount times
// their probability.
func generatePipeline(l *Layer, m *model.Model) {
	for _, sm := range l.Models {
		t := modelTable(m, sm)
		if sm.Role != "fact" || t == nil {
			continue
		}
		var amount, count, prob *Measure
		nMoney := 0
		for _, x := range sm.Measures {
			switch {
			case x.Agg == AggSum && x.Money && x.NonAdditive == nil && x.Times == "":
				amount = x
				nMoney++
			case x.Agg == AggCount:
				count = x
			case x.Agg == AggAverage && nameHas(x.Column, "probability", "likelihood"):
				prob = x
			}
		}
		if nMoney != 1 || count == nil {
			continue
		}
		for _, c := range t.Columns {
			if !nameHas(c.Name, "stage", "status") || c.Profile.Distinct > 20 {
				continue
			}
			var won, lost []string
			for _, v := range c.Profile.Top {
				w := strings.Fields(strings.ToLower(strings.NewReplacer("_", " ", "-", " ").Replace(v)))
				switch {
				case slices.Contains(w, "won") || slices.Contains(w, "win"):
					won = append(won, v)
				case slices.Contains(w, "lost") || slices.Contains(w, "loss"):
					lost = append(lost, v)
				}
			}
			var col string
			for _, x := range sm.Dimensions {
				if strings.EqualFold(x.Column, c.Name) && x.Type == "categorical" {
					col = x.Column
				}
			}
			if len(won) != 1 || len(lost) != 1 || col == "" {
				continue
			}
			q := func(v string) string { return "'" + strings.ReplaceAll(v, "'", "''") + "'" }
			open := fmt.Sprintf("NOT (%s IN (%s, %s))", col, q(won[0]), q(lost[0]))
			wonF := fmt.Sprintf("%s = %s", col, q(won[0]))
			closed := fmt.Sprintf("%s IN (%s, %s)", col, q(won[0]), q(lost[0]))
			origin := "pipeline:" + sm.Name + ":"
			add := func(mt *Metric) {
				mt.Origin = origin + mt.Name
				if l.Metric(mt.Name) == nil {
					l.Metrics = append(l.Metrics, mt)
				}
			}
			add(&Metric{Name: "pipeline", Type: MetricSimple, Label: "pipeline", Format: "money", Model: sm.Name, Measure: amount.Name, Filter: open,
				Synonyms:    []string{"open pipeline", "pipeline value"},
				Description: fmt.Sprintf("%s of the open %s (%s neither %s nor %s)", words(amount.Name), tableWords(sm.Name), words(c.Name), won[0], lost[0])})
			add(&Metric{Name: "won_amount", Type: MetricSimple, Label: "won amount", Format: "money", Model: sm.Name, Measure: amount.Name, Filter: wonF,
				Synonyms:    []string{"bookings", "amount won", "won revenue"},
				Description: fmt.Sprintf("%s of the %s %s", words(amount.Name), tableWords(sm.Name), won[0])})
			add(&Metric{Name: "won_count", Type: MetricSimple, Label: "number won", Format: "count", Model: sm.Name, Measure: count.Name, Filter: wonF, Hidden: true,
				Description: fmt.Sprintf("number of %s %s", tableWords(sm.Name), won[0])})
			add(&Metric{Name: "closed_count", Type: MetricSimple, Label: "number closed", Format: "count", Model: sm.Name, Measure: count.Name, Filter: closed, Hidden: true,
				Description: fmt.Sprintf("number of %s %s or %s", tableWords(sm.Name), won[0], lost[0])})
			add(&Metric{Name: "win_rate", Type: MetricRatio, Label: "win rate", Format: "percent", Numerator: "won_count", Denominator: "closed_count", Percent: true,
				Synonyms:    []string{"close rate", "win percentage"},
				Description: fmt.Sprintf("%s %s as a share of those %s or %s", tableWords(sm.Name), won[0], won[0], lost[0])})
			if prob != nil {
				w := &Measure{Name: "weighted_" + amount.Name, Column: amount.Column, Times: prob.Column, Agg: AggSum, Money: true,
					Description: fmt.Sprintf("%s times %s", words(amount.Name), words(prob.Column))}
				if sm.Measure(w.Name) == nil {
					sm.Measures = append(sm.Measures, w)
				}
				add(&Metric{Name: "weighted_pipeline", Type: MetricSimple, Label: "weighted pipeline", Format: "money", Model: sm.Name, Measure: w.Name, Filter: open,
					Synonyms:    []string{"weighted pipeline value", "expected value of the pipeline"},
					Description: fmt.Sprintf("open %s's %s times their %s", tableWords(sm.Name), words(amount.Name), words(prob.Column))})
			}
			break
		}
	}
}

func appendNew(xs []string, x string) []string {
	for _, y := range xs {
		if strings.EqualFold(y, x) {
			return xs
		}
	}
	return append(xs, x)
}

// lineAmount is the amount of lines that carry a quantity and a unit
// price but no amount of their own (an order's lines, a check's items):
// the quantity times the price, summed. It is nil where the rows have an
// amount, a discount (a rate or an amount, the sum would not say) or no
// one quantity and one price.
func lineAmount(ms []*Measure) *Measure {
	var qty, price *Measure
	var unitCost, discount *Measure
	for _, x := range ms {
		if x.Agg == AggAverage && nameHas(x.Name, "discount", "discounts") {
			// A discount rate (0 to 1): taken off the line's product.
			if discount != nil {
				return nil
			}
			discount = x
			continue
		}
		if x.Agg != AggSum && !(x.Agg == AggAverage && x.Money) || x.NonAdditive != nil {
			continue
		}
		has := func(ws ...string) bool { return nameHas(x.Name, ws...) }
		switch {
		case has("discount", "discounts"):
			return nil
		case !x.Money && has("qty", "quantity", "units"):
			if qty != nil {
				return nil
			}
			qty = x
		case x.Money && has("price"):
			if price != nil {
				return nil
			}
			price = x
		case x.Money && has("unit") && has("cost"):
			// A purchase's unit cost: its price where it has none.
			if unitCost != nil {
				return nil
			}
			unitCost = x
		case x.Money && !has("cost", "tax"):
			return nil
		}
	}
	if price == nil {
		price = unitCost
	}
	if qty == nil || price == nil {
		return nil
	}
	for _, x := range ms {
		if x.Name == "line_amount" {
			return nil
		}
	}
	la := &Measure{Name: "line_amount", Column: qty.Column, Times: price.Column, Agg: AggSum, Money: true,
		Description: fmt.Sprintf("%s × %s of each line, summed", words(qty.Column), words(price.Column))}
	if discount != nil {
		la.Discount = discount.Column
		la.Description = fmt.Sprintf("%s × %s × (1 − %s) of each line, summed", words(qty.Column), words(price.Column), words(discount.Column))
	}
	return la
}

// isUnitPrice says a measure column is a price per unit (unit_price,
// list_price, unit_cost), not an amount.
func isUnitPrice(col string) bool {
	return nameHas(col, "price") || nameHas(col, "unit") && nameHas(col, "cost", "rate")
}

// isRate says a measure column holds rates between 0 and 1 (a discount
// of 0.05, a commission rate), by its name and its values.
func isRate(c *model.Column) bool {
	if !nameHas(c.Name, "discount", "rate", "pct", "percent", "ratio", "probability", "likelihood") || c.Profile.Min == "" || c.Profile.Max == "" {
		return false
	}
	lo, err1 := strconv.ParseFloat(c.Profile.Min, 64)
	hi, err2 := strconv.ParseFloat(c.Profile.Max, 64)
	return err1 == nil && err2 == nil && lo >= 0 && hi <= 1
}

// intensiveWords name numbers that are averaged, never added up: a
// grade, a score, a rating, a percentage.
var intensiveWords = []string{"points", "score", "scores", "rating", "ratings", "grade", "gpa", "percent", "pct", "ratio", "satisfaction", "nps", "csat"}

// isIntensive says a measure column is averaged (grade_points,
// satisfaction_score), not summed.
func isIntensive(col string) bool { return nameHas(col, intensiveWords...) }

// addMetric adds a generated metric, named after its model too where
// another model's metric has its name (a dimension "aircraft" counted
// as aircraft_count, and a fact's distinct count of the aircraft it
// references).
func addMetric(l *Layer, mt *Metric) {
	if l.Metric(mt.Name) != nil {
		mt.Name = mt.Model + "_" + mt.Name
		if l.Metric(mt.Name) != nil {
			return
		}
	}
	l.Metrics = append(l.Metrics, mt)
}

// identifierName says a column's name is of an identifier (receipt_no,
// line_number, journal_id): in a composite grain it is a document's
// number, not a category people group by (a budget's cost center,
// account and scenario are).
// keyElsewhere says a fact's column references something the model
// knows: an entity of the fact (a payment's invoice_id), or the one-
// column key of a table.
func keyElsewhere(m *model.Model, sm *Model, col string) bool {
	for _, e := range sm.Entities {
		if strings.EqualFold(e.Column, col) {
			return true
		}
	}
	for _, t := range m.Tables {
		if len(t.PrimaryKey) == 1 && strings.EqualFold(t.PrimaryKey[0], col) {
			return true
		}
	}
	return false
}

// (a line is a line number: the caller reads "product_line" of text as
// a category)
func identifierName(col string) bool {
	parts := strings.Split(snake(col), "_")
	switch parts[len(parts)-1] {
	case "id", "no", "nr", "num", "number", "key", "sk", "code", "uuid", "guid", "seq", "line":
		return true
	}
	return false
}

// headcountName says a measure counts people at a time (headcount,
// fte): a stock whatever the fact.
func headcountName(col string) bool { return nameHas(col, "headcount", "fte", "ftes") }

// nameHas says a column's name, in snake-case words, has one of the
// words.
func nameHas(col string, words ...string) bool {
	return slices.ContainsFunc(strings.Split(snake(col), "_"), func(part string) bool { return slices.Contains(words, part) })
}
