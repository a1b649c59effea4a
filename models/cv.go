package models

import (
	"context"
	"fmt"

	"github.com/stance-project/stance/labels"
)

// CVResult is the outcome of CrossValidate.
type CVResult struct {
	// Pooled scores every row's out-of-fold prediction together.
	Pooled []TargetMetrics
	// Argmax scores the same out-of-fold predictions with the plain
	// argmax of the class-weighted logits instead of the tuned thresholds,
	// to show what the decision rule adds.
	Argmax []TargetMetrics
	// Folds holds each fold's own metrics.
	Folds [][]TargetMetrics
	// Predictions are the out-of-fold predictions, aligned with the rows.
	Predictions []labels.Prediction
	// Summaries are the fold models' training summaries.
	Summaries []*Summary
}

// CrossValidate trains k models, each on the rows outside one fold of
// labels.GroupFolds(rows, k, seed) (so no document is on both sides),
// and scores each on its fold. opts applies to every fold; with a nil
// Tokenizer each fold trains its own on its training rows only.
func CrossValidate(ctx context.Context, cfg Config, tax labels.Taxonomy, rows []labels.Gold, k int, seed uint64, opts TrainOptions) (*CVResult, error) {
	if k < 2 {
		return nil, fmt.Errorf("cross-validate: need at least 2 folds, got %d", k)
	}
	folds := labels.GroupFolds(rows, k, seed)
	res := &CVResult{Predictions: make([]labels.Prediction, len(rows))}
	argmax := make([]labels.Prediction, len(rows))
	for f := range k {
		var train []labels.Gold
		var test []int
		for i, fi := range folds {
			if fi == f {
				test = append(test, i)
			} else {
				train = append(train, rows[i])
			}
		}
		if len(test) == 0 {
			continue
		}
		m, sum, err := Train(ctx, cfg, tax, train, opts)
		if err != nil {
			return nil, fmt.Errorf("cross-validate: fold %d: %w", f+1, err)
		}
		res.Summaries = append(res.Summaries, sum)
		texts := make([]string, len(test))
		for j, i := range test {
			texts[j] = rows[i].Text
		}
		preds, err := m.Predict(texts)
		if err != nil {
			return nil, err
		}
		for j, i := range test {
			argmax[i] = m.argmaxPrediction(texts[j])
		}
		sub := make([]labels.Gold, len(test))
		for j, i := range test {
			preds[j].ID = rows[i].ID
			res.Predictions[i] = preds[j]
			sub[j] = rows[i]
		}
		res.Folds = append(res.Folds, Score(tax, sub, preds))
	}
	res.Pooled = Score(tax, rows, res.Predictions)
	res.Argmax = Score(tax, rows, argmax)
	return res, nil
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

// argmaxPrediction labels text by the argmax of the raw class-weighted
// logits (no calibration, no thresholds).
func (m *Model) argmaxPrediction(text string) labels.Prediction {
	sc := m.getScratch()
	defer m.pool.Put(sc)
	f := m.featurize(sc, text)
	m.w.bag(sc.bag, f)
	h := m.w.hidden(sc.hidden, sc.bag)
	p := labels.Prediction{Values: make([]string, len(m.tax.Targets))}
	var z [nValues]float32
	for t := range m.tax.Targets {
		m.w.logits(&z, t, h)
		best := 0
		for c := 1; c < nValues; c++ {
			if z[c] > z[best] {
				best = c
			}
		}
		p.Values[t] = m.tax.Targets[t].Values[best]
	}
	return p
}
