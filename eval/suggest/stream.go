package suggest

import (
	"bufio"
	"context"
	"encoding/csv"
	"io"
	"iter"
	"os"
	"path/filepath"
	"strings"

	"github.com/stance-project/stance/labels"
	"github.com/stance-project/stance/pipeline"
	"github.com/stance-project/stance/pipeline/batch"
)

// Predictor labels sentences: one prediction per text, in order, with
// Probs aligned with the taxonomy. It must be safe for concurrent use
// when Collect runs more than one worker. *models.Model satisfies it.
type Predictor interface {
	Predict(texts []string) ([]labels.Prediction, error)
}

// maxUnitSentences bounds how many consecutive sentences of one document
// SentenceUnits puts in one unit, so a huge document cannot make a huge
// unit.
const maxUnitSentences = 256

// SentenceUnits groups a stream of already split sentences into batch
// units: consecutive sentences of the same document (at most 256) form
// one unit. Errors of in are passed through unchanged, in order, after
// the sentences read before them.
func SentenceUnits(in iter.Seq2[pipeline.Sentence, error]) iter.Seq2[batch.Unit, error] {
	return func(yield func(batch.Unit, error) bool) {
		var cur []pipeline.Sentence
		flush := func() bool {
			if len(cur) == 0 {
				return true
			}
			u := batch.Unit{Sentences: cur}
			cur = nil
			return yield(u, nil)
		}
		for s, err := range in {
			if err != nil {
				if !flush() || !yield(batch.Unit{}, err) {
					return
				}
				continue
			}
			if len(cur) > 0 && (cur[0].DocID != s.DocID || len(cur) == maxUnitSentences) {
				if !flush() {
					return
				}
			}
			cur = append(cur, s)
		}
		flush()
	}
}

// CollectStats accounts for every sentence Collect saw.
type CollectStats struct {
	batch.Stats
	// Offered is the number of sentences passed to the Selector (every
	// classified sentence; the Selector itself ignores empty texts).
	Offered int
}

// Collect classifies every unit of in with p, batching sentences (opts.
// ChunkSentences, default 512, per Predict call) on opts.Workers
// goroutines, and offers each sentence with its prediction to sel, from
// one goroutine, in input order. Memory stays bounded by the Selector's
// pool and the chunks in flight. Whole documents need opts.Split.
//
// Collect stops at the first error of p, of ctx, or of in (unless
// opts.Skip accepts it); the stats are valid even then.
func Collect(ctx context.Context, in iter.Seq2[batch.Unit, error], p Predictor, sel *Selector, opts batch.Options) (CollectStats, error) {
	var offered int
	st, err := batch.Run(ctx, in, p, opts, func(r batch.Result) error {
		for i, s := range r.Sentences {
			sel.Add(Candidate{ID: s.ID, DocID: s.DocID, Date: s.Date, Source: s.Source, Text: s.Text, Prediction: r.Predictions[i]})
			offered++
		}
		return nil
	})
	return CollectStats{Stats: st, Offered: offered}, err
}

// IsSentenceCSV reports whether the file at path is a sentence CSV (as
// `stance ingest` writes them, or a gold label file) rather than a CSV of
// whole documents: its name ends in .csv and its header has id, text and
// doc_id or index. Anything unreadable is not.
func IsSentenceCSV(path string) bool {
	if !strings.EqualFold(filepath.Ext(path), ".csv") {
		return false
	}
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	cr := csv.NewReader(bufio.NewReader(f))
	header, err := cr.Read()
	if err != nil {
		return false
	}
	has := map[string]bool{}
	for i, h := range header {
		if i == 0 {
			h = strings.TrimPrefix(h, "\uFEFF")
		}
		has[strings.TrimSpace(h)] = true
	}
	return has["id"] && has["text"] && (has["doc_id"] || has["index"])
}

// Inputs streams the units of paths for Collect. Sentence CSVs (every
// path when presplit is true, otherwise those IsSentenceCSV recognises)
// are read with ReadSentences and grouped with SentenceUnits ("-" is
// standard input when presplit); the other paths — files of any ingest
// format and folders — are read together with pipeline.ReadDocuments as
// whole documents, to be split by Collect's Options.Split (for example
// pipeline.Sentences). Sentence CSVs come first, in argument order.
//
// Errors are those of the readers: *pipeline.SkipError (one input
// skipped), *ParseError (see Fatal), or an error opening a file (fatal).
func Inputs(paths []string, presplit bool, stdin io.Reader, ro pipeline.ReadOptions) iter.Seq2[batch.Unit, error] {
	return func(yield func(batch.Unit, error) bool) {
		var docs []string
		for _, p := range paths {
			if !presplit && !IsSentenceCSV(p) {
				docs = append(docs, p)
				continue
			}
			if !sentenceFile(p, stdin, yield) {
				return
			}
		}
		if len(docs) == 0 {
			return
		}
		for d, err := range pipeline.ReadDocuments(docs, ro) {
			if !yield(batch.Unit{Doc: d}, err) {
				return
			}
		}
	}
}

// sentenceFile yields the units of one sentence CSV; false means stop.
func sentenceFile(path string, stdin io.Reader, yield func(batch.Unit, error) bool) bool {
	r := stdin
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			yield(batch.Unit{}, err)
			return false
		}
		defer f.Close()
		r = f
	}
	for u, err := range SentenceUnits(ReadSentences(r, path)) {
		if !yield(u, err) {
			return false
		}
	}
	return true
}
