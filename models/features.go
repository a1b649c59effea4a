package models

import (
	"unicode"
	"unicode/utf8"

	"github.com/stance-project/stance/labels"
)

// features turns text into feature ids: subword token ids in [0, vocab)
// followed by hashed character n-grams in [vocab, vocab+buckets) (and
// before them, in a model read from a format version 1–3 file, hashed
// word unigrams and bigrams in the same buckets), then, in a model
// trained with word clusters, each word's cluster at every level, one
// id per cluster after the buckets (wordClusters).
type features struct {
	vocab            int
	buckets          int
	unigrams         bool
	bigrams          bool
	charMin, charMax int           // character n-gram lengths; charMax 0: none
	clusters         *wordClusters // nil: none
}

// hashing constants: FNV-1a over the lower-cased UTF-8 bytes of a word,
// then splitmix64 to spread unigram and bigram keys over the buckets.
const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
	uniSalt   = 0x9e3779b97f4a7c15
	biSalt    = 0xbf58476d1ce4e5b9
	charSalt  = 0x94d049bb133111eb
)

func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// appendWordHashes appends the FNV-1a hash of each lower-cased word of text
// (maximal runs of letters and digits) to dst, allocating nothing else.
func appendWordHashes(dst []uint64, text string) []uint64 {
	var h uint64 = fnvOffset
	in := false
	var buf [utf8.UTFMax]byte
	for _, r := range text {
		if labels.IsWordRune(r) {
			in = true
			r = unicode.ToLower(r)
			if r < utf8.RuneSelf {
				h ^= uint64(r)
				h *= fnvPrime
				continue
			}
			n := utf8.EncodeRune(buf[:], r)
			for _, b := range buf[:n] {
				h ^= uint64(b)
				h *= fnvPrime
			}
			continue
		}
		if in {
			dst = append(dst, h)
			h, in = fnvOffset, false
		}
	}
	if in {
		dst = append(dst, h)
	}
	return dst
}

// appendNgrams appends the bucket feature ids of the word hashes words.
func (f features) appendNgrams(dst []int32, words []uint64) []int32 {
	if f.buckets == 0 {
		return dst
	}
	b := uint64(f.buckets)
	base := int32(f.vocab)
	if f.unigrams {
		for _, w := range words {
			dst = append(dst, base+int32(mix64(w^uniSalt)%b))
		}
	}
	if f.bigrams {
		for i := 1; i < len(words); i++ {
			dst = append(dst, base+int32(mix64(words[i-1]*116049371+words[i]^biSalt)%b))
		}
	}
	return dst
}

// size is the number of feature ids (rows of W).
func (f features) size() int { return f.vocab + f.buckets + f.clusters.size() }

// appendCharNgrams appends the bucket feature ids of the character
// n-grams (charMin to charMax runes) of each lower-cased word of text
// (maximal runs of letters and digits) wrapped in boundary marks, as
// "<war>" gives "<wa", "war", "ar>", "<war", "war>", ... (fastText's
// subword features, scikit-learn's char_wb analyzer). A word shorter
// than an n-gram contributes its whole marked form once.
func (f features) appendCharNgrams(dst []int32, text string, runes []rune) ([]int32, []rune) {
	if f.buckets == 0 || f.charMax == 0 {
		return dst, runes
	}
	b := uint64(f.buckets)
	base := int32(f.vocab)
	runes = charNgrams(text, f.charMin, f.charMax, runes, func(g []rune) {
		dst = append(dst, base+int32(mix64(charHash(g)^charSalt)%b))
	})
	return dst, runes
}

// charNgrams calls gram with each character n-gram of lo to hi runes of
// each lower-cased word of text (maximal runs of letters and digits)
// wrapped in boundary marks, in appendCharNgrams' order: by word, then by
// length, then by position; a marked word shorter than lo once, whole.
// runes is scratch space, returned for reuse.
func charNgrams(text string, lo, hi int, runes []rune, gram func([]rune)) []rune {
	emit := func(w []rune) {
		for n := lo; n <= min(hi, len(w)); n++ {
			for i := 0; i+n <= len(w); i++ {
				gram(w[i : i+n])
			}
		}
		if len(w) < lo {
			gram(w)
		}
	}
	runes = append(runes[:0], '<')
	for _, r := range text {
		if labels.IsWordRune(r) {
			runes = append(runes, unicode.ToLower(r))
			continue
		}
		if len(runes) > 1 {
			emit(append(runes, '>'))
		}
		runes = append(runes[:0], '<')
	}
	if len(runes) > 1 {
		emit(append(runes, '>'))
	}
	return runes
}

// charHash is FNV-1a over the runes of a character n-gram.
func charHash(rs []rune) uint64 {
	var h uint64 = fnvOffset
	for _, r := range rs {
		h ^= uint64(r)
		h *= fnvPrime
	}
	return h
}
