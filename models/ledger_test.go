package models

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/stance-project/stance/labels"
)

func TestTextKey(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		same bool
	}{
		{"Talks with Russia.", "Talks with Russia.", true},
		{"Talks with Russia.", "  Talks  with\r\nRussia. ", true},
		{"Talks with Russia.", "talks with Russia.", false},
		{"Talks with Russia.", "Talks with Russia", false},
		{"ab c", "a bc", false},
		{"Russia’s “dialogue” – now…", "Russia's \"dialogue\" - now...", true}, // labels.TextKey folds typography
	} {
		if got := textKey(tc.a) == textKey(tc.b); got != tc.same {
			t.Errorf("textKey(%q) == textKey(%q): %v, want %v", tc.a, tc.b, got, tc.same)
		}
	}
}

// A ledger saved before the keys folded typography (keyed by the words
// alone) still recognises its texts.
func TestLedgerRekey(t *testing.T) {
	rows := []labels.Gold{{Text: "Russia’s “dialogue”."}, {Text: "Plain text."}, {Text: "Never trained on."}}
	old := ledger{{wordsKey(rows[0].Text): 0, wordsKey(rows[1].Text): 1}}
	m := &Model{ledger: old}
	if got := m.TrainedOn(rows); got != 2 {
		t.Errorf("TrainedOn = %d, want 2", got)
	}
	re := old.rekey(rows)
	if v, ok := re[0][textKey(rows[0].Text)]; !ok || v != 0 {
		t.Errorf("rekeyed ledger %v lacks the folded key of %q", re, rows[0].Text)
	}
	if _, ok := old[0][textKey(rows[0].Text)]; ok {
		t.Error("rekey changed the ledger it was given")
	}
	if got := ledger(nil).rekey(rows); got != nil {
		t.Errorf("rekey of no ledger = %v", got)
	}
}

// A warm start counts per target the labels added, changed and removed
// since the old model, and the ledger survives a save and load.
func TestWarmStartSince(t *testing.T) {
	rows := readFixture(t)
	cfg := fixtureConfig()
	old := slices.Clone(rows[:len(rows)-6]) // the last 6 rows are new
	// The old data also had a row the new data drops, and a different
	// value for the first row's first target.
	gone := labels.Gold{ID: "gone", DocID: "DOCX", Text: "A sentence nobody labels any more.", Labels: []string{"none", "none", "none", "none"}}
	old = append(old, gone)
	old[0].Labels = slices.Clone(old[0].Labels)
	old[0].Labels[0] = "none"
	m0, _, err := Train(context.Background(), cfg, labels.Default(), old, TrainOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := m0.Write(&buf); err != nil {
		t.Fatal(err)
	}
	m0, err = Read(&buf)
	if err != nil {
		t.Fatal(err)
	}
	// The saved model counts its labels per target and value, a repeated
	// text once (its last label, as the ledger keeps it).
	tax := labels.Default()
	want := make([][]int, len(tax.Targets))
	for ti := range want {
		last := map[uint64]string{}
		for _, r := range old {
			if r.Labels[ti] != "" {
				last[textKey(r.Text)] = r.Labels[ti]
			}
		}
		want[ti] = make([]int, len(tax.Targets[ti].Values))
		for _, v := range last {
			want[ti][tax.ValueIndex(ti, v)]++
		}
	}
	if got := m0.LabelCounts(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("LabelCounts %v, want %v", got, want)
	}

	_, sum, err := Train(context.Background(), cfg, labels.Default(), rows, TrainOptions{Init: m0})
	if err != nil {
		t.Fatal(err)
	}
	s := sum.Since
	if s == nil || !s.Ledger {
		t.Fatalf("Since = %+v, want a comparison with a ledger", s)
	}
	if s.OldRows != len(old) {
		t.Errorf("old rows %d, want %d", s.OldRows, len(old))
	}
	for ti, c := range s.Targets {
		var want [nValues]int
		for _, r := range rows[len(rows)-6:] {
			if v := r.Labels[ti]; v != "" {
				want[tax.ValueIndex(ti, v)]++
			}
		}
		if c.Added != want {
			t.Errorf("%s: added %v, want %v", c.Target, c.Added, want)
		}
		var changed [nValues]int
		if ti == 0 && rows[0].Labels[0] != "none" {
			changed[tax.ValueIndex(0, rows[0].Labels[0])] = 1
		}
		if c.Changed != changed {
			t.Errorf("%s: changed %v, want %v", c.Target, c.Changed, changed)
		}
		if c.Removed != 1 {
			t.Errorf("%s: removed %d, want 1", c.Target, c.Removed)
		}
		if c.NewFAvg != sum.Dev[ti].FAvg && !(c.NewFAvg != c.NewFAvg) {
			t.Errorf("%s: new F_avg %v, summary says %v", c.Target, c.NewFAvg, sum.Dev[ti].FAvg)
		}
	}
	// Cross-fitting holds out every row; the old model saw all but the 6
	// new ones.
	if s.Held != len(rows) || s.HeldSeen != len(rows)-6 {
		t.Errorf("held %d, seen by the old model %d; want %d, %d", s.Held, s.HeldSeen, len(rows), len(rows)-6)
	}
	var rep strings.Builder
	if err := sum.WriteReport(&rep); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"since the old model", "added fav/ag/none", "new rows", "→"} {
		if !strings.Contains(rep.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, rep.String())
		}
	}

	// A version 1 model has no ledger: the summary says so.
	v1, err := Load("testdata/v1.stance")
	if err != nil {
		t.Fatal(err)
	}
	if got := v1.LabelCounts(); got != nil {
		t.Errorf("a version 1 model counts labels: %v", got)
	}
	_, sum, err = Train(context.Background(), cfg, labels.Default(), rows, TrainOptions{Init: v1})
	if err != nil {
		t.Fatal(err)
	}
	rep.Reset()
	sum.WriteReport(&rep)
	if sum.Since == nil || sum.Since.Ledger || !strings.Contains(rep.String(), "predates the label ledger") {
		t.Errorf("warm start from a v1 model: %+v\n%s", sum.Since, rep.String())
	}
}

// The summary's before and after means are over the same targets, those
// scored on both sides, and say which targets they leave out.
func TestSinceMeansSameTargets(t *testing.T) {
	nan := math.NaN()
	names := []string{"russia_dialogue", "southern_flank", "defense_spending", "ukraine_support"}
	since := func(ledger bool, own, onNew [][2]float64) *Since {
		s := &Since{OldDataSHA256: "0123456789abcdef", OldRows: 10, Ledger: ledger, Held: 20, HeldSeen: 15}
		for i, n := range names {
			c := TargetChange{Target: n, OldFAvg: own[i][0], NewFAvg: own[i][1]}
			c.OldOnNew.FAvg, c.NewOnNew.FAvg = nan, nan
			if onNew != nil {
				c.OldOnNew.FAvg, c.NewOnNew.FAvg = onNew[i][0], onNew[i][1]
			}
			s.Targets = append(s.Targets, c)
		}
		return s
	}
	same := [][2]float64{{0.1, 0.1}, {0.05, 0.05}, {0.084, 0.084}, {0.2, 0.2}}
	for _, tc := range []struct {
		name  string
		s     *Since
		mean  string   // the mean row, spaces collapsed
		notes []string // footnote lines, in order
		lacks []string
	}{
		{
			// The reported case: defense_spending had no gold favor or
			// against among the old model's held-out rows.
			name:  "old undefined",
			s:     since(false, [][2]float64{{0.1, 0.1}, {0.05, 0.05}, {nan, 0}, {0.084, 0.084}}, nil),
			mean:  "mean* 0.078 → 0.078 (+0.000) n/a",
			notes: []string{"* held-out F_avg (own): mean of the 3 of 4 targets scored by both models; left out: defense_spending (old n/a)"},
		},
		{
			name:  "all defined",
			s:     since(true, same, same),
			mean:  "mean 0.109 → 0.109 (+0.000) 0.109 → 0.109 (+0.000)",
			lacks: []string{"mean*", "left out"},
		},
		{
			// No held-out row is new: the column has no score at all,
			// so there is nothing to explain.
			name:  "no new rows",
			s:     since(true, same, nil),
			mean:  "mean 0.109 → 0.109 (+0.000) n/a → n/a",
			lacks: []string{"mean*", "left out"},
		},
		{
			name: "new undefined on new rows only",
			s: since(true, [][2]float64{{0.1, 0.3}, {0.05, 0.05}, {0.084, 0.084}, {0.2, 0.2}},
				[][2]float64{{0.5, 0.7}, {0.4, nan}, {nan, nan}, {0.1, 0.1}}),
			mean:  "mean* 0.109 → 0.159 (+0.050) 0.300 → 0.400 (+0.100)",
			notes: []string{"* F_avg on new rows: mean of the 2 of 4 targets scored by both models; left out: southern_flank (new n/a), defense_spending (both n/a)"},
		},
		{
			name:  "nothing defined on both sides",
			s:     since(false, [][2]float64{{nan, 0.1}, {0.05, nan}, {nan, nan}, {nan, 0.2}}, nil),
			mean:  "mean* n/a → n/a n/a",
			notes: []string{"* held-out F_avg (own): mean of the 0 of 4 targets scored by both models; left out: russia_dialogue (old n/a), southern_flank (new n/a), defense_spending (both n/a), ukraine_support (old n/a)"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b strings.Builder
			tc.s.write(&b)
			out := b.String()
			lines := strings.Split(out, "\n")
			i := slices.IndexFunc(lines, func(l string) bool { return strings.HasPrefix(l, "mean") })
			if i < 0 {
				t.Fatalf("no mean row:\n%s", out)
			}
			if got := strings.Join(strings.Fields(lines[i]), " "); got != tc.mean {
				t.Errorf("mean row %q, want %q\n%s", got, tc.mean, out)
			}
			for j, want := range tc.notes {
				if k := i + 1 + j; k >= len(lines) || lines[k] != want {
					t.Errorf("footnote %d missing, want %q:\n%s", j+1, want, out)
				}
			}
			for _, s := range tc.lacks {
				if strings.Contains(out, s) {
					t.Errorf("summary has %q:\n%s", s, out)
				}
			}
		})
	}
}

// TrainedOn counts the rows among those given whose text the model has
// a label of, by words (spacing aside, as the ledger keys them); a
// version-1 model knows only the hash of its training rows.
func TestTrainedOn(t *testing.T) {
	m, _ := trainFixture(t, fixtureConfig())
	rows := readFixture(t)
	var some []labels.Gold
	for _, s := range []string{rows[0].Text, "  " + strings.ReplaceAll(rows[1].Text, " ", "\t ") + " ", "A sentence the fixture does not have.", rows[0].Text} {
		some = append(some, labels.Gold{ID: fmt.Sprint(len(some)), Text: s})
	}
	if n := m.TrainedOn(some); n != 3 {
		t.Errorf("TrainedOn = %d, want 3", n)
	}
	if n := goldenModel(t).TrainedOn(some); n != 0 {
		t.Errorf("version 1 model: TrainedOn = %d, want 0", n)
	}
	// Without a ledger, only the exact training rows are recognised.
	m.ledger = nil
	if n := m.TrainedOn(rows); n != len(rows) {
		t.Errorf("no ledger, the training rows: TrainedOn = %d, want %d", n, len(rows))
	}
	if n := m.TrainedOn(rows[1:]); n != 0 {
		t.Errorf("no ledger, other rows: TrainedOn = %d, want 0", n)
	}
}

// TestSinceSameTextTwice: a text labelled differently under two ids (as
// train.csv has) is one ledger entry, its last label; retraining on the
// very same rows must then report nothing added or changed (it reported
// the first row's label as changed).
func TestSinceSameTextTwice(t *testing.T) {
	rows := slices.Clone(readFixture(t))
	dup := rows[0]
	dup.ID, dup.DocID = "dup", "DOCDUP"
	dup.Labels = slices.Clone(dup.Labels)
	if dup.Labels[0] == "favor" {
		dup.Labels[0] = "none"
	} else {
		dup.Labels[0] = "favor"
	}
	rows = append(rows, dup)
	cfg := fixtureConfig()
	m0, _, err := Train(context.Background(), cfg, labels.Default(), rows, TrainOptions{})
	if err != nil {
		t.Fatal(err)
	}
	_, sum, err := Train(context.Background(), cfg, labels.Default(), rows, TrainOptions{Init: m0})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range sum.Since.Targets {
		if c.AddedTotal() != 0 || c.Changed != [3]int{} || c.Removed != 0 {
			t.Errorf("%s: added %v, changed %v, removed %d; want nothing", c.Target, c.Added, c.Changed, c.Removed)
		}
	}
}
