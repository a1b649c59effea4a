package main

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stance-project/stance/eval/suggest"
	"github.com/stance-project/stance/labels"
)

func TestAnswer(t *testing.T) {
	counts := [2][]float64{{200, 300, 400, 500}, {200, 300, 400, 500}}
	cells := func(xs ...float64) []cell {
		out := make([]cell, len(xs))
		for i, x := range xs {
			out[i] = cell{x, math.NaN()}
		}
		return out
	}
	for _, tc := range []struct {
		name        string
		rnd, unc    []cell
		wantPrefix  string
		wantContain string
	}{
		{"reached early", cells(0.1, 0.2, 0.3, 0.4), cells(0.1, 0.3, 0.45, 0.5), "**No**", "round 2, with 400 labels (more than half)"},
		{"reached at half", cells(0.1, 0.2, 0.3, 0.4), cells(0.1, 0.4, 0.45, 0.5), "**Yes**", "round 1, with 250 labels"},
		{"never", cells(0.1, 0.2, 0.3, 0.4), cells(0.1, 0.2, 0.35, 0.39), "**No**", "never reaches 0.400 within 3 rounds (its best: 0.390)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// Half of 500 is 250; move the second round to 250 labels for
			// the "at half" case.
			c := counts
			if tc.wantPrefix == "**Yes**" {
				c = [2][]float64{counts[0], {200, 250, 400, 500}}
			}
			got := answer(tc.rnd, c[0], tc.unc, c[1])
			if !strings.HasPrefix(got, tc.wantPrefix) || !strings.Contains(got, tc.wantContain) {
				t.Fatalf("got %q", got)
			}
		})
	}
}

func TestMeanSD(t *testing.T) {
	// Sample sd of 1, 2, 3 is 1 (by hand).
	if c := meanSD([]float64{1, 2, 3}); c.mean != 2 || math.Abs(c.sd-1) > 1e-12 {
		t.Fatalf("%+v", c)
	}
	if c := meanSD([]float64{0.5}); c.String() != "0.500" {
		t.Fatalf("one seed: %q", c.String())
	}
}

func TestRunRejectsBadFlags(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"unknown strategy", []string{"-strategy", "decision,bogus"}, `unknown strategy "bogus"`},
		{"repeated strategy", []string{"-strategy", "margin,margin"}, "margin given twice"},
		{"explore of 1", []string{"-explore", "1"}, "-explore 1"},
		{"negative rarity", []string{"-rarity", "-1"}, "rarity ≥ 0"},
		{"negative wide-l2", []string{"-wide-l2", "-0.5"}, "-wide-l2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out, errs strings.Builder
			err := run(context.Background(), append(tc.args, "-data", "/nonexistent.csv"), &out, &errs)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want an error containing %q", err, tc.want)
			}
		})
	}
}

func TestWriteReport(t *testing.T) {
	// One seed, random and decision, rounds 0 and 1, two rows. Decision
	// gets both rows right in round 1 (F_avg 1 on the one target with a
	// stance, NaN elsewhere), random predicts none (F_avg 0).
	tax := labels.Default()
	row := func(id, v string) labels.Gold {
		return labels.Gold{ID: id, DocID: id, Text: id, Labels: []string{v, "none", "none", "none"}}
	}
	rows := []labels.Gold{row("r1", "favor"), row("r2", "none")}
	p := func(v string) labels.Prediction {
		return labels.Prediction{Values: []string{v, "none", "none", "none"}}
	}
	none := []labels.Prediction{p("none"), p("none")}
	right := []labels.Prediction{p("favor"), p("none")}
	s := settings{strategies: []suggest.Strategy{suggest.Decision}, seeds: 1, workers: 1}
	res := &results{
		preds:    [][][][]labels.Prediction{{{none, none}, {none, right}}},
		labelled: [][][][]int{{{{2}, {4}}, {{2}, {4}}}},
		stanced:  [][][][]int{{{{1}, {1}}, {{1}, {3}}}},
		counts:   [][][][][]int{{{suggest.LabelCounts(tax, nil), suggest.LabelCounts(tax, nil)}, {suggest.LabelCounts(tax, nil), suggest.LabelCounts(tax, rows)}}},
	}
	res.hunt = map[string]*huntCount{
		"russia_dialogue: favor":           {runs: 2, rows: 8, top: []int{1, 3, 6}},
		"russia_dialogue: favor with cues": {runs: 2, rows: 8, top: []int{2, 4, 6}},
	}
	var b strings.Builder
	writeReport(&b, s, rows, res, 0)
	out := b.String()
	for _, want := range []string{
		"| round | labels | random | stance rows | decision | stance rows | Δ |",
		"| 1 | 4 | 0.000 | 1 | 1.000 | 3 | +1.000 |",
		"- decision: **Yes**: reaches it at round 0, with 2 labels.",
		"| decision | 1.000 (1/0) | NaN (0/0) | NaN (0/0) | NaN (0/0) | 1.000 | 1.000 |",
		"| random | 0.000 (0/0) | NaN (0/0) | NaN (0/0) | NaN (0/0) | NaN | 0.000 |",
		"| value | rows | top 12 | top 25 | top 50 |",
		"| russia_dialogue: favor | 4.0 | 0.5 | 1.5 | 3.0 |",
		"| russia_dialogue: favor with cues | 4.0 | 1.0 | 2.0 | 3.0 |",
		"| arm | russia_dialogue: favor (1) |",
		"| decision | 1.000 (1.00/1.00) |",
		"| random | 0.000 (–/0.00) |", // never predicted favor: no precision
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
}

func TestOracle(t *testing.T) {
	// Pool: one row with the rarest value (russia_dialogue against, 1 in
	// the pool), two with a commoner one (favor, 2), and seven none rows.
	// Four picks: the two rarest first (the against row, then one favor
	// row), then two random rows from the rest, none twice.
	tax := labels.Default()
	row := func(id, v string) labels.Gold {
		return labels.Gold{ID: id, DocID: id, Text: id, Labels: []string{v, "none", "none", "none"}}
	}
	rows := []labels.Gold{row("n0", "none"), row("f0", "favor"), row("a0", "against"), row("f1", "favor")}
	for i := range 6 {
		rows = append(rows, row(fmt.Sprint("n", i+1), "none"))
	}
	pool := make([]int, len(rows))
	for i := range pool {
		pool[i] = i
	}
	for seed := range uint64(20) {
		got := oracle(tax, rows, pool, pool, 4, rand.New(rand.NewPCG(seed, 1)))
		if len(got) != 4 || rows[got[0]].ID != "a0" || rows[got[1]].Labels[0] != "favor" {
			t.Fatalf("seed %d: picks %v", seed, got)
		}
		seen := map[int]bool{}
		for _, i := range got {
			if seen[i] {
				t.Fatalf("seed %d: row %d picked twice: %v", seed, i, got)
			}
			seen[i] = true
		}
	}
}

func TestTallyHunt(t *testing.T) {
	// One russia_dialogue: against row among 59 others. The model gives
	// it p(against) 0.1 and the others 0.2, so by probability alone it
	// ranks last; its text has one topic and two against words
	// (russia; extend, tighte), so weighted it scores 0.1 × 4 = 0.4 and
	// ranks first.
	tax := labels.Default()
	var rows []labels.Gold
	var preds []labels.Prediction
	var unl []int
	for i := range 60 {
		r := labels.Gold{ID: fmt.Sprint("r", i), Text: fmt.Sprint("Filler sentence number ", i), Labels: []string{"none", "none", "none", "none"}}
		p := [][]float64{{0, 0.2, 0.8}, {0, 0, 1}, {0, 0, 1}, {0, 0, 1}}
		if i == 30 {
			r.Text, r.Labels[0] = "Sanctions on Russia must be extended and tightened.", "against"
			p[0] = []float64{0, 0.1, 0.9}
		}
		rows = append(rows, r)
		preds = append(preds, labels.Prediction{Probs: p})
		unl = append(unl, i)
	}
	for _, cues := range []bool{true, false} {
		res := &results{}
		tallyHunt(cues, tax, rows, nil, unl, preds, res)
		if h := res.hunt["russia_dialogue: against"]; h == nil || h.rows != 1 || fmt.Sprint(h.top) != "[0 0 0]" {
			t.Errorf("cues %v: by probability %+v, want 1 row, in no top K", cues, h)
		}
		h := res.hunt["russia_dialogue: against with cues"]
		switch {
		case !cues && h != nil:
			t.Errorf("-cues=false still ranks by cues: %+v", h)
		case cues && (h == nil || h.rows != 1 || fmt.Sprint(h.top) != "[1 1 1]"):
			t.Errorf("weighted by cues %+v, want the row in every top K", h)
		}
	}
}
