package clusters

import (
	"context"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"
)

// benchCorpus returns n sentences of 8 to 27 words over a vocabulary of
// 5,000 words with Zipfian frequencies, each sentence leaning on one of
// 50 topics, so that training and k-means have structure to find.
func benchCorpus(n int) ([]string, int64) {
	rng := rand.New(rand.NewPCG(11, 12))
	const vocab, topics = 5000, 50
	words := make([]string, vocab)
	for i := range words {
		var b strings.Builder
		for j := i; ; j /= 26 {
			b.WriteByte(byte('a' + j%26))
			if j < 26 {
				break
			}
		}
		words[i] = b.String() + "w"
	}
	zipf := rand.NewZipf(rng, 1.1, 2, vocab-1)
	out := make([]string, n)
	var total int64
	for i := range out {
		topic := rng.IntN(topics)
		ws := make([]string, 8+rng.IntN(20))
		for j := range ws {
			k := int(zipf.Uint64())
			if rng.IntN(2) == 0 { // half the words come from the topic's share of the vocabulary
				k = k/topics*topics + topic
				k %= vocab
			}
			ws[j] = words[k]
		}
		total += int64(len(ws))
		out[i] = strings.Join(ws, " ")
	}
	return out, total
}

func benchmarkLearn(b *testing.B, sentences int, levels []int) {
	corpus, words := benchCorpus(sentences)
	cfg := DefaultConfig()
	cfg.Epochs = 1
	cfg.Levels = levels
	cfg.Threads = runtime.GOMAXPROCS(0)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := Learn(context.Background(), seq(corpus), cfg, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(words)*float64(b.N)/b.Elapsed().Seconds(), "words/s")
}

// BenchmarkLearnSmall and BenchmarkLearnLarge time the whole of Learn
// (read, one epoch of training at the default settings on every core,
// k-means), in words of the corpus per second.
func BenchmarkLearnSmall(b *testing.B) { benchmarkLearn(b, 20_000, []int{16, 64}) }
func BenchmarkLearnLarge(b *testing.B) { benchmarkLearn(b, 200_000, []int{64, 256, 1024}) }
