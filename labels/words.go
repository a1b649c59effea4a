package labels

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// IsWordRune reports whether r belongs to a word: a letter or a digit.
// Every part of the project that reads words splits text with it: the
// model's character n-gram features (and an old model's word n-grams),
// its explanations, the evaluation's word lists and suggest's
// near-duplicate shingles.
// (Description cues read letters only: see Stems.)
func IsWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// Words returns text's words in order: maximal runs of IsWordRune
// runes, each rune lower-cased on its own (unicode.ToLower, as the
// model's features lower-case them).
func Words(text string) []string {
	var out []string
	var b strings.Builder
	for _, r := range text {
		if IsWordRune(r) {
			r = unicode.ToLower(r)
			if r < utf8.RuneSelf {
				b.WriteByte(byte(r))
			} else {
				b.WriteRune(r)
			}
			continue
		}
		if b.Len() > 0 {
			out = append(out, b.String())
			b.Reset()
		}
	}
	if b.Len() > 0 {
		out = append(out, b.String())
	}
	return out
}
