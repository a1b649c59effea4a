package eval

import (
	"context"
	"fmt"
	"testing"

	"github.com/stance-project/stance/labels"
)

func benchmarkEvaluate(b *testing.B, n int) {
	tax := labels.Default()
	rows, preds := syntheticData(tax, n, 1)
	c := newFixedClassifier(rows, preds)
	opts := DefaultOptions() // 1000 resamples
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := EvaluateClassifier(context.Background(), tax, rows, c, opts); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "sentences/s")
}

// BenchmarkEvaluate scores a model and both baselines with 1000 bootstrap
// resamples each.
func BenchmarkEvaluate(b *testing.B) {
	for _, n := range []int{500, 5000} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) { benchmarkEvaluate(b, n) })
	}
}

func BenchmarkKeywordRules(b *testing.B) {
	tax := labels.Default()
	rows, _ := syntheticData(tax, 2000, 1)
	k := NewKeywordRules(tax)
	ts := texts(rows)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		k.Predict(ts)
	}
	b.ReportMetric(float64(len(ts))*float64(b.N)/b.Elapsed().Seconds(), "sentences/s")
}
