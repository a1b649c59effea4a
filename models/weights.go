package models

import (
	"math"
	"math/rand/v2"
	"slices"
)

// nValues is the number of values of every target: favor, against, none
// (labels.Taxonomy.Validate guarantees it).
const nValues = 3

// weights are the trainable parameters, stored row-major exactly as the
// gorgonia tensors hold them, so the plain-Go forward pass reads them
// directly.
type weights struct {
	Feats, Dim, Hidden, Targets int
	Emb                         []float32   // Feats × Dim
	W1, B1                      []float32   // Dim × Hidden, Hidden (Hidden > 0)
	Wo, Bo                      [][]float32 // per target: In × 3, 3
	// FW weighs each feature in the bag (IDF; 0 for a feature never seen
	// in training); nil means every feature weighs 1.
	FW []float32
	// L2Pool divides the weighted sum by the weights' Euclidean norm
	// (as TF-IDF normalises); otherwise by their sum (an average).
	L2Pool bool
}

// in is the width of the heads' input.
func (w *weights) in() int {
	if w.Hidden > 0 {
		return w.Hidden
	}
	return w.Dim
}

// newWeights draws initial weights from rng: embeddings uniform in
// ±1/Dim (fastText's choice), dense layers Glorot-uniform, biases zero.
func newWeights(rng *rand.Rand, feats, dim, hidden, targets int) *weights {
	w := &weights{Feats: feats, Dim: dim, Hidden: hidden, Targets: targets}
	w.Emb = uniform(rng, feats*dim, 1/float64(dim))
	if hidden > 0 {
		w.W1 = uniform(rng, dim*hidden, math.Sqrt(6/float64(dim+hidden)))
		w.B1 = make([]float32, hidden)
	}
	in := w.in()
	for range targets {
		w.Wo = append(w.Wo, uniform(rng, in*nValues, math.Sqrt(6/float64(in+nValues))))
		w.Bo = append(w.Bo, make([]float32, nValues))
	}
	return w
}

func uniform(rng *rand.Rand, n int, limit float64) []float32 {
	out := make([]float32, n)
	for i := range out {
		out[i] = float32((rng.Float64()*2 - 1) * limit)
	}
	return out
}

func (w *weights) clone() *weights {
	c := *w
	c.Emb = slices.Clone(w.Emb)
	c.W1 = slices.Clone(w.W1)
	c.B1 = slices.Clone(w.B1)
	c.FW = slices.Clone(w.FW)
	c.Wo = make([][]float32, len(w.Wo))
	c.Bo = make([][]float32, len(w.Bo))
	for t := range w.Wo {
		c.Wo[t] = slices.Clone(w.Wo[t])
		c.Bo[t] = slices.Clone(w.Bo[t])
	}
	return &c
}

// bag writes the pooled embedding rows of feats into dst: the sum of
// FW[f]·Emb[f] divided by the weights' sum (or Euclidean norm with
// L2Pool). It returns that divisor, 0 (and a zero bag) when no feature has
// weight.
func (w *weights) bag(dst []float32, feats []int32) float32 {
	clear(dst)
	d := w.Dim
	var norm float32
	for _, f := range feats {
		fw := float32(1)
		if w.FW != nil {
			if fw = w.FW[f]; fw == 0 {
				continue
			}
		}
		if w.L2Pool {
			norm += fw * fw
		} else {
			norm += fw
		}
		row := w.Emb[int(f)*d : int(f)*d+d]
		for j, v := range row {
			dst[j] += fw * v
		}
	}
	if norm == 0 {
		return 0
	}
	if w.L2Pool {
		norm = float32(math.Sqrt(float64(norm)))
	}
	inv := 1 / norm
	for j := range dst {
		dst[j] *= inv
	}
	return norm
}

// featWeight is feature f's weight in the bag.
func (w *weights) featWeight(f int32) float32 {
	if w.FW == nil {
		return 1
	}
	return w.FW[f]
}

// hidden writes the hidden layer of bag into dst (len Hidden); it is the
// identity (dst unused) without a hidden layer.
func (w *weights) hidden(dst, bag []float32) []float32 {
	if w.Hidden == 0 {
		return bag
	}
	h := w.Hidden
	copy(dst, w.B1)
	for d, x := range bag {
		if x == 0 {
			continue
		}
		row := w.W1[d*h : d*h+h]
		for j, v := range row {
			dst[j] += x * v
		}
	}
	for j, v := range dst {
		if v < 0 {
			dst[j] = 0
		}
	}
	return dst
}

// logits writes target t's three logits for the heads' input h.
func (w *weights) logits(dst *[nValues]float32, t int, h []float32) {
	wo, bo := w.Wo[t], w.Bo[t]
	z0, z1, z2 := bo[0], bo[1], bo[2]
	for i, x := range h {
		r := wo[i*nValues : i*nValues+nValues]
		z0 += x * r[0]
		z1 += x * r[1]
		z2 += x * r[2]
	}
	dst[0], dst[1], dst[2] = z0, z1, z2
}

// softmax returns the probabilities of logits z, after subtracting shift
// (the log class weights, so that class weighting does not inflate rare
// values) and dividing by the temperature temp.
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
