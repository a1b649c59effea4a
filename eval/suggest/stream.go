package suggest

import (
	"context"
	"iter"

	"github.com/stance-project/stance/labels"
	"github.com/stance-project/stance/pipeline/batch"
)

// CollectStats accounts for every sentence Collect saw.
type CollectStats struct {
	batch.Stats
	// Offered is the number of sentences passed to the Selector (every
	// classified sentence; the Selector itself ignores empty texts).
	Offered int
}

// Collect classifies every unit of in (batch.Inputs makes them from
// files) with p, batching sentences (opts.ChunkSentences, default 512,
// per Predict call) on opts.Workers goroutines, and offers each sentence with its prediction to sel, from
// one goroutine, in input order. Memory stays bounded by the Selector's
// pool and the chunks in flight. Whole documents are split by opts.Split
// (pipeline.Sentences when nil).
//
// Collect stops at the first error of p, of ctx, or of in (unless
// opts.Skip accepts it); the stats are valid even then.
func Collect(ctx context.Context, in iter.Seq2[batch.Unit, error], p labels.Classifier, sel *Selector, opts batch.Options) (CollectStats, error) {
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
