package nlq

import (
	"strings"
	"testing"

	"github.com/databridge/databridge/pkg/query"
)

// One typo in a word of the layer's vocabulary is read as the word, and
// the interpretation says so.
func TestSpellingCorrected(t *testing.T) {
	for _, c := range []struct {
		q, read string
		check   func(t *testing.T, s query.Spec)
	}{
		{"revnue by segmnt in FY2025", `"revnue" as "revenue"`, func(t *testing.T, s query.Spec) {
			want(t, s.Metrics, "net_amount")
			wantGroup(t, s, "segment")
		}},
		{"salse by catgories", `"catgories" as "category"`, func(t *testing.T, s query.Spec) {
			want(t, s.Metrics, "net_amount")
			wantGroup(t, s, "category")
		}},
		{"number of custmers by segment in FY2025", `"custmers" as "customer"`, func(t *testing.T, s query.Spec) {
			want(t, s.Metrics, "customer_count")
			wantGroup(t, s, "segment")
		}},
		{"revenue by custmer segment", `"custmer" as "customer"`, func(t *testing.T, s query.Spec) {
			wantGroup(t, s, "segment")
		}},
	} {
		t.Run(c.q, func(t *testing.T) {
			it := ask(t, c.q)
			if !it.Answerable {
				t.Fatalf("not answered: %s", it.Reason)
			}
			if !strings.Contains(it.Text, c.read) {
				t.Errorf("interpretation %q does not say it read %s", it.Text, c.read)
			}
			c.check(t, it.Spec)
		})
	}
}

// Words that are not one unmistakable typo of a vocabulary word stay
// not understood: another first letter, two typos in a short word, an
// inflected verb read as a noun, a word that only looks like a member.
func TestSpellingNotGuessed(t *testing.T) {
	for _, q := range []string{
		"revenue by sales channel",     // channel: two edits from "change"
		"planned revenue in FY2025",    // planned is not "plan" or "product"
		"sevenue by segment",           // a changed first letter
		"revenue by segment and regin", // four letters: no typo budget
		"revenue from Initech",
		"Scale segment revenue", // a member's place: no "Scale" segment, not "sale"
		"Scale category sales",
	} {
		t.Run(q, func(t *testing.T) {
			if it := ask(t, q); it.Answerable {
				t.Fatalf("answered: %s", it.Text)
			}
		})
	}
}

// Numbers spelt out rank like digits; "the five largest" like "top 5".
func TestNumberWords(t *testing.T) {
	for _, c := range []struct {
		q     string
		limit int
		desc  bool
	}{
		{"top five customers by revenue in FY2025", 5, true},
		{"bottom three products by sales", 3, false},
		{"the seven largest customers by revenue", 7, true},
		{"4 smallest categories by revenue", 4, false},
		{"top ten customers by units", 10, true},
	} {
		t.Run(c.q, func(t *testing.T) {
			it := ask(t, c.q)
			if !it.Answerable {
				t.Fatalf("not answered: %s", it.Reason)
			}
			if it.Spec.Limit != c.limit {
				t.Errorf("limit %d, want %d", it.Spec.Limit, c.limit)
			}
			if len(it.Spec.OrderBy) == 0 || it.Spec.OrderBy[0].Desc != c.desc {
				t.Errorf("order %+v, want desc %v", it.Spec.OrderBy, c.desc)
			}
		})
	}
	// A number word nothing ranks is not understood.
	for _, q := range []string{"revenue five", "which one customer"} {
		if it := ask(t, q); it.Answerable {
			t.Errorf("%q answered: %s", q, it.Text)
		}
	}
}

// "collected" names the payments: without a payments fact, or beside
// another number, the question is not answered.
func TestCollectedAgrees(t *testing.T) {
	for _, q := range []string{"revenue collected in FY2025", "how much did we collect in FY2025"} {
		it := ask(t, q)
		if it.Answerable {
			t.Errorf("%q answered: %s", q, it.Text)
		}
	}
}

// A misspelt plural is corrected though the plural rule spoils its
// canonical form ("invocies" is not the singular "invocy"), and stays a
// plural ("prodcuts by category": the products, counted).
func TestPluralTypo(t *testing.T) {
	tok := &token{raw: "invocies", canon: canonWord("invocies")}
	if w, _ := nearestWord(tok, []string{"invoice", "income"}, nil); w != "invoice" {
		t.Errorf("invocies read as %q", w)
	}
	a, b := ask(t, "prodcuts by category"), ask(t, "products by category")
	if !a.Answerable || !b.Answerable || strings.Join(a.Spec.Metrics, ",") != strings.Join(b.Spec.Metrics, ",") {
		t.Errorf("prodcuts: %+v %s, want as products: %+v %s", a.Spec.Metrics, a.Reason, b.Spec.Metrics, b.Reason)
	}
}

// answersAs checks each question of cases is answered as the question it
// maps to (the same interpretation).
func answersAs(t *testing.T, cases map[string]string) {
	t.Helper()
	for q, like := range cases {
		a, b := ask(t, q), ask(t, like)
		if !b.Answerable {
			t.Fatalf("%q: %s", like, b.Reason)
		}
		if !a.Answerable || a.Text != b.Text {
			t.Errorf("%q: %q %s, want as %q: %q", q, a.Text, a.Reason, like, b.Text)
		}
	}
}

// Short names people type: "rev by cntry", "# of custs by seg".
func TestShortNames(t *testing.T) {
	answersAs(t, map[string]string{
		"sls by cntry FY2025":         "sales by country FY2025",
		"# of custs by seg in FY2025": "number of customers by segment in FY2025",
		"top 3 custs by sls":          "top 3 customers by sales",
		"sls by mnth in FY2025":       "sales by month in FY2025",
	})
}

// Terse forms: "FY25Q1", "1Q25" (the fiscal quarter, as "Q1 FY25"),
// "w/", ">" and "<" as thresholds, "rcvd".
func TestTerseForms(t *testing.T) {
	answersAs(t, map[string]string{
		"FY25Q1 revenue by segment":               "Q1 FY25 revenue by segment",
		"1Q25 revenue":                            "Q1 FY2025 revenue",
		"customers w/ revenue > 100k in FY2025":   "customers with revenue over 100k in FY2025",
		"customers with revenue < 5000 in FY2025": "customers with revenue under 5000 in FY2025",
		"revenue for 2025Q1 by segment":           "revenue for Q1 2025 by segment",
		"FY2025 first quarter revenue":            "revenue in the first quarter of FY2025",
	})
}
