package models

import (
	"bufio"
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stance-project/stance/labels"
)

// sharedTrain is the project's gold file, outside the repository
// (/work/shared/labels/train.csv beside the checkout).
var sharedTrain = filepath.Join("..", "..", "shared", "labels", "train.csv")

// benchModel trains the default configuration on the shared gold labels
// (the realistic size), or on the fixture when they are absent.
func benchModel(b *testing.B) (*Model, []string) {
	b.Helper()
	tax := labels.Default()
	gf, err := labels.ReadGoldFiles(tax, sharedTrain)
	cfg := DefaultConfig()
	if err != nil {
		b.Logf("shared labels unavailable (%v): using the fixture", err)
		gf, err = labels.ReadGold(fixturePath, tax)
		if err != nil {
			b.Fatal(err)
		}
		cfg = fixtureConfig()
	}
	m, _, err := Train(context.Background(), cfg, tax, gf.Rows, TrainOptions{})
	if err != nil {
		b.Fatal(err)
	}
	texts := make([]string, len(gf.Rows))
	for i, r := range gf.Rows {
		texts[i] = r.Text
	}
	return m, texts
}

// BenchmarkTrain measures training on the shared gold labels with the
// default configuration (cross-fitted: CalibFolds+1 trainings).
func BenchmarkTrain(b *testing.B) {
	tax := labels.Default()
	gf, err := labels.ReadGoldFiles(tax, sharedTrain)
	if err != nil {
		b.Skipf("shared labels unavailable: %v", err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := Train(context.Background(), DefaultConfig(), tax, gf.Rows, TrainOptions{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(gf.Rows))*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkPredictOne is single-goroutine PredictTo (tokenization
// included) over the gold sentences.
func BenchmarkPredictOne(b *testing.B) {
	m, texts := benchModel(b)
	var p labels.Prediction
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		m.PredictTo(&p, texts[i%len(texts)])
		i++
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "sentences/s")
}

// BenchmarkPredict200k predicts 200,000 sentences with one goroutine per
// CPU and reports throughput, heap growth and peak RSS: memory must not
// grow with the number of sentences.
func BenchmarkPredict200k(b *testing.B) {
	m, texts := benchModel(b)
	const total = 200_000
	workers := runtime.GOMAXPROCS(0)
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	for range b.N {
		var wg sync.WaitGroup
		for w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				var p labels.Prediction
				for i := w; i < total; i += workers {
					m.PredictTo(&p, texts[i%len(texts)])
				}
			}()
		}
		wg.Wait()
	}
	elapsed := time.Since(start)
	b.StopTimer()
	runtime.GC()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(total*b.N)/elapsed.Seconds(), "sentences/s")
	b.ReportMetric(float64(int64(after.HeapAlloc)-int64(before.HeapAlloc))/1e6, "heap-growth-MB")
	if hwm := vmHWM(); hwm > 0 {
		b.ReportMetric(hwm/1e6, "peak-RSS-MB")
	}
}

// vmHWM is the process's peak resident set (VmHWM) in bytes, 0 if
// unknown.
func vmHWM() float64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if rest, ok := strings.CutPrefix(s.Text(), "VmHWM:"); ok {
			kb, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			if err == nil {
				return kb * 1024
			}
		}
	}
	return 0
}
