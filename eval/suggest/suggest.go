package suggest

import (
	"cmp"
	"container/heap"
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/stance-project/stance/eval"
	"github.com/stance-project/stance/labels"
)

// Candidate is one unlabelled sentence with the model's prediction.
type Candidate struct {
	ID, DocID, Date, Source, Text string
	Prediction                    labels.Prediction
}

// Pick is a chosen candidate and why: the target (and, for Rare picks,
// the value) it was chosen for and its score.
type Pick struct {
	Candidate
	Target string
	// Value is the stance value the pick was chosen for (Rare, and
	// Mixed's Rare half); empty for the uncertainty strategies.
	Value string
	// Score is the ranking score: the head's uncertainty (Margin,
	// Entropy, Decision, Targets), or the value's probability (Rare),
	// or the target's relevance 1 − p(none) when OnTopic, all in
	// [0, 1]; for Targets and Rare, plus Cues and Confirmed
	// (CueCounter.Score).
	Score float64
	// Cues is how many words of the target's description (its topic and,
	// for a Rare pick, the value's cues; for Targets, both values' cues)
	// the sentence contains, counted by stem (CueCounter). 0 for the
	// other strategies, Explore picks, targets without a description and
	// with Options.NoCues.
	Cues int
	// Confirmed is how many of those words labelled examples of the
	// value contain (for Targets, examples of either stance of the
	// target): they count twice (CueCounter.Confirm).
	Confirmed int
	// OnTopic marks a Rare pick for a value never labelled, ranked by
	// the target's relevance instead of the value's probability.
	OnTopic bool
	// Random marks a pick drawn at random (Options.Explore); its Score
	// is the draw.
	Random bool
	// Labelled is how many labelled examples of Target = Value the
	// Selector knew of (Options.Counts), -1 when unknown or not a stance
	// pick.
	Labelled int
	seq      int // order of Add, to tell apart two candidates with one id
}

// Reason renders why a pick was made, e.g. "ukraine_support margin 0.930
// (favor 0.41 / none 0.38)" or "defense_spending favor 0.62 (rare, 7
// labelled, 2 cue words, 1 in labelled examples)". Under Mixed, a pick
// is described by the half that chose it (Targets or Rare). Scores are
// shown without the description words, which are counted beside them.
func (p Pick) Reason(tax labels.Taxonomy, s Strategy) string {
	if p.Random {
		return "random draw (explore)"
	}
	if s == Mixed {
		s = Targets
		if p.Value != "" {
			s = Rare
		}
	}
	i := tax.Index(p.Target)
	if i < 0 || i >= len(p.Prediction.Probs) {
		return fmt.Sprintf("%s %s %.3f", p.Target, s, p.Score)
	}
	probs := p.Prediction.Probs[i]
	raw := p.Score - float64(p.Cues+p.Confirmed) // before the description weighting
	if p.Value != "" {
		if j := tax.ValueIndex(i, p.Value); j >= 0 && j < len(probs) {
			if p.OnTopic {
				return fmt.Sprintf("%s %s %.2f (%s: never labelled; on topic %.3f%s)", p.Target, p.Value, probs[j], s, raw, cueWords(p.Cues, p.Confirmed, ", "))
			}
			known := ""
			if p.Labelled >= 0 {
				known = fmt.Sprintf(", %d labelled", p.Labelled)
			}
			return fmt.Sprintf("%s %s %.2f (%s%s%s)", p.Target, p.Value, probs[j], s, known, cueWords(p.Cues, p.Confirmed, ", "))
		}
	}
	if len(probs) < 2 {
		return fmt.Sprintf("%s %s %.3f", p.Target, s, p.Score)
	}
	order := make([]int, len(probs))
	for j := range order {
		order[j] = j
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(probs[b], probs[a]) })
	vals := tax.Targets[i].Values
	decided := ""
	if (s == Decision || s == Targets) && i < len(p.Prediction.Values) && p.Prediction.Values[i] != "" {
		decided = "decided " + p.Prediction.Values[i] + "; "
	}
	return fmt.Sprintf("%s %s %.3f (%s%s %.2f / %s %.2f%s)", p.Target, s, raw, decided,
		vals[order[0]], probs[order[0]], vals[order[1]], probs[order[1]], cueWords(p.Cues, p.Confirmed, "; "))
}

// cueWords renders a pick's description words for Reason, after sep,
// and how many of them labelled examples confirm; "" for none.
func cueWords(n, confirmed int, sep string) string {
	words := "cue words"
	if n == 1 {
		words = "cue word"
	}
	switch {
	case n == 0:
		return ""
	case confirmed > 0:
		return fmt.Sprintf("%s%d %s, %d in labelled examples", sep, n, words, confirmed)
	}
	return fmt.Sprintf("%s%d %s", sep, n, words)
}

// Options controls Select.
type Options struct {
	N        int      // how many sentences to choose
	Strategy Strategy // one of Strategies; empty means DefaultStrategy
	// Counts holds the labelled set's count per target and value
	// (LabelCounts), for Rare's shares and its test of a value never
	// labelled. Nil means unknown: every head weighs 1 and ranks by its
	// probability.
	Counts [][]int
	// Rarity is the exponent of Rare's share weights (RarityWeight); 0
	// means DefaultRarity, a negative value equal shares (exponent 0).
	Rarity float64
	// Explore is the share of picks, in [0, 1), drawn uniformly at random
	// from the candidates instead of by score (a seeded reservoir sample
	// of Pool candidates), so that the labelled set keeps some sentences
	// like the corpus at large. 0 means none.
	Explore float64
	// Seed seeds the Explore draw.
	Seed uint64
	// Scales are the model's decision weights per target and value (for
	// a class-weighted argmax model, the class weights; none is 1: what
	// (*models.Model).DecisionScales returns), for Decision, Targets and
	// Mixed.
	// Nil: unscaled, which makes Decision the same as Margin.
	Scales [][]float64
	// PerDoc caps picks per document (0 = no cap).
	PerDoc int
	// PerYear caps picks per year of the date (0 = automatic: 2N times
	// the year's share of the candidate pool, at least 1, so that no year
	// dominates).
	PerYear int
	// Similarity is the word-shingle Jaccard similarity at or above which
	// two sentences count as near-duplicates (0 = 0.7).
	Similarity float64
	// Pool is how many of the best-scored candidates are kept while
	// streaming, before filtering (0 = 20N). Strategies with several
	// rankings (Targets, Rare, Mixed) share it between them, each
	// keeping at least 2N; Explore keeps its own Pool of random draws. It
	// bounds memory.
	Pool int
	// NoCues turns off the description weighting of Targets, Rare and
	// Mixed: each ranking otherwise puts the sentences with more words of
	// the target's description first, and orders those with as many by
	// its score (margin, probability, or relevance for a value never
	// labelled; see CueCounter.Score, Pick.Cues and the package doc).
	NoCues bool
}

// Selector streams candidates and keeps the best-scored ones.
type Selector struct {
	tax      labels.Taxonomy
	opts     Options
	queues   []queue
	labelled [][]uint64
	seen     int
	rng      *rand.Rand  // for Explore
	cc       *CueCounter // counts description words; nil: no weighting
}

// queue is one ranking: the whole prediction (h.target < 0), one
// target (Targets: h.value < 0), one stance head (Rare), or a random
// draw (explore). Select gives each queue turns in proportion to its
// share.
type queue struct {
	h       head
	explore bool
	group   int // queues of one group share its turns: 0 the single ranking or Targets' half, 1 Rare's half, 2 explore
	share   float64
	cap     int
	pool    pickHeap
}

// NewSelector returns a Selector. The rows already labelled (the gold
// files, aligned with tax) are given so that near-duplicates of them are
// never suggested, and so that the description words their examples
// contain count twice (CueCounter.Confirm); rows without any label are
// ignored. An unknown opts.Strategy is a programmer error: check it with
// ParseStrategy first.
func NewSelector(tax labels.Taxonomy, opts Options, labelled []labels.Gold) *Selector {
	if opts.Strategy == "" {
		opts.Strategy = DefaultStrategy
	}
	if _, err := ParseStrategy(string(opts.Strategy)); err != nil {
		panic("suggest: " + err.Error())
	}
	if opts.Similarity == 0 {
		opts.Similarity = 0.7
	}
	if opts.Pool == 0 {
		opts.Pool = 20 * max(opts.N, 1)
	}
	switch {
	case opts.Rarity == 0:
		opts.Rarity = DefaultRarity
	case opts.Rarity < 0:
		opts.Rarity = 0
	}
	if !(opts.Explore >= 0 && opts.Explore < 1) {
		panic(fmt.Sprintf("suggest: Explore %v outside [0, 1)", opts.Explore))
	}
	s := &Selector{tax: tax, opts: opts}
	if !opts.NoCues && (opts.Strategy == Targets || opts.Strategy == Rare || opts.Strategy == Mixed) {
		s.cc = NewCueCounter(tax)
		s.cc.Confirm(labelled)
	}
	scored := 1 - opts.Explore
	margins, rare := 0.0, 0.0 // the shares of Targets' and Rare's rankings
	switch opts.Strategy {
	case Targets:
		margins = scored
	case Rare:
		rare = scored
	case Mixed:
		margins, rare = scored/2, scored/2
	default:
		s.queues = []queue{{h: head{-1, -1}, share: scored, cap: opts.Pool}}
	}
	hs := stanceHeads(tax)
	rankings := 0
	if margins > 0 {
		rankings += len(tax.Targets)
	}
	if rare > 0 {
		rankings += len(hs)
	}
	per := max(opts.Pool/max(rankings, 1), 2*opts.N, 1)
	if margins > 0 {
		for t := range tax.Targets {
			s.queues = append(s.queues, queue{h: head{t, -1}, share: margins / float64(len(tax.Targets)), cap: per})
		}
	}
	if rare > 0 {
		// A value never labelled is hunted like the rarest labelled one:
		// its ranking (by relevance, see score) gets that value's weight,
		// not the top weight a count of 0 would give, which would hand it
		// most of the half in a large labelled set where it may simply not
		// occur.
		counts := make([]int, len(hs))
		least := -1 // the rarest labelled head's count
		for i, h := range hs {
			counts[i] = count(opts.Counts, h.target, h.value)
			if n := counts[i]; n > 0 && (least < 0 || n < least) {
				least = n
			}
		}
		weights := make([]float64, len(hs))
		total := 0.0
		for i, n := range counts {
			if n == 0 && least > 0 {
				n = least
			}
			weights[i] = RarityWeight(n, least, opts.Rarity)
			total += weights[i]
		}
		for i, h := range hs {
			s.queues = append(s.queues, queue{h: h, group: 1, share: rare * weights[i] / total, cap: per})
		}
	}
	if opts.Explore > 0 {
		s.rng = rand.New(rand.NewPCG(opts.Seed, 0x5eed))
		s.queues = append(s.queues, queue{explore: true, group: 2, share: opts.Explore, cap: opts.Pool})
	}
	for _, r := range labelled {
		if r.Labelled() {
			s.labelled = append(s.labelled, shingles(r.Text))
		}
	}
	return s
}

// Add offers one candidate. Candidates with empty text are ignored.
func (s *Selector) Add(c Candidate) {
	if strings.TrimSpace(c.Text) == "" {
		return
	}
	s.seen++
	cues := s.cc.Cues(c.Text)   // empty without weighting
	var kept *labels.Prediction // one copy shared by every queue keeping c
	for qi := range s.queues {
		q := &s.queues[qi]
		p, ok := s.score(q, &c, &cues)
		if !ok || math.IsNaN(p.Score) { // a NaN probability is not ranked
			continue
		}
		if len(q.pool) >= q.cap && !less(&q.pool[0], &p) {
			continue
		}
		if kept == nil {
			cl := clonePrediction(c.Prediction)
			kept = &cl
		}
		p.Prediction = *kept
		if len(q.pool) < q.cap {
			heap.Push(&q.pool, p)
		} else {
			q.pool[0] = p
			heap.Fix(&q.pool, 0)
		}
	}
}

// score scores c, whose description words are cues, for queue q.
func (s *Selector) score(q *queue, c *Candidate, cues *Cues) (Pick, bool) {
	h := q.h
	p := Pick{Candidate: *c, Labelled: -1, seq: s.seen}
	switch {
	case q.explore:
		p.Random, p.Score = true, s.rng.Float64()
	case h.target >= 0 && h.value < 0:
		if h.target >= len(c.Prediction.Probs) {
			return p, false
		}
		one := labels.Prediction{Probs: c.Prediction.Probs[h.target : h.target+1]}
		var scales [][]float64
		if h.target < len(s.opts.Scales) {
			scales = s.opts.Scales[h.target : h.target+1]
		}
		_, p.Score = ScaledUncertainty(labels.Taxonomy{Targets: s.tax.Targets[h.target : h.target+1]}, one, Margin, scales)
		p.Target = s.tax.Targets[h.target].Name
		p.Cues, p.Confirmed = s.cc.Count(*cues, h.target, h.value)
		p.Score = s.cc.Score(p.Score, p.Cues, p.Confirmed)
	case h.target >= 0:
		if h.target >= len(c.Prediction.Probs) || h.value >= len(c.Prediction.Probs[h.target]) {
			return p, false
		}
		p.Target, p.Value = s.tax.Targets[h.target].Name, s.tax.Targets[h.target].Values[h.value]
		p.Score = c.Prediction.Probs[h.target][h.value]
		p.Labelled = count(s.opts.Counts, h.target, h.value)
		if none := s.tax.ValueIndex(h.target, labels.None); p.Labelled == 0 && none >= 0 && none < len(c.Prediction.Probs[h.target]) {
			p.Score, p.OnTopic = 1-c.Prediction.Probs[h.target][none], true
		}
		p.Cues, p.Confirmed = s.cc.Count(*cues, h.target, h.value)
		p.Score = s.cc.Score(p.Score, p.Cues, p.Confirmed)
	case s.opts.Strategy == Decision:
		p.Target, p.Score = ScaledUncertainty(s.tax, c.Prediction, Margin, s.opts.Scales)
	default:
		p.Target, p.Score = Uncertainty(s.tax, c.Prediction, s.opts.Strategy)
	}
	return p, true
}

// CueCounter counts the words of a sentence that the taxonomy's
// descriptions name, as Targets and Rare weigh their rankings (see
// Options.NoCues): a sentence that names what the guidelines describe is
// likelier to carry the stance than one the model merely finds
// uncertain, or probable from the few examples it has. A description word
// that labelled examples of the value contain (Confirm) counts twice:
// the analyst's own labels show it is used that way in this corpus.
type CueCounter struct {
	tax labels.Taxonomy
	kw  *eval.KeywordRules
	// confirmed holds, per target and ranking (favor, against, the
	// whole target), the description stems that labelled examples
	// contain, sorted; nil before Confirm.
	confirmed [][3][]string
}

// The rankings of CueCounter.confirmed.
const (
	rankFavor = iota
	rankAgainst
	rankTarget
)

// rankOf is the ranking of a stance value's hunt; false for any other
// value (none).
func rankOf(value string) (int, bool) {
	switch value {
	case labels.Favor:
		return rankFavor, true
	case labels.Against:
		return rankAgainst, true
	}
	return 0, false
}

// NewCueCounter returns the counter of tax's descriptions, or nil when no
// target has one.
func NewCueCounter(tax labels.Taxonomy) *CueCounter {
	for _, tg := range tax.Targets {
		if strings.TrimSpace(tg.Description) != "" {
			return &CueCounter{tax: tax, kw: eval.NewKeywordRules(tax)}
		}
	}
	return nil
}

// Confirm records the description words that labelled examples contain
// (rows aligned with the counter's taxonomy): for a target's favor
// ranking, the topic and favor cue words of its rows labelled favor; for
// its against ranking, likewise; for the whole target's ranking, the
// words Count counts there, of rows labelled either. Count then reports
// them as confirmed. Called again, it adds to what it has. A nil counter
// ignores it.
func (c *CueCounter) Confirm(rows []labels.Gold) {
	if c == nil {
		return
	}
	nT := len(c.tax.Targets)
	for _, r := range rows {
		var words []string // stemmed once a row has a stance
		for t := 0; t < nT && t < len(r.Labels); t++ {
			k, ok := rankOf(r.Labels[t])
			if !ok {
				continue
			}
			if words == nil {
				words = labels.Stems(r.Text)
			}
			if c.confirmed == nil { // only once there is an example: Cues skips a nil one
				c.confirmed = make([][3][]string, nT)
			}
			for _, w := range words {
				if c.countsFor(t, k, w) {
					c.confirmed[t][k] = append(c.confirmed[t][k], w)
				}
				if c.countsFor(t, rankTarget, w) {
					c.confirmed[t][rankTarget] = append(c.confirmed[t][rankTarget], w)
				}
			}
		}
	}
	for t := range c.confirmed {
		for k := range c.confirmed[t] {
			slices.Sort(c.confirmed[t][k])
			c.confirmed[t][k] = slices.Compact(c.confirmed[t][k])
		}
	}
}

// countsFor reports whether stem w is one of the description words that
// Count counts for target t's ranking k.
func (c *CueCounter) countsFor(t, k int, w string) bool {
	in := func(set []string) bool {
		_, ok := slices.BinarySearch(set, w)
		return ok
	}
	if in(c.kw.Topic[t]) {
		return true
	}
	if c.kw.Generic[t] {
		return false
	}
	switch k {
	case rankFavor:
		return in(c.kw.Favor[t])
	case rankAgainst:
		return in(c.kw.Against[t])
	}
	return in(c.kw.Favor[t]) || in(c.kw.Against[t])
}

// Cues are a sentence's description words, per target, for Count.
type Cues struct {
	counts    []labels.CueCounts
	confirmed [][3]int // per target and ranking, as CueCounter.confirmed
}

// Cues returns text's description words per target, for Count; empty for
// a nil counter.
func (c *CueCounter) Cues(text string) Cues {
	if c == nil {
		return Cues{}
	}
	words := labels.Stems(text)
	out := Cues{counts: c.kw.CountStems(words, nil)}
	if c.confirmed == nil {
		return out
	}
	out.confirmed = make([][3]int, len(c.confirmed))
	for t := range c.confirmed {
		for k, set := range c.confirmed[t] {
			if len(set) == 0 {
				continue
			}
			for _, w := range words {
				if _, ok := slices.BinarySearch(set, w); ok {
					out.confirmed[t][k]++
				}
			}
		}
	}
	return out
}

// Count is how many description words of a sentence (its Cues) count for
// the ranking of target t and value v: the target's topic words plus the
// cue words of v if v is favor or against, or of both if v < 0 (the
// whole target's ranking); and how many of those labelled examples
// confirm (Confirm). A description without "Favor:" and "Against:" parts
// counts as topic words only (the keyword baseline's generic cues are not
// the description's words), so a target without a description counts 0.
// 0 also for a nil counter and out of range.
func (c *CueCounter) Count(cues Cues, t, v int) (words, confirmed int) {
	if c == nil || t < 0 || t >= len(cues.counts) || t >= len(c.tax.Targets) || v >= len(c.tax.Targets[t].Values) {
		return 0, 0
	}
	k := cues.counts[t]
	rk := rankTarget
	if v >= 0 {
		var ok bool
		if rk, ok = rankOf(c.tax.Targets[t].Values[v]); !ok {
			return k.Topic, 0
		}
	}
	words = k.Topic
	if !c.kw.Generic[t] {
		switch rk {
		case rankFavor:
			words += k.Favor
		case rankAgainst:
			words += k.Against
		default:
			words += k.Favor + k.Against
		}
	}
	if t < len(cues.confirmed) {
		confirmed = cues.confirmed[t][rk]
	}
	return words, confirmed
}

// Score is a ranking's score for a sentence with n description words,
// confirmed of them by labelled examples (Count), whose uncertainty,
// probability or relevance is raw, in [0, 1]: n + confirmed + raw, so the
// description words rank first, a confirmed word counting twice, and the
// model orders the sentences with as many. Reason subtracts them again.
//
// The order does not depend on how the model's probabilities are
// calibrated. A product (1 + n)·raw, used before, ranked the same way
// only while the probabilities stayed within a few hundredths of each
// value's base rate; once they spread over [0, 1], it let the model
// outrank the guidelines, and bench/active's mixed fell from 0.367 to
// 0.341 at 300 labels (BENCHMARKS.md).
func (c *CueCounter) Score(raw float64, n, confirmed int) float64 {
	return float64(n+confirmed) + raw
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

// Strategy returns the strategy in use (DefaultStrategy when none was
// given).
func (s *Selector) Strategy() Strategy { return s.opts.Strategy }

// Seen is the number of candidates offered so far.
func (s *Selector) Seen() int { return s.seen }

// Result lists the picks and how many candidates were passed over and
// why (each candidate counted once, under the first reason met).
type Result struct {
	Picks                                     []Pick
	NearLabelled, NearPicked, DocCap, YearCap int
	// DupID counts candidates whose id was already picked (the same id
	// offered twice): a todo file must not repeat an id.
	DupID int
	// PoolCap counts the candidates kept in no ranking's pool while
	// streaming (Options.Pool), never considered for a pick.
	PoolCap int
}

// Select returns up to N picks, skipping near-duplicates of labelled
// texts and of earlier picks and honouring the per-document and per-year
// caps. With one ranking (Decision, Margin, Entropy) the picks are the
// best-scored candidates, best first; Targets, Rare and Mixed take turns
// over their rankings in proportion to each ranking's share, each taking
// its best candidate left. With Explore, the random draws take their
// share of the turns. Selection stops when N are picked or every ranking
// is exhausted. Equal scores are ordered as rank orders them (more
// description words first, then by a hash of the id), the order by which
// Add keeps candidates too, so the result is deterministic.
func (s *Selector) Select() Result {
	lists := make([][]Pick, len(s.queues))
	inPool := map[string]int{}
	counted := map[int]bool{}
	for qi, q := range s.queues {
		l := slices.Clone(q.pool)
		slices.SortFunc(l, rank)
		lists[qi] = l
		for _, p := range l {
			if !counted[p.seq] {
				counted[p.seq] = true
				inPool[year(p.Date)]++
			}
		}
	}
	// The automatic cap follows where the candidates are: a year may take
	// up to twice its share of the pool (at least one pick), so no single
	// year dominates but a corpus with many sparse years does not force
	// picks away from the best-scored ones.
	capFor := func(y string) int {
		if s.opts.PerYear > 0 {
			return s.opts.PerYear
		}
		return max(1, int(math.Ceil(2*float64(s.opts.N)*float64(inPool[y])/float64(max(len(counted), 1)))))
	}
	res := Result{PoolCap: s.seen - len(counted)}
	var picked [][]uint64
	docs, years := map[string]int{}, map[string]int{}
	ids := map[string]bool{}
	done := map[int]bool{} // candidates (by seq) picked or passed over
	// accept decides on p, counting why it is passed over.
	accept := func(p Pick) bool {
		done[p.seq] = true
		if ids[p.ID] {
			res.DupID++
			return false
		}
		sh := shingles(p.Text)
		if nearAny(sh, s.labelled, s.opts.Similarity) {
			res.NearLabelled++
			return false
		}
		if nearAny(sh, picked, s.opts.Similarity) {
			res.NearPicked++
			return false
		}
		if s.opts.PerDoc > 0 && docs[p.DocID] >= s.opts.PerDoc {
			res.DocCap++
			return false
		}
		y := year(p.Date)
		if years[y] >= capFor(y) {
			res.YearCap++
			return false
		}
		ids[p.ID] = true
		docs[p.DocID]++
		years[y]++
		picked = append(picked, sh)
		return true
	}
	next := make([]int, len(lists)) // per list, the first candidate not yet considered
	taken := make([]int, len(lists))
	for len(res.Picks) < s.opts.N {
		for i, l := range lists {
			for next[i] < len(l) && done[l[next[i]].seq] {
				next[i]++
			}
		}
		qi := s.turn(lists, next, taken)
		if qi < 0 {
			break
		}
		p := lists[qi][next[qi]]
		next[qi]++
		if !accept(p) {
			continue
		}
		res.Picks = append(res.Picks, p)
		taken[qi]++
	}
	return res
}

// turn returns the queue whose candidate comes next, or -1 when every
// queue is exhausted. The groups (Targets' half, Rare's half, the random
// draws) take turns in proportion to their shares, and so do the queues
// within a group: each time the open group, then the open queue in it,
// with the smallest (taken + 1)/share goes next (D'Hondt's rule, so that
// a ranking with a small share waits its turn instead of taking the first
// pick). Ties go to the first group and the first queue.
func (s *Selector) turn(lists [][]Pick, next, taken []int) int {
	var share, got [3]float64
	var open [3]bool
	for i, q := range s.queues {
		share[q.group] += q.share
		got[q.group] += float64(taken[i])
		open[q.group] = open[q.group] || (next[i] < len(lists[i]) && q.share > 0)
	}
	g, gv := -1, 0.0
	for k := range share {
		if !open[k] {
			continue
		}
		if v := (got[k] + 1) / share[k]; g < 0 || v < gv {
			g, gv = k, v
		}
	}
	if g < 0 {
		return -1
	}
	best, bestV := -1, 0.0
	for i, q := range s.queues {
		if q.group != g || next[i] >= len(lists[i]) || q.share <= 0 {
			continue
		}
		v := float64(taken[i]+1) / q.share
		if best < 0 || v < bestV {
			best, bestV = i, v
		}
	}
	return best
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
	words := labels.Words(text)
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

// rank orders picks best first, for Select's lists and (through less)
// for what Add keeps: higher Score first; on equal scores, more
// description words (Cues, confirmed or not: the Score has counted the
// confirmed ones twice already) first, since a score of 0 (a target the
// model has never seen labelled: margin 0 and relevance 0 for every
// sentence) cannot be weighed by them; then by tieHash of the id, so that ties
// spread over the corpus instead of going to the lowest ids; then by id
// and by order of Add. It is a total order, so picks are deterministic.
func rank(a, b Pick) int {
	if c := cmp.Compare(b.Score, a.Score); c != 0 {
		return c
	}
	if c := cmp.Compare(b.Cues, a.Cues); c != 0 {
		return c
	}
	if c := cmp.Compare(tieHash(a.ID), tieHash(b.ID)); c != 0 { // only on ties: common only for a target never labelled
		return c
	}
	if c := cmp.Compare(a.ID, b.ID); c != 0 {
		return c
	}
	return cmp.Compare(a.seq, b.seq)
}

// tieHash is the FNV-64a hash of id, finalised by MurmurHash3's fmix64:
// FNV-64a alone orders ids that differ in their last characters
// (s0300, s0301...) next to each other, so ties would still go to runs of
// neighbouring sentences.
func tieHash(id string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(id))
	x := h.Sum64()
	x ^= x >> 33
	x *= 0xff51afd7ed558ccd
	x ^= x >> 33
	x *= 0xc4ceb9fe1a85ec53
	x ^= x >> 33
	return x
}

// pickHeap is a min-heap in rank's order: the root is the worst kept
// candidate (the least uncertain, or least probable), the first to go
// when a better one arrives.
type pickHeap []Pick

// less reports whether a ranks after b (rank), so that the heap keeps
// what Select would put first. It takes pointers and settles unequal
// scores itself: it runs for every ranking of every candidate offered.
func less(a, b *Pick) bool {
	switch {
	case a.Score < b.Score:
		return true
	case a.Score > b.Score:
		return false
	}
	return rank(*a, *b) > 0 // equal, or a NaN, which rank puts last
}

func (h pickHeap) Len() int           { return len(h) }
func (h pickHeap) Less(i, j int) bool { return less(&h[i], &h[j]) }
func (h pickHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *pickHeap) Push(x any)        { *h = append(*h, x.(Pick)) }
func (h *pickHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}
