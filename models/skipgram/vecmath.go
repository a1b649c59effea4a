package skipgram

import (
	"math"

	"gonum.org/v1/gonum/blas/gonum"
)

// blas gives SIMD (SSE) dot and axpy on amd64 through gonum's assembly
// kernels: about 3× (dot) and 1.6× (axpy) the plain loops at dim 100.
var blas gonum.Implementation

// dotBLAS and axpyBLAS are the hot-loop forms; len(a) == len(b).
func dotBLAS(a, b []float32) float32 { return blas.Sdot(len(a), a, 1, b, 1) }

func axpyBLAS(alpha float32, x, y []float32) { blas.Saxpy(len(x), alpha, x, 1, y, 1) }

// dot returns the inner product of a and b (len(b) >= len(a)), unrolled by
// four: Go does not vectorise, and this loop is most of the training time.
func dot(a, b []float32) float32 {
	b = b[:len(a)]
	var s0, s1, s2, s3 float32
	i := 0
	for ; i+4 <= len(a); i += 4 {
		s0 += a[i] * b[i]
		s1 += a[i+1] * b[i+1]
		s2 += a[i+2] * b[i+2]
		s3 += a[i+3] * b[i+3]
	}
	for ; i < len(a); i++ {
		s0 += a[i] * b[i]
	}
	return (s0 + s1) + (s2 + s3)
}

// axpy adds alpha*x to y (len(y) >= len(x)).
func axpy(alpha float32, x, y []float32) {
	y = y[:len(x)]
	i := 0
	for ; i+4 <= len(x); i += 4 {
		y[i] += alpha * x[i]
		y[i+1] += alpha * x[i+1]
		y[i+2] += alpha * x[i+2]
		y[i+3] += alpha * x[i+3]
	}
	for ; i < len(x); i++ {
		y[i] += alpha * x[i]
	}
}

// Sigmoid and log lookup tables, as in word2vec and fastText: exact math
// costs more than the rest of an update.
const (
	sigmoidTableSize = 512
	maxSigmoid       = 8
	logTableSize     = 512
)

var sigmoidTable, logTable = func() (s, l [sigmoidTableSize + 1]float32) {
	for i := range s {
		x := float64(i*2*maxSigmoid)/sigmoidTableSize - maxSigmoid
		s[i] = float32(1 / (1 + math.Exp(-x)))
	}
	for i := range l {
		x := (float64(i) + 1e-5) / logTableSize
		l[i] = float32(math.Log(x))
	}
	return
}()

func sigmoid(x float32) float32 {
	if x < -maxSigmoid {
		return 0
	}
	if x > maxSigmoid {
		return 1
	}
	return sigmoidTable[int((x+maxSigmoid)*(sigmoidTableSize/maxSigmoid/2))]
}

// logApprox is log(x) for x in [0, 1], from the table (log(1e-5/512) at 0).
func logApprox(x float32) float32 {
	if x >= 1 {
		return 0
	}
	return logTable[int(x*logTableSize)]
}
