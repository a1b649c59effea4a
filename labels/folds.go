package labels

import (
	"cmp"
	"math/rand/v2"
	"slices"
)

// GroupFolds assigns each row to one of k folds (0..k-1) so that all rows
// of a document (same DocID) share a fold: no document is on both sides of
// a train/test split. A row with an empty DocID is a document of its own.
//
// The assignment is deterministic in (rows' ids and doc ids, k, seed) and
// does not depend on row order. Documents are sorted by id, shuffled with
// a PCG source seeded by seed, then taken largest first (ties in shuffled
// order) and each given to the fold with the fewest rows so far (ties to
// the lowest fold), so fold sizes differ by at most the largest document.
// Every fold is non-empty when there are at least k documents.
// GroupFolds panics if k < 1.
func GroupFolds(rows []Gold, k int, seed uint64) []int {
	if k < 1 {
		panic("labels: GroupFolds with k < 1")
	}
	key := func(g Gold) string {
		if g.DocID == "" {
			return "\x00" + g.ID // a document of its own
		}
		return g.DocID
	}
	size := map[string]int{}
	for _, g := range rows {
		size[key(g)]++
	}
	docs := make([]string, 0, len(size))
	for d := range size {
		docs = append(docs, d)
	}
	slices.Sort(docs)
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	rng.Shuffle(len(docs), func(i, j int) { docs[i], docs[j] = docs[j], docs[i] })
	slices.SortStableFunc(docs, func(a, b string) int { return cmp.Compare(size[b], size[a]) })

	load := make([]int, k)
	fold := make(map[string]int, len(docs))
	for _, d := range docs {
		best := 0
		for f := 1; f < k; f++ {
			if load[f] < load[best] {
				best = f
			}
		}
		fold[d] = best
		load[best] += size[d]
	}
	out := make([]int, len(rows))
	for i, g := range rows {
		out[i] = fold[key(g)]
	}
	return out
}
