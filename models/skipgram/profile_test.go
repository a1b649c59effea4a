package skipgram

// Gorgonia or a plain loop? One skip-gram/negative-sampling step (one
// centre, one context, Negative negatives) is a 6×dim matrix-vector
// product, a sigmoid and two rank-one updates: a few thousand flops. These
// benchmarks time that step both ways; `go test -bench SGNSStep
// -cpuprofile` shows where the gorgonia time goes (see doc.go).

import (
	"math/rand/v2"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

const (
	profDim   = 100
	profVocab = 8000
	profNeg   = 5
)

func profMatrices() (in, out []float32, rng *rand.Rand) {
	rng = rand.New(rand.NewPCG(1, 1))
	in = make([]float32, profVocab*profDim)
	out = make([]float32, profVocab*profDim)
	for i := range in {
		in[i] = (rng.Float32()*2 - 1) / profDim
		out[i] = (rng.Float32()*2 - 1) / profDim
	}
	return in, out, rng
}

// BenchmarkSGNSStepLoop is the training loop's own update, as in work.
func BenchmarkSGNSStepLoop(b *testing.B) {
	in, out, rng := profMatrices()
	grad := make([]float32, profDim)
	const lr = 0.025
	b.ReportAllocs()
	for b.Loop() {
		centre, target := rng.IntN(profVocab), rng.IntN(profVocab)
		h := in[centre*profDim : (centre+1)*profDim]
		clear(grad)
		for n := 0; n <= profNeg; n++ {
			tok, label := target, float32(1)
			if n > 0 {
				tok, label = rng.IntN(profVocab), 0
			}
			o := out[tok*profDim : (tok+1)*profDim]
			g := (label - sigmoid(dotBLAS(h, o))) * lr
			axpyBLAS(g, o, grad)
			axpyBLAS(g, h, o)
		}
		axpyBLAS(1, grad, h)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "steps/s")
}

// BenchmarkSGNSStepGorgonia computes the same step's loss and gradients
// with a gorgonia graph built once (loss = -Σ log σ(z ⊙ O·h), z = +1 for
// the context and -1 for the negatives), copying the rows in and the
// gradients out as a trainer would have to.
func BenchmarkSGNSStepGorgonia(b *testing.B) {
	in, out, rng := profMatrices()
	g := G.NewGraph()
	h := G.NewVector(g, tensor.Float32, G.WithShape(profDim), G.WithName("h"))
	o := G.NewMatrix(g, tensor.Float32, G.WithShape(profNeg+1, profDim), G.WithName("o"))
	zs := make([]float32, profNeg+1)
	zs[0] = 1
	for i := 1; i <= profNeg; i++ {
		zs[i] = -1
	}
	z := G.NewVector(g, tensor.Float32, G.WithShape(profNeg+1), G.WithName("z"),
		G.WithValue(tensor.New(tensor.WithShape(profNeg+1), tensor.WithBacking(zs))))
	loss := G.Must(G.Neg(G.Must(G.Sum(G.Must(G.Log(G.Must(G.Sigmoid(G.Must(G.HadamardProd(z, G.Must(G.Mul(o, h))))))))))))
	grads, err := G.Grad(loss, h, o)
	if err != nil {
		b.Fatal(err)
	}
	hBack := make([]float32, profDim)
	oBack := make([]float32, (profNeg+1)*profDim)
	hT := tensor.New(tensor.WithShape(profDim), tensor.WithBacking(hBack))
	oT := tensor.New(tensor.WithShape(profNeg+1, profDim), tensor.WithBacking(oBack))
	vm := G.NewTapeMachine(g)
	defer vm.Close()
	rows := make([]int, profNeg+1)
	const lr = 0.025
	b.ReportAllocs()
	for b.Loop() {
		centre := rng.IntN(profVocab)
		for i := range rows {
			rows[i] = rng.IntN(profVocab)
		}
		copy(hBack, in[centre*profDim:])
		for i, r := range rows {
			copy(oBack[i*profDim:(i+1)*profDim], out[r*profDim:])
		}
		if err := G.Let(h, hT); err != nil {
			b.Fatal(err)
		}
		if err := G.Let(o, oT); err != nil {
			b.Fatal(err)
		}
		if err := vm.RunAll(); err != nil {
			b.Fatal(err)
		}
		gh := grads[0].Value().Data().([]float32)
		gO := grads[1].Value().Data().([]float32)
		axpy(-lr, gh, in[centre*profDim:(centre+1)*profDim])
		for i, r := range rows {
			axpy(-lr, gO[i*profDim:(i+1)*profDim], out[r*profDim:(r+1)*profDim])
		}
		vm.Reset()
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "steps/s")
}
