package models

import (
	"bytes"
	"context"
	"fmt"
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
	} {
		if got := textKey(tc.a) == textKey(tc.b); got != tc.same {
			t.Errorf("textKey(%q) == textKey(%q): %v, want %v", tc.a, tc.b, got, tc.same)
		}
	}
}

// A warm start counts per target the labels added, changed and removed
// since the old model, and the ledger survives a save and load.
func TestWarmStartSince(t *testing.T) {
	rows := readFixture(t)
	cfg := fixtureConfig()
	cfg.Epochs = 3
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
