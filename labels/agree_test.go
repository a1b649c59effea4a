package labels

import (
	"bytes"
	"fmt"
	"math"
	"strings"
	"testing"
)

// rep returns n copies of v.
func rep(v string, n int) []string {
	return strings.Split(strings.Repeat(v+",", n)[:len(v)*n+n-1], ",")
}

func cat(parts ...[]string) []string {
	var out []string
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

func TestKappaAlpha(t *testing.T) {
	tests := []struct {
		name         string
		a, b         []string
		kappa, alpha float64
	}{
		{
			// Wikipedia's "Cohen's kappa" worked example: 50 items, both
			// yes 20, A yes/B no 5, A no/B yes 10, both no 15.
			// po = 35/50 = 0.7; pA(yes) = 25/50, pB(yes) = 30/50;
			// pe = 0.5*0.6 + 0.5*0.4 = 0.5; kappa = (0.7-0.5)/0.5 = 0.4.
			// Alpha by hand: n = 100 values, n_yes = 25+30 = 55, n_no = 45;
			// disagreeing pairs sum_{c!=k} o_ck = 2*(5+10) = 30;
			// sum_{c!=k} n_c n_k = 2*55*45 = 4950;
			// alpha = 1 - 99*30/4950 = 1 - 0.6 = 0.4.
			name:  "wikipedia kappa example",
			a:     cat(rep("yes", 20), rep("yes", 5), rep("no", 10), rep("no", 15)),
			b:     cat(rep("yes", 20), rep("no", 5), rep("yes", 10), rep("no", 15)),
			kappa: 0.4, alpha: 0.4,
		},
		{
			// 10 items: favor/favor 4, none/none 4, favor/none 1, none/favor 1.
			// po = 0.8; pA(favor) = pB(favor) = 0.5; pe = 0.5; kappa = 0.6.
			// n = 20, n_favor = n_none = 10; disagreeing pairs 2*2 = 4;
			// sum n_c n_k (c!=k) = 2*10*10 = 200; alpha = 1 - 19*4/200 = 0.62.
			name:  "symmetric 2x2",
			a:     cat(rep("favor", 4), rep("none", 4), []string{"favor", "none"}),
			b:     cat(rep("favor", 4), rep("none", 4), []string{"none", "favor"}),
			kappa: 0.6, alpha: 0.62,
		},
		{
			// Three values, 6 items: (f,f) (a,a) (n,n) (n,n) (f,n) (a,n).
			// po = 4/6; A: f 2, a 2, n 2; B: f 1, a 1, n 4;
			// pe = (2*1 + 2*1 + 2*4)/36 = 12/36 = 1/3;
			// kappa = (2/3 - 1/3)/(2/3) = 0.5.
			// n = 12; n_f = 3, n_a = 3, n_n = 6; sum n_c^2 = 9+9+36 = 54;
			// sum_{c!=k} n_c n_k = 144 - 54 = 90; disagreeing pairs = 2*2 = 4;
			// alpha = 1 - 11*4/90 = 1 - 44/90 = 0.5111...
			name:  "three values",
			a:     []string{"favor", "against", "none", "none", "favor", "against"},
			b:     []string{"favor", "against", "none", "none", "none", "none"},
			kappa: 0.5, alpha: 1 - 44.0/90,
		},
		{
			name: "perfect agreement", a: []string{"favor", "none", "against"}, b: []string{"favor", "none", "against"},
			kappa: 1, alpha: 1,
		},
		{
			// One value throughout: chance agreement is 1, both undefined.
			name: "single value", a: rep("none", 5), b: rep("none", 5),
			kappa: math.NaN(), alpha: math.NaN(),
		},
		{name: "empty", kappa: math.NaN(), alpha: math.NaN()},
	}
	same := func(x, y float64) bool {
		return math.IsNaN(x) && math.IsNaN(y) || math.Abs(x-y) < 1e-12
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if k := CohenKappa(tt.a, tt.b); !same(k, tt.kappa) {
				t.Errorf("kappa = %v, want %v", k, tt.kappa)
			}
			if a := KrippendorffAlpha(tt.a, tt.b); !same(a, tt.alpha) {
				t.Errorf("alpha = %v, want %v", a, tt.alpha)
			}
		})
	}
}

func TestCompare(t *testing.T) {
	tax := Taxonomy{Targets: []Target{
		{Name: "x", Values: DefaultValues},
		{Name: "y", Values: DefaultValues},
	}}
	row := func(id, x, y string) Gold { return Gold{ID: id, Text: "text " + id, Labels: []string{x, y}} }
	a := []Gold{row("1", "favor", "none"), row("2", "none", "none"), row("3", "against", ""), row("4", "none", "none")}
	b := []Gold{row("2", "favor", "none"), row("1", "favor", "none"), row("3", "against", "favor"), row("5", "none", "none")}
	ag := Compare(tax, a, b)
	if ag.Common != 3 || fmt.Sprint(ag.OnlyA) != "[4]" || fmt.Sprint(ag.OnlyB) != "[5]" {
		t.Errorf("common %d onlyA %v onlyB %v", ag.Common, ag.OnlyA, ag.OnlyB)
	}
	// x: 3 items, 2 agree; y: item 3 has an empty cell in A, so 2 items.
	if ag.Targets[0].N != 3 || math.Abs(ag.Targets[0].Raw-2.0/3) > 1e-12 {
		t.Errorf("x: %+v", ag.Targets[0])
	}
	if ag.Targets[1].N != 2 || ag.Targets[1].Raw != 1 || !math.IsNaN(ag.Targets[1].Kappa) {
		t.Errorf("y: %+v", ag.Targets[1])
	}
	var buf bytes.Buffer
	if err := WriteDisagreements(&buf, ag.Disagreements); err != nil {
		t.Fatal(err)
	}
	want := "id,text,target,a_value,b_value\n2,text 2,x,none,favor\n"
	if buf.String() != want {
		t.Errorf("disagreements:\n%s\nwant\n%s", buf.String(), want)
	}
}
