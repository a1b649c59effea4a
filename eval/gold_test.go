package eval

import (
	"bytes"
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stance-project/stance/labels"
)

// withLabels returns a copy of rows whose labels for target t are v.
func withLabels(rows []labels.Gold, t int, v string) []labels.Gold {
	out := make([]labels.Gold, len(rows))
	for i, r := range rows {
		r.Labels = slices.Clone(r.Labels)
		r.Labels[t] = v
		out[i] = r
	}
	return out
}

// oldMetrics evaluates preds on rows and returns the metrics as an
// earlier metrics.csv would give them back.
func oldMetrics(t *testing.T, tax labels.Taxonomy, rows []labels.Gold, preds []labels.Prediction, opts Options) []Metric {
	t.Helper()
	rep, err := Evaluate(tax, rows, []System{{Name: "model", Preds: preds}}, opts)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := rep.WriteMetricsCSV(&buf); err != nil {
		t.Fatal(err)
	}
	ms, err := ReadMetrics(&buf, "old/metrics.csv")
	if err != nil {
		t.Fatal(err)
	}
	return ms
}

// The headline's change is over the targets scored in both evaluations:
// leaving a target's gold cells empty must not move it.
func TestCompareHeadlineOverSharedTargets(t *testing.T) {
	tax := labels.Default()
	rows, preds := syntheticData(tax, 200, 9)
	opts := DefaultOptions()
	opts.Resamples = 200
	d := tax.Index("defense_spending")
	// The model never decides defense_spending (F_avg 0), so leaving the
	// target out moves the headlines far outside the old interval.
	for i := range preds {
		preds[i].Values = slices.Clone(preds[i].Values)
		preds[i].Values[d] = labels.None
	}
	empty := withLabels(rows, d, "")             // F_avg undefined: no labelled row
	noStance := withLabels(rows, d, labels.None) // F_avg undefined: no favor or against gold
	tests := []struct {
		name         string
		old, new     []labels.Gold
		wantUnpaired bool
		wantLeftOut  []string
		wantSummary  []string
		notSummary   []string
	}{
		{"same targets", rows, rows, false, nil,
			[]string{"  headline 0.", "within the old interval"}, []string{"headline*", "left out"}},
		{"target emptied now", rows, empty, true, []string{"defense_spending (new n/a)"},
			[]string{"headline* ", "(+0.000), not judged: the old interval is over other targets",
				"* mean of the 3 of 4 targets scored in both evaluations; left out: defense_spending (new n/a); each evaluation's own headline: "},
			[]string{"  headline 0.", "outside the old interval"}},
		{"target emptied before", empty, rows, true, []string{"defense_spending (old n/a)"},
			[]string{"headline* ", "(+0.000), not judged", "left out: defense_spending (old n/a)"}, []string{"  headline 0."}},
		{"no stance on either side", noStance, noStance, false, []string{"defense_spending (both n/a)"},
			[]string{"headline* ", "within the old interval", "* mean of the 3 of 4 targets scored in both evaluations; left out: defense_spending (both n/a)"},
			[]string{"not judged"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			old := oldMetrics(t, tax, tc.old, preds, opts)
			rep, err := Evaluate(tax, tc.new, []System{{Name: "model", Preds: preds}}, opts)
			if err != nil {
				t.Fatal(err)
			}
			rep.Compare(old)
			h, ok := rep.Headline("model")
			if !ok {
				t.Fatal("no headline change")
			}
			if h.Unpaired != tc.wantUnpaired || !slices.Equal(h.LeftOut, tc.wantLeftOut) || h.Targets != 4 || h.Paired != 4-len(tc.wantLeftOut) {
				t.Errorf("headline change %+v, want unpaired %v, left out %q", h, tc.wantUnpaired, tc.wantLeftOut)
			}
			// Same predictions on the same rows of the shared targets: the
			// paired means agree (four decimals in metrics.csv).
			if math.IsNaN(h.New) || math.Abs(h.New-h.Old) > 1e-4 {
				t.Errorf("paired headline %v -> %v, want no change", h.Old, h.New)
			}
			for _, c := range rep.Changes {
				if tc.wantUnpaired && c.Metric().Target == AllTargets && c.Flag != "" && c.Flag != FlagNew && c.Flag != FlagGone {
					t.Errorf("%s flagged %s although the evaluations score different targets", metricLabel(c.Metric()), c.Flag)
				}
			}
			var sum bytes.Buffer
			if err := rep.WriteSummary(&sum); err != nil {
				t.Fatal(err)
			}
			var page bytes.Buffer
			if err := rep.WriteHTML(&page); err != nil {
				t.Fatal(err)
			}
			for _, w := range tc.wantSummary {
				if !strings.Contains(sum.String(), w) {
					t.Errorf("summary lacks %q:\n%s", w, sum.String())
				}
			}
			for _, w := range tc.notSummary {
				if strings.Contains(sum.String(), w) {
					t.Errorf("summary has %q:\n%s", w, sum.String())
				}
			}
			for _, l := range tc.wantLeftOut {
				if !strings.Contains(page.String(), "left out: "+l) {
					t.Errorf("report.html does not name %q as left out", l)
				}
			}
		})
	}
}

func TestFingerprintRows(t *testing.T) {
	tax := labels.Default()
	rows, _ := syntheticData(tax, 20, 3)
	base := FingerprintRows(tax, rows)
	edit := func(f func(rs []labels.Gold) []labels.Gold) []labels.Gold {
		rs := make([]labels.Gold, len(rows))
		for i, r := range rows {
			r.Labels = slices.Clone(r.Labels)
			rs[i] = r
		}
		return f(rs)
	}
	tests := []struct {
		name              string
		rows              []labels.Gold
		sameIDs, sameData bool
	}{
		{"same rows", edit(func(rs []labels.Gold) []labels.Gold { return rs }), true, true},
		{"other order", edit(func(rs []labels.Gold) []labels.Gold { slices.Reverse(rs); return rs }), true, true},
		{"other text", edit(func(rs []labels.Gold) []labels.Gold { rs[3].Text += " Again."; return rs }), true, true},
		{"other label", edit(func(rs []labels.Gold) []labels.Gold { rs[3].Labels[1] = "other"; return rs }), true, false},
		{"cell emptied", edit(func(rs []labels.Gold) []labels.Gold { rs[3].Labels[1] = ""; return rs }), true, false},
		{"other id", edit(func(rs []labels.Gold) []labels.Gold { rs[3].ID = "x"; return rs }), false, false},
		{"row dropped", edit(func(rs []labels.Gold) []labels.Gold { return rs[1:] }), false, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fp := FingerprintRows(tax, tc.rows)
			if (fp.IDs == base.IDs) != tc.sameIDs || (fp.Data == base.Data) != tc.sameData || fp.Rows != len(tc.rows) {
				t.Errorf("fingerprint %+v against %+v: want same ids %v, same data %v", fp, base, tc.sameIDs, tc.sameData)
			}
		})
	}
}

// A baseline evaluated on other gold rows is reported as not like for
// like, in the warnings and on the page.
func TestCompareGold(t *testing.T) {
	tax := labels.Default()
	rows, preds := syntheticData(tax, 100, 9)
	other, otherPreds := syntheticData(tax, 100, 10)
	for i := range other {
		other[i].ID += "b"
		otherPreds[i].ID = other[i].ID
	}
	relabelled := withLabels(rows, 0, labels.None)
	opts := DefaultOptions()
	opts.Resamples = 50
	fp := func(rs []labels.Gold) *Fingerprint {
		f := FingerprintRows(tax, rs)
		f.Labels = "old.csv"
		return &f
	}
	tests := []struct {
		name     string
		oldRows  []labels.Gold
		oldPreds []labels.Prediction
		oldFP    *Fingerprint
		want     string // "" for no warning
	}{
		{"same rows", rows, preds, fp(rows), ""},
		{"other rows", other, otherPreds, fp(other), "the gold rows differ: old was evaluated on 100 sentences (old.csv), this evaluation on 100 sentences (new.csv), with other ids, so the comparison is not like for like"},
		{"other labels", relabelled, preds, fp(relabelled), "the gold labels differ: old was evaluated on the same 100 sentences with other labels, so the comparison is not like for like"},
		{"no fingerprint, as many rows", rows, preds, nil, "cannot check that old was evaluated on the same gold rows: it has no fingerprint.csv"},
		{"no fingerprint, fewer rows", rows[:80], preds[:80], nil, "the gold rows differ: old was evaluated on 80 sentences, this evaluation on 100 sentences (new.csv), so the comparison is not like for like"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			old := oldMetrics(t, tax, tc.oldRows, tc.oldPreds, opts)
			rep, err := Evaluate(tax, rows, []System{{Name: "model", Preds: preds}}, opts)
			if err != nil {
				t.Fatal(err)
			}
			rep.Meta = Meta{Labels: []string{"new.csv"}, Baseline: "old"}
			rep.Compare(old)
			ws := rep.CompareGold(tc.oldFP)
			var page bytes.Buffer
			if err := rep.WriteHTML(&page); err != nil {
				t.Fatal(err)
			}
			if tc.want == "" {
				if len(ws) != 0 || strings.Contains(page.String(), "Warning:") {
					t.Errorf("warnings %q for the same rows", ws)
				}
				return
			}
			if len(ws) != 1 || !strings.HasPrefix(ws[0], tc.want) {
				t.Fatalf("warnings %q, want %q", ws, tc.want)
			}
			if !strings.Contains(page.String(), `<p class="warn"><strong>Warning:</strong> `+strings.ReplaceAll(tc.want, "'", "&#39;")) {
				t.Errorf("report.html does not carry the warning %q", tc.want)
			}
		})
	}
}

func TestFingerprintFile(t *testing.T) {
	dir := t.TempDir()
	rep, err := syntheticReport(30, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := writeDir(rep, dir); err != nil {
		t.Fatal(err)
	}
	got, err := ReadFingerprintFile(filepath.Join(dir, FileFingerprint))
	if err != nil {
		t.Fatal(err)
	}
	if want := (Fingerprint{Rows: 30, IDs: rep.Gold.IDs, Data: rep.Gold.Data, Labels: "testdata/gold.csv"}); *got != want {
		t.Errorf("read %+v, wrote %+v", *got, want)
	}
	if _, err := ReadFingerprintFile(filepath.Join(dir, "none.csv")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: error %v, want os.ErrNotExist", err)
	}
	hash := strings.Repeat("a", 64)
	tests := []struct{ name, in, want string }{
		{"empty", "", "f.csv:1: not a fingerprint.csv: want a header and one row, got 0 line(s)"},
		{"missing column", "rows,ids_sha256,labels\n3," + hash + ",a.csv\n", `f.csv:1: not a fingerprint.csv: missing column "data_sha256"`},
		{"bad count", "rows,ids_sha256,data_sha256,labels\nthree," + hash + "," + hash + ",a.csv\n", `f.csv:2: not a fingerprint.csv: rows "three" is not a count`},
		{"short hash", "rows,ids_sha256,data_sha256,labels\n3,abc," + hash + ",a.csv\n", "f.csv:2: not a fingerprint.csv: a hash is not 64 hex digits"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "f.csv")
			os.WriteFile(path, []byte(tc.in), 0o644)
			_, err := ReadFingerprintFile(path)
			var pe *labels.ParseError
			if err == nil || !errors.As(err, &pe) || err.Error() != strings.Replace(tc.want, "f.csv", path, 1) {
				t.Errorf("error %v, want %q", err, tc.want)
			}
		})
	}
}

// An evaluation on rows the model was trained on is not called held out.
func TestSummaryTrainedRows(t *testing.T) {
	tests := []struct {
		name           string
		trained        int
		summary, page  string
		notSummaryPage string
	}{
		{"held out", 0, "held-out evaluation: 60 sentences", "Held-out evaluation.", "not held out"},
		{"all trained on", 60, "evaluation on the model's training rows (not held out: the scores are optimistic): 60 sentences",
			"the model was trained on 60 of these 60 sentences", "held-out evaluation"},
		{"some trained on", 5, "evaluation with 5 of the 60 rows from the model's training data (not held out: the scores are optimistic)",
			"the model was trained on 5 of these 60 sentences", "held-out evaluation"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rep, err := syntheticReport(60, 0)
			if err != nil {
				t.Fatal(err)
			}
			rep.Meta.Trained = tc.trained
			var sum, page bytes.Buffer
			if err := rep.WriteSummary(&sum); err != nil {
				t.Fatal(err)
			}
			if err := rep.WriteHTML(&page); err != nil {
				t.Fatal(err)
			}
			html := strings.ReplaceAll(page.String(), "&#39;", "'")
			if !strings.Contains(sum.String(), tc.summary) || !strings.Contains(html, tc.page) {
				t.Errorf("summary lacks %q or page lacks %q:\n%s", tc.summary, tc.page, sum.String())
			}
			if strings.Contains(strings.ToLower(sum.String()+html), tc.notSummaryPage) {
				t.Errorf("summary or page says %q", tc.notSummaryPage)
			}
		})
	}
}
