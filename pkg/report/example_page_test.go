package report

import "math"

// samplePage is a page with every block and chart kind, the one the golden
// and browser tests render.
func samplePage() *Page {
	months := []string{"2024-10", "2024-11", "2024-12", "2025-01", "2025-02", "2025-03", "2025-04", "2025-05", "2025-06", "2025-07", "2025-08", "2025-09"}
	fc := []string{"2025-10", "2025-11", "2025-12"}
	x := append(append([]string{}, months...), fc...)
	actual := Nums("100.10", "104.25", "131.00", "98.40", "101.75", "110.00", "108.30", "112.45", "250.00", "115.60", "117.05", "119.90")
	actual[4] = Missing() // a gap
	return New("Revenue — September 2025", "Actual vs budget, forecast and anomalies <b>&amp; \"quotes\"</b>").
		Add(
			Figures{Items: []Figure{
				{Label: "Actual", Value: "1250.40"},
				{Label: "Budget", Value: "1200.00"},
				{Label: "Variance", Value: "50.40", Note: "+4.2% vs budget", Tone: Favourable},
				{Label: "Costs variance", Value: "-12.00", Tone: Unfavourable},
			}},
			Waterfall{Title: "Budget to actual", Caption: "Price, volume and mix effects.", Unit: "USD",
				Start: Step{Label: "Budget", Value: N("1200.00")},
				Steps: []Step{
					{Label: "Price", Value: N("80.25")},
					{Label: "Volume", Value: N("-41.10"), Note: "fewer units in EMEA"},
					{Label: "Mix", Value: N("11.25")},
					{Label: "Zero", Value: N("0.00")},
				},
				End: Step{Label: "Actual", Value: N("1250.40")}},
			LineChart{Title: "Revenue and forecast", Unit: "USD", X: x,
				Series: []Series{
					{Name: "Actual", Values: actual},
					{Name: "Forecast", Values: Floats([]float64{121.5, 123.25, 126}, 2), Start: 12, Dashed: true},
				},
				Bands: []Band{
					{Name: "95% interval", Series: "Forecast", Start: 12, Lower: Floats([]float64{110, 108, 104}, 2), Upper: Floats([]float64{133, 138.5, 148}, 2)},
					{Name: "80% interval", Series: "Forecast", Start: 12, Lower: Floats([]float64{114, 113.5, 111}, 2), Upper: Floats([]float64{129, 133, 141}, 2)},
				},
				Markers: []Marker{{Label: "forecast", At: 11.5}},
				Windows: []Window{{Label: "backtest 1", From: 6, To: 8}, {Label: "backtest 2", From: 9, To: 11}},
				Points:  []Point{{Series: "Actual", At: 8, Value: N("250.00"), Label: "spike", Note: "expected 113.20, 12.3 MADs above"}},
			},
			BarChart{Title: "Actual vs budget by region", Unit: "USD",
				Categories: []string{"EMEA", "Americas", "APAC <script>alert(1)</script>"},
				Series: []BarSeries{
					{Name: "Actual", Values: Nums("500.40", "600.00", "150.00")},
					{Name: "Budget", Values: Nums("520.00", "560.00", "-20.00")},
				}},
			BarChart{Title: "Contribution to the change", Horizontal: true,
				Categories: []string{"Americas", "EMEA", "APAC — a member with a rather long name for a label"},
				Series: []BarSeries{{Name: "Contribution", Values: Nums("40.00", "-19.60", "170.00"),
					Tones: []Tone{Favourable, Unfavourable, Favourable}}}},
			Table{Title: "Variance by region", Columns: []Column{{Label: "Region"}, {Label: "Trend"}, {Label: "Actual", Numeric: true}, {Label: "Budget", Numeric: true}, {Label: "Variance", Numeric: true}},
				Rows: [][]Cell{
					append(Row("EMEA"), append([]Cell{{Spark: []float64{40, 42, 41, 45, math.NaN(), 47, 50}}}, Row("500.40", "520.00", "-19.60")...)...),
					append(Row("Americas"), append([]Cell{{Spark: []float64{60, 58, 55, 52, 50}}}, Row("600.00", "560.00", "40.00")...)...),
					Row("APAC \"quoted\" <i>", "", "150.00", "-20.00", "170.00"),
					{{Text: "Total", Strong: true}, {}, {Text: "1250.40", Strong: true}, {Text: "1060.00", Strong: true}, {Text: "190.40", Strong: true, Tone: Favourable}},
				}},
			Checklist{Title: "Close checklist", Steps: []CheckStep{
				{Name: "Data loaded", State: StateDone, Who: "ana", When: "2025-10-02 09:14"},
				{Name: "Trial balance balances", State: StateDone, Who: "ana", When: "2025-10-02 09:20"},
				{Name: "Every account mapped", State: StateFailed, Who: "ana", When: "2025-10-02 09:21", Note: "account 4999 is not mapped"},
				{Name: "Reconciliations pass", State: StateBlocked, Note: "needs the saved reconciliations"},
				{Name: "Sign-off", State: StatePending},
			}},
			Text{Title: "Commentary", Paragraphs: []string{"Revenue was 50.40 above budget: price +80.25, volume -41.10."}},
		)
}
