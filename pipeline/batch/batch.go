package batch

import (
	"context"
	"errors"
	"hash/fnv"
	"iter"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/stance-project/stance/labels"
	"github.com/stance-project/stance/pipeline"
	"github.com/stance-project/stance/pipeline/ordered"
)

// Unit is what the input iterator yields: either a whole document, which
// the workers split with the Options' Split function, or sentences that
// were split already (pre-split input), which are classified as they are.
type Unit struct {
	Doc       pipeline.Document
	Sentences []pipeline.Sentence // non-nil: already split; Doc may be empty
}

// DocID returns the document id the unit belongs to, used for sharding.
func (u Unit) DocID() string {
	if len(u.Sentences) > 0 {
		return u.Sentences[0].DocID
	}
	return u.Doc.ID
}

// Result is one unit after classification: its sentences and their
// predictions, aligned.
type Result struct {
	Doc         pipeline.Document
	Sentences   []pipeline.Sentence
	Predictions []labels.Prediction
}

// Options controls Run. The zero value is valid: all cores, no sharding.
type Options struct {
	// Workers is the number of goroutines that split and predict;
	// 0 means runtime.GOMAXPROCS(0).
	Workers int
	// ChunkSentences is the target number of sentences per chunk handed
	// to a worker (and per Predict call); 0 means 512.
	ChunkSentences int
	// Shard and Shards select a deterministic 1/Shards of the documents:
	// those whose InShard(docID, Shard, Shards) is true. Shards ≤ 1 means
	// every document.
	Shard, Shards int
	// Split turns a document into sentences; nil means
	// pipeline.Sentences (clean, split and number, as stance ingest
	// does). Tests inject their own.
	Split func(pipeline.Document) []pipeline.Sentence
	// Skip, if set, is called (from the reading goroutine) with each
	// error the input iterator yields; returning nil skips the unit and
	// goes on, returning an error stops the run with it. With Skip nil,
	// the first input error stops the run.
	Skip func(error) error
	// Progress, if set, is called from the emitting goroutine after each
	// chunk is emitted with running totals.
	Progress func(Stats)
}

// Stats counts what a run did. Every unit read is either emitted or
// counted in OutOfShard or Skipped.
type Stats struct {
	Units      int // documents (or pre-split units) read from the input
	OutOfShard int // units left to other shards
	Skipped    int // input errors passed to Options.Skip
	Emitted    int // units handed to emit
	Sentences  int // sentences classified and emitted
	Empty      int // emitted units that had no sentence after cleaning
}

// InShard reports whether the document id belongs to shard i of n
// (0 ≤ i < n). The assignment is a hash of the id, so it does not depend on
// the order or the set of files given: n runs with i = 0..n-1 partition
// any corpus.
func InShard(docID string, i, n int) bool {
	if n <= 1 {
		return true
	}
	h := fnv.New64a()
	h.Write([]byte(docID))
	return int(h.Sum64()%uint64(n)) == i
}

type chunk struct {
	units   []Unit
	results []Result
	err     error
}

// Run classifies every unit of in with p, which the workers call at once
// (its Predict must be safe for concurrent use and return one prediction
// per text, in order), and calls emit for each unit, in input order,
// from a single goroutine. It stops at the first error from the predictor,
// emit, or (without Options.Skip) the input, and when ctx is cancelled, in
// which case it returns ctx.Err() at once, without waiting for a read
// that ctx cannot end (standard input, a named pipe): the reading and
// predicting goroutines then stop on their own, and may still call
// Options.Skip and the predictor once. The returned Stats are valid even
// on error.
func Run(ctx context.Context, in iter.Seq2[Unit, error], p labels.Classifier, opts Options, emit func(Result) error) (Stats, error) {
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	chunkSize := opts.ChunkSentences
	if chunkSize <= 0 {
		chunkSize = 512
	}
	split := opts.Split
	if split == nil {
		split = pipeline.Sentences
	}
	// readCtx stops the reader when the emitter fails; ordered.Run stops
	// it at its next chunk, this at its next unit.
	readCtx, stopReading := context.WithCancel(ctx)
	defer stopReading()

	// The reader's counters are its own until ordered.Run returns; the
	// emitter reads them only through the atomics for progress.
	var units, outOfShard, skipped atomic.Int64
	var readErr error
	var stats Stats
	snapshot := func() Stats {
		s := stats
		s.Units, s.OutOfShard, s.Skipped = int(units.Load()), int(outOfShard.Load()), int(skipped.Load())
		return s
	}

	// Reader: groups units into chunks, in order.
	chunks := func(yield func(*chunk) bool) {
		var cur *chunk
		size := 0
		for u, err := range in {
			if readCtx.Err() != nil {
				return
			}
			if err != nil {
				skipped.Add(1)
				if opts.Skip == nil {
					readErr = err
					return
				}
				if serr := opts.Skip(err); serr != nil {
					readErr = serr
					return
				}
				continue
			}
			units.Add(1)
			if !InShard(u.DocID(), opts.Shard, opts.Shards) {
				outOfShard.Add(1)
				continue
			}
			if cur == nil {
				cur = &chunk{}
			}
			cur.units = append(cur.units, u)
			if u.Sentences != nil {
				size += len(u.Sentences)
			} else {
				// Estimate: splitting happens in the workers.
				size += 1 + len(u.Doc.Text)/150
			}
			if size >= chunkSize {
				if !yield(cur) {
					return
				}
				cur, size = nil, 0
			}
		}
		if cur != nil {
			yield(cur)
		}
	}

	// Workers split and predict; the emitter gets the chunks in input
	// order.
	err := ordered.Run(ctx, workers, chunks, func(c *chunk) *chunk {
		classify(c, p, split)
		return c
	}, func(c *chunk) error {
		if c.err != nil {
			stopReading()
			return c.err
		}
		for _, r := range c.results {
			if err := emit(r); err != nil {
				stopReading()
				return err
			}
			stats.Emitted++
			stats.Sentences += len(r.Sentences)
			if len(r.Sentences) == 0 {
				stats.Empty++
			}
		}
		if opts.Progress != nil {
			opts.Progress(snapshot())
		}
		return nil
	})
	stats = snapshot()
	switch {
	case err != nil:
		return stats, err
	case readErr != nil:
		return stats, readErr
	}
	return stats, nil
}

// textsScratch holds the slices of texts that classify hands to Predict,
// reused from chunk to chunk.
var textsScratch = sync.Pool{New: func() any { return new([]string) }}

// classify splits and predicts one chunk in place.
func classify(c *chunk, p labels.Classifier, split func(pipeline.Document) []pipeline.Sentence) {
	c.results = make([]Result, len(c.units))
	scratch := textsScratch.Get().(*[]string)
	texts := (*scratch)[:0]
	defer func() { *scratch = texts[:0]; textsScratch.Put(scratch) }()
	for i, u := range c.units {
		sents := u.Sentences
		if sents == nil {
			sents = split(u.Doc)
		}
		c.results[i] = Result{Doc: u.Doc, Sentences: sents}
		for _, s := range sents {
			texts = append(texts, s.Text)
		}
	}
	c.units = nil
	if len(texts) == 0 {
		return
	}
	preds, err := p.Predict(texts)
	if err != nil {
		c.err = err
		return
	}
	if len(preds) != len(texts) {
		c.err = errors.New("batch: predictor returned the wrong number of predictions")
		return
	}
	k := 0
	for i := range c.results {
		n := len(c.results[i].Sentences)
		c.results[i].Predictions = preds[k : k+n : k+n]
		k += n
	}
}
