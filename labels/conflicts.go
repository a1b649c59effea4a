package labels

import (
	"errors"
	"fmt"
	"strings"
)

// ErrTextConflict marks the same sentence labelled differently under two
// ids (a TextConflicts problem).
var ErrTextConflict = errors.New("same text, different labels")

// Duplicates returns how many rows of g were dropped as exact repeats of
// an earlier row's id (the ErrDuplicateID warnings of ReadGoldFiles).
func (g *GoldFile) Duplicates() int {
	n := 0
	for _, w := range g.Warnings {
		if errors.Is(w, ErrDuplicateID) {
			n++
		}
	}
	return n
}

// TextConflicts returns one problem for each row of g whose text is that
// of an earlier row under another id (texts compared as labels merge
// compares them: white space runs made single spaces, typographic quotes,
// dashes and ellipses made plain) and which gives some target a different
// non-empty label: a classifier trained on both is taught both values.
// Each problem is at the later row (file:line) and names the earlier
// row's id, file and line and the targets in conflict; it wraps
// ErrTextConflict. Rows with the same text and compatible labels are not
// problems. The order is that of g.Rows.
func (g *GoldFile) TextConflicts() ErrorList {
	type at struct {
		file string
		row  int
	}
	first := make(map[string][]at, len(g.Rows))
	var errs ErrorList
	for i, r := range g.Rows {
		k := TextKey(r.Text)
		if k == "" {
			continue
		}
		for _, p := range first[k] {
			prev := g.Rows[p.row]
			if prev.ID == r.ID {
				continue
			}
			if diff := labelConflicts(g.Taxonomy, r.Labels, prev.Labels); len(diff) > 0 {
				errs = append(errs, &ParseError{File: g.File(i), Line: r.Line, Err: ErrTextConflict,
					Detail: fmt.Sprintf("%q has the text of %q at %s:%d (%s)", r.ID, prev.ID, p.file, prev.Line, strings.Join(diff, "; "))})
				break
			}
		}
		first[k] = append(first[k], at{g.File(i), i})
	}
	return errs
}
