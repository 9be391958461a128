package anomaly

import (
	"math"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/lapack/lapack64"
)

// localPoly fits a weighted least-squares polynomial of the given degree
// (1 or 2) to the points (xs, ys) with weights ws, and returns its value
// at x0 and the variance factor of that value (Σ lᵢ², where the value is
// Σ lᵢ·yᵢ: the variance of the prediction is σ² times it for independent
// noise). ok is false when the system is singular.
func localPoly(xs, ys, ws []float64, degree int, x0 float64) (pred, v float64, ok bool) {
	p := degree + 1
	if len(xs) < p {
		return 0, 0, false
	}
	// Normal equations in powers of (x − x0): the value at x0 is the
	// intercept, so l = W·X·(XᵀWX)⁻¹·e₀. Solved by Cholesky (LAPACK's
	// potrf/potrs through gonum; the systems are at most 3×3).
	var a [9]float64
	for i, x := range xs {
		dx := x - x0
		pw := [3]float64{1, dx, dx * dx}
		for r := range p {
			for c := r; c < p; c++ {
				a[r*p+c] += ws[i] * pw[r] * pw[c]
			}
		}
	}
	tri, ok := lapack64.Potrf(blas64.Symmetric{Uplo: blas.Upper, N: p, Data: a[:p*p], Stride: p})
	if !ok {
		return 0, 0, false
	}
	var e [3]float64
	e[0] = 1
	lapack64.Potrs(tri, blas64.General{Rows: p, Cols: 1, Data: e[:p], Stride: 1})
	c := e[:p]
	for i, x := range xs {
		dx := x - x0
		pw := [3]float64{1, dx, dx * dx}
		var l float64
		for a := range p {
			l += pw[a] * c[a]
		}
		l *= ws[i]
		pred += l * ys[i]
		v += l * l
	}
	if math.IsNaN(pred) || math.IsInf(pred, 0) {
		return 0, 0, false
	}
	return pred, v, true
}

// tricube is the LOESS weight of a point at distance d with bandwidth h.
func tricube(d, h float64) float64 {
	u := math.Abs(d) / h
	if u >= 1 {
		return 0
	}
	u = 1 - u*u*u
	return u * u * u
}
