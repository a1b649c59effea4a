package labels

import (
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
	EachWord(text, nil, func(w []byte) { out = append(out, string(w)) })
	return out
}

// EachWord calls f with each word of text in order, as Words splits and
// lower-cases them, without allocating: the word is in buf (grown as
// needed, reused for the next word, so f must copy what it keeps), which
// EachWord returns for the next call.
func EachWord(text string, buf []byte, f func(word []byte)) []byte {
	buf = buf[:0]
	for _, r := range text {
		if IsWordRune(r) {
			r = unicode.ToLower(r)
			if r < utf8.RuneSelf {
				buf = append(buf, byte(r))
			} else {
				buf = utf8.AppendRune(buf, r)
			}
			continue
		}
		if len(buf) > 0 {
			f(buf)
			buf = buf[:0]
		}
	}
	if len(buf) > 0 {
		f(buf)
		buf = buf[:0]
	}
	return buf
}
