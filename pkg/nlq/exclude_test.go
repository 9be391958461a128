package nlq

import "testing"

func TestExcluding(t *testing.T) {
	for _, c := range []struct {
		q      string
		dim    string
		values []string
	}{
		{"revenue excluding Enterprise in FY2026", "segment", []string{"Enterprise"}},
		{"sales except SMB and Public Sector by month", "segment", []string{"SMB", "Public Sector"}},
		{"revenue from customers other than Acme Industries", "customer_name", []string{"Acme Industries"}},
	} {
		it := ask(t, c.q)
		if !it.Answerable {
			t.Errorf("%q: not answered: %s", c.q, it.Reason)
			continue
		}
		ok := false
		for _, f := range it.Spec.Filters {
			if f.Dimension == c.dim && f.Not && len(f.Values) == len(c.values) {
				ok = true
				for i := range c.values {
					ok = ok && f.Values[i] == c.values[i]
				}
			}
		}
		if !ok {
			t.Errorf("%q: filters %+v, want %s not in %v", c.q, it.Spec.Filters, c.dim, c.values)
		}
		for _, g := range it.Spec.GroupBy {
			if g.Dimension == c.dim {
				t.Errorf("%q: grouped by the excluded members' %s", c.q, c.dim)
			}
		}
	}
	// A member named after the excluded ones is included again.
	it := ask(t, "revenue excluding SMB for Hardware")
	if !it.Answerable {
		t.Fatalf("not answered: %s", it.Reason)
	}
	for _, f := range it.Spec.Filters {
		if f.Dimension == "category" && f.Not || f.Dimension == "segment" && !f.Not {
			t.Errorf("filters %+v: want segment not SMB, category Hardware", it.Spec.Filters)
		}
	}
	if it := ask(t, "revenue excluding"); it.Answerable {
		t.Errorf("revenue excluding: answered %+v", it.Spec)
	}
}
