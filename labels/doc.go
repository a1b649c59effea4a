// Package labels owns the project's vocabulary: what a stance target is
// (Taxonomy), what a gold label file says (Gold), and what a model's
// prediction looks like (Prediction). It imports nothing of the project;
// every other package speaks its types. It reads files but writes only to
// an io.Writer (WriteGold): the commands write their outputs atomically
// with pipeline/atomicfile.
package labels
