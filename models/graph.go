package models

import (
	"fmt"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// objective is the training objective of the whole model as a gorgonia
// graph (float64, one full batch of n rows), with its gradients:
//
//	z_t   = pooled_t + b_t                  (the model of a labelled target)
//	d_t   = prior_t·V + c                   (the description model, shared)
//	cost  = −Σ_t Σ_i y_ti · (log softmax(z_ti) + log softmax(d_ti))
//	      + L2/2 · Σ P ⊙ W² + PriorL2/2 · (‖V − V₀‖² + ‖c − c₀‖²)
//
// P holds each weight's share of the L2 penalty, a fixed input
// (evidencePenalty: 1, or less for a feature over-represented in its
// value's rows).
// y_ti is row i's class weight times its one-hot label divided by the
// number of rows labelled for t (zero for a row without a label), so
// each target's data term is its mean class-weighted cross-entropy.
// pooled_t is the rows' pooled sparse weights W (see weights.logits):
// the pooling is a gather of a few hundred rows of W per sentence, which
// Go does (a dense rows × features matrix would be almost all zeros); W
// itself is an input node too, the rows any training sentence uses, so
// that the graph computes its penalty and gradient; Go adds the pooled
// gradient back to those rows (the chain rule through the gather).
//
// The description model reads only prior_t, the counts of target t's
// description words (priorFeatures), with weights V and intercepts c that
// every target shares: it learns from the labelled targets what a match
// of a description's words says, and it is what a target without labels
// is predicted by. V₀ and c₀ (priorMeans, priorBias) hold it where no
// target has labels. It does not enter the labelled targets' logits: in
// cross-validation, adding it there (shared or per-target weights, any
// penalty from 0.1 to 100) cost 0.1 mean F_avg, as the class weights
// then push every sentence with a cue word to the rare values.
//
// Its shapes are fixed: one objective per training set.
type objective struct {
	g      *G.ExprGraph
	vm     G.VM
	in     []*G.Node // every input, in the order of vals
	vals   []*tensor.Dense
	grads  []*G.Node // inputs whose gradient is read
	cost   *G.Node
	costV  G.Value
	logits []*G.Node
	logitV []G.Value
}

// objective input indexes, per target where the name says so.
type objectiveLayout struct {
	nT, n, u  int
	prior     bool
	pooled, y []int // per target
	pr        []int // per target prior features (prior only)
	b         []int // per target intercepts
	vs, c     int   // the description model's weights and intercepts (prior only)
	v0, c0    int   // their prior means
	w         int   // the W rows in use, u × nT·3
	pen       int   // their penalty multipliers P, u × nT·3
}

// newObjective builds the graph for n rows, nT targets and u rows of W.
// gorgonia's constructors panic; the caller recovers.
func newObjective(n, nT, u int, prior bool, l2, priorL2 float64) (*objective, objectiveLayout, error) {
	o := &objective{g: G.NewGraph()}
	lay := objectiveLayout{nT: nT, n: n, u: u, prior: prior}
	g := o.g
	input := func(name string, shape ...int) int {
		t := tensor.New(tensor.WithShape(shape...), tensor.Of(tensor.Float64))
		var nd *G.Node
		if len(shape) == 1 {
			nd = G.NewVector(g, tensor.Float64, G.WithShape(shape...), G.WithName(name), G.WithValue(t))
		} else {
			nd = G.NewMatrix(g, tensor.Float64, G.WithShape(shape...), G.WithName(name), G.WithValue(t))
		}
		o.in, o.vals = append(o.in, nd), append(o.vals, t)
		return len(o.in) - 1
	}
	k := nT * nValues
	lay.w = input("W", u, k)
	lay.pen = input("P", u, k)
	if prior {
		lay.vs = input("V", nPrior, nValues)
		lay.v0 = input("V0", nPrior, nValues)
		lay.c = input("c", nValues)
		lay.c0 = input("c0", nValues)
	}
	for t := range nT {
		lay.pooled = append(lay.pooled, input(fmt.Sprintf("pooled%d", t), n, nValues))
		lay.y = append(lay.y, input(fmt.Sprintf("y%d", t), n, nValues))
		lay.b = append(lay.b, input(fmt.Sprintf("b%d", t), nValues))
		if prior {
			lay.pr = append(lay.pr, input(fmt.Sprintf("prior%d", t), n, nPrior))
		}
	}
	N := func(i int) *G.Node { return o.in[i] }
	var err error
	must := func(n *G.Node, e error) *G.Node {
		if e != nil && err == nil {
			err = e
		}
		return n
	}
	sq := func(x *G.Node) *G.Node { return must(G.Sum(must(G.Square(x)))) }
	add := func(a, b *G.Node) *G.Node {
		if a == nil {
			return b
		}
		return must(G.Add(a, b))
	}
	var data *G.Node
	for t := range nT {
		z := must(G.BroadcastAdd(N(lay.pooled[t]), N(lay.b[t]), nil, []byte{0}))
		o.logits = append(o.logits, z)
		data = add(data, must(G.Sum(must(G.HadamardProd(N(lay.y[t]), must(G.LogSoftMax(z)))))))
		if prior {
			d := must(G.BroadcastAdd(must(G.Mul(N(lay.pr[t]), N(lay.vs))), N(lay.c), nil, []byte{0}))
			data = add(data, must(G.Sum(must(G.HadamardProd(N(lay.y[t]), must(G.LogSoftMax(d)))))))
		}
	}
	cost := must(G.Neg(data))
	ridge := must(G.Sum(must(G.HadamardProd(N(lay.pen), must(G.Square(N(lay.w)))))))
	cost = add(cost, must(G.Mul(G.NewConstant(l2/2), ridge)))
	if prior {
		pen := add(sq(must(G.Sub(N(lay.vs), N(lay.v0)))), sq(must(G.Sub(N(lay.c), N(lay.c0)))))
		cost = add(cost, must(G.Mul(G.NewConstant(priorL2/2), pen)))
	}
	if err != nil {
		return nil, lay, err
	}
	o.cost = cost
	G.Read(o.cost, &o.costV)
	o.logitV = make([]G.Value, nT)
	for t, z := range o.logits {
		G.Read(z, &o.logitV[t])
	}
	o.grads = G.Nodes{N(lay.w)}
	if prior {
		o.grads = append(o.grads, N(lay.vs), N(lay.c))
	}
	for t := range nT {
		o.grads = append(o.grads, N(lay.pooled[t]), N(lay.b[t]))
	}
	if _, err := G.Grad(o.cost, o.grads...); err != nil {
		return nil, lay, err
	}
	prog, locMap, err := G.Compile(g)
	if err != nil {
		return nil, lay, err
	}
	o.vm = G.NewTapeMachine(g, G.WithPrecompiled(prog, locMap), G.BindDualValues(o.grads...))
	return o, lay, nil
}

// data returns input i's backing array, for the caller to fill.
func (o *objective) data(i int) []float64 { return o.vals[i].Data().([]float64) }

// run evaluates the cost and the gradients of the inputs filled in.
func (o *objective) run() (float64, error) {
	for i, n := range o.in {
		if err := G.Let(n, o.vals[i]); err != nil {
			return 0, err
		}
	}
	if err := o.vm.RunAll(); err != nil {
		return 0, err
	}
	return o.costV.Data().(float64), nil
}

// grad returns input i's gradient after run. The slice aliases the
// gradient tensor: read it before reset.
func (o *objective) grad(i int) ([]float64, error) {
	v, err := o.in[i].Grad()
	if err != nil {
		return nil, err
	}
	d, ok := v.(*tensor.Dense)
	if !ok {
		return nil, fmt.Errorf("gradient of %s is %T", o.in[i].Name(), v)
	}
	return d.Data().([]float64), nil
}

// reset zeroes the gradients (the tape machine adds each run's into the
// bound dual values) and rewinds the machine for the next run.
func (o *objective) reset() error {
	for _, n := range o.grads {
		for i := range o.in {
			if o.in[i] != n {
				continue
			}
			g, err := o.grad(i)
			if err != nil {
				return err
			}
			clear(g)
		}
	}
	o.vm.Reset()
	return nil
}

func (o *objective) close() {
	if o.vm != nil {
		o.vm.Close()
	}
}
