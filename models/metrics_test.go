package models

import (
	"math"
	"testing"
)

// score follows labels.Confusion's rules: F1 undefined (NaN) without gold
// support, F_avg over the stance values that have gold examples.
func TestScore(t *testing.T) {
	nan := math.NaN()
	for _, tc := range []struct {
		name       string
		gold, pred []int8
		f1         [nValues]float64
		favg       float64
	}{
		{"perfect", []int8{0, 1, 2}, []int8{0, 1, 2}, [nValues]float64{1, 1, 1}, 1},
		{"half favor", []int8{0, 0, 1, 2}, []int8{0, 2, 1, 2}, [nValues]float64{2.0 / 3, 1, 2.0 / 3}, (2.0/3 + 1) / 2},
		{"no against gold", []int8{0, 2, 2}, []int8{0, 1, 2}, [nValues]float64{1, nan, 2.0 / 3}, 1},
		{"predicted but never gold", []int8{2, 2}, []int8{0, 2}, [nValues]float64{nan, nan, 2.0 / 3}, nan},
		{"unlabelled rows skipped", []int8{-1, 0, 1}, []int8{1, 0, 1}, [nValues]float64{1, 1, nan}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := score("t", tc.gold, tc.pred)
			same := func(a, b float64) bool { return math.Abs(a-b) < 1e-12 || (math.IsNaN(a) && math.IsNaN(b)) }
			for v := range nValues {
				if !same(m.F1[v], tc.f1[v]) {
					t.Errorf("F1[%d] = %v, want %v", v, m.F1[v], tc.f1[v])
				}
			}
			if !same(m.FAvg, tc.favg) {
				t.Errorf("FAvg = %v, want %v", m.FAvg, tc.favg)
			}
		})
	}
}
