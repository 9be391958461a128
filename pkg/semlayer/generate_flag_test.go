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
