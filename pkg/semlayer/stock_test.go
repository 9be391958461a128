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
