package eval

import (
	"bytes"
	"encoding/csv"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/stance-project/stance/labels"
)

// handFixture is two targets over 15 sentences: "alpha" has the matrix
// {{3,1,1},{0,2,2},{1,0,5}} and "beta" never has gold or predicted
// against ({{2,0,1},{0,0,0},{1,0,4}}, then 7 unlabelled rows).
func handFixture() (labels.Taxonomy, []labels.Gold, []labels.Prediction) {
	tax := testTaxonomy("alpha", "beta")
	F, A, N := labels.Favor, labels.Against, labels.None
	alpha := concat(repeat(3, F, F), repeat(1, F, A), repeat(1, F, N), repeat(2, A, A), repeat(2, A, N), repeat(1, N, F), repeat(5, N, N))
	beta := concat(repeat(2, F, F), repeat(1, F, N), repeat(1, N, F), repeat(4, N, N), repeat(7, "", N))
	rows, preds := pairsFixture(tax, [][][2]string{alpha, beta})
	return tax, rows, preds
}

func metricsOf(t *testing.T, rep *Report) map[string]Metric {
	t.Helper()
	out := map[string]Metric{}
	for _, s := range rep.Systems {
		for _, m := range s.Metrics {
			k := strings.Join([]string{m.System, m.Fold, m.Target, m.Value, m.Name}, "/")
			if _, dup := out[k]; dup {
				t.Fatalf("duplicate metric %s", k)
			}
			out[k] = m
		}
	}
	return out
}

func TestEvaluateHandCase(t *testing.T) {
	tax, rows, preds := handFixture()
	opts := DefaultOptions()
	opts.Resamples = 200
	rep, err := Evaluate(tax, rows, []System{{Name: "m", Preds: preds}}, opts)
	if err != nil {
		t.Fatal(err)
	}
	ms := metricsOf(t, rep)
	// Reference values by hand, as in TestConfusionMetrics; beta counts
	// only its 8 labelled rows.
	want := []struct {
		key  string
		est  float64
		n    int
		ciOK bool // an interval is expected
	}{
		{"m//alpha/favor/f1", 6.0 / 9, 15, true},
		{"m//alpha/against/f1", 4.0 / 7, 15, true},
		{"m//alpha//f_avg", 13.0 / 21, 15, true},
		{"m//alpha//detection_f1", 12.0 / 16, 15, true},
		{"m//alpha/favor/support", 5, 15, false},
		{"m//alpha/none/support", 6, 15, false},
		{"m//beta/favor/f1", 4.0 / 6, 8, true},
		{"m//beta/against/f1", nan, 8, false},
		{"m//beta/against/precision", nan, 8, false},
		{"m//beta//f_avg", 4.0 / 6, 8, true},
		{"m//beta/against/support", 0, 8, false},
		{"m//ALL//mean_f_avg", (13.0/21 + 4.0/6) / 2, 15, true},
		// favor TP 5 FP 2 FN 3, against TP 2 FP 1 FN 2: 14/(14+3+5).
		{"m//ALL//micro_f1", 14.0 / 22, 15, true},
	}
	for _, w := range want {
		m, ok := ms[w.key]
		if !ok {
			t.Errorf("%s missing", w.key)
			continue
		}
		if !approx(m.Estimate, w.est) || m.N != w.n {
			t.Errorf("%s = %v (n %d), want %v (n %d)", w.key, m.Estimate, m.N, w.est, w.n)
		}
		if hasCI := !math.IsNaN(m.Low) && !math.IsNaN(m.High); hasCI != w.ciOK {
			t.Errorf("%s interval [%v, %v], want one: %v", w.key, m.Low, m.High, w.ciOK)
		} else if hasCI && !(m.Low <= m.High && m.Low >= 0 && m.High <= 1) {
			t.Errorf("%s interval [%v, %v] malformed", w.key, m.Low, m.High)
		}
	}
	if _, ok := ms["m//alpha//ece"]; ok {
		t.Error("ece reported for a system without probabilities")
	}
	if rep.Labelled[1] != 8 || rep.Unlabelled[1] != 7 {
		t.Errorf("beta labelled/unlabelled = %d/%d, want 8/7", rep.Labelled[1], rep.Unlabelled[1])
	}
	// Errors: alpha has 5 wrong, beta 2 (unlabelled rows are not errors).
	if len(rep.Errors) != 7 {
		t.Errorf("%d errors, want 7", len(rep.Errors))
	}
}

// TestUndefinedIsEmptyCell checks that an undefined F1 is an empty cell in
// metrics.csv — not 0, not NaN — while a defined 0 is written as 0.
func TestUndefinedIsEmptyCell(t *testing.T) {
	tax, rows, preds := handFixture()
	opts := DefaultOptions()
	opts.Resamples = 50
	rep, err := Evaluate(tax, rows, []System{{Name: "m", Preds: preds}}, opts)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := rep.WriteMetricsCSV(&buf); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(strings.ToLower(buf.String()), "nan") {
		t.Errorf("metrics.csv contains NaN:\n%s", buf.String())
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(recs[0], ","); got != "system,fold,target,value,metric,estimate,ci_low,ci_high,n" {
		t.Fatalf("header %q", got)
	}
	find := func(target, value, metric string) []string {
		for _, r := range recs[1:] {
			if r[2] == target && r[3] == value && r[4] == metric {
				return r
			}
		}
		t.Fatalf("no row %s %s %s", target, value, metric)
		return nil
	}
	if r := find("beta", "against", "f1"); r[5] != "" || r[6] != "" || r[7] != "" || r[8] != "8" {
		t.Errorf("undefined F1 row = %q, want empty estimate and interval, n 8", r)
	}
	if r := find("beta", "", "f_avg"); r[5] != "0.6667" {
		t.Errorf("beta F_avg row = %q, want the favor F1 0.6667", r)
	}
	if r := find("beta", "against", "support"); r[5] != "0" {
		t.Errorf("support row = %q, want 0", r)
	}
}

func TestBootstrapDeterministic(t *testing.T) {
	tax := labels.Default()
	rows, preds := syntheticData(tax, 120, 3)
	run := func(seed uint64) []Metric {
		opts := DefaultOptions()
		opts.Seed = seed
		opts.Resamples = 300
		rep, err := Evaluate(tax, rows, []System{{Name: "m", Preds: preds}}, opts)
		if err != nil {
			t.Fatal(err)
		}
		return rep.Systems[0].Metrics
	}
	a, b, c := run(7), run(7), run(8)
	if !reflect.DeepEqual(fmtMetrics(a), fmtMetrics(b)) {
		t.Error("same seed gave different intervals")
	}
	if reflect.DeepEqual(fmtMetrics(a), fmtMetrics(c)) {
		t.Error("different seeds gave identical intervals")
	}
	for _, m := range a {
		if math.IsNaN(m.Low) {
			continue
		}
		// A percentile interval of a smooth statistic brackets its
		// estimate on data this size.
		if m.Name != MetricSupport && (m.Estimate < m.Low-1e-9 || m.Estimate > m.High+1e-9) {
			t.Errorf("%s %s %s: estimate %v outside [%v, %v]", m.Target, m.Value, m.Name, m.Estimate, m.Low, m.High)
		}
	}
}

// fmtMetrics renders metrics so NaN compares equal to NaN.
func fmtMetrics(ms []Metric) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.Key() + "|" + formatNum(m.Estimate) + "|" + formatNum(m.Low) + "|" + formatNum(m.High)
	}
	return out
}

func TestPairedDiff(t *testing.T) {
	tax := labels.Default()
	rows, preds := syntheticData(tax, 100, 5)
	opts := DefaultOptions()
	opts.Resamples = 200
	rep, err := Evaluate(tax, rows, []System{{Name: "a", Preds: preds}, {Name: "same", Preds: preds}}, opts)
	if err != nil {
		t.Fatal(err)
	}
	// Identical predictions resampled with the same indices: the paired
	// difference is exactly 0 on every resample.
	if d := rep.Diffs[0]; d.Estimate != 0 || d.Low != 0 || d.High != 0 {
		t.Errorf("diff with itself = %+v, want all 0", d)
	}
}

func TestECEHandCase(t *testing.T) {
	// One target, four predictions with 10 bins. By hand:
	// bin [0.9,1]: confidences 0.92, 0.92, one right: acc 0.5, conf 0.92;
	// bin [0.6,0.7): 0.6 and 0.62, both right: acc 1, conf 0.61.
	// ECE = 2/4·|0.5−0.92| + 2/4·|1−0.61| = 0.21 + 0.195 = 0.405.
	tax := testTaxonomy("t")
	F, A, N := labels.Favor, labels.Against, labels.None
	rows, preds := pairsFixture(tax, [][][2]string{{{F, F}, {A, F}, {N, N}, {A, A}}})
	probs := [][]float64{{0.92, 0.05, 0.03}, {0.92, 0.05, 0.03}, {0.2, 0.2, 0.6}, {0.18, 0.62, 0.2}}
	for i := range preds {
		preds[i].Probs = [][]float64{probs[i]}
	}
	opts := DefaultOptions()
	opts.Resamples = 0
	rep, err := Evaluate(tax, rows, []System{{Name: "m", Preds: preds}}, opts)
	if err != nil {
		t.Fatal(err)
	}
	s := rep.Systems[0]
	for _, target := range []string{"t", AllTargets} {
		m, ok := s.Lookup("", target, "", MetricECE)
		if !ok || !approx(m.Estimate, 0.405) {
			t.Errorf("%s ECE = %v (found %v), want 0.405", target, m.Estimate, ok)
		}
	}
	bins := map[int]CalibrationBin{}
	for _, b := range s.Calibration {
		if b.Target == "t" {
			bins[b.Bin] = b
		}
	}
	if len(bins) != 10 {
		t.Fatalf("%d bins, want 10", len(bins))
	}
	if b := bins[10]; b.N != 2 || !approx(b.Accuracy, 0.5) || !approx(b.Confidence, 0.92) {
		t.Errorf("bin 10 = %+v", b)
	}
	if b := bins[7]; b.N != 2 || !approx(b.Accuracy, 1) || !approx(b.Confidence, 0.61) {
		t.Errorf("bin 7 = %+v", b)
	}
	if b := bins[1]; b.N != 0 || !math.IsNaN(b.Accuracy) {
		t.Errorf("empty bin 1 = %+v", b)
	}
}

func TestBinOf(t *testing.T) {
	tests := []struct {
		c    float64
		bins int
		want int
	}{
		{0, 10, 0}, {0.0999, 10, 0}, {0.1, 10, 1}, {0.95, 10, 9}, {1, 10, 9}, {0.5, 1, 0}, {1, 4, 3},
	}
	for _, tc := range tests {
		if got := binOf(tc.c, tc.bins); got != tc.want {
			t.Errorf("binOf(%v, %d) = %d, want %d", tc.c, tc.bins, got, tc.want)
		}
	}
}

func TestEvaluateRejects(t *testing.T) {
	tax, rows, preds := handFixture()
	mod := func(f func(p []labels.Prediction) []labels.Prediction) []labels.Prediction {
		cp := make([]labels.Prediction, len(preds))
		for i, p := range preds {
			cp[i] = labels.Prediction{ID: p.ID, Values: append([]string(nil), p.Values...)}
		}
		return f(cp)
	}
	tests := []struct {
		name    string
		preds   []labels.Prediction
		wantErr string
	}{
		{"too few", preds[:3], "3 predictions for 15 rows"},
		{"wrong id", mod(func(p []labels.Prediction) []labels.Prediction { p[4].ID = "x"; return p }), `prediction 5 has id "x"`},
		{"bad value", mod(func(p []labels.Prediction) []labels.Prediction { p[2].Values[1] = "favour"; return p }), `beta = "favour" is not a value`},
		{"short values", mod(func(p []labels.Prediction) []labels.Prediction { p[0].Values = p[0].Values[:1]; return p }), "has 1 values"},
		{"mixed probabilities", mod(func(p []labels.Prediction) []labels.Prediction {
			p[0].Probs = [][]float64{{1, 0, 0}, {1, 0, 0}}
			return p
		}), "for every row or for none"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Evaluate(tax, rows, []System{{Name: "m", Preds: tc.preds}}, DefaultOptions())
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("error %v, want one containing %q", err, tc.wantErr)
			}
		})
	}
	t.Run("bad gold", func(t *testing.T) {
		bad := append([]labels.Gold(nil), rows...)
		bad[0].Labels = []string{"maybe", labels.None}
		_, err := Evaluate(tax, bad, []System{{Name: "m", Preds: preds}}, DefaultOptions())
		if err == nil || !strings.Contains(err.Error(), `gold alpha = "maybe"`) {
			t.Errorf("error %v", err)
		}
	})
}

func TestEvaluateEmpty(t *testing.T) {
	tax := testTaxonomy("a")
	rep, err := Evaluate(tax, nil, []System{{Name: "m"}, {Name: "b"}}, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	m, ok := rep.Systems[0].Lookup("", AllTargets, "", MetricMeanFAvg)
	if !ok || !math.IsNaN(m.Estimate) || !math.IsNaN(m.Low) {
		t.Errorf("headline of nothing = %+v, want undefined", m)
	}
	var buf bytes.Buffer
	if err := rep.WriteHTML(&buf); err != nil {
		t.Fatal(err)
	}
	if err := rep.WriteSummary(&buf); err != nil {
		t.Fatal(err)
	}
}
