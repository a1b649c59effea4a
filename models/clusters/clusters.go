package clusters

import (
	"errors"
	"fmt"
	"unicode/utf8"

	"github.com/stance-project/stance/labels"
)

// Clusters is a clustering of words at several granularities: what Learn
// returns and the clusters file holds.
type Clusters struct {
	// Levels are the numbers of clusters of each granularity, in the
	// order of the file's columns (Learn keeps Config.Levels' order).
	Levels []int
	// Words are lower-cased single words (see IsWord); Learn orders
	// them by descending frequency, ties by word.
	Words []string
	// IDs[i][l] is the cluster of Words[i] at level l, in 0..Levels[l]-1.
	IDs [][]uint16
	// Counts[i] is how often Words[i] occurred in the corpus Learn read;
	// nil when not known (ReadTSV: the file does not keep them).
	Counts []int64
}

// IsWord reports whether w is one word as labels.Words splits and
// lower-cases text: a non-empty run of letters and digits (labels.IsWordRune),
// each rune equal to its unicode.ToLower. Only such words can be looked up,
// since the words of a sentence are lower-cased the same way.
func IsWord(w string) bool {
	if w == "" || !utf8.ValidString(w) {
		return false
	}
	ws := labels.Words(w)
	return len(ws) == 1 && ws[0] == w
}

// maxProblems caps the problems Validate and ReadTSV list; the rest are
// counted.
const maxProblems = 20

// problems collects an input's problems up to maxProblems and counts the
// rest.
type problems struct {
	errs []error
	more int
}

func (p *problems) add(err error) {
	if len(p.errs) < maxProblems {
		p.errs = append(p.errs, err)
		return
	}
	p.more++
}

func (p *problems) err() error {
	if p.more > 0 {
		p.errs = append(p.errs, fmt.Errorf("and %d more problems", p.more))
	}
	return errors.Join(p.errs...)
}

// Validate reports the problems of c, joined (at most 20, then a count
// of the rest): no level, a level outside 2..MaxLevel or given twice, no
// word, an entry that is not a word (IsWord) or repeats one, IDs or
// Counts not of one entry per word, a row of IDs not of one id per level
// or an id out of its level's range, a negative count.
func (c *Clusters) Validate() error {
	var p problems
	if err := checkLevels(c.Levels); err != nil {
		p.add(err)
	}
	if len(c.Words) == 0 {
		p.add(errors.New("no words"))
	}
	if len(c.IDs) != len(c.Words) {
		p.add(fmt.Errorf("%d rows of cluster ids for %d words", len(c.IDs), len(c.Words)))
	}
	if c.Counts != nil && len(c.Counts) != len(c.Words) {
		p.add(fmt.Errorf("%d counts for %d words", len(c.Counts), len(c.Words)))
	}
	seen := make(map[string]int, len(c.Words))
	for i, w := range c.Words {
		if !IsWord(w) {
			p.add(fmt.Errorf("word %d: %q is not one lower-case word", i, w))
		} else if j, dup := seen[w]; dup {
			p.add(fmt.Errorf("word %d: %q repeats word %d", i, w, j))
		} else {
			seen[w] = i
		}
		if i < len(c.IDs) {
			if err := checkIDs(c.Levels, c.IDs[i]); err != nil {
				p.add(fmt.Errorf("word %d (%q): %w", i, w, err))
			}
		}
		if i < len(c.Counts) && c.Counts[i] < 0 {
			p.add(fmt.Errorf("word %d (%q): count %d", i, w, c.Counts[i]))
		}
	}
	return p.err()
}

// checkIDs checks one word's cluster ids against the levels.
func checkIDs(levels []int, ids []uint16) error {
	if len(ids) != len(levels) {
		return fmt.Errorf("%d cluster ids for %d levels", len(ids), len(levels))
	}
	for l, id := range ids {
		if int(id) >= levels[l] {
			return fmt.Errorf("cluster %d at level %d: want 0..%d", id, levels[l], levels[l]-1)
		}
	}
	return nil
}
