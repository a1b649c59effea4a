package eval

import (
	"context"
	"fmt"
	"slices"

	"github.com/stance-project/stance/labels"
)

// Explainer is implemented by classifiers that can say which tokens of a
// text pushed its prediction for a target (an index into the taxonomy's
// targets) the most; it returns at most k contributions, strongest first,
// or every contribution when k ≤ 0. eval checks for it with a type
// assertion, and asks for every contribution to sum them by word
// (ExplainWords).
type Explainer interface {
	Explain(text string, target, k int) []labels.Contribution
}

// TrainFunc trains a classifier on gold rows; cross-validation calls it
// once per fold with that fold's training rows.
type TrainFunc func(ctx context.Context, train []labels.Gold) (labels.Classifier, error)

// Majority is the majority-class baseline: for each target, the most
// frequent gold value of the rows it was fitted on.
type Majority struct {
	Values []string // per target
}

// FitMajority returns the majority baseline of rows: per target the most
// frequent non-empty gold value, ties broken by taxonomy order (favor,
// against, none); none when a target has no labelled row.
func FitMajority(tax labels.Taxonomy, rows []labels.Gold) *Majority {
	m := &Majority{Values: make([]string, len(tax.Targets))}
	for t, tg := range tax.Targets {
		counts := make([]int, len(tg.Values))
		for _, r := range rows {
			if t < len(r.Labels) {
				if j := tax.ValueIndex(t, r.Labels[t]); j >= 0 {
					counts[j]++
				}
			}
		}
		best := len(tg.Values) - 1 // none
		for j, c := range counts {
			if c > counts[best] || (c == counts[best] && c > 0 && j < best) {
				best = j
			}
		}
		m.Values[t] = tg.Values[best]
	}
	return m
}

// Predict returns the majority values for every text, without
// probabilities.
func (m *Majority) Predict(texts []string) ([]labels.Prediction, error) {
	out := make([]labels.Prediction, len(texts))
	for i := range out {
		out[i].Values = slices.Clone(m.Values)
	}
	return out, nil
}

// MajorityTrainer returns a TrainFunc fitting FitMajority.
func MajorityTrainer(tax labels.Taxonomy) TrainFunc {
	return func(_ context.Context, train []labels.Gold) (labels.Classifier, error) {
		return FitMajority(tax, train), nil
	}
}

// KeywordRules is the keyword baseline built from the targets'
// descriptions (labels.DescriptionCues). A sentence gets a stance for a
// target when it mentions the target (any topic stem, or any cue stem if
// the description has no topic part) and its favor cues outnumber its
// against cues (favor) or the reverse (against); otherwise none.
type KeywordRules struct {
	labels.DescriptionCues
}

// NewKeywordRules builds the keyword baseline of tax (see KeywordRules).
func NewKeywordRules(tax labels.Taxonomy) *KeywordRules {
	return &KeywordRules{*labels.NewDescriptionCues(tax)}
}

// Predict applies the rules to every text; predictions have no
// probabilities.
func (k *KeywordRules) Predict(texts []string) ([]labels.Prediction, error) {
	out := make([]labels.Prediction, len(texts))
	for i, text := range texts {
		out[i].Values = k.classify(text)
	}
	return out, nil
}

func (k *KeywordRules) classify(text string) []string {
	vals := make([]string, len(k.Topic))
	for t, c := range k.Cues(text) {
		mentioned := c.Topic > 0 || (len(k.Topic[t]) == 0 && c.Favor+c.Against > 0)
		switch {
		case mentioned && c.Favor > c.Against:
			vals[t] = labels.Favor
		case mentioned && c.Against > c.Favor:
			vals[t] = labels.Against
		default:
			vals[t] = labels.None
		}
	}
	return vals
}

// texts returns the rows' texts.
func texts(rows []labels.Gold) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = r.Text
	}
	return out
}

// predictRows runs c on rows' texts, checks the count and sets each
// prediction's ID to its row's.
func predictRows(c labels.Classifier, rows []labels.Gold) ([]labels.Prediction, error) {
	preds, err := c.Predict(texts(rows))
	if err != nil {
		return nil, err
	}
	if len(preds) != len(rows) {
		return nil, fmt.Errorf("classifier returned %d predictions for %d sentences", len(preds), len(rows))
	}
	for i := range preds {
		if preds[i].ID == "" {
			preds[i].ID = rows[i].ID
		}
	}
	return preds, nil
}
