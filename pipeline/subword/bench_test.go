package subword

import (
	"testing"
)

// benchCorpora are the sentence sets benchmarks run on: the labelled
// sentences and the Italian UN speeches when ../shared is present, our
// fixtures otherwise.
func benchCorpora(b *testing.B) map[string][]string {
	sharedOnce.Do(loadShared)
	out := map[string][]string{}
	if len(sharedTrain) > 0 {
		out["train.csv"] = sharedTrain
	}
	if len(sharedITA) > 0 {
		out["ITA"] = sharedITA
	}
	if len(out) == 0 {
		out["fixtures"] = fixtureSentences(b)
	}
	return out
}

// reportSentences reports n sentences encoded in the benchmark's time.
func reportSentences(b *testing.B, n int) {
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "sentences/s")
}

// BenchmarkIDs compares the library's own Encode with the fast path,
// cold (a fresh cache for every pass over the sentences) and warm, on one
// goroutine and on all (GOMAXPROCS) goroutines. The tokenizer is trained
// with DefaultConfig on the corpus itself.
func BenchmarkIDs(b *testing.B) {
	for name, sentences := range benchCorpora(b) {
		tok := mustTrain(b, sentences, DefaultConfig())
		data, err := tok.JSON()
		if err != nil {
			b.Fatal(err)
		}
		b.Run(name+"/library", func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for ; b.Loop(); i++ {
				if _, err := tok.libraryIDs(sentences[i%len(sentences)], true); err != nil {
					b.Fatal(err)
				}
			}
			reportSentences(b, i)
		})
		b.Run(name+"/fast-cold", func(b *testing.B) {
			b.ReportAllocs()
			var dst []int
			var fresh *Tokenizer
			i := 0
			for ; b.Loop(); i++ {
				if i%len(sentences) == 0 {
					b.StopTimer()
					fresh, _ = Load(data)
					b.StartTimer()
				}
				dst = fresh.AppendIDs(dst[:0], sentences[i%len(sentences)])
			}
			reportSentences(b, i)
		})
		b.Run(name+"/fast-warm", func(b *testing.B) {
			for _, s := range sentences {
				tok.IDs(s)
			}
			b.ReportAllocs()
			var dst []int
			i := 0
			for ; b.Loop(); i++ {
				dst = tok.AppendIDs(dst[:0], sentences[i%len(sentences)])
			}
			reportSentences(b, i)
		})
		b.Run(name+"/fast-warm-parallel", func(b *testing.B) {
			for _, s := range sentences {
				tok.IDs(s)
			}
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				var dst []int
				for i := 0; pb.Next(); i++ {
					dst = tok.AppendIDs(dst[:0], sentences[i%len(sentences)])
				}
			})
			reportSentences(b, b.N)
		})
	}
}

// BenchmarkTrain measures training with DefaultConfig, counting the
// words of every sentence and learning the merges.
func BenchmarkTrain(b *testing.B) {
	for name, sentences := range benchCorpora(b) {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			n := 0
			for b.Loop() {
				mustTrain(b, sentences, DefaultConfig())
				n += len(sentences)
			}
			b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "sentences/s")
		})
	}
}

// BenchmarkStream encodes a stream as classification does: a tokenizer
// trained with DefaultConfig on the labelled sentences (our fixtures
// without ../shared), loaded fresh, encodes every 10th speech of the UN
// General Debate corpus, one paragraph at a time, once per iteration (the
// fixtures and examples/ without ../shared). The memo starts empty, so
// this counts both the library's model on each new word and the memo's
// hits, in the proportion a real corpus has.
func BenchmarkStream(b *testing.B) {
	sharedOnce.Do(loadShared)
	trainOn := sharedTrain
	if len(trainOn) == 0 {
		trainOn = fixtureSentences(b)
	}
	name, texts := "ungdc", []string(nil)
	if all, err := readUNGDC(10); err == nil {
		texts = all
	} else {
		name, texts = "examples", append(fixtureSentences(b), exampleTexts(b)...)
	}
	data, err := mustTrain(b, trainOn, DefaultConfig()).JSON()
	if err != nil {
		b.Fatal(err)
	}
	b.Run(name, func(b *testing.B) {
		b.ReportAllocs()
		var dst []int
		n := 0
		for b.Loop() {
			b.StopTimer()
			fresh, _ := Load(data)
			b.StartTimer()
			for _, text := range texts {
				dst = fresh.AppendIDs(dst[:0], text)
			}
			n += len(texts)
		}
		reportSentences(b, n)
	})
}
