package nlq

import (
	"slices"
	"strings"
	"testing"

	"github.com/databridge/databridge/pkg/semlayer"
)

// dimModel is a dimension model with its display column and more
// categorical columns, and the metric of its count.
func dimModel(name, display string, more ...string) (*semlayer.Model, *semlayer.Metric) {
	m := &semlayer.Model{Name: name, Table: "DIM_" + strings.ToUpper(name), Role: "dimension",
		Entities:   []*semlayer.Entity{{Name: name, Type: "primary", Column: strings.ToUpper(name) + "_SK"}},
		Dimensions: []*semlayer.Dimension{{Name: display, Column: display, Type: "categorical", Members: true}},
		Measures:   []*semlayer.Measure{{Name: "row_count", Column: "*", Agg: semlayer.AggCount}}}
	for _, c := range more {
		m.Dimensions = append(m.Dimensions, &semlayer.Dimension{Name: c, Column: c, Type: "categorical", Members: true})
	}
	return m, &semlayer.Metric{Name: name + "_count", Type: semlayer.MetricSimple, Label: "number of " + strings.ReplaceAll(name, "_", " "), Format: "count", Model: name, Measure: "row_count"}
}

// giftsLayer is a nonprofit's gifts: an amount, a payment method and a
// recurring flag, by donor and campaign.
func giftsLayer() (*semlayer.Layer, map[string][]string) {
	donors, donorsCount := dimModel("donors", "donor_name", "donor_type")
	camps, campsCount := dimModel("campaigns", "campaign_name")
	l := &semlayer.Layer{Version: 1, Calendar: semlayer.Calendar{StartMonth: 1}, Dialect: "duckdb",
		Models: []*semlayer.Model{donors, camps, {Name: "gifts", Table: "FACT_GIFTS", Role: "fact", Label: "gifts",
			Description: "gifts (transaction fact)", TimeColumn: "gift_date",
			Entities: []*semlayer.Entity{{Name: "donors", Type: "foreign", Column: "DONORS_SK", Ref: "donors"},
				{Name: "campaigns", Type: "foreign", Column: "CAMPAIGNS_SK", Ref: "campaigns"}},
			Dimensions: []*semlayer.Dimension{{Name: "gift_date", Column: "gift_date", Type: "time"},
				{Name: "payment_method", Column: "payment_method", Type: "categorical", Members: true},
				{Name: "is_recurring", Column: "is_recurring", Type: "categorical", Flag: true}},
			Measures: []*semlayer.Measure{{Name: "amount", Column: "amount", Agg: semlayer.AggSum, Money: true},
				{Name: "donor_count", Column: "donor_id", Agg: semlayer.AggCountDistinct},
				{Name: "row_count", Column: "*", Agg: semlayer.AggCount}}}},
		Metrics: []*semlayer.Metric{donorsCount, campsCount,
			{Name: "amount", Type: semlayer.MetricSimple, Label: "amount", Format: "money", Model: "gifts", Measure: "amount"},
			{Name: "donor_count", Type: semlayer.MetricSimple, Label: "number of donors", Format: "count", Model: "gifts", Measure: "donor_count"},
			{Name: "gifts_count", Type: semlayer.MetricSimple, Label: "number of gifts", Format: "count", Model: "gifts", Measure: "row_count"}}}
	return l, map[string][]string{"donor_name": {"Alice Adams", "Ben Baker"}, "donor_type": {"Individual", "Foundation"},
		"campaign_name": {"Annual Gala", "Spring Appeal"}, "payment_method": {"Check", "Credit card"}}
}

func askGifts(q string) *Interpretation {
	l, members := giftsLayer()
	return Parse(Input{Layer: l, Members: members, Question: q, AsOf: asOf})
}

// A fact of money's noun is its amount (and its other names are too), a
// count with "number of"; "raised", "top donors"; the donors of a
// campaign are those who gave to it.
func TestGifts(t *testing.T) {
	for q, want := range map[string]string{
		"donations by campaign":                "amount",
		"total gifts in FY2025":                "amount",
		"contributions by payment method":      "amount",
		"how much did the Annual Gala raise":   "amount",
		"which campaign raised the most":       "amount",
		"top 5 donors":                         "amount",
		"number of donations by campaign":      "gifts_count",
		"how many gifts in FY2025":             "gifts_count",
		"how many donors gave in FY2025":       "donor_count",
		"number of donors by campaign":         "donor_count",
		"number of donors by donor type":       "donors_count",
		"one-time gifts by campaign in FY2025": "amount",
	} {
		it := askGifts(q)
		if !it.Answerable || len(it.Spec.Metrics) != 1 || it.Spec.Metrics[0] != want {
			t.Errorf("%q: want %s, got %+v %s", q, want, it.Spec.Metrics, it.Reason)
		}
	}
	it := askGifts("average gift by donor type")
	if !it.Answerable || len(it.Spec.Ratios) != 1 || it.Spec.Ratios[0].Numerator != "amount" || it.Spec.Ratios[0].Denominator != "gifts_count" {
		t.Errorf("average gift: %+v %s", it.Spec, it.Reason)
	}
	// "average number of gifts per donor" asks a count's average, which
	// is not computed: never the amount per gift in its stead.
	for _, q := range []string{"average number of gifts per donor", "how many gifts does a donor give per month on average"} {
		if it := askGifts(q); it.Answerable {
			t.Errorf("%q: answered %+v", q, it.Spec)
		}
	}
	it = askGifts("one-time gifts in FY2025")
	if !it.Answerable || len(it.Spec.Filters) != 1 || it.Spec.Filters[0].Dimension != "is_recurring" || it.Spec.Filters[0].Values[0] != "false" {
		t.Errorf("one-time gifts: %+v %s", it.Spec, it.Reason)
	}
	if it := askGifts("top 5 donors"); !it.Answerable || it.Spec.Limit != 5 || len(it.Spec.GroupBy) != 1 || it.Spec.GroupBy[0].Dimension != "donor_name" {
		t.Errorf("top 5 donors: %+v %s", it.Spec, it.Reason)
	}
	if it := askGifts("revenue in FY2025"); it.Answerable {
		t.Errorf("revenue of a nonprofit's gifts was answered: %s", it.Text)
	}
}

// visitsLayer is a clinic's visits: a charge, what the patient and
// insurance paid, minutes, a visit type, by patient and provider.
func visitsLayer() (*semlayer.Layer, map[string][]string) {
	pats, patsCount := dimModel("patients", "patient_name", "insurance_plan")
	provs, provsCount := dimModel("providers", "provider_name", "specialty")
	l := &semlayer.Layer{Version: 1, Calendar: semlayer.Calendar{StartMonth: 1}, Dialect: "duckdb",
		Models: []*semlayer.Model{pats, provs, {Name: "visits", Table: "FACT_VISITS", Role: "fact", Label: "visits",
			Description: "visits (transaction fact)", TimeColumn: "visit_date",
			Entities: []*semlayer.Entity{{Name: "patients", Type: "foreign", Column: "PATIENTS_SK", Ref: "patients"},
				{Name: "providers", Type: "foreign", Column: "PROVIDERS_SK", Ref: "providers"}},
			Dimensions: []*semlayer.Dimension{{Name: "visit_date", Column: "visit_date", Type: "time"},
				{Name: "visit_type", Column: "visit_type", Type: "categorical", Members: true}},
			Measures: []*semlayer.Measure{{Name: "charge_amount", Column: "charge_amount", Agg: semlayer.AggSum, Money: true},
				{Name: "insurance_paid", Column: "insurance_paid", Agg: semlayer.AggSum, Money: true},
				{Name: "patient_paid", Column: "patient_paid", Agg: semlayer.AggSum, Money: true},
				{Name: "duration_minutes", Column: "duration_minutes", Agg: semlayer.AggSum},
				{Name: "patient_count", Column: "patient_id", Agg: semlayer.AggCountDistinct},
				{Name: "row_count", Column: "*", Agg: semlayer.AggCount}}}},
		Metrics: []*semlayer.Metric{patsCount, provsCount,
			{Name: "charge_amount", Type: semlayer.MetricSimple, Label: "charge amount", Format: "money", Model: "visits", Measure: "charge_amount"},
			{Name: "insurance_paid", Type: semlayer.MetricSimple, Label: "insurance paid", Format: "money", Model: "visits", Measure: "insurance_paid"},
			{Name: "patient_paid", Type: semlayer.MetricSimple, Label: "patient paid", Format: "money", Model: "visits", Measure: "patient_paid"},
			{Name: "duration_minutes", Type: semlayer.MetricSimple, Label: "duration minutes", Format: "number", Model: "visits", Measure: "duration_minutes"},
			{Name: "patient_count", Type: semlayer.MetricSimple, Label: "number of patients", Format: "count", Model: "visits", Measure: "patient_count"},
			{Name: "visits_count", Type: semlayer.MetricSimple, Label: "number of visits", Format: "count", Model: "visits", Measure: "row_count"}}}
	return l, map[string][]string{"patient_name": {"Ava Bell"}, "insurance_plan": {"Medicare", "Self-pay"},
		"provider_name": {"Dr. Amy Walsh", "Dr. Brian Cole"}, "specialty": {"Cardiology", "Pediatrics"},
		"visit_type": {"Checkup", "Procedure", "Urgent"}}
}

func askVisits(q string) *Interpretation {
	l, members := visitsLayer()
	return Parse(Input{Layer: l, Members: members, Question: q, AsOf: asOf})
}

// Revenue is what the business charges where no fact is named for
// sales; a payer's payments; "busiest"; a fact's noun before its number
// only qualifies it; a kind of visit in the plural counts them; the
// patients a provider saw.
func TestVisits(t *testing.T) {
	for q, want := range map[string]string{
		"revenue by specialty":                    "charge_amount",
		"patient payments by month in FY2025":     "patient_paid",
		"insurance payments by insurance plan":    "insurance_paid",
		"busiest provider":                        "visits_count",
		"procedures by month in FY2025":           "visits_count",
		"how many patients did Dr. Amy Walsh see": "patient_count",
		"number of patients seen in FY2025":       "patient_count",
	} {
		it := askVisits(q)
		if !it.Answerable || len(it.Spec.Metrics) != 1 || it.Spec.Metrics[0] != want {
			t.Errorf("%q: want %s, got %+v %s", q, want, it.Spec.Metrics, it.Reason)
		}
	}
	if it := askVisits("busiest provider"); !it.Answerable || it.Spec.Limit != 1 || len(it.Spec.OrderBy) != 1 || !it.Spec.OrderBy[0].Desc {
		t.Errorf("busiest: %+v %s", it.Spec, it.Reason)
	}
	if it := askVisits("procedures by month in FY2025"); len(it.Spec.Filters) != 1 || it.Spec.Filters[0].Values[0] != "Procedure" {
		t.Errorf("procedures: %+v", it.Spec.Filters)
	}
	it := askVisits("average visit duration by visit type")
	if !it.Answerable || len(it.Spec.Ratios) != 1 || it.Spec.Ratios[0].Numerator != "duration_minutes" || it.Spec.Ratios[0].Denominator != "visits_count" {
		t.Errorf("visit duration: %+v %s", it.Spec, it.Reason)
	}
	// Without a provider, a specialty or a period, how many patients
	// there are is the patients' own count.
	if it := askVisits("how many patients are there"); !it.Answerable || it.Spec.Metrics[0] != "patients_count" {
		t.Errorf("patients: %+v %s", it.Spec.Metrics, it.Reason)
	}
}

// checksLayer is a restaurant's checks (a subtotal, covers) and their
// undated lines of a quantity and a unit price, with their line amount.
func checksLayer() (*semlayer.Layer, map[string][]string) {
	locs, locsCount := dimModel("locations", "location_name")
	items, itemsCount := dimModel("menu_items", "item_name", "category")
	l := &semlayer.Layer{Version: 1, Calendar: semlayer.Calendar{StartMonth: 1}, Dialect: "duckdb",
		Models: []*semlayer.Model{locs, items,
			{Name: "checks", Table: "FACT_CHECKS", Role: "fact", Label: "checks", Description: "checks (transaction fact)", TimeColumn: "opened_at",
				Entities:   []*semlayer.Entity{{Name: "checks", Type: "primary", Column: "check_id"}, {Name: "locations", Type: "foreign", Column: "LOCATIONS_SK", Ref: "locations"}},
				Dimensions: []*semlayer.Dimension{{Name: "opened_at", Column: "opened_at", Type: "time"}},
				Measures: []*semlayer.Measure{{Name: "subtotal", Column: "subtotal", Agg: semlayer.AggSum, Money: true},
					{Name: "tip", Column: "tip", Agg: semlayer.AggSum, Money: true},
					{Name: "covers", Column: "covers", Agg: semlayer.AggSum},
					{Name: "row_count", Column: "*", Agg: semlayer.AggCount}}},
			{Name: "check_lines", Table: "FACT_CHECK_LINES", Role: "fact", Label: "check lines", Description: "check lines (transaction fact)",
				TimeColumn: "opened_at", TimeVia: "checks",
				Entities: []*semlayer.Entity{{Name: "checks", Type: "foreign", Column: "check_id", Ref: "checks", RefColumn: "check_id"},
					{Name: "menu_items", Type: "foreign", Column: "MENU_ITEMS_SK", Ref: "menu_items"}},
				Measures: []*semlayer.Measure{{Name: "quantity", Column: "quantity", Agg: semlayer.AggSum},
					{Name: "unit_price", Column: "unit_price", Agg: semlayer.AggSum, Money: true},
					{Name: "line_amount", Column: "quantity", Times: "unit_price", Agg: semlayer.AggSum, Money: true},
					{Name: "row_count", Column: "*", Agg: semlayer.AggCount}}}},
		Metrics: []*semlayer.Metric{locsCount, itemsCount,
			{Name: "subtotal", Type: semlayer.MetricSimple, Label: "subtotal", Format: "money", Model: "checks", Measure: "subtotal"},
			{Name: "tip", Type: semlayer.MetricSimple, Label: "tip", Format: "money", Model: "checks", Measure: "tip"},
			{Name: "covers", Type: semlayer.MetricSimple, Label: "covers", Format: "number", Model: "checks", Measure: "covers"},
			{Name: "checks_count", Type: semlayer.MetricSimple, Label: "number of checks", Format: "count", Model: "checks", Measure: "row_count"},
			{Name: "quantity", Type: semlayer.MetricSimple, Label: "quantity", Format: "number", Model: "check_lines", Measure: "quantity"},
			{Name: "unit_price", Type: semlayer.MetricSimple, Label: "unit price", Format: "money", Model: "check_lines", Measure: "unit_price"},
			{Name: "line_amount", Type: semlayer.MetricSimple, Label: "line amount", Format: "money", Model: "check_lines", Measure: "line_amount"},
			{Name: "check_lines_count", Type: semlayer.MetricSimple, Label: "number of check lines", Format: "count", Model: "check_lines", Measure: "row_count"}}}
	return l, map[string][]string{"location_name": {"Bistro Central", "Bistro Uptown"}, "item_name": {"Tiramisu", "Ribeye Steak"},
		"category": {"Desserts", "Mains"}}
}

// Sales are the checks' subtotal; by an item or its category, which only
// the lines reach, the lines' amount; "average check"; "busiest".
func TestChecks(t *testing.T) {
	l, members := checksLayer()
	ask := func(q string) *Interpretation {
		return Parse(Input{Layer: l, Members: members, Question: q, AsOf: asOf})
	}
	for q, want := range map[string]string{
		"sales by location":              "subtotal",
		"sales by category":              "line_amount",
		"Desserts sales in FY2025":       "line_amount",
		"top 3 items by revenue":         "line_amount",
		"busiest location":               "checks_count",
		"items with sales over 50000":    "line_amount",
		"checks subtotal by location":    "subtotal", // the rows' noun before their number: whose number it is
		"sales by location and category": "line_amount",
	} {
		it := ask(q)
		if !it.Answerable || len(it.Spec.Metrics) != 1 || it.Spec.Metrics[0] != want {
			t.Errorf("%q: want %s, got %+v %s", q, want, it.Spec.Metrics, it.Reason)
			continue
		}
		for _, o := range it.Spec.OrderBy {
			if o.Key != want {
				t.Errorf("%q: ordered by %s", q, o.Key)
			}
		}
		for _, h := range it.Spec.Having {
			if h.Metric != want {
				t.Errorf("%q: threshold on %s", q, h.Metric)
			}
		}
	}
	it := ask("average check by location")
	if !it.Answerable || len(it.Spec.Ratios) != 1 || it.Spec.Ratios[0].Numerator != "subtotal" || it.Spec.Ratios[0].Denominator != "checks_count" {
		t.Errorf("average check: %+v %s", it.Spec, it.Reason)
	}
}

// enrollmentsLayer is a school's enrollments: tuition, an averaged grade,
// a status and the term as text, by student (with a cohort year) and
// course (with a title).
func enrollmentsLayer() (*semlayer.Layer, map[string][]string) {
	studs, studsCount := dimModel("students", "student_name", "program")
	studs.Dimensions = append(studs.Dimensions, &semlayer.Dimension{Name: "cohort_year", Column: "cohort_year", Type: "categorical"})
	courses := &semlayer.Model{Name: "courses", Table: "DIM_COURSES", Role: "dimension",
		Entities: []*semlayer.Entity{{Name: "courses", Type: "primary", Column: "COURSES_SK"}},
		Dimensions: []*semlayer.Dimension{{Name: "course_code", Column: "course_code", Type: "categorical", Members: true},
			{Name: "course_title", Column: "course_title", Type: "categorical", Members: true},
			{Name: "department", Column: "department", Type: "categorical", Members: true}}}
	l := &semlayer.Layer{Version: 1, Calendar: semlayer.Calendar{StartMonth: 1}, Dialect: "duckdb",
		Models: []*semlayer.Model{studs, courses, {Name: "enrollments", Table: "FACT_ENROLLMENTS", Role: "fact", Label: "enrollments",
			Description: "enrollments (transaction fact)", TimeColumn: "enrollment_date",
			Entities: []*semlayer.Entity{{Name: "students", Type: "foreign", Column: "STUDENTS_SK", Ref: "students"},
				{Name: "courses", Type: "foreign", Column: "COURSES_SK", Ref: "courses"}},
			Dimensions: []*semlayer.Dimension{{Name: "enrollment_date", Column: "enrollment_date", Type: "time"},
				{Name: "term", Column: "term", Type: "categorical", Members: true},
				{Name: "status", Column: "status", Type: "categorical", Members: true}},
			Measures: []*semlayer.Measure{{Name: "tuition_amount", Column: "tuition_amount", Agg: semlayer.AggSum, Money: true},
				{Name: "grade_points", Column: "grade_points", Agg: semlayer.AggAverage},
				{Name: "student_count", Column: "student_id", Agg: semlayer.AggCountDistinct},
				{Name: "row_count", Column: "*", Agg: semlayer.AggCount}}}},
		Metrics: []*semlayer.Metric{studsCount,
			{Name: "tuition_amount", Type: semlayer.MetricSimple, Label: "tuition amount", Format: "money", Model: "enrollments", Measure: "tuition_amount"},
			{Name: "grade_points", Type: semlayer.MetricSimple, Label: "average grade points", Format: "number", Model: "enrollments", Measure: "grade_points"},
			{Name: "student_count", Type: semlayer.MetricSimple, Label: "number of students", Format: "count", Model: "enrollments", Measure: "student_count"},
			{Name: "enrollments_count", Type: semlayer.MetricSimple, Label: "number of enrollments", Format: "count", Model: "enrollments", Measure: "row_count"}}}
	return l, map[string][]string{"student_name": {"Aiden Abbott"}, "program": {"BSc Science", "BA Humanities"},
		"course_code": {"CSC301", "MAT101"}, "course_title": {"Databases", "Calculus I"}, "department": {"Mathematics", "Computer Science"},
		"term": {"Fall 2024", "Fall 2025", "Spring 2025", "Nov 2025"}, "status": {"Completed", "Dropped", "Enrolled"}}
}

// A member with a year is the member, not a period; a grade is averaged
// (its "average" is itself); "drop rate" is the dropped status's rate;
// "by cohort" reads cohort_year; a course is named by its title.
func TestEnrollments(t *testing.T) {
	l, members := enrollmentsLayer()
	ask := func(q string) *Interpretation {
		return Parse(Input{Layer: l, Members: members, Question: q, AsOf: asOf})
	}
	it := ask("Fall 2025 tuition by department")
	if !it.Answerable || it.Spec.Time != nil || len(it.Spec.Filters) != 1 || it.Spec.Filters[0].Dimension != "term" || it.Spec.Filters[0].Values[0] != "Fall 2025" {
		t.Errorf("Fall 2025: %+v %s", it.Spec, it.Reason)
	}
	if it := ask("tuition in FY2025"); !it.Answerable || it.Spec.Time == nil || len(it.Spec.Filters) != 0 {
		t.Errorf("a year is still a period: %+v %s", it.Spec, it.Reason)
	}
	// A member that is itself a period is read as the period.
	if it := ask("tuition Nov 2025"); !it.Answerable || it.Spec.Time == nil || len(it.Spec.Filters) != 0 {
		t.Errorf("Nov 2025: %+v %s", it.Spec, it.Reason)
	}
	// An average is not added up.
	if it := ask("total grade points"); it.Answerable || !strings.Contains(it.Reason, "added up it means nothing") {
		t.Errorf("total grade points: %s %s", it.Text, it.Reason)
	}
	for _, q := range []string{"average grade by course", "average gpa by program", "average grade points by department"} {
		it := ask(q)
		if !it.Answerable || len(it.Spec.Metrics) != 1 || it.Spec.Metrics[0] != "grade_points" || len(it.Spec.Ratios) != 0 {
			t.Errorf("%q: want the averaged grade itself: %+v %s", q, it.Spec, it.Reason)
		}
	}
	if it := ask("average grade by course"); len(it.Spec.GroupBy) != 1 || it.Spec.GroupBy[0].Dimension != "course_title" {
		t.Errorf("by course: %+v", it.Spec.GroupBy)
	}
	it = ask("drop rate by department")
	if !it.Answerable || len(it.Spec.Restricted) != 1 || !strings.Contains(it.Spec.Restricted[0].Where, "'Dropped'") {
		t.Errorf("drop rate: %+v %s", it.Spec, it.Reason)
	}
	it = ask("student count by cohort")
	if !it.Answerable || len(it.Spec.GroupBy) != 1 || it.Spec.GroupBy[0].Dimension != "cohort_year" {
		t.Errorf("by cohort: %+v %s", it.Spec, it.Reason)
	}
	// "amount" with a status named: the fact's one money number over
	// the rows with it.
	it = ask("how much is dropped")
	if !it.Answerable || !slices.Equal(it.Spec.Metrics, []string{"tuition_amount"}) || len(it.Spec.Filters) != 1 || it.Spec.Filters[0].Values[0] != "Dropped" {
		t.Errorf("how much is dropped: %+v %s", it.Spec, it.Reason)
	}
	it = ask("students per course")
	if !it.Answerable || !slices.Equal(it.Spec.Metrics, []string{"student_count"}) {
		t.Errorf("students per course: %+v %s", it.Spec, it.Reason)
	}
}

// flightsLayer is an airline's flights: passengers and a status, with
// the origin and destination airports both as the fact's own codes and
// as two references to the airports.
func flightsLayer() (*semlayer.Layer, map[string][]string) {
	aps, apsCount := dimModel("airports", "airport_code", "city")
	l := &semlayer.Layer{Version: 1, Calendar: semlayer.Calendar{StartMonth: 1}, Dialect: "duckdb",
		Models: []*semlayer.Model{aps, {Name: "flights", Table: "FACT_FLIGHTS", Role: "fact", Label: "flights",
			Description: "flights (transaction fact)", TimeColumn: "flight_date",
			Entities: []*semlayer.Entity{{Name: "destination_airport", Type: "foreign", Column: "DESTINATION_AIRPORT_SK", Ref: "airports"},
				{Name: "origin_airport", Type: "foreign", Column: "ORIGIN_AIRPORT_SK", Ref: "airports"}},
			Dimensions: []*semlayer.Dimension{{Name: "flight_date", Column: "flight_date", Type: "time"},
				{Name: "origin_airport", Column: "origin_airport", Type: "categorical", Members: true},
				{Name: "destination_airport", Column: "destination_airport", Type: "categorical", Members: true},
				{Name: "status", Column: "status", Type: "categorical", Members: true}},
			Measures: []*semlayer.Measure{{Name: "passengers", Column: "passengers", Agg: semlayer.AggSum},
				{Name: "row_count", Column: "*", Agg: semlayer.AggCount}}}},
		Metrics: []*semlayer.Metric{apsCount,
			{Name: "passengers", Type: semlayer.MetricSimple, Label: "passengers", Format: "number", Model: "flights", Measure: "passengers"},
			{Name: "flights_count", Type: semlayer.MetricSimple, Label: "number of flights", Format: "count", Model: "flights", Measure: "row_count"}}}
	codes := []string{"JFK", "LAX", "ORD"}
	return l, map[string][]string{"airport_code": codes, "origin_airport": codes, "destination_airport": codes,
		"city": {"New York", "Los Angeles", "Toronto"}, "status": {"On time", "Cancelled"}}
}

// "From" and "to" read the fact's own origin and destination beside the
// airports' codes; the airports' city, which either reference reaches,
// is refused rather than read through the first one.
func TestFlights(t *testing.T) {
	l, members := flightsLayer()
	ask := func(q string) *Interpretation {
		return Parse(Input{Layer: l, Members: members, Question: q, AsOf: asOf})
	}
	it := ask("passengers from JFK to LAX")
	want := map[string]string{"origin_airport": "JFK", "destination_airport": "LAX"}
	if !it.Answerable || len(it.Spec.Filters) != 2 || len(it.Spec.GroupBy) != 0 {
		t.Fatalf("from JFK to LAX: %+v %s", it.Spec, it.Reason)
	}
	for _, f := range it.Spec.Filters {
		if want[f.Dimension] != f.Values[0] {
			t.Errorf("from JFK to LAX: filter %+v", f)
		}
	}
	if it := ask("passengers by origin"); !it.Answerable || len(it.Spec.GroupBy) != 1 || it.Spec.GroupBy[0].Dimension != "origin_airport" {
		t.Errorf("by origin: %+v %s", it.Spec, it.Reason)
	}
	for _, q := range []string{"flights to Toronto", "passengers by city"} {
		if it := ask(q); it.Answerable || !strings.Contains(it.Reason, "2 ways") {
			t.Errorf("%q: want refused (two references), got %s %s", q, it.Text, it.Reason)
		}
	}
}

// rentLayer is a landlord's rent payments on leases (with a monthly rent
// of their own) of buildings.
func rentLayer() (*semlayer.Layer, map[string][]string) {
	blds, bldsCount := dimModel("buildings", "building_name", "property_type")
	leases, leasesCount := dimModel("leases", "lease_id", "status")
	leases.Entities = append(leases.Entities, &semlayer.Entity{Name: "buildings", Type: "foreign", Column: "building_id", Ref: "buildings", RefColumn: "building_id"})
	leases.Measures = append(leases.Measures, &semlayer.Measure{Name: "monthly_rent", Column: "monthly_rent", Agg: semlayer.AggSum, Money: true})
	l := &semlayer.Layer{Version: 1, Calendar: semlayer.Calendar{StartMonth: 1}, Dialect: "duckdb",
		Models: []*semlayer.Model{blds, leases, {Name: "rent_payments", Table: "FACT_RENT_PAYMENTS", Role: "fact", Label: "rent payments",
			Description: "rent payments (transaction fact)", TimeColumn: "payment_date",
			Entities:   []*semlayer.Entity{{Name: "leases", Type: "foreign", Column: "LEASES_SK", Ref: "leases"}},
			Dimensions: []*semlayer.Dimension{{Name: "payment_date", Column: "payment_date", Type: "time"}, {Name: "method", Column: "method", Type: "categorical", Members: true}},
			Measures: []*semlayer.Measure{{Name: "amount_paid", Column: "amount_paid", Agg: semlayer.AggSum, Money: true},
				{Name: "row_count", Column: "*", Agg: semlayer.AggCount}}}},
		Metrics: []*semlayer.Metric{bldsCount, leasesCount,
			{Name: "monthly_rent", Type: semlayer.MetricSimple, Label: "monthly rent", Format: "money", Model: "leases", Measure: "monthly_rent"},
			{Name: "amount_paid", Type: semlayer.MetricSimple, Label: "amount paid", Format: "money", Model: "rent_payments", Measure: "amount_paid"},
			{Name: "rent_payments_count", Type: semlayer.MetricSimple, Label: "number of rent payments", Format: "count", Model: "rent_payments", Measure: "row_count"}}}
	return l, map[string][]string{"building_name": {"Austin Office Center 1"}, "property_type": {"Office", "Retail"}, "lease_id": {"L0001"},
		"status": {"Active", "Expired"}, "method": {"ACH", "Check"}}
}

// "Rent" is what the rent payments paid, over a lease's monthly rent.
func TestRent(t *testing.T) {
	l, members := rentLayer()
	for _, q := range []string{"rent collected in FY2025", "rent by property type", "which building collected the most rent", "rent payments by method"} {
		it := Parse(Input{Layer: l, Members: members, Question: q, AsOf: asOf})
		if !it.Answerable || !slices.Equal(it.Spec.Metrics, []string{"amount_paid"}) {
			t.Errorf("%q: want amount_paid, got %+v %s", q, it.Spec.Metrics, it.Reason)
		}
	}
	if it := Parse(Input{Layer: l, Members: members, Question: "monthly rent by status", AsOf: asOf}); !it.Answerable || !slices.Equal(it.Spec.Metrics, []string{"monthly_rent"}) {
		t.Errorf("monthly rent: %+v %s", it.Spec.Metrics, it.Reason)
	}
}

// A pipeline's stage is a status: "hires" are the applications at Hired,
// "rejection rate" their share; "candidates applied" are those with
// applications, not those still at the stage Applied.
func TestApplications(t *testing.T) {
	cands, candsCount := dimModel("candidates", "candidate_name", "seniority")
	jobs, jobsCount := dimModel("jobs", "job_title", "department")
	l := &semlayer.Layer{Version: 1, Calendar: semlayer.Calendar{StartMonth: 1}, Dialect: "duckdb",
		Models: []*semlayer.Model{cands, jobs, {Name: "applications", Table: "FACT_APPLICATIONS", Role: "fact", Label: "applications",
			Description: "applications (factless fact)", TimeColumn: "applied_date",
			Entities: []*semlayer.Entity{{Name: "candidates", Type: "foreign", Column: "CANDIDATES_SK", Ref: "candidates"},
				{Name: "jobs", Type: "foreign", Column: "JOBS_SK", Ref: "jobs"}},
			Dimensions: []*semlayer.Dimension{{Name: "applied_date", Column: "applied_date", Type: "time"},
				{Name: "source", Column: "source", Type: "categorical", Members: true},
				{Name: "stage", Column: "stage", Type: "categorical", Members: true}},
			Measures: []*semlayer.Measure{{Name: "candidate_count", Column: "candidate_id", Agg: semlayer.AggCountDistinct},
				{Name: "row_count", Column: "*", Agg: semlayer.AggCount}}}},
		Metrics: []*semlayer.Metric{candsCount, jobsCount,
			{Name: "candidate_count", Type: semlayer.MetricSimple, Label: "number of candidates", Format: "count", Model: "applications", Measure: "candidate_count"},
			{Name: "applications_count", Type: semlayer.MetricSimple, Label: "number of applications", Format: "count", Model: "applications", Measure: "row_count"}}}
	members := map[string][]string{"candidate_name": {"Candidate 1"}, "seniority": {"Junior", "Senior"}, "job_title": {"Backend Engineer 1"},
		"department": {"Engineering", "Sales"}, "source": {"Referral", "LinkedIn"}, "stage": {"Applied", "Interview", "Hired", "Rejected"}}
	ask := func(q string) *Interpretation {
		return Parse(Input{Layer: l, Members: members, Question: q, AsOf: asOf})
	}
	for q, stage := range map[string]string{"hires by department": "Hired", "interviews in FY2025": "Interview", "hires from referrals": "Hired"} {
		it := ask(q)
		found := false
		for _, f := range it.Spec.Filters {
			found = found || f.Dimension == "stage" && f.Values[0] == stage
		}
		if !it.Answerable || !slices.Equal(it.Spec.Metrics, []string{"applications_count"}) || !found {
			t.Errorf("%q: want the applications at %s, got %+v %s", q, stage, it.Spec, it.Reason)
		}
	}
	it := ask("rejection rate by source")
	if !it.Answerable || len(it.Spec.Restricted) != 1 || !strings.Contains(it.Spec.Restricted[0].Where, "'Rejected'") {
		t.Errorf("rejection rate: %+v %s", it.Spec, it.Reason)
	}
	it = ask("how many candidates applied in FY2025")
	if !it.Answerable || !slices.Equal(it.Spec.Metrics, []string{"candidate_count"}) || len(it.Spec.Filters) != 0 {
		t.Errorf("candidates applied: %+v %s", it.Spec, it.Reason)
	}
}

// A member's attribute by another grouping would list each value found
// in each group: the average or the total is asked for by name.
func TestAttributeByGroup(t *testing.T) {
	l := priceLayer()
	for _, q := range []string{"list price by category"} {
		it := Parse(Input{Layer: l, Members: testMembers, Question: q, AsOf: asOf})
		if it.Answerable || !strings.Contains(it.Reason, "the average or the total") {
			t.Errorf("%q: %s %s", q, it.Text, it.Reason)
		}
	}
	if it := Parse(Input{Layer: l, Members: testMembers, Question: "average list price by category", AsOf: asOf}); !it.Answerable {
		t.Errorf("average list price by category: %s", it.Reason)
	}
}
