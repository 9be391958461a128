package fuzzy

import "testing"

func TestNormalise(t *testing.T) {
	cases := map[string]string{
		"ACME Corp.":                   "acme",
		"Acme Corporation":             "acme",
		"Müller GmbH & Co. KG":         "muller",
		"Société Générale S.A.":        "societe generale",
		"O'Brien & Sons, Ltd":          "obrien and sons",
		"  Northwind   Traders, Inc. ": "northwind traders",
		"AB Volvo":                     "volvo",
		"Straße-Bau AG":                "strasse bau",
		"Smith+Jones LLP":              "smith and jones",
		"Holdings Ltd":                 "holdings ltd",
		"Ørsted A/S":                   "orsted",
		"":                             "",
	}
	for in, want := range cases {
		if got := Normalise(in); got != want {
			t.Errorf("Normalise(%q) = %q, want %q", in, got, want)
		}
	}
}
