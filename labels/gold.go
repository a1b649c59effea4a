package labels

import "slices"

// Gold is one row of a gold label file: a sentence and its labels.
//
// Labels is aligned with the taxonomy's Targets. An empty string means "not
// labelled yet", which is distinct from None. Extra holds every column
// that is neither a standard column nor a target, so that a file survives
// a read/write round trip; ExtraNames (on the file) keeps their order.
type Gold struct {
	ID     string
	DocID  string
	Date   string
	Source string
	Text   string
	Labels []string
	Extra  map[string]string
	Line   int // 1-based line where the row starts in its file; 0 if unknown
}

// Labelled reports whether g has a label for some target: a row whose
// every target cell is empty labels nothing.
func (g Gold) Labelled() bool {
	return slices.ContainsFunc(g.Labels, func(v string) bool { return v != "" })
}

// Prediction is a model's output for one sentence.
//
// Values and Probs are aligned with the taxonomy's Targets; Probs[i] is
// aligned with Targets[i].Values (favor, against, none) and sums to 1.
// Values[i] is the decided value, which need not be the argmax: models
// scale the probabilities per target and value before deciding.
type Prediction struct {
	ID     string
	Values []string
	Probs  [][]float64
}

// ErrorRate describes how a classifier's decisions for one target value
// behave on held-out data: TPR = P(predicted v | gold v) and FPR =
// P(predicted v | gold not v). Reports use them to correct prevalence
// estimates (adjusted classify-and-count). Positives and Negatives are the
// gold counts the rates were measured on; a rate with no support is NaN.
type ErrorRate struct {
	TPR, FPR             float64
	Positives, Negatives int
}
