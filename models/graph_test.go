package models

import (
	"math"
	"math/rand/v2"
	"testing"
)

// randomBatch fills the graph's bag and targets with a deterministic
// random batch; row 0's target 0 is masked (all-zero weights).
func randomBatch(gr *graph, rng *rand.Rand) {
	bag := gr.bagT.Data().([]float32)
	for i := range bag {
		bag[i] = float32(rng.NormFloat64())
	}
	for t, yT := range gr.yT {
		y := yT.Data().([]float32)
		clear(y)
		for b := range gr.batch {
			if b == 0 && t == 0 {
				continue
			}
			y[b*nValues+rng.IntN(nValues)] = float32(1+rng.IntN(3)) / float32(gr.batch)
		}
	}
}

func TestGorgoniaForwardMatchesGo(t *testing.T) {
	for _, hidden := range []int{0, 7} {
		rng := rand.New(rand.NewPCG(1, 2))
		w := newWeights(rng, 10, 5, hidden, 3)
		for t := range w.Bo {
			for c := range w.Bo[t] {
				w.Bo[t][c] = float32(rng.NormFloat64())
			}
		}
		for j := range w.B1 {
			w.B1[j] = float32(rng.NormFloat64())
		}
		gr, err := newGraph(w, 6, false)
		if err != nil {
			t.Fatal(err)
		}
		randomBatch(gr, rng)
		if err := gr.run(); err != nil {
			t.Fatal(err)
		}
		bag := gr.bagT.Data().([]float32)
		hbuf := make([]float32, max(hidden, 1))
		for b := range gr.batch {
			h := w.hidden(hbuf, bag[b*w.Dim:(b+1)*w.Dim])
			for tg := range w.Targets {
				var z [nValues]float32
				w.logits(&z, tg, h)
				p := softmax(z, [nValues]float64{}, 1)
				lp := gr.logpV[tg].Data().([]float32)
				for c := range nValues {
					got := math.Exp(float64(lp[b*nValues+c]))
					if math.Abs(got-p[c]) > 1e-5 {
						t.Errorf("hidden=%d row %d target %d value %d: gorgonia p=%.7f, Go p=%.7f", hidden, b, tg, c, got, p[c])
					}
				}
			}
		}
		gr.close()
	}
}

// TestBagGradient checks the gradient gorgonia gives for the bag input
// (which training scatters to the embedding rows) against central finite
// differences of the cost.
func TestBagGradient(t *testing.T) {
	for _, hidden := range []int{0, 4} {
		rng := rand.New(rand.NewPCG(3, 4))
		w := newWeights(rng, 10, 3, hidden, 2)
		gr, err := newGraph(w, 4, true)
		if err != nil {
			t.Fatal(err)
		}
		randomBatch(gr, rng)
		if err := gr.run(); err != nil {
			t.Fatal(err)
		}
		gv, err := gr.bagGrad()
		if err != nil {
			t.Fatal(err)
		}
		grad := append([]float32(nil), gv...)
		gr.vm.Reset()
		bag := gr.bagT.Data().([]float32)
		const eps = 1e-2
		for i := range bag {
			orig := bag[i]
			cost := func(x float32) float64 {
				bag[i] = x
				if err := gr.run(); err != nil {
					t.Fatal(err)
				}
				c := float64(gr.costV.Data().(float32))
				gr.vm.Reset()
				return c
			}
			num := (cost(orig+eps) - cost(orig-eps)) / (2 * eps)
			bag[i] = orig
			if math.Abs(num-float64(grad[i])) > 2e-3 {
				t.Errorf("hidden=%d bag[%d]: gorgonia grad %.5f, finite difference %.5f", hidden, i, grad[i], num)
			}
		}
		gr.close()
	}
}

// TestConcatWeightsAveragesLogits checks that the concatenated model's
// logits are the mean of its members' logits.
func TestConcatWeightsAveragesLogits(t *testing.T) {
	for _, hidden := range []int{0, 3} {
		rng := rand.New(rand.NewPCG(9, 9))
		var ms []*weights
		fw := uniform(rng, 20, 1)
		for range 3 {
			w := newWeights(rng, 20, 4, hidden, 2)
			for tg := range w.Bo {
				w.Bo[tg] = uniform(rng, nValues, 1)
			}
			w.FW, w.L2Pool = fw, true
			ms = append(ms, w)
		}
		c := concatWeights(ms)
		feats := []int32{1, 5, 5, 19, 0}
		for tg := range 2 {
			var want [nValues]float64
			for _, m := range ms {
				bag := make([]float32, m.Dim)
				m.bag(bag, feats)
				var z [nValues]float32
				m.logits(&z, tg, m.hidden(make([]float32, max(hidden, 1)), bag))
				for v := range nValues {
					want[v] += float64(z[v]) / 3
				}
			}
			bag := make([]float32, c.Dim)
			c.bag(bag, feats)
			var z [nValues]float32
			c.logits(&z, tg, c.hidden(make([]float32, max(c.Hidden, 1)), bag))
			for v := range nValues {
				if math.Abs(float64(z[v])-want[v]) > 1e-5 {
					t.Errorf("hidden %d target %d value %d: concatenated %.6f, mean of members %.6f", hidden, tg, v, z[v], want[v])
				}
			}
		}
	}
}

// TestGorgoniaForwardWithWide checks the training graph's wide inputs:
// gorgonia's log-probabilities equal the Go logits plus the wide
// logits fed in.
func TestGorgoniaForwardWithWide(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	w := newWeights(rng, 10, 4, 0, 2)
	w.Wide = make([]float32, w.Feats*w.wideWidth())
	gr, err := newGraph(w, 5, true)
	if err != nil {
		t.Fatal(err)
	}
	defer gr.close()
	randomBatch(gr, rng)
	for _, wt := range gr.wideT {
		d := wt.Data().([]float32)
		for i := range d {
			d[i] = float32(rng.NormFloat64())
		}
	}
	if err := gr.run(); err != nil {
		t.Fatal(err)
	}
	bag := gr.bagT.Data().([]float32)
	for b := range gr.batch {
		for tg := range w.Targets {
			var z [nValues]float32
			w.logits(&z, tg, bag[b*w.Dim:(b+1)*w.Dim])
			wide := gr.wideT[tg].Data().([]float32)
			for c := range nValues {
				z[c] += wide[b*nValues+c]
			}
			p := softmax(z, [nValues]float64{}, 1)
			lp := gr.logpV[tg].Data().([]float32)
			for c := range nValues {
				if got := math.Exp(float64(lp[b*nValues+c])); math.Abs(got-p[c]) > 1e-5 {
					t.Errorf("row %d target %d value %d: gorgonia p=%.7f, Go p=%.7f", b, tg, c, got, p[c])
				}
			}
		}
	}
}
