// Package models is the stance classifier: one model, defined and
// trained in gorgonia (gorgonia.org/gorgonia), fitted on gold labels
// (labels.Gold) and applied to sentences (labels.Prediction).
//
// # Model
//
// A sentence becomes features (features.go): its subword token ids
// (pipeline/subword) and, in Config.Buckets hash buckets after them, the
// character 3–5-grams of each lower-cased word with boundary marks (a
// model read from a format version 1–3 file has hashed word unigrams,
// and maybe bigrams, too, and keeps them when retrained), and, in a
// model trained with word clusters (TrainOptions.Clusters, from `stance
// pretrain`: word embeddings learnt on the unlabelled corpus, clustered
// at several granularities), each known word's cluster at every level,
// one feature id per cluster after the buckets: a word the labels never
// saw borrows the weights its cluster learnt from the words they did.
// Each feature is weighed by its inverse document frequency in the
// training rows (0 for a feature never seen there) and the weights are
// divided by their Euclidean norm: TF-IDF.
// Target t's logits are
//
//	z_t = Σ_f x_f · W_f,t + b_t
//
// a multinomial logistic regression per target over favor, against and
// none (weights.go). A target with no label at all is predicted instead
// by the description model (prior.go): logits prior_t·V + c from the
// counts of the target's description words (labels.DescriptionCues:
// topic, favor and against stems) in the sentence, with V and c shared
// by every target and learnt from the labelled ones.
//
// # Training
//
// One objective (graph.go): per target the mean class-weighted
// cross-entropy of z_t (balanced weights n_none/n_v, so that a value
// with a dozen examples counts as much as none) plus that of the
// description model, plus Config.L2/2 · Σ P·W² and Config.PriorL2/2 times
// the description weights' distance to their prior means. P is 1 except
// where a feature marks a value: the weight of feature f for value v is
// penalised 1/(1+Config.Evidence·r), r > 0 the Naive Bayes log-count
// ratio of f among the rows labelled v against the target's other rows
// (NBSVM's scaling, as a penalty), so that a value with a dozen examples
// can lean on the words that set them apart. A float64 gorgonia graph
// computes the cost and every gradient; Go gathers the few hundred rows
// of W a sentence uses into the graph's input and scatters their
// gradient back (a dense rows × features matrix would be almost all
// zeros). gonum's L-BFGS minimises it from zero until the gradient falls
// below 1e-6 or the cost stops improving (relative change under 1e-6 over
// 10 iterations); the fold fits and the final one run side by side, one
// per core. The objective is convex, so the fit does not depend on a
// start or on random numbers.
//
// Train cross-fits: one model per document-grouped fold
// (Config.CalibFolds, folds from Config.Seed) predicts its fold, so every
// row gets an out-of-fold prediction; the final model is fitted on every
// row. The out-of-fold predictions calibrate the final model: per target
// a temperature and per-value shifts of lowest negative log-likelihood
// whose mean probabilities match the values' frequencies (so
// Prediction.Probs estimate frequencies); the decision rule, the argmax
// of those probabilities scaled back by the shifts (the class-weighted
// model's own argmax; DecisionScales); the held-out metrics (DevMetrics,
// scored by labels.Confusion, the rule eval reports with) and the TPR
// and FPR of every value (ErrorRates, for adjusted classify-and-count).
// A value without examples in a labelled target is never predicted. A target without labels takes the favor and against
// scales that give the description model its best F1 on the labelled
// targets' rows.
//
// # What Train and Predict promise
//
//   - Train returns a model or an error, never panics (gorgonia panics are
//     recovered); it honours ctx between evaluations of the objective;
//     the same rows and Config give bit-identical models on one machine.
//   - A row's empty label cell masks that target's loss for the row.
//   - Predict, PredictOne and PredictTo run a plain-Go forward pass over
//     the same weights (tested equal to gorgonia's to 1e-5); they are
//     safe for concurrent use and PredictTo allocates nothing (for up to
//     8 targets).
//   - Explain attributes a decision exactly to the sentence's words.
//
// # Files
//
// Write produces one versioned file (file.go: magic, version,
// config, taxonomy, tokenizer, word clusters, weights, calibration,
// metrics, label ledger, CRC-32); a model without word clusters is
// written as version 4, and a file of version 4 or older has none.
// Load/Read refuse an unknown magic, a newer version, truncated or
// corrupt files and non-finite numbers with ErrFormat.
// Versions 1 and 2 (an embedding table pooled into heads) are read by
// converting them to this model exactly (W = Emb·Wo); a file of versions
// 1 to 3 whose decision rule was "threshold" (per-value probability
// thresholds, a rule version 4 removed) is refused with ErrFormat, to be
// retrained. testdata/ holds a golden file per version. Opening files to write is the caller's
// (stance train writes the model atomically with pipeline/atomicfile).
//
// How the settings were chosen, and every measurement, is in
// BENCHMARKS.md.
package models
