package batch

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"math/rand/v2"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stance-project/stance/labels"
	"github.com/stance-project/stance/pipeline"
)

// fakePredictor labels a sentence favor when it contains "yes"; it sleeps
// a random few microseconds so that workers finish out of order.
type fakePredictor struct {
	calls atomic.Int64
	fail  int64 // fail on this call number (1-based); 0 never
}

func (f *fakePredictor) Predict(texts []string) ([]labels.Prediction, error) {
	n := f.calls.Add(1)
	if f.fail != 0 && n == f.fail {
		return nil, errors.New("predictor broke")
	}
	time.Sleep(time.Duration(rand.IntN(300)) * time.Microsecond)
	out := make([]labels.Prediction, len(texts))
	for i, t := range texts {
		v := labels.None
		if strings.Contains(t, "yes") {
			v = labels.Favor
		}
		out[i] = labels.Prediction{Values: []string{v}, Probs: [][]float64{{0, 0, 1}}}
	}
	return out, nil
}

func splitWords(d pipeline.Document) []pipeline.Sentence {
	var out []pipeline.Sentence
	for i, w := range strings.Fields(d.Text) {
		out = append(out, pipeline.Sentence{ID: fmt.Sprintf("%s:%d", d.ID, i), DocID: d.ID, Index: i, Text: w})
	}
	return out
}

func docs(n int) iter.Seq2[Unit, error] {
	return func(yield func(Unit, error) bool) {
		for i := range n {
			text := strings.Repeat("yes no ", i%7)
			if !yield(Unit{Doc: pipeline.Document{ID: fmt.Sprintf("doc%04d", i), Text: text}}, nil) {
				return
			}
		}
	}
}

func collect(t *testing.T, in iter.Seq2[Unit, error], opts Options) ([]string, Stats) {
	t.Helper()
	var ids []string
	st, err := Run(context.Background(), in, &fakePredictor{}, opts, func(r Result) error {
		if len(r.Predictions) != len(r.Sentences) {
			t.Fatalf("%s: %d predictions for %d sentences", r.Doc.ID, len(r.Predictions), len(r.Sentences))
		}
		for i, s := range r.Sentences {
			want := labels.None
			if s.Text == "yes" {
				want = labels.Favor
			}
			if got := r.Predictions[i].Values[0]; got != want {
				t.Fatalf("%s: prediction %q for %q", s.ID, got, s.Text)
			}
		}
		ids = append(ids, r.Doc.ID)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return ids, st
}

func TestRunKeepsInputOrder(t *testing.T) {
	for _, tc := range []struct {
		name           string
		workers, chunk int
	}{
		{"one worker", 1, 4},
		{"four workers small chunks", 4, 1},
		{"eight workers", 8, 16},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ids, st := collect(t, docs(500), Options{Workers: tc.workers, ChunkSentences: tc.chunk, Split: splitWords})
			if len(ids) != 500 || st.Emitted != 500 || st.Units != 500 {
				t.Fatalf("emitted %d ids, stats %+v", len(ids), st)
			}
			for i, id := range ids {
				if want := fmt.Sprintf("doc%04d", i); id != want {
					t.Fatalf("position %d: got %s, want %s", i, id, want)
				}
			}
			// 500 docs with i%7 repetitions of 2 words: every 7 docs hold 42 sentences.
			wantSent := 0
			for i := range 500 {
				wantSent += 2 * (i % 7)
			}
			if st.Sentences != wantSent {
				t.Fatalf("sentences: got %d, want %d", st.Sentences, wantSent)
			}
			if st.Empty == 0 {
				t.Fatal("documents without sentences must still be emitted and counted")
			}
		})
	}
}

func TestShardsPartitionTheCorpus(t *testing.T) {
	all, _ := collect(t, docs(300), Options{Workers: 2, Split: splitWords})
	const n = 3
	seen := map[string]int{}
	var union []string
	for i := range n {
		ids, st := collect(t, docs(300), Options{Workers: 2, Split: splitWords, Shard: i, Shards: n})
		if st.Emitted+st.OutOfShard != st.Units {
			t.Fatalf("shard %d: stats do not add up: %+v", i, st)
		}
		if len(ids) == 0 || len(ids) == 300 {
			t.Fatalf("shard %d holds %d of 300 documents", i, len(ids))
		}
		for _, id := range ids {
			seen[id]++
		}
		union = append(union, ids...)
	}
	if len(union) != len(all) {
		t.Fatalf("union of shards: %d documents, one run: %d", len(union), len(all))
	}
	for _, id := range all {
		if seen[id] != 1 {
			t.Fatalf("%s appears in %d shards", id, seen[id])
		}
	}
}

func TestPresplitUnits(t *testing.T) {
	in := func(yield func(Unit, error) bool) {
		for i := range 10 {
			s := pipeline.Sentence{ID: fmt.Sprintf("s%d", i), DocID: fmt.Sprintf("d%d", i/3), Text: "yes"}
			if !yield(Unit{Sentences: []pipeline.Sentence{s}}, nil) {
				return
			}
		}
	}
	var got []string
	_, err := Run(context.Background(), in, &fakePredictor{}, Options{Workers: 3, ChunkSentences: 2}, func(r Result) error {
		got = append(got, r.Sentences[0].ID+"="+r.Predictions[0].Values[0])
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := "s0=favor s1=favor s2=favor s3=favor s4=favor s5=favor s6=favor s7=favor s8=favor s9=favor"; strings.Join(got, " ") != want {
		t.Fatalf("got %v", got)
	}
}

func TestErrorsStopTheRun(t *testing.T) {
	bad := errors.New("line 3: malformed")
	withBadUnit := func(yield func(Unit, error) bool) {
		for i := range 20 {
			var err error
			if i == 3 {
				err = bad
			}
			if !yield(Unit{Doc: pipeline.Document{ID: fmt.Sprint(i), Text: "a b"}}, err) {
				return
			}
		}
	}
	t.Run("input error without Skip", func(t *testing.T) {
		_, err := Run(context.Background(), withBadUnit, &fakePredictor{}, Options{Split: splitWords}, func(Result) error { return nil })
		if !errors.Is(err, bad) {
			t.Fatalf("got %v, want %v", err, bad)
		}
	})
	t.Run("input error with Skip", func(t *testing.T) {
		var skipped []error
		st, err := Run(context.Background(), withBadUnit, &fakePredictor{}, Options{Split: splitWords, Skip: func(e error) error { skipped = append(skipped, e); return nil }}, func(Result) error { return nil })
		if err != nil || st.Skipped != 1 || len(skipped) != 1 || st.Emitted != 19 {
			t.Fatalf("err %v, stats %+v", err, st)
		}
	})
	t.Run("predictor error", func(t *testing.T) {
		_, err := Run(context.Background(), docs(200), &fakePredictor{fail: 3}, Options{Split: splitWords, ChunkSentences: 4}, func(Result) error { return nil })
		if err == nil || !strings.Contains(err.Error(), "predictor broke") {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("emit error", func(t *testing.T) {
		boom := errors.New("disk full")
		n := 0
		_, err := Run(context.Background(), docs(200), &fakePredictor{}, Options{Split: splitWords}, func(Result) error {
			if n++; n == 50 {
				return boom
			}
			return nil
		})
		if !errors.Is(err, boom) {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("cancelled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		n := 0
		_, err := Run(ctx, docs(5000), &fakePredictor{}, Options{Split: splitWords, ChunkSentences: 8}, func(Result) error {
			if n++; n == 10 {
				cancel()
			}
			return nil
		})
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("got %v", err)
		}
	})
}

func BenchmarkRunOverhead(b *testing.B) {
	b.ReportAllocs()
	sentences := 0
	for b.Loop() {
		st, err := Run(context.Background(), docs(2000), &nopPredictor{}, Options{Split: splitWords}, func(Result) error { return nil })
		if err != nil {
			b.Fatal(err)
		}
		sentences += st.Sentences
	}
	b.ReportMetric(float64(sentences)/b.Elapsed().Seconds(), "sentences/s")
}

type nopPredictor struct{}

func (nopPredictor) Predict(texts []string) ([]labels.Prediction, error) {
	return make([]labels.Prediction, len(texts)), nil
}
