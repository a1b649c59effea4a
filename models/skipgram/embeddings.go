package skipgram

import (
	"cmp"
	"math"
	"slices"
	"sync"

	"github.com/stance-project/stance/pipeline/subword"
)

// Embeddings are token vectors learned by Train, together with the
// tokenizer that defines the token ids and the settings that produced them.
//
// Vectors is row-major VocabSize×Dim: row i (Vectors[i*Dim:(i+1)*Dim]) is
// the input vector of token id i. Counts[i] is how often token i occurred in
// the training corpus (one pass). len(Counts) is the vocabulary size and
// equals Tokenizer.VocabSize() for a loaded or trained value.
//
// The zero value is not usable; build one with Train or Load. Nearest and
// the other read methods are safe for concurrent use once the value is no
// longer being modified.
type Embeddings struct {
	Tokenizer *subword.Tokenizer
	Dim       int
	Vectors   []float32
	Counts    []int64

	// Config is the training configuration (informational on Load).
	Config Config
	// Epochs is the number of complete epochs the vectors went through.
	Epochs int
	// Words and Tokens are the whitespace words and subword tokens in one
	// pass over the training corpus.
	Words, Tokens int64

	normOnce sync.Once
	unit     []float32 // rows scaled to unit length, computed lazily
}

// Neighbour is one result of Nearest: a token and its cosine similarity to
// the query.
type Neighbour struct {
	Token  string
	ID     int
	Cosine float64
}

// VocabSize is the number of rows of Vectors.
func (e *Embeddings) VocabSize() int { return len(e.Counts) }

// Vector returns the row of token id as a slice aliasing Vectors. It panics
// if id is out of range.
func (e *Embeddings) Vector(id int) []float32 {
	return e.Vectors[id*e.Dim : (id+1)*e.Dim : (id+1)*e.Dim]
}

// WordVector embeds text (typically one word) as the average of the
// vectors of its subword tokens. It returns nil if text has no tokens.
func (e *Embeddings) WordVector(text string) []float32 {
	return e.averageOf(e.Tokenizer.IDs(text))
}

func (e *Embeddings) averageOf(ids []int) []float32 {
	if len(ids) == 0 {
		return nil
	}
	v := make([]float32, e.Dim)
	for _, id := range ids {
		for j, x := range e.Vector(id) {
			v[j] += x
		}
	}
	inv := 1 / float32(len(ids))
	for j := range v {
		v[j] *= inv
	}
	return v
}

// Nearest returns the k tokens nearest (by cosine) to word, embedded with
// WordVector, best first. The word's own tokens are left out. It returns nil
// if word has no tokens.
func (e *Embeddings) Nearest(word string, k int) []Neighbour {
	ids := e.Tokenizer.IDs(word)
	v := e.averageOf(ids)
	if v == nil {
		return nil
	}
	return e.NearestVector(v, k, ids...)
}

// NearestID returns the k tokens nearest to token id, best first, leaving
// out id itself. It panics if id is out of range.
func (e *Embeddings) NearestID(id, k int) []Neighbour {
	return e.NearestVector(e.Vector(id), k, id)
}

// NearestVector returns the k tokens whose vectors have the highest cosine
// with v, best first, leaving out the ids in exclude and the tokens that
// were never trained (Counts below Config.MinCount: their vectors are
// still random). Ties go to the lower id. A zero v gives cosines of 0;
// k <= 0 gives nil. It panics if len(v) != Dim.
func (e *Embeddings) NearestVector(v []float32, k int, exclude ...int) []Neighbour {
	if len(v) != e.Dim {
		panic("skipgram: NearestVector: vector length differs from Dim")
	}
	if k <= 0 {
		return nil
	}
	e.normOnce.Do(e.normalise)
	var qn float64
	for _, x := range v {
		qn += float64(x) * float64(x)
	}
	qn = math.Sqrt(qn)
	if qn == 0 {
		qn = 1
	}
	best := make([]Neighbour, 0, k+1)
	for id := range e.VocabSize() {
		if e.Counts[id] < int64(e.Config.MinCount) || slices.Contains(exclude, id) {
			continue
		}
		row := e.unit[id*e.Dim : (id+1)*e.Dim]
		var dot float64
		for j, x := range row {
			dot += float64(x) * float64(v[j])
		}
		c := dot / qn
		if len(best) == k && c <= best[k-1].Cosine {
			continue
		}
		n := Neighbour{Token: e.Tokenizer.Token(id), ID: id, Cosine: c}
		i, _ := slices.BinarySearchFunc(best, c, func(a Neighbour, c float64) int { return -cmp.Compare(a.Cosine, c) })
		// Keep equal cosines in id order: insert after existing equals.
		for i < len(best) && best[i].Cosine == c {
			i++
		}
		best = slices.Insert(best, i, n)
		if len(best) > k {
			best = best[:k]
		}
	}
	return best
}

// Cosine returns the cosine similarity of a and b (0 if either is zero).
func Cosine(a, b []float32) float64 {
	var dot, na, nb float64
	for i := range a {
		dot += float64(a[i]) * float64(b[i])
		na += float64(a[i]) * float64(a[i])
		nb += float64(b[i]) * float64(b[i])
	}
	if na == 0 || nb == 0 {
		return 0
	}
	return dot / math.Sqrt(na*nb)
}

func (e *Embeddings) normalise() {
	e.unit = make([]float32, len(e.Vectors))
	for id := range e.VocabSize() {
		row := e.Vector(id)
		var n float64
		for _, x := range row {
			n += float64(x) * float64(x)
		}
		if n == 0 {
			continue
		}
		inv := float32(1 / math.Sqrt(n))
		out := e.unit[id*e.Dim : (id+1)*e.Dim]
		for j, x := range row {
			out[j] = x * inv
		}
	}
}
