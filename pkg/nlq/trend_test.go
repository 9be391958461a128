package nlq

import (
	"strings"
	"testing"

	"github.com/databridge/databridge/pkg/semlayer"
)

// "Revenue trend" with no period is a series over all the data, by
// month; the trend of a number with no dates (a count of a dimension's
// members) is refused rather than answered with its current value.
func TestTrendWithoutPeriod(t *testing.T) {
	for _, q := range []string{"revenue trend", "trend of revenue by segment", "average sale trend"} {
		it := ask(t, q)
		if !it.Answerable {
			t.Errorf("%q: %s", q, it.Reason)
			continue
		}
		month := false
		for _, g := range it.Spec.GroupBy {
			month = month || g.Grain == semlayer.GrainMonth
		}
		if !month || it.Spec.Time != nil {
			t.Errorf("%q: group by %+v, time %+v, want by month over all the data", q, it.Spec.GroupBy, it.Spec.Time)
		}
	}
	if it := ask(t, "number of products trend"); it.Answerable {
		t.Errorf("products trend answered: %s", it.Text)
	} else if !strings.Contains(it.Reason, "trend") {
		t.Errorf("products trend: %s", it.Reason)
	}
}
