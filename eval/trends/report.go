package trends

import (
	"cmp"
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/stance-project/stance/eval/changepoint"
	"github.com/stance-project/stance/labels"
)

// Estimator names, as written in the estimator columns.
const (
	CC  = "cc"  // classify and count: share of sentences predicted v
	PCC = "pcc" // probabilistic classify and count: mean probability of v
	ACC = "acc" // adjusted classify and count: (CC − FPR)/(TPR − FPR)
)

// Config tunes Report. The zero value asks for the defaults.
type Config struct {
	// Rates holds the model's held-out error rates: Rates[target][value].
	// nil or a missing entry leaves that target's ACC undefined (NaN).
	Rates map[string]map[string]labels.ErrorRate
	// MinGap is the smallest TPR − FPR for which ACC is computed; below it
	// the correction divides by almost zero and ACC is left undefined.
	// Zero means 0.05 (the correction then amplifies noise at most 20×).
	MinGap float64
	// Boot is the number of bootstrap resamples of documents behind each
	// interval. Zero means 500; negative means no intervals (NaN bounds,
	// and so no shifts).
	Boot int
	// Level is the interval's coverage. Zero means 0.95.
	Level float64
	// Seed seeds the bootstrap. Each cell draws from its own generator
	// seeded by Seed and a hash of its period and group, so a cell's
	// intervals depend neither on how many goroutines run nor on which
	// other cells the input has.
	Seed uint64
	// ShiftMinDocs is the fewest documents both periods need for a shift
	// to be flagged between them: a bootstrap over one or two documents
	// gives an interval too narrow to mean anything. Zero means 5.
	ShiftMinDocs int
	// IntervalMinDocs is the fewest documents a cell needs for intervals:
	// a cell with fewer has none (NaN bounds), not a narrow one. Zero
	// means the fewest n for which a resample drawing one document n times,
	// with chance n·n⁻ⁿ, is rarer than the interval's tail (1 − Level)/2:
	// 4 at 95%. With fewer documents the percentile interval's ends are
	// the most extreme single documents' estimates, whatever the level;
	// with one document it has no width at all. Negative means 1.
	IntervalMinDocs int
	// Changes tunes change-point detection on each series. A zero
	// LogFactor and Penalty mean a penalty of 3·ln(n) for n periods, not
	// changepoint's BIC default: period estimates from a handful of
	// documents are heavier-tailed than Gaussian, and BIC then reports
	// spurious changes in small groups.
	Changes changepoint.Options
}

// Estimate is a point estimate with its bootstrap interval. NaN marks an
// undefined value (ACC without usable error rates) or bound.
type Estimate struct {
	Value, Lo, Hi float64
}

// ValueStats describes one predicted value (favor or against) of one
// target in one cell.
type ValueStats struct {
	Count    int     // sentences predicted this value
	Share    float64 // Count / sentences (equals CC.Value)
	MeanProb float64 // mean probability of the value (equals PCC.Value)
	CC       Estimate
	PCC      Estimate
	ACC      Estimate
	// ACCClipped is true when (CC − FPR)/(TPR − FPR) fell outside [0,1]
	// and ACC.Value is the bound it was clipped to: the cell's predicted
	// share is at or below the false-positive rate (or at or above the
	// true-positive rate), so ACC says only "about 0" (or "about 1").
	ACCClipped bool
	// Estimator is the estimator the series uses for shifts, change
	// points and the chart: ACC when the model's rates define it and no
	// row of the series (group × target × value, coarse rows included)
	// has ACC clipped, else PCC. One estimator per series, so that a
	// series never jumps between estimators.
	Estimator string
	// Shift is +1 or −1 when the series' estimate moved up or down beyond
	// both intervals since the previous period (see Report), else 0.
	Shift int
}

// Series returns the estimate named by Estimator.
func (v ValueStats) Series() Estimate {
	if v.Estimator == ACC {
		return v.ACC
	}
	return v.PCC
}

// Row is one period × group × target of a report.
type Row struct {
	Period    Period
	By        string // the grouping column, "" for none
	Group     string // the group's value, "" without grouping
	Target    string
	Documents int
	Sentences int
	Favor     ValueStats
	Against   ValueStats
	None      int     // sentences predicted none
	Net       float64 // Favor.Share − Against.Share
}

// Change is a change of level in one series (group × target × value) of
// non-coarse periods, found by changepoint.Detect on the series'
// estimates weighted by documents.
type Change struct {
	Group, Target, Value string
	Estimator            string
	Period               Period  // the first period of the new level
	Before, After        float64 // the segment means on either side
	// ACCClipped counts the series' rows with ACC clipped: when above
	// zero, the reason Estimator is PCC though ACC is defined.
	ACCClipped int
}

// Size returns |After − Before|, the size of the change.
func (c Change) Size() float64 { return math.Abs(c.After - c.Before) }

// Largest returns the n changes of the largest Size, largest first (ties
// in the order of changes), or all of them, largest first, when there are
// no more than n. It does not modify changes.
func Largest(changes []Change, n int) []Change {
	s := slices.Clone(changes)
	slices.SortStableFunc(s, func(a, b Change) int { return cmp.Compare(b.Size(), a.Size()) })
	return s[:max(0, min(n, len(s)))]
}

// Report is the result of Build.
type Report struct {
	Unit    Unit
	By      string
	Targets []string
	Rows    []Row    // by period start (coarse first), group, target
	Changes []Change // by group, target, value, period
	Notes   []string // caveats for the reader, one sentence each
	Periods int      // distinct periods
	Groups  []string // distinct groups, most documents first
	// IntervalMinDocs is the fewest documents a row needed for intervals
	// (Config.IntervalMinDocs after defaults); Boot is the number of
	// resamples, 0 without intervals.
	IntervalMinDocs, Boot int
}

// Build computes the report of everything a has read.
//
// Rows are computed per cell (period × group): counts, shares, net
// stance, mean probabilities and, per target and value, the CC, PCC and
// ACC estimates with percentile bootstrap intervals from resampling the
// cell's documents with replacement (a document keeps all its sentences).
//
// Shift rule: within a group × target × value series of non-coarse
// periods in time order (periods with no documents are simply absent), a
// period shifts when its estimate and the previous period's each lie
// outside the other's interval, and both periods have at least
// cfg.ShiftMinDocs documents. Change points are detected on the same
// series, variance-stabilised as asin(√p) (changepoint.Detect, weights =
// documents, cfg.Changes); Change.Before and After are the segments'
// document-weighted mean prevalences.
func Build(a *Accumulator, cfg Config) (*Report, error) {
	if cfg.Boot == 0 {
		cfg.Boot = 500
	}
	if cfg.Level == 0 {
		cfg.Level = 0.95
	}
	if !(cfg.Level > 0 && cfg.Level < 1) {
		return nil, fmt.Errorf("trends: interval level %v outside (0,1)", cfg.Level)
	}
	if cfg.Changes.LogFactor == 0 && cfg.Changes.Penalty == 0 {
		cfg.Changes.LogFactor = 3
	}
	if cfg.ShiftMinDocs == 0 {
		cfg.ShiftMinDocs = 5
	}
	if cfg.MinGap == 0 {
		cfg.MinGap = 0.05
	}
	switch {
	case cfg.IntervalMinDocs == 0:
		cfg.IntervalMinDocs = minIntervalDocs(cfg.Level)
	case cfg.IntervalMinDocs < 0:
		cfg.IntervalMinDocs = 1
	}
	rep := &Report{Unit: a.unit, By: a.by, Targets: slices.Clone(a.targets), IntervalMinDocs: cfg.IntervalMinDocs, Boot: max(cfg.Boot, 0)}
	rates, notes := usableRates(a.targets, cfg)
	rep.Notes = notes

	cells := a.cells()
	groupDocs := map[string]int{}
	periods := map[string]bool{}
	for _, c := range cells {
		groupDocs[c.group] += len(c.docs)
		periods[c.period.Label] = true
	}
	rep.Periods = len(periods)
	for g := range groupDocs {
		rep.Groups = append(rep.Groups, g)
	}
	slices.SortFunc(rep.Groups, func(x, y string) int {
		return cmp.Or(cmp.Compare(groupDocs[y], groupDocs[x]), cmp.Compare(x, y))
	})

	// Each cell writes its rows, one per target, into its own span of
	// rep.Rows; each worker reuses one set of bootstrap buffers for all
	// its cells (a new set per cell was most of report's allocations).
	nt := len(a.targets)
	rep.Rows = make([]Row, len(cells)*nt)
	var wg sync.WaitGroup
	next := make(chan int)
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			scratch := newBootScratch(nt, cfg.Boot)
			for i := range next {
				r := rand.New(rand.NewPCG(cfg.Seed, cellSeed(cells[i])))
				cellRows(rep.Rows[i*nt:(i+1)*nt], cells[i], a, rates, cfg, r, scratch)
			}
		})
	}
	for i := range cells {
		next <- i
	}
	close(next)
	wg.Wait()
	rep.Notes = append(rep.Notes, chooseEstimators(rep)...)
	if n := thinRows(rep); n > 0 && cfg.Boot > 0 {
		rep.Notes = append(rep.Notes, fmt.Sprintf("%d of %d rows have no interval (empty _lo and _hi cells): fewer than %d documents, too few to resample.", n, len(rep.Rows), cfg.IntervalMinDocs))
	}
	changes, err := markSeries(rep, cfg)
	if err != nil {
		return nil, err
	}
	rep.Changes = changes
	return rep, nil
}

// minIntervalDocs is the fewest documents n for which a resample of one
// document repeated n times (chance n·n⁻ⁿ) is rarer than an interval
// tail, (1 − level)/2.
func minIntervalDocs(level float64) int {
	tail := (1 - level) / 2
	n := 1
	for float64(n)*math.Pow(float64(n), -float64(n)) >= tail && n < 50 {
		n++
	}
	return n
}

// thinRows counts the rows of rep with fewer documents than intervals need.
func thinRows(rep *Report) int {
	n := 0
	for _, r := range rep.Rows {
		if r.Documents < rep.IntervalMinDocs {
			n++
		}
	}
	return n
}

// chooseEstimators sets the Estimator of every row: PCC for a series
// (group × target × value) with ACC clipped in any of its rows, and
// returns a note per target and value saying where and why.
func chooseEstimators(rep *Report) []string {
	type key struct {
		group, target string
		v             int
	}
	clipped := map[key]bool{}
	for i := range rep.Rows {
		r := &rep.Rows[i]
		for v, vs := range []*ValueStats{&r.Favor, &r.Against} {
			if vs.ACCClipped {
				clipped[key{r.Group, r.Target, v}] = true
			}
		}
	}
	type tally struct {
		rows, low, high int
		periods, groups []string
	}
	tallies := map[[2]int]*tally{}
	for i := range rep.Rows {
		r := &rep.Rows[i]
		for v, vs := range []*ValueStats{&r.Favor, &r.Against} {
			if !clipped[key{r.Group, r.Target, v}] {
				continue
			}
			vs.Estimator = PCC
			if !vs.ACCClipped {
				continue
			}
			k := [2]int{slices.Index(rep.Targets, r.Target), v}
			t := tallies[k]
			if t == nil {
				t = &tally{}
				tallies[k] = t
			}
			t.rows++
			if vs.ACC.Value == 0 {
				t.low++
			} else {
				t.high++
			}
			if !slices.Contains(t.periods, r.Period.Label) {
				t.periods = append(t.periods, r.Period.Label)
			}
			if !slices.Contains(t.groups, r.Group) {
				t.groups = append(t.groups, r.Group)
			}
		}
	}
	var notes []string
	for t, target := range rep.Targets {
		for v := range 2 {
			c := tallies[[2]int{t, v}]
			if c == nil {
				continue
			}
			where := "in " + listSome(c.periods, 5)
			if rep.By != "" {
				where += " (" + rep.By + " " + listSome(c.groups, 5) + ")"
			}
			bound := "0"
			why := "the share predicted " + values[v] + " was at or below the model's false-positive rate, so the correction cannot tell the prevalence from none"
			switch {
			case c.high > 0 && c.low > 0:
				bound = "0 or 1"
				why = "the share predicted " + values[v] + " was outside the model's error rates, so the correction cannot tell the prevalence from none or all"
			case c.high > 0:
				bound = "1"
				why = "the share predicted " + values[v] + " was at or above the model's true-positive rate, so the correction cannot tell the prevalence from all"
			}
			rows := fmt.Sprintf("%d rows", c.rows)
			if c.rows == 1 {
				rows = "1 row"
			}
			notes = append(notes, fmt.Sprintf("ACC for %s %s is clipped to %s in %s, %s: %s; those series use PCC (the mean probability) for shifts, changes and the chart, and the acc_%s_clipped column marks the rows.",
				target, values[v], bound, rows, where, why, values[v]))
		}
	}
	return notes
}

// listSome lists up to n strings, "a, b, c and 4 more".
func listSome(xs []string, n int) string {
	if len(xs) <= n {
		return strings.Join(xs, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(xs[:n], ", "), len(xs)-n)
}

// usableRates returns per target the (favor, against) rates for ACC, nil
// where undefined, and notes saying why ACC is empty where it is.
func usableRates(targets []string, cfg Config) ([][2]*labels.ErrorRate, []string) {
	out := make([][2]*labels.ErrorRate, len(targets))
	if cfg.Rates == nil {
		return out, []string{"ACC columns are empty: no model error rates were given (use -model)."}
	}
	var notes []string
	for t, name := range targets {
		for v := range 2 {
			r, ok := cfg.Rates[name][values[v]]
			switch {
			case !ok:
				notes = append(notes, fmt.Sprintf("ACC for %s %s is empty: the model has no error rates for it.", name, values[v]))
			case math.IsNaN(r.TPR) || math.IsNaN(r.FPR):
				notes = append(notes, fmt.Sprintf("ACC for %s %s is empty: its error rates are undefined (%d positives, %d negatives in the model's held-out data).", name, values[v], r.Positives, r.Negatives))
			case r.TPR-r.FPR <= cfg.MinGap:
				notes = append(notes, fmt.Sprintf("ACC for %s %s is empty: TPR − FPR = %.3f − %.3f is at most %.2f, too small to correct by.", name, values[v], r.TPR, r.FPR, cfg.MinGap))
			default:
				out[t][v] = &r
			}
		}
	}
	return out, notes
}

// cellSeed is the FNV-1a hash of a cell's period label and group.
func cellSeed(c cell) uint64 {
	h := fnv.New64a()
	h.Write([]byte(c.period.Label))
	h.Write([]byte{0})
	h.Write([]byte(c.group))
	return h.Sum64()
}

// cell is the documents of one period × group, sorted by doc_id so the
// bootstrap does not depend on reading order.
type cell struct {
	period *Period
	group  string
	docs   []*doc
}

func (a *Accumulator) cells() []cell {
	type key struct {
		period *Period
		group  string
	}
	// Dates with the same label share one period value.
	byLabel := map[string]*Period{}
	m := map[key]*cell{}
	for _, d := range a.docs {
		p := byLabel[d.period.Label]
		if p == nil {
			p = d.period
			byLabel[p.Label] = p
		}
		k := key{p, d.group}
		c := m[k]
		if c == nil {
			c = &cell{period: p, group: d.group}
			m[k] = c
		}
		c.docs = append(c.docs, d)
	}
	out := make([]cell, 0, len(m))
	for _, c := range m {
		slices.SortFunc(c.docs, func(x, y *doc) int { return cmp.Compare(x.id, y.id) })
		out = append(out, *c)
	}
	slices.SortFunc(out, func(x, y cell) int {
		return cmp.Or(comparePeriods(x.period, y.period), cmp.Compare(x.group, y.group))
	})
	return out
}

// comparePeriods orders by start, a coarse (longer) period before the
// finer ones starting on the same day, then by label.
func comparePeriods(x, y *Period) int {
	return cmp.Or(x.Start.Compare(y.Start), cmp.Compare(x.Unit, y.Unit), cmp.Compare(x.Label, y.Label))
}

// bootScratch is the working memory of cellRows, reused from cell to
// cell: boot[(t*2+v)*3+k][b] is estimator k (CC, PCC, ACC) of value v of
// target t in resample b; sample the resampled documents; counts and
// probs the sums of a cell or a resample.
type bootScratch struct {
	boot   [][]float64
	sample []*doc
	counts []int32
	probs  []float64
}

// newBootScratch returns the buffers for nt targets and boot resamples
// (none for boot ≤ 0); sample grows as cells need it.
func newBootScratch(nt, boot int) *bootScratch {
	s := &bootScratch{boot: make([][]float64, nt*2*3), counts: make([]int32, 3*nt), probs: make([]float64, 3*nt)}
	for i := range s.boot {
		s.boot[i] = make([]float64, max(boot, 0))
	}
	return s
}

// cellRows computes one row per target for cell c into rows
// (len(a.targets) of them), using s for its working memory.
func cellRows(rows []Row, c cell, a *Accumulator, rates [][2]*labels.ErrorRate, cfg Config, r *rand.Rand, s *bootScratch) {
	nt := len(a.targets)
	counts, probs := s.counts, s.probs
	sent := sums(c.docs, counts, probs)
	for t := range nt {
		row := &rows[t]
		*row = Row{Period: *c.period, By: a.by, Group: c.group, Target: a.targets[t], Documents: len(c.docs), Sentences: sent}
		row.None = int(counts[3*t+2])
		for v, vs := range []*ValueStats{&row.Favor, &row.Against} {
			vs.Count = int(counts[3*t+v])
			vs.Share = float64(vs.Count) / float64(sent)
			vs.MeanProb = probs[3*t+v] / float64(sent)
			vs.CC.Value = vs.Share
			vs.PCC.Value = vs.MeanProb
			vs.ACC.Value, vs.ACCClipped = adjustClipped(vs.Share, rates[t][v])
			vs.Estimator = PCC
			if rates[t][v] != nil {
				vs.Estimator = ACC
			}
		}
		row.Net = row.Favor.Share - row.Against.Share
	}
	// Bootstrap: every boot[i][b] is written for every b < nb.
	nb := max(cfg.Boot, 0)
	if len(c.docs) < cfg.IntervalMinDocs {
		nb = 0 // interval leaves NaN bounds for an empty sample
	}
	boot := s.boot
	if cap(s.sample) < len(c.docs) {
		s.sample = make([]*doc, len(c.docs))
	}
	sample := s.sample[:len(c.docs)]
	bc, bp := counts, probs // the cell's sums are in rows by now
	for b := range nb {
		for i := range sample {
			sample[i] = c.docs[r.IntN(len(c.docs))]
		}
		n := sums(sample, bc, bp)
		for t := range nt {
			for v := range 2 {
				cc := float64(bc[3*t+v]) / float64(n)
				i := (t*2 + v) * 3
				boot[i][b] = cc
				boot[i+1][b] = bp[3*t+v] / float64(n)
				boot[i+2][b] = adjust(cc, rates[t][v])
			}
		}
	}
	for t := range nt {
		for v, vs := range []*ValueStats{&rows[t].Favor, &rows[t].Against} {
			i := (t*2 + v) * 3
			for k, e := range []*Estimate{&vs.CC, &vs.PCC, &vs.ACC} {
				e.Lo, e.Hi = interval(boot[i+k][:nb], cfg.Level, math.IsNaN(e.Value))
			}
		}
	}
}

// sums adds up documents' sentences, and their counts and probability
// sums into counts and probs (cleared first).
func sums(docs []*doc, counts []int32, probs []float64) int {
	clear(counts)
	clear(probs)
	s := 0
	for _, d := range docs {
		s += d.sentences
		for i := range counts {
			counts[i] += d.counts[i]
			probs[i] += d.probs[i]
		}
	}
	return s
}

// adjust is adjusted classify-and-count, clipped to [0,1]; NaN without
// rates.
func adjust(cc float64, r *labels.ErrorRate) float64 {
	v, _ := adjustClipped(cc, r)
	return v
}

// adjustClipped is adjust, and whether it clipped.
func adjustClipped(cc float64, r *labels.ErrorRate) (float64, bool) {
	if r == nil {
		return math.NaN(), false
	}
	x := (cc - r.FPR) / (r.TPR - r.FPR)
	return min(max(x, 0), 1), x < 0 || x > 1
}

// interval returns the percentile interval of xs at the given level
// (linear interpolation between order statistics). It sorts xs.
func interval(xs []float64, level float64, undefined bool) (lo, hi float64) {
	if undefined || len(xs) == 0 {
		return math.NaN(), math.NaN()
	}
	slices.Sort(xs)
	q := func(p float64) float64 {
		h := p * float64(len(xs)-1)
		i := int(h)
		if i+1 >= len(xs) {
			return xs[len(xs)-1]
		}
		return xs[i] + (h-float64(i))*(xs[i+1]-xs[i])
	}
	return q((1 - level) / 2), q((1 + level) / 2)
}

// markSeries sets the Shift fields and returns the change points of every
// group × target × value series of non-coarse rows.
func markSeries(rep *Report, cfg Config) ([]Change, error) {
	type key struct {
		group, target string
		v             int
	}
	series := map[key][]int{} // row indexes in time order
	var keys []key
	for i, row := range rep.Rows {
		if row.Period.Coarse {
			continue
		}
		for v := range 2 {
			k := key{row.Group, row.Target, v}
			if _, ok := series[k]; !ok {
				keys = append(keys, k)
			}
			series[k] = append(series[k], i)
		}
	}
	targetIndex := func(t string) int { return slices.Index(rep.Targets, t) }
	slices.SortFunc(keys, func(x, y key) int {
		return cmp.Or(cmp.Compare(x.group, y.group), cmp.Compare(targetIndex(x.target), targetIndex(y.target)), cmp.Compare(x.v, y.v))
	})
	var changes []Change
	for _, k := range keys {
		idx := series[k]
		stats := func(i int) *ValueStats {
			if k.v == 0 {
				return &rep.Rows[i].Favor
			}
			return &rep.Rows[i].Against
		}
		for j := 1; j < len(idx); j++ {
			if min(rep.Rows[idx[j-1]].Documents, rep.Rows[idx[j]].Documents) < cfg.ShiftMinDocs {
				continue
			}
			prev, cur := stats(idx[j-1]).Series(), stats(idx[j])
			e := cur.Series()
			outside := func(x float64, in Estimate) bool { return x < in.Lo || x > in.Hi }
			if outside(prev.Value, e) && outside(e.Value, prev) {
				cur.Shift = 1
				if e.Value < prev.Value {
					cur.Shift = -1
				}
			}
		}
		// Segment the arcsine square root of the prevalence: a share's
		// variance depends on its level (p(1−p)/n), and a single noise
		// variance, as the Gaussian cost assumes, would then fit the
		// quieter level and cut the noisier one into spurious segments.
		// asin(√p) has variance about 1/(4n) at any level.
		y := make([]float64, 0, len(idx))
		ys := make([]float64, 0, len(idx))
		w := make([]float64, 0, len(idx))
		for _, i := range idx {
			x := stats(i).Series().Value
			if math.IsNaN(x) {
				return nil, fmt.Errorf("trends: %s %s estimate undefined in %s", k.target, values[k.v], rep.Rows[i].Period.Label)
			}
			y = append(y, x)
			ys = append(ys, math.Asin(math.Sqrt(min(max(x, 0), 1))))
			w = append(w, float64(rep.Rows[i].Documents))
		}
		// The noise variance, unless configured, is estimated from the
		// series, floored at the binomial sampling variance of asin(√p)
		// for the series' sentences per document (1/(4m) per document
		// of weight): a near-flat series, such as PCC averaging many small
		// probabilities, would otherwise make changes of 0.001 "significant".
		opts := cfg.Changes
		var docs, sents float64
		for _, i := range idx {
			docs += float64(rep.Rows[i].Documents)
			sents += float64(rep.Rows[i].Sentences)
		}
		if opts.Variance == 0 && docs > 0 && sents > 0 {
			opts.Variance = max(changepoint.EstimateVariance(ys, w), docs/(4*sents))
		}
		cps, err := changepoint.Detect(ys, w, opts)
		if err != nil {
			return nil, fmt.Errorf("trends: change points of %s %s: %w", k.target, values[k.v], err)
		}
		lv := changepoint.Levels(y, w, cps)
		clippedRows := 0
		for _, i := range idx {
			if stats(i).ACCClipped {
				clippedRows++
			}
		}
		for c, at := range cps {
			changes = append(changes, Change{
				Group: k.group, Target: k.target, Value: values[k.v],
				Estimator: stats(idx[at]).Estimator,
				Period:    rep.Rows[idx[at]].Period,
				Before:    lv[c], After: lv[c+1],
				ACCClipped: clippedRows,
			})
		}
	}
	return changes, nil
}

// RatesFor turns a model's error rates, aligned with its taxonomy
// (rates[i][j] for tax.Targets[i].Values[j]), into Config.Rates. It
// returns an error if the shapes differ.
func RatesFor(tax labels.Taxonomy, rates [][]labels.ErrorRate) (map[string]map[string]labels.ErrorRate, error) {
	if len(rates) != len(tax.Targets) {
		return nil, fmt.Errorf("trends: %d error-rate rows for %d targets", len(rates), len(tax.Targets))
	}
	out := make(map[string]map[string]labels.ErrorRate, len(rates))
	for i, t := range tax.Targets {
		if len(rates[i]) != len(t.Values) {
			return nil, fmt.Errorf("trends: target %s has %d values but %d error rates", t.Name, len(t.Values), len(rates[i]))
		}
		out[t.Name] = make(map[string]labels.ErrorRate, len(t.Values))
		for j, v := range t.Values {
			out[t.Name][v] = rates[i][j]
		}
	}
	return out, nil
}
