package models

import (
	"math"
)

// fitWide fits w's wide path (Config.Wide) on train and stores it in
// w.Wide and w.WideB: per target, the multinomial logistic regression
// over the pooled features (each occurrence of feature f weighs
// FW[f]/divisor, as in the bag) minimising the mean class-weighted
// cross-entropy over the rows labelled for that target plus
// l2/2·‖W‖², intercepts unpenalised. Only features occurring in train
// get weights (the penalty keeps the others at 0). L-BFGS (gonum) runs
// to convergence, one evaluation at a time, so the fit is deterministic.
// The deep heads' biases are zeroed: the wide intercepts take the base
// rates.
func fitWide(w *weights, train []example, cw [][nValues]float64, l2 float64) {
	k := w.wideWidth()
	w.Wide = make([]float32, w.Feats*k)
	w.WideB = make([]float32, k)
	local := make([]int32, w.Feats) // feature id → 1 + column, 0 if absent
	for t := range w.Targets {
		clear(w.Bo[t])
		// The sparse design: per labelled row, (column, value) pairs.
		var cols []int32
		var ids []int32
		var vals []float64
		var start []int
		var ys []int8
		var wts []float64
		clear(local)
		ids = ids[:0]
		for _, e := range train {
			l := e.labels[t]
			if l < 0 {
				continue
			}
			var norm float64
			for _, f := range e.feats {
				fw := float64(w.featWeight(f))
				if w.L2Pool {
					norm += fw * fw
				} else {
					norm += fw
				}
			}
			if w.L2Pool {
				norm = math.Sqrt(norm)
			}
			start = append(start, len(cols))
			ys = append(ys, l)
			wts = append(wts, cw[t][l])
			if norm == 0 {
				continue
			}
			for _, f := range e.feats {
				fw := float64(w.featWeight(f))
				if fw == 0 {
					continue
				}
				if local[f] == 0 {
					ids = append(ids, f)
					local[f] = int32(len(ids))
				}
				cols = append(cols, local[f]-1)
				vals = append(vals, fw/norm)
			}
		}
		n := len(ys)
		if n == 0 {
			continue
		}
		start = append(start, len(cols))
		nf := len(ids)
		dim := nf*nValues + nValues // weights, then intercepts
		invN := 1 / float64(n)
		eval := func(x, grad []float64) float64 {
			if grad != nil {
				clear(grad)
			}
			b := x[nf*nValues:]
			var loss float64
			for i := range n {
				var z [nValues]float64
				copy(z[:], b)
				for j := start[i]; j < start[i+1]; j++ {
					o, v := int(cols[j])*nValues, vals[j]
					z[0] += v * x[o]
					z[1] += v * x[o+1]
					z[2] += v * x[o+2]
				}
				m := max(z[0], z[1], z[2])
				var s float64
				for c := range z {
					z[c] = math.Exp(z[c] - m)
					s += z[c]
				}
				y := int(ys[i])
				loss -= wts[i] * invN * math.Log(z[y]/s)
				if grad == nil {
					continue
				}
				var d [nValues]float64 // dLoss/dz
				for c := range d {
					d[c] = wts[i] * invN * z[c] / s
				}
				d[y] -= wts[i] * invN
				for c := range d {
					grad[nf*nValues+c] += d[c]
				}
				for j := start[i]; j < start[i+1]; j++ {
					o, v := int(cols[j])*nValues, vals[j]
					grad[o] += v * d[0]
					grad[o+1] += v * d[1]
					grad[o+2] += v * d[2]
				}
			}
			for j, xj := range x[:nf*nValues] {
				loss += 0.5 * l2 * xj * xj
				if grad != nil {
					grad[j] += l2 * xj
				}
			}
			return loss
		}
		x0 := make([]float64, dim)
		// Intercepts start at the log class-weighted frequencies.
		var cnt [nValues]float64
		for i := range n {
			cnt[ys[i]] += wts[i]
		}
		for c := range nValues {
			x0[nf*nValues+c] = math.Log(max(cnt[c], 0.5) * invN)
		}
		x := lbfgs(eval, x0, wideIters, 1e-6)
		for j, f := range ids {
			for c := range nValues {
				w.Wide[int(f)*k+t*nValues+c] = float32(x[j*nValues+c])
			}
		}
		for c := range nValues {
			w.WideB[t*nValues+c] = float32(x[nf*nValues+c])
		}
	}
}

// wideIters bounds the L-BFGS iterations of one wide fit; the fits on the
// project's gold labels converge well before it.
const wideIters = 500

// lbfgs minimises f from x0 by limited-memory BFGS (Nocedal & Wright,
// Algorithm 7.4; 10 correction pairs) with a backtracking Armijo line
// search, until the largest gradient component is below tol or after
// iters iterations or when the line search makes no progress, and
// returns the last point. f returns the value at x and, when grad is
// not nil, writes the gradient into it.
func lbfgs(f func(x, grad []float64) float64, x0 []float64, iters int, tol float64) []float64 {
	const mem, c1 = 10, 1e-4
	n := len(x0)
	x := append([]float64(nil), x0...)
	g := make([]float64, n)
	fx := f(x, g)
	var ss, ys [][]float64
	var rhos []float64
	d := make([]float64, n)
	xn := make([]float64, n)
	gn := make([]float64, n)
	alpha := make([]float64, mem)
	for it := 0; it < iters; it++ {
		gmax := 0.0
		for _, v := range g {
			gmax = max(gmax, math.Abs(v))
		}
		if gmax < tol {
			break
		}
		// Two-loop recursion: d = -H·g.
		for i, v := range g {
			d[i] = -v
		}
		for j := len(ss) - 1; j >= 0; j-- {
			alpha[j] = rhos[j] * dot(ss[j], d)
			axpy(-alpha[j], ys[j], d)
		}
		if k := len(ss) - 1; k >= 0 {
			scale(dot(ss[k], ys[k])/dot(ys[k], ys[k]), d)
		} else {
			scale(1/math.Max(1, math.Sqrt(dot(g, g))), d)
		}
		for j := range ss {
			beta := rhos[j] * dot(ys[j], d)
			axpy(alpha[j]-beta, ss[j], d)
		}
		slope := dot(g, d)
		if slope >= 0 { // not a descent direction: restart from the gradient
			ss, ys, rhos = ss[:0], ys[:0], rhos[:0]
			for i, v := range g {
				d[i] = -v
			}
			slope = dot(g, d)
		}
		step, fn := 1.0, 0.0
		ok := false
		for range 40 {
			for i := range x {
				xn[i] = x[i] + step*d[i]
			}
			fn = f(xn, gn)
			if fn <= fx+c1*step*slope {
				ok = true
				break
			}
			step /= 2
		}
		if !ok {
			break
		}
		s, y := make([]float64, n), make([]float64, n)
		for i := range x {
			s[i], y[i] = xn[i]-x[i], gn[i]-g[i]
		}
		if sy := dot(s, y); sy > 1e-12 {
			if len(ss) == mem {
				ss, ys, rhos = ss[1:], ys[1:], rhos[1:]
			}
			ss, ys, rhos = append(ss, s), append(ys, y), append(rhos, 1/sy)
		}
		x, xn = xn, x
		g, gn = gn, g
		fx = fn
	}
	return x
}

func dot(a, b []float64) float64 {
	var s float64
	for i, v := range a {
		s += v * b[i]
	}
	return s
}

func axpy(a float64, x, y []float64) {
	for i, v := range x {
		y[i] += a * v
	}
}

func scale(a float64, x []float64) {
	for i := range x {
		x[i] *= a
	}
}
