package models

import (
	"fmt"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// graph is the gorgonia half of the model: from a batch of bag vectors
// (computed in Go from the embedding table) through the optional hidden
// layer and the per-target heads to the class-weighted cross-entropy.
// Its batch size is fixed; short batches are padded with zero-weight rows.
type graph struct {
	g      *G.ExprGraph
	batch  int
	bag    *G.Node   // batch × Dim input
	ys     []*G.Node // per target, batch × 3 inputs: class weight × one-hot / batch
	wide   []*G.Node // per target, batch × 3 inputs: the wide path's logits (nil without one)
	w1, b1 *G.Node
	wo, bo []*G.Node
	logp   []*G.Node // per target log-softmax, batch × 3
	cost   *G.Node
	learn  G.Nodes // trainable weight nodes, in a fixed order
	bagT   *tensor.Dense
	yT     []*tensor.Dense
	wideT  []*tensor.Dense
	vm     G.VM
	costV  G.Value
	logpV  []G.Value
}

// newGraph builds the graph for w and batch. With train set it also
// builds the symbolic gradients (of the weights and of the bag input,
// which the caller scatters to the embedding rows) and binds dual values.
// When w has a wide table, each target's logits also add an input node:
// the wide path's logits, computed in Go and fixed during the fit.
// gorgonia's constructors panic; the caller recovers.
func newGraph(w *weights, batch int, train bool) (*graph, error) {
	gr := &graph{g: G.NewGraph(), batch: batch}
	g := gr.g
	gr.bagT = tensor.New(tensor.WithShape(batch, w.Dim), tensor.Of(tensor.Float32))
	gr.bag = G.NewMatrix(g, tensor.Float32, G.WithShape(batch, w.Dim), G.WithName("bag"), G.WithValue(gr.bagT))
	param := func(name string, data []float32, shape ...int) *G.Node {
		t := tensor.New(tensor.WithShape(shape...), tensor.WithBacking(append([]float32(nil), data...)))
		var n *G.Node
		if len(shape) == 1 {
			n = G.NewVector(g, tensor.Float32, G.WithShape(shape...), G.WithName(name), G.WithValue(t))
		} else {
			n = G.NewMatrix(g, tensor.Float32, G.WithShape(shape...), G.WithName(name), G.WithValue(t))
		}
		gr.learn = append(gr.learn, n)
		return n
	}
	h := gr.bag
	var err error
	if w.Hidden > 0 {
		gr.w1 = param("w1", w.W1, w.Dim, w.Hidden)
		gr.b1 = param("b1", w.B1, w.Hidden)
		if h, err = G.Mul(gr.bag, gr.w1); err != nil {
			return nil, err
		}
		if h, err = G.BroadcastAdd(h, gr.b1, nil, []byte{0}); err != nil {
			return nil, err
		}
		if h, err = G.Rectify(h); err != nil {
			return nil, err
		}
	}
	in := w.in()
	var total *G.Node
	for t := range w.Targets {
		wo := param(fmt.Sprintf("wo%d", t), w.Wo[t], in, nValues)
		bo := param(fmt.Sprintf("bo%d", t), w.Bo[t], nValues)
		gr.wo, gr.bo = append(gr.wo, wo), append(gr.bo, bo)
		z, err := G.Mul(h, wo)
		if err != nil {
			return nil, err
		}
		if z, err = G.BroadcastAdd(z, bo, nil, []byte{0}); err != nil {
			return nil, err
		}
		if w.Wide != nil {
			wT := tensor.New(tensor.WithShape(batch, nValues), tensor.Of(tensor.Float32))
			wn := G.NewMatrix(g, tensor.Float32, G.WithShape(batch, nValues), G.WithName(fmt.Sprintf("wide%d", t)), G.WithValue(wT))
			gr.wide, gr.wideT = append(gr.wide, wn), append(gr.wideT, wT)
			if z, err = G.Add(z, wn); err != nil {
				return nil, err
			}
		}
		lp, err := G.LogSoftMax(z)
		if err != nil {
			return nil, err
		}
		gr.logp = append(gr.logp, lp)
		yT := tensor.New(tensor.WithShape(batch, nValues), tensor.Of(tensor.Float32))
		y := G.NewMatrix(g, tensor.Float32, G.WithShape(batch, nValues), G.WithName(fmt.Sprintf("y%d", t)), G.WithValue(yT))
		gr.ys, gr.yT = append(gr.ys, y), append(gr.yT, yT)
		prod, err := G.HadamardProd(y, lp)
		if err != nil {
			return nil, err
		}
		s, err := G.Sum(prod)
		if err != nil {
			return nil, err
		}
		if total == nil {
			total = s
		} else if total, err = G.Add(total, s); err != nil {
			return nil, err
		}
	}
	if gr.cost, err = G.Neg(total); err != nil {
		return nil, err
	}
	G.Read(gr.cost, &gr.costV)
	gr.logpV = make([]G.Value, len(gr.logp))
	for t, lp := range gr.logp {
		G.Read(lp, &gr.logpV[t])
	}
	if !train {
		gr.vm = G.NewTapeMachine(g)
		return gr, nil
	}
	wrt := append(G.Nodes{gr.bag}, gr.learn...)
	if _, err := G.Grad(gr.cost, wrt...); err != nil {
		return nil, err
	}
	gr.vm = G.NewTapeMachine(g, G.BindDualValues(wrt...))
	return gr, nil
}

// run feeds the bag matrix (already written into bagT) and targets and
// runs forward and, for a training graph, backward.
func (gr *graph) run() error {
	if err := G.Let(gr.bag, gr.bagT); err != nil {
		return err
	}
	for t, y := range gr.ys {
		if err := G.Let(y, gr.yT[t]); err != nil {
			return err
		}
	}
	for t, n := range gr.wide {
		if err := G.Let(n, gr.wideT[t]); err != nil {
			return err
		}
	}
	return gr.vm.RunAll()
}

// bagGrad returns dCost/dBag after a training run (batch × Dim, row-major).
// The slice aliases the gradient tensor: use it before clearBagGrad.
func (gr *graph) bagGrad() ([]float32, error) { return nodeGrad(gr.bag) }

func nodeGrad(n *G.Node) ([]float32, error) {
	v, err := n.Grad()
	if err != nil {
		return nil, err
	}
	d, ok := v.(*tensor.Dense)
	if !ok {
		return nil, fmt.Errorf("bag gradient is %T", v)
	}
	return d.Data().([]float32), nil
}

// clearBagGrad zeroes the bag's gradient. gorgonia's tape machine adds
// each run's gradients into the bound dual values; the solver zeroes the
// weights' gradients in Step, but the bag is no solver parameter.
func (gr *graph) clearBagGrad() error {
	g, err := gr.bagGrad()
	if err != nil {
		return err
	}
	clear(g)
	return nil
}

// export copies the graph's current weights into w (the embedding table
// lives outside the graph and is left alone).
func (gr *graph) export(w *weights) {
	get := func(n *G.Node, dst []float32) {
		copy(dst, n.Value().Data().([]float32))
	}
	if w.Hidden > 0 {
		get(gr.w1, w.W1)
		get(gr.b1, w.B1)
	}
	for t := range gr.wo {
		get(gr.wo[t], w.Wo[t])
		get(gr.bo[t], w.Bo[t])
	}
}

func (gr *graph) close() {
	if gr.vm != nil {
		gr.vm.Close()
	}
}
