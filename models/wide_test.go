package models

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestMergeWideKeepsLogits checks that the merged weights (what a model
// stores) give the logits of the wide and deep paths summed, with and
// without a hidden layer and after averaging an ensemble.
func TestMergeWideKeepsLogits(t *testing.T) {
	for _, hidden := range []int{0, 4} {
		for _, members := range []int{1, 3} {
			rng := rand.New(rand.NewPCG(5, uint64(hidden+members)))
			const feats, targets = 30, 2
			fw := uniform(rng, feats, 1)
			fw[7] = 0 // a feature never seen in training
			var ms []*weights
			for range members {
				w := newWeights(rng, feats, 5, hidden, targets)
				for tg := range w.Bo {
					w.Bo[tg] = uniform(rng, nValues, 1)
				}
				w.B1 = uniform(rng, hidden, 1)
				w.FW, w.L2Pool = fw, true
				w.Wide = uniform(rng, feats*w.wideWidth(), 2)
				w.WideB = uniform(rng, w.wideWidth(), 1)
				ms = append(ms, w)
			}
			w := ms[0]
			if members > 1 {
				w = concatWeights(ms)
			}
			m := mergeWide(w)
			if m.Wide != nil || m.Dim != w.Dim+targets*nValues {
				t.Fatalf("merged weights: wide table %v, dim %d", m.Wide != nil, m.Dim)
			}
			for _, feats := range [][]int32{{1, 5, 5, 29, 0}, {7}, {}, {3}} {
				want := make([][nValues]float32, targets)
				w.forward(want, feats, make([]float32, w.Dim), make([]float32, max(w.Hidden, 1)), make([]float32, w.wideWidth()))
				bag := make([]float32, m.Dim)
				m.bag(bag, feats)
				h := m.hidden(make([]float32, max(m.Hidden, 1)), bag)
				for tg := range targets {
					var z [nValues]float32
					m.logits(&z, tg, h)
					for c := range nValues {
						if math.Abs(float64(z[c]-want[tg][c])) > 1e-5 {
							t.Errorf("hidden %d, %d members (wide path of the last), feats %v, target %d value %d: merged %.6f, wide+deep %.6f",
								hidden, members, feats, tg, c, z[c], want[tg][c])
						}
					}
				}
			}
		}
	}
}

// TestFitWideStationary checks that the fitted wide path is the
// regression's optimum: the gradient of the objective fitWide documents,
// computed here independently by finite differences, is near zero.
func TestFitWideStationary(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	const feats, targets = 12, 2
	w := newWeights(rng, feats, 3, 0, targets)
	w.FW, w.L2Pool = uniform(rng, feats, 1), true
	for f := range w.FW {
		w.FW[f] = 0.5 + float32(math.Abs(float64(w.FW[f])))
	}
	var train []example
	for i := range 40 {
		e := example{labels: []int8{int8(i % 3), int8(rng.IntN(3))}}
		if i%7 == 0 {
			e.labels[1] = -1 // unlabelled for target 1
		}
		for range 1 + rng.IntN(4) {
			e.feats = append(e.feats, int32(rng.IntN(feats)))
		}
		e.feats = append(e.feats, int32(i%3)) // a signal feature per class
		train = append(train, e)
	}
	cw := [][nValues]float64{{3, 2, 1}, {1, 5, 1}}
	const l2 = 0.1
	fitWide(w, train, cw, l2)
	objective := func(tg int) float64 {
		var loss float64
		n := 0
		z := make([]float32, w.wideWidth())
		for _, e := range train {
			l := e.labels[tg]
			if l < 0 {
				continue
			}
			n++
			w.wideLogits(z, e.feats)
			p := softmax([nValues]float32(z[tg*nValues:tg*nValues+nValues]), [nValues]float64{}, 1)
			loss -= cw[tg][l] * math.Log(p[l])
		}
		loss /= float64(n)
		for f := range feats {
			for c := range nValues {
				x := float64(w.Wide[f*w.wideWidth()+tg*nValues+c])
				loss += l2 / 2 * x * x
			}
		}
		return loss
	}
	for tg := range targets {
		params := []*float32{}
		for f := range feats {
			for c := range nValues {
				params = append(params, &w.Wide[f*w.wideWidth()+tg*nValues+c])
			}
		}
		for c := range nValues {
			params = append(params, &w.WideB[tg*nValues+c])
		}
		const eps = 1e-2
		for i, p := range params {
			orig := *p
			*p = orig + eps
			up := objective(tg)
			*p = orig - eps
			down := objective(tg)
			*p = orig
			if g := (up - down) / (2 * eps); math.Abs(g) > 2e-3 {
				t.Errorf("target %d parameter %d: gradient %.5f at the fitted optimum", tg, i, g)
			}
		}
	}
}

func TestLBFGS(t *testing.T) {
	rosenbrock := func(x, g []float64) float64 {
		a, b := 1-x[0], x[1]-x[0]*x[0]
		if g != nil {
			g[0] = -2*a - 400*x[0]*b
			g[1] = 200 * b
		}
		return a*a + 100*b*b
	}
	quadratic := func(x, g []float64) float64 { // minimum at (1, 2, 3, ...), curvatures 1..n
		var f float64
		for i, v := range x {
			d := v - float64(i+1)
			f += 0.5 * float64(i+1) * d * d
			if g != nil {
				g[i] = float64(i+1) * d
			}
		}
		return f
	}
	for _, tc := range []struct {
		name string
		f    func(x, g []float64) float64
		x0   []float64
		want []float64
	}{
		{"rosenbrock", rosenbrock, []float64{-1.2, 1}, []float64{1, 1}},
		{"quadratic", quadratic, make([]float64, 6), []float64{1, 2, 3, 4, 5, 6}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			x := lbfgs(tc.f, tc.x0, 500, 1e-8)
			for i := range x {
				if math.Abs(x[i]-tc.want[i]) > 1e-4 {
					t.Errorf("x = %v, want %v", x, tc.want)
					break
				}
			}
		})
	}
}
