package eval

import (
	"context"
	"errors"
	"fmt"

	"github.com/stance-project/stance/labels"
)

// System names of the evaluated model and the baselines.
const (
	SystemModel    = "model"
	SystemMajority = "majority"
	SystemKeywords = "keywords"
)

// EvaluateClassifier predicts rows with c and evaluates the predictions
// beside the majority baseline (fitted on rows themselves, see the package
// documentation) and the keyword baseline of tax. If c is an Explainer,
// errors carry the tokens that pushed each wrong prediction.
func EvaluateClassifier(ctx context.Context, tax labels.Taxonomy, rows []labels.Gold, c labels.Classifier, opts Options) (*Report, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	preds, err := predictRows(c, rows)
	if err != nil {
		return nil, fmt.Errorf("eval: model: %w", err)
	}
	model := System{Name: SystemModel, Preds: preds}
	if ex, ok := c.(Explainer); ok {
		model.Explain = func(row, target, k int) []labels.Contribution { return ex.Explain(rows[row].Text, target, k) }
	}
	maj, _ := predictRows(FitMajority(tax, rows), rows)
	kw, _ := predictRows(NewKeywordRules(tax), rows)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return evaluate(ctx, tax, rows, []System{model, {Name: SystemMajority, Preds: maj}, {Name: SystemKeywords, Preds: kw}}, nil, 0, opts)
}

// CVResult is the outcome of a cross-validation.
type CVResult struct {
	// Folds[i] is the fold (0..K-1) that held out rows[i].
	Folds []int
	// Predictions[i] is the out-of-fold prediction for rows[i], made by
	// the classifier trained without rows[i]'s fold.
	Predictions []labels.Prediction
	// Report scores the pooled out-of-fold predictions beside the
	// majority baseline (fitted on each training fold) and the keyword
	// baseline, with per-fold mean F_avg and micro F1 rows.
	Report *Report
}

// ErrTooManyFolds is wrapped by CrossValidate's error when the rows hold
// fewer documents than folds.
var ErrTooManyFolds = errors.New("more folds than documents")

// CrossValidate runs k-fold cross-validation: rows are split into k folds
// grouped by DocID (labels.GroupFolds with seed), and for each fold train
// is called on the other folds' rows and the trained classifier predicts
// the held-out fold. Metrics are computed over the pooled out-of-fold
// predictions; the bootstrap uses opts.Seed. With fewer documents than
// folds (some fold would be empty) it returns an error wrapping
// ErrTooManyFolds before training anything. Rows with no label for any target
// are still predicted and passed to train, which decides what to do with
// them. Errors carry explanations when the fold's classifier is an
// Explainer. CrossValidate stops with ctx's error when it is cancelled.
func CrossValidate(ctx context.Context, tax labels.Taxonomy, rows []labels.Gold, k int, seed uint64, train TrainFunc, opts Options) (*CVResult, error) {
	if k < 2 {
		return nil, fmt.Errorf("eval: cross-validation needs at least 2 folds, got %d", k)
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("eval: cross-validation needs rows")
	}
	folds := labels.GroupFolds(rows, k, seed)
	used := make([]bool, k)
	docs := 0 // GroupFolds fills every fold when it can: one document each at least
	for _, f := range folds {
		if !used[f] {
			used[f] = true
			docs++
		}
	}
	if docs < k {
		return nil, fmt.Errorf("%w: %d folds, but the rows hold only %d documents (folds are grouped by document)", ErrTooManyFolds, k, docs)
	}
	preds := make([]labels.Prediction, len(rows))
	maj := make([]labels.Prediction, len(rows))
	explainers := make([]Explainer, k)
	for f := range k {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		var trainRows, testRows []labels.Gold
		var testIdx []int
		for i, r := range rows {
			if folds[i] == f {
				testRows = append(testRows, r)
				testIdx = append(testIdx, i)
			} else {
				trainRows = append(trainRows, r)
			}
		}
		if len(testRows) == 0 {
			continue
		}
		c, err := train(ctx, trainRows)
		if err != nil {
			return nil, fmt.Errorf("eval: fold %d of %d: train: %w", f+1, k, err)
		}
		p, err := predictRows(c, testRows)
		if err != nil {
			return nil, fmt.Errorf("eval: fold %d of %d: predict: %w", f+1, k, err)
		}
		mp, _ := predictRows(FitMajority(tax, trainRows), testRows)
		for j, i := range testIdx {
			preds[i] = p[j]
			maj[i] = mp[j]
		}
		if ex, ok := c.(Explainer); ok {
			explainers[f] = ex
		}
	}
	kw, _ := predictRows(NewKeywordRules(tax), rows)
	model := System{Name: SystemModel, Preds: preds, Explain: func(row, target, n int) []labels.Contribution {
		if ex := explainers[folds[row]]; ex != nil {
			return ex.Explain(rows[row].Text, target, n)
		}
		return nil
	}}
	rep, err := evaluate(ctx, tax, rows, []System{model, {Name: SystemMajority, Preds: maj}, {Name: SystemKeywords, Preds: kw}}, folds, k, opts)
	if err != nil {
		return nil, err
	}
	return &CVResult{Folds: folds, Predictions: preds, Report: rep}, nil
}
