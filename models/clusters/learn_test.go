package clusters

import (
	"context"
	"errors"
	"iter"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/stance-project/stance/labels"
)

// groups are words that the synthetic corpus puts only in sentences of
// their own group, beside a few words every sentence may have.
var groups = [][]string{
	{"rome", "paris", "berlin", "madrid", "vienna", "lisbon", "athens", "prague"},
	{"wheat", "rice", "maize", "barley", "sugar", "coffee", "cocoa", "cotton"},
}

var shared = []string{"the", "of", "and", "in"}

// groupCorpus returns n sentences: each picks a group, then 6 to 11
// words, a shared word one time in four, else a word of the group;
// capitals and punctuation test the splitting into words.
func groupCorpus(rng *rand.Rand, n int) []string {
	out := make([]string, n)
	for i := range out {
		g := groups[rng.IntN(len(groups))]
		words := make([]string, 6+rng.IntN(6))
		for j := range words {
			if rng.IntN(4) == 0 {
				words[j] = shared[rng.IntN(len(shared))]
			} else {
				words[j] = g[rng.IntN(len(g))]
			}
		}
		words[0] = strings.ToUpper(words[0][:1]) + words[0][1:]
		out[i] = strings.Join(words, " ") + "."
	}
	return out
}

func seq(sentences []string) iter.Seq2[string, error] {
	return func(yield func(string, error) bool) {
		for _, s := range sentences {
			if !yield(s, nil) {
				return
			}
		}
	}
}

func testConfig() Config {
	cfg := DefaultConfig()
	cfg.Dim = 16
	cfg.Epochs = 3
	cfg.MinCount = 1
	cfg.Subsample = 0
	cfg.Threads = 1
	cfg.Seed = 7
	cfg.Levels = []int{2, 3}
	return cfg
}

func TestLearnGroups(t *testing.T) {
	sentences := groupCorpus(rand.New(rand.NewPCG(1, 2)), 3000)
	for _, threads := range []int{1, 2} {
		t.Run(map[int]string{1: "1 thread", 2: "2 threads"}[threads], func(t *testing.T) {
			if threads > 1 && raceEnabled {
				t.Skip("Hogwild training races by design")
			}
			cfg := testConfig()
			cfg.Threads = threads
			if threads > 1 { // blocks of about 100 ids, split between the threads
				defer func(n, s int) { blockLen, blockSlack = n, s }(blockLen, blockSlack)
				blockLen, blockSlack = 100, 0
			}
			c, err := Learn(context.Background(), seq(sentences), cfg, nil)
			if err != nil {
				t.Fatal(err)
			}
			if err := c.Validate(); err != nil {
				t.Fatal(err)
			}
			if len(c.Words) != 20 {
				t.Fatalf("%d words %v, want the 20 of the corpus", len(c.Words), c.Words)
			}
			at := map[string]int{}
			for i, w := range c.Words {
				at[w] = i
			}
			// The words of a group share a cluster at level 2, the
			// groups do not.
			cl := func(w string) uint16 { return c.IDs[at[w]][0] }
			for g, ws := range groups {
				for _, w := range ws {
					if cl(w) != cl(ws[0]) {
						t.Errorf("group %d: %s in cluster %d, %s in %d", g, w, cl(w), ws[0], cl(ws[0]))
					}
				}
			}
			if cl(groups[0][0]) == cl(groups[1][0]) {
				t.Errorf("both groups in cluster %d", cl(groups[0][0]))
			}
		})
	}
}

func TestLearnOrderAndCounts(t *testing.T) {
	sentences := []string{"B a b, c.", "a b a", "Zz!", "", "..."}
	cfg := testConfig()
	cfg.Levels = []int{2}
	c, err := Learn(context.Background(), seq(sentences), cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := &Clusters{Levels: []int{2}, Words: []string{"a", "b", "c", "zz"}, Counts: []int64{3, 3, 1, 1}}
	c.IDs = nil
	if !reflect.DeepEqual(c, want) {
		t.Fatalf("got %+v, want %+v", c, want)
	}

	cfg.MinCount = 2
	var read Progress
	if c, err = Learn(context.Background(), seq(sentences), cfg, func(p Progress) {
		if p.Phase == "read" && p.Final {
			read = p
		}
	}); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(c.Words, []string{"a", "b"}) {
		t.Fatalf("min-count 2 kept %v", c.Words)
	}
	if read.Sentences != 3 || read.Words != 8 || read.Distinct != 4 || read.Kept != 2 {
		t.Errorf("read: %d sentences, %d words, %d distinct, %d kept; want 3, 8, 4, 2", read.Sentences, read.Words, read.Distinct, read.Kept)
	}
	cfg.MinCount = 1
	cfg.MaxWords = 3
	c, err = Learn(context.Background(), seq(sentences), cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(c.Words, []string{"a", "b", "c"}) {
		t.Fatalf("max-words 3 kept %v", c.Words)
	}
}

func TestLearnErrors(t *testing.T) {
	readErr := errors.New("disk on fire")
	for _, tc := range []struct {
		name      string
		sentences iter.Seq2[string, error]
		change    func(*Config)
		want      string
	}{
		{"bad config", seq([]string{"a b"}), func(c *Config) { c.Dim = 0 }, "dim 0"},
		{"no words", seq([]string{"", "!?"}), nil, "no words read"},
		{"min count", seq([]string{"a b c"}), func(c *Config) { c.MinCount = 2 }, "no word occurs at least 2 times"},
		{"fewer words than clusters", seq([]string{"a b c"}), func(c *Config) { c.Levels = []int{2, 4} }, "3 words kept (min-count 1): fewer than the 4 clusters"},
		{"read error", func(yield func(string, error) bool) {
			if yield("a b", nil) {
				yield("", readErr)
			}
		}, nil, "disk on fire"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := testConfig()
			if tc.change != nil {
				tc.change(&cfg)
			}
			c, err := Learn(context.Background(), tc.sentences, cfg, nil)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Learn: %v, %v; want an error containing %q", c, err, tc.want)
			}
		})
	}
}

// TestLearnReproducible: with one thread, the same input, config and
// seed give the same clusters; k-means does not depend on threads.
func TestLearnReproducible(t *testing.T) {
	sentences := groupCorpus(rand.New(rand.NewPCG(3, 4)), 1000)
	cfg := testConfig()
	cfg.Levels = []int{2, 5, 9}
	a, err := Learn(context.Background(), seq(sentences), cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Learn(context.Background(), seq(sentences), cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a, b) {
		t.Fatalf("two runs differ:\n%+v\n%+v", a, b)
	}

	// The same with the corpus in blocks of about 50 ids, not one.
	defer func(n, s int) { blockLen, blockSlack = n, s }(blockLen, blockSlack)
	blockLen, blockSlack = 50, 0
	c, err := Learn(context.Background(), seq(sentences), cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a, c) {
		t.Fatalf("blocks of 50 ids: clusters differ:\n%+v\n%+v", a, c)
	}

	// K-means alone, on the same vectors, at 1 and 3 threads.
	vecs := make([]float32, 500*8)
	rng := rand.New(rand.NewPCG(5, 6))
	for i := range vecs {
		vecs[i] = float32(rng.NormFloat64())
	}
	var ids [2][][]uint16
	for i, threads := range []int{1, 3} {
		cfg := testConfig()
		cfg.Dim, cfg.Threads, cfg.Levels = 8, threads, []int{2, 17, 64}
		if ids[i], err = cluster(context.Background(), slices.Clone(vecs), 500, cfg, func(Progress) {}); err != nil {
			t.Fatal(err)
		}
	}
	if !reflect.DeepEqual(ids[0], ids[1]) {
		t.Fatal("k-means differs between 1 and 3 threads")
	}
}

// TestLearnCancel cancels the context in each phase.
func TestLearnCancel(t *testing.T) {
	sentences := groupCorpus(rand.New(rand.NewPCG(5, 6)), 3000)
	for _, phase := range []string{"before", "read", "train", "cluster"} {
		t.Run(phase, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			in := seq(sentences)
			switch phase {
			case "before":
				cancel()
			case "read":
				in = func(yield func(string, error) bool) {
					for i, s := range sentences {
						if i == 1500 {
							cancel()
						}
						if !yield(s, nil) {
							return
						}
					}
				}
			}
			progress := func(p Progress) {
				// Each phase's final report comes before the next phase.
				if p.Final && (phase == "train" && p.Phase == "read" || phase == "cluster" && p.Phase == "train") {
					cancel()
				}
			}
			cfg := testConfig()
			c, err := Learn(ctx, in, cfg, progress)
			if !errors.Is(err, context.Canceled) || c != nil {
				t.Fatalf("Learn: %v, %v; want nil and context.Canceled", c, err)
			}
		})
	}
}

func TestLearnProgress(t *testing.T) {
	sentences := groupCorpus(rand.New(rand.NewPCG(7, 8)), 500)
	var finals []Progress
	_, err := Learn(context.Background(), seq(sentences), testConfig(), func(p Progress) {
		if p.Final {
			finals = append(finals, p)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	var phases []string
	for _, p := range finals {
		phases = append(phases, p.Phase)
	}
	if !slices.Equal(phases, []string{"read", "train", "cluster"}) {
		t.Fatalf("final reports of phases %v", phases)
	}
	read, train := finals[0], finals[1]
	if read.Sentences != 500 || read.Distinct != 20 || read.Kept != 20 || read.Words == 0 {
		t.Errorf("read: %+v", read)
	}
	if train.Words != 3*read.Words || train.Done != 1 {
		t.Errorf("train: %d words, done %v; want 3 epochs of %d words, 1", train.Words, train.Done, read.Words)
	}
	for _, p := range finals {
		if p.String() == "" {
			t.Errorf("%s: empty String", p.Phase)
		}
	}
}

// Learn splits with labels.EachWord, whose words are labels.Words'; each
// is a word ReadTSV accepts (IsWord), so a file Learn writes reads back.
func TestLearnWordsAreWords(t *testing.T) {
	for _, text := range []string{
		"", "Moscow", "The KREMLIN's «dialogue» — 2024/25!", "İstanbul ΣΊΣΥΦΟΣ straße", "a\xffb", "x1y2 ..z",
		"Ǆemal ǅ ǆ", "ﬁne", "٣٤ arabic-indic digits",
	} {
		for _, w := range labels.Words(text) {
			if !IsWord(w) {
				t.Errorf("%q: %q is not IsWord", text, w)
			}
		}
	}
}
