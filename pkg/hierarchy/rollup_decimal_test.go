package hierarchy_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/big"
	"strings"
	"testing"

	. "github.com/databridge/databridge/pkg/hierarchy"
	. "github.com/databridge/databridge/pkg/hierarchy/hierarchytest"
)

// decimalExample: three leaves whose float sums are not exact (1000 ×
// 0.10, 1000 × 0.20, 3545970.00 + 24 × 0.01) and formulas: a sum, a
// difference, ratios that terminate and one that does not.
func decimalExample() *Hierarchy {
	f := func(code, expr string, sort int) *Node {
		return &Node{Code: code, Name: code, Type: TypeFormula, Sort: sort, Formula: &Formula{Expression: expr}}
	}
	return &Hierarchy{ID: "dec", Name: "Decimals", Kind: KindCustom, Status: StatusDraft, Version: 1, SourceColumns: []string{"account"}, Nodes: []*Node{
		{Code: "T", Name: "Total", Type: TypeRollup, Sort: 10, FlipSign: true},
		{Code: "A", Name: "tenths", Parent: "T", Type: TypeLeaf, Sort: 10, Rules: []Rule{{Match: MatchExact, Value: "a"}}},
		{Code: "B", Name: "fifths", Parent: "T", Type: TypeLeaf, Sort: 20, Rules: []Rule{{Match: MatchExact, Value: "b"}}},
		{Code: "C", Name: "cents", Parent: "T", Type: TypeLeaf, Sort: 30, Rules: []Rule{{Match: MatchExact, Value: "c"}}},
		f("SUM_AB", "A + B", 20),
		f("DIFF", "T - C", 30),
		f("HALF", "A / B", 40),
		f("THIRD", "A / (A + B)", 50),
		f("PCT", "ROUND(A / (A + B) * 100, 2)", 60),
		f("BACK", "A / 3 * 3", 70),
	}}
}

// loadDecimal fills table with the example's rows, amount as DECIMAL(18,2)
// and famt as DOUBLE PRECISION.
func loadDecimal(t *testing.T, e Engine, table string) {
	t.Helper()
	Exec(t, e.Conn, "CREATE TABLE "+table+" (account VARCHAR(20), amount DECIMAL(18,2), famt DOUBLE PRECISION)")
	var rows []string
	add := func(code, v string, n int) {
		for i := 0; i < n; i++ {
			rows = append(rows, fmt.Sprintf("('%s', %s, %s)", code, v, v))
		}
	}
	add("a", "0.10", 1000)
	add("b", "0.20", 1000)
	add("c", "3545970.00", 1)
	add("c", "0.01", 24)
	add("x", "0.10", 3) // unmapped
	for len(rows) > 0 {
		n := min(len(rows), 500)
		Exec(t, e.Conn, "INSERT INTO "+table+" (account, amount, famt) VALUES "+strings.Join(rows[:n], ", "))
		rows = rows[n:]
	}
}

// TestRollupDecimalOnEngines: sums are exact decimals on every engine,
// whether the source column is DECIMAL or DOUBLE PRECISION, written at
// the sums' scale; formulas are exact (ratios to RatioScale decimals);
// JSON carries them as strings.
func TestRollupDecimalOnEngines(t *testing.T) {
	want := map[string]string{
		"T": "3546270.24", "A": "100.00", "B": "200.00", "C": "3545970.24",
		"SUM_AB": "300.00", "DIFF": "300.00", "HALF": "0.50", "THIRD": "0.3333333333", "PCT": "33.33", "BACK": "100.00",
	}
	for _, name := range Engines() {
		t.Run(name, func(t *testing.T) {
			e := OpenEngine(t, name)
			table := e.Table("decimal_facts")
			loadDecimal(t, e, table)
			for _, col := range []string{"amount", "famt"} {
				got, err := Rollup(context.Background(), e.Conn, decimalExample(), RollupInput{Table: table, Value: col})
				if err != nil {
					t.Fatal(err)
				}
				for _, l := range got.Lines {
					if v := l.Values[0]; v == nil || v.String() != want[l.Code] {
						t.Errorf("%s, %s: %s = %v, want %s", name, col, l.Code, v, want[l.Code])
					}
				}
				if p := got.Lines[0].PresentationValues[0]; p == nil || p.String() != "-3546270.24" {
					t.Errorf("%s, %s: T presentation %v", name, col, p)
				}
				if u, tot := got.Unmapped[0], got.SourceTotal[0]; u.Amount.String() != "0.30" || tot.Amount.String() != "3546270.54" || tot.Rows != 2028 {
					t.Errorf("%s, %s: unmapped %+v total %+v", name, col, u, tot)
				}
				b, err := json.Marshal(got)
				if err != nil {
					t.Fatal(err)
				}
				if s := string(b); !strings.Contains(s, `"values":["3546270.24"]`) || !strings.Contains(s, `"presentation_values":["-3546270.24"]`) ||
					!strings.Contains(s, `"values":["0.3333333333"]`) || !strings.Contains(s, `{"rows":3,"amount":"0.30"}`) {
					t.Errorf("%s, %s: JSON %s", name, col, s)
				}
				var back RollupResult
				if err := json.Unmarshal(b, &back); err != nil || back.Lines[3].Values[0].String() != "3545970.24" || back.SourceTotal[0].Amount.String() != "3546270.54" {
					t.Errorf("%s, %s: JSON round trip: %v %+v", name, col, err, back.SourceTotal)
				}
			}
		})
	}
}

// TestAmountJSON: strings both ways, numbers read, scale kept.
func TestAmountJSON(t *testing.T) {
	var a struct{ V []*Amount }
	if err := json.Unmarshal([]byte(`{"V":["0.30", -1.5, null, "1e2"]}`), &a); err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(a)
	if string(b) != `{"V":["0.30","-1.5",null,"100"]}` {
		t.Errorf("round trip: %s", b)
	}
	if a.V[0].Rat().Cmp(big.NewRat(3, 10)) != 0 || !a.V[0].Equal(mustAmount(t, "0.3")) {
		t.Errorf("0.30 = %v", a.V[0].Rat())
	}
	if err := json.Unmarshal([]byte(`["abc"]`), &a.V); err == nil {
		t.Error("abc read as an amount")
	}
}

func mustAmount(t *testing.T, s string) Amount {
	t.Helper()
	a, err := ParseAmount(s)
	if err != nil {
		t.Fatal(err)
	}
	return a
}
