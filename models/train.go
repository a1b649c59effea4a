package models

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	G "gorgonia.org/gorgonia"

	"github.com/stance-project/stance/labels"
	"github.com/stance-project/stance/models/skipgram"
	"github.com/stance-project/stance/pipeline/subword"
)

// TrainOptions are the inputs of Train that are not hyperparameters.
type TrainOptions struct {
	// Progress receives one line per epoch; nil means quiet.
	Progress io.Writer
	// Tokenizer is the subword tokenizer to use; nil means train one on
	// the rows' text (Config.VocabSize, Config.MinFrequency).
	Tokenizer *subword.Tokenizer
	// Init warm-starts training from a model's weights. It must have the
	// same taxonomy targets; its tokenizer and architecture (Dim, Hidden,
	// Buckets, Unigrams, Bigrams) replace the config's. Nil means random
	// initialisation.
	Init *Model
	// Embeddings initialises the subword rows of the embedding table from
	// pretrained vectors (stance pretrain). Its tokenizer replaces
	// Tokenizer and its Dim replaces Config.Dim. Hash-bucket rows start
	// random. Cannot be combined with Init.
	Embeddings *skipgram.Embeddings
}

// Epoch is one line of training progress.
type Epoch struct {
	Epoch     int
	TrainLoss float64 // mean class-weighted cross-entropy per sentence, summed over targets
	DevFAvg   float64 // dev mean F_avg with argmax decisions
	DevMacroF float64 // dev mean over targets of the macro F1
	Elapsed   time.Duration
}

// Summary describes a training run.
type Summary struct {
	Epochs    []Epoch
	BestEpoch int // the epoch whose weights were kept
	// Dev holds the per-target metrics on the dev split with the final,
	// calibrated decision rule (thresholds tuned on this same split, so
	// they are optimistic).
	Dev          []TargetMetrics
	Temperatures []float64
	Thresholds   [][2]float64 // per target: favor, against (scales for DecisionArgmax)
	Decision     string       // the decision rule (Config.Decision)
	CrossFitted  bool         // held-out metrics are out-of-fold (Config.CalibFolds > 1)
	ClassWeights [][nValues]float64
	Warnings     []string
	DataSHA256   string // of the training rows (ids, texts, labels), see DataHash
	TrainRows    int
	DevRows      int
	Features     int // embedding rows: subword vocabulary + hash buckets
	// Since compares with the old model of a warm start (TrainOptions.Init):
	// labels added per target and held-out F_avg movement; nil otherwise.
	Since   *Since
	Elapsed time.Duration
}

// example is one row as training sees it.
type example struct {
	feats  []int32
	labels []int8 // per target value index, -1 when unlabelled
}

// Train fits a model on rows (labels aligned with tax) and returns it with
// a summary. A target cell left empty masks that target's loss for the
// row. Rows are split by document into train and dev (Config.DevFrac);
// dev picks the epoch, calibrates each head's temperature, tunes the
// favor/against thresholds and measures the error rates.
//
// Train honours ctx between batches. The same inputs and Config.Seed give
// bit-identical models on one machine. gorgonia panics are recovered and
// returned as errors.
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
	if opts.Init != nil && opts.Embeddings != nil {
		return nil, nil, errors.New("train: warm start (Init) and pretrained embeddings cannot be combined")
	}
	sum = &Summary{}
	warn := func(format string, args ...any) { sum.Warnings = append(sum.Warnings, fmt.Sprintf(format, args...)) }
	tok := opts.Tokenizer
	switch {
	case opts.Init != nil:
		in := opts.Init
		if !slices.Equal(in.tax.Names(), tax.Names()) {
			return nil, nil, fmt.Errorf("train: warm start model has targets %v, the taxonomy to train has %v", in.tax.Names(), tax.Names())
		}
		cfg.Dim, cfg.Hidden, cfg.Buckets = in.cfg.Dim, in.cfg.Hidden, in.cfg.Buckets
		cfg.Unigrams, cfg.Bigrams = in.cfg.Unigrams, in.cfg.Bigrams
		cfg.CharMin, cfg.CharMax = in.cfg.CharMin, in.cfg.CharMax
		cfg.Ensemble = false // an ensemble of warm starts would widen the model again
		cfg.Wide = false     // the model's merged wide columns train as embedding columns
		tok = in.tok
	case opts.Embeddings != nil:
		e := opts.Embeddings
		if e.Tokenizer == nil || e.Dim < 1 || len(e.Vectors) != e.Tokenizer.VocabSize()*e.Dim {
			return nil, nil, errors.New("train: pretrained embeddings are inconsistent (tokenizer, dim and vectors disagree)")
		}
		if cfg.Dim != e.Dim {
			warn("embedding dimension %d taken from the pretrained embeddings (config said %d)", e.Dim, cfg.Dim)
		}
		cfg.Dim = e.Dim
		tok = e.Tokenizer
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
	exs := make([]example, len(rows))
	sc := m.newScratch()
	unlabelled := 0
	for i, r := range rows {
		exs[i].feats = slices.Clone(m.featurize(sc, r.Text))
		exs[i].labels = make([]int8, nT)
		any := false
		for t, v := range r.Labels {
			exs[i].labels[t] = -1
			if v == "" {
				continue
			}
			j := tax.ValueIndex(t, v)
			if j < 0 {
				return nil, nil, fmt.Errorf("train: row %s: target %s: unknown value %q", r.ID, tax.Targets[t].Name, v)
			}
			exs[i].labels[t] = int8(j)
			any = true
		}
		if !any {
			unlabelled++
		}
	}
	if unlabelled > 0 {
		warn("%d rows have no label on any target and only shape the tokenizer", unlabelled)
	}

	// Class weights from every labelled row, and warnings for rare values.
	cw := classWeights(exs, nT, cfg.MaxClassWeight)
	sum.ClassWeights = cw
	sum.Features = m.feats.size()
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x5741_4e43_45))
	// A warm start continues the old weights in the model that is kept;
	// with cross-fitting, the fold models that give the held-out logits
	// start afresh in the old model's member architecture, so that no
	// held-out row has been seen through the old weights.
	// wide says whether fresh weights get the wide path: the config's, or
	// for a warm start the old model's (whose own wide columns, merged,
	// go on training as embedding columns in the kept model).
	memberDim, memberHidden, wide := cfg.Dim, cfg.Hidden, cfg.Wide
	if in := opts.Init; in != nil {
		memberDim, memberHidden, wide = in.cfg.Dim, in.cfg.Hidden, in.cfg.Wide
		if in.cfg.Wide { // its merged columns (see mergeWide)
			k := nT * nValues
			memberDim -= k
			if memberHidden > 0 {
				memberHidden -= 2 * k
			}
		}
		if in.cfg.Ensemble && in.cfg.CalibFolds >= 2 {
			memberDim, memberHidden = memberDim/(in.cfg.CalibFolds+1), memberHidden/(in.cfg.CalibFolds+1)
		}
	}
	init := func(train []example, warm bool) *weights {
		warm = warm && opts.Init != nil
		var w *weights
		if warm {
			w = opts.Init.w.clone()
		} else {
			w = newWeights(rng, m.feats.size(), memberDim, memberHidden, nT)
			if e := opts.Embeddings; e != nil {
				copy(w.Emb, e.Vectors)
			}
			priorBiases(w, train, cw)
		}
		w.L2Pool = cfg.L2Pool
		w.FW = nil
		if cfg.IDF {
			if cfg.Ensemble && cfg.CalibFolds >= 2 {
				w.FW = idf(exs, w.Feats) // members must pool alike
			} else {
				w.FW = idf(train, w.Feats)
			}
		}
		if wide && !warm {
			// The regression weighs values fully balanced on its own
			// training rows: capping the weights of values with a dozen
			// examples (which keeps the deep part from overfitting them)
			// cost it 0.06 mean F_avg in cross-validation, and the weights
			// of all rows given to a fold's fit made its held-out
			// predictions collapse (mean held-out F_avg 0.18 against 0.44).
			fitWide(w, train, classWeights(train, nT, math.Inf(1)), cfg.WideL2)
		}
		return w
	}
	var held []example // rows the calibration logits come from
	var heldRows []int // index in rows of each held example
	var logits [][][nValues]float32
	if cfg.CalibFolds >= 2 {
		// Cross-fitting: each inner fold's model, early-stopped on its fold,
		// predicts that fold; the final model trains on every row for the
		// median best epoch count and is calibrated on the pooled
		// out-of-fold logits.
		folds := labels.GroupFolds(rows, cfg.CalibFolds, cfg.Seed)
		var bestEpochs []int
		var members []*weights
		for k := range cfg.CalibFolds {
			var train, dev []example
			for i, f := range folds {
				if f == k {
					dev = append(dev, exs[i])
					heldRows = append(heldRows, i)
				} else {
					train = append(train, exs[i])
				}
			}
			if len(train) == 0 || len(dev) == 0 {
				return nil, nil, fmt.Errorf("train: need rows from at least %d documents for %d calibration folds (have %d rows)", cfg.CalibFolds, cfg.CalibFolds, len(rows))
			}
			pr := prefixed(opts.Progress, fmt.Sprintf("fold %d/%d ", k+1, cfg.CalibFolds))
			w, best, err := fit(ctx, cfg, init(train, false), train, dev, cfg.Epochs, cw, rng, tax, sum, pr, start)
			if err != nil {
				return nil, nil, err
			}
			scaleDeep(w, cfg)
			bestEpochs = append(bestEpochs, best)
			members = append(members, w)
			held = append(held, dev...)
			logits = appendLogits(logits, w, dev, nT)
		}
		slices.Sort(bestEpochs)
		epochs := bestEpochs[len(bestEpochs)/2]
		sum.TrainRows, sum.DevRows = len(exs), len(held)
		sum.CrossFitted = true
		pr := prefixed(opts.Progress, "final    ")
		w, _, err := fit(ctx, cfg, init(exs, true), exs, nil, epochs, cw, rng, tax, sum, pr, start)
		if err != nil {
			return nil, nil, err
		}
		scaleDeep(w, cfg)
		m.w, sum.BestEpoch = w, epochs
		if cfg.Ensemble {
			m.w = concatWeights(append(members, w))
		}
	} else {
		// One dev split: one of round(1/DevFrac) document-grouped folds.
		k := max(2, int(math.Round(1/cfg.DevFrac)))
		folds := labels.GroupFolds(rows, k, cfg.Seed)
		var train []example
		for i, f := range folds {
			if f == 0 {
				held = append(held, exs[i])
				heldRows = append(heldRows, i)
			} else {
				train = append(train, exs[i])
			}
		}
		if len(train) == 0 || len(held) == 0 {
			return nil, nil, fmt.Errorf("train: need rows from at least 2 documents to hold out a dev split (have %d rows)", len(rows))
		}
		sum.TrainRows, sum.DevRows = len(train), len(held)
		w, best, err := fit(ctx, cfg, init(train, true), train, held, cfg.Epochs, cw, rng, tax, sum, opts.Progress, start)
		if err != nil {
			return nil, nil, err
		}
		scaleDeep(w, cfg)
		m.w, sum.BestEpoch = w, best
		logits = appendLogits(logits, w, held, nT)
	}
	m.w = mergeWide(m.w)
	m.cfg.Dim, m.cfg.Hidden = m.w.Dim, m.w.Hidden
	for t := range nT {
		var ntr, nheld [nValues]int
		for _, e := range exs {
			if l := e.labels[t]; l >= 0 {
				ntr[l]++
			}
		}
		for _, e := range held {
			if l := e.labels[t]; l >= 0 {
				nheld[l]++
			}
		}
		for v := range 2 {
			if ntr[v] == 0 {
				warn("%s: no %s example: the head never predicts it from data (its F1 is undefined)", tax.Targets[t].Name, tax.Targets[t].Values[v])
			} else if nheld[v] < minSupport && cfg.Decision == DecisionThreshold {
				warn("%s: %s has %d examples, %d held out for calibration (fewer than %d): its threshold is the fallback %.2f",
					tax.Targets[t].Name, tax.Targets[t].Values[v], ntr[v], nheld[v], minSupport, fallbackThreshold)
			} else if ntr[v] < 30 {
				warn("%s: %s has only %d example(s): expect unstable scores", tax.Targets[t].Name, tax.Targets[t].Values[v], ntr[v])
			}
		}
	}
	trained := make([][nValues]bool, nT)
	for _, e := range exs {
		for t, l := range e.labels {
			if l >= 0 {
				trained[t][l] = true
			}
		}
	}
	m.calibrate(held, logits, cw, trained)
	sum.Dev = m.dev
	sum.Temperatures = slices.Clone(m.temp)
	sum.Thresholds = slices.Clone(m.thresh)
	sum.Decision = cfg.Decision
	m.dataSHA = sum.DataSHA256
	m.ledger = newLedger(rows, exs, nT)
	if opts.Init != nil {
		if sum.Since, err = compareSince(opts.Init, m, rows, exs, heldRows, logits); err != nil {
			return nil, nil, fmt.Errorf("train: comparing with the warm-start model: %w", err)
		}
		sum.Since.HeldWarm = cfg.CalibFolds < 2
	}
	sum.Elapsed = time.Since(start)
	return m, sum, nil
}

// concatWeights returns one model whose logits are the mean of the
// members' logits: embedding tables side by side (the bag of the
// concatenation is the concatenation of the bags, as all members pool
// with the same feature weights), hidden layers block-diagonal, head
// weights stacked and divided by the member count, biases averaged; the
// wide table (all members have one or none) is the last member's.
func concatWeights(ms []*weights) *weights {
	k := len(ms)
	f0 := ms[0]
	out := &weights{Feats: f0.Feats, Dim: f0.Dim * k, Targets: f0.Targets, FW: f0.FW, L2Pool: f0.L2Pool}
	if f0.Hidden > 0 {
		out.Hidden = f0.Hidden * k
	}
	out.Emb = make([]float32, out.Feats*out.Dim)
	for f := range out.Feats {
		for j, m := range ms {
			copy(out.Emb[f*out.Dim+j*f0.Dim:], m.Emb[f*f0.Dim:(f+1)*f0.Dim])
		}
	}
	if f0.Hidden > 0 {
		h := f0.Hidden
		out.W1 = make([]float32, out.Dim*out.Hidden)
		for j, m := range ms {
			for d := range f0.Dim {
				copy(out.W1[(j*f0.Dim+d)*out.Hidden+j*h:], m.W1[d*h:(d+1)*h])
			}
			out.B1 = append(out.B1, m.B1...)
		}
	}
	inv := 1 / float32(k)
	for t := range f0.Targets {
		var wo []float32
		bo := make([]float32, nValues)
		for _, m := range ms {
			for _, x := range m.Wo[t] {
				wo = append(wo, x*inv)
			}
			for c := range nValues {
				bo[c] += m.Bo[t][c] * inv
			}
		}
		out.Wo = append(out.Wo, wo)
		out.Bo = append(out.Bo, bo)
	}
	// The wide path is the last member's alone (the all-rows model's in
	// Train): a convex fit on every row beats the average of fits on
	// subsets, whose rare values are rarer still (mean F_avg of the wide
	// path alone, 5-fold CV: 0.42 against 0.37 averaged).
	last := ms[k-1]
	out.Wide, out.WideB = last.Wide, last.WideB
	return out
}

// scaleDeep multiplies the deep heads' weights and biases of a model
// with a wide path by cfg.DeepScale (0 meaning 1), so that its logits
// become wide + DeepScale·deep.
func scaleDeep(w *weights, cfg Config) {
	if w.Wide == nil || cfg.DeepScale == 0 || cfg.DeepScale == 1 {
		return
	}
	s := float32(cfg.DeepScale)
	for t := range w.Wo {
		for i := range w.Wo[t] {
			w.Wo[t][i] *= s
		}
		for i := range w.Bo[t] {
			w.Bo[t][i] *= s
		}
	}
}

// priorBiases sets each head's biases to the log of its class-weighted
// value frequencies in train (half a count for an unseen value), so that
// training starts from the base rates and an empty sentence gets them.
func priorBiases(w *weights, train []example, cw [][nValues]float64) {
	for t := range w.Targets {
		var n [nValues]float64
		total := 0.0
		for _, e := range train {
			if l := e.labels[t]; l >= 0 {
				n[l]++
				total++
			}
		}
		if total == 0 {
			continue
		}
		for c := range nValues {
			w.Bo[t][c] = float32(math.Log(max(n[c], 0.5)/total) + math.Log(cw[t][c]))
		}
	}
}

// classWeights returns balanced class weights per target, scaled so that
// none weighs 1 and clamped to [1/cap, cap]; a value without examples
// weighs 1.
func classWeights(exs []example, nT int, cap float64) [][nValues]float64 {
	cw := make([][nValues]float64, nT)
	for t := range nT {
		var n [nValues]int
		for _, e := range exs {
			if l := e.labels[t]; l >= 0 {
				n[l]++
			}
		}
		for v := range nValues {
			w := 1.0
			if n[v] > 0 && n[2] > 0 {
				w = min(cap, max(1/cap, float64(n[2])/float64(n[v])))
			}
			cw[t][v] = w
		}
	}
	return cw
}

// appendLogits appends, per target, the raw logits of w for each example
// (labelled or not; calibrate skips unlabelled ones).
func appendLogits(dst [][][nValues]float32, w *weights, exs []example, nT int) [][][nValues]float32 {
	if dst == nil {
		dst = make([][][nValues]float32, nT)
	}
	bag := make([]float32, w.Dim)
	hb := make([]float32, max(w.Hidden, 1))
	wide := make([]float32, w.wideWidth())
	z := make([][nValues]float32, nT)
	for _, e := range exs {
		w.forward(z, e.feats, bag, hb, wide)
		for t := range nT {
			dst[t] = append(dst[t], z[t])
		}
	}
	return dst
}

// prefixed writes each Fprintf'd line to w with a prefix; nil stays nil.
func prefixed(w io.Writer, prefix string) io.Writer {
	if w == nil {
		return nil
	}
	return prefixWriter{w, prefix}
}

type prefixWriter struct {
	w      io.Writer
	prefix string
}

func (p prefixWriter) Write(b []byte) (int, error) {
	if _, err := io.WriteString(p.w, p.prefix); err != nil {
		return 0, err
	}
	return p.w.Write(b)
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

// minSupport is the fewest dev examples of a value for which its decision
// threshold is tuned rather than set to fallbackThreshold.
const minSupport = 5

// fallbackThreshold is the probability threshold of a value with too little
// dev support to tune one. For calibrated probabilities the F1-optimal
// threshold is half the best attainable F1 (Lipton, Elkan & Naryanaswamy
// 2014); 0.3 assumes an F1 around 0.6.
const fallbackThreshold = 0.3

// fit runs mini-batch Adam with early stopping on dev mean F_avg and
// returns the best epoch's weights.
//
// With dev nil it trains exactly epochs epochs and returns the last
// weights.
func fit(ctx context.Context, cfg Config, w *weights, train, dev []example, epochs int, cw [][nValues]float64,
	rng *rand.Rand, tax labels.Taxonomy, sum *Summary, progress io.Writer, start time.Time) (*weights, int, error) {
	bs := cfg.BatchSize
	gr, err := newGraph(w, bs, true)
	if err != nil {
		return nil, 0, fmt.Errorf("train: building graph: %w", err)
	}
	defer gr.close()
	var sopts []G.SolverOpt
	sopts = append(sopts, G.WithLearnRate(cfg.LR))
	if cfg.L2 > 0 {
		sopts = append(sopts, G.WithL2Reg(cfg.L2))
	}
	solver := G.NewAdamSolver(sopts...)
	embLR := cfg.EmbLR
	if embLR == 0 {
		embLR = cfg.LR
	}
	emb := newLazyAdam(w.Feats, w.Dim, embLR, cfg.EmbSGD)
	emb.l2 = float32(cfg.L2)
	// The wide path is fitted already (fitWide): its logits enter the
	// graph as fixed offsets of the whole sentence (no dropout), and the
	// deep part learns what they leave.
	var wideData [][]float32
	for _, t := range gr.wideT {
		wideData = append(wideData, t.Data().([]float32))
	}
	wideRow := make([]float32, w.wideWidth())
	valueGrads := G.NodesToValueGrads(gr.learn)

	order := make([]int, len(train))
	for i := range order {
		order[i] = i
	}
	kept := make([][]int32, bs)
	norms := make([]float32, bs)
	bagData := gr.bagT.Data().([]float32)
	ys := make([][]float32, len(gr.yT))
	for t := range ys {
		ys[t] = gr.yT[t].Data().([]float32)
	}
	var best *weights
	bestEpoch, bestScore := 0, math.Inf(-1)
	d := w.Dim
	for epoch := 1; epoch <= epochs; epoch++ {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		var loss float64
		for s := 0; s < len(order); s += bs {
			if err := ctx.Err(); err != nil {
				return nil, 0, err
			}
			for t := range ys {
				clear(ys[t])
			}
			for b := range bs {
				row := bagData[b*d : (b+1)*d]
				if s+b >= len(order) {
					kept[b] = kept[b][:0]
					norms[b] = 0
					clear(row)
					for t := range wideData {
						clear(wideData[t][b*nValues : (b+1)*nValues])
					}
					continue
				}
				e := train[order[s+b]]
				kept[b] = dropout(kept[b][:0], e.feats, cfg.TokenDropout, rng)
				norms[b] = w.bag(row, kept[b])
				if wideData != nil {
					w.wideLogits(wideRow, e.feats)
					for t := range wideData {
						copy(wideData[t][b*nValues:(b+1)*nValues], wideRow[t*nValues:])
					}
				}
				for t, l := range e.labels {
					if l >= 0 {
						ys[t][b*nValues+int(l)] = float32(cw[t][l] / float64(bs))
					}
				}
			}
			if err := gr.run(); err != nil {
				return nil, 0, fmt.Errorf("train: forward/backward: %w", err)
			}
			loss += float64(gr.costV.Data().(float32)) * float64(bs)
			dbag, err := gr.bagGrad()
			if err != nil {
				return nil, 0, fmt.Errorf("train: bag gradient: %w", err)
			}
			for b := range bs {
				if norms[b] == 0 {
					continue
				}
				emb.accumulate(w, kept[b], dbag[b*d:(b+1)*d], 1/norms[b])
			}
			if err := gr.clearBagGrad(); err != nil {
				return nil, 0, err
			}
			if err := solver.Step(valueGrads); err != nil {
				return nil, 0, fmt.Errorf("train: solver: %w", err)
			}
			emb.step(w.Emb)
			gr.vm.Reset()
		}
		gr.export(w)
		ep := Epoch{Epoch: epoch, TrainLoss: loss / float64(len(train)), DevFAvg: math.NaN(), DevMacroF: math.NaN()}
		if dev != nil {
			ms := evalArgmax(w, dev, tax)
			macro := make([]float64, len(ms))
			for t, m := range ms {
				macro[t] = m.MacroF()
			}
			ep.DevFAvg, ep.DevMacroF = MeanFAvg(ms), nanMean(macro)
		}
		ep.Elapsed = time.Since(start)
		sum.Epochs = append(sum.Epochs, ep)
		if progress != nil && dev == nil {
			fmt.Fprintf(progress, "epoch %3d  train loss %.4f  %s\n", ep.Epoch, ep.TrainLoss, ep.Elapsed.Round(time.Millisecond))
		} else if progress != nil {
			fmt.Fprintf(progress, "epoch %3d  train loss %.4f  dev F_avg %.3f  dev macro-F %.3f  %s\n",
				ep.Epoch, ep.TrainLoss, ep.DevFAvg, ep.DevMacroF, ep.Elapsed.Round(time.Millisecond))
		}
		if dev == nil {
			best, bestEpoch = w, epoch
			continue
		}
		score := ep.DevFAvg
		if best == nil || score > bestScore {
			best, bestEpoch, bestScore = w.clone(), epoch, score
		} else if epoch-bestEpoch >= cfg.Patience {
			break
		}
	}
	return best, bestEpoch, nil
}

// dropout appends to dst each feature of feats kept with probability
// 1-p, keeping at least one when feats is not empty. It draws from rng
// even when p is 0 only if p > 0, so p = 0 leaves the stream untouched.
func dropout(dst, feats []int32, p float64, rng *rand.Rand) []int32 {
	if p <= 0 || len(feats) == 0 {
		return append(dst, feats...)
	}
	for _, f := range feats {
		if rng.Float64() >= p {
			dst = append(dst, f)
		}
	}
	if len(dst) == 0 {
		dst = append(dst, feats[rng.IntN(len(feats))])
	}
	return dst
}

// evalArgmax scores the current weights on dev with argmax decisions on
// the raw logits (the early-stopping criterion).
func evalArgmax(w *weights, dev []example, tax labels.Taxonomy) []TargetMetrics {
	nT := len(tax.Targets)
	logits := appendLogits(nil, w, dev, nT)
	gold := make([]int8, len(dev))
	pred := make([]int8, len(dev))
	ms := make([]TargetMetrics, nT)
	for t := range nT {
		for i, e := range dev {
			z := logits[t][i]
			best := 0
			for c := 1; c < nValues; c++ {
				if z[c] > z[best] {
					best = c
				}
			}
			gold[i], pred[i] = e.labels[t], int8(best)
		}
		ms[t] = score(tax.Targets[t].Name, gold, pred)
	}
	return ms
}

// lazyAdam is Adam over the embedding table that updates only the rows a
// batch touched (TensorFlow's LazyAdam): a dense step over every hash
// bucket each batch would cost more than the rest of training. Bias
// correction uses the global step count, as gorgonia's solver does.
type lazyAdam struct {
	dim     int
	lr      float64
	steps   int
	m, v, g []float32
	touched []int32
	mark    []bool
	sgd     bool    // plain SGD instead of Adam (fastText's choice)
	l2      float32 // L2 penalty added to a touched row's gradient
}

func newLazyAdam(rows, dim int, lr float64, sgd bool) *lazyAdam {
	a := &lazyAdam{dim: dim, lr: lr, sgd: sgd, g: make([]float32, rows*dim), mark: make([]bool, rows)}
	if !sgd {
		a.m, a.v = make([]float32, rows*dim), make([]float32, rows*dim)
	}
	return a
}

// accumulate adds FW[f]·scale·grad to the gradient of each row f in feats
// (a row repeated in feats receives it once per occurrence, as the bag
// does).
func (a *lazyAdam) accumulate(w *weights, feats []int32, grad []float32, scale float32) {
	d := a.dim
	for _, f := range feats {
		fs := w.featWeight(f) * scale
		if fs == 0 {
			continue
		}
		if !a.mark[f] {
			a.mark[f] = true
			a.touched = append(a.touched, f)
		}
		row := a.g[int(f)*d : int(f)*d+d]
		for j, x := range grad {
			row[j] += fs * x
		}
	}
}

// step applies one Adam update to the touched rows of emb and clears their
// gradients. Rows are visited in first-touch order, which is fixed by the
// batch, so the update is deterministic.
func (a *lazyAdam) step(emb []float32) {
	const b1, b2, eps = 0.9, 0.999, 1e-8
	a.steps++
	c1 := float32(1 / (1 - math.Pow(b1, float64(a.steps))))
	c2 := float32(1 / (1 - math.Pow(b2, float64(a.steps))))
	lr := float32(a.lr)
	d := a.dim
	if a.sgd {
		for _, f := range a.touched {
			o := int(f) * d
			g, e := a.g[o:o+d], emb[o:o+d]
			for j := range g {
				e[j] -= lr * (g[j] + a.l2*e[j])
				g[j] = 0
			}
			a.mark[f] = false
		}
		a.touched = a.touched[:0]
		return
	}
	for _, f := range a.touched {
		o := int(f) * d
		g, m, v, e := a.g[o:o+d], a.m[o:o+d], a.v[o:o+d], emb[o:o+d]
		for j := range g {
			gj := g[j] + a.l2*e[j]
			m[j] = b1*m[j] + (1-b1)*gj
			v[j] = b2*v[j] + (1-b2)*gj*gj
			e[j] -= lr * (m[j] * c1) / (float32(math.Sqrt(float64(v[j]*c2))) + eps)
			g[j] = 0
		}
		a.mark[f] = false
	}
	a.touched = a.touched[:0]
}

// DataHash is the hex SHA-256 of rows' ids, texts and labels in order:
// two trainings saw the same data exactly when their hashes agree.
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
// kept epoch, per target the held-out F_avg, temperature, thresholds and
// class weights, then every warning.
func (s *Summary) WriteReport(w io.Writer) error {
	var b strings.Builder
	held := fmt.Sprintf("%d held out for calibration", s.DevRows)
	if s.CrossFitted {
		held = fmt.Sprintf("calibrated on %d out-of-fold predictions", s.DevRows)
	}
	fmt.Fprintf(&b, "trained on %d rows (%s), %d features, kept epoch %d, %s\n",
		s.TrainRows, held, s.Features, s.BestEpoch, s.Elapsed.Round(time.Millisecond))
	fmt.Fprintf(&b, "training data sha256 %s\n", s.DataSHA256)
	rule := "thresholds"
	if s.Decision == DecisionArgmax {
		rule = "scales"
	}
	fmt.Fprintf(&b, "decision rule %s; probabilities calibrated on held-out predictions (a temperature, and shifts matching each value's frequency)\n", s.Decision)
	fmt.Fprintf(&b, "%-20s %7s %7s %7s %6s %13s %s\n", "target", "F_avg", "F1 fav", "F1 ag", "temp", rule, "support fav/ag/none")
	fmtT := func(t float64) string {
		if (s.Decision == DecisionArgmax && t == 0) || (s.Decision != DecisionArgmax && t >= never) {
			return "never"
		}
		return fmt.Sprintf("%.2f", t)
	}
	for i, m := range s.Dev {
		fmt.Fprintf(&b, "%-20s %7.3f %7.3f %7.3f %6.2f %6s/%-6s %d/%d/%d\n", m.Target, m.FAvg, m.F1[0], m.F1[1],
			s.Temperatures[i], fmtT(s.Thresholds[i][0]), fmtT(s.Thresholds[i][1]), m.Support[0], m.Support[1], m.Support[2])
	}
	note := "the dev split"
	if s.CrossFitted {
		note = "out-of-fold predictions of the fold models"
	}
	if s.Decision == DecisionThreshold {
		note += "; thresholds were tuned on the same rows, so optimistic"
	}
	fmt.Fprintf(&b, "mean held-out F_avg %.3f (%s)\n", MeanFAvg(s.Dev), note)
	if s.Since != nil {
		s.Since.write(&b)
	}
	for _, x := range s.Warnings {
		fmt.Fprintf(&b, "warning: %s\n", x)
	}
	_, err := io.WriteString(w, b.String())
	return err
}
