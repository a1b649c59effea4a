package models

import (
	"math"

	"github.com/stance-project/stance/labels"
)

// calibrate sets, from the dev rows and the training class weights, each
// head's temperature and logit shifts (fitCalibration: the probabilities
// softmax((z − s)/T) of lowest dev NLL whose mean matches each value's dev
// frequency), the favor/against scales of the decision rule, then the
// dev metrics and error rates of that rule.
//
// trained[t][v] says whether value v of target t had training examples.
func (m *Model) calibrate(held []example, heldLogits [][][nValues]float32, cw [][nValues]float64, trained [][nValues]bool) {
	nT := len(m.tax.Targets)
	m.shift = make([][nValues]float64, nT)
	m.temp = make([]float64, nT)
	m.scale = make([][2]float64, nT)
	m.errRates = make([][]labels.ErrorRate, nT)
	m.dev = make([]TargetMetrics, nT)
	logits := make([][][nValues]float32, nT)
	gold := make([][]int8, nT)
	for i, e := range held {
		for t := range nT {
			if e.labels[t] < 0 {
				continue
			}
			logits[t] = append(logits[t], heldLogits[t][i])
			gold[t] = append(gold[t], e.labels[t])
		}
	}
	for t := range nT {
		var prior [nValues]float64
		for c := range nValues {
			prior[c] = math.Log(cw[t][c])
		}
		m.temp[t], m.shift[t] = fitCalibration(logits[t], gold[t], prior)
		ps := make([][nValues]float64, len(logits[t]))
		for i, z := range logits[t] {
			ps[i] = softmax(z, m.shift[t], m.temp[t])
		}
		for v := range 2 {
			// p_c = softmax((z − s)/T)_c, so p_c·exp((s_c − s_none)/T)
			// ranks values as the raw logits z_c do: the weighted
			// model's own argmax, whatever the calibration.
			// The exponent is clamped so that the scale stays a
			// finite, non-zero number (a temperature of 0.005 makes a
			// gap of 3.6 logits overflow); beyond e^±300 no
			// probability of a value would change the decision.
			m.scale[t][v] = math.Exp(max(-300, min(300, (m.shift[t][v]-m.shift[t][2])/m.temp[t])))
			// A value without examples is never predicted, unless its
			// target has no label at all and the description model
			// predicts it (Train then sets its scales).
			unlabelled := trained[t] == [nValues]bool{}
			if !hasValue(gold[t], v) && !trained[t][v] && (!unlabelled || m.w.Cue == nil) {
				m.scale[t][v] = 0
			}
		}
		pred := make([]int8, len(ps))
		for i, p := range ps {
			pred[i] = int8(m.decide(t, p))
		}
		m.dev[t] = score(m.tax.Targets[t].Name, gold[t], pred)
		m.errRates[t] = errorRates(gold[t], pred)
	}
}

func hasValue(gold []int8, v int) bool {
	for _, g := range gold {
		if int(g) == v {
			return true
		}
	}
	return false
}

// temperatureGrid is the log-spaced grid fitCalibration searches. It
// reaches far below 1: a strongly regularised regression (the wide path)
// ranks sentences well with logits that differ by a few hundredths, and
// only a low temperature turns those differences into probabilities.
func temperatureGrid() []float64 {
	const n = 49
	lo, hi := math.Log(0.005), math.Log(10)
	g := make([]float64, n)
	for i := range g {
		g[i] = math.Exp(lo + (hi-lo)*float64(i)/float64(n-1))
	}
	return g
}

// fitCalibration returns the temperature T and shifts s of the
// probabilities softmax((z − s)/T) with the lowest mean negative
// log-likelihood of gold over a grid of T (vector scaling with one
// temperature). For each T the shifts are fitted so that the mean
// probability of each value matches its held-out frequency (the
// maximum-likelihood intercepts; a value absent from gold gets half a
// count), so sharpening the logits does not distort the base rates. With
// no held-out data it returns 1 and prior (the log class weights: a model
// trained with class weights w_c learns p·w_c, so shifting by log w_c
// restores the data's base rates).
func fitCalibration(logits [][nValues]float32, gold []int8, prior [nValues]float64) (float64, [nValues]float64) {
	if len(logits) == 0 {
		return 1, prior
	}
	var want [nValues]float64 // target mean probabilities
	for _, g := range gold {
		want[g]++
	}
	n := float64(len(gold))
	for c := range want {
		want[c] = max(want[c], 0.5) / (n + 0.5*nValues)
	}
	var mean [nValues]float64 // mean logit per value
	for _, z := range logits {
		for c := range z {
			mean[c] += float64(z[c]) / float64(len(logits))
		}
	}
	bestT, bestS, bestNLL := 1.0, prior, math.Inf(1)
	for _, T := range temperatureGrid() {
		// Start each temperature afresh, from the shifts that would give
		// want if every sentence had the mean logits: a start from the
		// class weights, or from a warmer temperature's fit, saturates
		// the probabilities at a low one, where no step can leave it.
		var s [nValues]float64
		for c := range s {
			s[c] = mean[c] - T*math.Log(want[c])
		}
		s = fitShifts(logits, want, s, T)
		var nll float64
		for i, z := range logits {
			nll -= math.Log(max(softmax(z, s, T)[gold[i]], 1e-300))
		}
		if nll < bestNLL {
			bestT, bestS, bestNLL = T, s, nll
		}
	}
	return bestT, bestS
}

// fitShifts adjusts s until the mean of softmax((z − s)/T) over logits
// is want: the maximum-likelihood intercepts b = −s/T, by Newton's method
// on b_favor and b_against (adding a constant to every b changes
// nothing, so b_none stays), from s. Steps are capped at 2 (a factor e²
// on a value's odds); where the probabilities saturate and the Jacobian
// is singular, each value takes its own capped step.
func fitShifts(logits [][nValues]float32, want [nValues]float64, s [nValues]float64, T float64) [nValues]float64 {
	for range 200 {
		var mean [nValues]float64
		var h [2][2]float64 // Jacobian of mean[0:2] in b[0:2]
		for _, z := range logits {
			p := softmax(z, s, T)
			for c := range p {
				mean[c] += p[c]
			}
			// p_c(1 − p_c) as p_c times the others' sum: no cancellation
			// when p_c rounds to 1.
			h[0][0] += p[0] * (p[1] + p[2])
			h[1][1] += p[1] * (p[0] + p[2])
			h[0][1] -= p[0] * p[1]
		}
		h[1][0] = h[0][1]
		n := float64(len(logits))
		var g [2]float64
		worst := 0.0
		for c := range 2 {
			g[c] = mean[c]/n - want[c]
			worst = max(worst, math.Abs(g[c])/want[c])
			for d := range 2 {
				h[c][d] /= n
			}
		}
		if worst < 1e-6 {
			break
		}
		var db [2]float64
		if det := h[0][0]*h[1][1] - h[0][1]*h[1][0]; det > 1e-12*max(h[0][0]*h[1][1], 1e-300) {
			// Δb = −H⁻¹g
			db[0] = -(h[1][1]*g[0] - h[0][1]*g[1]) / det
			db[1] = -(h[0][0]*g[1] - h[1][0]*g[0]) / det
		} else {
			for c := range 2 {
				db[c] = -g[c] / max(h[c][c], 1e-300)
			}
		}
		for c := range 2 {
			if math.IsNaN(db[c]) {
				db[c] = 0
			}
			s[c] -= T * max(-2, min(2, db[c]))
		}
	}
	return s
}

// errorRates measures, for each value, TPR = P(pred v | gold v) and
// FPR = P(pred v | gold not v) over rows with a gold label.
func errorRates(gold, pred []int8) []labels.ErrorRate {
	out := make([]labels.ErrorRate, nValues)
	for v := range nValues {
		var tp, fp, pos, neg int
		for i, g := range gold {
			if g < 0 {
				continue
			}
			if int(g) == v {
				pos++
				if int(pred[i]) == v {
					tp++
				}
			} else {
				neg++
				if int(pred[i]) == v {
					fp++
				}
			}
		}
		out[v] = labels.ErrorRate{TPR: labels.Ratio(tp, pos), FPR: labels.Ratio(fp, neg), Positives: pos, Negatives: neg}
	}
	return out
}
