package eval

import (
	"bytes"
	"errors"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/stance-project/stance/labels"
)

func TestReadMetricsRoundTrip(t *testing.T) {
	tax, rows, preds := handFixture()
	opts := DefaultOptions()
	opts.Resamples = 100
	rep, err := Evaluate(tax, rows, []System{{Name: "m", Preds: preds}}, opts)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := rep.WriteMetricsCSV(&buf); err != nil {
		t.Fatal(err)
	}
	got, err := ReadMetrics(bytes.NewReader(buf.Bytes()), "metrics.csv")
	if err != nil {
		t.Fatal(err)
	}
	want := rep.Systems[0].Metrics
	if len(got) != len(want) {
		t.Fatalf("read %d metrics, wrote %d", len(got), len(want))
	}
	for i := range want {
		// Written with four decimals.
		w, g := want[i], got[i]
		close := func(a, b float64) bool { return approx(a, b) || math.Abs(a-b) <= 5e-5 }
		if g.Key() != w.Key() || g.N != w.N || !close(g.Estimate, w.Estimate) || !close(g.Low, w.Low) || !close(g.High, w.High) {
			t.Errorf("row %d: read %+v, wrote %+v", i+1, g, w)
		}
	}
}

func TestReadMetricsErrors(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", "m.csv:1: not a metrics.csv: empty file"},
		{"missing column", "system,target,value,metric,estimate,ci_low,n\n", `m.csv:1: not a metrics.csv: missing column "ci_high"`},
		{"bad number", "system,target,value,metric,estimate,ci_low,ci_high,n\nm,a,,f1,0.5,0.4,0.6,3\nm,a,,f_avg,high,,,3\n", "m.csv:3:12: not a metrics.csv: column estimate: \"high\" is not a finite number"},
		{"NaN spelled out", "system,target,value,metric,estimate,ci_low,ci_high,n\nm,a,,f1,NaN,,,3\n", `m.csv:2:9: not a metrics.csv: column estimate: "NaN" is not a finite number`},
		{"bad count", "system,target,value,metric,estimate,ci_low,ci_high,n\nm,a,,f1,0.5,,,-1\n", `m.csv:2:15: not a metrics.csv: column n: "-1" is not a count`},
		{"csv syntax", "system,target,value,metric,estimate,ci_low,ci_high,n\nm,\"a,,f1\n", "m.csv:2"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadMetrics(strings.NewReader(tc.in), "m.csv")
			if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
				t.Fatalf("error %v, want prefix %q", err, tc.want)
			}
			var pe *labels.ParseError
			if !errors.As(err, &pe) {
				t.Errorf("error %T is not a *ParseError", err)
			}
		})
	}
	// An older file without a fold column reads with Fold "".
	ms, err := ReadMetrics(strings.NewReader("system,target,value,metric,estimate,ci_low,ci_high,n\nm,a,,f1,0.5,,,3\n"), "m.csv")
	if err != nil || len(ms) != 1 || ms[0].Fold != "" || !math.IsNaN(ms[0].Low) {
		t.Errorf("got %+v, %v", ms, err)
	}
}

func TestJudge(t *testing.T) {
	old := Metric{System: "m", Target: "a", Name: MetricF1, Estimate: 0.6, Low: 0.5, High: 0.7, N: 60}
	ece := Metric{System: "m", Target: "a", Name: MetricECE, Estimate: 0.1, Low: 0.05, High: 0.15, N: 60}
	// One favor prediction, right: precision 1 on every resample that has it.
	point := Metric{System: "m", Target: "a", Value: "favor", Name: MetricPrecision, Estimate: 1, Low: 1, High: 1, N: 60}
	few := old
	few.N = MinJudgeRows - 1
	tests := []struct {
		name     string
		old      Metric
		support  int // old gold examples of the value, -1 unknown
		newEst   float64
		wantFlag string
		judged   bool
		thin     bool
	}{
		{"inside", old, -1, 0.55, "", true, false},
		{"below ci_low", old, -1, 0.49, FlagWorse, true, false},
		{"above ci_high", old, -1, 0.71, FlagBetter, true, false},
		{"at ci_low", old, -1, 0.5, "", true, false},
		{"new undefined", old, -1, nan, "", false, false},
		{"ece above is worse", ece, -1, 0.2, FlagWorse, true, false},
		{"ece below is better", ece, -1, 0.01, FlagBetter, true, false},
		{"old without interval", Metric{Name: MetricF1, Estimate: 0.6, Low: nan, High: nan, N: 60}, -1, 0.1, "", false, false},
		{"zero-width old interval", point, -1, 0.5, "", false, true},
		{"zero-width old interval at 0", Metric{Name: MetricF1, Value: "against", Estimate: 0, Low: 0, High: 0, N: 60}, 20, 0.4, "", false, true},
		{"old on too few sentences", few, -1, 0.1, "", false, true},
		{"old on too few gold examples", old, MinJudgeRows - 1, 0.1, "", false, true},
		{"old on just enough gold examples", old, MinJudgeRows, 0.1, FlagWorse, true, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n := tc.old
			n.Estimate = tc.newEst
			c := judge(tc.old, n, tc.support)
			if c.Flag != tc.wantFlag || c.Judged != tc.judged || c.Thin != tc.thin {
				t.Errorf("flag %q judged %v thin %v, want %q %v %v", c.Flag, c.Judged, c.Thin, tc.wantFlag, tc.judged, tc.thin)
			}
			if !approx(c.Delta, tc.newEst-tc.old.Estimate) {
				t.Errorf("delta %v", c.Delta)
			}
		})
	}
}

func TestCompare(t *testing.T) {
	tax := labels.Default()
	rows, preds := syntheticData(tax, 200, 9)
	opts := DefaultOptions()
	opts.Resamples = 200
	oldRep, err := Evaluate(tax, rows, []System{{Name: "model", Preds: preds}}, opts)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	oldRep.WriteMetricsCSV(&buf)
	old, err := ReadMetrics(&buf, "old/metrics.csv")
	if err != nil {
		t.Fatal(err)
	}
	old = append(old, Metric{System: "model", Target: "retired_target", Name: MetricF1, Estimate: 0.5, Low: nan, High: nan})

	// Same predictions: nothing may be flagged.
	same, _ := Evaluate(tax, rows, []System{{Name: "model", Preds: preds}}, opts)
	if worse := same.Compare(old); len(worse) != 0 {
		t.Errorf("identical evaluation flagged %d metrics worse", len(worse))
	}
	for _, m := range same.Systems[0].Metrics {
		// ECE is biased upward on resamples: its percentile interval
		// could exclude the estimate, and flag an identical model.
		if m.Name == MetricECE && !(m.Low <= m.Estimate && m.Estimate <= m.High) {
			t.Errorf("%s ECE %v outside its own interval [%v, %v]", m.Target, m.Estimate, m.Low, m.High)
		}
	}
	for _, c := range same.Changes {
		if c.Flag == FlagBetter {
			t.Errorf("identical evaluation flagged %s %s %s better: %v outside [%v, %v]", c.New.Target, c.New.Value, c.New.Name, c.New.Estimate, c.Old.Low, c.Old.High)
		}
	}
	if last := same.Changes[len(same.Changes)-1]; last.Flag != FlagGone || last.Old.Target != "retired_target" {
		t.Errorf("last change %+v, want the retired target gone", last)
	}

	// Break the model on defense_spending: predict none everywhere.
	broken := make([]labels.Prediction, len(preds))
	d := tax.Index("defense_spending")
	for i, p := range preds {
		broken[i] = labels.Prediction{ID: p.ID, Values: append([]string(nil), p.Values...), Probs: p.Probs}
		broken[i].Values[d] = labels.None
	}
	worseRep, err := Evaluate(tax, rows, []System{{Name: "model", Preds: broken}}, opts)
	if err != nil {
		t.Fatal(err)
	}
	worse := worseRep.Compare(old)
	flagged := map[string]bool{}
	for _, c := range worse {
		flagged[c.New.Target+"/"+c.New.Value+"/"+c.New.Name] = true
	}
	for _, k := range []string{"defense_spending/favor/f1", "defense_spending//f_avg", "ALL//mean_f_avg"} {
		if !flagged[k] {
			t.Errorf("%s not flagged worse; flagged: %v", k, flagged)
		}
	}
	for k := range flagged {
		if strings.HasPrefix(k, "russia_dialogue") {
			t.Errorf("untouched target flagged: %s", k)
		}
	}
	var out bytes.Buffer
	if err := worseRep.WriteComparisonCSV(&out); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out.String(), "system,fold,target,value,metric,old,new,change,old_ci_low,old_ci_high,new_ci_low,new_ci_high,old_n,new_n,flag\n") ||
		!strings.Contains(out.String(), ",worse\n") || !strings.Contains(out.String(), "retired_target,,f1,0.5,,,,,,,0,,gone\n") {
		t.Errorf("comparison.csv:\n%s", out.String())
	}
}

func FuzzReadMetrics(f *testing.F) {
	f.Add("system,fold,target,value,metric,estimate,ci_low,ci_high,n\nmodel,,a,favor,f1,0.5,0.4,0.6,10\n")
	f.Add("system,target,value,metric,estimate,ci_low,ci_high,n\nm,a,,f1,,,,3\n")
	f.Add("\uFEFFn,ci_high,ci_low,estimate,metric,value,target,system\n1,2,3,4,5,6,7,8\n")
	f.Add("system,target\n\"")
	f.Fuzz(func(t *testing.T, in string) {
		ms, err := ReadMetrics(strings.NewReader(in), "f.csv")
		if err != nil {
			var pe *labels.ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %T %v is not a *ParseError", err, err)
			}
			return
		}
		for _, m := range ms {
			if math.IsInf(m.Estimate, 0) || m.N < 0 || m.System == "" || m.Name == "" {
				t.Fatalf("accepted %+v", m)
			}
		}
	})
}

// A perfectly calibrated model has ECE 0; its resamples cannot go below
// and mostly land above, so a percentile interval would exclude the
// estimate and flag the same model as worse or better.
func TestECEIntervalHoldsEstimate(t *testing.T) {
	tax := labels.Default()
	// Five bins of 40 sentences, predicted favor at confidence c and right
	// in exactly c·40 of them.
	rows, preds := syntheticData(tax, 200, 3)
	for i := range preds {
		bin, k := i/40, i%40
		c := 0.55 + 0.1*float64(bin)
		for ti := range tax.Targets {
			gold := labels.None
			if float64(k) < c*40-0.5 {
				gold = labels.Favor
			}
			rows[i].Labels[ti] = gold
			preds[i].Values[ti] = labels.Favor
			preds[i].Probs[ti] = []float64{c, 0, 1 - c}
		}
	}
	opts := DefaultOptions()
	opts.Resamples = 200
	rep, err := Evaluate(tax, rows, []System{{Name: "model", Preds: preds}}, opts)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, m := range rep.Systems[0].Metrics {
		if m.Name != MetricECE {
			continue
		}
		n++
		if !(m.Low <= m.Estimate && m.Estimate <= m.High) {
			t.Errorf("%s ECE %v outside its interval [%v, %v]", m.Target, m.Estimate, m.Low, m.High)
		}
	}
	if n == 0 {
		t.Fatal("no ECE metric")
	}
}

// TestCompareThinOldInterval: an old interval with no width, or on fewer
// than MinJudgeRows sentences or gold examples of the value (the old
// support row), judges nothing; such changes are counted apart.
func TestCompareThinOldInterval(t *testing.T) {
	m := func(value, name string, est, lo, hi float64, n int) Metric {
		return Metric{System: "model", Target: "a", Value: value, Name: name, Estimate: est, Low: lo, High: hi, N: n}
	}
	support := func(k int) Metric { return m("favor", MetricSupport, float64(k), nan, nan, 60) }
	tests := []struct {
		name       string
		old        []Metric // the first is the one compared
		newEst     float64
		wantFlag   string
		judged     bool
		thin       bool
		worse, all int // judgeCounts: worse, judged + thin
	}{
		{"one favor prediction, right", []Metric{m("favor", MetricPrecision, 1, 1, 1, 60), support(20)}, 0.5, "", false, true, 0, 1},
		{"F1 0 on every resample", []Metric{m("against", MetricF1, 0, 0, 0, 60)}, 0.4, "", false, true, 0, 1},
		{"recall on 3 gold favor", []Metric{m("favor", MetricRecall, 0.667, 0.333, 1, 60), support(3)}, 0, "", false, true, 0, 1},
		{"recall on 5 gold favor", []Metric{m("favor", MetricRecall, 0.8, 0.4, 1, 60), support(5)}, 0.2, FlagWorse, true, false, 1, 1},
		{"recall without a support row", []Metric{m("favor", MetricRecall, 0.8, 0.4, 1, 60)}, 0.2, FlagWorse, true, false, 1, 1},
		{"support rows only count for values", []Metric{m("", MetricFAvg, 0.8, 0.6, 0.9, 60), support(1)}, 0.2, FlagWorse, true, false, 1, 1},
		{"on 4 sentences", []Metric{m("", MetricAccuracy, 0.75, 0.25, 1, 4)}, 0, "", false, true, 0, 1},
		{"on 5 sentences", []Metric{m("", MetricAccuracy, 0.8, 0.4, 1, 5)}, 0, FlagWorse, true, false, 1, 1},
		{"no old interval", []Metric{m("", MetricAccuracy, 0.8, nan, nan, 60)}, 0, "", false, false, 0, 0},
		{"new undefined", []Metric{m("", MetricAccuracy, 0.8, 0.6, 0.9, 60)}, nan, "", false, false, 0, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n := tc.old[0]
			n.Estimate, n.Low, n.High = tc.newEst, nan, nan
			r := &Report{Systems: []*SystemResult{{Name: "model", Metrics: []Metric{n}}}}
			worse := r.Compare(tc.old)
			var c Change
			for _, x := range r.Changes {
				if x.Metric().Key() == n.Key() {
					c = x
				}
			}
			if c.Flag != tc.wantFlag || c.Judged != tc.judged || c.Thin != tc.thin {
				t.Errorf("flag %q judged %v thin %v, want %q %v %v", c.Flag, c.Judged, c.Thin, tc.wantFlag, tc.judged, tc.thin)
			}
			jc := r.judgeCounts("model")
			if len(worse) != tc.worse || jc.Worse != tc.worse || jc.Judged+jc.Thin != tc.all {
				t.Errorf("Compare returned %d worse; counts %+v, want %d worse of %d judged or thin", len(worse), jc, tc.worse, tc.all)
			}
		})
	}
}

// TestFAvgNotes: a target whose gold lacks favor or against has an F_avg
// of one F1 (or none); the summary says so under the headline, and the
// page beside it.
func TestFAvgNotes(t *testing.T) {
	tests := []struct {
		name  string
		pairs [][2]string // (gold, predicted) of target t
		note  string      // "" for none
	}{
		{"favor and against", concat(repeat(3, "favor", "favor"), repeat(3, "against", "favor"), repeat(4, "none", "none")), ""},
		{"no gold against", concat(repeat(3, "favor", "favor"), repeat(3, "none", "against"), repeat(4, "none", "none")),
			"F_avg of t is favor's F1 alone: no gold against"},
		{"no gold favor", concat(repeat(3, "against", "against"), repeat(3, "none", "favor"), repeat(4, "none", "none")),
			"F_avg of t is against's F1 alone: no gold favor"},
		{"neither", concat(repeat(3, "none", "favor"), repeat(7, "none", "none")),
			"F_avg of t is undefined: no gold favor or against; left out of the headline"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tax := testTaxonomy("t")
			rows, preds := pairsFixture(tax, [][][2]string{tc.pairs})
			opts := DefaultOptions()
			opts.Resamples = 0
			rep, err := Evaluate(tax, rows, []System{{Name: "model", Preds: preds}}, opts)
			if err != nil {
				t.Fatal(err)
			}
			var sum, page bytes.Buffer
			if err := rep.WriteSummary(&sum); err != nil {
				t.Fatal(err)
			}
			if err := rep.WriteHTML(&page); err != nil {
				t.Fatal(err)
			}
			// Right under the headline line.
			lines := strings.Split(sum.String(), "\n")
			i := slices.IndexFunc(lines, func(l string) bool { return strings.HasPrefix(l, "headline mean F_avg ") })
			if i < 0 || i+1 == len(lines) {
				t.Fatalf("no headline line:\n%s", sum.String())
			}
			gotNote := ""
			if n, ok := strings.CutPrefix(lines[i+1], "  note: "); ok {
				gotNote = n
			}
			if gotNote != tc.note {
				t.Errorf("note under the headline %q, want %q; summary:\n%s", gotNote, tc.note, sum.String())
			}
			html := strings.ReplaceAll(page.String(), "&#39;", "'")
			if has := strings.Contains(html, "In the headline: "+tc.note); has != (tc.note != "") {
				t.Errorf("report.html names the note %q: %v", tc.note, has)
			}
		})
	}
}

// TestHeadlineNotes: the summary and the page say "within" only of a
// change judged against an old interval.
func TestHeadlineNotes(t *testing.T) {
	tests := []struct {
		name          string
		c             Change
		summary, page string
	}{
		{"judged, within", Change{Judged: true}, ", within the old interval", "within the earlier interval"},
		{"judged, worse", Change{Judged: true, Flag: FlagWorse}, " WORSE: outside the old interval", "below the earlier interval"},
		{"thin old interval", Change{Thin: true}, ", not judged: " + thinReason, "not judged: the earlier interval has no width or too few sentences"},
		{"no old interval", Change{}, ", not judged", "not judged"},
		{"judged, better", Change{Judged: true, Flag: FlagBetter}, " better: outside the old interval", "above the earlier interval"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := (&Report{}).flagNote(tc.c); got != tc.summary {
				t.Errorf("summary %q, want %q", got, tc.summary)
			}
			if got := headlineNote(tc.c); got != tc.page {
				t.Errorf("page %q, want %q", got, tc.page)
			}
		})
	}
}
