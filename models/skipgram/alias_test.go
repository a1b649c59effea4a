package skipgram

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestAliasFrequencies(t *testing.T) {
	tests := []struct {
		name    string
		weights []float64
	}{
		{"uniform", []float64{1, 1, 1, 1}},
		{"skewed", []float64{100, 10, 1, 0.1}},
		{"zeros", []float64{0, 3, 0, 1}},
		{"one", []float64{2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := newAlias(tt.weights)
			rng := rand.NewPCG(1, 2)
			const n = 400000
			got := make([]int, len(tt.weights))
			for range n {
				got[a.sample(rng.Uint64())]++
			}
			var sum float64
			for _, w := range tt.weights {
				sum += w
			}
			for i, w := range tt.weights {
				p := w / sum
				// 5 standard deviations of a binomial count.
				tol := 5*math.Sqrt(n*p*(1-p)) + 1
				if d := math.Abs(float64(got[i]) - n*p); d > tol {
					t.Errorf("id %d: drawn %d times, want %.0f ± %.0f", i, got[i], n*p, tol)
				}
			}
		})
	}
}
