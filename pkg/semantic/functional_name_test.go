package semantic

import "testing"

// References named for what the referenced row does: the name alone
// makes them candidates (the anti-join on full data still decides).
func TestFunctionalNames(t *testing.T) {
	cases := []struct {
		child, parent string
		want          bool
	}{
		{"ship_via", "shippers", true},
		{"ShipVia", "Shippers", true},
		{"SupportRepId", "Employee", true},
		{"account_manager_id", "employees", true},
		{"sales_rep", "dim_employee", true},
		{"approved_by", "users", true},
		{"approved_by", "approvers", true},
		{"supplied_by", "suppliers", true},
		{"carried_by", "carriers", true},
		{"approvedby", "employees", true},
		{"supportagentkey", "d_employees", true},
		{"SalesPersonID", "staff", true},
		{"cashierkey", "employees", true},
		{"created_by", "sales_people", true},
		{"created_by", "customers", false},
		{"ship_via", "employees", false},
		{"ship_date", "shippers", false},
		{"sales_rep_id", "customers", false},
		{"region_id", "employees", false},
		{"order_id", "employees", false},
		{"quantity", "shippers", false},
		{"hobby", "hobbers", false},
		{"store_id", "storers", false},
		{"line_no", "liners", false},
	}
	for _, c := range cases {
		score, why := rlFunctionalName(c.child, c.parent)
		if got := score >= rlMinName; got != c.want {
			t.Errorf("rlFunctionalName(%q, %q) = %.2f %q, want a match: %v", c.child, c.parent, score, why, c.want)
		}
	}
}

// An agent noun that names the parent table outranks "… by" pointing at
// the staff (seed 4872: supplied_by went to the employees).
func TestAgentNounOverStaff(t *testing.T) {
	agent, _ := rlFunctionalName("supplied_by", "supplier")
	staff, _ := rlFunctionalName("supplied_by", "employee")
	if agent <= staff || staff < rlMinName {
		t.Errorf("supplied_by: supplier %.2f, employee %.2f", agent, staff)
	}
}
