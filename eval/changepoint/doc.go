// Package changepoint finds the points where the mean of a series changes
// level.
//
// Detect segments a series by minimising the penalised Gaussian cost
//
//	sum over segments of  sum_i w_i (y_i - mean_w(segment))^2 / variance
//	+ penalty × (number of changes)
//
// exactly, with the PELT algorithm (Killick, Fearnhead and Eckley 2012,
// "Optimal detection of changepoints with a linear computational cost").
// Weights let a point stand for many observations: in a stance report a
// period's prevalence is weighted by its number of documents, so a period
// with one document cannot move a level as much as a period with a hundred.
//
// The default penalty is BIC (2·ln n for a change of mean: one new mean
// and one location per change, as in R's changepoint package; the factor
// 2 can be raised with Options.LogFactor), and the
// default variance is estimated from the series itself, robustly, from
// the median absolute first difference, so a few real level shifts do not
// inflate it.
package changepoint
