package labels

import (
	"math"
	"testing"
)

// approx reports whether a and b are equal within 1e-9, or both NaN.
func approx(a, b float64) bool {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.IsNaN(a) && math.IsNaN(b)
	}
	return math.Abs(a-b) < 1e-9
}

var nan = math.NaN()

// The reference numbers were computed by hand from the matrices with
// P = TP/(TP+FP), R = TP/(TP+FN), F1 = 2TP/(2TP+FP+FN); the fractions are
// kept exact in the table.
var confusionCases = []struct {
	name                   string
	c                      Confusion
	pFavor, rFavor, f1Fav  float64
	pAgainst, rAgainst, f1 float64 // F1 of against
	fAvg, detect, acc      float64
}{
	{
		// favor TP 3 FP 1 FN 2; against TP 2 FP 1 FN 2;
		// detection TP 6 FP 1 FN 3; 10 of 15 right.
		name:   "all values present",
		c:      Confusion{{3, 1, 1}, {0, 2, 2}, {1, 0, 5}},
		pFavor: 3.0 / 4, rFavor: 3.0 / 5, f1Fav: 6.0 / 9,
		pAgainst: 2.0 / 3, rAgainst: 2.0 / 4, f1: 4.0 / 7,
		fAvg: (6.0/9 + 4.0/7) / 2, detect: 12.0 / 16, acc: 10.0 / 15,
	},
	{
		// No gold and no predicted against: F1_against undefined, F_avg
		// falls back to F1_favor = 2·2/(2·2+1+1).
		name:   "no against at all",
		c:      Confusion{{2, 0, 1}, {0, 0, 0}, {1, 0, 4}},
		pFavor: 2.0 / 3, rFavor: 2.0 / 3, f1Fav: 4.0 / 6,
		pAgainst: nan, rAgainst: nan, f1: nan,
		fAvg: 4.0 / 6, detect: 4.0 / 6, acc: 6.0 / 8,
	},
	{
		// Against predicted once but never gold: no recall, so F1_against
		// is undefined (issue 5); the false positive shows in precision 0
		// and detection F1. F_avg is F1_favor.
		name:   "against predicted, never gold",
		c:      Confusion{{2, 0, 0}, {0, 0, 0}, {0, 1, 3}},
		pFavor: 1, rFavor: 1, f1Fav: 1,
		pAgainst: 0, rAgainst: nan, f1: nan,
		fAvg: 1, detect: 4.0 / 5, acc: 5.0 / 6,
	},
	{
		// Against in gold, never predicted: recall 0, precision undefined,
		// F1 0.
		name:   "against gold, never predicted",
		c:      Confusion{{1, 0, 0}, {0, 0, 2}, {0, 0, 1}},
		pFavor: 1, rFavor: 1, f1Fav: 1,
		pAgainst: nan, rAgainst: 0, f1: 0,
		fAvg: 0.5, detect: 2.0 / 4, acc: 2.0 / 4,
	},
	{
		name:   "only none",
		c:      Confusion{{0, 0, 0}, {0, 0, 0}, {0, 0, 7}},
		pFavor: nan, rFavor: nan, f1Fav: nan,
		pAgainst: nan, rAgainst: nan, f1: nan,
		fAvg: nan, detect: nan, acc: 1,
	},
	{
		name:   "empty",
		pFavor: nan, rFavor: nan, f1Fav: nan,
		pAgainst: nan, rAgainst: nan, f1: nan,
		fAvg: nan, detect: nan, acc: nan,
	},
}

func TestConfusionMetrics(t *testing.T) {
	for _, tc := range confusionCases {
		t.Run(tc.name, func(t *testing.T) {
			c := tc.c
			for _, chk := range []struct {
				what      string
				got, want float64
			}{
				{"precision favor", c.Precision(FavorIndex), tc.pFavor},
				{"recall favor", c.Recall(FavorIndex), tc.rFavor},
				{"F1 favor", c.F1(FavorIndex), tc.f1Fav},
				{"precision against", c.Precision(AgainstIndex), tc.pAgainst},
				{"recall against", c.Recall(AgainstIndex), tc.rAgainst},
				{"F1 against", c.F1(AgainstIndex), tc.f1},
				{"F_avg", c.FAvg(), tc.fAvg},
				{"detection F1", c.DetectionF1(), tc.detect},
				{"accuracy", c.Accuracy(), tc.acc},
			} {
				if !approx(chk.got, chk.want) {
					t.Errorf("%s = %v, want %v", chk.what, chk.got, chk.want)
				}
			}
		})
	}
}

func TestAcrossTargets(t *testing.T) {
	// The first three matrices of confusionCases plus an empty one.
	// By hand: mean F_avg = (13/21 + 2/3 + 1)/3 (the empty target is
	// left out); micro F1 pools favor (TP 7, FP 2, FN 3) and against
	// (TP 2, FP 2, FN 2): 2·9/(2·9+4+5) = 18/27; micro F_avg averages
	// pooled favor F1 14/19 and pooled against F1 4/8.
	cs := []Confusion{confusionCases[0].c, confusionCases[1].c, confusionCases[2].c, {}}
	tests := []struct {
		name      string
		got, want float64
	}{
		{"mean F_avg", MeanFAvg(cs), (13.0/21 + 2.0/3 + 1) / 3},
		{"micro F1", MicroF1(cs), 18.0 / 27},
		{"micro F_avg", MicroFAvg(cs), (14.0/19 + 0.5) / 2},
		{"mean F_avg, nothing defined", MeanFAvg([]Confusion{{}, {}}), nan},
		{"micro F1, no targets", MicroF1(nil), nan},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if !approx(tc.got, tc.want) {
				t.Errorf("got %v, want %v", tc.got, tc.want)
			}
		})
	}
}
