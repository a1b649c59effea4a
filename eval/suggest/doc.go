// Package suggest chooses the sentences whose labels would teach a model
// most: uncertainty sampling with near-duplicate filtering and a spread
// across documents and years.
//
// It works on predictions only (labels.Prediction) and never sees the
// model, so the same selection serves any classifier.
package suggest
