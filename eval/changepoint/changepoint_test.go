package changepoint

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// noisy returns levels[i] repeated lens[i] times plus Gaussian noise of
// standard deviation sd from a fixed seed.
func noisy(seed uint64, sd float64, levels []float64, lens []int) []float64 {
	r := rand.New(rand.NewPCG(seed, 1))
	var y []float64
	for i, l := range levels {
		for range lens[i] {
			y = append(y, l+sd*r.NormFloat64())
		}
	}
	return y
}

func TestDetect(t *testing.T) {
	tests := []struct {
		name string
		y, w []float64
		opt  Options
		want []int
	}{
		{name: "empty", y: nil, want: nil},
		{name: "one point", y: []float64{3}, want: nil},
		{name: "constant", y: []float64{2, 2, 2, 2, 2, 2}, want: nil},
		{name: "noiseless step", y: []float64{0, 0, 0, 0, 1, 1, 1, 1}, want: []int{4}},
		{name: "noiseless two changes", y: []float64{0, 0, 0, 0, 1, 1, 1, 1, 0.3, 0.3, 0.3, 0.3}, want: []int{4, 8}},
		{name: "noisy step", y: noisy(1, 0.05, []float64{0.2, 0.5}, []int{20, 20}), want: []int{20}},
		{name: "noisy two changes", y: noisy(2, 0.05, []float64{0.2, 0.5, 0.3}, []int{15, 10, 15}), want: []int{15, 25}},
		// Noise with no change: the BIC penalty keeps it whole.
		{name: "noise only", y: noisy(3, 0.05, []float64{0.4}, []int{60}), want: nil},
		{name: "noise only seed 4", y: noisy(4, 0.1, []float64{0.4}, []int{30}), want: nil},
		// A small step (one noise sd) over few points is not detectable.
		{name: "step below noise", y: noisy(5, 0.1, []float64{0.4, 0.45}, []int{5, 5}), want: nil},
		// A single outlying point: with MinSize 1 it is its own segment
		// (cost drop 25−25/9 = 22.2 > 2 changes × 2·ln 9 = 8.8); with
		// MinSize 3 it must share a segment with two zeros, and the drop
		// (25/3 − 25/9 = 5.6) no longer pays for two changes.
		{name: "outlier min size 1", y: []float64{0, 0, 0, 0, 5, 0, 0, 0, 0}, opt: Options{Variance: 1}, want: []int{4, 5}},
		{name: "outlier min size 3", y: []float64{0, 0, 0, 0, 5, 0, 0, 0, 0}, opt: Options{Variance: 1, MinSize: 3}, want: nil},
		{name: "min size too big", y: []float64{0, 0, 1, 1}, opt: Options{MinSize: 3}, want: nil},
		// A jump carried by a period of weight 1 among weight-100 periods
		// is noise; the same jump at weight 100 is a change.
		{
			name: "light point ignored",
			y:    []float64{0.30, 0.31, 0.29, 0.30, 0.60, 0.30, 0.31, 0.29},
			w:    []float64{100, 100, 100, 100, 1, 100, 100, 100},
			opt:  Options{Variance: 0.25},
			want: nil,
		},
		{
			name: "heavy step found",
			y:    []float64{0.30, 0.31, 0.29, 0.30, 0.60, 0.61, 0.59, 0.60},
			w:    []float64{100, 100, 100, 100, 100, 100, 100, 100},
			opt:  Options{Variance: 0.25},
			want: []int{4},
		},
		// A step of d = 1.4142 over 12 points of variance 1 lowers the cost
		// by 12·(d/2)² = 6.0: more than BIC's 2·ln 12 = 4.97, less than
		// 3·ln 12 = 7.45.
		{name: "step under BIC", y: []float64{0, 0, 0, 0, 0, 0, 1.4142, 1.4142, 1.4142, 1.4142, 1.4142, 1.4142}, opt: Options{Variance: 1}, want: []int{6}},
		{name: "step under log factor 3", y: []float64{0, 0, 0, 0, 0, 0, 1.4142, 1.4142, 1.4142, 1.4142, 1.4142, 1.4142}, opt: Options{Variance: 1, LogFactor: 3}, want: nil},
		{name: "huge penalty", y: []float64{0, 0, 0, 1, 1, 1}, opt: Options{Penalty: 1e9}, want: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Detect(tt.y, tt.w, tt.opt)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("Detect = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestDetectErrors(t *testing.T) {
	tests := []struct {
		name string
		y, w []float64
		opt  Options
	}{
		{"length mismatch", []float64{1, 2}, []float64{1}, Options{}},
		{"NaN value", []float64{1, math.NaN()}, nil, Options{}},
		{"Inf value", []float64{1, math.Inf(1)}, nil, Options{}},
		{"zero weight", []float64{1, 2}, []float64{1, 0}, Options{}},
		{"NaN weight", []float64{1, 2}, []float64{1, math.NaN()}, Options{}},
		{"negative penalty", []float64{1, 2}, nil, Options{Penalty: -1}},
		{"negative variance", []float64{1, 2}, nil, Options{Variance: -1}},
		{"negative log factor", []float64{1, 2}, nil, Options{LogFactor: -1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Detect(tt.y, tt.w, tt.opt); !errors.Is(err, ErrInput) {
				t.Errorf("err = %v, want ErrInput", err)
			}
		})
	}
}

// optimal is plain optimal partitioning, O(n²) with no pruning: the
// reference PELT must agree with.
func optimal(y, w []float64, opt Options) []int {
	n := len(y)
	m := max(opt.MinSize, 1)
	if n < 2*m {
		return nil
	}
	v := opt.Variance
	if v == 0 {
		v = EstimateVariance(y, w)
	}
	pen := opt.Penalty
	if pen == 0 {
		k := opt.LogFactor
		if k == 0 {
			k = 2
		}
		pen = k * math.Log(float64(n))
	}
	c := newCost(y, w, v)
	f := make([]float64, n+1)
	last := make([]int, n+1)
	f[0] = -pen
	for t := 1; t <= n; t++ {
		f[t] = math.Inf(1)
		for s := 0; s <= t-m; s++ {
			if s != 0 && s < m {
				continue
			}
			if x := f[s] + c.of(s, t) + pen; x < f[t] {
				f[t], last[t] = x, s
			}
		}
	}
	var cps []int
	for t := last[n]; t > 0; t = last[t] {
		cps = append(cps, t)
	}
	slices.Reverse(cps)
	return cps
}

// TestDetectMatchesOptimalPartitioning checks that pruning never changes
// the answer, on random piecewise series with weights and several
// minimum segment sizes.
func TestDetectMatchesOptimalPartitioning(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	for trial := range 300 {
		n := 2 + r.IntN(60)
		y := make([]float64, n)
		w := make([]float64, n)
		level := 0.0
		for i := range y {
			if r.IntN(8) == 0 {
				level = r.Float64()
			}
			y[i] = level + 0.1*r.NormFloat64()
			w[i] = 1 + float64(r.IntN(50))
		}
		opt := Options{MinSize: 1 + r.IntN(4), Variance: 0.5 + r.Float64(), LogFactor: float64(r.IntN(4))}
		if trial%2 == 0 {
			w = nil
		}
		t.Run(fmt.Sprint(trial), func(t *testing.T) {
			got, err := Detect(y, w, opt)
			if err != nil {
				t.Fatal(err)
			}
			if want := optimal(y, w, opt); !slices.Equal(got, want) {
				t.Errorf("n=%d opt=%+v: PELT %v, optimal partitioning %v", n, opt, got, want)
			}
			for i, cp := range got {
				prev := 0
				if i > 0 {
					prev = got[i-1]
				}
				if cp-prev < max(opt.MinSize, 1) {
					t.Errorf("segment [%d,%d) shorter than MinSize %d", prev, cp, opt.MinSize)
				}
			}
		})
	}
}

func TestLevels(t *testing.T) {
	tests := []struct {
		name string
		y, w []float64
		cps  []int
		want []float64
	}{
		{"no change", []float64{1, 2, 3}, nil, nil, []float64{2}},
		{"one change", []float64{1, 1, 4, 6}, nil, []int{2}, []float64{1, 5}},
		// (1·1 + 3·3)/4 = 2.5; 6 alone.
		{"weighted", []float64{1, 3, 6}, []float64{1, 3, 2}, []int{2}, []float64{2.5, 6}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Levels(tt.y, tt.w, tt.cps); !slices.Equal(got, tt.want) {
				t.Errorf("Levels = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestEstimateVariance(t *testing.T) {
	// Differences of 0,1,0,1,... are all 1; |d|/sqrt2 = 0.7071 each, so
	// the estimate is (1.4826·0.7071)² = 1.0990.
	y := []float64{0, 1, 0, 1, 0, 1}
	if got, want := EstimateVariance(y, nil), math.Pow(1.4826/math.Sqrt2, 2); math.Abs(got-want) > 1e-12 {
		t.Errorf("alternating: %v, want %v", got, want)
	}
	// Noise of sd 0.2: the estimate should be near 0.04.
	y = noisy(11, 0.2, []float64{1}, []int{2000})
	if got := EstimateVariance(y, nil); math.Abs(got-0.04) > 0.005 {
		t.Errorf("sd 0.2 noise: %v, want about 0.04", got)
	}
	// A noiseless step: median |d| is 0, fallback mean d² = (1/2)/7.
	y = []float64{0, 0, 0, 0, 1, 1, 1, 1}
	if got, want := EstimateVariance(y, nil), 0.5/7; math.Abs(got-want) > 1e-12 {
		t.Errorf("step: %v, want %v", got, want)
	}
	if got := EstimateVariance([]float64{3, 3, 3}, nil); got != 0 {
		t.Errorf("constant: %v, want 0", got)
	}
}

func ExampleDetect() {
	// Yearly prevalence of a stance, weighted by documents per year.
	y := []float64{0.10, 0.12, 0.11, 0.10, 0.31, 0.30, 0.32, 0.29}
	w := []float64{40, 52, 47, 45, 60, 58, 61, 50}
	cps, err := Detect(y, w, Options{})
	if err != nil {
		panic(err)
	}
	fmt.Println(cps)
	lv := Levels(y, w, cps)
	fmt.Printf("%.3f -> %.3f\n", lv[0], lv[1])
	// Output:
	// [4]
	// 0.108 -> 0.306
}

func benchmarkDetect(b *testing.B, n int) {
	r := rand.New(rand.NewPCG(1, 2))
	y := make([]float64, n)
	level := 0.0
	for i := range y {
		if i%50 == 0 {
			level = r.Float64()
		}
		y[i] = level + 0.05*r.NormFloat64()
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Detect(y, nil, Options{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "points/s")
}

func BenchmarkDetectSmall(b *testing.B) { benchmarkDetect(b, 120) }
func BenchmarkDetectLarge(b *testing.B) { benchmarkDetect(b, 10000) }
