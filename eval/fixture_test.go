package eval

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"

	"github.com/stance-project/stance/labels"
)

// approx reports whether a and b are equal within 1e-9, or both NaN.
func approx(a, b float64) bool {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.IsNaN(a) && math.IsNaN(b)
	}
	return math.Abs(a-b) < 1e-9
}

var nan = math.NaN()

// testTaxonomy has four targets; in the synthetic data "fourth" never has
// gold or predicted against, so its F1_against is undefined.
func testTaxonomy(names ...string) labels.Taxonomy {
	var tax labels.Taxonomy
	for _, n := range names {
		tax.Targets = append(tax.Targets, labels.Target{Name: n, Description: "Target " + n + ".", Values: []string{labels.Favor, labels.Against, labels.None}})
	}
	return tax
}

// pairsFixture builds rows and predictions from (gold, predicted) value
// pairs per target: pairs[t] lists target t's pairs, all targets the same
// length. A gold "" leaves the cell unlabelled.
func pairsFixture(tax labels.Taxonomy, pairs [][][2]string) ([]labels.Gold, []labels.Prediction) {
	n := len(pairs[0])
	rows := make([]labels.Gold, n)
	preds := make([]labels.Prediction, n)
	for i := range n {
		rows[i] = labels.Gold{ID: fmt.Sprintf("s%03d", i), DocID: fmt.Sprintf("d%02d", i/3), Text: fmt.Sprintf("sentence %d", i), Labels: make([]string, len(tax.Targets))}
		preds[i] = labels.Prediction{ID: rows[i].ID, Values: make([]string, len(tax.Targets))}
		for t := range tax.Targets {
			rows[i].Labels[t] = pairs[t][i][0]
			preds[i].Values[t] = pairs[t][i][1]
		}
	}
	return rows, preds
}

// repeat returns k copies of the (gold, predicted) pair.
func repeat(k int, gold, pred string) [][2]string {
	out := make([][2]string, k)
	for i := range out {
		out[i] = [2]string{gold, pred}
	}
	return out
}

func concat(parts ...[][2]string) [][2]string {
	var out [][2]string
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

var vocabulary = strings.Fields(`the minister said that dialogue with moscow must continue while sanctions stay
	budgets for defence will rise to two percent of gdp our support for ukraine and kyiv remains firm
	the mediterranean and the sahel matter for security migration flows terrorism cooperation partnership
	we reject any increase in military spending aid to ukraine should stop the alliance must look south`)

// syntheticData makes n rows in documents of four sentences with gold
// labels for tax (last target: never against) and a noisy model's
// predictions with probabilities, from seed.
func syntheticData(tax labels.Taxonomy, n int, seed uint64) ([]labels.Gold, []labels.Prediction) {
	rng := rand.New(rand.NewPCG(seed, 7))
	T := len(tax.Targets)
	rows := make([]labels.Gold, n)
	preds := make([]labels.Prediction, n)
	for i := range n {
		words := make([]string, 8+rng.IntN(12))
		for j := range words {
			words[j] = vocabulary[rng.IntN(len(vocabulary))]
		}
		text := strings.ToUpper(words[0][:1]) + strings.Join(words, " ")[1:] + "."
		rows[i] = labels.Gold{ID: fmt.Sprintf("s%04d", i), DocID: fmt.Sprintf("doc%03d", i/4), Date: "2020-01", Source: "synthetic", Text: text, Labels: make([]string, T)}
		preds[i] = labels.Prediction{ID: rows[i].ID, Values: make([]string, T), Probs: make([][]float64, T)}
		for t := range T {
			u := rng.Float64()
			g := 2
			switch {
			case u < 0.2:
				g = 0
			case u < 0.3 && t != T-1:
				g = 1
			}
			p := g
			if rng.Float64() < 0.25 {
				p = rng.IntN(3)
				if t == T-1 && p == 1 {
					p = 2
				}
			}
			probs := make([]float64, 3)
			conf := 0.4 + 0.6*rng.Float64()
			if p == g {
				conf = math.Min(1, conf+0.15)
			}
			probs[p] = conf
			probs[(p+1)%3] = (1 - conf) * 0.6
			probs[(p+2)%3] = (1 - conf) * 0.4
			rows[i].Labels[t] = tax.Targets[t].Values[g]
			if i%37 == 5 && t == 0 {
				rows[i].Labels[t] = "" // not labelled yet
			}
			preds[i].Values[t] = tax.Targets[t].Values[p]
			preds[i].Probs[t] = probs
		}
	}
	return rows, preds
}

// wordExplainer explains a prediction with the first k words of the text,
// scored by position; it stands in for a model's own weights.
type wordExplainer struct{}

func (wordExplainer) Explain(text string, target, k int) []labels.Contribution {
	var out []labels.Contribution
	for i, w := range strings.Fields(text) {
		if k > 0 && len(out) == k {
			break
		}
		out = append(out, labels.Contribution{Token: strings.ToLower(strings.Trim(w, ".")), Score: 1 / float64(i+1+target)})
	}
	return out
}

// fixedClassifier returns stored predictions by text.
type fixedClassifier struct {
	byText map[string]labels.Prediction
	wordExplainer
}

func (f fixedClassifier) Predict(texts []string) ([]labels.Prediction, error) {
	out := make([]labels.Prediction, len(texts))
	for i, t := range texts {
		p, ok := f.byText[t]
		if !ok {
			return nil, fmt.Errorf("unknown text %q", t)
		}
		p.ID = ""
		out[i] = p
	}
	return out, nil
}

func newFixedClassifier(rows []labels.Gold, preds []labels.Prediction) fixedClassifier {
	m := map[string]labels.Prediction{}
	for i := range rows {
		m[rows[i].Text] = preds[i]
	}
	return fixedClassifier{byText: m}
}

// syntheticReport evaluates the synthetic data with the fixed classifier.
func syntheticReport(n int, resamples int) (*Report, error) {
	tax := labels.Default()
	rows, preds := syntheticData(tax, n, 42)
	opts := DefaultOptions()
	opts.Resamples = resamples
	rep, err := EvaluateClassifier(context.Background(), tax, rows, newFixedClassifier(rows, preds), opts)
	if err != nil {
		return nil, err
	}
	rep.Meta = Meta{Model: "testdata/model.stance", Labels: []string{"testdata/gold.csv"}}
	return rep, nil
}
