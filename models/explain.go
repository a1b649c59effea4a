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
// Without a hidden layer the scores are exact: the logit difference is
// linear in the bag, and each feature contributes its weighted embedding
// row through the head (scores plus the bias difference sum to the logit
// difference). With a hidden layer they are gradient × input at the bag.
// Explain panics if target is out of range; k <= 0 means all features.
func (m *Model) Explain(text string, target, k int) []Contribution {
	sc := m.newScratch()
	feats := slices.Clone(m.featurize(sc, text))
	norm := m.w.bag(sc.bag, feats)
	h := m.w.hidden(sc.hidden, sc.bag)
	var z [nValues]float32
	m.w.logits(&z, target, h)
	p := softmax(z, m.shift[target], m.temp[target])
	v := m.decide(target, p)
	if v == 2 {
		v = 0
		if p[1] > p[0] {
			v = 1
		}
	}
	// g is d(z_v - z_none)/d bag.
	w := m.w
	in := w.in()
	wo := w.Wo[target]
	diff := make([]float64, in)
	for i := range in {
		diff[i] = float64(wo[i*nValues+v] - wo[i*nValues+2])
	}
	g := diff
	if w.Hidden > 0 {
		g = make([]float64, w.Dim)
		pre := make([]float32, w.Hidden)
		copy(pre, w.B1)
		for d, x := range sc.bag {
			for j := range w.Hidden {
				pre[j] += x * w.W1[d*w.Hidden+j]
			}
		}
		for d := range w.Dim {
			var s float64
			for j := range w.Hidden {
				if pre[j] > 0 {
					s += float64(w.W1[d*w.Hidden+j]) * diff[j]
				}
			}
			g[d] = s
		}
	}
	names := m.featureNames(text, feats)
	scores := map[string]float64{}
	temp := m.temp[target]
	for i, f := range feats {
		fw := w.featWeight(f)
		if fw == 0 || norm == 0 {
			continue
		}
		row := w.Emb[int(f)*w.Dim : (int(f)+1)*w.Dim]
		var s float64
		for d, x := range row {
			s += float64(x) * g[d]
		}
		scores[names[i]] += s * float64(fw) / float64(norm) / temp
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
