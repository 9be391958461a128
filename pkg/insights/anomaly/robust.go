package anomaly

import (
	"math"
	"slices"
)

// median of xs (the mean of the two middle values for an even count); NaN
// for none. xs is not changed.
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	m := len(s) / 2
	if len(s)%2 == 1 {
		return s[m]
	}
	return (s[m-1] + s[m]) / 2
}

// mad is the median absolute deviation from the median.
func mad(xs []float64) (med, dev float64) {
	med = median(xs)
	d := make([]float64, len(xs))
	for i, x := range xs {
		d[i] = math.Abs(x - med)
	}
	return med, median(d)
}

// madToSigma turns a MAD into a standard deviation for Gaussian data.
const madToSigma = 1.482602218505602

// robustScale is a robust standard deviation of xs around their median:
// 1.4826·MAD, or, when more than half the values are equal (MAD 0),
// 1.2533·mean absolute deviation (Iglewicz and Hoaglin's fallback).
func robustScale(xs []float64) (med, scale float64) {
	med, dev := mad(xs)
	if dev > 0 {
		return med, madToSigma * dev
	}
	var sum float64
	for _, x := range xs {
		sum += math.Abs(x - med)
	}
	if len(xs) == 0 {
		return med, 0
	}
	return med, 1.2533141373155 * sum / float64(len(xs))
}

// theilSen is the median of the slopes between every pair of the points
// (xs[i], ys[i]) whose group ids are equal (pass nil groups for all pairs);
// 0 when there is no pair.
func theilSen(xs, ys []float64, groups []int) float64 {
	var slopes []float64
	for i := range xs {
		for j := i + 1; j < len(xs); j++ {
			if groups != nil && groups[i] != groups[j] {
				continue
			}
			if dx := xs[j] - xs[i]; dx != 0 {
				slopes = append(slopes, (ys[j]-ys[i])/dx)
			}
		}
	}
	if len(slopes) == 0 {
		return 0
	}
	return median(slopes)
}
