package models

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"gonum.org/v1/gonum/optimize"

	"github.com/stance-project/stance/labels"
	"github.com/stance-project/stance/models/clusters"
	"github.com/stance-project/stance/pipeline/subword"
)

// TrainOptions are the inputs of Train that are not hyperparameters.
type TrainOptions struct {
	// Progress receives one line per fit; nil means quiet.
	Progress io.Writer
	// Tokenizer is the subword tokenizer to use; nil means train one on
	// the rows' text (Config.VocabSize, Config.MinFrequency).
	Tokenizer *subword.Tokenizer
	// Clusters are word clusters learnt on unlabelled text (`stance
	// pretrain`): each word's cluster at every level becomes a feature,
	// and the model keeps them. Nil means none.
	Clusters *clusters.Clusters
	// Init is the model being retrained: the new model keeps its
	// tokenizer and feature settings, word clusters included (so feature
	// ids mean the same; Clusters must then be nil), and
	// the summary compares the two (Summary.Since). The objective is
	// convex, so the old weights are not needed as a start. It must have
	// the same targets. Nil means a fresh model.
	Init *Model
}

// Fit is one L-BFGS fit of the objective.
type Fit struct {
	Name        string // "fold 2/5" or "final"
	Rows        int
	Iterations  int
	Evaluations int
	Cost        float64
	Status      string // gonum's reason for stopping
	Elapsed     time.Duration
}

// Summary describes a training run.
type Summary struct {
	Fits []Fit
	// Dev holds the per-target metrics of the out-of-fold predictions with
	// the final, calibrated decision rule.
	Dev          []TargetMetrics
	Temperatures []float64
	Scales       [][2]float64 // per target: favor, against decision scales (0: never)
	ClassWeights [][nValues]float64
	Warnings     []string
	DataSHA256   string // of the training rows (ids, texts, labels), see DataHash
	TrainRows    int
	DevRows      int
	Features     int // feature ids: subword vocabulary + hash buckets + word clusters (one per cluster of every level)
	// ClusterWords and ClusterLevels describe the word clusters among the
	// features (TrainOptions.Clusters); 0 and nil without.
	ClusterWords  int
	ClusterLevels []int
	// Since compares with the old model of a retrain (TrainOptions.Init):
	// labels added per target and held-out F_avg movement; nil otherwise.
	Since   *Since
	Elapsed time.Duration
}

// example is one row as training sees it.
type example struct {
	feats  []int32
	prior  []float32 // Targets × nPrior description features
	labels []int8    // per target value index, -1 when unlabelled
	weight float64   // the row's weight (Config.DomainWeight)
}

// Train fits a model on rows (labels aligned with tax) and returns it with
// a summary. A target cell left empty masks that target's loss for the
// row; a target with no label at all is predicted from its description
// (with Config.Prior).
//
// Cross-fitting: one model per document-grouped fold (Config.CalibFolds)
// is fitted on the other folds and predicts its fold, so every row gets
// an out-of-fold prediction; the final model is fitted on every row, and
// its calibration, decision rule, held-out metrics and error rates come
// from the out-of-fold predictions.
//
// Train honours ctx between evaluations of the objective. The same
// inputs and Config give bit-identical models on one machine. gorgonia
// panics are recovered and returned as errors.
func Train(ctx context.Context, cfg Config, tax labels.Taxonomy, rows []labels.Gold, opts TrainOptions) (m *Model, sum *Summary, err error) {
	defer func() {
		if r := recover(); r != nil {
			m, sum, err = nil, nil, fmt.Errorf("train: internal error: %v", r)
		}
	}()
	start := time.Now()
	if err := tax.Validate(); err != nil {
		return nil, nil, fmt.Errorf("train: %w", err)
	}
	sum = &Summary{}
	warn := func(format string, args ...any) { sum.Warnings = append(sum.Warnings, fmt.Sprintf(format, args...)) }
	tok := opts.Tokenizer
	if in := opts.Init; in != nil {
		if !slices.Equal(in.tax.Names(), tax.Names()) {
			return nil, nil, fmt.Errorf("train: the model to retrain has targets %v, the taxonomy to train has %v", in.tax.Names(), tax.Names())
		}
		if opts.Clusters != nil {
			return nil, nil, errors.New("train: a retrained model keeps the old model's word clusters; give no others")
		}
		cfg.Buckets = in.cfg.Buckets
		cfg.CharMin, cfg.CharMax = in.cfg.CharMin, in.cfg.CharMax
		tok = in.tok
	}
	if err := cfg.Validate(); err != nil {
		return nil, nil, fmt.Errorf("train: %w", err)
	}
	if len(rows) == 0 {
		return nil, nil, errors.New("train: no rows")
	}
	nT := len(tax.Targets)
	for i, r := range rows {
		if len(r.Labels) != nT {
			return nil, nil, fmt.Errorf("train: row %d (%s) has %d labels, taxonomy has %d targets", i, r.ID, len(r.Labels), nT)
		}
	}
	sum.DataSHA256 = DataHash(rows)
	if tok == nil {
		tc := subword.DefaultConfig()
		tc.VocabSize, tc.MinFrequency = cfg.VocabSize, cfg.MinFrequency
		texts := func(yield func(string) bool) {
			for _, r := range rows {
				if !yield(r.Text) {
					return
				}
			}
		}
		if tok, err = subword.Train(texts, tc); err != nil {
			return nil, nil, fmt.Errorf("train: tokenizer: %w", err)
		}
	}
	m = newModel(cfg, tax, tok)
	if opts.Init != nil {
		m.feats = opts.Init.feats // same features, word n-grams of an old file too
	} else if opts.Clusters != nil {
		if m.feats.clusters, err = newWordClusters(opts.Clusters); err != nil {
			return nil, nil, fmt.Errorf("train: %w", err)
		}
	}
	exs, err := m.examples(rows)
	if err != nil {
		return nil, nil, err
	}
	unlabelled := 0
	for _, e := range exs {
		if !slices.ContainsFunc(e.labels, func(l int8) bool { return l >= 0 }) {
			unlabelled++
		}
	}
	if unlabelled > 0 {
		warn("%d rows have no label on any target and only shape the tokenizer and the feature weights (IDF)", unlabelled)
	}
	counts := labelCounts(exs, nT)
	cw := classWeights(counts)
	sum.ClassWeights = cw
	sum.Features = m.feats.size()
	if c := m.feats.clusters; c != nil {
		sum.ClusterWords, sum.ClusterLevels = len(c.src.Words), c.src.Levels
	}

	folds := labels.GroupFolds(rows, cfg.CalibFolds, cfg.Seed)
	var held []example
	var heldRows []int
	var logits [][][nValues]float32
	// The fold models and the final one are independent fits: they run
	// side by side, one per core, each with its own graph, and are taken
	// in order, so the result does not depend on the scheduling.
	type job struct {
		train, dev []example
		w          *weights
		desc       *descModel
		fit        Fit
		err        error
	}
	jobs := make([]job, cfg.CalibFolds+1)
	for k := range cfg.CalibFolds {
		for i, f := range folds {
			if f == k {
				jobs[k].dev = append(jobs[k].dev, exs[i])
				heldRows = append(heldRows, i)
			} else {
				jobs[k].train = append(jobs[k].train, exs[i])
			}
		}
		if len(jobs[k].train) == 0 || len(jobs[k].dev) == 0 {
			return nil, nil, fmt.Errorf("train: need rows from at least %d documents for %d calibration folds (have %d rows)", cfg.CalibFolds, cfg.CalibFolds, len(rows))
		}
	}
	jobs[cfg.CalibFolds].train = exs
	var wg sync.WaitGroup
	sem := make(chan struct{}, max(1, min(runtime.GOMAXPROCS(0), len(jobs))))
	if opts.Progress != nil {
		fmt.Fprintf(opts.Progress, "train: %d fits (%d fold models, then the final one), %d at a time\n", len(jobs), cfg.CalibFolds, cap(sem))
	}
	for j := range jobs {
		wg.Add(1)
		go func(jb *job) {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			defer func() { // gorgonia panics, in this goroutine
				if r := recover(); r != nil {
					jb.err = fmt.Errorf("train: internal error: %v", r)
				}
			}()
			jb.w, jb.desc, jb.fit, jb.err = fit(ctx, cfg, m.feats.size(), nT, jb.train)
		}(&jobs[j])
	}
	wg.Wait()
	for k := range jobs {
		if err := jobs[k].err; err != nil {
			return nil, nil, err
		}
	}
	for k := range cfg.CalibFolds {
		jobs[k].fit.Name = fmt.Sprintf("fold %d/%d", k+1, cfg.CalibFolds)
		sum.addFit(jobs[k].fit, opts.Progress)
		logits = appendLogits(logits, jobs[k].w, jobs[k].dev, nT)
		// A fold model that saw no label of a target (all of them in
		// this fold's documents) predicts it otherwise than the final
		// model will: its rows do not calibrate that target.
		dev := jobs[k].dev
		for t := range nT {
			if slices.ContainsFunc(jobs[k].train, func(e example) bool { return e.labels[t] >= 0 }) ||
				!slices.ContainsFunc(dev, func(e example) bool { return e.labels[t] >= 0 }) {
				continue
			}
			warn("%s: all its labels are in the documents of fold %d, whose model never saw one: those rows do not calibrate it", tax.Targets[t].Name, k+1)
			masked := make([]example, len(dev))
			for i, e := range dev {
				e.labels = slices.Clone(e.labels)
				e.labels[t] = -1
				masked[i] = e
			}
			dev = masked
		}
		held = append(held, dev...)
	}
	final := jobs[cfg.CalibFolds]
	w, desc := final.w, final.desc
	final.fit.Name = "final"
	sum.addFit(final.fit, opts.Progress)
	m.w = w
	sum.TrainRows, sum.DevRows = len(exs), len(held)

	trained := make([][nValues]bool, nT)
	for t, n := range counts {
		for v := range nValues {
			trained[t][v] = n[v] > 0
		}
		name := tax.Targets[t].Name
		if n[0]+n[1]+n[2] == 0 {
			if cfg.Prior {
				warn("%s: no labels: predicted from its description alone", name)
			} else {
				warn("%s: no labels and no description prior (Config.Prior): never predicts a stance", name)
			}
			continue
		}
		for v := range 2 {
			switch {
			case n[v] == 0:
				warn("%s: no %s example: never predicted (its F1 is undefined)", name, tax.Targets[t].Values[v])
			case n[v] < 30:
				warn("%s: %s has only %d example(s): expect unstable scores", name, tax.Targets[t].Values[v], n[v])
			}
		}
	}
	m.calibrate(held, logits, cw, trained)
	if desc != nil && w.Cue != nil {
		// Targets without labels: the description model's probabilities
		// are uncalibrated and, fitted with balanced class weights,
		// favour the rare values; the scales that give its best F1 on
		// the labelled targets' rows decide instead.
		scales := desc.scales(exs, trained)
		for t := range nT {
			if trained[t] == [nValues]bool{} {
				m.scale[t] = scales
			}
		}
	}
	sum.Dev = m.dev
	sum.Temperatures = slices.Clone(m.temp)
	sum.Scales = slices.Clone(m.scale)
	m.dataSHA = sum.DataSHA256
	m.ledger = newLedger(rows, exs, nT)
	if opts.Init != nil {
		if sum.Since, err = compareSince(opts.Init, m, rows, exs, heldRows, logits); err != nil {
			return nil, nil, fmt.Errorf("train: comparing with the model retrained: %w", err)
		}
	}
	sum.Elapsed = time.Since(start)
	return m, sum, nil
}

func (s *Summary) addFit(f Fit, progress io.Writer) {
	s.Fits = append(s.Fits, f)
	if progress != nil {
		fmt.Fprintf(progress, "train: %-9s %5d rows  %4d iterations (%d evaluations, %s)  cost %.4f  %s\n",
			f.Name, f.Rows, f.Iterations, f.Evaluations, f.Status, f.Cost, f.Elapsed.Round(time.Millisecond))
	}
}

// examples featurizes rows for training.
func (m *Model) examples(rows []labels.Gold) ([]example, error) {
	nT := len(m.tax.Targets)
	exs := make([]example, len(rows))
	sc := m.newScratch()
	main := majoritySource(rows)
	for i, r := range rows {
		e := &exs[i]
		e.feats = slices.Clone(m.featurize(sc, r.Text))
		if m.cfg.Prior {
			e.prior = m.prior.appendTo(nil, r.Text, sc)
		}
		e.weight = 1
		if r.Source != main {
			e.weight = m.cfg.DomainWeight
		}
		e.labels = make([]int8, nT)
		for t, v := range r.Labels {
			e.labels[t] = -1
			if v == "" {
				continue
			}
			j := m.tax.ValueIndex(t, v)
			if j < 0 {
				return nil, fmt.Errorf("train: row %s: target %s: unknown value %q", r.ID, m.tax.Targets[t].Name, v)
			}
			e.labels[t] = int8(j)
		}
	}
	return exs, nil
}

// majoritySource is the most frequent Source of rows (ties: the first
// seen): the domain most labels come from, which Config.DomainWeight
// weighs the others against.
func majoritySource(rows []labels.Gold) string {
	n := map[string]int{}
	best := ""
	for _, r := range rows {
		n[r.Source]++
		if n[r.Source] > n[best] {
			best = r.Source
		}
	}
	return best
}

// fillFixed fills the objective's fixed inputs for the rows exs (d their
// design): each weight's penalty multiplier (evidencePenalty), the
// labels, class-weighted (classWeights) and divided by the number of
// rows labelled for the target, and with the prior the description
// features and the description weights' prior means.
func fillFixed(o *objective, lay objectiveLayout, d *design, exs []example, nT int, evidence float64) {
	counts := labelCounts(exs, nT)
	evidencePenalty(o.data(lay.pen), d, exs, counts, evidence)
	cw := classWeights(counts)
	for t := range nT {
		y := o.data(lay.y[t])
		labelled := float64(counts[t][0] + counts[t][1] + counts[t][2])
		for i, e := range exs {
			if l := e.labels[t]; l >= 0 {
				y[i*nValues+int(l)] = cw[t][l] * e.weight / labelled
			}
		}
		if lay.prior {
			p := o.data(lay.pr[t])
			for i, e := range exs {
				for j := range nPrior {
					p[i*nPrior+j] = float64(e.prior[t*nPrior+j])
				}
			}
		}
	}
	if lay.prior {
		for c := range nValues {
			o.data(lay.c0)[c] = float64(priorBias[c])
		}
		for j, v := range priorMeans {
			o.data(lay.v0)[j] = float64(v)
		}
	}
}

// labelCounts returns, per target, the number of rows of exs labelled
// with each value.
func labelCounts(exs []example, nT int) [][nValues]int {
	n := make([][nValues]int, nT)
	for _, e := range exs {
		for t, l := range e.labels[:nT] {
			if l >= 0 {
				n[t][l]++
			}
		}
	}
	return n
}

// classWeights returns balanced class weights per target from its label
// counts, n_none/n_v, so that none weighs 1; a value without examples
// (or a target without none) weighs 1.
func classWeights(counts [][nValues]int) [][nValues]float64 {
	cw := make([][nValues]float64, len(counts))
	for t, n := range counts {
		for v := range nValues {
			cw[t][v] = 1
			if n[v] > 0 && n[2] > 0 {
				cw[t][v] = float64(n[2]) / float64(n[v])
			}
		}
	}
	return cw
}

// evidencePenalty writes into pen (d's columns × nT·3) each weight's
// multiplier of the L2 penalty: 1/(1+beta·r) where r > 0, else 1, with r
// the log ratio of the share of the rows labelled v (for target t) that
// have the column's feature to the share of the target's other labelled
// rows that have it, each smoothed by one row on either side:
//
//	r = log( ((a_v+1)/(n_v+2)) / ((a_rest+1)/(n_rest+2)) )
//
// Naive Bayes' log-count ratio, as NBSVM (Wang and Manning, 2012) scales
// features by it: a feature that marks a value is penalised less, so a
// value with a dozen examples can lean on the words that set them apart.
// counts are exs' label counts per target (labelCounts). beta 0 gives 1
// everywhere (plain L2); a value without examples keeps 1.
func evidencePenalty(pen []float64, d *design, exs []example, counts [][nValues]int, beta float64) {
	nT := len(counts)
	k := nT * nValues
	for i := range pen {
		pen[i] = 1
	}
	if beta == 0 {
		return
	}
	var nt [][nValues]float64 // rows of each (target, value)
	for _, n := range counts {
		nt = append(nt, [nValues]float64{float64(n[0]), float64(n[1]), float64(n[2])})
	}
	has := make([]float64, len(pen)) // rows of each (column, target, value)
	for i, e := range exs {
		for t, l := range e.labels[:nT] {
			if l < 0 {
				continue
			}
			j := t*nValues + int(l)
			for p := d.start[i]; p < d.start[i+1]; p++ {
				has[int(d.col[p])*k+j]++
			}
		}
	}
	for c := range len(pen) / k {
		for t := range nT {
			at, n := has[c*k+t*nValues:c*k+(t+1)*nValues], nt[t]
			allA, allN := at[0]+at[1]+at[2], n[0]+n[1]+n[2]
			for v := range nValues {
				if n[v] == 0 {
					continue
				}
				r := math.Log((at[v] + 1) / (n[v] + 2) * (allN - n[v] + 2) / (allA - at[v] + 1))
				if r > 0 {
					pen[c*k+t*nValues+v] = 1 / (1 + beta*r)
				}
			}
		}
	}
}

// idf returns log((1+N)/(1+df))+1 per feature over exs, 0 for a feature
// in no example.
func idf(exs []example, feats int) []float32 {
	df := make([]int32, feats)
	last := make([]int32, feats)
	for i, e := range exs {
		for _, f := range e.feats {
			if last[f] != int32(i+1) {
				last[f] = int32(i + 1)
				df[f]++
			}
		}
	}
	out := make([]float32, feats)
	n := float64(len(exs))
	for f, c := range df {
		if c > 0 {
			out[f] = float32(math.Log((1+n)/(1+float64(c))) + 1)
		}
	}
	return out
}

// appendLogits appends, per target, the logits of w for each example.
func appendLogits(dst [][][nValues]float32, w *weights, exs []example, nT int) [][][nValues]float32 {
	if dst == nil {
		dst = make([][][nValues]float32, nT)
	}
	acc := make([]float32, w.width())
	z := make([][nValues]float32, nT)
	for _, e := range exs {
		w.logits(z, e.feats, e.prior, acc)
		for t := range nT {
			dst[t] = append(dst[t], z[t])
		}
	}
	return dst
}

// design is one fit's rows as the objective reads them: each row's
// pooled features as (column, coefficient) pairs over the columns ids
// (the features with weight in these rows).
type design struct {
	fw    []float32
	ids   []int32   // column → feature id
	start []int     // per row, its pairs' range in col and coef
	col   []int32   // column of each pair
	coef  []float64 // FW[f]/norm, once per occurrence
}

func newDesign(exs []example, fw []float32) *design {
	d := &design{fw: fw}
	local := map[int32]int32{}
	w := &weights{FW: fw, L2Pool: true}
	at := map[int32]int{} // column → its pair in the current row
	for _, e := range exs {
		d.start = append(d.start, len(d.col))
		norm := float64(w.poolNorm(e.feats))
		if norm == 0 {
			continue
		}
		clear(at)
		for _, f := range e.feats {
			if fw[f] == 0 {
				continue
			}
			c, ok := local[f]
			if !ok {
				c = int32(len(d.ids))
				local[f] = c
				d.ids = append(d.ids, f)
			}
			if j, ok := at[c]; ok { // a repeated feature: one pair
				d.coef[j] += float64(fw[f]) / norm
				continue
			}
			at[c] = len(d.col)
			d.col = append(d.col, c)
			d.coef = append(d.coef, float64(fw[f])/norm)
		}
	}
	d.start = append(d.start, len(d.col))
	return d
}

// pool writes into dst (rows × k) each row's pooled rows of x (columns ×
// k, row-major).
func (d *design) pool(dst, x []float64, k int) {
	clear(dst)
	for i := 0; i+1 < len(d.start); i++ {
		out := dst[i*k : i*k+k]
		for j := d.start[i]; j < d.start[i+1]; j++ {
			c, v := int(d.col[j])*k, d.coef[j]
			for m, xv := range x[c : c+k] {
				out[m] += v * xv
			}
		}
	}
}

// scatter adds to grad (columns × k) each row's gradient g (rows × k)
// times its pooling coefficients: the chain rule through pool.
func (d *design) scatter(grad, g []float64, k int) {
	for i := 0; i+1 < len(d.start); i++ {
		gi := g[i*k : i*k+k]
		for j := d.start[i]; j < d.start[i+1]; j++ {
			c, v := int(d.col[j])*k, d.coef[j]
			row := grad[c : c+k]
			for m, gv := range gi {
				row[m] += v * gv
			}
		}
	}
}

// fit minimises the objective (see objective) over train by L-BFGS
// (gonum/optimize) from zero weights and returns the weights.
func fit(ctx context.Context, cfg Config, feats, nT int, train []example) (*weights, *descModel, Fit, error) {
	start := time.Now()
	fw := idf(train, feats)
	d := newDesign(train, fw)
	u := max(len(d.ids), 1) // a graph needs a row even when no feature has weight
	n := len(train)
	k := nT * nValues
	o, lay, err := newObjective(n, nT, u, cfg.Prior, cfg.L2, cfg.PriorL2)
	if err != nil {
		return nil, nil, Fit{}, fmt.Errorf("train: building the objective: %w", err)
	}
	defer o.close()

	fillFixed(o, lay, d, train, nT, cfg.Evidence)

	// x: W's rows in use (u × k), the intercepts b_t (nT × 3), then with
	// the prior the description model's V (nPrior × 3) and c (3).
	nW := u * k
	offB := nW
	offV := offB + nT*nValues
	offC := offV + nPrior*nValues
	dim := offV
	if cfg.Prior {
		dim = offC + nValues
	}
	pooledAll := make([]float64, n*k) // every target's pooled weights, row by row
	var lastX, lastG []float64
	var lastF float64
	var evalErr error
	evals := 0
	eval := func(x []float64) (float64, []float64) {
		if lastX != nil && slices.Equal(x, lastX) {
			return lastF, lastG
		}
		evals++
		grad := make([]float64, dim)
		if evalErr == nil {
			evalErr = ctx.Err()
		}
		if evalErr != nil {
			return math.NaN(), grad
		}
		copy(o.data(lay.w), x[:nW])
		d.pool(pooledAll, x[:nW], k)
		for t := range nT {
			copy(o.data(lay.b[t]), x[offB+t*nValues:offB+(t+1)*nValues])
			pooled := o.data(lay.pooled[t])
			for i := range n {
				copy(pooled[i*nValues:i*nValues+nValues], pooledAll[i*k+t*nValues:])
			}
		}
		if cfg.Prior {
			copy(o.data(lay.vs), x[offV:offC])
			copy(o.data(lay.c), x[offC:offC+nValues])
		}
		f, err := o.run()
		if err == nil {
			err = gatherGrads(o, lay, d, grad, pooledAll, nT, k, offB, offV, offC)
		}
		if err == nil {
			err = o.reset()
		}
		if err != nil {
			evalErr = fmt.Errorf("train: evaluating the objective: %w", err)
			return math.NaN(), grad
		}
		lastX, lastF, lastG = slices.Clone(x), f, grad
		return f, grad
	}
	problem := optimize.Problem{
		Func: func(x []float64) float64 { f, _ := eval(x); return f },
		Grad: func(g, x []float64) { _, gr := eval(x); copy(g, gr) },
		Status: func() (optimize.Status, error) {
			if evalErr != nil {
				return optimize.Failure, evalErr
			}
			return optimize.NotTerminated, nil
		},
	}
	settings := &optimize.Settings{
		GradientThreshold: 1e-6,
		MajorIterations:   cfg.MaxIterations,
		Converger:         &optimize.FunctionConverge{Absolute: 1e-9, Relative: 1e-6, Iterations: 10},
	}
	x0 := make([]float64, dim)
	res, err := optimize.Minimize(problem, x0, settings, &optimize.LBFGS{Store: 10})
	if evalErr != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return nil, nil, Fit{}, fmt.Errorf("train: %w", ctxErr)
		}
		return nil, nil, Fit{}, evalErr
	}
	if err != nil && res == nil {
		return nil, nil, Fit{}, fmt.Errorf("train: optimiser: %w", err)
	}
	// res.X is the best point found; a stop at the iteration limit or a
	// line search that cannot improve still leaves a usable minimiser.
	x := res.X
	w := &weights{Feats: feats, Targets: nT, FW: fw, L2Pool: true, W: make([]float32, feats*k), B: make([]float32, k)}
	for c, f := range d.ids {
		for j := range k {
			w.W[int(f)*k+j] = float32(x[c*k+j])
		}
	}
	for j := range k {
		w.B[j] = float32(x[offB+j])
	}
	var desc *descModel
	if cfg.Prior {
		desc = &descModel{}
		for j := range desc.V {
			desc.V[j] = float32(x[offV+j])
		}
		for c := range desc.C {
			desc.C[c] = float32(x[offC+c])
		}
	}
	// A target without labels here is the description model's: its W
	// columns are zero (only the penalty reached them), its intercepts
	// and description weights the shared ones.
	if cfg.Prior {
		for t := range nT {
			if slices.ContainsFunc(train, func(e example) bool { return e.labels[t] >= 0 }) {
				continue
			}
			if w.Cue == nil {
				w.Cue = make([]float32, nT*nPrior*nValues)
			}
			for j := range nPrior * nValues {
				w.Cue[t*nPrior*nValues+j] = float32(x[offV+j])
			}
			for c := range nValues {
				w.B[t*nValues+c] = float32(x[offC+c])
			}
		}
	}
	return w, desc, Fit{Rows: n, Iterations: res.Stats.MajorIterations, Evaluations: evals, Cost: res.F,
		Status: res.Status.String(), Elapsed: time.Since(start)}, nil
}

// gatherGrads copies the objective's gradients into grad (laid out as
// fit's x), scattering each row's pooled gradient to its W rows; buf
// (rows × k) is scratch.
func gatherGrads(o *objective, lay objectiveLayout, d *design, grad, buf []float64, nT, k, offB, offV, offC int) error {
	gw, err := o.grad(lay.w)
	if err != nil {
		return err
	}
	copy(grad, gw)
	for t := range nT {
		gp, err := o.grad(lay.pooled[t])
		if err != nil {
			return err
		}
		for i := 0; i+1 < len(d.start); i++ {
			copy(buf[i*k+t*nValues:i*k+t*nValues+nValues], gp[i*nValues:])
		}
	}
	d.scatter(grad, buf, k)
	for t := range nT {
		gb, err := o.grad(lay.b[t])
		if err != nil {
			return err
		}
		copy(grad[offB+t*nValues:], gb)
	}
	if lay.prior {
		gv, err := o.grad(lay.vs)
		if err != nil {
			return err
		}
		copy(grad[offV:], gv)
		gc, err := o.grad(lay.c)
		if err != nil {
			return err
		}
		copy(grad[offC:], gc)
	}
	return nil
}

// descModel is the description model of the objective: weights V
// (nPrior × 3) of a target's description features and intercepts C,
// shared by every target.
type descModel struct {
	V [nPrior * nValues]float32
	C [nValues]float32
}

// scales returns the favor and against scales of the argmax rule (see
// scaledArgmax) that give the description model its best F1 for each
// value, pooled over the labelled targets' rows of exs (trained says
// which values of which target have labels): a target without labels
// takes them, as it has no rows of its own to tune on. The grid spans
// 0.01 to 100 log-evenly; favor is tuned first, against next.
func (dm *descModel) scales(exs []example, trained [][nValues]bool) [2]float64 {
	var ps [][nValues]float64
	var gold []int8
	for t := range trained {
		if trained[t][0] == false && trained[t][1] == false {
			continue
		}
		for _, e := range exs {
			l := e.labels[t]
			if l < 0 {
				continue
			}
			var z [nValues]float32
			for c := range nValues {
				z[c] = dm.C[c]
				for j := range nPrior {
					z[c] += e.prior[t*nPrior+j] * dm.V[j*nValues+c]
				}
			}
			ps = append(ps, softmax(z, [nValues]float64{}, 1))
			gold = append(gold, l)
		}
	}
	s := [2]float64{1, 1}
	for v := range 2 {
		best, bestF := s[v], -1.0
		for k := range 41 {
			s[v] = math.Exp(math.Log(0.01) + float64(k)*math.Log(1e4)/40)
			pred := make([]int8, len(ps))
			for i, p := range ps {
				pred[i] = int8(scaledArgmax(p, s))
			}
			if f := score("", gold, pred).F1[v]; f > bestF {
				best, bestF = s[v], f
			}
		}
		s[v] = best
	}
	return s
}

// DataHash is the hex SHA-256 of rows' ids, texts and labels in order:
// two trainings saw the same sentences and labels exactly when their
// hashes agree (doc_id and source, which choose the folds and the domain
// weights, are not in it).
func DataHash(rows []labels.Gold) string {
	h := sha256.New()
	for _, r := range rows {
		io.WriteString(h, r.ID)
		h.Write([]byte{0x1f})
		io.WriteString(h, r.Text)
		for _, l := range r.Labels {
			h.Write([]byte{0x1f})
			io.WriteString(h, l)
		}
		h.Write([]byte{0x1e})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// WriteReport writes a human-readable account of the run: sizes, the
// fits, per target the held-out F_avg, calibration and decision rule,
// then every warning.
func (s *Summary) WriteReport(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "trained on %d rows, %d feature ids; held-out figures from %d out-of-fold predictions (%d fold models); %s\n",
		s.TrainRows, s.Features, s.DevRows, max(len(s.Fits)-1, 0), s.Elapsed.Round(time.Millisecond))
	if s.ClusterWords > 0 {
		fmt.Fprintf(&b, "word clusters: %d words, levels %s\n", s.ClusterWords, strings.Trim(fmt.Sprint(s.ClusterLevels), "[]"))
	}
	fmt.Fprintf(&b, "training data sha256 %s\n", s.DataSHA256)
	fmt.Fprintln(&b, "probabilities are calibrated on the out-of-fold predictions: T is the temperature that divides the logits;")
	fmt.Fprintln(&b, "the decision is the most probable value after favor and against are multiplied by their scale (the class weights' effect; never: not predicted)")
	fmt.Fprintf(&b, "%-20s %7s %7s %7s %6s %15s %s\n", "target", "F_avg", "F1 fav", "F1 ag", "T", "scales fav/ag", "held-out support fav/ag/none")
	fmtS := func(s float64) string {
		if s == 0 {
			return "never"
		}
		return fmt.Sprintf("%.2f", s)
	}
	for i, m := range s.Dev {
		fmt.Fprintf(&b, "%-20s %7.3f %7.3f %7.3f %6.2f %7s/%-7s %d/%d/%d\n", m.Target, m.FAvg, m.F1[0], m.F1[1],
			s.Temperatures[i], fmtS(s.Scales[i][0]), fmtS(s.Scales[i][1]), m.Support[0], m.Support[1], m.Support[2])
	}
	fmt.Fprintf(&b, "mean held-out F_avg %.3f (out-of-fold predictions of the fold models)\n", MeanFAvg(s.Dev))
	if s.Since != nil {
		s.Since.write(&b)
	}
	for _, x := range s.Warnings {
		fmt.Fprintf(&b, "warning: %s\n", x)
	}
	_, err := io.WriteString(w, b.String())
	return err
}
