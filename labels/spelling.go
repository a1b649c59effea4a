package labels

import "strings"

// editDistance is the Levenshtein distance between a and b, in runes.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// normalizeName folds case, surrounding space and the separators people
// swap for '_' ("Ukraine Support", "ukraine-support").
func normalizeName(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	return strings.NewReplacer("-", "_", " ", "_").Replace(s)
}

// closest returns the candidate nearest to s once both are normalised, if
// it is within maxDist edits; otherwise "". Ties go to the earlier
// candidate, so the result is deterministic.
func closest(s string, candidates []string, maxDist int) string {
	n := normalizeName(s)
	best, bestD := "", maxDist+1
	for _, c := range candidates {
		d := editDistance(n, normalizeName(c))
		if d < bestD {
			best, bestD = c, d
		}
	}
	return best
}
