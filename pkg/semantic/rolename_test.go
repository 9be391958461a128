package semantic

import (
	"strings"
	"testing"
)

// A role word before a parent key whose table prefixes every column
// with the key's own word (branches: branch_id, branch_name): stripped,
// the key is a bare "id", and home_branch_id is still branch_id with the
// role home.
func TestRoleNameOfPrefixedKey(t *testing.T) {
	branches := &TableProfile{Name: "branches", Columns: []ColumnProfile{{Name: "branch_id"}, {Name: "branch_name"}, {Name: "district"}}}
	customers := &TableProfile{Name: "customers", Columns: []ColumnProfile{{Name: "customer_id"}, {Name: "customer_name"}, {Name: "customer_segment"}, {Name: "home_branch_id"}}}
	pb, pc := rlTablePrefix(branches), rlTablePrefix(customers)
	if pb != "branch_" {
		t.Fatalf("branches' prefix %q", pb)
	}
	score, why := rlNameScore(customers, "home_branch_id", pc, branches, "branch_id", pb)
	if score < rlMinName || !strings.Contains(why, "role home") {
		t.Errorf("home_branch_id → branch_id: %.2f %q", score, why)
	}
	// Not any column ending in id: a customer's own key names no branch.
	if score, why := rlNameScore(customers, "customer_id", pc, branches, "branch_id", pb); score >= rlMinName {
		t.Errorf("customer_id → branch_id: %.2f %q", score, why)
	}
}

// A reference named after the parent table with a role before it and no
// key suffix: origin_airport and destination_airport name the airports
// (their key airport_code); a word that only contains the table's name
// does not.
func TestRoleNameOfTable(t *testing.T) {
	airports := &TableProfile{Name: "airports", Columns: []ColumnProfile{{Name: "airport_code"}, {Name: "airport_name"}, {Name: "city"}}}
	flights := &TableProfile{Name: "flights", Columns: []ColumnProfile{{Name: "flight_id"}, {Name: "origin_airport"}, {Name: "destination_airport"}, {Name: "airport_fee"}}}
	pa, pf := rlTablePrefix(airports), rlTablePrefix(flights)
	for _, c := range []string{"origin_airport", "destination_airport"} {
		if score, why := rlNameScore(flights, c, pf, airports, "airport_code", pa); score < rlMinName || !strings.Contains(why, "role") {
			t.Errorf("%s → airport_code: %.2f %q", c, score, why)
		}
	}
	if score, why := rlNameScore(flights, "airport_fee", pf, airports, "airport_code", pa); score >= rlMinName {
		t.Errorf("airport_fee → airport_code: %.2f %q", score, why)
	}
}
