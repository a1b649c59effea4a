package changepoint

import (
	"errors"
	"fmt"
	"math"
	"slices"
)

// Options tunes Detect. The zero value asks for the defaults.
type Options struct {
	// Penalty is the cost of one change, in units of the normalised
	// cost. Zero means LogFactor·ln(n) for n points. Negative is an
	// error.
	Penalty float64
	// LogFactor sets the default penalty, LogFactor·ln(n). Zero means 2,
	// BIC; 3 is the stricter MBIC-like choice, for noise heavier-tailed
	// than Gaussian. Negative is an error.
	LogFactor float64
	// MinSize is the fewest points a segment may hold. Zero means 1.
	MinSize int
	// Variance is the noise variance of a point of weight 1 (a point of
	// weight w has variance Variance/w). Zero means estimate it from the
	// series with EstimateVariance. Negative is an error.
	Variance float64
}

// ErrInput is wrapped by the errors Detect returns for unusable input.
var ErrInput = errors.New("changepoint: invalid input")

// Detect returns the indexes at which a new segment of y starts, in
// increasing order, each in [1, len(y)-1]; no change gives an empty
// (nil) slice. w holds one positive weight per point; nil means every
// weight is 1. The segmentation minimises the penalised cost described in
// the package comment exactly (PELT, with pruning delayed by MinSize so
// it stays exact for any minimum segment size).
//
// Detect returns an error wrapping ErrInput if w is not nil and its
// length differs from y's, if a value or weight is NaN or infinite, if a
// weight is not positive, or if Penalty or Variance is negative. A series
// shorter than 2·MinSize, or one whose estimated variance is zero (a
// constant series), has no change.
func Detect(y, w []float64, opt Options) ([]int, error) {
	n := len(y)
	if w != nil && len(w) != n {
		return nil, fmt.Errorf("%w: %d values but %d weights", ErrInput, n, len(w))
	}
	for i, v := range y {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("%w: value %d is %v", ErrInput, i, v)
		}
		if w != nil && (!(w[i] > 0) || math.IsInf(w[i], 0)) {
			return nil, fmt.Errorf("%w: weight %d is %v, want positive", ErrInput, i, w[i])
		}
	}
	if opt.Penalty < 0 || math.IsNaN(opt.Penalty) {
		return nil, fmt.Errorf("%w: penalty %v", ErrInput, opt.Penalty)
	}
	if opt.LogFactor < 0 || math.IsNaN(opt.LogFactor) {
		return nil, fmt.Errorf("%w: log factor %v", ErrInput, opt.LogFactor)
	}
	if opt.Variance < 0 || math.IsNaN(opt.Variance) {
		return nil, fmt.Errorf("%w: variance %v", ErrInput, opt.Variance)
	}
	m := max(opt.MinSize, 1)
	if n < 2*m {
		return nil, nil
	}
	variance := opt.Variance
	if variance == 0 {
		variance = EstimateVariance(y, w)
		if variance == 0 {
			return nil, nil
		}
	}
	pen := opt.Penalty
	if pen == 0 {
		k := opt.LogFactor
		if k == 0 {
			k = 2
		}
		pen = k * math.Log(float64(n))
	}
	c := newCost(y, w, variance)

	// f[t] is the least penalised cost of y[:t]; last[t] the start of the
	// final segment in that optimum.
	f := make([]float64, n+1)
	last := make([]int, n+1)
	f[0] = -pen
	for t := 1; t < m; t++ {
		f[t] = math.Inf(1)
	}
	// cand holds the admissible starts of a final segment; prunedAt[s]
	// records when s was found dominated. A start dominated at time t can
	// still be optimal for ends before t+m (t itself is not yet a valid
	// last change there), so it leaves cand only at t+m.
	cand := []int{0}
	prunedAt := make(map[int]int)
	for t := m; t <= n; t++ {
		if s := t - m; s >= m {
			cand = append(cand, s)
		}
		best, arg := math.Inf(1), -1
		for _, s := range cand {
			if v := f[s] + c.of(s, t) + pen; v < best {
				best, arg = v, s
			}
		}
		f[t], last[t] = best, arg
		kept := cand[:0]
		for _, s := range cand {
			if at, ok := prunedAt[s]; ok {
				if t >= at+m {
					delete(prunedAt, s)
					continue
				}
			} else if f[s]+c.of(s, t) > f[t] {
				prunedAt[s] = t
				if m == 1 {
					delete(prunedAt, s)
					continue
				}
			}
			kept = append(kept, s)
		}
		cand = kept
	}
	var cps []int
	for t := last[n]; t > 0; t = last[t] {
		cps = append(cps, t)
	}
	slices.Reverse(cps)
	return cps, nil
}

// Levels returns the weighted mean of each segment of y that the change
// indexes cps (as returned by Detect) delimit: len(cps)+1 values. w nil
// means equal weights. It panics if cps is not increasing within
// [1, len(y)-1] or if w's length differs from y's.
func Levels(y, w []float64, cps []int) []float64 {
	if w != nil && len(w) != len(y) {
		panic("changepoint: Levels: len(w) != len(y)")
	}
	out := make([]float64, 0, len(cps)+1)
	start := 0
	for i := 0; i <= len(cps); i++ {
		end := len(y)
		if i < len(cps) {
			end = cps[i]
		}
		if end <= start || end > len(y) {
			panic(fmt.Sprintf("changepoint: Levels: bad change index %d", end))
		}
		var sw, swy float64
		for j := start; j < end; j++ {
			wj := 1.0
			if w != nil {
				wj = w[j]
			}
			sw += wj
			swy += wj * y[j]
		}
		out = append(out, swy/sw)
		start = end
	}
	return out
}

// EstimateVariance estimates the noise variance of a weight-1 point of y
// from its first differences, each scaled to unit variance by its
// weights: d_i = (y_i − y_{i−1}) / sqrt(1/w_i + 1/w_{i−1}). The estimate
// is (1.4826 · median |d_i|)², robust to a few level shifts; if that is
// zero (more than half the differences are zero, as in a noiseless step)
// it falls back to the mean of d_i². It returns 0 for fewer than two
// points or a constant series. w nil means equal weights; weights must be
// positive (Detect checks them).
func EstimateVariance(y, w []float64) float64 {
	if len(y) < 2 {
		return 0
	}
	d := make([]float64, len(y)-1)
	for i := 1; i < len(y); i++ {
		scale := math.Sqrt2
		if w != nil {
			scale = math.Sqrt(1/w[i] + 1/w[i-1])
		}
		d[i-1] = math.Abs(y[i]-y[i-1]) / scale
	}
	var ss float64
	for _, v := range d {
		ss += v * v
	}
	slices.Sort(d)
	var med float64
	if k := len(d); k%2 == 1 {
		med = d[k/2]
	} else {
		med = (d[k/2-1] + d[k/2]) / 2
	}
	if s := 1.4826 * med; s > 0 {
		return s * s
	}
	return ss / float64(len(d))
}

// cost gives the weighted Gaussian segment cost from prefix sums.
type cost struct {
	s0, s1, s2 []float64
	variance   float64
}

func newCost(y, w []float64, variance float64) cost {
	n := len(y)
	c := cost{make([]float64, n+1), make([]float64, n+1), make([]float64, n+1), variance}
	for i, v := range y {
		wi := 1.0
		if w != nil {
			wi = w[i]
		}
		c.s0[i+1] = c.s0[i] + wi
		c.s1[i+1] = c.s1[i] + wi*v
		c.s2[i+1] = c.s2[i] + wi*v*v
	}
	return c
}

// of is the cost of the segment y[s:t]: its weighted sum of squares about
// its weighted mean, divided by the variance.
func (c cost) of(s, t int) float64 {
	s0 := c.s0[t] - c.s0[s]
	s1 := c.s1[t] - c.s1[s]
	s2 := c.s2[t] - c.s2[s]
	return max(s2-s1*s1/s0, 0) / c.variance
}
