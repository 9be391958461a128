package anomaly_test

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/databridge/databridge/pkg/insights/anomaly"
)

// Five fiscal years of monthly revenue (the fiscal year starts in April;
// the first month is July, fiscal position 3) with a one-off spike in
// month 20 (+45) and a drop of level (−60) from month 40 on; noise SD 4.
func ExampleDetect() {
	season := []float64{-30, -20, 0, 10, 20, 40, 30, 10, 0, -10, -20, -30}
	r := rand.New(rand.NewPCG(1, 2))
	y := make([]float64, 60)
	for t := range y {
		y[t] = 500 + 1.5*float64(t) + season[(t+3)%12] + 4*r.NormFloat64()
		if t >= 40 {
			y[t] -= 60
		}
	}
	y[20] += 45
	res, err := anomaly.Detect(y, anomaly.Options{Season: 12, FirstPos: 3})
	if err != nil {
		panic(err)
	}
	for _, f := range res.Findings {
		fmt.Printf("%s at %d: %s by %.0f\n", f.Kind, f.Index, f.Direction, math.Abs(f.Deviation))
	}
	// Output:
	// spike at 20: up by 53
	// level_shift at 40: down by 57
}
