package eval

import (
	"bytes"
	"errors"
	"math"
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
			var pe *ParseError
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
	old := Metric{System: "m", Target: "a", Name: MetricF1, Estimate: 0.6, Low: 0.5, High: 0.7}
	ece := Metric{System: "m", Target: "a", Name: MetricECE, Estimate: 0.1, Low: 0.05, High: 0.15}
	tests := []struct {
		name     string
		old      Metric
		newEst   float64
		wantFlag string
	}{
		{"inside", old, 0.55, ""},
		{"below ci_low", old, 0.49, FlagWorse},
		{"above ci_high", old, 0.71, FlagBetter},
		{"at ci_low", old, 0.5, ""},
		{"new undefined", old, nan, ""},
		{"ece above is worse", ece, 0.2, FlagWorse},
		{"ece below is better", ece, 0.01, FlagBetter},
		{"old without interval", Metric{Name: MetricF1, Estimate: 0.6, Low: nan, High: nan}, 0.1, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n := tc.old
			n.Estimate = tc.newEst
			c := judge(tc.old, n)
			if c.Flag != tc.wantFlag {
				t.Errorf("flag %q, want %q", c.Flag, tc.wantFlag)
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
			var pe *ParseError
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
