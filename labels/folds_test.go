package labels

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// syntheticRows makes n rows spread over documents of 1..maxPerDoc rows.
func syntheticRows(n, maxPerDoc int, seed uint64) []Gold {
	rng := rand.New(rand.NewPCG(seed, 1))
	var rows []Gold
	for d := 0; len(rows) < n; d++ {
		for range 1 + rng.IntN(maxPerDoc) {
			if len(rows) == n {
				break
			}
			rows = append(rows, Gold{ID: fmt.Sprintf("s%d", len(rows)), DocID: fmt.Sprintf("D%03d", d),
				Labels: []string{None, None, None, None}})
		}
	}
	return rows
}

func TestGroupFolds(t *testing.T) {
	tests := []struct {
		name      string
		rows      []Gold
		k         int
		maxPerDoc int
	}{
		{"many small docs", syntheticRows(1000, 5, 1), 5, 5},
		{"few large docs", syntheticRows(300, 40, 2), 3, 40},
		{"k equals docs", []Gold{{ID: "a", DocID: "x"}, {ID: "b", DocID: "y"}, {ID: "c", DocID: "y"}}, 2, 2},
		{"empty doc ids", []Gold{{ID: "a"}, {ID: "b"}, {ID: "c"}, {ID: "d"}}, 4, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			folds := GroupFolds(tt.rows, tt.k, 7)
			if len(folds) != len(tt.rows) {
				t.Fatalf("%d folds for %d rows", len(folds), len(tt.rows))
			}
			docFold := map[string]int{}
			size := make([]int, tt.k)
			for i, f := range folds {
				if f < 0 || f >= tt.k {
					t.Fatalf("fold %d out of range", f)
				}
				size[f]++
				d := tt.rows[i].DocID
				if d == "" {
					continue
				}
				if g, ok := docFold[d]; ok && g != f {
					t.Errorf("document %s in folds %d and %d", d, g, f)
				}
				docFold[d] = f
			}
			for f, n := range size {
				if n == 0 {
					t.Errorf("fold %d empty", f)
				}
			}
			// Greedy smallest-fold assignment keeps sizes within one
			// document of each other.
			if spread := slices.Max(size) - slices.Min(size); spread > tt.maxPerDoc {
				t.Errorf("fold sizes %v differ by %d > largest document %d", size, spread, tt.maxPerDoc)
			}
			if again := GroupFolds(tt.rows, tt.k, 7); !slices.Equal(folds, again) {
				t.Error("not deterministic")
			}
		})
	}
}

func TestGroupFoldsOrderAndSeed(t *testing.T) {
	rows := syntheticRows(500, 4, 3)
	a := GroupFolds(rows, 5, 1)
	// Row order does not matter.
	rev := slices.Clone(rows)
	slices.Reverse(rev)
	b := GroupFolds(rev, 5, 1)
	slices.Reverse(b)
	if !slices.Equal(a, b) {
		t.Error("assignment depends on row order")
	}
	// The seed does.
	if c := GroupFolds(rows, 5, 2); slices.Equal(a, c) {
		t.Error("seeds 1 and 2 give the same folds")
	}
}

func TestGroupFoldsPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("k = 0 did not panic")
		}
	}()
	GroupFolds(nil, 0, 1)
}
