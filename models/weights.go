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
	// Wide is the wide (linear) path of training (Config.Wide): per
	// feature, Targets·3 weights added straight to the logits, pooled as
	// the bag is (Feats × Targets·3), and WideB its Targets·3 intercepts;
	// nil without one. They exist only during training: mergeWide folds
	// them into Emb and the heads.
	Wide, WideB []float32
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
	c.Wide = slices.Clone(w.Wide)
	c.WideB = slices.Clone(w.WideB)
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
	return w.pool(dst, w.Emb, w.Dim, feats)
}

// pool writes into dst (len width) the rows of table (width values per
// feature) pooled over feats as bag pools the embeddings: weighted by
// featWeight, divided by the weights' sum or, with L2Pool, their
// Euclidean norm. It returns that divisor, 0 (and a zero dst) when no
// feature has weight.
func (w *weights) pool(dst, table []float32, width int, feats []int32) float32 {
	clear(dst)
	var norm float32
	for _, f := range feats {
		fw := w.featWeight(f)
		if fw == 0 {
			continue
		}
		if w.L2Pool {
			norm += fw * fw
		} else {
			norm += fw
		}
		row := table[int(f)*width : int(f)*width+width]
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

// wideWidth is the number of wide weights per feature: one per target
// and value.
func (w *weights) wideWidth() int { return w.Targets * nValues }

// wideLogits writes into dst (len Targets·3) the wide path's logits for
// feats: WideB plus the sum of FW[f]·Wide[f] divided by the pooling
// divisor of bag (so the wide path pools exactly as the bag does). It
// leaves dst zero without a wide table.
func (w *weights) wideLogits(dst []float32, feats []int32) {
	if w.Wide == nil {
		clear(dst)
		return
	}
	w.pool(dst, w.Wide, w.wideWidth(), feats)
	for j, b := range w.WideB {
		dst[j] += b
	}
}

// forward writes every target's logits for feats into dst (len Targets),
// wide path included, using the scratch slices bag (len Dim), hb (len
// max(Hidden, 1)) and wide (len Targets·3). It is the training-time
// forward pass; a model's weights have their wide table merged
// (mergeWide) and need only bag, hidden and logits.
func (w *weights) forward(dst [][nValues]float32, feats []int32, bag, hb, wide []float32) {
	w.bag(bag, feats)
	h := w.hidden(hb, bag)
	w.wideLogits(wide, feats)
	for t := range dst {
		w.logits(&dst[t], t, h)
		if w.Wide != nil {
			for c := range nValues {
				dst[t][c] += wide[t*nValues+c]
			}
		}
	}
}

// mergeWide returns weights without a wide table whose logits equal w's
// logits with it, so that inference and the model file need no wide
// path. Without a hidden layer the wide table becomes Targets·3 more
// embedding columns, each read by an identity block of its target's
// head. With one, each such column x passes the ReLU layer as two units
// relu(x) and relu(-x), which the head weighs +1 and -1 (their
// difference is x exactly, as one of them is 0). w itself is unchanged;
// without a wide table mergeWide returns w.
func mergeWide(w *weights) *weights {
	if w.Wide == nil {
		return w
	}
	k := w.wideWidth()
	out := &weights{Feats: w.Feats, Dim: w.Dim + k, Targets: w.Targets, FW: w.FW, L2Pool: w.L2Pool}
	out.Emb = make([]float32, out.Feats*out.Dim)
	for f := range w.Feats {
		copy(out.Emb[f*out.Dim:], w.Emb[f*w.Dim:(f+1)*w.Dim])
		copy(out.Emb[f*out.Dim+w.Dim:], w.Wide[f*k:(f+1)*k])
	}
	in := w.in()
	if w.Hidden > 0 {
		out.Hidden = w.Hidden + 2*k
		h := out.Hidden
		out.W1 = make([]float32, out.Dim*h)
		for d := range w.Dim {
			copy(out.W1[d*h:], w.W1[d*w.Hidden:(d+1)*w.Hidden])
		}
		for j := range k {
			out.W1[(w.Dim+j)*h+w.Hidden+j] = 1
			out.W1[(w.Dim+j)*h+w.Hidden+k+j] = -1
		}
		out.B1 = append(slices.Clone(w.B1), make([]float32, 2*k)...)
	}
	outIn := out.in()
	for t := range w.Targets {
		wo := make([]float32, outIn*nValues)
		copy(wo, w.Wo[t][:in*nValues])
		for c := range nValues {
			j := t*nValues + c
			wo[(in+j)*nValues+c] = 1
			if w.Hidden > 0 {
				wo[(in+k+j)*nValues+c] = -1
			}
		}
		out.Wo = append(out.Wo, wo)
		bo := slices.Clone(w.Bo[t])
		for c := range bo {
			bo[c] += w.WideB[t*nValues+c]
		}
		out.Bo = append(out.Bo, bo)
	}
	return out
}
