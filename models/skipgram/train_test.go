package skipgram

import (
	"context"
	"math/rand/v2"
	"strings"
	"testing"
)

// groups are words that the template corpus puts in the same contexts.
var groups = [][]string{
	{"rome", "paris", "berlin", "madrid", "vienna"},
	{"tank", "missile", "artillery", "rifle", "drone"},
	{"wheat", "rice", "maize", "barley", "sugar"},
}

// templates has one list of sentence templates per group; "X" is replaced
// by a word of the group.
var templates = [][]string{
	{
		"the delegation travelled to X for talks with the minister",
		"the summit in X ended with a joint declaration",
		"our embassy in X will host the conference next spring",
		"the mayor of X welcomed the visiting president",
		"talks were held in X between the two governments",
	},
	{
		"the army deployed a X near the border last night",
		"soldiers fired the X at the enemy position",
		"the factory produces a new X for the armed forces",
		"a X was destroyed during the attack on the base",
		"the general ordered another X for the front line",
	},
	{
		"farmers harvested the X before the rains came",
		"the price of X rose sharply on world markets",
		"exports of X fell after the drought",
		"the ministry subsidises X grown by small farmers",
		"a ship carrying X arrived at the port",
	},
}

// templateCorpus returns n sentences drawn from the templates with rng.
func templateCorpus(rng *rand.Rand, n int) []string {
	out := make([]string, n)
	for i := range out {
		g := rng.IntN(len(groups))
		tpl := templates[g][rng.IntN(len(templates[g]))]
		out[i] = strings.Replace(tpl, "X", groups[g][rng.IntN(len(groups[g]))], 1)
	}
	return out
}

// wordStream tokenises sentences by whitespace, one id per distinct word.
func wordStream(sentences []string) (*Stream, map[string]int) {
	vocab := map[string]int{}
	s := &Stream{}
	for _, sent := range sentences {
		for _, w := range strings.Fields(sent) {
			id, ok := vocab[w]
			if !ok {
				id = len(vocab)
				vocab[w] = id
				s.Counts = append(s.Counts, 0)
			}
			s.Counts[id]++
			s.IDs = append(s.IDs, uint16(id))
			s.Words++
			s.Tokens++
		}
		s.IDs = append(s.IDs, Sep)
		s.Paras++
	}
	return s, vocab
}

func smallConfig() Config {
	cfg := DefaultConfig()
	cfg.Dim = 24
	cfg.Epochs = 5
	cfg.Threads = 1
	cfg.MinCount = 1
	cfg.Subsample = 1e-3
	cfg.LR = 0.05
	cfg.Seed = 7
	return cfg
}

// groupCosines returns the mean cosine of word pairs within a group and
// across groups.
func groupCosines(vec func(string) []float32) (within, across float64) {
	var nw, na int
	for g1, a := range groups {
		for i, w1 := range a {
			for g2, b := range groups {
				for j, w2 := range b {
					if g1 == g2 && j <= i || g2 < g1 {
						continue
					}
					c := Cosine(vec(w1), vec(w2))
					if g1 == g2 {
						within += c
						nw++
					} else {
						across += c
						na++
					}
				}
			}
		}
	}
	return within / float64(nw), across / float64(na)
}

func TestTrainStreamGroups(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	s, vocab := wordStream(templateCorpus(rng, 6000))
	e, err := TrainStream(context.Background(), s, smallConfig(), TrainOptions{})
	if err != nil {
		t.Fatal(err)
	}
	within, across := groupCosines(func(w string) []float32 { return e.Vector(vocab[w]) })
	t.Logf("within %.3f across %.3f", within, across)
	if within < across+0.3 {
		t.Errorf("mean cosine within groups %.3f, across %.3f: want within > across + 0.3", within, across)
	}
}

func TestTrainStreamReproducible(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	s, _ := wordStream(templateCorpus(rng, 1000))
	cfg := smallConfig()
	cfg.Epochs = 2
	a, err := TrainStream(context.Background(), s, cfg, TrainOptions{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := TrainStream(context.Background(), s, cfg, TrainOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range a.Vectors {
		if a.Vectors[i] != b.Vectors[i] {
			t.Fatalf("threads 1: vector %d differs between runs: %v vs %v", i, a.Vectors[i], b.Vectors[i])
		}
	}
	cfg.Seed++
	c, err := TrainStream(context.Background(), s, cfg, TrainOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if Cosine(a.Vectors, c.Vectors) > 0.9999 {
		t.Errorf("another seed gave the same vectors")
	}
}
