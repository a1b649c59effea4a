package models

import (
	"cmp"
	"math"
	"slices"
	"strings"

	"github.com/stance-project/stance/labels"
)

// Pseudo-words of Explain: what no single word carries.
const (
	// OtherPieces holds the features of punctuation and of word pieces
	// that span words (word bigrams, in a model read from an old file).
	OtherPieces = "(punctuation and pieces across words)"
	// DescriptionCues prefixes the description features of a target.
	DescriptionCues = "(description words of "
)

// Explain returns the k words of text that push target's prediction
// hardest, strongest first: each a lower-cased word of the sentence or
// one of the pseudo-words above, with its share of the calibrated logit
// of Value minus that of none (positive pushes towards Value, negative
// towards none). Value is the predicted value, or, when the
// prediction is none, the more probable of favor and against (so the
// scores show what argued for a stance and what held it back).
//
// The scores are exact: the logit difference of Value and none is linear
// in the pooled features, so a word's score is the sum over the features
// it gives (its subword pieces, its character n-grams, its clusters
// and, in a model read from an old file, the word itself; once per
// occurrence) of their pooled weight difference, divided by the
// calibration temperature.
// What no single word gives is OtherPieces (with a tokenizer that keeps
// case, or a word whose characters the tokenizer splits otherwise alone,
// its pieces land there too). Scores plus (B_v − B_none)/T sum to
// (z_v − z_none)/T, the logit difference before the calibration's
// shifts. Explain panics if target is out of range; k <= 0 means all
// words.
func (m *Model) Explain(text string, target, k int) []labels.Contribution {
	sc := m.newScratch()
	z := m.logits(sc, text)
	p := softmax(z[target], m.shift[target], m.temp[target])
	v := m.decide(target, p)
	if v == 2 {
		v = 0
		if p[1] > p[0] {
			v = 1
		}
	}
	w := m.w
	kw := w.width()
	temp := m.temp[target]
	feats := slices.Clone(m.featurize(sc, text))
	norm := w.poolNorm(feats)
	scores := map[string]float64{}
	if w.Cue != nil { // a target without labels: its description model
		prior := m.prior.appendTo(nil, text, sc)[target*nPrior : (target+1)*nPrior]
		cue := w.Cue[target*nPrior*nValues:]
		var d float64
		for j, x := range prior {
			d += float64(x) * float64(cue[j*nValues+v]-cue[j*nValues+2]) / temp
		}
		if d != 0 {
			scores[DescriptionCues+m.tax.Targets[target].Name+")"] += d
		}
	}
	if norm == 0 {
		return sortContributions(scores, m.tax.Targets[target].Values[v], k)
	}
	push := func(fs []int32) float64 {
		var s float64
		for _, f := range fs {
			if fw := w.featWeight(f); fw != 0 {
				row := w.W[int(f)*kw+target*nValues:]
				s += float64(row[v]-row[2]) * float64(fw) / float64(norm) / temp
			}
		}
		return s
	}
	total := push(feats)
	var explained float64
	one := m.newScratch()
	for _, word := range labels.Words(text) {
		s := push(m.featurize(one, word))
		scores[word] += s
		explained += s
	}
	if rest := total - explained; math.Abs(rest) > 1e-9 {
		scores[OtherPieces] += rest
	}
	return sortContributions(scores, m.tax.Targets[target].Values[v], k)
}

// sortContributions returns the k (k <= 0: all) largest scores, strongest
// first, ties by name.
func sortContributions(scores map[string]float64, value string, k int) []labels.Contribution {
	if len(scores) == 0 {
		return nil
	}
	out := make([]labels.Contribution, 0, len(scores))
	for name, s := range scores {
		out = append(out, labels.Contribution{Token: name, Value: value, Score: s})
	}
	slices.SortFunc(out, func(a, b labels.Contribution) int {
		if c := cmp.Compare(b.Score, a.Score); c != 0 {
			return c
		}
		return strings.Compare(a.Token, b.Token)
	})
	if k > 0 && len(out) > k {
		out = out[:k]
	}
	return out
}

// featureNames names each feature of text in featurize's order.
func (m *Model) featureNames(text string, feats []int32) []string {
	names := make([]string, 0, len(feats))
	for _, f := range feats {
		if int(f) >= m.feats.vocab {
			break
		}
		names = append(names, m.tok.Token(int(f)))
	}
	words := labels.Words(text)
	if m.feats.buckets > 0 && m.feats.unigrams {
		names = append(names, words...)
	}
	if m.feats.buckets > 0 && m.feats.bigrams {
		for i := 1; i < len(words); i++ {
			names = append(names, words[i-1]+" "+words[i])
		}
	}
	if m.feats.buckets > 0 && m.feats.charMax > 0 {
		names = appendCharNames(names, text, m.feats.charMin, m.feats.charMax)
	}
	if m.feats.clusters != nil {
		names = m.feats.clusters.appendNames(names, words)
	}
	for len(names) < len(feats) { // cannot happen: TestFeatureNames
		names = append(names, "?")
	}
	return names[:len(feats)]
}

// appendCharNames appends the character n-grams of text in the order
// appendCharNgrams emits their features, with its boundary marks
// ("<wa", "war", "ar>", ...).
func appendCharNames(dst []string, text string, lo, hi int) []string {
	charNgrams(text, lo, hi, nil, func(g []rune) { dst = append(dst, string(g)) })
	return dst
}
