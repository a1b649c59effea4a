// Package trends turns sentence-level stance predictions into reports of
// stance over time: per period, group and target, how many documents and
// sentences, how many were predicted favor and against, the net stance,
// and the prevalence of favor and against estimated three ways, each
// with a bootstrap interval.
//
// Input is the prediction CSV of `stance classify`: a sentence id column,
// metadata columns, text, and for each target T a column T with the
// decided value (favor, against, none) and columns p_T_favor, p_T_against,
// p_T_none with the probabilities; id, doc_id and date are required.
// Targets are found from the header. An Accumulator streams any number of
// such files (the shards of one run, each sentence in one of them) and
// keeps per-document sums and the set of sentence ids, so that a sentence
// read twice is an error; Build computes a Report; WriteCSV, WriteChanges
// and WriteChart write it (atomicfile.WriteFiles writes several outputs all
// or none).
//
// Estimators of the prevalence of value v among a cell's sentences:
//
//   - CC, classify and count: the share of sentences predicted v.
//   - PCC, probabilistic classify and count: the mean probability of v.
//   - ACC, adjusted classify and count: (CC − FPR)/(TPR − FPR) clipped to
//     [0,1], with the model's held-out error rates for v (Config.Rates);
//     undefined (NaN, an empty cell) without usable rates. A clipped ACC
//     is marked (ValueStats.ACCClipped): it says only that the predicted
//     share is outside the error rates, so a series with a clipped ACC
//     anywhere is measured by PCC (ValueStats.Estimator) and a note says
//     where.
//
// Intervals are percentile bootstrap intervals from resampling the
// documents of a cell with replacement: sentences of one document are
// not independent, so the document is the unit. A cell with fewer
// documents than Config.IntervalMinDocs (4 at 95%) has no interval rather
// than one whose ends are single documents. A change of level in a
// series is reported two ways: Shift, a local flag when consecutive
// periods' intervals exclude each other's estimates, and Changes, from a
// penalised segmentation of the whole series (package
// eval/changepoint).
//
// Dates keep their precision (YYYY, YYYY-MM, YYYY-MM-DD). A document
// dated more coarsely than the asked period is counted in the period of
// its own precision, marked coarse, and not spread over finer periods;
// coarse rows are left out of shift and change detection and of the
// chart, whose series are in time order.
//
// The chart (WriteChart) has one panel per target; with grouping, one
// column of panels per group, for the groups asked for
// (ChartOptions.Groups) or the few with the most documents, rather than
// one crowded panel with a line per group, or a pooled series the CSV
// does not have: each panel then reads like the ungrouped chart, and the
// columns share the time axis for comparison. Its header says in words
// what CC, PCC and ACC are; lines break at periods without documents.
package trends
