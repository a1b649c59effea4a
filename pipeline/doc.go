// Package pipeline turns raw articles and speeches into clean, dated
// sentences.
//
// ReadDocuments streams documents from files and folders (.txt, .jsonl or
// .ndjson, .csv, each optionally gzipped), one at a time, yielding a
// *SkipError for every input it cannot use; in folders, hidden files and
// files of other extensions are ignored. Sentences cleans a document of web boilerplate (Clean),
// splits it (SplitSentences) and numbers the sentences with stable ids.
// Ingest ties these together into the sentences CSV of `stance ingest`,
// cleaning and splitting on every core with pipeline/ordered's pool,
// writing it to an io.Writer (stance ingest gives it a pipeline/atomicfile
// temporary file, renamed only when complete). The subword
// tokenizer is in pipeline/subword.
package pipeline
