package suggest

import (
	"cmp"
	"container/heap"
	"fmt"
	"hash/fnv"
	"math"
	"slices"
	"strings"
	"unicode"

	"github.com/stance-project/stance/labels"
)

// Strategy names how uncertain a prediction is.
type Strategy string

const (
	// Margin is 1 − (p_top − p_second) of a target's head: high when the
	// two likeliest values are close.
	Margin Strategy = "margin"
	// Entropy is the normalised Shannon entropy of a target's head.
	Entropy Strategy = "entropy"
)

// Candidate is one unlabelled sentence with the model's prediction.
type Candidate struct {
	ID, DocID, Date, Source, Text string
	Prediction                    labels.Prediction
}

// Pick is a chosen candidate and why: the target whose head was most
// uncertain and that head's score.
type Pick struct {
	Candidate
	Target string
	Score  float64
}

// Reason renders why a pick was made, e.g. "ukraine_support margin 0.93
// (favor 0.41 / none 0.38)".
func (p Pick) Reason(tax labels.Taxonomy, s Strategy) string {
	i := tax.Index(p.Target)
	if i < 0 || i >= len(p.Prediction.Probs) {
		return fmt.Sprintf("%s %s %.3f", p.Target, s, p.Score)
	}
	probs := p.Prediction.Probs[i]
	order := make([]int, len(probs))
	for j := range order {
		order[j] = j
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(probs[b], probs[a]) })
	vals := tax.Targets[i].Values
	return fmt.Sprintf("%s %s %.3f (%s %.2f / %s %.2f)", p.Target, s, p.Score,
		vals[order[0]], probs[order[0]], vals[order[1]], probs[order[1]])
}

// Options controls Select.
type Options struct {
	N        int      // how many sentences to choose
	Strategy Strategy // Margin (default) or Entropy
	// PerDoc caps picks per document (0 = no cap).
	PerDoc int
	// PerYear caps picks per year of the date (0 = automatic: 2N times
	// the year's share of the candidate pool, at least 1, so that no year
	// dominates).
	PerYear int
	// Similarity is the word-shingle Jaccard similarity at or above which
	// two sentences count as near-duplicates (0 = 0.7).
	Similarity float64
	// Pool is how many of the most uncertain candidates are kept while
	// streaming, before filtering (0 = 20N). It bounds memory.
	Pool int
}

// Selector streams candidates and keeps the most uncertain ones.
type Selector struct {
	tax      labels.Taxonomy
	opts     Options
	pool     pickHeap
	labelled [][]uint64
	seen     int
}

// NewSelector returns a Selector. Texts already labelled (the gold files)
// are given so that near-duplicates of them are never suggested.
func NewSelector(tax labels.Taxonomy, opts Options, labelled []string) *Selector {
	if opts.Strategy == "" {
		opts.Strategy = Margin
	}
	if opts.Similarity == 0 {
		opts.Similarity = 0.7
	}
	if opts.Pool == 0 {
		opts.Pool = 20 * max(opts.N, 1)
	}
	s := &Selector{tax: tax, opts: opts}
	for _, t := range labelled {
		s.labelled = append(s.labelled, shingles(t))
	}
	return s
}

// Add offers one candidate. Candidates with empty text are ignored.
func (s *Selector) Add(c Candidate) {
	if strings.TrimSpace(c.Text) == "" {
		return
	}
	s.seen++
	target, score := Uncertainty(s.tax, c.Prediction, s.opts.Strategy)
	p := Pick{Candidate: c, Target: target, Score: score}
	if len(s.pool) < s.opts.Pool {
		p.Prediction = clonePrediction(p.Prediction)
		heap.Push(&s.pool, p)
		return
	}
	if less(s.pool[0], p) {
		p.Prediction = clonePrediction(p.Prediction)
		s.pool[0] = p
		heap.Fix(&s.pool, 0)
	}
}

// clonePrediction copies p so that a kept candidate does not pin the
// backing arrays of a whole batch of predictions.
func clonePrediction(p labels.Prediction) labels.Prediction {
	out := labels.Prediction{ID: p.ID, Values: slices.Clone(p.Values)}
	n := 0
	for _, pr := range p.Probs {
		n += len(pr)
	}
	flat := make([]float64, 0, n)
	out.Probs = make([][]float64, len(p.Probs))
	for i, pr := range p.Probs {
		flat = append(flat, pr...)
		out.Probs[i] = flat[len(flat)-len(pr) : len(flat) : len(flat)]
	}
	return out
}

// Strategy returns the strategy in use (Margin when none was given).
func (s *Selector) Strategy() Strategy { return s.opts.Strategy }

// Seen is the number of candidates offered so far.
func (s *Selector) Seen() int { return s.seen }

// Result lists the picks, most uncertain first, and how many of the pool
// were passed over and why.
type Result struct {
	Picks                                     []Pick
	NearLabelled, NearPicked, DocCap, YearCap int
	// DupID counts pool entries whose id was already picked (the same id
	// offered twice): a todo file must not repeat an id.
	DupID int
}

// Select returns up to N picks: the most uncertain candidates, skipping
// near-duplicates of labelled texts and of earlier picks, and honouring
// the per-document and per-year caps. Ties break on id, so the result is
// deterministic.
func (s *Selector) Select() Result {
	pool := slices.Clone(s.pool)
	slices.SortFunc(pool, func(a, b Pick) int {
		if c := cmp.Compare(b.Score, a.Score); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	// The automatic cap follows where the uncertain sentences are: a year
	// may take up to twice its share of the pool (at least one pick), so
	// no single year dominates but a corpus with many sparse years does
	// not force picks away from the uncertain ones.
	inPool := map[string]int{}
	for _, p := range pool {
		inPool[year(p.Date)]++
	}
	capFor := func(y string) int {
		if s.opts.PerYear > 0 {
			return s.opts.PerYear
		}
		return max(1, int(math.Ceil(2*float64(s.opts.N)*float64(inPool[y])/float64(max(len(pool), 1)))))
	}
	var res Result
	var picked [][]uint64
	docs, years := map[string]int{}, map[string]int{}
	ids := map[string]bool{}
	for _, p := range pool {
		if len(res.Picks) == s.opts.N {
			break
		}
		if ids[p.ID] {
			res.DupID++
			continue
		}
		sh := shingles(p.Text)
		if nearAny(sh, s.labelled, s.opts.Similarity) {
			res.NearLabelled++
			continue
		}
		if nearAny(sh, picked, s.opts.Similarity) {
			res.NearPicked++
			continue
		}
		if s.opts.PerDoc > 0 && docs[p.DocID] >= s.opts.PerDoc {
			res.DocCap++
			continue
		}
		y := year(p.Date)
		if years[y] >= capFor(y) {
			res.YearCap++
			continue
		}
		ids[p.ID] = true
		docs[p.DocID]++
		years[y]++
		picked = append(picked, sh)
		res.Picks = append(res.Picks, p)
	}
	return res
}

// Uncertainty returns the target whose head is most uncertain under the
// strategy, and that head's score in [0, 1].
func Uncertainty(tax labels.Taxonomy, pred labels.Prediction, s Strategy) (string, float64) {
	best, bestScore := "", -1.0
	for i, probs := range pred.Probs {
		var score float64
		switch s {
		case Entropy:
			h := 0.0
			for _, p := range probs {
				if p > 0 {
					h -= p * math.Log(p)
				}
			}
			score = h / math.Log(float64(len(probs)))
		default:
			top, second := 0.0, 0.0
			for _, p := range probs {
				if p > top {
					top, second = p, top
				} else if p > second {
					second = p
				}
			}
			score = 1 - (top - second)
		}
		if score > bestScore {
			best, bestScore = tax.Targets[i].Name, score
		}
	}
	return best, bestScore
}

func year(date string) string {
	if len(date) >= 4 {
		return date[:4]
	}
	return date
}

// shingles returns the sorted, deduplicated hashes of a text's lowercased
// word bigrams (unigrams for one-word texts).
func shingles(text string) []uint64 {
	words := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	var out []uint64
	h := fnv.New64a()
	add := func(s string) {
		h.Reset()
		h.Write([]byte(s))
		out = append(out, h.Sum64())
	}
	if len(words) == 1 {
		add(words[0])
	}
	for i := 1; i < len(words); i++ {
		add(words[i-1] + " " + words[i])
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// jaccard of two sorted sets.
func jaccard(a, b []uint64) float64 {
	if len(a) == 0 && len(b) == 0 {
		return 1
	}
	i, j, inter := 0, 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] == b[j]:
			inter++
			i++
			j++
		case a[i] < b[j]:
			i++
		default:
			j++
		}
	}
	return float64(inter) / float64(len(a)+len(b)-inter)
}

func nearAny(sh []uint64, set [][]uint64, threshold float64) bool {
	for _, o := range set {
		if jaccard(sh, o) >= threshold {
			return true
		}
	}
	return false
}

// pickHeap is a min-heap on uncertainty: the root is the least uncertain
// kept candidate, the first to go when a better one arrives.
type pickHeap []Pick

func less(a, b Pick) bool {
	if a.Score != b.Score {
		return a.Score < b.Score
	}
	return a.ID > b.ID
}

func (h pickHeap) Len() int           { return len(h) }
func (h pickHeap) Less(i, j int) bool { return less(h[i], h[j]) }
func (h pickHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *pickHeap) Push(x any)        { *h = append(*h, x.(Pick)) }
func (h *pickHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}
