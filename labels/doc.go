// Package labels owns the project's vocabulary: what a stance target is
// (Taxonomy), what a gold label file says (Gold), what a model's
// prediction looks like (Prediction) and the columns of the prediction
// CSV that holds them (PredictionColumns, ProbColumn), what predicts and
// explains (Classifier, Contribution), how predictions are scored
// (Confusion: F1 and the SemEval F_avg, MeanFAvg), when two sentences are
// the same text (TextKey), and what a problem in an input file is
// (ParseError and its sentinel errors, which every reader of the project
// wraps). It imports nothing of the project; every other package speaks
// its types. It reads files but writes only to
// an io.Writer (WriteGold): the commands write their outputs atomically
// with pipeline/atomicfile.
package labels
