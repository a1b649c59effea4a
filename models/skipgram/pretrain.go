package skipgram

import (
	"context"
	"fmt"
	"iter"
	"strings"
	"time"

	"github.com/stance-project/stance/pipeline/subword"
)

// Pretrain learns embeddings from texts (paragraphs; ranged over twice):
// the first pass trains a subword tokenizer of cfg.Vocab tokens, the
// second tokenises the corpus into a Stream, then TrainStream runs
// cfg.Epochs epochs over it. On cancellation it returns the last complete
// epoch (nil if none) with ctx.Err(), as TrainStream does.
func Pretrain(ctx context.Context, texts iter.Seq2[string, error], cfg Config, opts TrainOptions) (*Embeddings, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	report := func(p Progress) {
		if opts.Progress != nil {
			opts.Progress(p)
		}
	}
	start := time.Now()
	var readErr error
	var words int64
	last := time.Now()
	sentences := func(yield func(string) bool) {
		for t, err := range texts {
			if err != nil {
				readErr = err
				return
			}
			if ctx.Err() != nil {
				readErr = ctx.Err()
				return
			}
			if !yield(t) {
				return
			}
			words += int64(strings.Count(t, " ") + 1) // approximate, for progress only
			if time.Since(last) >= time.Second {
				last = time.Now()
				el := time.Since(start)
				report(Progress{Phase: "tokenizer", Elapsed: el, Words: words, WordsPS: float64(words) / el.Seconds()})
			}
		}
	}
	scfg := subword.DefaultConfig()
	scfg.VocabSize = cfg.Vocab
	tok, err := subword.Train(sentences, scfg)
	if readErr != nil {
		return nil, readErr
	}
	if err != nil {
		return nil, fmt.Errorf("training the tokenizer: %w", err)
	}
	el := time.Since(start)
	report(Progress{Phase: "tokenizer", Elapsed: el, Words: words, WordsPS: float64(words) / el.Seconds(), Final: true})
	return PretrainWith(ctx, tok, texts, cfg, opts)
}

// PretrainWith is Pretrain with a given tokenizer (no tokenizer pass).
func PretrainWith(ctx context.Context, tok *subword.Tokenizer, texts iter.Seq2[string, error], cfg Config, opts TrainOptions) (*Embeddings, error) {
	start := time.Now()
	last := start
	s, err := Tokenize(ctx, tok, texts, func(words, tokens int64) {
		if opts.Progress != nil && time.Since(last) >= time.Second {
			last = time.Now()
			el := time.Since(start)
			opts.Progress(Progress{Phase: "tokenize", Words: words, Tokens: tokens, Elapsed: el,
				WordsPS: float64(words) / el.Seconds(), TokPS: float64(tokens) / el.Seconds()})
		}
	})
	if err != nil {
		return nil, err
	}
	if opts.Progress != nil {
		el := time.Since(start)
		opts.Progress(Progress{Phase: "tokenize", Words: s.Words, Tokens: s.Tokens, Elapsed: el,
			WordsPS: float64(s.Words) / el.Seconds(), TokPS: float64(s.Tokens) / el.Seconds(), Final: true})
	}
	onEpoch := opts.OnEpoch
	opts.OnEpoch = func(e *Embeddings) error {
		e.Tokenizer = tok
		if onEpoch != nil {
			return onEpoch(e)
		}
		return nil
	}
	e, err := TrainStream(ctx, s, cfg, opts)
	if e != nil {
		e.Tokenizer = tok
	}
	return e, err
}
