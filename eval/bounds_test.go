package eval

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stance-project/stance/labels"
)

// TestBootstrapStops: the bootstrap checks the context between
// resamples. Before, eval -resamples 200000 ran 12.8 s past SIGINT and
// wrote its files: the context was checked only before it started.
func TestBootstrapStops(t *testing.T) {
	tax := labels.Default()
	rows, preds := syntheticData(tax, 400, 42)
	opts := DefaultOptions()
	opts.Resamples = MaxResamples // tens of seconds of work
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	rep, err := EvaluateClassifier(ctx, tax, rows, newFixedClassifier(rows, preds), opts)
	if !errors.Is(err, context.DeadlineExceeded) || rep != nil {
		t.Fatalf("got a report (%v) and error %v, want context.DeadlineExceeded", rep != nil, err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("stopped %v after the start, want well under a second past the 50ms deadline", d)
	}
}

// TestResamplesBounded: a negative or huge resample count is refused
// before any work (-resamples 100000000 on 40 rows grew to 24 GB).
func TestResamplesBounded(t *testing.T) {
	tax, rows, preds := handFixture()
	for _, n := range []int{-5, -1, MaxResamples + 1, 100_000_000} {
		opts := DefaultOptions()
		opts.Resamples = n
		_, err := Evaluate(tax, rows, []System{{Name: "m", Preds: preds}}, opts)
		if err == nil || !strings.Contains(err.Error(), "bootstrap resamples") {
			t.Errorf("Resamples %d: error %v, want one about the bound", n, err)
		}
	}
	opts := DefaultOptions()
	opts.Resamples = 0
	if _, err := Evaluate(tax, rows, []System{{Name: "m", Preds: preds}}, opts); err != nil {
		t.Errorf("Resamples 0 (no intervals): %v", err)
	}
}

// TestCrossValidateTooManyFolds: more folds than documents is an error
// before any training, not a run reported as "1000-fold" over 37 folds.
func TestCrossValidateTooManyFolds(t *testing.T) {
	tax := labels.Default()
	rows, _ := syntheticData(tax, 40, 1) // 10 documents of 4 sentences
	trained := 0
	train := func(ctx context.Context, rows []labels.Gold) (labels.Classifier, error) {
		trained++
		return FitMajority(tax, rows), nil
	}
	opts := DefaultOptions()
	opts.Resamples = 0
	_, err := CrossValidate(context.Background(), tax, rows, 11, 1, train, opts)
	if !errors.Is(err, ErrTooManyFolds) || !strings.Contains(err.Error(), "11 folds, but the rows hold only 10 documents") {
		t.Errorf("error %v, want ErrTooManyFolds naming 11 folds and 10 documents", err)
	}
	if trained != 0 {
		t.Errorf("%d trainings before the error", trained)
	}
	if _, err := CrossValidate(context.Background(), tax, rows, 10, 1, train, opts); err != nil {
		t.Errorf("10 folds over 10 documents: %v", err)
	}
}
