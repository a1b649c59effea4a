// Package eval scores stance predictions against gold labels and writes
// reports an analyst can trust: tidy CSV files and one self-contained HTML
// page.
//
// eval is data-only. It works on labels.Taxonomy, []labels.Gold and
// []labels.Prediction; models come in through the small interfaces
// labels.Classifier, Explainer and TrainFunc, so eval never imports
// models/ or gorgonia. The scores themselves (labels.Confusion, F_avg)
// are labels' own, which models' training-time metrics use too.
//
// # Metrics
//
// Per target, from the 3×3 confusion matrix (labels.Confusion: gold ×
// predicted, values in taxonomy order favor, against, none):
//
//   - precision, recall and F1 of favor and of against, with
//     F1 = 2·TP / (2·TP + FP + FN), which equals 2PR/(P+R) wherever both
//     are defined; it is 0 when a value has gold support but is never
//     predicted, and undefined (NaN) when the value has no gold support
//     (see "Undefined metrics" below);
//   - F_avg = (F1_favor + F1_against) / 2, the SemEval-2016 Task 6 stance
//     metric;
//   - detection F1: any stance (favor or against) against none, so a
//     sentence with gold favor predicted against counts as detected;
//   - accuracy over the three values.
//
// Across targets: mean_f_avg, the mean of the targets' F_avg (the
// headline, macro-averaged); micro_f1, the F1 of favor and against pooled
// over every target (TP, FP and FN summed over both values and all
// targets); micro_f_avg, the SemEval-2016 official score (favor F1 and
// against F1 each pooled over targets, then averaged).
//
// Undefined metrics. A metric whose denominator is zero is NaN in memory
// and an empty cell in CSV files ("n/a" in the HTML page and on stdout),
// never 0: precision with no predictions of the value, recall with no gold
// of it, F1 with no gold example of it (predictions of a value the gold
// never holds show as precision 0). F_avg is the mean of the F1 values that
// are defined: a target with no gold against has F_avg = F1_favor, the
// SemEval rule; with neither value defined it is undefined. mean_f_avg averages the targets whose F_avg is defined.
// Rows whose gold label for a target is empty ("not labelled yet") are
// left out of that target's metrics and counted as unlabelled.
//
// # Confidence intervals
//
// Every metric except support and the per-fold rows gets a 95% percentile
// bootstrap interval:
// sentences (rows) are resampled with replacement, Options.Resamples times,
// from a PCG source seeded with Options.Seed, and each metric is recomputed
// on each resample. Resamples where a metric is undefined are left out of
// its interval. Every system is resampled with the same indices, so the
// difference between the model and a baseline has a paired interval too.
// The intervals are deterministic for a seed.
//
// # Calibration
//
// For each target, the confidence of a prediction is the probability the
// model gave to the value it decided (Prediction.Probs[t][v] for the
// decided v, which need not be the most probable: the decision scales
// the probabilities first), and it is correct when that value is the
// gold one. Confidences fall into Options.Bins equal-width bins over
// [0, 1] (1.0 goes in the last bin); the expected calibration error is
// ECE = Σ_b (n_b / N) · |acc_b − conf_b|.
// Target "ALL" pools every target's (sentence, target) pairs. Systems
// without probabilities (the baselines) have no calibration.
//
// # Baselines
//
// Two baselines are scored on the same rows, beside the model:
//
//   - majority: per target, the most frequent gold value of the rows it is
//     fitted on (ties to the taxonomy order favor, against, none). In
//     `stance eval` it is fitted on the evaluated rows themselves, which
//     flatters it slightly; in cross-validation on each training fold.
//   - keywords: rules from each target's Description (see KeywordRules).
//
// # Comparison with an earlier evaluation
//
// Report.Compare joins a new evaluation's metrics with an older
// metrics.csv (ReadMetrics) on (system, fold, target, value, metric). A
// change is flagged "worse" when the new estimate lies below the old
// interval's ci_low and "better" when above its ci_high; for ece, where
// lower is better, the two are swapped. A change inside the old interval
// is not flagged: resampling the old data alone moves the estimate that
// much. Metrics only in one of the two are flagged "new" or "gone".
// An old interval that cannot judge (no width, as a recall of 1 on a
// handful of sentences has [1, 1], or resting on fewer than MinJudgeRows
// sentences or gold examples of the value) flags nothing: the change is
// marked Thin and counted apart.
//
// The headline averages the targets whose F_avg is defined, so two
// evaluations can average different targets (one left a target's cells
// empty). Compare therefore also compares each system's mean F_avg over
// the targets defined in both (Report.Headlines), names the targets left
// out, and, when a target is defined on one side only, flags none of the
// system's metrics over all targets (target ALL). Report.CompareGold
// checks the earlier evaluation was made on the same gold rows and
// labels, from the fingerprint.csv it wrote, and warns when it was not or
// cannot tell.
//
// # Files
//
// Report.Files lists these files; stance eval writes them all or none
// (each to a temporary file, synced, then all renamed into place once
// every one is written):
//
//   - metrics.csv: system,fold,target,value,metric,estimate,ci_low,ci_high,n
//     — one row per estimate; target ALL for the across-target metrics;
//     fold "1".."K" for cross-validation's per-fold mean_f_avg and
//     micro_f1 rows, empty otherwise; value favor/against/none for
//     per-value metrics, empty otherwise; n the sentences the estimate is
//     computed on. Undefined values and missing intervals are empty cells.
//   - confusion.csv: system,target,gold,predicted,count.
//   - calibration.csv: system,target,bin,lower,upper,n,confidence,accuracy.
//   - errors.csv: fold,id,doc_id,target,gold,predicted,confidence,p_favor,
//     p_against,p_none,top_tokens,top_words,text — every misclassified
//     (sentence, target) pair of the evaluated system; top_tokens as the
//     explainer names its features, top_words the sentence's words that
//     pushed toward the predicted value (ExplainWords).
//   - comparison.csv (after Compare): system,fold,target,value,metric,old,
//     new,change,old_ci_low,old_ci_high,new_ci_low,new_ci_high,old_n,
//     new_n,flag.
//   - fingerprint.csv: rows,ids_sha256,data_sha256,labels — one row
//     identifying the evaluated gold rows (see Fingerprint), for later
//     comparisons.
//   - report.html: one self-contained page (inline CSS and SVG, no
//     script, nothing fetched).
package eval
