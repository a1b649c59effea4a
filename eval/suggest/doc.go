// Package suggest chooses the sentences whose labels would teach a model
// most: uncertainty sampling with near-duplicate filtering and a spread
// across documents and years. It is the library behind `stance suggest`
// and the active-learning simulation (bench/active).
//
// The pieces, in the order data flows through them:
//
//   - batch.Inputs (package pipeline/batch, shared with `stance
//     classify`) turns files (sentence CSVs or documents of any ingest
//     format) into a stream of batch units;
//   - Collect classifies the stream in batches with any Predictor (a
//     *models.Model in the CLI, a fake in tests) and offers each sentence
//     to a Selector;
//   - the Selector keeps the Options.Pool most uncertain candidates
//     (memory is bounded by the pool, not the corpus) and Select filters
//     them into at most N picks;
//   - WriteTodoFile writes the picks in the gold label format with empty
//     target cells, a suggested_reason and the model's guesses, so that a
//     filled-in file merges back with labels.Merge.
//
// It works on predictions only (labels.Prediction) and never sees the
// model, so the same selection serves any classifier.
package suggest
