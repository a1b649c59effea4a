package models

import (
	"math"

	"github.com/stance-project/stance/labels"
)

// TargetMetrics are one target's scores on held-out data. Arrays are
// indexed by value: 0 favor, 1 against, 2 none. A score that is undefined
// is NaN, never an invented 0: precision without predictions, recall and
// F1 without gold examples (the rule of eval.Confusion).
type TargetMetrics struct {
	Target    string
	N         int          // rows with a gold label for this target
	Support   [nValues]int // gold count per value
	Predicted [nValues]int // predicted count per value
	Precision [nValues]float64
	Recall    [nValues]float64
	F1        [nValues]float64
	// FAvg is the SemEval-2016 stance score (F1_favor + F1_against)/2.
	// When the gold data has only one of favor and against, FAvg is the F1
	// of that one; with neither it is NaN.
	FAvg float64
}

// MacroF is the mean F1 over the three values, ignoring NaNs.
func (m TargetMetrics) MacroF() float64 { return nanMean(m.F1[:]) }

// score computes TargetMetrics for gold and predicted value indexes;
// rows whose gold is negative (unlabelled) are skipped.
func score(name string, gold, pred []int8) TargetMetrics {
	m := TargetMetrics{Target: name}
	var tp [nValues]int
	for i, g := range gold {
		if g < 0 {
			continue
		}
		m.N++
		m.Support[g]++
		m.Predicted[pred[i]]++
		if pred[i] == g {
			tp[g]++
		}
	}
	for v := range nValues {
		m.Precision[v] = ratio(tp[v], m.Predicted[v])
		m.Recall[v] = ratio(tp[v], m.Support[v])
		if m.Support[v] == 0 {
			m.F1[v] = math.NaN() // undefined without a gold example, as in eval
		} else {
			m.F1[v] = 2 * float64(tp[v]) / float64(m.Support[v]+m.Predicted[v])
		}
	}
	switch {
	case m.Support[0] > 0 && m.Support[1] > 0:
		m.FAvg = (m.F1[0] + m.F1[1]) / 2
	case m.Support[0] > 0:
		m.FAvg = m.F1[0]
	case m.Support[1] > 0:
		m.FAvg = m.F1[1]
	default:
		m.FAvg = math.NaN()
	}
	return m
}

func ratio(a, b int) float64 {
	if b == 0 {
		return math.NaN()
	}
	return float64(a) / float64(b)
}

// nanMean is the mean of the non-NaN values of xs, NaN if there are none.
func nanMean(xs []float64) float64 {
	var s float64
	n := 0
	for _, x := range xs {
		if !math.IsNaN(x) {
			s += x
			n++
		}
	}
	if n == 0 {
		return math.NaN()
	}
	return s / float64(n)
}

// MeanFAvg is the mean of the targets' FAvg, ignoring NaNs (the
// project's headline score).
func MeanFAvg(ms []TargetMetrics) float64 {
	xs := make([]float64, len(ms))
	for i, m := range ms {
		xs[i] = m.FAvg
	}
	return nanMean(xs)
}

// Score compares predictions with gold rows (aligned by position) per
// target; gold cells left empty are skipped, as is any row without a
// prediction (nil Values).
func Score(tax labels.Taxonomy, gold []labels.Gold, preds []labels.Prediction) []TargetMetrics {
	nT := len(tax.Targets)
	out := make([]TargetMetrics, nT)
	for t := range nT {
		g := make([]int8, 0, len(gold))
		p := make([]int8, 0, len(gold))
		for i, r := range gold {
			if i >= len(preds) || len(preds[i].Values) != nT || r.Labels[t] == "" {
				continue
			}
			gv, pv := tax.ValueIndex(t, r.Labels[t]), tax.ValueIndex(t, preds[i].Values[t])
			if gv < 0 || pv < 0 {
				continue
			}
			g = append(g, int8(gv))
			p = append(p, int8(pv))
		}
		out[t] = score(tax.Targets[t].Name, g, p)
	}
	return out
}
