package semlayer

import (
	"testing"

	"github.com/databridge/databridge/pkg/model"
)

// A BOOLEAN column is a flag (filtered with TRUE/FALSE); a Y/N text
// column is a categorical with members.
func TestFlagDimension(t *testing.T) {
	tb := &model.Table{Name: "timesheets"}
	b := columnDimension(tb, model.Column{Name: "billable", Type: "BOOLEAN", Kind: model.KindAttribute, Profile: model.ColumnProfile{Class: "boolean", Distinct: 2}})
	if !b.Flag || b.Members || b.Hidden || b.Type != "categorical" {
		t.Errorf("boolean: %+v", b)
	}
	yn := columnDimension(tb, model.Column{Name: "billable_yn", Type: "VARCHAR", Kind: model.KindAttribute, Profile: model.ColumnProfile{Class: "boolean", Distinct: 2}})
	if yn.Flag {
		t.Errorf("Y/N text: %+v", yn)
	}
}

// A fact is dated by the day its event happened: a shipment's ship date
// (it records the shipping), not the date promised; an order by its
// order date, not its ship date.
func TestPickTimeColumn(t *testing.T) {
	for _, c := range []struct {
		table string
		dates []string
		want  string
	}{
		{"shipments", []string{"promised_date", "ship_date", "delivery_date"}, "ship_date"},
		{"orders", []string{"ship_date", "order_date", "requested_date"}, "order_date"},
		{"deliveries", []string{"expected_date", "delivered_at"}, "delivered_at"},
		{"claims", []string{"loss_date", "reported_date"}, "loss_date"},
	} {
		if got := pickTimeColumn(&model.Table{Name: c.table}, c.dates); got != c.want {
			t.Errorf("%s %v: %s, want %s", c.table, c.dates, got, c.want)
		}
	}
}
