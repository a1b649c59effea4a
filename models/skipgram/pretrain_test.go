package skipgram

import (
	"context"
	"errors"
	"iter"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func seqOf(sentences []string) iter.Seq2[string, error] {
	return func(yield func(string, error) bool) {
		for _, s := range sentences {
			if !yield(s, nil) {
				return
			}
		}
	}
}

func templateConfig() Config {
	cfg := smallConfig()
	cfg.Vocab = 400
	return cfg
}

// pretrained trains once on the template corpus, shared by the tests.
var pretrained = func() func(t *testing.T) *Embeddings {
	var e *Embeddings
	var err error
	return func(t *testing.T) *Embeddings {
		t.Helper()
		if e == nil && err == nil {
			rng := rand.New(rand.NewPCG(1, 2))
			e, err = Pretrain(context.Background(), seqOf(templateCorpus(rng, 6000)), templateConfig(), TrainOptions{})
		}
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
}()

func TestPretrainNeighbours(t *testing.T) {
	e := pretrained(t)
	if e.Epochs != 5 || e.VocabSize() != e.Tokenizer.VocabSize() || len(e.Vectors) != e.VocabSize()*e.Dim {
		t.Fatalf("epochs %d, vocab %d (tokenizer %d), %d values", e.Epochs, e.VocabSize(), e.Tokenizer.VocabSize(), len(e.Vectors))
	}
	within, across := groupCosines(e.WordVector)
	t.Logf("within %.3f across %.3f", within, across)
	if within < across+0.3 {
		t.Errorf("mean cosine within groups %.3f, across %.3f: want within > across + 0.3", within, across)
	}
	// The nearest words of each group member are mostly its group.
	for _, g := range groups {
		for _, w := range g {
			near := e.Nearest(w, 4)
			same := 0
			for _, n := range near {
				if slices.Contains(g, n.Token) {
					same++
				}
			}
			if same < 3 {
				t.Errorf("Nearest(%q) = %v: want at least 3 of %v", w, near, g)
			}
		}
	}
}

func TestNearestOrderAndExclusion(t *testing.T) {
	e := pretrained(t)
	id, ok := e.Tokenizer.ID("paris")
	if !ok {
		t.Fatal(`"paris" is not a token`)
	}
	near := e.NearestID(id, 10)
	if len(near) != 10 {
		t.Fatalf("got %d neighbours, want 10", len(near))
	}
	for i, n := range near {
		if n.ID == id {
			t.Errorf("the query token is its own neighbour")
		}
		if want := Cosine(e.Vector(id), e.Vector(n.ID)); math.Abs(want-n.Cosine) > 1e-5 {
			t.Errorf("%s: cosine %v, direct %v", n.Token, n.Cosine, want)
		}
		if i > 0 && n.Cosine > near[i-1].Cosine {
			t.Errorf("not sorted: %v", near)
		}
	}
	if got := e.Nearest("", 3); got != nil {
		t.Errorf("empty word: %v, want nil", got)
	}
	// A word of several tokens is their average.
	ids := e.Tokenizer.IDs("paris berlin")
	if len(ids) != 2 {
		t.Fatalf("ids %v", ids)
	}
	avg := e.WordVector("paris berlin")
	for j := range avg {
		if want := (e.Vector(ids[0])[j] + e.Vector(ids[1])[j]) / 2; math.Abs(float64(avg[j]-want)) > 1e-6 {
			t.Fatalf("WordVector is not the mean of the token vectors")
		}
	}
}

func TestSaveLoad(t *testing.T) {
	e := pretrained(t)
	path := filepath.Join(t.TempDir(), "emb.stance")
	if err := e.Save(path); err != nil {
		t.Fatal(err)
	}
	got, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if got.Dim != e.Dim || !slices.Equal(got.Vectors, e.Vectors) || !slices.Equal(got.Counts, e.Counts) ||
		got.Config != e.Config || got.Epochs != e.Epochs || got.Words != e.Words || got.Tokens != e.Tokens {
		t.Errorf("loaded embeddings differ from saved")
	}
	for _, text := range []string{"the summit in rome", "unseen zqxj words ☃"} {
		if a, b := e.Tokenizer.IDs(text), got.Tokenizer.IDs(text); !slices.Equal(a, b) {
			t.Errorf("tokenizer differs after load on %q: %v vs %v", text, a, b)
		}
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("Save left %d files, want 1", len(entries))
	}
}

func TestTrainStreamCancel(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	s, _ := wordStream(templateCorpus(rng, 8000))
	cfg := smallConfig()
	cfg.Epochs = 3

	t.Run("before first epoch", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		e, err := TrainStream(ctx, s, cfg, TrainOptions{})
		if e != nil || !errors.Is(err, context.Canceled) {
			t.Errorf("got %v, %v; want nil, context.Canceled", e, err)
		}
	})
	t.Run("during second epoch", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		var saved []int
		var first []float32
		e, err := TrainStream(ctx, s, cfg, TrainOptions{OnEpoch: func(e *Embeddings) error {
			saved = append(saved, e.Epochs)
			first = slices.Clone(e.Vectors)
			cancel() // as if Ctrl-C came right after the save
			return nil
		}})
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err %v, want context.Canceled", err)
		}
		if e == nil || e.Epochs != 1 || !slices.Equal(saved, []int{1}) {
			t.Fatalf("got epochs %v (saved %v), want the complete epoch 1", e, saved)
		}
		if !slices.Equal(e.Vectors, first) {
			t.Errorf("returned vectors are not the epoch-1 snapshot")
		}
	})
	t.Run("OnEpoch error", func(t *testing.T) {
		boom := errors.New("disk full")
		_, err := TrainStream(context.Background(), s, cfg, TrainOptions{OnEpoch: func(*Embeddings) error { return boom }})
		if !errors.Is(err, boom) {
			t.Errorf("err %v, want %v", err, boom)
		}
	})
}

func TestTrainStreamThreads(t *testing.T) {
	if raceEnabled {
		t.Skip("Hogwild updates race by design")
	}
	rng := rand.New(rand.NewPCG(1, 2))
	s, vocab := wordStream(templateCorpus(rng, 6000))
	cfg := smallConfig()
	cfg.Threads = 2
	e, err := TrainStream(context.Background(), s, cfg, TrainOptions{})
	if err != nil {
		t.Fatal(err)
	}
	within, across := groupCosines(func(w string) []float32 { return e.Vector(vocab[w]) })
	if within < across+0.3 {
		t.Errorf("2 threads: within %.3f, across %.3f", within, across)
	}
}

func TestSplitChunks(t *testing.T) {
	ids := []uint16{1, 2, Sep, 3, Sep, 4, 5, 6, Sep, 7, Sep}
	for n := 1; n <= 6; n++ {
		chunks := splitChunks(ids, n)
		next := 0
		for _, c := range chunks {
			if c[0] != next || c[1] <= c[0] {
				t.Fatalf("n=%d: chunks %v not contiguous", n, chunks)
			}
			if c[1] < len(ids) && ids[c[1]-1] != Sep {
				t.Errorf("n=%d: chunk %v splits a paragraph", n, c)
			}
			next = c[1]
		}
		if next != len(ids) || len(chunks) > n {
			t.Errorf("n=%d: chunks %v", n, chunks)
		}
	}
}

func TestConfigValidate(t *testing.T) {
	if err := DefaultConfig().Validate(); err != nil {
		t.Errorf("default config: %v", err)
	}
	bad := DefaultConfig()
	bad.Dim, bad.Vocab, bad.Negative = 0, 70000, 0
	err := bad.Validate()
	if err == nil {
		t.Fatal("bad config accepted")
	}
	for _, want := range []string{"dim 0", "vocab 70000", "neg 0"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%q does not mention %q", err, want)
		}
	}
}

func TestNearestSkipsUntrained(t *testing.T) {
	e := pretrained(t)
	cfg := e.Config
	cfg.MinCount = 1000
	f := &Embeddings{Tokenizer: e.Tokenizer, Dim: e.Dim, Vectors: e.Vectors, Counts: e.Counts, Config: cfg}
	id, _ := e.Tokenizer.ID("rome")
	var rare int
	for _, n := range e.NearestID(id, e.VocabSize()) {
		if e.Counts[n.ID] < 1000 {
			rare++
		}
	}
	if rare == 0 {
		t.Fatal("no token below the threshold: the test proves nothing")
	}
	for _, n := range f.NearestID(id, e.VocabSize()) {
		if e.Counts[n.ID] < 1000 {
			t.Errorf("%s (count %d) returned below min-count 1000", n.Token, e.Counts[n.ID])
		}
	}
	if f.NearestID(id, 0) != nil {
		t.Error("k=0 should give nil")
	}
}

func TestTrainStreamProgress(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	s, _ := wordStream(templateCorpus(rng, 3000))
	cfg := smallConfig()
	cfg.Epochs = 2
	var got []Progress
	_, err := TrainStream(context.Background(), s, cfg, TrainOptions{
		Interval: time.Millisecond,
		Progress: func(p Progress) { got = append(got, p) },
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) == 0 {
		t.Fatal("no progress reported")
	}
	last := got[len(got)-1]
	if !last.Final || last.Done != 1 || last.Epoch != 2 {
		t.Errorf("last progress %+v: want final, done 1, epoch 2", last)
	}
	if d := last.Tokens - 2*s.Tokens; d < -1 || d > 1 {
		t.Errorf("final tokens %d, want %d (separators are not tokens)", last.Tokens, 2*s.Tokens)
	}
	if d := last.Words - 2*s.Words; d < -1 || d > 1 {
		t.Errorf("final words %d, want %d", last.Words, 2*s.Words)
	}
	line := last.String()
	for _, want := range []string{"epoch 2/2", "100.0%", "words/s", "tokens/s", "loss", "ETA"} {
		if !strings.Contains(line, want) {
			t.Errorf("progress line %q lacks %q", line, want)
		}
	}
}

// The whole pipeline (tokenizer, parallel tokenising, one training thread)
// is bit-reproducible.
func TestPretrainReproducible(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	texts := seqOf(templateCorpus(rng, 6000))
	a := pretrained(t)
	b, err := Pretrain(context.Background(), texts, templateConfig(), TrainOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(a.Vectors, b.Vectors) || !slices.Equal(a.Counts, b.Counts) {
		t.Error("two runs with the same seed and one thread differ")
	}
}
