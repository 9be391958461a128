package semlayer

import "testing"

// The date a dimension's member began, by the words of its name: a
// signup, a start, an opening, a hire, an enrolment, an activation.
func TestStartColumn(t *testing.T) {
	for _, c := range []struct {
		dates []string
		want  string
	}{
		{[]string{"signup_date"}, "signup_date"},
		{[]string{"hire_date", "termination_date"}, "hire_date"},
		{[]string{"hired_on", "birth_date"}, "hired_on"},
		{[]string{"join_date"}, "join_date"},
		{[]string{"registration_date"}, "registration_date"},
		{[]string{"enrolled_at"}, "enrolled_at"},
		{[]string{"activation_date", "end_date"}, "activation_date"},
		{[]string{"birth_date"}, ""},
		{[]string{"start_date", "hire_date"}, ""}, // two beginnings: neither
	} {
		m := &Model{}
		for _, d := range c.dates {
			m.Dimensions = append(m.Dimensions, &Dimension{Name: d, Column: d, Type: "time"})
		}
		if got := startColumn(m); got != c.want {
			t.Errorf("%v: %q, want %q", c.dates, got, c.want)
		}
	}
}
