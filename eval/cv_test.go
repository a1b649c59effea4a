package eval

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stance-project/stance/labels"
)

// memoClassifier predicts the gold labels of sentences it was trained on
// and none elsewhere, and records which texts it was asked about, so a
// test can see whether a held-out sentence leaked into training.
type memoClassifier struct {
	tax   labels.Taxonomy
	known map[string][]string
	docs  map[string]bool
	wordExplainer
}

func (m *memoClassifier) Predict(texts []string) ([]labels.Prediction, error) {
	out := make([]labels.Prediction, len(texts))
	for i, t := range texts {
		v, ok := m.known[t]
		if !ok {
			v = make([]string, len(m.tax.Targets))
			for j := range v {
				v[j] = labels.None
			}
		}
		out[i].Values = append([]string(nil), v...)
	}
	return out, nil
}

func TestCrossValidate(t *testing.T) {
	tax := labels.Default()
	rows, _ := syntheticData(tax, 160, 21)
	var trained []*memoClassifier
	train := func(_ context.Context, tr []labels.Gold) (labels.Classifier, error) {
		m := &memoClassifier{tax: tax, known: map[string][]string{}, docs: map[string]bool{}}
		for _, r := range tr {
			m.known[r.Text] = r.Labels
			m.docs[r.DocID] = true
		}
		trained = append(trained, m)
		return m, nil
	}
	opts := DefaultOptions()
	opts.Resamples = 100
	const k = 4
	res, err := CrossValidate(context.Background(), tax, rows, k, 3, train, opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(trained) != k || len(res.Predictions) != len(rows) || len(res.Folds) != len(rows) {
		t.Fatalf("%d models, %d predictions, %d folds", len(trained), len(res.Predictions), len(res.Folds))
	}
	for i, r := range rows {
		f := res.Folds[i]
		if trained[f].docs[r.DocID] {
			t.Fatalf("row %s (doc %s) held out in fold %d but trained on", r.ID, r.DocID, f+1)
		}
		if res.Predictions[i].ID != r.ID {
			t.Fatalf("prediction %d has id %q, want %q", i, res.Predictions[i].ID, r.ID)
		}
	}
	// Synthetic texts are unique, so a leak-free memoriser predicts none
	// everywhere out of fold: its pooled F_avg must be 0.
	rep := res.Report
	m, _ := rep.Systems[0].Lookup("", AllTargets, "", MetricMeanFAvg)
	if m.Estimate != 0 {
		t.Errorf("out-of-fold mean F_avg %v, want 0 (leak?)", m.Estimate)
	}
	folds := 0
	for _, m := range rep.Systems[0].Metrics {
		if m.Fold != "" && m.Name == MetricMeanFAvg {
			folds++
			if m.N == 0 {
				t.Errorf("fold %s has no rows", m.Fold)
			}
		}
	}
	if folds != k || rep.Folds != k {
		t.Errorf("%d per-fold rows, report folds %d, want %d", folds, rep.Folds, k)
	}
	if len(rep.Errors) == 0 || rep.Errors[0].Fold == "" || len(rep.Errors[0].Tokens) == 0 {
		t.Errorf("cross-validation errors lack fold or tokens: %+v", rep.Errors[:1])
	}
	var sum strings.Builder
	if err := rep.WriteSummary(&sum); err != nil || !strings.Contains(sum.String(), "4-fold cross-validation") || !strings.Contains(sum.String(), "per-fold mean F_avg") {
		t.Errorf("summary:\n%s", sum.String())
	}
}

func TestCrossValidateErrors(t *testing.T) {
	tax := labels.Default()
	rows, _ := syntheticData(tax, 40, 2)
	boom := errors.New("boom")
	tests := []struct {
		name    string
		ctx     func() context.Context
		k       int
		train   TrainFunc
		wantErr string
	}{
		{"one fold", context.Background, 1, MajorityTrainer(tax), "at least 2 folds"},
		{"train fails", context.Background, 3, func(context.Context, []labels.Gold) (labels.Classifier, error) { return nil, boom }, "fold 1 of 3: train: boom"},
		{"cancelled", func() context.Context {
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			return ctx
		}, 3, MajorityTrainer(tax), context.Canceled.Error()},
		{"short predictions", context.Background, 2, func(context.Context, []labels.Gold) (labels.Classifier, error) { return shortClassifier{}, nil }, "predict: classifier returned 0 predictions"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := CrossValidate(tc.ctx(), tax, rows, tc.k, 1, tc.train, DefaultOptions())
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("error %v, want %q", err, tc.wantErr)
			}
		})
	}
}

type shortClassifier struct{}

func (shortClassifier) Predict([]string) ([]labels.Prediction, error) { return nil, nil }

func ExampleCrossValidate() {
	tax := labels.Default()
	rows, _ := syntheticData(tax, 100, 1)
	opts := DefaultOptions()
	opts.Resamples = 100
	res, err := CrossValidate(context.Background(), tax, rows, 5, 1, MajorityTrainer(tax), opts)
	if err != nil {
		fmt.Println(err)
		return
	}
	m, _ := res.Report.Systems[0].Lookup("", AllTargets, "", MetricMeanFAvg)
	fmt.Printf("majority out of fold: mean F_avg %.3f over %d sentences\n", m.Estimate, m.N)
	// Output:
	// majority out of fold: mean F_avg 0.000 over 100 sentences
}
