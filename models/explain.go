package models

import (
	"cmp"
	"slices"
	"strings"
	"unicode"
)

// Contribution is one feature's push on a prediction: Score is its share
// of the calibrated logit of Value minus that of none (positive pushes
// towards Value, negative towards none).
type Contribution struct {
	Token string // a subword token, "word" for a word unigram, "word1 word2" for a bigram
	Value string
	Score float64
}

// Explain returns the k features of text that push target's prediction
// hardest, strongest first. Value is the predicted value, or, when the
// prediction is none, the more probable of favor and against (so the
// scores show what argued for a stance and what held it back).
//
// The scores are exact: the logit difference of Value and none is linear
// in the pooled features, and each feature contributes its pooled weight
// difference, divided by the calibration temperature; the description
// features contribute as "description: ..." tokens. Scores plus the
// intercepts' difference sum to the calibrated logit difference. Explain
// panics if target is out of range; k <= 0 means all features.
func (m *Model) Explain(text string, target, k int) []Contribution {
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
	feats := slices.Clone(m.featurize(sc, text))
	w := m.w
	kw := w.width()
	names := m.featureNames(text, feats)
	scores := map[string]float64{}
	temp := m.temp[target]
	norm := w.poolNorm(feats)
	for i, f := range feats {
		fw := w.featWeight(f)
		if fw == 0 || norm == 0 {
			continue
		}
		row := w.W[int(f)*kw+target*nValues:]
		scores[names[i]] += float64(row[v]-row[2]) * float64(fw) / float64(norm) / temp
	}
	if w.Cue != nil {
		prior := m.prior.appendTo(nil, text, sc)[target*nPrior : (target+1)*nPrior]
		cue := w.Cue[target*nPrior*nValues:]
		for j, x := range prior {
			if x != 0 {
				scores[priorNames[j]] += float64(x) * float64(cue[j*nValues+v]-cue[j*nValues+2]) / temp
			}
		}
	}
	out := make([]Contribution, 0, len(scores))
	value := m.tax.Targets[target].Values[v]
	for name, s := range scores {
		out = append(out, Contribution{Token: name, Value: value, Score: s})
	}
	slices.SortFunc(out, func(a, b Contribution) int {
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

// priorNames name the description features in explanations.
var priorNames = [nPrior]string{
	"description: topic with favor words", "description: topic with against words",
	"description: topic words", "description: favor words", "description: against words",
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
	words := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
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
