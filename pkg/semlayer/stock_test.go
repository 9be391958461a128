package semlayer

import "testing"

func TestStockEdge(t *testing.T) {
	for col, want := range map[string]string{
		"closing_balance": TimeLast, "OPENING_BALANCE": TimeFirst, "balance": TimeLast, "units_in_stock": TimeLast,
		"inventory_value": TimeLast, "headcount": TimeLast, "mrr": TimeLast, "ARR_amount": TimeLast, "qty_on_hand": TimeLast,
		"beginning_inventory": TimeFirst, "debit": "", "credit": "", "net_movement": "", "amount": "", "balanced_flag_count": "",
	} {
		if got := stockEdge(col); got != want {
			t.Errorf("stockEdge(%q) = %q, want %q", col, got, want)
		}
	}
}

func TestSameColumns(t *testing.T) {
	if !sameColumns([]string{"receipt_no", "LINE_NO"}, []string{"line_no", "Receipt_No"}) {
		t.Error("the same key in another order and case")
	}
	for _, c := range [][2][]string{{{"receipt_no"}, {"receipt_no", "line_no"}}, {{"receipt_no", "line_no"}, {"receipt_no", "receipt_no"}}, {nil, nil}} {
		if sameColumns(c[0], c[1]) {
			t.Errorf("%v and %v are not the same columns", c[0], c[1])
		}
	}
}
