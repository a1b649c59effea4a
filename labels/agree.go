package labels

import (
	"encoding/csv"
	"io"
	"math"
	"slices"
)

// CohenKappa returns Cohen's kappa for two annotators' values over the
// same items (a[i] and b[i] label item i): (po - pe) / (1 - pe), with po
// the observed agreement and pe the agreement expected from each
// annotator's own value frequencies. It returns NaN when kappa is
// undefined: no items, or pe = 1 (both gave one and the same value to
// everything). It panics if len(a) != len(b).
func CohenKappa(a, b []string) float64 {
	if len(a) != len(b) {
		panic("labels: CohenKappa with slices of different lengths")
	}
	n := float64(len(a))
	if n == 0 {
		return math.NaN()
	}
	ca, cb := map[string]float64{}, map[string]float64{}
	agree := 0.0
	for i := range a {
		ca[a[i]]++
		cb[b[i]]++
		if a[i] == b[i] {
			agree++
		}
	}
	po := agree / n
	pe := 0.0
	for _, v := range sortedValues(ca) {
		pe += ca[v] / n * cb[v] / n
	}
	if pe == 1 {
		return math.NaN()
	}
	return (po - pe) / (1 - pe)
}

// KrippendorffAlpha returns Krippendorff's alpha for nominal data from two
// annotators with no missing values (a[i] and b[i] label item i):
// 1 - Do/De = 1 - (n-1) * sum_{c!=k} o_ck / sum_{c!=k} n_c n_k, where o is
// the coincidence matrix (each item adds the pairs (a,b) and (b,a)), n_c
// how often value c was given and n = 2*len(a). It returns NaN when alpha
// is undefined: no items, or a single value used throughout
// (De = 0). It panics if len(a) != len(b).
func KrippendorffAlpha(a, b []string) float64 {
	if len(a) != len(b) {
		panic("labels: KrippendorffAlpha with slices of different lengths")
	}
	if len(a) == 0 {
		return math.NaN()
	}
	nc := map[string]float64{}
	disagree := 0.0 // sum over c != k of o_ck
	for i := range a {
		nc[a[i]]++
		nc[b[i]]++
		if a[i] != b[i] {
			disagree += 2
		}
	}
	n := float64(2 * len(a))
	expected := 0.0 // sum over c != k of n_c n_k = n^2 - sum n_c^2
	sq := 0.0
	for _, v := range sortedValues(nc) {
		sq += nc[v] * nc[v]
	}
	expected = n*n - sq
	if expected == 0 {
		return math.NaN()
	}
	return 1 - (n-1)*disagree/expected
}

func sortedValues(m map[string]float64) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// TargetAgreement is how two annotators agree on one target, over the
// items both labelled (neither cell empty).
type TargetAgreement struct {
	Target string
	N      int     // items both labelled
	Raw    float64 // share of those with the same value; NaN if N = 0
	Kappa  float64 // Cohen's kappa; NaN if undefined
	Alpha  float64 // Krippendorff's alpha (nominal); NaN if undefined
}

// Disagreement is one item and target on which two annotators differ.
type Disagreement struct {
	ID, Text, Target string
	A, B             string
}

// Agreement compares two annotators' files over tax.
type Agreement struct {
	Targets       []TargetAgreement // aligned with tax.Targets
	Common        int               // ids in both files
	OnlyA, OnlyB  []string          // ids in one file only, in file order
	Disagreements []Disagreement    // in A's row order, then target order
}

// Compare measures the agreement of annotators A and B, whose rows'
// Labels are aligned with tax. Items are matched by id; ids in one file
// only are listed and left out. For each target, items where either cell
// is empty (not labelled) are left out of that target's figures.
func Compare(tax Taxonomy, a, b []Gold) Agreement {
	inB := make(map[string]int, len(b))
	for i, g := range b {
		inB[g.ID] = i
	}
	inA := make(map[string]bool, len(a))
	var ag Agreement
	va := make([][]string, len(tax.Targets))
	vb := make([][]string, len(tax.Targets))
	for _, ga := range a {
		inA[ga.ID] = true
		j, ok := inB[ga.ID]
		if !ok {
			ag.OnlyA = append(ag.OnlyA, ga.ID)
			continue
		}
		ag.Common++
		gb := b[j]
		for t := range tax.Targets {
			x, y := ga.Labels[t], gb.Labels[t]
			if x == "" || y == "" {
				continue
			}
			va[t] = append(va[t], x)
			vb[t] = append(vb[t], y)
			if x != y {
				ag.Disagreements = append(ag.Disagreements, Disagreement{ID: ga.ID, Text: ga.Text, Target: tax.Targets[t].Name, A: x, B: y})
			}
		}
	}
	for _, gb := range b {
		if !inA[gb.ID] {
			ag.OnlyB = append(ag.OnlyB, gb.ID)
		}
	}
	for t, tg := range tax.Targets {
		ta := TargetAgreement{Target: tg.Name, N: len(va[t]), Raw: math.NaN()}
		if ta.N > 0 {
			same := 0
			for i := range va[t] {
				if va[t][i] == vb[t][i] {
					same++
				}
			}
			ta.Raw = float64(same) / float64(ta.N)
		}
		ta.Kappa = CohenKappa(va[t], vb[t])
		ta.Alpha = KrippendorffAlpha(va[t], vb[t])
		ag.Targets = append(ag.Targets, ta)
	}
	return ag
}

// WriteDisagreements writes ds as CSV with the header
// id,text,target,a_value,b_value, for adjudication.
func WriteDisagreements(w io.Writer, ds []Disagreement) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"id", "text", "target", "a_value", "b_value"})
	for _, d := range ds {
		cw.Write([]string{d.ID, d.Text, d.Target, d.A, d.B})
	}
	cw.Flush()
	return cw.Error()
}
