// Command active simulates active learning on a gold label file: does
// choosing the sentences to label with the selection of `stance suggest`
// (suggest.Selector, one or more strategies) beat choosing them at random?
//
// The rows are split into grouped outer folds (labels.GroupFolds). For
// each seed and fold, the fold is the test set and is never labelled; the
// other folds are the pool, whose labels are hidden until a row is
// picked. Every arm (random, each -strategy and the -oracle) starts from
// the same random Start rows of the pool and the same first model; each
// round adds Step rows, chosen by suggest.Selector on the current model's
// predictions over the unlabelled pool (with the labelled set's counts
// and the model's decision weights, as `stance suggest` passes them),
// uniformly at random, or by the oracle, then retrains (models.Train, models.DefaultConfig
// with the seed). The out-of-fold predictions of all folds are pooled and
// scored with models.Score and models.MeanFAvg: one cross-validated mean
// F_avg per seed, arm and round. The table gives mean ± sd over seeds,
// and per-target tables show where the arms differ.
//
// Two references show what the strategies are up against: -oracle adds
// an arm that reads the hidden labels (half its picks the rows with the
// rarest values, half random), and the last table counts, per value, how
// many of the pool's rows the round-0 model ranks in its top K, by the
// value's probability alone and weighted by the description words as
// suggest's rare strategy ranks them: how far a hunt for a rare value
// gets from the few examples it starts with. Per-target and per-value
// tables (F_avg; F1 with precision and recall) at the middle and last
// rounds show where the arms differ.
//
// Usage: go run ./bench/active -data ../shared/labels/train.csv [flags]
package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/stance-project/stance/eval/suggest"
	"github.com/stance-project/stance/labels"
	"github.com/stance-project/stance/models"
	"github.com/stance-project/stance/pipeline/atomicfile"
	"github.com/stance-project/stance/pipeline/subword"
)

// settings are the simulation's flags.
type settings struct {
	data       string
	out        string
	folds      int
	seeds      int
	rounds     int
	start      int
	step       int
	strategies []suggest.Strategy // compared with random, in table order
	oracle     bool               // add the oracle arm (reads the hidden labels), after the strategies
	perDoc     int
	noCues     bool
	rarity     float64
	explore    float64
	perYear    int
	foldSeed   uint64
	workers    int
	warm       bool
	tokenizer  string
	l2         float64 // override of Config.L2 (0: the default)
	quiet      bool
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "active:", err)
			os.Exit(1)
		}
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var s settings
	fs := flag.NewFlagSet("active", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&s.data, "data", "../shared/labels/train.csv", "gold label file to simulate on")
	fs.StringVar(&s.out, "out", "out/bench/active.md", "markdown report file (also printed); empty: stdout only")
	fs.IntVar(&s.folds, "folds", 5, "outer grouped folds (each fold is a test set never labelled)")
	fs.IntVar(&s.seeds, "seeds", 3, "seeds 1..N (initial set, random picks, training)")
	fs.IntVar(&s.rounds, "rounds", 8, "rounds of picking after the initial set")
	fs.IntVar(&s.start, "start", 200, "labelled rows at round 0")
	fs.IntVar(&s.step, "step", 100, "rows labelled per round")
	strategy := fs.String("strategy", string(suggest.DefaultStrategy), fmt.Sprintf("selection strategies of suggest.Selector to compare with random, comma-separated, from %v (see stance suggest -h)", suggest.Strategies))
	fs.BoolVar(&s.oracle, "oracle", false, "add a reference arm that reads the hidden gold labels: half of each round's picks are the pool rows with the rarest stance values, half random (what selection could achieve, not a strategy)")
	fs.IntVar(&s.perDoc, "per-doc", 2, "strategies: at most this many picks per document per round (0: no cap), as stance suggest -per-doc")
	cues := fs.Bool("cues", true, "targets, rare, mixed: weigh each ranking by the words of the target's description a sentence contains, as stance suggest -cues")
	fs.Float64Var(&s.rarity, "rarity", suggest.DefaultRarity, "rare, mixed: share weight exponent, (1+n)^-rarity (0: equal shares), as stance suggest -rarity")
	fs.Float64Var(&s.explore, "explore", 0, "share of each round's picks drawn at random from the pool instead of by score, in [0, 1), as stance suggest -explore")
	fs.IntVar(&s.perYear, "per-year", 0, "strategies: at most this many picks per year per round (0: automatic, as stance suggest -per-year)")
	fs.Uint64Var(&s.foldSeed, "fold-seed", 1, "seed of the outer fold assignment")
	fs.IntVar(&s.workers, "workers", runtime.GOMAXPROCS(0), "(seed, fold) simulations run in parallel")
	fs.BoolVar(&s.warm, "warm", false, "warm-start each round's model from the previous one (TrainOptions.Init) instead of retraining from scratch")
	fs.StringVar(&s.tokenizer, "tokenizer", "pool", "subword tokenizer: pool (trained once per fold on the pool's texts, which the analyst has unlabelled) or labelled (models.Train's own, on the labelled rows)")
	fs.Float64Var(&s.l2, "l2", 0, "override the config's L2, the sparse weights' penalty (0: models.DefaultConfig)")
	fs.BoolVar(&s.quiet, "q", false, "no progress on stderr")
	if err := fs.Parse(args); err != nil {
		return err
	}
	s.noCues = !*cues
	for _, name := range strings.Split(*strategy, ",") {
		st, err := suggest.ParseStrategy(strings.TrimSpace(name))
		if err != nil {
			return fmt.Errorf("-strategy: %w", err)
		}
		if slices.Contains(s.strategies, st) {
			return fmt.Errorf("-strategy: %s given twice", st)
		}
		s.strategies = append(s.strategies, st)
	}
	switch {
	case s.folds < 2, s.seeds < 1, s.rounds < 1, s.start < 1, s.step < 1, s.workers < 1:
		return errors.New("-folds must be ≥ 2 and -seeds, -rounds, -start, -step, -workers ≥ 1")
	case !(s.explore >= 0 && s.explore < 1), s.rarity < 0:
		return fmt.Errorf("-explore %v, -rarity %v: want explore in [0, 1) and rarity ≥ 0", s.explore, s.rarity)
	case s.l2 < 0:
		return fmt.Errorf("-l2 %v: want ≥ 0 (0: the default)", s.l2)
	case s.tokenizer != "pool" && s.tokenizer != "labelled":
		return fmt.Errorf("-tokenizer %q: want pool or labelled", s.tokenizer)
	}

	tax := labels.Default()
	gold, err := labels.ReadGold(s.data, tax)
	if err != nil {
		return err
	}
	rows := gold.Rows
	began := time.Now()
	res, err := simulate(ctx, s, tax, rows, stderr)
	if err != nil {
		return err
	}
	elapsed := time.Since(began)
	var b strings.Builder
	writeReport(&b, s, rows, res, elapsed)
	fmt.Fprint(stdout, b.String())
	if s.out != "" {
		if err := os.MkdirAll(filepath.Dir(s.out), 0o755); err != nil {
			return err
		}
		return atomicfile.WriteFile(s.out, func(w io.Writer) error {
			_, err := io.WriteString(w, b.String())
			return err
		})
	}
	return nil
}

// random is the arm labelling uniformly at random; arm a > 0 is
// settings.strategies[a-1], then the oracle arm if asked for.
const random = 0

// arms is the number of arms: random, each strategy and the oracle.
func (s settings) arms() int {
	n := 1 + len(s.strategies)
	if s.oracle {
		n++
	}
	return n
}

// isOracle reports whether arm a is the oracle.
func (s settings) isOracle(a int) bool { return s.oracle && a == s.arms()-1 }

// armName names arm a.
func (s settings) armName(a int) string {
	switch {
	case a == random:
		return "random"
	case s.isOracle(a):
		return "oracle"
	}
	return string(s.strategies[a-1])
}

// results holds, per seed, strategy and round, the out-of-fold
// predictions (aligned with the rows) and the labelled counts per fold.
type results struct {
	preds    [][][][]labels.Prediction // [seed][arm][round][row]
	labelled [][][][]int               // [seed][arm][round][fold]
	stanced  [][][][]int               // labelled rows with a stance (any target not none), same shape
	counts   [][][][][]int             // [seed][arm][round]: labelled counts per target and value, summed over folds
	trainSec []float64                 // seconds per models.Train call
	hunt     map[string]*huntCount     // per "target: value", the round-0 model's ranking of that value's rows
	mu       sync.Mutex
}

// huntRanking names the hunt table's rankings in the row keys: by the
// value's probability, and times the description weight (suggest's
// CueCounter), as Rare ranks a value with labels.
var huntRanking = []string{"", " with cues"}

// huntKs are the ranks at which the hunt table counts a value's rows.
var huntKs = []int{12, 25, 50}

// huntCount sums, over (seed, fold) runs, the unlabelled pool rows of one
// stance value after round 0 and how many of them the round-0 model
// ranks (by the value's probability) in its top huntKs.
type huntCount struct {
	runs, rows int
	top        []int // aligned with huntKs
}

func simulate(ctx context.Context, s settings, tax labels.Taxonomy, rows []labels.Gold, progress io.Writer) (*results, error) {
	folds := labels.GroupFolds(rows, s.folds, s.foldSeed)
	res := &results{}
	for range s.seeds {
		p := make([][][]labels.Prediction, s.arms())
		l, k := make([][][]int, s.arms()), make([][][]int, s.arms())
		for st := range s.arms() {
			p[st] = make([][]labels.Prediction, s.rounds+1)
			l[st] = make([][]int, s.rounds+1)
			k[st] = make([][]int, s.rounds+1)
			for r := range p[st] {
				p[st][r] = make([]labels.Prediction, len(rows))
				l[st][r] = make([]int, s.folds)
				k[st][r] = make([]int, s.folds)
			}
		}
		res.preds = append(res.preds, p)
		res.labelled = append(res.labelled, l)
		res.stanced = append(res.stanced, k)
		c := make([][][][]int, s.arms())
		for st := range c {
			c[st] = make([][][]int, s.rounds+1)
			for r := range c[st] {
				c[st][r] = suggest.LabelCounts(tax, nil)
			}
		}
		res.counts = append(res.counts, c)
	}
	type job struct{ seed, fold int }
	jobs := make(chan job)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	var firstErr error
	var errOnce sync.Once
	for range s.workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				if err := runFold(ctx, s, tax, rows, folds, j.seed, j.fold, res, progress); err != nil {
					errOnce.Do(func() { firstErr = err; cancel() })
				}
			}
		}()
	}
feed:
	for seed := range s.seeds {
		for f := range s.folds {
			select {
			case jobs <- job{seed, f}:
			case <-ctx.Done():
				break feed
			}
		}
	}
	close(jobs)
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	return res, ctx.Err()
}

// runFold runs both strategies for one seed (0-based) and test fold.
func runFold(ctx context.Context, s settings, tax labels.Taxonomy, rows []labels.Gold, folds []int, seed, fold int, res *results, progress io.Writer) error {
	var test, pool []int
	for i, f := range folds {
		if f == fold {
			test = append(test, i)
		} else {
			pool = append(pool, i)
		}
	}
	if len(pool) < s.start {
		return fmt.Errorf("fold %d: pool has %d rows, fewer than -start %d", fold+1, len(pool), s.start)
	}
	cfg := models.DefaultConfig()
	cfg.Seed = uint64(seed + 1)
	if s.l2 > 0 {
		cfg.L2 = s.l2
	}
	var opts models.TrainOptions
	if s.tokenizer == "pool" {
		tc := subword.DefaultConfig()
		tc.VocabSize, tc.MinFrequency = cfg.VocabSize, cfg.MinFrequency
		tok, err := subword.Train(func(yield func(string) bool) {
			for _, i := range pool {
				if !yield(rows[i].Text) {
					return
				}
			}
		}, tc)
		if err != nil {
			return err
		}
		opts.Tokenizer = tok
	}
	testTexts := make([]string, len(test))
	for j, i := range test {
		testTexts[j] = rows[i].Text
	}
	train := func(labelled []int, init *models.Model) (*models.Model, error) {
		tr := subset(rows, labelled)
		o := opts
		if init != nil && s.warm {
			o.Init = init
		}
		t0 := time.Now()
		m, _, err := models.Train(ctx, cfg, tax, tr, o)
		res.mu.Lock()
		res.trainSec = append(res.trainSec, time.Since(t0).Seconds())
		res.mu.Unlock()
		return m, err
	}
	record := func(st, round int, m *models.Model, labelled []int) error {
		preds, err := m.Predict(testTexts)
		if err != nil {
			return err
		}
		res.mu.Lock()
		defer res.mu.Unlock()
		for j, i := range test {
			preds[j].ID = rows[i].ID
			res.preds[seed][st][round][i] = preds[j]
		}
		res.labelled[seed][st][round][fold] = len(labelled)
		cs := res.counts[seed][st][round]
		for _, i := range labelled {
			for t, v := range rows[i].Labels {
				if j := tax.ValueIndex(t, v); j >= 0 {
					cs[t][j]++
				}
			}
		}
		for _, i := range labelled {
			if hasStance(rows[i]) {
				res.stanced[seed][st][round][fold]++
			}
		}
		return nil
	}

	// Round 0: the same random start for every arm.
	rng := rand.New(rand.NewPCG(uint64(seed+1), uint64(fold+1)))
	order := slices.Clone(pool)
	rng.Shuffle(len(order), func(a, b int) { order[a], order[b] = order[b], order[a] })
	start := order[:s.start]
	m0, err := train(start, nil)
	if err != nil {
		return fmt.Errorf("seed %d fold %d round 0: %w", seed+1, fold+1, err)
	}
	for st := range s.arms() {
		if err := record(st, 0, m0, start); err != nil {
			return err
		}
	}
	if err := countHunt(!s.noCues, tax, rows, start, order[s.start:], m0, res); err != nil {
		return err
	}
	for st := range s.arms() {
		labelled := slices.Clone(start)
		isLabelled := make([]bool, len(rows))
		for _, i := range labelled {
			isLabelled[i] = true
		}
		pick := rand.New(rand.NewPCG(uint64(seed+1), uint64(1000+fold)))
		m := m0
		for round := 1; round <= s.rounds; round++ {
			var unl []int
			for _, i := range pool {
				if !isLabelled[i] {
					unl = append(unl, i)
				}
			}
			var chosen []int
			if st == random {
				pick.Shuffle(len(unl), func(a, b int) { unl[a], unl[b] = unl[b], unl[a] })
				chosen = unl[:min(s.step, len(unl))]
			} else if s.isOracle(st) {
				chosen = oracle(tax, rows, pool, unl, s.step, pick)
			} else {
				if chosen, err = choose(s, s.strategies[st-1], uint64(seed+1)<<32|uint64(fold)<<16|uint64(round), tax, rows, m, labelled, unl); err != nil {
					return err
				}
			}
			for _, i := range chosen {
				isLabelled[i] = true
			}
			labelled = append(labelled, chosen...)
			t0 := time.Now()
			if m, err = train(labelled, m); err != nil {
				return fmt.Errorf("seed %d fold %d %s round %d: %w", seed+1, fold+1, s.armName(st), round, err)
			}
			if err := record(st, round, m, labelled); err != nil {
				return err
			}
			if !s.quiet {
				fmt.Fprintf(progress, "active: seed %d fold %d %-11s round %d: %d labels (trained in %.1fs)\n",
					seed+1, fold+1, s.armName(st), round, len(labelled), time.Since(t0).Seconds())
			}
		}
	}
	return nil
}

// subset returns the rows at the indexes idx, in that order.
func subset(rows []labels.Gold, idx []int) []labels.Gold {
	out := make([]labels.Gold, len(idx))
	for j, i := range idx {
		out[j] = rows[i]
	}
	return out
}

// hasStance reports whether any target of r is labelled with a value
// other than none.
func hasStance(r labels.Gold) bool {
	for _, v := range r.Labels {
		if v != "" && v != labels.None {
			return true
		}
	}
	return false
}

// countHunt records how well the round-0 model m, trained on the rows
// labelled, ranks each stance value's rows among the unlabelled pool rows
// unl: the rare values are what the rare strategy hunts and the oracle
// finds at once.
func countHunt(cues bool, tax labels.Taxonomy, rows []labels.Gold, labelled, unl []int, m *models.Model, res *results) error {
	texts := make([]string, len(unl))
	for j, i := range unl {
		texts[j] = rows[i].Text
	}
	preds, err := m.Predict(texts)
	if err != nil {
		return err
	}
	tallyHunt(cues, tax, rows, labelled, unl, preds, res)
	return nil
}

// tallyHunt adds one run to the hunt table, given the predictions preds
// of the rows unl by the round-0 model, trained on the rows labelled. The
// rankings: by the value's probability, and with cues (unless
// -cues=false) by the description words first, those the labelled rows'
// examples of the value contain counting twice, and that probability
// second (CueCounter.Score), as Rare ranks a value with labels.
func tallyHunt(cues bool, tax labels.Taxonomy, rows []labels.Gold, labelled, unl []int, preds []labels.Prediction, res *results) {
	weights := []func(p float64, j, t, v int) float64{func(p float64, _, _, _ int) float64 { return p }}
	if cc := suggest.NewCueCounter(tax); cc != nil && cues {
		cc.Confirm(subset(rows, labelled))
		counts := make([]suggest.Cues, len(unl))
		for j, i := range unl {
			counts[j] = cc.Cues(rows[i].Text)
		}
		weights = append(weights, func(p float64, j, t, v int) float64 {
			n, confirmed := cc.Count(counts[j], t, v)
			return cc.Score(p, n, confirmed)
		})
	}
	res.mu.Lock()
	defer res.mu.Unlock()
	if res.hunt == nil {
		res.hunt = map[string]*huntCount{}
	}
	for t, tg := range tax.Targets {
		for v, name := range tg.Values {
			if name == labels.None {
				continue
			}
			for ri, weight := range weights {
				score := make([]float64, len(unl))
				order := make([]int, len(unl))
				for j := range order {
					order[j] = j
					score[j] = weight(preds[j].Probs[t][v], j, t, v)
				}
				slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(score[b], score[a]) })
				key := tg.Name + ": " + name + huntRanking[ri]
				h := res.hunt[key]
				if h == nil {
					h = &huntCount{top: make([]int, len(huntKs))}
					res.hunt[key] = h
				}
				h.runs++
				for r, j := range order {
					if rows[unl[j]].Labels[t] != name {
						continue
					}
					h.rows++
					for k, K := range huntKs {
						if r < K {
							h.top[k]++
						}
					}
				}
			}
		}
	}
}

// oracle is the reference arm's choice, which reads the hidden labels:
// half of the n picks are the unlabelled rows whose rarest stance value
// (the one with the fewest rows in the whole pool) is rarest, ties in
// random order; the other half are drawn at random from the rest.
func oracle(tax labels.Taxonomy, rows []labels.Gold, pool, unl []int, n int, rng *rand.Rand) []int {
	inPool := suggest.LabelCounts(tax, subset(rows, pool))
	rarest := func(i int) int {
		k := math.MaxInt
		for t, v := range rows[i].Labels {
			if j := tax.ValueIndex(t, v); j >= 0 && v != labels.None {
				k = min(k, inPool[t][j])
			}
		}
		return k
	}
	order := slices.Clone(unl)
	rng.Shuffle(len(order), func(a, b int) { order[a], order[b] = order[b], order[a] })
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(rarest(a), rarest(b)) })
	n = min(n, len(order))
	chosen := slices.Clone(order[:n/2])
	rest := order[n/2:]
	rng.Shuffle(len(rest), func(a, b int) { rest[a], rest[b] = rest[b], rest[a] })
	return append(chosen, rest[:n-len(chosen)]...)
}

// choose picks the next rows with strategy, as `stance suggest` does:
// the model predicts the unlabelled pool and suggest.Selector chooses
// Step of them, given the labelled set's counts (LabelCounts) and the
// model's decision weights ((*models.Model).DecisionScales), skipping
// near-duplicates of labelled texts and of each other, with the
// per-document cap. seed seeds the -explore draw.
func choose(s settings, strategy suggest.Strategy, seed uint64, tax labels.Taxonomy, rows []labels.Gold, m *models.Model, labelled, unl []int) ([]int, error) {
	texts := make([]string, len(unl))
	for j, i := range unl {
		texts[j] = rows[i].Text
	}
	preds, err := m.Predict(texts)
	if err != nil {
		return nil, err
	}
	gold := subset(rows, labelled)
	sel := suggest.NewSelector(tax, suggest.Options{N: s.step, Strategy: strategy, Counts: suggest.LabelCounts(tax, gold), Scales: m.DecisionScales(), Rarity: suggest.FlagRarity(s.rarity), Explore: s.explore, Seed: seed, PerDoc: s.perDoc, PerYear: s.perYear, Pool: len(unl), NoCues: s.noCues}, gold)
	byID := make(map[string]int, len(unl))
	for j, i := range unl {
		r := rows[i]
		byID[r.ID] = i
		sel.Add(suggest.Candidate{ID: r.ID, DocID: r.DocID, Date: r.Date, Source: r.Source, Text: r.Text, Prediction: preds[j]})
	}
	var out []int
	for _, p := range sel.Select().Picks {
		out = append(out, byID[p.ID])
	}
	return out, nil
}

// cell is one table cell: a score's mean and sd over seeds.
type cell struct{ mean, sd float64 }

func meanSD(xs []float64) cell {
	var m float64
	for _, x := range xs {
		m += x
	}
	m /= float64(len(xs))
	if len(xs) < 2 {
		return cell{m, math.NaN()}
	}
	var v float64
	for _, x := range xs {
		v += (x - m) * (x - m)
	}
	return cell{m, math.Sqrt(v / float64(len(xs)-1))}
}

func (c cell) String() string {
	if math.IsNaN(c.sd) {
		return fmt.Sprintf("%.3f", c.mean)
	}
	return fmt.Sprintf("%.3f ± %.3f", c.mean, c.sd)
}

// table is what the report shows, per arm and round: the score over
// seeds, and the mean labelled count and labelled rows with a stance per
// fold.
type table struct {
	score           [][]cell
	labels, stanced [][]float64
}

// scores returns, per arm and round, the mean F_avg of the pooled
// out-of-fold predictions over seeds, and the mean labelled counts per
// fold.
func scores(tax labels.Taxonomy, rows []labels.Gold, res *results) table {
	arms := len(res.preds[0])
	tb := table{score: make([][]cell, arms), labels: make([][]float64, arms), stanced: make([][]float64, arms)}
	for st := range arms {
		for r := range res.preds[0][st] {
			var fs []float64
			var n, k, a float64
			for seed := range res.preds {
				fs = append(fs, models.MeanFAvg(models.Score(tax, rows, res.preds[seed][st][r])))
				for f, c := range res.labelled[seed][st][r] {
					n += float64(c)
					a += float64(res.stanced[seed][st][r][f])
					k++
				}
			}
			tb.score[st] = append(tb.score[st], meanSD(fs))
			tb.labels[st] = append(tb.labels[st], n/k)
			tb.stanced[st] = append(tb.stanced[st], a/k)
		}
	}
	return tb
}

func writeReport(w io.Writer, s settings, rows []labels.Gold, res *results, elapsed time.Duration) {
	tax := labels.Default()
	tb := scores(tax, rows, res)
	docs := map[string]bool{}
	for _, r := range rows {
		docs[r.DocID] = true
	}
	var names []string
	for a := 1; a < s.arms(); a++ {
		names = append(names, s.armName(a))
	}
	fmt.Fprintf(w, "# Active learning: %s vs random\n\n", strings.Join(names, ", "))
	overrides, tokenizer := "", s.tokenizer
	if s.l2 > 0 {
		overrides += fmt.Sprintf(", L2 %g", s.l2)
	}
	retrain := "retrained from scratch each round"
	if s.warm {
		retrain = "warm-started from the previous round's model (TrainOptions.Init)"
	}
	fmt.Fprintf(w, "Data: %s (%d rows, %d documents). Outer %d-fold grouped split (labels.GroupFolds, seed %d): each fold in turn is the test set, never labelled; the other folds are the pool. "+
		"Start: %d random pool rows (the same for every arm); each round labels %d more, chosen by suggest.Selector (strategy %s; -per-doc %d, -per-year %d (0: automatic), -cues=%t, near-duplicates skipped; the labelled set's counts per target and value as suggest.Options.Counts) on the current model's predictions over the unlabelled pool, or uniformly at random. "+
		"Model: models.DefaultConfig() (seed = run seed%s), %s; tokenizer: %s. Score: mean F_avg (models.Score, models.MeanFAvg) of the out-of-fold predictions pooled over the folds; mean ± sd over %d seed(s). "+
		"\"stance rows\": labelled rows per fold with favor or against on some target.\n\n",
		s.data, len(rows), len(docs), s.folds, s.foldSeed, s.start, s.step, strategyNames(s.strategies), s.perDoc, s.perYear, !s.noCues, overrides, retrain, tokenizer, s.seeds)
	if s.oracle {
		fmt.Fprintf(w, "\"oracle\" is a reference, not a strategy: it reads the hidden gold labels, and each round half its picks are the unlabelled rows whose rarest stance value has the fewest rows in the pool, the other half random.\n\n")
	}
	fmt.Fprintf(w, "| round | labels | random | stance rows |")
	for _, n := range names {
		fmt.Fprintf(w, " %s | stance rows | Δ |", n)
	}
	fmt.Fprintf(w, "\n|---:|---:|---|---:|%s\n", strings.Repeat("---|---:|---:|", len(names)))
	for r := range tb.score[random] {
		fmt.Fprintf(w, "| %d | %.0f | %s | %.0f |", r, tb.labels[random][r], tb.score[random][r], tb.stanced[random][r])
		for a := 1; a < s.arms(); a++ {
			c := tb.score[a][r].String()
			if tb.labels[a][r] != tb.labels[random][r] {
				c += fmt.Sprintf(" (%.0f labels)", tb.labels[a][r])
			}
			fmt.Fprintf(w, " %s | %.0f | %+.3f |", c, tb.stanced[a][r], tb.score[a][r].mean-tb.score[random][r].mean)
		}
		fmt.Fprintln(w)
	}
	last := len(tb.score[random]) - 1
	fmt.Fprintf(w, "\nGoal: does a strategy reach random sampling's final score (%.3f with %.0f labels) with at most half the labels (%.0f)?\n\n",
		tb.score[random][last].mean, tb.labels[random][last], tb.labels[random][last]/2)
	for a := 1; a < s.arms(); a++ {
		fmt.Fprintf(w, "- %s: %s\n", s.armName(a), answer(tb.score[random], tb.labels[random], tb.score[a], tb.labels[a]))
	}
	if s.seeds > 1 {
		fmt.Fprintf(w, "\n(Compared on the mean over seeds; see the ± sd for how far apart seeds are.)\n")
	}
	for _, r := range []int{last / 2, last} {
		writeTargets(w, s, tax, rows, res, r)
	}
	writeHunt(w, tax, res)
	var tot float64
	for _, t := range res.trainSec {
		tot += t
	}
	fmt.Fprintf(w, "\nRuntime: %s wall, %d trainings (mean %.1fs each), %d worker(s), GOMAXPROCS %d.\n",
		elapsed.Round(time.Second), len(res.trainSec), tot/float64(max(len(res.trainSec), 1)), s.workers, runtime.GOMAXPROCS(0))
}

// strategyNames joins the strategies' names with " / ".
func strategyNames(sts []suggest.Strategy) string {
	names := make([]string, len(sts))
	for i, st := range sts {
		names[i] = string(st)
	}
	return strings.Join(names, " / ")
}

// answer says whether an arm (scores sc, labelled counts n per round)
// reaches random sampling's final mean score (rnd, rndN) with at most
// half of random's final label count.
func answer(rnd []cell, rndN []float64, sc []cell, n []float64) string {
	last := len(rnd) - 1
	target := rnd[last].mean
	for r := range sc {
		if sc[r].mean < target {
			continue
		}
		if n[r] <= rndN[last]/2 {
			return fmt.Sprintf("**Yes**: reaches it at round %d, with %.0f labels.", r, n[r])
		}
		return fmt.Sprintf("**No**: first reaches it at round %d, with %.0f labels (more than half).", r, n[r])
	}
	best := slices.MaxFunc(sc, func(a, b cell) int { return cmpF(a.mean, b.mean) })
	return fmt.Sprintf("**No**: never reaches %.3f within %d rounds (its best: %.3f).", target, last, best.mean)
}

func cmpF(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// writeTargets writes, for round r, each arm's per-target F_avg (mean
// over seeds) and its labelled favor/against counts (mean per fold).
func writeTargets(w io.Writer, s settings, tax labels.Taxonomy, rows []labels.Gold, res *results, r int) {
	fmt.Fprintf(w, "\nPer target at round %d: F_avg (mean over seeds), labelled favor/against per fold; then the precision and recall of favor and against over all targets (pooled over seeds).\n\n| arm |", r)
	for _, t := range tax.Targets {
		fmt.Fprintf(w, " %s |", t.Name)
	}
	fmt.Fprintf(w, " stance P | stance R |\n|---|%s---:|---:|\n", strings.Repeat("---|", len(tax.Targets)))
	folds := float64(len(res.labelled[0][0][0]) * len(res.preds))
	scores := make([][][]models.TargetMetrics, s.arms()) // per arm and seed
	for a := range scores {
		for seed := range res.preds {
			scores[a] = append(scores[a], models.Score(tax, rows, res.preds[seed][a][r]))
		}
	}
	for a := range s.arms() {
		fmt.Fprintf(w, "| %s |", s.armName(a))
		var tp, pred, sup float64
		for _, ms := range scores[a] {
			for _, m := range ms {
				for v := range 2 {
					if m.Support[v] > 0 {
						tp += m.Recall[v] * float64(m.Support[v])
					}
					pred += float64(m.Predicted[v])
					sup += float64(m.Support[v])
				}
			}
		}
		for t := range tax.Targets {
			var f float64
			for _, ms := range scores[a] {
				f += ms[t].FAvg
			}
			var fav, ag int
			for seed := range res.preds {
				fav += res.counts[seed][a][r][t][0]
				ag += res.counts[seed][a][r][t][1]
			}
			fmt.Fprintf(w, " %.3f (%.0f/%.0f) |", f/float64(len(res.preds)), float64(fav)/folds, float64(ag)/folds)
		}
		fmt.Fprintf(w, " %.3f | %.3f |\n", tp/pred, tp/sup)
	}
	writeValues(w, s, tax, rows, scores, r)
}

// writeValues writes the F1 of each stance value with gold rows at round
// r, per arm (mean over seeds): where the arms' F_avg differ. scores are
// round r's metrics per arm and seed.
func writeValues(w io.Writer, s settings, tax labels.Taxonomy, rows []labels.Gold, scores [][][]models.TargetMetrics, r int) {
	type value struct{ t, v int }
	var vals []value
	gold := suggest.LabelCounts(tax, rows)
	fmt.Fprintf(w, "\nF1 per value at round %d, and in brackets its precision/recall (mean over seeds; precision over the seeds that predicted the value at all, – if none did; gold rows in the header).\n\n| arm |", r)
	for t, tg := range tax.Targets {
		for v, name := range tg.Values {
			if name != labels.None && gold[t][v] > 0 {
				vals = append(vals, value{t, v})
				fmt.Fprintf(w, " %s: %s (%d) |", tg.Name, name, gold[t][v])
			}
		}
	}
	fmt.Fprintf(w, "\n|---|%s\n", strings.Repeat("---:|", len(vals)))
	for a := range s.arms() {
		// F1 and recall are defined for every value with gold rows;
		// precision only where the value was predicted at all, so it is
		// the mean over the seeds where it was.
		f := make([]float64, len(vals))
		rec := make([]float64, len(vals))
		prec := make([]float64, len(vals))
		npred := make([]int, len(vals))
		seeds := float64(len(scores[a]))
		for _, ms := range scores[a] {
			for i, x := range vals {
				f[i] += ms[x.t].F1[x.v] / seeds
				rec[i] += ms[x.t].Recall[x.v] / seeds
				if p := ms[x.t].Precision[x.v]; !math.IsNaN(p) {
					prec[i] += p
					npred[i]++
				}
			}
		}
		fmt.Fprintf(w, "| %s |", s.armName(a))
		for i, x := range f {
			p := "–"
			if npred[i] > 0 {
				p = fmt.Sprintf("%.2f", prec[i]/float64(npred[i]))
			}
			fmt.Fprintf(w, " %.3f (%s/%.2f) |", x, p, rec[i])
		}
		fmt.Fprintln(w)
	}
}

// writeHunt writes the hunt table: per stance value, its unlabelled pool
// rows after round 0 and how many the round-0 model ranks in its top K,
// mean per (seed, fold) run.
func writeHunt(w io.Writer, tax labels.Taxonomy, res *results) {
	if len(res.hunt) == 0 {
		return
	}
	fmt.Fprintf(w, "\nHow well the round-0 model finds each value: its rows among the unlabelled pool, and how many of them it ranks in its top K by that value's probability, and (rows \"with cues\") by the description words first (those the start rows' examples of the value contain counting twice) and that probability second, as the rare strategy ranks (mean per seed × fold run).\n\n| value | rows |")
	for _, k := range huntKs {
		fmt.Fprintf(w, " top %d |", k)
	}
	fmt.Fprintf(w, "\n|---|---:|%s\n", strings.Repeat("---:|", len(huntKs)))
	for _, tg := range tax.Targets {
		for _, name := range tg.Values {
			for _, ranking := range huntRanking {
				key := tg.Name + ": " + name + ranking
				h := res.hunt[key]
				if h == nil || h.runs == 0 {
					continue
				}
				n := float64(h.runs)
				fmt.Fprintf(w, "| %s | %.1f |", key, float64(h.rows)/n)
				for k := range huntKs {
					fmt.Fprintf(w, " %.1f |", float64(h.top[k])/n)
				}
				fmt.Fprintln(w)
			}
		}
	}
}
