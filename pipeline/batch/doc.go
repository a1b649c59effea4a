// Package batch classifies a stream of documents on every core while
// keeping the output in input order.
//
// Documents are read one at a time by the caller's iterator, grouped into
// chunks of roughly ChunkSentences sentences, and handed to the project's
// ordered worker pool (pipeline/ordered), whose workers split (with
// pipeline.Sentences unless Options.Split says otherwise) and predict. A
// single goroutine hands finished chunks to the caller's emit function in
// the order they were read. At most a few chunks per worker are in
// flight, so memory stays flat however large the corpus is.
//
// The package knows nothing of the model: any labels.Classifier will do,
// which keeps it testable without gorgonia and keeps the data flow
// pipeline → models → eval one way.
//
// Classify writes every prediction through a RowWriter: CSVWriter (the
// prediction CSV, whose columns labels.PredictionColumns defines) or
// JSONLWriter (the same as JSON lines).
package batch
