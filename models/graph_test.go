package models

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// randomProblem draws a small training problem: n examples over feats
// features for nT targets (their description features filled when
// prior is set), labels with masked cells and row weights, and weights
// of the same shape with random W, B and (with prior) Cue. Feature 0
// never occurs (IDF 0), so its W row must never matter; row 1 has no
// features at all.
func randomProblem(rng *rand.Rand, n, feats, nT int, prior bool) ([]example, *weights) {
	exs := make([]example, n)
	for i := range exs {
		e := &exs[i]
		if i != 1 {
			for range 1 + rng.IntN(6) {
				e.feats = append(e.feats, int32(1+rng.IntN(feats-1))) // repeats allowed
			}
		}
		if prior {
			e.prior = make([]float32, nT*nPrior)
			for t := range nT {
				m := float32(rng.IntN(2))
				f, a := float32(rng.IntN(4)), float32(rng.IntN(4))
				copy(e.prior[t*nPrior:], []float32{m * f, m * a, m, f, a})
			}
		}
		e.labels = make([]int8, nT)
		for t := range e.labels {
			e.labels[t] = int8(rng.IntN(nValues+1)) - 1 // -1: masked
		}
		e.labels[0] = int8(i % nValues) // every value of target 0 occurs
		e.weight = 0.5 + rng.Float64()
	}
	w := &weights{Feats: feats, Targets: nT, FW: idf(exs, feats), L2Pool: true}
	k := w.width()
	w.W = make([]float32, feats*k)
	for i := range w.W {
		w.W[i] = float32(rng.NormFloat64())
	}
	w.B = make([]float32, k)
	for i := range w.B {
		w.B[i] = float32(rng.NormFloat64())
	}
	if prior {
		w.Cue = make([]float32, nT*nPrior*nValues)
		for i := range w.Cue {
			w.Cue[i] = float32(rng.NormFloat64())
		}
	}
	return exs, w
}

// testObjective is an objective over a problem's examples with fit's
// parameter layout: x holds W's rows in use (design columns × k), the
// intercepts b_t, then with the prior the description model's V and c.
type testObjective struct {
	o                *objective
	lay              objectiveLayout
	d                *design
	n, nT, k, dim    int
	offB, offV, offC int
	pooled           []float64
}

func newTestObjective(t *testing.T, exs []example, fw []float32, nT int, prior bool, l2, priorL2, evidence float64) *testObjective {
	t.Helper()
	d := newDesign(exs, fw)
	u := max(len(d.ids), 1)
	o, lay, err := newObjective(len(exs), nT, u, prior, l2, priorL2)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(o.close)
	k := nT * nValues
	to := &testObjective{o: o, lay: lay, d: d, n: len(exs), nT: nT, k: k, offB: u * k, pooled: make([]float64, len(exs)*k)}
	to.offV = to.offB + nT*nValues
	to.offC = to.offV + nPrior*nValues
	to.dim = to.offV
	if prior {
		to.dim = to.offC + nValues
	}
	fillFixed(o, lay, d, exs, nT, evidence)
	return to
}

// x returns w as the objective's parameters (the description model from
// target 0's Cue and intercepts).
func (to *testObjective) x(w *weights) []float64 {
	x := make([]float64, to.dim)
	for c, f := range to.d.ids {
		for j := range to.k {
			x[c*to.k+j] = float64(w.W[int(f)*to.k+j])
		}
	}
	for j := range to.k {
		x[to.offB+j] = float64(w.B[j])
	}
	if to.lay.prior && w.Cue != nil {
		for j := range nPrior * nValues {
			x[to.offV+j] = float64(w.Cue[j])
		}
		for c := range nValues {
			x[to.offC+c] = float64(w.B[c])
		}
	}
	return x
}

// eval runs the objective at x as fit does: pooled inputs from W's rows,
// the graph, then gatherGrads and reset.
func (to *testObjective) eval(t *testing.T, x []float64) (float64, []float64) {
	t.Helper()
	o, lay, k := to.o, to.lay, to.k
	nW := to.offB
	copy(o.data(lay.w), x[:nW])
	to.d.pool(to.pooled, x[:nW], k)
	for tg := range to.nT {
		copy(o.data(lay.b[tg]), x[to.offB+tg*nValues:to.offB+(tg+1)*nValues])
		p := o.data(lay.pooled[tg])
		for i := range to.n {
			copy(p[i*nValues:i*nValues+nValues], to.pooled[i*k+tg*nValues:])
		}
	}
	if lay.prior {
		copy(o.data(lay.vs), x[to.offV:to.offC])
		copy(o.data(lay.c), x[to.offC:to.offC+nValues])
	}
	f, err := o.run()
	if err != nil {
		t.Fatal(err)
	}
	grad := make([]float64, to.dim)
	if err := gatherGrads(o, lay, to.d, grad, to.pooled, to.nT, k, to.offB, to.offV, to.offC); err != nil {
		t.Fatal(err)
	}
	if err := o.reset(); err != nil {
		t.Fatal(err)
	}
	return f, grad
}

// referenceCost computes the objective's cost in plain Go from the
// weights' forward pass (graph.go's formula): per target the mean
// class-weighted cross-entropy of z_t and, with the prior, of the
// description model d_t = prior_t·V + c, plus the penalties.
func referenceCost(exs []example, x []float64, to *testObjective, l2, priorL2 float64) float64 {
	nT, k := to.nT, to.k
	cw := classWeights(labelCounts(exs, nT))
	lse := func(z [nValues]float64, c int) float64 { // log softmax(z)_c
		m := max(z[0], z[1], z[2])
		return z[c] - m - math.Log(math.Exp(z[0]-m)+math.Exp(z[1]-m)+math.Exp(z[2]-m))
	}
	var cost float64
	to.d.pool(to.pooled, x[:to.offB], k)
	for tg := range nT {
		var labelled float64
		for _, e := range exs {
			if e.labels[tg] >= 0 {
				labelled++
			}
		}
		for i, e := range exs {
			l := e.labels[tg]
			if l < 0 {
				continue
			}
			y := cw[tg][l] * e.weight / labelled
			var z [nValues]float64
			for c := range nValues {
				z[c] = to.pooled[i*k+tg*nValues+c] + x[to.offB+tg*nValues+c]
			}
			cost -= y * lse(z, int(l))
			if to.lay.prior {
				var d [nValues]float64
				for c := range nValues {
					d[c] = x[to.offC+c]
					for j := range nPrior {
						d[c] += float64(e.prior[tg*nPrior+j]) * x[to.offV+j*nValues+c]
					}
				}
				cost -= y * lse(d, int(l))
			}
		}
	}
	var ww float64
	pen := to.o.data(to.lay.pen)
	for j, v := range x[:to.offB] {
		ww += pen[j] * v * v
	}
	cost += l2 / 2 * ww
	if to.lay.prior {
		var pen float64
		for j, v := range priorMeans {
			pen += (x[to.offV+j] - float64(v)) * (x[to.offV+j] - float64(v))
		}
		for c, v := range priorBias {
			pen += (x[to.offC+c] - float64(v)) * (x[to.offC+c] - float64(v))
		}
		cost += priorL2 / 2 * pen
	}
	return cost
}

// The plain-Go forward pass Predict uses (weights.logits) gives the
// logits gorgonia's graph computes from the same weights: random
// weights on random rows, and a trained model's weights on the
// fixture's sentences.
func TestGoForwardMatchesGorgonia(t *testing.T) {
	check := func(t *testing.T, exs []example, w *weights) {
		t.Helper()
		to := newTestObjective(t, exs, w.FW, w.Targets, false, 1, 1, 0)
		to.eval(t, to.x(w))
		z := make([][nValues]float32, w.Targets)
		acc := make([]float32, w.width())
		plain := *w
		plain.Cue = nil // the graph's logits are the labelled targets' model
		for i, e := range exs {
			plain.logits(z, e.feats, nil, acc)
			for tg := range w.Targets {
				g := to.o.logitV[tg].Data().([]float64)
				for c := range nValues {
					if got := g[i*nValues+c]; math.Abs(got-float64(z[tg][c])) > 1e-5*max(1, math.Abs(got)) {
						t.Errorf("row %d (features %v) target %d value %d: gorgonia %.7f, Go %.7f", i, e.feats, tg, c, got, z[tg][c])
					}
				}
			}
		}
	}
	t.Run("random", func(t *testing.T) {
		rng := rand.New(rand.NewPCG(1, 2))
		exs, w := randomProblem(rng, 7, 12, 3, false)
		check(t, exs, w)
	})
	t.Run("trained", func(t *testing.T) {
		m, _ := trainFixture(t, fixtureConfig())
		rows := readFixture(t)
		for _, s := range fixtureTexts(t)[len(rows):] {
			rows = append(rows, rows[0])
			rows[len(rows)-1].Text = s
		}
		exs, err := m.examples(rows)
		if err != nil {
			t.Fatal(err)
		}
		// The design keeps the features with weight in these rows: all
		// that the model's FW weighs.
		check(t, exs, m.w)
	})
}

// The objective's gradient (gorgonia's, gathered and scattered to W's
// rows as fit does) equals central finite differences of its cost, and
// the cost equals the formula computed in plain Go.
func TestObjectiveGradient(t *testing.T) {
	for _, tc := range []struct {
		name     string
		prior    bool
		evidence float64
		seed     uint64
	}{
		{"sparse path", false, 0, 3},
		{"sparse path, evidence penalty", false, 1.5, 3},
		{"with description model", true, 0.7, 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(tc.seed, 5))
			exs, w := randomProblem(rng, 6, 9, 2, tc.prior)
			const l2, priorL2 = 0.3, 0.7
			to := newTestObjective(t, exs, w.FW, w.Targets, tc.prior, l2, priorL2, tc.evidence)
			x := to.x(w)
			f, grad := to.eval(t, x)
			if ref := referenceCost(exs, x, to, l2, priorL2); math.Abs(f-ref) > 1e-9*max(1, math.Abs(ref)) {
				t.Errorf("cost %.12f, plain Go %.12f", f, ref)
			}
			const eps = 1e-5
			for i := range x {
				orig := x[i]
				x[i] = orig + eps
				fp, _ := to.eval(t, x)
				x[i] = orig - eps
				fm, _ := to.eval(t, x)
				x[i] = orig
				num := (fp - fm) / (2 * eps)
				if math.Abs(num-grad[i]) > 1e-5*max(1, math.Abs(num)) {
					t.Errorf("x[%d] (dim %d, b at %d, V at %d): gradient %.9f, finite difference %.9f", i, to.dim, to.offB, to.offV, grad[i], num)
				}
			}
			// Two evaluations at the same point give the same gradient:
			// the tape machine's dual values do not accumulate across
			// runs (reset clears them).
			for range 2 {
				f2, g2 := to.eval(t, x)
				if f2 != f || !slices.Equal(g2, grad) {
					t.Fatalf("another evaluation at the same point: cost %v, gradient %v; first %v, %v", f2, g2, f, grad)
				}
			}
		})
	}
}

// fit stops at a minimum of the objective: the gradient at the weights
// it returns (rounded to float32) is close to zero (below 1e-3: fit stops
// once the cost changes by under 1e-6 of itself over 10 iterations), and
// the cost below that of nearby points.
func TestFitStationary(t *testing.T) {
	for _, prior := range []bool{false, true} {
		rng := rand.New(rand.NewPCG(7, 8))
		exs, _ := randomProblem(rng, 30, 15, 2, prior)
		cfg := fixtureConfig()
		cfg.Prior = prior
		cfg.L2, cfg.PriorL2 = 0.1, 0.5
		w, desc, fitted, err := fit(context.Background(), cfg, 15, 2, exs)
		if err != nil {
			t.Fatal(err)
		}
		if (desc != nil) != prior || w.Cue != nil {
			t.Fatalf("prior %v: description model %v, Cue %v", prior, desc, w.Cue)
		}
		if !slices.Equal(w.FW, idf(exs, 15)) {
			t.Errorf("prior %v: FW %v, want the IDF", prior, w.FW)
		}
		to := newTestObjective(t, exs, w.FW, 2, prior, cfg.L2, cfg.PriorL2, cfg.Evidence)
		x := to.x(&weights{Feats: w.Feats, Targets: w.Targets, W: w.W, B: w.B})
		if prior {
			for j, v := range desc.V {
				x[to.offV+j] = float64(v)
			}
			for c, v := range desc.C {
				x[to.offC+c] = float64(v)
			}
		}
		f, grad := to.eval(t, x)
		var norm float64
		for _, g := range grad {
			norm = max(norm, math.Abs(g))
		}
		t.Logf("prior %v: max gradient %.3g, cost %.6f (fit %.6f, %s)", prior, norm, f, fitted.Cost, fitted.Status)
		if norm > 1e-3 {
			t.Errorf("prior %v: largest gradient %.2g at fit's weights", prior, norm)
		}
		if math.Abs(f-fitted.Cost) > 1e-5 {
			t.Errorf("prior %v: cost %.8f at the weights, fit says %.8f", prior, f, fitted.Cost)
		}
		for f, fw := range w.FW {
			if fw == 0 && slices.ContainsFunc(w.W[f*w.width():(f+1)*w.width()], func(v float32) bool { return v != 0 }) {
				t.Errorf("prior %v: feature %d has no weight, yet W row %v", prior, f, w.W[f*w.width():(f+1)*w.width()])
			}
		}
	}
}

// evidencePenalty lowers the penalty of a feature over-represented in a
// value's rows by 1/(1+β·r), r the smoothed log ratio of its shares, and
// leaves every other weight at 1.
func TestEvidencePenalty(t *testing.T) {
	// One target. Feature 1 is in both favor rows and in one of the four
	// none rows; feature 2 in one none row only; feature 3 in every row.
	ex := func(l int8, feats ...int32) example {
		return example{feats: feats, labels: []int8{l}, weight: 1}
	}
	exs := []example{
		ex(0, 1, 3), ex(0, 1, 3),
		ex(2, 1, 3), ex(2, 2, 3), ex(2, 3), ex(2, 3),
		ex(-1, 1, 2), // unlabelled: counts for no value
	}
	fw := []float32{0, 1, 1, 1}
	d := newDesign(exs, fw)
	col := map[int32]int{}
	for c, f := range d.ids {
		col[f] = c
	}
	// r for feature 1, favor: shares (2+1)/(2+2) against (1+1)/(4+2).
	r1fav := math.Log((3.0 / 4) / (2.0 / 6))
	// r for feature 2, none: (1+1)/(4+2) against (0+1)/(2+2).
	r2none := math.Log((2.0 / 6) / (1.0 / 4))
	// Feature 3, in every row, leans slightly to the larger value after
	// smoothing: none (4+1)/(4+2) against favor (2+1)/(2+2).
	r3none := math.Log((5.0 / 6) / (3.0 / 4))
	for _, tc := range []struct {
		beta float64
		want map[[2]int]float64 // (feature, value) → multiplier; others 1
	}{
		{0, nil},
		{1, map[[2]int]float64{{1, 0}: 1 / (1 + r1fav), {2, 2}: 1 / (1 + r2none), {3, 2}: 1 / (1 + r3none)}},
		{2.5, map[[2]int]float64{{1, 0}: 1 / (1 + 2.5*r1fav), {2, 2}: 1 / (1 + 2.5*r2none), {3, 2}: 1 / (1 + 2.5*r3none)}},
	} {
		pen := make([]float64, len(d.ids)*nValues)
		evidencePenalty(pen, d, exs, labelCounts(exs, 1), tc.beta)
		for f := int32(1); f <= 3; f++ {
			for v := range nValues {
				want, ok := tc.want[[2]int{int(f), v}]
				if !ok {
					want = 1
				}
				if got := pen[col[f]*nValues+v]; math.Abs(got-want) > 1e-12 {
					t.Errorf("beta %v: feature %d value %d: multiplier %.6f, want %.6f", tc.beta, f, v, got, want)
				}
			}
		}
	}
}
