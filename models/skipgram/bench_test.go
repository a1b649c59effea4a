package skipgram

import (
	"context"
	"github.com/stance-project/stance/pipeline"
	"iter"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/stance-project/stance/pipeline/subword"
)

// firstTexts yields the sentences of the first n documents of the shared
// UN General Debate corpus.
func firstTexts(t testing.TB, docs int) iter.Seq2[string, error] {
	path := filepath.Join("..", "..", "..", "shared", "corpus", "ungdc.jsonl.gz")
	if _, err := os.Stat(path); err != nil {
		t.Skipf("shared corpus absent (%v): benchmark needs ../shared", err)
	}
	return func(yield func(string, error) bool) {
		n := 0
		for text, err := range pipeline.SentenceTexts([]string{path}, pipeline.ReadOptions{}, nil) {
			if !yield(text, err) || err != nil {
				return
			}
			if n++; n >= docs*100 { // about 100 sentences a speech
				return
			}
		}
	}
}

// BenchmarkTrainStreamUNGDC times one epoch over the tokens of about 300
// UN speeches with the default settings and all cores; tokens/s and
// words/s are the figures to compare with fastText's words/sec/thread.
func BenchmarkTrainStreamUNGDC(b *testing.B) {
	texts := firstTexts(b, 300)
	tok, err := subword.Train(func(yield func(string) bool) {
		for t := range texts {
			if !yield(t) {
				return
			}
		}
	}, subword.DefaultConfig())
	if err != nil {
		b.Fatal(err)
	}
	s, err := Tokenize(context.Background(), tok, texts, nil)
	if err != nil {
		b.Fatal(err)
	}
	cfg := DefaultConfig()
	cfg.Epochs = 1
	cfg.Threads = runtime.GOMAXPROCS(0)
	b.ResetTimer()
	for b.Loop() {
		if _, err := TrainStream(context.Background(), s, cfg, TrainOptions{}); err != nil {
			b.Fatal(err)
		}
	}
	sec := b.Elapsed().Seconds()
	b.ReportMetric(float64(s.Tokens)*float64(b.N)/sec, "tokens/s")
	b.ReportMetric(float64(s.Words)*float64(b.N)/sec, "words/s")
}

// BenchmarkTokenize times the tokenising pass (the second streaming pass).
func BenchmarkTokenize(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	sentences := templateCorpus(rng, 20000)
	texts := func(yield func(string, error) bool) {
		for _, s := range sentences {
			if !yield(s, nil) {
				return
			}
		}
	}
	tok, err := subword.Train(func(yield func(string) bool) {
		for _, s := range sentences {
			if !yield(s) {
				return
			}
		}
	}, subword.Config{VocabSize: 300, MinFrequency: 2, Lowercase: true})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	var s *Stream
	for b.Loop() {
		if s, err = Tokenize(context.Background(), tok, texts, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(sentences))*float64(b.N)/b.Elapsed().Seconds(), "sentences/s")
	b.ReportMetric(float64(s.Words)*float64(b.N)/b.Elapsed().Seconds(), "words/s")
}
