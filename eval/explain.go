package eval

import (
	"cmp"
	"slices"
	"strings"

	"github.com/stance-project/stance/labels"
)

// ExplainWords turns an explainer's contributions to the prediction of
// one target for text into the words of text that pushed it toward the
// predicted value pred, strongest first, at most k (every one for k ≤ 0).
// Each returned Contribution has Token a word of text (lower case) or a
// pseudo-word ("description: …", "(…)") as the explainer names it,
// Value pred, and Score > 0 in the explainer's units.
//
// A contribution counts toward pred when its Value is pred or "" (the
// explainer does not say). When predNone is true (pred is the none value)
// a contribution toward a stance pushes away from none, so its score
// counts negated: what held the stance back is what pushed toward none.
// A contribution toward another stance than pred is left out.
//
// Features become words so that a person can read them: a word or a
// "word1 word2" bigram counts for its words (half each); a subword piece
// or character n-gram ("erati", "<sah", with boundary marks "<", ">",
// "▁", "##" or "Ġ" trimmed) counts for the word of text it is, or else
// is split evenly among the words that contain it; a piece in no word
// (punctuation) is left out.
func ExplainWords(text, pred string, predNone bool, cs []labels.Contribution, k int) []labels.Contribution {
	words := textWords(text)
	sums := map[string]float64{}
	for _, c := range cs {
		s := c.Score
		switch {
		case c.Value == "" || c.Value == pred:
		case predNone:
			s = -s
		default:
			continue
		}
		if strings.HasPrefix(c.Token, "description:") || strings.HasPrefix(c.Token, "(") {
			sums[c.Token] += s // a pseudo-word: kept as the explainer names it
			continue
		}
		if parts := strings.Fields(c.Token); len(parts) > 1 {
			for _, p := range parts {
				if slices.Contains(words, p) {
					sums[p] += s / float64(len(parts))
				}
			}
			continue
		}
		piece := strings.ToLower(c.Token)
		piece = strings.TrimPrefix(piece, "##")
		piece = strings.Trim(piece, "<>▁Ġ ")
		if piece == "" {
			continue
		}
		if slices.Contains(words, piece) {
			sums[piece] += s
			continue
		}
		var in []string
		for _, w := range words {
			if strings.Contains(w, piece) {
				in = append(in, w)
			}
		}
		for _, w := range in {
			sums[w] += s / float64(len(in))
		}
	}
	var out []labels.Contribution
	for w, s := range sums {
		if s > 1e-12 {
			out = append(out, labels.Contribution{Token: w, Value: pred, Score: s})
		}
	}
	slices.SortFunc(out, func(a, b labels.Contribution) int {
		return cmp.Or(cmp.Compare(b.Score, a.Score), strings.Compare(a.Token, b.Token))
	})
	if k > 0 && len(out) > k {
		out = out[:k]
	}
	return out
}

// textWords returns the distinct words of text, lower case, in order: runs
// of letters and digits, as the model's word features split them.
func textWords(text string) []string {
	var out []string
	for _, w := range labels.Words(text) {
		if !slices.Contains(out, w) {
			out = append(out, w)
		}
	}
	return out
}
