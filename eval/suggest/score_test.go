package suggest

import (
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/stance-project/stance/labels"
)

func TestParseStrategy(t *testing.T) {
	for _, tc := range []struct {
		in      string
		want    Strategy
		wantErr bool
	}{
		{"margin", Margin, false},
		{"entropy", Entropy, false},
		{"targets", Targets, false},
		{"rare", Rare, false},
		{"mixed", Mixed, false},
		{"balanced", "", true}, // removed: Rare with -rarity -1
		{"adaptive", "", true},
		{"", "", true},
		{"Margin", "", true},
		{"random", "", true},
	} {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseStrategy(tc.in)
			if (err != nil) != tc.wantErr || got != tc.want {
				t.Fatalf("got %q, %v; want %q, error %v", got, err, tc.want, tc.wantErr)
			}
		})
	}
}

func TestLabelCounts(t *testing.T) {
	rows := []labels.Gold{
		{Labels: []string{"favor", "none"}},
		{Labels: []string{"favor", ""}},
		{Labels: []string{"against", "bogus"}},
		{Labels: []string{"none"}}, // short row: only target a
	}
	got := LabelCounts(tax, rows)
	want := [][]int{{2, 1, 1}, {0, 0, 1}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
}

func TestFlagRarity(t *testing.T) {
	for in, want := range map[float64]float64{0: -1, 1: 1, 0.5: 0.5} {
		if got := FlagRarity(in); got != want {
			t.Errorf("FlagRarity(%v) = %v, want %v", in, got, want)
		}
	}
}

func TestRarityWeight(t *testing.T) {
	// By hand: ((1+least)/(1+n))^power.
	for _, tc := range []struct {
		n, least int
		power    float64
		want     float64
	}{
		{-1, 0, 0.5, 1}, {0, 0, 0.5, 1}, {3, 0, 0.5, 0.5}, {8, 0, 0.5, 1.0 / 3}, {99, 0, 0.5, 0.1},
		{3, 0, 1, 0.25}, {99, 0, 1, 0.01}, {-1, 0, 1, 1}, {7, 0, 0, 1},
		{7, 3, 1, 0.5}, {3, 3, 1, 1},
		// The rarest of huge counts still weighs 1, not 0.
		{1e6, 1e6, 100, 1},
	} {
		t.Run(fmt.Sprint(tc.n, "/", tc.least, "^", tc.power), func(t *testing.T) {
			if got := RarityWeight(tc.n, tc.least, tc.power); math.Abs(got-tc.want) > 1e-12 {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestSelectStrategies(t *testing.T) {
	// Six candidates in six documents. Counts make a/against and
	// b/against rare, a/favor common.
	cands := []Candidate{
		{ID: "1", Text: "first distinct sentence here", Prediction: pred([]float64{0.8, 0, 0.2}, []float64{0, 0, 1})},
		{ID: "2", Text: "second distinct sentence here", Prediction: pred([]float64{0.7, 0, 0.3}, []float64{0, 0, 1})},
		{ID: "3", Text: "third distinct sentence here", Prediction: pred([]float64{0, 0.3, 0.7}, []float64{0, 0, 1})},
		{ID: "4", Text: "fourth distinct sentence here", Prediction: pred([]float64{0, 0, 1}, []float64{0.2, 0.25, 0.55})},
		{ID: "5", Text: "fifth distinct sentence here", Prediction: pred([]float64{0.45, 0.1, 0.45}, []float64{0, 0, 1})},
		{ID: "6", Text: "sixth distinct sentence here", Prediction: pred([]float64{0, 0, 1}, []float64{0.5, 0, 0.5})},
	}
	for i := range cands {
		cands[i].DocID = "d" + cands[i].ID
	}
	counts := [][]int{{99, 0, 500}, {3, 0, 500}}
	for _, tc := range []struct {
		name string
		opts Options
		want string
	}{
		// margin: 5 (1.0), 6 (1.0), 4 (0.7), 3 (0.6), 2 (0.6)...
		{"margin", Options{N: 3, Strategy: Margin}, "[5/a/ 6/b/ 4/b/]"},
		// rare without counts: every head weighs 1 and ranks by its
		// probability; turns a/favor 1, a/against 3, b/favor 6,
		// b/against 4, then a/favor again 2.
		{"rare without counts", Options{N: 5, Strategy: Rare}, "[1/a/favor 3/a/against 6/b/favor 4/b/against 2/a/favor]"},
		// Every candidate sits in every head's list but is picked once:
		// N = 8 takes all six, 5 on a/against's second turn.
		{"rare takes each candidate once", Options{N: 8, Strategy: Rare}, "[1/a/favor 3/a/against 6/b/favor 4/b/against 2/a/favor 5/a/against]"},
		// rare with counts: the two never-labelled against heads weigh as
		// the rarest labelled head, b/favor (3): weights a/favor 4/100,
		// the others 1. They rank by relevance 1 − p(none): a: 1 0.8, 2
		// 0.7, 5 0.55, 3 0.3; b: 6 0.5, 4 0.45. Turns (D'Hondt, ties to the
		// first): a/against 1, b/favor 6, b/against 4 (6 is taken).
		{"rare with counts", Options{N: 3, Strategy: Rare, Counts: counts}, "[1/a/against 6/b/favor 4/b/against]"},
		// rarity -1: equal shares, as without counts, but the unlabelled
		// heads still rank by relevance.
		{"rare, rarity -1", Options{N: 4, Strategy: Rare, Counts: counts, Rarity: -1}, "[1/a/favor 2/a/against 6/b/favor 4/b/against]"},
		// mixed: the two targets' margins (Targets without scales is the
		// plain margin: a 5 1.0, 2 0.6...; b 6 1.0, 4 0.7) take half the
		// turns, the rare heads the other half, the halves alternating.
		// With counts, the rare half starts as above. Turns: target a 5,
		// a/against 1, target b 6, b/favor 4 (6 is taken).
		{"mixed", Options{N: 4, Strategy: Mixed, Counts: counts}, "[5/a/ 1/a/against 6/b/ 4/b/favor]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := NewSelector(tax, tc.opts, nil)
			for _, c := range cands {
				s.Add(c)
			}
			var got []string
			for _, p := range s.Select().Picks {
				got = append(got, p.ID+"/"+p.Target+"/"+p.Value)
			}
			if fmt.Sprint(got) != tc.want {
				t.Fatalf("picks %v, want %s", got, tc.want)
			}
		})
	}
}

func TestReason(t *testing.T) {
	p := Pick{Candidate: Candidate{Prediction: pred([]float64{0.2, 0.3, 0.5}, []float64{0.6, 0.1, 0.3})}}
	for _, tc := range []struct {
		name    string
		target  string
		value   string
		score   float64
		n       int
		onTopic bool
		s       Strategy
		want    string
	}{
		{"margin", "a", "", 0.8, -1, false, Margin, "a margin 0.800 (none 0.50 / against 0.30)"},
		{"rare with count", "b", "favor", 0.6, 3, false, Rare, "b favor 0.60 (rare, 3 labelled)"},
		{"rare without count", "a", "against", 0.3, -1, false, Rare, "a against 0.30 (rare)"},
		{"rare, never labelled", "b", "against", 0.7, 0, true, Rare, "b against 0.10 (rare: never labelled; on topic 0.700)"},
		{"unknown target", "zz", "", 0.5, -1, false, Margin, "zz margin 0.500"},
		{"decision names the decided value", "b", "", 0.9, -1, false, Decision, "b decision 0.900 (decided none; favor 0.60 / none 0.30)"},
		{"mixed: a margin pick reads as targets", "b", "", 0.9, -1, false, Mixed, "b targets 0.900 (decided none; favor 0.60 / none 0.30)"},
		{"mixed: a head pick reads as rare", "b", "favor", 0.6, 3, false, Mixed, "b favor 0.60 (rare, 3 labelled)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q := p
			q.Target, q.Value, q.Score, q.Labelled, q.OnTopic = tc.target, tc.value, tc.score, tc.n, tc.onTopic
			if got := q.Reason(tax, tc.s); got != tc.want {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestRarePoolIsPerHead(t *testing.T) {
	// Pool 8 over four heads, N = 1: each head keeps max(8/4, 2) = 2.
	s := NewSelector(tax, Options{N: 1, Strategy: Rare, Pool: 8}, nil)
	for i := range 100 {
		x := float64(i) / 200
		s.Add(Candidate{ID: fmt.Sprintf("%03d", i), Text: fmt.Sprint("text ", i), Prediction: pred([]float64{x, 0.5 - x, 0.5}, []float64{0.1, 0.1, 0.8})})
	}
	var sizes []int
	for _, q := range s.queues {
		sizes = append(sizes, len(q.pool))
	}
	if !slices.Equal(sizes, []int{2, 2, 2, 2}) {
		t.Fatalf("pool sizes %v", sizes)
	}
	res := s.Select()
	if len(res.Picks) != 1 || res.Picks[0].ID != "099" || res.Picks[0].Value != "favor" {
		t.Fatalf("picks %+v", res.Picks)
	}
}

func TestScaledUncertainty(t *testing.T) {
	// a = (0.1, 0.05, 0.85) scaled by (6, 1, 1): (0.6, 0.05, 0.85)/1.5 =
	// (0.4, 0.0333, 0.5667), margin 1 − 0.1667 = 0.8333. b = (0.45, 0.1,
	// 0.45) scaled by (6, 1, 1): (2.7, 0.1, 0.45)/3.25, margin 1 −
	// (2.25/3.25) = 0.3077.
	p := pred([]float64{0.1, 0.05, 0.85}, []float64{0.45, 0.1, 0.45})
	scales := [][]float64{{6, 1, 1}, {6, 1, 1}}
	for _, tc := range []struct {
		name       string
		scales     [][]float64
		wantTarget string
		want       float64
	}{
		{"unscaled: b is the closer head", nil, "b", 1},
		{"scaled: the decision boundary moves to a", scales, "a", 1 - 0.5/3},
		{"a short scale row leaves a head unscaled", [][]float64{{6}, {6, 1, 1}}, "b", 1 - 2.25/3.25},
		{"zero scales leave a head unscaled", [][]float64{{0, 0, 0}, {0, 0, 0}}, "b", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			target, score := ScaledUncertainty(tax, p, Margin, tc.scales)
			if target != tc.wantTarget || math.Abs(score-tc.want) > 1e-9 {
				t.Fatalf("got %s %.6f, want %s %.6f", target, score, tc.wantTarget, tc.want)
			}
		})
	}
}

func TestRareSharesByRarity(t *testing.T) {
	// Counts 1, 3, 7 and 15 on the four heads weigh 1, 1/2, 1/4 and 1/8
	// (rarity 1): shares 8/15, 4/15, 2/15, 1/15, so 15 picks split 8, 4,
	// 2, 1. With rarity -1 the shares are equal: 16 picks split 4 each. A
	// count of 0 weighs as the rarest labelled head: 0, 1, 3, 7 weigh 1,
	// 1, 1/2, 1/4, and 15 picks split 6, 6, 2, 1.
	cands := spreadCandidates(60)
	counts := [][]int{{1, 3, 50}, {7, 15, 50}}
	for _, tc := range []struct {
		name   string
		counts [][]int
		n      int
		rarity float64
		want   string
	}{
		{"rarity 1", counts, 15, 0, "[8 4 2 1]"},
		{"rarity -1", counts, 16, -1, "[4 4 4 4]"},
		{"never labelled", [][]int{{0, 1, 50}, {3, 7, 50}}, 15, 0, "[6 6 2 1]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := NewSelector(tax, Options{N: tc.n, Strategy: Rare, Counts: tc.counts, Rarity: tc.rarity}, nil)
			for _, c := range cands {
				s.Add(c)
			}
			per := map[string]int{}
			for _, p := range s.Select().Picks {
				per[p.Target+"/"+p.Value]++
			}
			got := fmt.Sprint([]int{per["a/favor"], per["a/against"], per["b/favor"], per["b/against"]})
			if got != tc.want {
				t.Fatalf("picks per head %s, want %s", got, tc.want)
			}
		})
	}
}

func TestExplore(t *testing.T) {
	// 200 candidates, scores rising with the index. Explore 0.25 of N = 8:
	// two picks are random draws, six the best-scored; the same seed
	// draws the same, another seed (almost surely) not.
	run := func(seed uint64) ([]string, int) {
		s := NewSelector(tax, Options{N: 8, Explore: 0.25, Seed: seed}, nil)
		for i := range 200 {
			p := float64(i) / 400
			s.Add(Candidate{ID: fmt.Sprintf("%03d", i), DocID: fmt.Sprint(i), Text: fmt.Sprint("sentence ", i), Prediction: pred([]float64{p, 0, 1 - p}, []float64{0, 0, 1})})
		}
		var ids []string
		random := 0
		for _, p := range s.Select().Picks {
			ids = append(ids, p.ID)
			if p.Random {
				random++
				if p.Reason(tax, Margin) != "random draw (explore)" {
					t.Errorf("reason %q", p.Reason(tax, Margin))
				}
			}
		}
		return ids, random
	}
	a, na := run(1)
	b, _ := run(1)
	c, _ := run(2)
	if na != 2 || len(a) != 8 {
		t.Fatalf("%d picks, %d random: %v", len(a), na, a)
	}
	if !slices.Equal(a, b) {
		t.Fatalf("same seed, different picks: %v vs %v", a, b)
	}
	if slices.Equal(a, c) {
		t.Fatalf("seeds 1 and 2 drew the same: %v", a)
	}
	if !slices.Contains(a, "199") || !slices.Contains(a, "198") {
		t.Fatalf("best-scored candidates missing: %v", a)
	}
}

func TestTargetsTakesTurns(t *testing.T) {
	// Target a is on the fence in every sentence, b only in two; Decision
	// (highest head across targets) takes a's, Targets alternates. Scales
	// (2, 2, 1): a (0.3, 0, 0.7) → (0.6, 0, 0.7)/1.3, margin 0.923; b
	// (0.2, 0, 0.8) → (0.4, 0, 0.8)/1.2, margin 0.667; b (0.1, 0, 0.9) →
	// margin 1 − 0.7/1.1 = 0.364.
	var cands []Candidate
	for i := range 4 {
		pb := []float64{0.1, 0, 0.9}
		if i < 2 {
			pb = []float64{0.2, 0, 0.8}
		}
		cands = append(cands, Candidate{ID: fmt.Sprint(i), DocID: fmt.Sprint(i), Text: fmt.Sprint("sentence about things ", i), Prediction: pred([]float64{0.3, 0, 0.7}, pb)})
	}
	scales := [][]float64{{2, 2, 1}, {2, 2, 1}}
	for _, tc := range []struct {
		s    Strategy
		want string
	}{
		// Equal scores rank in tieHash order: 1, 3, 2, 0.
		{Decision, "[1/a 3/a 2/a]"},
		// a takes 1; b's best, 1 (before 0), is taken, so 0; a's next,
		// 3, is free.
		{Targets, "[1/a 0/b 3/a]"},
	} {
		t.Run(string(tc.s), func(t *testing.T) {
			sel := NewSelector(tax, Options{N: 3, Strategy: tc.s, Scales: scales}, nil)
			for _, c := range cands {
				sel.Add(c)
			}
			var got []string
			for _, p := range sel.Select().Picks {
				got = append(got, fmt.Sprintf("%s/%s", p.ID, p.Target))
			}
			if fmt.Sprint(got) != tc.want {
				t.Fatalf("picks %v, want %s", got, tc.want)
			}
		})
	}
}

func TestEveryStrategyRuns(t *testing.T) {
	// Every strategy, with and without Explore, with a tiny pool and
	// with N = 0, picks without panicking and never more than N.
	for _, st := range Strategies {
		for _, opts := range []Options{{N: 3, Pool: 1}, {N: 0, Pool: 1}, {N: 3, Explore: 0.5, Pool: 2}, {N: 3}} {
			opts.Strategy = st
			t.Run(fmt.Sprintf("%s/%+v", st, opts), func(t *testing.T) {
				s := NewSelector(tax, opts, nil)
				for i := range 20 {
					x := float64(i) / 40
					s.Add(Candidate{ID: fmt.Sprint(i), DocID: fmt.Sprint(i), Text: fmt.Sprint("sentence ", i), Prediction: pred([]float64{x, 0.1, 0.9 - x}, []float64{0.1, x, 0.9 - x})})
				}
				res := s.Select()
				if len(res.Picks) > opts.N || (opts.N > 0 && len(res.Picks) == 0) {
					t.Fatalf("%d picks for N = %d", len(res.Picks), opts.N)
				}
				for _, p := range res.Picks {
					if p.Reason(tax, st) == "" {
						t.Fatalf("empty reason for %+v", p)
					}
				}
			})
		}
	}
}

func TestSummary(t *testing.T) {
	picks := []Pick{
		{Target: "a", Value: "against"},
		{Target: "b"},
		{Target: "a"},
		{Target: "a", Value: "against"},
		{Target: "a", Value: "favor"},
		{Random: true, Target: "b"},
	}
	want := "a 4 (favor 1, against 2), b 1, random 1"
	if got := Summary(tax, picks); got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
}

func TestMixedSplitsTurns(t *testing.T) {
	// The Targets half and the Rare half take turns as groups, whatever
	// their number of rankings (2 targets, 4 heads here) and with or
	// without counts; a random share takes its turns beside them.
	cands := spreadCandidates(60)
	for _, tc := range []struct {
		name string
		opts Options
		want string // targets, rare, random picks
	}{
		{"no counts, N 2", Options{N: 2}, "[1 1 0]"},
		{"no counts, N 10", Options{N: 10}, "[5 5 0]"},
		{"counts, N 7", Options{N: 7, Counts: [][]int{{0, 1, 50}, {3, 7, 50}}}, "[4 3 0]"},
		{"explore 0.2, N 10", Options{N: 10, Explore: 0.2, Seed: 3}, "[4 4 2]"},
		{"huge counts and exponent", Options{N: 4, Counts: [][]int{{1e6, 2e6, 0}, {3e6, 4e6, 0}}, Rarity: 100}, "[2 2 0]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.opts.Strategy = Mixed
			s := NewSelector(tax, tc.opts, nil)
			for _, c := range cands {
				s.Add(c)
			}
			var n [3]int
			for _, p := range s.Select().Picks {
				switch {
				case p.Random:
					n[2]++
				case p.Value != "":
					n[1]++
				default:
					n[0]++
				}
			}
			if got := fmt.Sprint(n[:]); got != tc.want {
				t.Fatalf("targets, rare, random picks %s, want %s", got, tc.want)
			}
		})
	}
}

// spreadCandidates returns n distinct candidates in their own documents
// whose favor and against probabilities spread over [0, 0.5) on both
// targets, so that every stance head has a ranking to take from.
func spreadCandidates(n int) []Candidate {
	var cands []Candidate
	for i := range n {
		x := float64(i%30) / 60
		cands = append(cands, Candidate{ID: fmt.Sprintf("%02d", i), DocID: fmt.Sprint(i), Text: fmt.Sprint("distinct sentence number ", i),
			Prediction: pred([]float64{x, 0.5 - x, 0.5}, []float64{0.5 - x, x, 0.5})})
	}
	return cands
}
