package models

import (
	"math"
	"slices"
)

// nValues is the number of values of every target: favor, against, none
// (labels.Taxonomy.Validate guarantees it).
const nValues = 3

// weights are the model's parameters, stored row-major as inference reads
// them. Target t's logits for a sentence are
//
//	z_t = pool(W)_t + B_t + Σ_j prior_tj · Cue_tj
//
// where pool(W) is the sentence's features' rows of W, each weighed by
// FW, divided by the weights' Euclidean norm (or their sum without
// L2Pool), and prior_t the target's description features (priorFeatures).
type weights struct {
	Feats, Targets int
	// FW weighs each feature in the pool (IDF over the training rows; 0
	// for a feature never seen in training); nil means every feature
	// weighs 1 (models converted from format versions 1 and 2 only).
	FW []float32
	// L2Pool divides the weighted sum by the weights' Euclidean norm
	// (TF-IDF's normalisation); otherwise by their sum. Always true for
	// trained models; a converted old model may have either.
	L2Pool bool
	// W holds Targets·3 weights per feature (Feats × Targets·3): the
	// sparse path, a TF-IDF logistic regression per target.
	W []float32
	// B holds the Targets·3 intercepts.
	B []float32
	// Cue holds, per target, nPrior × 3 weights of the description
	// features (Targets × nPrior × 3); nil means no prior path.
	Cue []float32
}

// width is the number of weights per feature: one per target and value.
func (w *weights) width() int { return w.Targets * nValues }

func (w *weights) clone() *weights {
	c := *w
	c.FW = slices.Clone(w.FW)
	c.W = slices.Clone(w.W)
	c.B = slices.Clone(w.B)
	c.Cue = slices.Clone(w.Cue)
	return &c
}

// featWeight is feature f's weight in the pool.
func (w *weights) featWeight(f int32) float32 {
	if w.FW == nil {
		return 1
	}
	return w.FW[f]
}

// poolNorm returns the divisor of feats' pool: the Euclidean norm (or,
// without L2Pool, the sum) of their weights; 0 when none has weight.
func (w *weights) poolNorm(feats []int32) float32 {
	var norm float32
	for _, f := range feats {
		fw := w.featWeight(f)
		if w.L2Pool {
			norm += fw * fw
		} else {
			norm += fw
		}
	}
	if w.L2Pool {
		norm = float32(math.Sqrt(float64(norm)))
	}
	return norm
}

// logits writes every target's logits for a sentence with features feats
// and description features prior (Targets × nPrior; ignored without a
// prior path) into dst (len Targets), using acc (len Targets·3) as
// scratch.
func (w *weights) logits(dst [][nValues]float32, feats []int32, prior []float32, acc []float32) {
	k := w.width()
	clear(acc)
	if norm := w.poolNorm(feats); norm > 0 {
		inv := 1 / norm
		for _, f := range feats {
			fw := w.featWeight(f) * inv
			if fw == 0 {
				continue
			}
			row := w.W[int(f)*k : int(f)*k+k]
			for j, v := range row {
				acc[j] += fw * v
			}
		}
	}
	for t := range dst {
		z := &dst[t]
		for c := range nValues {
			z[c] = acc[t*nValues+c] + w.B[t*nValues+c]
		}
		if w.Cue == nil {
			continue
		}
		p := prior[t*nPrior : (t+1)*nPrior]
		cue := w.Cue[t*nPrior*nValues : (t+1)*nPrior*nValues]
		for j, x := range p {
			if x == 0 {
				continue
			}
			for c := range nValues {
				z[c] += x * cue[j*nValues+c]
			}
		}
	}
}

// softmax returns the probabilities of logits z, after subtracting shift
// (which undoes the class weighting's inflation of rare values) and
// dividing by the temperature temp.
func softmax(z [nValues]float32, shift [nValues]float64, temp float64) [nValues]float64 {
	var s [nValues]float64
	m := math.Inf(-1)
	for c := range s {
		s[c] = (float64(z[c]) - shift[c]) / temp
		m = max(m, s[c])
	}
	var sum float64
	for c := range s {
		s[c] = math.Exp(s[c] - m)
		sum += s[c]
	}
	for c := range s {
		s[c] /= sum
	}
	return s
}

// maxWeight bounds every weight of a model file: trained weights are
// far smaller, and a sentence's sum of a few thousand such weights stays
// finite in float32.
const maxWeight = 1e6

// finite reports whether every weight is a finite number within
// ±maxWeight (feature weights: non-negative).
func (w *weights) finite() bool {
	for i, xs := range [][]float32{w.FW, w.W, w.B, w.Cue} {
		for _, x := range xs {
			if !(x >= -maxWeight && x <= maxWeight) || (i == 0 && x < 0) {
				return false
			}
		}
	}
	return true
}
