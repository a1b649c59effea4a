package models

import (
	"errors"
	"fmt"
	"sync"

	"github.com/stance-project/stance/labels"
	"github.com/stance-project/stance/pipeline/subword"
)

// Model is a trained stance classifier: tokenizer, weights, per-target
// temperatures and decision scales, and the held-out metrics and
// error rates measured when it was trained. It is safe for concurrent use:
// weights are read-only and every call takes its own scratch space.
type Model struct {
	cfg      Config
	tax      labels.Taxonomy
	tok      *subword.Tokenizer
	feats    features
	prior    priorFeatures // description features (Config.Prior)
	w        *weights
	shift    [][nValues]float64 // per target: log class weights removed from the logits
	temp     []float64          // per target temperature
	scale    [][2]float64       // per target: favor, against decision scales (0: never)
	errRates [][]labels.ErrorRate
	dev      []TargetMetrics
	dataSHA  string
	ledger   ledger // labels trained on; nil for a version 1 file
	pool     sync.Pool
}

func newModel(cfg Config, tax labels.Taxonomy, tok *subword.Tokenizer) *Model {
	m := &Model{cfg: cfg, tax: tax, tok: tok, prior: newPriorFeatures(tax)}
	m.feats = features{vocab: tok.VocabSize(), buckets: cfg.Buckets, charMin: cfg.CharMin, charMax: cfg.CharMax}
	return m
}

// scratch is one goroutine's working memory for the forward pass.
type scratch struct {
	ids        []int
	words      []uint64
	runes      []rune
	feats      []int32
	prior      []float32
	cues       []labels.CueCounts
	cueScratch labels.CueScratch
	acc        []float32
	z          [][nValues]float32
}

func (m *Model) newScratch() *scratch {
	nT := len(m.tax.Targets)
	return &scratch{acc: make([]float32, nT*nValues), z: make([][nValues]float32, nT)}
}

func (m *Model) getScratch() *scratch {
	if s, ok := m.pool.Get().(*scratch); ok {
		return s
	}
	return m.newScratch()
}

// featurize returns the feature ids of text in sc.feats: subword ids,
// then hashed word unigrams and bigrams (in a model that has them: see
// fileConfig), then hashed character n-grams, then the words' clusters
// (in a model that has them).
func (m *Model) featurize(sc *scratch, text string) []int32 {
	sc.ids = m.tok.AppendIDs(sc.ids[:0], text)
	sc.feats = sc.feats[:0]
	v := m.feats.vocab
	for _, id := range sc.ids {
		if id >= 0 && id < v {
			sc.feats = append(sc.feats, int32(id))
		}
	}
	if m.feats.buckets > 0 {
		if m.feats.unigrams || m.feats.bigrams { // only models of old files
			sc.words = appendWordHashes(sc.words[:0], text)
			sc.feats = m.feats.appendNgrams(sc.feats, sc.words)
		}
		sc.feats, sc.runes = m.feats.appendCharNgrams(sc.feats, text, sc.runes)
	}
	if c := m.feats.clusters; c != nil {
		sc.words = appendWordHashes(sc.words[:0], text)
		sc.feats = c.appendFeatures(sc.feats, sc.words, int32(m.feats.vocab+m.feats.buckets))
	}
	return sc.feats
}

// probs computes the calibrated probabilities of every target for text
// into dst (len(dst) == number of targets).
func (m *Model) probs(sc *scratch, text string, dst [][nValues]float64) {
	z := m.logits(sc, text)
	for t := range dst {
		dst[t] = softmax(z[t], m.shift[t], m.temp[t])
	}
}

// logits returns every target's raw logits for text, in sc.z.
func (m *Model) logits(sc *scratch, text string) [][nValues]float32 {
	f := m.featurize(sc, text)
	sc.prior = sc.prior[:0]
	if m.w.Cue != nil {
		sc.prior = m.prior.appendTo(sc.prior, text, sc)
	}
	m.w.logits(sc.z, f, sc.prior, sc.acc)
	return sc.z
}

// decide applies target t's decision rule to calibrated probabilities p:
// the argmax of p·(s_favor, s_against, 1), s being the target's scales.
func (m *Model) decide(t int, p [nValues]float64) int {
	return scaledArgmax(p, m.scale[t])
}

// scaledArgmax is the argmax of p·(s[0], s[1], 1), none on ties; a scale
// of 0 never predicts its value.
func scaledArgmax(p [nValues]float64, s [2]float64) int {
	best, bestV := 2, p[2]
	for v := range 2 {
		if x := p[v] * s[v]; x > bestV {
			best, bestV = v, x
		}
	}
	return best
}

// PredictTo labels text into dst, reusing dst's slices when they have the
// right length: the allocation-free form of PredictOne for batch loops.
// dst.ID is left alone.
func (m *Model) PredictTo(dst *labels.Prediction, text string) {
	nT := len(m.tax.Targets)
	if len(dst.Values) != nT {
		dst.Values = make([]string, nT)
	}
	if len(dst.Probs) != nT {
		dst.Probs = make([][]float64, nT)
	}
	sc := m.getScratch()
	var buf [8][nValues]float64
	ps := buf[:0]
	if nT <= len(buf) {
		ps = buf[:nT]
	} else {
		ps = make([][nValues]float64, nT)
	}
	m.probs(sc, text, ps)
	m.pool.Put(sc)
	for t, p := range ps {
		if len(dst.Probs[t]) != nValues {
			dst.Probs[t] = make([]float64, nValues)
		}
		copy(dst.Probs[t], p[:])
		dst.Values[t] = m.tax.Targets[t].Values[m.decide(t, p)]
	}
}

// PredictOne labels one sentence. The prediction's ID is empty.
func (m *Model) PredictOne(text string) labels.Prediction {
	var p labels.Prediction
	m.PredictTo(&p, text)
	return p
}

// Predict labels each text; predictions are aligned with texts and their
// IDs are empty. It returns an error only for a model that is not trained.
func (m *Model) Predict(texts []string) ([]labels.Prediction, error) {
	if m == nil || m.w == nil {
		return nil, errors.New("predict: model is not trained")
	}
	nT := len(m.tax.Targets)
	out := make([]labels.Prediction, len(texts))
	// One backing array per call keeps allocations per sentence constant.
	vals := make([]string, len(texts)*nT)
	probRows := make([][]float64, len(texts)*nT)
	probs := make([]float64, len(texts)*nT*nValues)
	for i := range texts {
		out[i].Values = vals[i*nT : (i+1)*nT : (i+1)*nT]
		out[i].Probs = probRows[i*nT : (i+1)*nT : (i+1)*nT]
		for t := range nT {
			o := (i*nT + t) * nValues
			out[i].Probs[t] = probs[o : o+nValues : o+nValues]
		}
		m.PredictTo(&out[i], texts[i])
	}
	return out, nil
}

// Taxonomy returns the targets the model labels.
func (m *Model) Taxonomy() labels.Taxonomy { return m.tax }

// Tokenizer returns the model's subword tokenizer.
func (m *Model) Tokenizer() *subword.Tokenizer { return m.tok }

// Config returns the settings the model was trained with.
func (m *Model) Config() Config { return m.cfg }

// ErrorRates returns, per target and value (favor, against, none), the
// TPR and FPR of the model's decisions on its out-of-fold predictions. The caller must
// not modify the result.
func (m *Model) ErrorRates() [][]labels.ErrorRate { return m.errRates }

// DevMetrics returns the per-target metrics of the out-of-fold
// predictions with the model's final decision rule. The caller must not modify the result.
func (m *Model) DevMetrics() []TargetMetrics { return m.dev }

// Temperatures returns each target's calibration temperature.
func (m *Model) Temperatures() []float64 { return m.temp }

// DecisionScales returns, per target, the weights the decision rule
// multiplies the probabilities of favor, against and none by before
// taking the argmax: {favor scale, against scale, 1}, a scale of 0
// meaning the value is never predicted.
func (m *Model) DecisionScales() [][]float64 {
	out := make([][]float64, len(m.scale))
	for t, s := range m.scale {
		out[t] = []float64{s[0], s[1], 1}
	}
	return out
}

// LabelCounts returns, per target and value (aligned with the taxonomy),
// how many labelled sentences the model was trained on, from its label
// ledger; nil for a model without one (format version 1). Sentences
// whose text repeats count once.
func (m *Model) LabelCounts() [][]int {
	if m.ledger == nil {
		return nil
	}
	out := make([][]int, len(m.tax.Targets))
	for t, tg := range m.tax.Targets {
		out[t] = make([]int, len(tg.Values))
		if t >= len(m.ledger) {
			continue
		}
		for _, v := range m.ledger[t] {
			if int(v) < len(out[t]) {
				out[t][v]++
			}
		}
	}
	return out
}

// TrainedOn counts the rows whose text the model was trained on a label
// of, by its label ledger (texts compared by labels.TextKey, as the
// ledger keys them). A model without a ledger (format version 1)
// knows only the hash of its training rows (DataSHA256): it counts every
// row when rows are exactly those, and none otherwise.
func (m *Model) TrainedOn(rows []labels.Gold) int {
	if m.ledger == nil {
		if DataHash(rows) == m.dataSHA {
			return len(rows)
		}
		return 0
	}
	seen := m.ledger.rekey(rows).texts()
	n := 0
	for _, r := range rows {
		if seen[textKey(r.Text)] {
			n++
		}
	}
	return n
}

// DataSHA256 is the hash of the rows the model was trained on (DataHash).
func (m *Model) DataSHA256() string { return m.dataSHA }

// String describes the model in one line.
func (m *Model) String() string {
	prior := "no description prior"
	if m.w != nil && m.w.Cue != nil {
		prior = "description prior"
	}
	return fmt.Sprintf("stance model: %d targets, %d subwords + %d buckets, %s",
		len(m.tax.Targets), m.feats.vocab, m.feats.buckets, prior)
}
