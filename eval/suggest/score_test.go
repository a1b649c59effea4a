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
		{"stance", Stance, false},
		{"balanced", Balanced, false},
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

func TestRarityWeight(t *testing.T) {
	// By hand: 1/√(1+n).
	for _, tc := range []struct {
		n    int
		want float64
	}{{-1, 1}, {0, 1}, {3, 0.5}, {8, 1.0 / 3}, {99, 0.1}} {
		t.Run(fmt.Sprint(tc.n), func(t *testing.T) {
			if got := RarityWeight(tc.n, 0.5); math.Abs(got-tc.want) > 1e-12 {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestExpectedStance(t *testing.T) {
	// Scores by hand: p(value) × 1/√(1 + labelled count).
	counts := [][]int{{3, 0, 50}, {8, 99, 50}}
	for _, tc := range []struct {
		name         string
		p            labels.Prediction
		counts       [][]int
		wantT, wantV int
		want         float64
	}{
		{"no counts: likeliest stance", pred([]float64{0.3, 0.1, 0.6}, []float64{0.1, 0.4, 0.5}), nil, 1, 1, 0.4},
		{"none never counts", pred([]float64{0, 0, 1}, []float64{0.05, 0, 0.95}), nil, 1, 0, 0.05},
		// a favor 0.3/2 = 0.15 < a against 0.2/1; b against 0.4/10.
		{"rarity favours the unseen head", pred([]float64{0.3, 0.2, 0.5}, []float64{0.1, 0.4, 0.5}), counts, 0, 1, 0.2},
		{"a likely common stance can still win", pred([]float64{0.9, 0, 0.1}, []float64{0, 0.5, 0.5}), counts, 0, 0, 0.45},
		{"b favor: 0.6/3", pred([]float64{0, 0, 1}, []float64{0.6, 0.2, 0.2}), counts, 1, 0, 0.2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			gt, gv, got := ExpectedStance(tax, tc.p, tc.counts, 0.5)
			if gt != tc.wantT || gv != tc.wantV || math.Abs(got-tc.want) > 1e-12 {
				t.Fatalf("got target %d value %d score %v, want %d %d %v", gt, gv, got, tc.wantT, tc.wantV, tc.want)
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
		// stance: 3 a/against 0.3, then 4 b/against 0.25 and 6 b/favor
		// 0.5/2 (tie, by id), ahead of 5 a/against 0.1 and 1 a/favor 0.8/10.
		{"stance", Options{N: 3, Strategy: Stance, Counts: counts}, "[3/a/against 4/b/against 6/b/favor]"},
		// stance without counts: plain likeliest stance.
		{"stance without counts", Options{N: 3, Strategy: Stance}, "[1/a/favor 2/a/favor 6/b/favor]"},
		// balanced: a/favor 1, a/against 3, b/favor 6, b/against 4, then
		// a/favor again 2.
		{"balanced", Options{N: 5, Strategy: Balanced}, "[1/a/favor 3/a/against 6/b/favor 4/b/against 2/a/favor]"},
		// Every candidate sits in every head's list but is picked once:
		// N = 8 takes all six, 5 on a/against's second turn.
		{"balanced takes each candidate once", Options{N: 8, Strategy: Balanced}, "[1/a/favor 3/a/against 6/b/favor 4/b/against 2/a/favor 5/a/against]"},
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
		name   string
		target string
		value  string
		score  float64
		n      int
		s      Strategy
		want   string
	}{
		{"margin", "a", "", 0.8, -1, Margin, "a margin 0.800 (none 0.50 / against 0.30)"},
		{"stance with count", "b", "favor", 0.3, 3, Stance, "b favor 0.60 (stance 0.300, 3 labelled)"},
		{"balanced without count", "a", "against", 0.3, -1, Balanced, "a against 0.30 (balanced 0.300)"},
		{"unknown target", "zz", "", 0.5, -1, Margin, "zz margin 0.500"},
		{"decision names the decided value", "b", "", 0.9, -1, Decision, "b decision 0.900 (decided none; favor 0.60 / none 0.30)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q := p
			q.Target, q.Value, q.Score, q.Labelled = tc.target, tc.value, tc.score, tc.n
			if got := q.Reason(tax, tc.s); got != tc.want {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestBalancedPoolIsPerHead(t *testing.T) {
	// Pool 8 over four heads, N = 1: each head keeps max(8/4, 2) = 2.
	s := NewSelector(tax, Options{N: 1, Strategy: Balanced, Pool: 8}, nil)
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

func TestAdaptiveSpreadsOverHeads(t *testing.T) {
	// Five sentences likely a/favor (p 0.9 … 0.5), two fairly likely
	// b/against (0.5, 0.4). Counts: 8 a/favor, 0 b/against. Rarity 0.5.
	var cands []Candidate
	for i, p := range []float64{0.9, 0.8, 0.7, 0.6, 0.5} {
		cands = append(cands, Candidate{ID: fmt.Sprint("a", i), DocID: fmt.Sprint("a", i), Text: fmt.Sprint("favor sentence number ", i), Prediction: pred([]float64{p, 0, 1 - p}, []float64{0, 0, 1})})
	}
	for i, p := range []float64{0.5, 0.4} {
		cands = append(cands, Candidate{ID: fmt.Sprint("b", i), DocID: fmt.Sprint("b", i), Text: fmt.Sprint("against sentence number ", i), Prediction: pred([]float64{0, 0, 1}, []float64{0, p, 1 - p})})
	}
	counts := [][]int{{8, 0, 0}, {0, 0, 0}}
	// By hand, expected counts e and score p/√(1+e):
	//   b0 0.5/1 = 0.5 beats a0 0.9/3 = 0.3; e(b/against) = 0.5.
	//   b1 0.4/√1.5 = 0.327 beats 0.3; e = 0.9.
	//   a0 0.3 beats b exhausted; e(a/favor) = 8.9. a1 0.8/√9.9 = 0.254.
	// Without counts the expected counts start at 0: a0 0.9, a1
	// 0.8/√1.9 = 0.58, then b0 0.5 beats a2 0.7/√2.7 = 0.43.
	for _, tc := range []struct {
		name string
		opts Options
		want string
	}{
		{"adaptive", Options{N: 4, Strategy: Adaptive, Counts: counts}, "[b0 b1 a0 a1]"},
		{"adaptive without counts", Options{N: 4, Strategy: Adaptive}, "[a0 a1 b0 a2]"},
		{"adaptive, rarity 2", Options{N: 3, Strategy: Adaptive, Counts: counts, Rarity: 2}, "[b0 b1 a0]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := NewSelector(tax, tc.opts, nil)
			for _, c := range cands {
				s.Add(c)
			}
			var got []string
			for _, p := range s.Select().Picks {
				got = append(got, p.ID)
			}
			if fmt.Sprint(got) != tc.want {
				t.Fatalf("picks %v, want %s", got, tc.want)
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
		{Decision, "[0/a 1/a 2/a]"},
		// a takes 0; b's best, 0, is taken, so 1; a's next, 1, is
		// taken, so 2.
		{Targets, "[0/a 1/b 2/a]"},
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

func TestNegativeRarityDisablesWeighting(t *testing.T) {
	// With counts making a/favor common, the default rarity picks b's
	// 0.5 first; a negative Rarity weighs nothing and takes a's 0.9.
	cands := []Candidate{
		{ID: "1", DocID: "1", Text: "one sentence", Prediction: pred([]float64{0.9, 0, 0.1}, []float64{0, 0, 1})},
		{ID: "2", DocID: "2", Text: "another sentence", Prediction: pred([]float64{0, 0, 1}, []float64{0.5, 0, 0.5})},
	}
	for _, tc := range []struct {
		rarity float64
		want   string
	}{{0, "2"}, {-1, "1"}} {
		t.Run(fmt.Sprint(tc.rarity), func(t *testing.T) {
			s := NewSelector(tax, Options{N: 1, Strategy: Stance, Counts: [][]int{{99, 0, 0}, {0, 0, 0}}, Rarity: tc.rarity}, nil)
			for _, c := range cands {
				s.Add(c)
			}
			if got := s.Select().Picks[0].ID; got != tc.want {
				t.Fatalf("picked %s, want %s", got, tc.want)
			}
		})
	}
}
