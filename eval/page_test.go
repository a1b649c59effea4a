package eval

import (
	"bytes"
	"context"
	"io"
	"regexp"
	"strings"
	"testing"

	"github.com/stance-project/stance/labels"
)

// evalOf evaluates the synthetic rows of seed with the fixed classifier.
func evalOf(t *testing.T, seed uint64) *Report {
	t.Helper()
	tax := labels.Default()
	rows, preds := syntheticData(tax, 60, seed)
	opts := DefaultOptions()
	opts.Resamples = 200
	rep, err := EvaluateClassifier(context.Background(), tax, rows, newFixedClassifier(rows, preds), opts)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func allMetrics(r *Report) []Metric {
	var out []Metric
	for _, s := range r.Systems {
		out = append(out, s.Metrics...)
	}
	return out
}

// TestReportPageWording renders report.html and the stdout summary of an
// evaluation compared with an earlier one, held out or not, and of a
// cross-validation, and checks what they say: one headline, the other
// figures explained below it, no majority card, the keyword baseline and
// the previous model beside it, a rise on training rows never "better",
// the same metric counts on the page and on stdout, cv's per-fold scores
// on the page, and explanations in words toward the predicted value.
// The not-held-out summary is also pinned by a golden file.
func TestReportPageWording(t *testing.T) {
	// The model of seed 43 is better than that of seed 42 on some
	// metrics (goldenReport compares them the other way: 5 worse).
	better := func(trained int) *Report {
		rep := evalOf(t, 43)
		rep.Meta = Meta{Model: "new.stance", Trained: trained, Baseline: "old-eval"}
		rep.Compare(allMetrics(evalOf(t, 42)))
		return rep
	}
	tests := []struct {
		name          string
		rep           *Report
		page, notPage []string
		summary       []string
		notSummary    []string
		golden        string
	}{
		{
			name: "held out, compared",
			rep:  better(0),
			page: []string{`<div class="card main">`, "keywords baseline", "previous model", `<dt>SemEval-2016 official F_avg</dt>`,
				`<dt>Micro F1</dt>`, "0 by construction, so it gets no card", `class="l flag-better">better</td>`,
				"words that pushed toward the prediction", "toward none:"},
			notPage: []string{`<div class="sys">majority`, "tokens that pushed it", "higher (not held out)"},
			summary: []string{" better of the "},
		},
		{
			name: "not held out, compared",
			rep:  better(60),
			page: []string{"higher (not held out)", `<span class="flag-neutral">`, "A rise is not judged better here: the model was trained on 60 of these 60 rows",
				"not judged better"},
			notPage:    []string{`class="l flag-better"`, `<span class="flag-better">`, ">better<"},
			summary:    []string{"higher (not judged better: the model was trained on 60 of these 60 rows"},
			notSummary: []string{" better: outside", "better of the"},
			golden:     "eval-trained.summary.golden.txt",
		},
		{
			name:    "cross-validation",
			rep:     goldenCV(t),
			page:    []string{"<dt>Per-fold mean F_avg</dt><dd>0.714, 0.627, 0.733</dd>", "(mean 0.691, sd 0.056)"},
			notPage: []string{"previous model"},
			summary: []string{"per-fold mean F_avg: 0.714 0.627 0.733 (mean 0.691, sd 0.056)"},
		},
	}
	count := regexp.MustCompile(`(\d+) worse, (?:\d+ better|\d+ higher[^)]*\)) of the (\d+) metrics of model`)
	pageCount := regexp.MustCompile(`(\d+) worse</span> and <span class="flag-[a-z]+">\d+ (?:better|higher)</span> of the (\d+) metrics of model`)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var page, sum bytes.Buffer
			if err := tt.rep.WriteHTML(&page); err != nil {
				t.Fatal(err)
			}
			if err := tt.rep.WriteSummary(&sum); err != nil {
				t.Fatal(err)
			}
			html := strings.ReplaceAll(page.String(), "&#39;", "'")
			if n := strings.Count(html, `class="card main"`); n != 1 {
				t.Errorf("%d main cards, want 1", n)
			}
			for _, s := range tt.page {
				if !strings.Contains(html, s) {
					t.Errorf("page lacks %q", s)
				}
			}
			for _, s := range tt.notPage {
				if strings.Contains(html, s) {
					t.Errorf("page says %q", s)
				}
			}
			for _, s := range tt.summary {
				if !strings.Contains(sum.String(), s) {
					t.Errorf("summary lacks %q:\n%s", s, sum.String())
				}
			}
			for _, s := range tt.notSummary {
				if strings.Contains(sum.String(), s) {
					t.Errorf("summary says %q", s)
				}
			}
			if tt.rep.Changes != nil {
				sm, pm := count.FindStringSubmatch(sum.String()), pageCount.FindStringSubmatch(html)
				if sm == nil || pm == nil || sm[1] != pm[1] || sm[2] != pm[2] {
					t.Errorf("summary counts %q, page %q: want the same worse and judged counts", sm, pm)
				}
			}
			if tt.golden != "" {
				checkGolden(t, tt.golden, func(w io.Writer) error { return tt.rep.WriteSummary(w) })
			}
		})
	}
}
