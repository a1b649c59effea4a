package suggest

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/stance-project/stance/labels"
)

// described is a one-target taxonomy whose description names its topic
// and cue words (written for these tests): topic stems "harbou",
// "bridge"; favor cues "repair", "widen"; against cues "demoli",
// "close".
var described = labels.Taxonomy{Targets: []labels.Target{{
	Name:        "harbour",
	Description: "The harbour bridge. Favor: repair or widen it. Against: demolish or close it.",
	Values:      labels.DefaultValues,
}}}

func one(p []float64) labels.Prediction {
	return labels.Prediction{Values: []string{"none"}, Probs: [][]float64{p}}
}

func TestCuesWeighRankings(t *testing.T) {
	// Every case ranks the same three candidates, in this order; picks
	// are listed by id.
	cands := []Candidate{
		{ID: "p", DocID: "d1", Text: "The weather was mild all week long."},
		{ID: "f", DocID: "d2", Text: "We must repair the harbour bridge soon."}, // topic 2, favor 1
		{ID: "a", DocID: "d3", Text: "Close the bridge to lorries now."},        // topic 1, against 1
	}
	// Per candidate: margins 0.9 (p), 0.5 (f) and 0.4 (a); or
	// p(against) 0.5 (p), 0.3 (f) and 0.2 (a).
	margins := [][]float64{{0.45, 0, 0.55}, {0.25, 0, 0.75}, {0.2, 0, 0.8}}
	againsts := [][]float64{{0, 0.5, 0.5}, {0, 0.3, 0.7}, {0, 0.2, 0.8}}
	for _, tc := range []struct {
		name  string
		tax   labels.Taxonomy
		opts  Options
		probs [][]float64 // per candidate
		want  string      // picks as id:cues
	}{
		{
			// f's 3 cue words + 0.5 = 3.5 and a's 2 + 0.4 = 2.4 both
			// beat p's 0 + 0.9.
			name:  "targets: topic and both values' cues, then margin",
			tax:   described,
			opts:  Options{N: 3, Strategy: Targets},
			probs: margins,
			want:  "[f:3 a:2 p:0]",
		},
		{
			name:  "targets without cues: margin alone",
			tax:   described,
			opts:  Options{N: 3, Strategy: Targets, NoCues: true},
			probs: margins,
			want:  "[p:0 f:0 a:0]",
		},
		{
			// The against head: a's 2 cue words + 0.2 = 2.2 beats p's
			// 0 + 0.5; f's 2 (topic only) + 0.3 = 2.3 comes first.
			// Counts make against the only head with a share worth a
			// turn.
			name:  "rare: topic and the value's cues, then probability",
			tax:   described,
			opts:  Options{N: 3, Strategy: Rare, Counts: [][]int{{1e6, 1, 10}}},
			probs: againsts,
			want:  "[f:2 a:2 p:0]",
		},
		{
			// A cue word outranks any probability: f's 2 + 0.02 and a's
			// 2 + 0.01 beat p's 0 + 0.95, which a product (1 + words) ·
			// probability would put first (0.95 against 0.06).
			name:  "rare: description words before probability",
			tax:   described,
			opts:  Options{N: 3, Strategy: Rare, Counts: [][]int{{1e6, 1, 10}}},
			probs: [][]float64{{0, 0.95, 0.05}, {0, 0.02, 0.98}, {0, 0.01, 0.99}},
			want:  "[f:2 a:2 p:0]",
		},
		{
			name:  "rare without cues",
			tax:   described,
			opts:  Options{N: 3, Strategy: Rare, Counts: [][]int{{1e6, 1, 10}}, NoCues: true},
			probs: againsts,
			want:  "[p:0 f:0 a:0]",
		},
		{
			// Margin is classic uncertainty sampling: never weighed.
			name:  "margin ignores cues",
			tax:   described,
			opts:  Options{N: 3, Strategy: Margin},
			probs: margins,
			want:  "[p:0 f:0 a:0]",
		},
		{
			// A target without a description has nothing to count.
			name:  "no description, no weighting",
			tax:   labels.Taxonomy{Targets: []labels.Target{{Name: "harbour", Values: labels.DefaultValues}}},
			opts:  Options{N: 3, Strategy: Targets},
			probs: margins,
			want:  "[p:0 f:0 a:0]",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sel := NewSelector(tc.tax, tc.opts, nil)
			for i, c := range cands {
				c.Prediction = one(tc.probs[i])
				sel.Add(c)
			}
			var got []string
			for _, p := range sel.Select().Picks {
				got = append(got, fmt.Sprintf("%s:%d", p.ID, p.Cues))
			}
			if s := fmt.Sprint(got); s != tc.want {
				t.Fatalf("got %s, want %s", s, tc.want)
			}
		})
	}
}

func TestReasonNamesCueWords(t *testing.T) {
	sel := NewSelector(described, Options{N: 2, Strategy: Mixed, Counts: [][]int{{5, 1, 10}}}, nil)
	sel.Add(Candidate{ID: "f", DocID: "d1", Text: "We must repair the harbour bridge soon.", Prediction: one([]float64{0.3, 0.1, 0.6})})
	sel.Add(Candidate{ID: "a", DocID: "d2", Text: "Close the bridge to lorries now.", Prediction: one([]float64{0.1, 0.3, 0.6})})
	var reasons []string
	for _, p := range sel.Select().Picks {
		reasons = append(reasons, p.Reason(described, Mixed))
	}
	// By hand: Targets' margin for f is 1 − (0.6 − 0.3) = 0.7, times
	// 1 + 3 (the reason shows the margin); Rare's against head takes a
	// (0.3 × (1+2)).
	want := []string{
		"harbour targets 0.700 (decided none; none 0.60 / favor 0.30; 3 cue words)",
		"harbour against 0.30 (rare, 1 labelled, 2 cue words)",
	}
	if strings.Join(reasons, "\n") != strings.Join(want, "\n") {
		t.Fatalf("got\n%s\nwant\n%s", strings.Join(reasons, "\n"), strings.Join(want, "\n"))
	}
}

func TestCueCounterCount(t *testing.T) {
	cc := NewCueCounter(described)
	cues := cc.Cues("We must repair the harbour bridge, not close it.") // topic 2, favor 1, against 1
	for _, tc := range []struct {
		target, value, want int
	}{
		{0, -1, 4}, // the whole target: topic and both values' cues
		{0, 0, 3},  // favor
		{0, 1, 3},  // against
		{0, 2, 2},  // none: the topic alone
		{1, 0, 0},  // no such target
	} {
		if got, confirmed := cc.Count(cues, tc.target, tc.value); got != tc.want || confirmed != 0 {
			t.Errorf("Count(target %d, value %d) = %d, %d confirmed, want %d, 0", tc.target, tc.value, got, confirmed, tc.want)
		}
	}
	if NewCueCounter(tax) != nil {
		t.Error("a taxonomy without descriptions has a cue counter")
	}
	var none *CueCounter
	if n, c := none.Count(none.Cues("harbour bridge"), 0, 0); n != 0 || c != 0 {
		t.Error("a nil counter counts")
	}

	// Of two targets, only the described one counts; a description
	// without Favor and Against parts counts its words as topic words
	// only, not the keyword baseline's generic cues ("support",
	// "never"...).
	mixed := labels.Taxonomy{Targets: []labels.Target{
		{Name: "fees", Description: "Harbour fees.", Values: labels.DefaultValues},
		{Name: "plain", Values: labels.DefaultValues},
		described.Targets[0],
	}}
	cc = NewCueCounter(mixed)
	cues = cc.Cues("We support the harbour fees and never close the harbour bridge.")
	for _, tc := range []struct {
		target, value, want int
	}{
		{0, -1, 2}, // harbou, fees: not support, never
		{0, 0, 2},
		{1, -1, 0}, // no description
		{1, 0, 0},
		{2, -1, 3}, // harbou, bridge, close
		{2, 1, 3},
		{2, 0, 2},
	} {
		if got, _ := cc.Count(cues, tc.target, tc.value); got != tc.want {
			t.Errorf("mixed taxonomy: Count(target %d, value %d) = %d, want %d", tc.target, tc.value, got, tc.want)
		}
	}
}

// Confirm: a description word that labelled examples of the value
// contain is reported as confirmed for that value's ranking, and for the
// whole target's; words of other values' examples, and words the
// description does not name, are not.
func TestCueCounterConfirm(t *testing.T) {
	mixed := labels.Taxonomy{Targets: []labels.Target{
		{Name: "fees", Description: "Harbour fees.", Values: labels.DefaultValues}, // generic: topic words only
		described.Targets[0],
	}}
	cc := NewCueCounter(mixed)
	rows := []labels.Gold{
		// favor of the bridge: harbou, bridge (topic) and repair (favor cue);
		// "soon" is no description word. A label beyond the taxonomy is
		// ignored.
		{ID: "1", Text: "Repair the harbour bridge soon.", Labels: []string{"", "favor", "against"}},
		// against: close (against cue); the fees row is none, confirming nothing.
		{ID: "2", Text: "Close it, whatever the harbour fees.", Labels: []string{"none", "against"}},
		// a fees example confirms the topic words of fees only: not
		// "support", a generic cue that fees' Count does not count.
		{ID: "3", Text: "Harbour fees must fall; we support that.", Labels: []string{"favor"}},
	}
	// In two calls: Confirm adds to what it has.
	cc.Confirm(rows[:2])
	cc.Confirm(rows[2:])
	cues := cc.Cues("We must repair the harbour bridge, not close it, and support lower fees.")
	for _, tc := range []struct {
		target, value    int
		words, confirmed int
	}{
		{1, 0, 3, 3},  // favor: harbou, bridge, repair, all in row 1
		{1, 1, 3, 2},  // against: harbou (row 2), close; not bridge (favor only)
		{1, -1, 4, 4}, // the target: any stance's examples
		{1, 2, 2, 0},  // none: never confirmed
		{0, 0, 2, 2},  // fees favor: harbou, fees (row 3)
		{0, 1, 2, 0},  // fees against: no example
		{0, -1, 2, 2},
		{0, 2, 2, 0}, // fees none: never confirmed
	} {
		n, c := cc.Count(cues, tc.target, tc.value)
		if n != tc.words || c != tc.confirmed {
			t.Errorf("Count(target %d, value %d) = %d words, %d confirmed, want %d, %d", tc.target, tc.value, n, c, tc.words, tc.confirmed)
		}
	}
	if got := cc.Score(0.25, 3, 2); got != 5.25 {
		t.Errorf("Score(0.25, 3 words, 2 confirmed) = %v, want 5.25", got)
	}
}

// A Selector confirms the description words of its labelled rows: of two
// sentences with as many description words, the one whose words the
// labelled examples of the value contain comes first, and the reason
// says so.
func TestSelectorConfirmsLabelledWords(t *testing.T) {
	labelled := []labels.Gold{{ID: "g", Text: "They want to demolish the old bridge.", Labels: []string{"against"}}}
	sel := NewSelector(described, Options{N: 1, Strategy: Rare, Counts: [][]int{{20, 1, 10}}}, labelled)
	// Both have two against-ranking words (bridge and a cue); x's bridge
	// is in the labelled example (0.4 + 2 + 1), and so are both of y's,
	// bridge and demolish (0.2 + 2 + 2).
	sel.Add(Candidate{ID: "x", DocID: "d1", Text: "Close the bridge to lorries.", Prediction: one([]float64{0.1, 0.4, 0.5})})
	sel.Add(Candidate{ID: "y", DocID: "d2", Text: "Demolish that bridge at last.", Prediction: one([]float64{0.1, 0.2, 0.7})})
	res := sel.Select()
	if len(res.Picks) != 1 || res.Picks[0].ID != "y" {
		t.Fatalf("picks %+v, want y", res.Picks)
	}
	if got, want := res.Picks[0].Reason(described, Rare), "harbour against 0.20 (rare, 1 labelled, 2 cue words, 2 in labelled examples)"; got != want {
		t.Errorf("reason %q, want %q", got, want)
	}
}

// A Targets pick's reason shows its margin without the description
// words, confirmed ones counted twice in the score, and says how many
// there were.
func TestReasonNamesConfirmedWords(t *testing.T) {
	labelled := []labels.Gold{{ID: "g", Text: "They want to demolish the old bridge.", Labels: []string{"against"}}}
	sel := NewSelector(described, Options{N: 1, Strategy: Targets}, labelled)
	sel.Add(Candidate{ID: "f", DocID: "d1", Text: "We must repair the harbour bridge soon.", Prediction: one([]float64{0.3, 0.1, 0.6})})
	picks := sel.Select().Picks
	if len(picks) != 1 {
		t.Fatalf("%d picks, want 1", len(picks))
	}
	// harbou, bridge, repair; bridge confirmed (the target's ranking
	// takes examples of either stance): 0.7 + 3 + 1.
	if p := picks[0]; p.Cues != 3 || p.Confirmed != 1 || math.Abs(p.Score-4.7) > 1e-9 {
		t.Errorf("pick %d words, %d confirmed, score %v; want 3, 1, 4.7", p.Cues, p.Confirmed, p.Score)
	}
	want := "harbour targets 0.700 (decided none; none 0.60 / favor 0.30; 3 cue words, 1 in labelled examples)"
	if got := picks[0].Reason(described, Targets); got != want {
		t.Errorf("reason %q, want %q", got, want)
	}
}
