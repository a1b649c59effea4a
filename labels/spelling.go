package labels

import (
	"strings"

	"github.com/stance-project/stance/internal/spell"
)

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
		d := spell.Distance(n, normalizeName(c))
		if d < bestD {
			best, bestD = c, d
		}
	}
	return best
}
