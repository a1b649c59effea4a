package suggest

import (
	"fmt"
	"math"
	"testing"

	"github.com/stance-project/stance/labels"
)

var tax = labels.Taxonomy{Targets: []labels.Target{
	{Name: "a", Values: labels.DefaultValues},
	{Name: "b", Values: labels.DefaultValues},
}}

func pred(pa, pb []float64) labels.Prediction {
	return labels.Prediction{Values: []string{"none", "none"}, Probs: [][]float64{pa, pb}}
}

func TestUncertainty(t *testing.T) {
	// Reference values by hand: margin score = 1 − (top − second);
	// entropy = −Σ p ln p / ln 3.
	for _, tc := range []struct {
		name       string
		p          labels.Prediction
		s          Strategy
		wantTarget string
		want       float64
	}{
		{"margin picks the closer head", pred([]float64{0.1, 0, 0.9}, []float64{0.45, 0.05, 0.5}), Margin, "b", 0.95},
		{"margin certain", pred([]float64{0, 0, 1}, []float64{0, 0, 1}), Margin, "a", 0},
		{"entropy uniform", pred([]float64{1.0 / 3, 1.0 / 3, 1.0 / 3}, []float64{0, 0, 1}), Entropy, "a", 1},
		{"entropy half-half", pred([]float64{0, 0, 1}, []float64{0.5, 0, 0.5}), Entropy, "b", math.Log(2) / math.Log(3)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			target, score := Uncertainty(tax, tc.p, tc.s)
			if target != tc.wantTarget || math.Abs(score-tc.want) > 1e-9 {
				t.Fatalf("got %s %.6f, want %s %.6f", target, score, tc.wantTarget, tc.want)
			}
		})
	}
}

func TestSelect(t *testing.T) {
	cands := []Candidate{
		{ID: "1", DocID: "d1", Date: "2020", Text: "We will raise defence spending next year", Prediction: pred([]float64{0.5, 0, 0.5}, []float64{0, 0, 1})},
		{ID: "2", DocID: "d1", Date: "2020", Text: "Sanctions must stay until the war ends", Prediction: pred([]float64{0.45, 0.1, 0.45}, []float64{0, 0, 1})},
		{ID: "3", DocID: "d1", Date: "2020", Text: "A third uncertain sentence from the same speech", Prediction: pred([]float64{0.4, 0.2, 0.4}, []float64{0, 0, 1})},
		{ID: "4", DocID: "d2", Date: "2021", Text: "We will raise defence spending next year!", Prediction: pred([]float64{0.48, 0.04, 0.48}, []float64{0, 0, 1})},
		{ID: "5", DocID: "d3", Date: "2021", Text: "The Mediterranean is our first priority", Prediction: pred([]float64{0, 0, 1}, []float64{0.3, 0.3, 0.4})},
		{ID: "6", DocID: "d4", Date: "2022", Text: "Dialogue with Moscow is the only way forward", Prediction: pred([]float64{0.35, 0.3, 0.35}, []float64{0, 0, 1})},
		{ID: "7", DocID: "d5", Date: "2022", Text: "This sentence is certain", Prediction: pred([]float64{0, 0, 1}, []float64{0, 0, 1})},
	}
	labelled := []labels.Gold{
		{ID: "g1", Text: "Dialogue with Moscow is the only way forward.", Labels: []string{"favor", ""}},
		// Unlabelled rows are not labelled sentences: no near-duplicate
		// of this one is passed over.
		{ID: "g2", Text: "A third uncertain sentence from the same speech.", Labels: []string{"", ""}},
	}
	s := NewSelector(tax, Options{Strategy: Margin, N: 4, PerDoc: 2, PerYear: 5}, labelled)
	for _, c := range cands {
		s.Add(c)
	}
	res := s.Select()
	var got []string
	for _, p := range res.Picks {
		got = append(got, p.ID+"/"+p.Target)
	}
	// By score, ties in tieHash order: 1 (1.0), 3 (1.0), 4 (1.0, near-dup
	// of 1), 6 (1.0, near labelled), 2 (1.0, d1 cap), 5 (0.9), 7 (0).
	want := "[1/a 3/a 5/b 7/a]"
	if fmt.Sprint(got) != want {
		t.Fatalf("picks %v, want %s", got, want)
	}
	if res.NearLabelled != 1 || res.NearPicked != 1 || res.DocCap != 1 || res.PoolCap != 0 {
		t.Fatalf("skips %+v", res)
	}
}

func TestPoolBoundsMemory(t *testing.T) {
	s := NewSelector(tax, Options{Strategy: Margin, N: 2, Pool: 5}, nil)
	for i := range 1000 {
		p := float64(i%100) / 200 // up to 0.495 on favor
		s.Add(Candidate{ID: fmt.Sprintf("%04d", i), DocID: fmt.Sprint(i), Date: "2020", Text: fmt.Sprintf("sentence number %d", i), Prediction: pred([]float64{p, 0, 1 - p}, []float64{0, 0, 1})})
	}
	if len(s.queues[0].pool) != 5 || s.Seen() != 1000 {
		t.Fatalf("pool %d, seen %d", len(s.queues[0].pool), s.Seen())
	}
	res := s.Select()
	if len(res.Picks) != 2 || res.Picks[0].Score < 0.99 {
		t.Fatalf("picks %+v", res.Picks)
	}
	if res.PoolCap != 995 {
		t.Fatalf("%d candidates passed over by the pool, want 995", res.PoolCap)
	}
}

func TestAutomaticYearCapFollowsThePool(t *testing.T) {
	// 16 candidates from 2020, one each from four other years, all less
	// uncertain. N = 10: the 2020 cap is ceil(2·10·16/20) = 16, so the ten
	// most uncertain (all 2020) are taken; each other year may take
	// ceil(2·10·1/20) = 1.
	s := NewSelector(tax, Options{Strategy: Margin, N: 10}, nil)
	for i := range 16 {
		p := 0.45 - float64(i)/1000
		s.Add(Candidate{ID: fmt.Sprintf("a%02d", i), DocID: fmt.Sprint("a", i), Date: "2020-09", Text: fmt.Sprintf("distinct sentence %d about 2020", i), Prediction: pred([]float64{p, 0, 1 - p}, []float64{0, 0, 1})})
	}
	for i, y := range []string{"2001", "2002", "2003", "2004"} {
		s.Add(Candidate{ID: "b" + y, DocID: "b" + y, Date: y, Text: "another text from " + y + fmt.Sprint(i), Prediction: pred([]float64{0.2, 0, 0.8}, []float64{0, 0, 1})})
	}
	res := s.Select()
	n2020 := 0
	for _, p := range res.Picks {
		if p.Date == "2020-09" {
			n2020++
		}
	}
	if len(res.Picks) != 10 || n2020 != 10 || res.YearCap != 0 {
		t.Fatalf("%d picks, %d from 2020, %d passed over for the year cap", len(res.Picks), n2020, res.YearCap)
	}
}

// TestTiesPreferCueWords: a target the model has never seen labelled gets
// p(none) = 1 on every sentence, so its margin (Targets) and its relevance
// 1 − p(none) (Rare, a value never labelled) are 0 for every candidate and
// only the description words tell them apart. The tie must go to the
// sentences that name the target's description words, not to the lowest
// ids; with a small pool, the heap must keep them too.
func TestTiesPreferCueWords(t *testing.T) {
	dtax := labels.Default()
	sf := dtax.Index("southern_flank")
	// 36 sentences without a description word of southern_flank
	// (s0300..s0335), then four with some (s0336..s0339). The other
	// targets find the plain sentences uncertain (margin and p(against)
	// above 0) and the cue sentences certain, so they leave the cue
	// sentences alone.
	cueTexts := []string{
		"Migration across the Mediterranean is a priority.",
		"Terrorism from Libya and the Sahel reaches the South.",
		"Maritime routes in the Mediterranean come first.",
		"North Africa and Tunisia deserve attention.",
	}
	var cands []Candidate
	cue := map[string]bool{}
	for i := range 40 {
		c := Candidate{ID: fmt.Sprintf("s%04d", 300+i), DocID: fmt.Sprint("d", i), Date: "2020-01-01"}
		p := labels.Prediction{}
		for range dtax.Targets {
			p.Values = append(p.Values, labels.None)
			x := 0.2 + float64(i)/200
			p.Probs = append(p.Probs, []float64{x, 0.1, 0.9 - x})
		}
		if k := i - 36; k >= 0 {
			c.Text = cueTexts[k]
			cue[c.ID] = true
			for t := range p.Probs {
				p.Probs[t] = []float64{0, 0, 1}
			}
		} else {
			c.Text = fmt.Sprintf("Item %d of the minutes, page %d, line %d.", i, 7*i, 13*i)
		}
		p.Probs[sf] = []float64{0, 0, 1} // never labelled: sure of none
		c.Prediction = p
		cands = append(cands, c)
	}
	// southern_flank never labelled; the other heads alike, so that every
	// head has an equal share.
	counts := make([][]int, len(dtax.Targets))
	for t := range counts {
		counts[t] = []int{5, 5, 100}
	}
	counts[sf] = []int{0, 0, 100}
	nt := len(dtax.Targets)
	for _, tc := range []struct {
		name string
		opts Options
		want int // southern_flank picks, all of them cue sentences
	}{
		// Four rankings take turns: two picks each.
		{"targets", Options{N: 2 * nt, Strategy: Targets}, 2},
		// The heap keeps only 2N per ranking: it must keep the cue
		// sentences, not the lowest ids.
		{"targets, small pool", Options{N: 2 * nt, Strategy: Targets, Pool: 1}, 2},
		// Eight heads of equal share: one pick each.
		{"rare", Options{N: 2 * nt, Strategy: Rare, Counts: counts}, 2},
		{"rare, small pool", Options{N: 2 * nt, Strategy: Rare, Counts: counts, Pool: 1}, 2},
		// Half targets (two picks a target), half rare (one a head).
		{"mixed", Options{N: 4 * nt, Strategy: Mixed, Counts: counts}, 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sel := NewSelector(dtax, tc.opts, nil)
			for _, c := range cands {
				sel.Add(c)
			}
			var got []string
			for _, p := range sel.Select().Picks {
				if p.Target != "southern_flank" {
					continue
				}
				got = append(got, p.ID)
				if !cue[p.ID] || p.Cues == 0 || p.Score != float64(p.Cues) {
					t.Errorf("southern_flank pick %s (%d cue words, score %v) is not a cue sentence: %q", p.ID, p.Cues, p.Score, p.Text)
				}
			}
			if len(got) != tc.want {
				t.Errorf("southern_flank picks %v, want %d cue sentences", got, tc.want)
			}
		})
	}
}

func TestTodoGuess(t *testing.T) {
	// The guess is the decided value and its probability; when the
	// decision (a class-weighted rule) chose a less probable value, the
	// likeliest follows.
	for _, tc := range []struct {
		name  string
		value string
		probs []float64
		want  string
	}{
		{"decided the likeliest", "none", []float64{0.03, 0.02, 0.95}, "none 0.95"},
		{"decided a stance, the likeliest", "favor", []float64{0.62, 0.08, 0.3}, "favor 0.62"},
		{"decided less than the likeliest", "favor", []float64{0.03, 0.02, 0.95}, "favor 0.03 (likeliest none 0.95)"},
		{"likeliest a stance", "none", []float64{0.15, 0.45, 0.4}, "none 0.40 (likeliest against 0.45)"},
		{"tied with the likeliest", "favor", []float64{0.45, 0.1, 0.45}, "favor 0.45"},
		{"no decision", "", []float64{0.03, 0.02, 0.95}, ""},
		{"no probabilities for the target", "favor", nil, "favor ?"},
		{"unknown value", "maybe", []float64{0.03, 0.02, 0.95}, "maybe ?"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := pred(tc.probs, []float64{0, 0, 1})
			p.Values[0] = tc.value
			rows := TodoRows(tax, Margin, []Pick{{Candidate: Candidate{ID: "x", Prediction: p}, Target: "a"}})
			if got := rows[0].Extra[GuessColumn("a")]; got != tc.want {
				t.Fatalf("guess %q, want %q", got, tc.want)
			}
			if got := rows[0].Extra[GuessColumn("b")]; got != "none 1.00" {
				t.Fatalf("guess on b %q, want %q", got, "none 1.00")
			}
		})
	}
}

// A candidate whose prediction holds NaN (a broken model) is not ranked:
// margin would have called it the most uncertain of all, and a NaN kept
// at the root of a full heap would keep every later candidate out.
func TestNaNScoreNotRanked(t *testing.T) {
	tax := labels.Default()
	nan := math.NaN()
	var cands []Candidate
	for i := range 10 {
		p := labels.Prediction{}
		for range tax.Targets {
			x := 0.1 + float64(i)/20
			p.Values = append(p.Values, labels.None)
			p.Probs = append(p.Probs, []float64{x, 0.05, 0.95 - x})
		}
		if i == 0 {
			for t := range p.Probs {
				p.Probs[t] = []float64{nan, nan, nan}
			}
		}
		cands = append(cands, Candidate{ID: fmt.Sprintf("n%02d", i), DocID: fmt.Sprint("d", i), Date: "2020", Text: fmt.Sprintf("Sentence number %d about nothing.", i), Prediction: p})
	}
	sel := NewSelector(tax, Options{N: 2, Strategy: Margin, Pool: 2}, nil)
	for _, c := range cands {
		sel.Add(c)
	}
	picks := sel.Select().Picks
	if len(picks) != 2 {
		t.Fatalf("%d picks, want 2", len(picks))
	}
	for _, p := range picks {
		if p.ID == "n00" {
			t.Errorf("picked the NaN candidate: %+v", picks)
		}
	}
}
