package labels

import "math"

// Indexes of Favor, Against and None in a target's Values (the taxonomy
// order) and in a Confusion.
const (
	FavorIndex   = 0
	AgainstIndex = 1
	NoneIndex    = 2
)

// Confusion is a 3×3 confusion matrix of one target: Confusion[g][p]
// counts the sentences whose gold value has index g and whose predicted
// value has index p (0 favor, 1 against, 2 none). The zero value is an
// empty matrix.
type Confusion [3][3]int

// Total returns the number of sentences counted.
func (c *Confusion) Total() int {
	n := 0
	for g := range 3 {
		for p := range 3 {
			n += c[g][p]
		}
	}
	return n
}

// Support returns the number of sentences whose gold value is v.
func (c *Confusion) Support(v int) int { return c[v][0] + c[v][1] + c[v][2] }

// Predicted returns the number of sentences predicted as v.
func (c *Confusion) Predicted(v int) int { return c[0][v] + c[1][v] + c[2][v] }

// Precision returns TP/(TP+FP) for value v, NaN when v is never predicted.
func (c *Confusion) Precision(v int) float64 {
	return Ratio(c[v][v], c.Predicted(v))
}

// Recall returns TP/(TP+FN) for value v, NaN when v has no gold support.
func (c *Confusion) Recall(v int) float64 {
	return Ratio(c[v][v], c.Support(v))
}

// F1 returns 2·TP/(2·TP+FP+FN) for value v; NaN when v has no gold
// example. A value the gold never holds has no recall, so its F1 is
// undefined even when it was predicted (those false positives still show
// in its precision, 0, and in the confusion matrix); F_avg is then the F1
// of the other value, the SemEval rule the peer benchmark uses too.
func (c *Confusion) F1(v int) float64 {
	if c.Support(v) == 0 {
		return math.NaN()
	}
	tp := c[v][v]
	return f1(tp, c.Predicted(v)-tp, c.Support(v)-tp)
}

// FAvg returns the SemEval-2016 stance score (F1_favor + F1_against)/2.
// When only one of the two is defined it returns that one; when neither
// is, NaN.
func (c *Confusion) FAvg() float64 {
	return MeanDefined(c.F1(FavorIndex), c.F1(AgainstIndex))
}

// DetectionF1 returns the F1 of "has a stance" (favor or against) against
// none: a gold favor predicted against is a true positive here. NaN when
// no sentence has a gold or predicted stance.
func (c *Confusion) DetectionF1() float64 {
	const f, a, n = FavorIndex, AgainstIndex, NoneIndex
	tp := c[f][f] + c[f][a] + c[a][f] + c[a][a]
	fp := c[n][f] + c[n][a]
	fn := c[f][n] + c[a][n]
	return f1(tp, fp, fn)
}

// Accuracy returns the share of sentences whose predicted value is the
// gold one; NaN for an empty matrix.
func (c *Confusion) Accuracy() float64 {
	return Ratio(c[0][0]+c[1][1]+c[2][2], c.Total())
}

// MeanFAvg returns the mean of the targets' F_avg over the targets where
// it is defined (the headline score); NaN when none is.
func MeanFAvg(cs []Confusion) float64 {
	vals := make([]float64, len(cs))
	for i := range cs {
		vals[i] = cs[i].FAvg()
	}
	return MeanDefined(vals...)
}

// MicroF1 returns the F1 of favor and against pooled over all targets:
// true positives, false positives and false negatives are summed over
// both values of every target. NaN when there is no stance in the gold
// labels or the predictions.
func MicroF1(cs []Confusion) float64 {
	tp, fp, fn := 0, 0, 0
	for i := range cs {
		for _, v := range []int{FavorIndex, AgainstIndex} {
			t := cs[i][v][v]
			tp += t
			fp += cs[i].Predicted(v) - t
			fn += cs[i].Support(v) - t
		}
	}
	return f1(tp, fp, fn)
}

// MicroFAvg returns the SemEval-2016 Task 6 official score: the F1 of
// favor pooled over all targets and the F1 of against pooled over all
// targets, averaged (with the same rule for undefined values as FAvg).
func MicroFAvg(cs []Confusion) float64 {
	var pooled Confusion
	for i := range cs {
		for g := range 3 {
			for p := range 3 {
				pooled[g][p] += cs[i][g][p]
			}
		}
	}
	return pooled.FAvg()
}

// Ratio returns a/b, NaN when b is 0 (a rate with nothing to count is
// undefined, not 0).
func Ratio(a, b int) float64 {
	if b == 0 {
		return math.NaN()
	}
	return float64(a) / float64(b)
}

func f1(tp, fp, fn int) float64 {
	d := 2*tp + fp + fn
	if d == 0 {
		return math.NaN()
	}
	return float64(2*tp) / float64(d)
}

// MeanDefined returns the mean of the values that are defined (not NaN),
// NaN if none is: how F_avg and the headline average undefined scores.
func MeanDefined(vs ...float64) float64 {
	s, n := 0.0, 0
	for _, v := range vs {
		if !math.IsNaN(v) {
			s += v
			n++
		}
	}
	if n == 0 {
		return math.NaN()
	}
	return s / float64(n)
}
