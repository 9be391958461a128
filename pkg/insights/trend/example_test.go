package trend_test

import (
	"fmt"

	"github.com/databridge/databridge/pkg/insights/trend"
)

// Three calendar years of a monthly flow growing by 2 a month.
func ExampleAnalyze() {
	y := make([]float64, 36)
	for t := range y {
		y[t] = 100 + 2*float64(t)
	}
	res, err := trend.Analyze(y, trend.Options{Season: 12})
	if err != nil {
		panic(err)
	}
	g := res.Growth
	fmt.Printf("%s, %.1f a month (%s)\n", res.Direction, res.Slope.Estimate, res.Slope.Method)
	fmt.Printf("MoM %.2f%%, QoQ %.2f%%, YoY %.2f%%, CAGR %.2f%% over %d years\n",
		100**g.MoM.Rate, 100**g.QoQ.Rate, 100**g.YoY.Rate, 100**g.CAGR.Rate, g.CAGR.Years)
	// Output:
	// up, 2.0 a month (seasonal_theil_sen)
	// MoM 1.19%, QoQ 3.70%, YoY 17.78%, CAGR 19.68% over 2 years
}
