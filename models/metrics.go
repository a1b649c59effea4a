package models

import (
	"github.com/stance-project/stance/labels"
)

// TargetMetrics are one target's scores on held-out data, those of its
// labels.Confusion (one rule for undefined scores across the project:
// NaN, never an invented 0). Arrays are indexed by value: 0 favor,
// 1 against, 2 none.
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
func (m TargetMetrics) MacroF() float64 { return labels.MeanDefined(m.F1[:]...) }

// score computes TargetMetrics for gold and predicted value indexes;
// rows whose gold is negative (unlabelled) are skipped.
func score(name string, gold, pred []int8) TargetMetrics {
	var c labels.Confusion
	for i, g := range gold {
		if g >= 0 {
			c[g][pred[i]]++
		}
	}
	m := TargetMetrics{Target: name, N: c.Total(), FAvg: c.FAvg()}
	for v := range nValues {
		m.Support[v], m.Predicted[v] = c.Support(v), c.Predicted(v)
		m.Precision[v], m.Recall[v], m.F1[v] = c.Precision(v), c.Recall(v), c.F1(v)
	}
	return m
}

// MeanFAvg is the mean of the targets' FAvg, ignoring NaNs (the
// project's headline score, labels.MeanFAvg).
func MeanFAvg(ms []TargetMetrics) float64 {
	xs := make([]float64, len(ms))
	for i, m := range ms {
		xs[i] = m.FAvg
	}
	return labels.MeanDefined(xs...)
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
