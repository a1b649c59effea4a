package models

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stance-project/stance/labels"
)

// calibrationCase draws n held-out rows whose favor logit carries a weak
// but real signal, as a strongly regularised, class-weighted regression
// gives: z_favor − z_none = spread·x + log w, where x is the row's
// evidence and favor's true probability is 1/(1 + e^(3 − 2x)).
func calibrationCase(n int, spread, w float64) ([][nValues]float32, []int8) {
	rng := rand.New(rand.NewPCG(1, 2))
	logits := make([][nValues]float32, n)
	gold := make([]int8, n)
	for i := range logits {
		x := rng.NormFloat64()
		logits[i] = [nValues]float32{float32(spread*x + math.Log(w)), float32(-2 + math.Log(w)), 0}
		gold[i] = 2
		if rng.Float64() < 1/(1+math.Exp(3-2*x)) {
			gold[i] = 0
		}
	}
	return logits, gold
}

func meanNLL(logits [][nValues]float32, gold []int8, s [nValues]float64, T float64) float64 {
	var nll float64
	for i, z := range logits {
		nll -= math.Log(softmax(z, s, T)[gold[i]])
	}
	return nll / float64(len(logits))
}

// fitCalibration sharpens logits whose differences are small but
// informative without moving the base rates, and does better than the
// class-weight shift with a temperature alone.
func TestFitCalibration(t *testing.T) {
	const w = 30.0 // favor's class weight
	prior := [nValues]float64{math.Log(w), math.Log(w), 0}
	for _, tc := range []struct {
		name   string
		spread float64 // how far apart the logits are
		maxT   float64
	}{
		{"regularised", 0.02, 0.05}, // needs T ≈ 0.01
		{"ordinary", 2, 2},          // already on the right scale
	} {
		t.Run(tc.name, func(t *testing.T) {
			logits, gold := calibrationCase(4000, tc.spread, w)
			T, s := fitCalibration(logits, gold, prior)
			if T > tc.maxT {
				t.Errorf("temperature %.4f, want at most %.4f", T, tc.maxT)
			}
			var mean [nValues]float64
			var freq [nValues]float64
			for i, z := range logits {
				p := softmax(z, s, T)
				for c := range p {
					mean[c] += p[c] / float64(len(logits))
				}
				freq[gold[i]] += 1 / float64(len(logits))
			}
			if math.Abs(mean[0]-freq[0]) > 1e-3 || math.Abs(mean[2]-freq[2]) > 1e-3 {
				t.Errorf("mean probabilities %v, gold frequencies %v", mean, freq)
			}
			// The old calibration: the class-weight shift, best temperature.
			old := math.Inf(1)
			for _, T := range temperatureGrid() {
				old = min(old, meanNLL(logits, gold, prior, T))
			}
			if got := meanNLL(logits, gold, s, T); got > old+1e-9 {
				t.Errorf("NLL %.4f, above the shift-only calibration's %.4f", got, old)
			}
		})
	}
}

// The fit does not depend on the class weights it starts from: logits
// hundredths apart, without the log-weight offset the class-weighted
// training would add, and a prior far from the truth. Starting from the
// prior saturated the probabilities at low temperatures, left the shifts
// unfitted there and chose T ≈ 0.04.
func TestFitCalibrationSaturating(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	logits := make([][nValues]float32, 4000)
	gold := make([]int8, len(logits))
	for i := range logits {
		x := rng.NormFloat64()
		logits[i] = [nValues]float32{float32(0.01 * x), -1, 0}
		gold[i] = 2
		if rng.Float64() < 1/(1+math.Exp(-1.3-2*x)) {
			gold[i] = 0
		}
	}
	for _, prior := range [][nValues]float64{{0, 0, 0}, {math.Log(1.5), math.Log(60), math.Log(0.4)}} {
		T, s := fitCalibration(logits, gold, prior)
		if T > 0.01 {
			t.Errorf("prior %v: temperature %.4f, want at most 0.01 (the evidence is 200 times the logit spread)", prior, T)
		}
		var mean, freq float64
		for i, z := range logits {
			mean += softmax(z, s, T)[0] / float64(len(logits))
			if gold[i] == 0 {
				freq += 1 / float64(len(logits))
			}
		}
		if math.Abs(mean-freq) > 1e-3 {
			t.Errorf("prior %v: mean p(favor) %.4f, frequency %.4f", prior, mean, freq)
		}
	}
}

// Whatever the calibration, the argmax rule's scales decide as the raw
// logits do: the class-weighted model's own argmax.
func TestCalibrateKeepsArgmax(t *testing.T) {
	logits, gold := calibrationCase(2000, 0.02, 30)
	tax := labels.Default()
	tax.Targets = tax.Targets[:1]
	m := &Model{cfg: DefaultConfig(), tax: tax}
	held := make([]example, len(gold))
	heldLogits := [][][nValues]float32{logits}
	for i := range held {
		held[i].labels = []int8{gold[i]}
	}
	m.calibrate(held, heldLogits, [][nValues]float64{{30, 30, 1}}, [][nValues]bool{{true, true, true}})
	for i, z := range logits {
		raw := 2
		for v := range 2 {
			if z[v] > z[raw] {
				raw = v
			}
		}
		if got := m.decide(0, softmax(z, m.shift[0], m.temp[0])); got != raw {
			t.Fatalf("row %d: decided %d, raw argmax %d (logits %v)", i, got, raw, z)
		}
	}
}
