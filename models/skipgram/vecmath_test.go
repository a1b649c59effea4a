package skipgram

import (
	"math"
	"math/rand/v2"
	"testing"
)

// The BLAS kernels must agree with the plain loops (the reference).
func TestVectorKernels(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	for _, n := range []int{1, 3, 4, 7, 100, 301} {
		x, y := make([]float32, n), make([]float32, n)
		for i := range x {
			x[i], y[i] = rng.Float32()-0.5, rng.Float32()-0.5
		}
		if a, b := dot(x, y), dotBLAS(x, y); math.Abs(float64(a-b)) > 1e-5 {
			t.Errorf("n=%d: dot %v, BLAS %v", n, a, b)
		}
		y1, y2 := append([]float32(nil), y...), append([]float32(nil), y...)
		axpy(0.3, x, y1)
		axpyBLAS(0.3, x, y2)
		for i := range y1 {
			if math.Abs(float64(y1[i]-y2[i])) > 1e-6 {
				t.Fatalf("n=%d: axpy differs at %d: %v vs %v", n, i, y1[i], y2[i])
			}
		}
	}
	for _, x := range []float32{-20, -8, -1, 0, 0.5, 8, 20} {
		if got, want := sigmoid(x), 1/(1+math.Exp(-float64(x))); math.Abs(float64(got)-want) > 0.02 {
			t.Errorf("sigmoid(%v) = %v, want %v", x, got, want)
		}
	}
}

func BenchmarkDot(b *testing.B) {
	x, y := make([]float32, 100), make([]float32, 100)
	var sink float32
	b.Run("plain", func(b *testing.B) {
		for b.Loop() {
			sink += dot(x, y)
		}
	})
	b.Run("blas", func(b *testing.B) {
		for b.Loop() {
			sink += dotBLAS(x, y)
		}
	})
	_ = sink
}

func BenchmarkAxpy(b *testing.B) {
	x, y := make([]float32, 100), make([]float32, 100)
	b.Run("plain", func(b *testing.B) {
		for b.Loop() {
			axpy(1e-3, x, y)
		}
	})
	b.Run("blas", func(b *testing.B) {
		for b.Loop() {
			axpyBLAS(1e-3, x, y)
		}
	})
}
