package models

import (
	"errors"
	"fmt"
)

// Config holds every hyperparameter of training. The subset inference
// needs (Dim, Hidden, Buckets, Unigrams, Bigrams) is saved in the model
// file with the rest, so classify needs no flags.
type Config struct {
	// Dim is the width of the token embeddings and of the bag vector.
	// When TrainOptions.Embeddings is given, its dimension wins.
	Dim int
	// Hidden is the width of an optional ReLU layer between the bag and
	// the heads; 0 means the heads read the bag directly.
	Hidden int
	// Buckets is the number of hash buckets for word unigrams and bigrams,
	// appended after the subword vocabulary; 0 disables both.
	Buckets int
	// Unigrams and Bigrams choose which hashed word n-grams are features
	// (fastText's -wordNgrams, with lower-cased words split at
	// non-letters and non-digits).
	Unigrams, Bigrams bool
	// CharMin and CharMax, when CharMax > 0, add the hashed character
	// n-grams of CharMin to CharMax runes of each lower-cased word, with
	// boundary marks (fastText's subword features), to the buckets.
	// Models saved before the fields existed read 0: none.
	CharMin, CharMax int
	// IDF weighs each feature in the bag by its inverse document frequency
	// in the training split, log((1+N)/(1+df))+1; features never seen in
	// training weigh 0 (their embedding rows are untrained noise).
	IDF bool
	// L2Pool divides the bag's weighted sum by the weights' Euclidean norm
	// (TF-IDF's normalisation) instead of their sum (fastText's average).
	L2Pool bool
	// Epochs is the maximum number of passes over the training split.
	Epochs int
	// BatchSize is the mini-batch size (the graph's fixed first dimension;
	// the last batch is padded with rows of weight zero).
	BatchSize int
	// LR is Adam's learning rate, for the graph's weights and the
	// embedding table alike.
	LR float64
	// EmbSGD updates the embedding table with plain SGD (fastText's
	// choice: a feature moves in proportion to how often it occurs) instead
	// of Adam (which moves a word seen once as far as a frequent one).
	EmbSGD bool
	// EmbLR is the embedding table's learning rate; 0 means LR.
	EmbLR float64
	// L2 is the L2 penalty on the hidden and head weights (not biases).
	L2 float64
	// TokenDropout is the probability of dropping each feature occurrence
	// from a training sentence's bag (never at inference).
	TokenDropout float64
	// DevFrac is the share of documents (grouped by doc_id) held out as
	// the dev split for early stopping, calibration, thresholds and error
	// rates. It must be in (0, 0.5].
	DevFrac float64
	// CalibFolds > 1 replaces the single dev split by cross-fitting: one
	// model per document-grouped fold, early-stopped on its fold, predicts
	// that fold; the final model trains on every row for the median best
	// epoch, and calibration, thresholds and error rates use the pooled
	// out-of-fold predictions (every row held out once). Costs
	// CalibFolds+1 trainings. 0 or 1 means the DevFrac split.
	CalibFolds int
	// Ensemble (with CalibFolds > 1) makes the final model the average of
	// the fold models and the all-rows model, stored as one model of
	// CalibFolds+1 times the width (Dim and Hidden multiply; the config
	// saved in the model says so). Calibration still uses the fold models'
	// out-of-fold logits, so its temperatures are slightly conservative
	// for the averaged logits.
	Ensemble bool
	// Wide adds a wide (linear) path beside the embedding bag ("wide &
	// deep"): per feature, one weight per target and value, pooled like
	// the bag (IDF, L2 norm) and added to the logits. Before the deep
	// part trains, it is fitted to convergence as each target's
	// class-weighted multinomial logistic regression with L2 penalty
	// WideL2 (L-BFGS; TF-IDF + logistic regression over the bag's
	// features); the deep part then trains on top of its fixed logits.
	// The trained model stores it merged into the embedding table and the
	// heads (Targets·3 more columns, and twice as many hidden units with a
	// hidden layer), so inference and the file format are unchanged; the
	// saved Dim and Hidden include them. Models saved before the field
	// existed read it as false, their behaviour then.
	Wide bool
	// WideL2 is the wide path's L2 penalty λ: the regression minimises
	// the mean class-weighted cross-entropy plus λ/2·‖W‖² (intercepts
	// unpenalised). With this package's class weights, λ = 2.9/(C·n) is
	// roughly scikit-learn's C with class_weight="balanced" on n rows.
	WideL2 float64
	// DeepScale (Wide only) shrinks the deep part against the wide path
	// in the trained model: its logits are wide + DeepScale·deep. 0 means
	// 1.
	DeepScale float64
	// Decision is the per-target decision rule fitted on held-out
	// predictions: DecisionThreshold (favor/against probability thresholds
	// maximising a smoothed F1) or DecisionArgmax (argmax of the calibrated
	// probabilities scaled by the class weights, which reproduces the
	// class-weighted model's own argmax).
	Decision string
	// MaxClassWeight caps the class weights of the cross-entropy. Weights
	// are balanced (rare values weigh more) and scaled so that none weighs
	// 1; the cap keeps a value with a dozen examples from dominating.
	MaxClassWeight float64
	// Patience is the number of epochs without a better dev mean F_avg
	// after which training stops; the best epoch's weights are kept.
	Patience int
	// Seed makes training reproducible: the same data, config and seed
	// give bit-identical weights on one machine.
	Seed uint64
	// VocabSize and MinFrequency configure the subword tokenizer trained
	// when TrainOptions.Tokenizer is nil.
	VocabSize    int
	MinFrequency int
}

// Decision rules (Config.Decision).
const (
	DecisionThreshold = "threshold"
	DecisionArgmax    = "argmax"
)

// DefaultConfig returns the settings chosen by grouped 5-fold
// cross-validation on the project's gold labels (see doc.go).
func DefaultConfig() Config {
	return Config{
		Dim:            32,
		Hidden:         0,
		Buckets:        1 << 16,
		Unigrams:       true,
		Bigrams:        false,
		IDF:            true,
		L2Pool:         true,
		Epochs:         30,
		BatchSize:      32,
		LR:             0.003,
		EmbSGD:         true,
		EmbLR:          6,
		L2:             0,
		TokenDropout:   0.1,
		DevFrac:        0.2,
		Decision:       DecisionArgmax,
		Wide:           true,  // bench folds (labels split -folds 5), 3 training seeds: 0.392 → 0.431 mean F_avg (0.397 → 0.424 on folds of seed 2016)
		WideL2:         0.5,   // with character n-grams, same folds, 2 seeds: 0.2 → 0.430 (DeepScale 0.05), 0.5 → 0.447 (DeepScale 0.001)
		DeepScale:      0.001, // with character n-grams, same folds: 0.001 → 0.447 ± 0.001 (2 seeds), 0.01 → 0.434 (1), 0.05 → 0.429 ± 0.003 (2); see doc.go
		CharMin:        3,
		CharMax:        5,     // word unigrams + subwords 0.420 ± 0.019 (5 seeds, DeepScale 0.05) → with 3–5-grams 0.430 ± 0.002 (2 seeds, same settings)
		Ensemble:       false, // with DeepScale 0.001 the fold members only widen the model (classify cost) for no measurable gain
		CalibFolds:     5,
		MaxClassWeight: 60, // by 5-fold grouped CV on train.csv, 2 seeds: pretrained 30 → 0.382, 60 → 0.415, 100 → 0.406, 200 → 0.397; scratch 60 → 0.387, 100 → 0.373
		Patience:       4,
		Seed:           1,
		VocabSize:      8000,
		MinFrequency:   2,
	}
}

// Validate reports every out-of-range setting at once, or nil.
func (c Config) Validate() error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if c.Dim < 1 || c.Dim > 4096 {
		bad("dim %d: must be in [1, 4096]", c.Dim)
	}
	if c.Hidden < 0 || c.Hidden > 4096 {
		bad("hidden %d: must be in [0, 4096]", c.Hidden)
	}
	if c.Buckets < 0 || c.Buckets > 1<<24 {
		bad("buckets %d: must be in [0, 2^24]", c.Buckets)
	}
	if c.Buckets == 0 && (c.Unigrams || c.Bigrams || c.CharMax > 0) {
		bad("word unigrams/bigrams and character n-grams need buckets > 0")
	}
	if c.CharMax > 0 && (c.CharMin < 1 || c.CharMin > c.CharMax || c.CharMax > 10) {
		bad("character n-grams %d-%d: want 1 <= min <= max <= 10", c.CharMin, c.CharMax)
	}
	if c.Epochs < 1 {
		bad("epochs %d: must be at least 1", c.Epochs)
	}
	if c.BatchSize < 1 {
		bad("batch size %d: must be at least 1", c.BatchSize)
	}
	if !(c.LR > 0) {
		bad("learning rate %v: must be positive", c.LR)
	}
	if !(c.EmbLR >= 0) {
		bad("embedding learning rate %v: must not be negative", c.EmbLR)
	}
	if !(c.L2 >= 0) {
		bad("l2 %v: must not be negative", c.L2)
	}
	if !(c.TokenDropout >= 0 && c.TokenDropout < 1) {
		bad("token dropout %v: must be in [0, 1)", c.TokenDropout)
	}
	if !(c.DevFrac > 0 && c.DevFrac <= 0.5) {
		bad("dev fraction %v: must be in (0, 0.5]", c.DevFrac)
	}
	if c.CalibFolds < 0 || c.CalibFolds > 20 {
		bad("calibration folds %d: must be in [0, 20]", c.CalibFolds)
	}
	if !(c.DeepScale >= 0 && c.DeepScale <= 10) {
		bad("deep scale %v: must be in [0, 10]", c.DeepScale)
	}
	if c.Wide && !(c.WideL2 > 0 && c.WideL2 < 1e6) {
		bad("wide l2 %v: must be in (0, 1e6)", c.WideL2)
	}
	if c.Decision != DecisionThreshold && c.Decision != DecisionArgmax {
		bad("decision rule %q: must be %q or %q", c.Decision, DecisionThreshold, DecisionArgmax)
	}
	if !(c.MaxClassWeight >= 1) {
		bad("max class weight %v: must be at least 1", c.MaxClassWeight)
	}
	if c.Patience < 1 {
		bad("patience %d: must be at least 1", c.Patience)
	}
	if errs != nil {
		return fmt.Errorf("config: %w", errors.Join(errs...))
	}
	return nil
}
