package models

import (
	"math"

	"github.com/stance-project/stance/labels"
)

// calibrate sets, from the dev rows and the training class weights, each
// head's logit shift (log class weight: cross-entropy weighted by w_c
// learns p·w_c, so subtracting log w_c restores the data's base rates),
// temperature (minimising dev NLL over a log grid), favor/against
// thresholds (maximising a smoothed dev F1), then the dev metrics and
// error rates of the final rule.
//
// trained[t][v] says whether value v of target t had training examples.
func (m *Model) calibrate(held []example, heldLogits [][][nValues]float32, cw [][nValues]float64, trained [][nValues]bool) {
	nT := len(m.tax.Targets)
	m.shift = make([][nValues]float64, nT)
	m.temp = make([]float64, nT)
	m.thresh = make([][2]float64, nT)
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
		for c := range nValues {
			m.shift[t][c] = math.Log(cw[t][c])
		}
		m.temp[t] = fitTemperature(logits[t], gold[t], m.shift[t])
		ps := make([][nValues]float64, len(logits[t]))
		for i, z := range logits[t] {
			ps[i] = softmax(z, m.shift[t], m.temp[t])
		}
		for v := range 2 {
			if m.cfg.Decision == DecisionArgmax {
				// p_c·w_c^(1/T) ranks values as the raw logits z_c do.
				m.thresh[t][v] = math.Pow(cw[t][v]/cw[t][2], 1/m.temp[t])
				if !hasValue(gold[t], v) && !trained[t][v] {
					m.thresh[t][v] = 0
				}
				continue
			}
			m.thresh[t][v] = tuneThreshold(ps, gold[t], v)
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

// temperatureGrid is the log-spaced grid fitTemperature searches.
func temperatureGrid() []float64 {
	const n = 61
	lo, hi := math.Log(0.2), math.Log(10)
	g := make([]float64, n)
	for i := range g {
		g[i] = math.Exp(lo + (hi-lo)*float64(i)/float64(n-1))
	}
	return g
}

// fitTemperature returns the grid temperature with the lowest mean
// negative log-likelihood of gold; 1 when there is no dev data.
func fitTemperature(logits [][nValues]float32, gold []int8, shift [nValues]float64) float64 {
	if len(logits) == 0 {
		return 1
	}
	best, bestNLL := 1.0, math.Inf(1)
	for _, T := range temperatureGrid() {
		var nll float64
		for i, z := range logits {
			p := softmax(z, shift, T)
			nll -= math.Log(max(p[gold[i]], 1e-300))
		}
		if nll < bestNLL {
			best, bestNLL = T, nll
		}
	}
	return best
}

// never is the threshold of a value the model should not predict: no
// probability reaches it.
const never = 2

// minUsefulF1 is the smoothed held-out F1 below which a value is never
// predicted: a value the model cannot find costs F1 ≈ 0 either way, but
// predicting it steals sentences from the other values.
const minUsefulF1 = 0.1

// tuneThreshold chooses value v's probability threshold on held-out
// predictions: the grid point maximising the one-vs-rest F1 of
// "p_v ≥ t" averaged over a window of ±2 grid points (a small held-out set
// makes the raw curve jagged). With no held-out example of v it returns
// never; with fewer than minSupport, fallbackThreshold; when even the
// best smoothed F1 is below minUsefulF1, never.
func tuneThreshold(ps [][nValues]float64, gold []int8, v int) float64 {
	support := 0
	for _, g := range gold {
		if int(g) == v {
			support++
		}
	}
	switch {
	case support == 0:
		return never
	case support < minSupport:
		return fallbackThreshold
	}
	const step, n = 0.02, 45 // thresholds 0.02 .. 0.90
	f := make([]float64, n)
	for k := range n {
		t := step * float64(k+1)
		tp, predicted := 0, 0
		for i, p := range ps {
			if p[v] >= t {
				predicted++
				if int(gold[i]) == v {
					tp++
				}
			}
		}
		f[k] = 2 * float64(tp) / float64(support+predicted)
	}
	best, bestF := fallbackThreshold, -1.0
	for k := range n {
		var s float64
		c := 0
		for j := max(0, k-2); j <= min(n-1, k+2); j++ {
			s += f[j]
			c++
		}
		if s /= float64(c); s > bestF {
			best, bestF = step*float64(k+1), s
		}
	}
	if bestF < minUsefulF1 {
		return never
	}
	return best
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
		out[v] = labels.ErrorRate{TPR: ratio(tp, pos), FPR: ratio(fp, neg), Positives: pos, Negatives: neg}
	}
	return out
}
