package models

import (
	"errors"
	"fmt"
)

// Config holds every setting of training. The model file keeps all of
// it; inference reads the feature settings (Buckets, CharMin, CharMax)
// and Prior, so classify needs no flags.
type Config struct {
	// Buckets is the number of hash buckets for character n-grams, after
	// the subword vocabulary; 0 disables them.
	Buckets int
	// CharMin and CharMax, when CharMax > 0, add the hashed character
	// n-grams of CharMin to CharMax runes of each lower-cased word, with
	// boundary marks (fastText's subword features, scikit-learn's
	// char_wb), to the buckets.
	CharMin, CharMax int
	// L2 is the penalty λ on the sparse weights: the objective adds
	// λ/2·‖W‖² to the mean class-weighted cross-entropy of each target.
	L2 float64
	// Evidence β lowers the L2 penalty of a weight whose feature marks
	// its value: the weight of feature f for value v of target t is
	// penalised L2·1/(1+β·r), r > 0 being the Naive Bayes log-count
	// ratio of the target's rows labelled v that have f to its other
	// rows that have f (see evidencePenalty); 0 is plain L2.
	Evidence float64
	// Prior adds the description model: logits from the counts of each
	// target's description words in the sentence (see priorFeatures),
	// with weights every target shares, fitted on the labelled targets.
	// It predicts the targets without labels; a target with labels is
	// the sparse regression's alone (adding the description to it cost
	// mean F_avg in cross-validation: BENCHMARKS.md).
	Prior bool
	// PriorL2 is the penalty holding the description model's weights to
	// the prior means (priorMeans, priorBias): the larger, the more the
	// description's own reading wins over what the labelled targets
	// taught.
	PriorL2 float64
	// DomainWeight weighs the training rows whose source is not the most
	// frequent one (in the project's labels: news among UN speeches);
	// 1 weighs every row alike.
	DomainWeight float64
	// CalibFolds is the number of document-grouped folds of
	// cross-fitting: one fold model per fold predicts it, and the
	// out-of-fold predictions calibrate the final model. Costs
	// CalibFolds+1 fits.
	CalibFolds int
	// MaxIterations bounds each L-BFGS fit; the fits on the project's
	// labels converge well before it.
	MaxIterations int
	// Seed chooses the calibration folds. Training is otherwise
	// deterministic: the same data and Config give bit-identical weights
	// on one machine.
	Seed uint64
	// VocabSize and MinFrequency configure the subword tokenizer trained
	// when TrainOptions.Tokenizer is nil.
	VocabSize    int
	MinFrequency int
}

// DefaultConfig returns the settings chosen by grouped 5-fold
// cross-validation on the project's gold labels (BENCHMARKS.md).
func DefaultConfig() Config {
	return Config{
		Buckets:       1 << 16,
		CharMin:       3,
		CharMax:       5,
		L2:            0.01,
		Evidence:      1,
		Prior:         true,
		PriorL2:       0.1,
		DomainWeight:  1,
		CalibFolds:    5,
		MaxIterations: 500,
		Seed:          1,
		VocabSize:     8000,
		MinFrequency:  2,
	}
}

// validateInference checks the settings inference reads, those of a
// model file (whose other settings may predate today's fields).
func (c Config) validateInference() error {
	switch {
	case c.Buckets < 0 || c.Buckets > 1<<24:
		return fmt.Errorf("buckets %d: must be in [0, 2^24]", c.Buckets)
	case c.CharMax < 0 || (c.CharMax > 0 && (c.CharMin < 1 || c.CharMin > c.CharMax || c.CharMax > 10)):
		return fmt.Errorf("character n-grams %d-%d: want 1 <= min <= max <= 10", c.CharMin, c.CharMax)
	}
	return nil
}

// Validate reports every out-of-range setting at once, or nil.
func (c Config) Validate() error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if c.Buckets < 0 || c.Buckets > 1<<24 {
		bad("buckets %d: must be in [0, 2^24]", c.Buckets)
	}
	if c.Buckets == 0 && c.CharMax > 0 {
		bad("character n-grams need buckets > 0")
	}
	if c.CharMax > 0 && (c.CharMin < 1 || c.CharMin > c.CharMax || c.CharMax > 10) {
		bad("character n-grams %d-%d: want 1 <= min <= max <= 10", c.CharMin, c.CharMax)
	}
	if !(c.L2 > 0 && c.L2 < 1e6) {
		bad("l2 %v: must be in (0, 1e6)", c.L2)
	}
	if !(c.Evidence >= 0 && c.Evidence <= 100) {
		bad("evidence %v: must be in [0, 100]", c.Evidence)
	}
	if !(c.PriorL2 > 0 && c.PriorL2 < 1e6) {
		bad("prior l2 %v: must be in (0, 1e6)", c.PriorL2)
	}
	if !(c.DomainWeight > 0 && c.DomainWeight <= 100) {
		bad("domain weight %v: must be in (0, 100]", c.DomainWeight)
	}
	if c.CalibFolds < 2 || c.CalibFolds > 20 {
		bad("calibration folds %d: must be in [2, 20]", c.CalibFolds)
	}
	if c.MaxIterations < 1 || c.MaxIterations > 100000 {
		bad("max iterations %d: must be in [1, 100000]", c.MaxIterations)
	}
	if c.VocabSize < 1 || c.VocabSize > 1<<20 {
		bad("vocabulary size %d: must be in [1, 2^20]", c.VocabSize)
	}
	if c.MinFrequency < 1 {
		bad("min frequency %d: must be at least 1", c.MinFrequency)
	}
	if errs != nil {
		return fmt.Errorf("config: %w", errors.Join(errs...))
	}
	return nil
}
