package reconcile

import (
	"context"
	"encoding/json"
	"testing"
)

// TestMatchEngines: the planted variants of the vendor names are found on
// every engine, the unrelated ones are not, and every engine gives the same
// result.
func TestMatchEngines(t *testing.T) {
	ctx := context.Background()
	want := map[string]string{
		"Acme Corp.":              "ACME Corporation",
		"acme corporation":        "ACME Corporation",
		"Northwind Traders, Inc.": "Traders Northwind",
		"Müller GmbH & Co. KG":    "Muller",
		"Contoso Ltd":             "Contoso",
		"Contoso Limited":         "Contoso",
		"Tailspin Toys":           "Tailspin Toy Co",
	}
	var first []byte
	for _, e := range matchEngines(t) {
		t.Run(e.Engine, func(t *testing.T) {
			r, err := e.Svc.Match(ctx, MatchInput{Left: e.Ref("erp_vendors"), Right: e.Ref("crm_suppliers"),
				LeftColumn: "NAME", RightColumn: "supplier_name"})
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]string{}
			for _, m := range r.Matches {
				got[m.Value] = m.Matches[0].Value
			}
			for l, rv := range want {
				if got[l] != rv {
					t.Errorf("%s: best match %q, want %q", l, got[l], rv)
				}
			}
			// "fabrikam manufacturing" vs "fabrikam mfg": token_set is the
			// ratio of "fabrikam" to "fabrikam mfg": 100·(1 − 4/20) = 80.
			for _, m := range r.Matches {
				if m.Value == "Fabrikam Manufacturing" && (m.Matches[0].Value != "Fabrikam Mfg" || m.Matches[0].Score != 80) {
					t.Errorf("%q → %+v, want Fabrikam Mfg at 80", m.Value, m.Matches[0])
				}
			}
			wantUnmatched := map[string]bool{"Zebra Unrelated Holdings": true}
			for _, u := range r.Unmatched {
				if !wantUnmatched[u] {
					t.Errorf("unmatched %q", u)
				}
				delete(wantUnmatched, u)
			}
			if len(wantUnmatched) > 0 {
				t.Errorf("expected unmatched: %v", wantUnmatched)
			}
			if r.Summary.LeftValues != 9 || r.Summary.RightValues != 8 || r.Summary.Matched != 8 || r.Summary.Unmatched != 1 {
				t.Errorf("summary %+v", r.Summary)
			}
			// The run is recorded with the same result.
			run, err := e.Svc.Show(r.ID)
			if err != nil || run.Kind != "match" {
				t.Fatalf("recorded run: %v %+v", err, run)
			}
			r.ID, r.Left, r.Right = "", "", ""
			b, _ := json.Marshal(r)
			if first == nil {
				first = b
			} else if string(b) != string(first) {
				t.Errorf("result differs from DuckDB's:\n%s\n%s", b, first)
			}
			// The weighted scorer with a lower threshold and two per value.
			th := 60.0
			r2, err := e.Svc.Match(ctx, MatchInput{Left: e.Ref("erp_vendors"), Right: e.Ref("crm_suppliers"),
				LeftColumn: "name", RightColumn: "supplier_name", Scorer: "weighted", Threshold: &th, Top: 2})
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range r2.Matches {
				if m.Value == "Fabrikam Manufacturing" && m.Matches[0].Value != "Fabrikam Mfg" {
					t.Errorf("weighted: %q → %+v", m.Value, m.Matches)
				}
				if len(m.Matches) > 2 || len(m.Matches) == 2 && m.Matches[0].Score < m.Matches[1].Score {
					t.Errorf("top 2 order: %+v", m.Matches)
				}
			}
		})
	}
}

func TestMatchErrors(t *testing.T) {
	ctx := context.Background()
	e := matchEngines(t)[0]
	bad := 120.0
	cases := []MatchInput{
		{Left: "duck", Right: e.Ref("crm_suppliers"), LeftColumn: "name", RightColumn: "supplier_name"},
		{Left: e.Ref("erp_vendors"), Right: e.Ref("crm_suppliers"), LeftColumn: "nope", RightColumn: "supplier_name"},
		{Left: e.Ref("erp_vendors"), Right: e.Ref("crm_suppliers"), LeftColumn: "name", RightColumn: "supplier_name", Scorer: "jaro"},
		{Left: e.Ref("erp_vendors"), Right: e.Ref("crm_suppliers"), LeftColumn: "name", RightColumn: "supplier_name", Threshold: &bad},
		{Left: "nosuch.t", Right: e.Ref("crm_suppliers"), LeftColumn: "name", RightColumn: "supplier_name"},
	}
	for _, c := range cases {
		if _, err := e.Svc.Match(ctx, c); err == nil {
			t.Errorf("%+v: no error", c)
		}
	}
}

// TestDedupeEngines: the duplicate vendors form clusters on every engine.
func TestDedupeEngines(t *testing.T) {
	ctx := context.Background()
	for _, e := range matchEngines(t) {
		t.Run(e.Engine, func(t *testing.T) {
			r, err := e.Svc.Dedupe(ctx, DedupeInput{Table: e.Ref("erp_vendors"), Column: "name"})
			if err != nil {
				t.Fatal(err)
			}
			clusters := map[string]int{}
			for _, c := range r.Clusters {
				for _, m := range c.Members {
					clusters[m.Value] = len(c.Members)
				}
			}
			if len(r.Clusters) != 2 || r.Duplicates != 2 || clusters["Acme Corp."] != 2 || clusters["acme corporation"] != 2 ||
				clusters["Contoso Ltd"] != 2 || clusters["Contoso Limited"] != 2 {
				t.Errorf("clusters %+v", r.Clusters)
			}
			if r.Values != 9 || r.Rows != 9 {
				t.Errorf("values %d rows %d", r.Values, r.Rows)
			}
		})
	}
}
