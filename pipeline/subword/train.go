package subword

import (
	"cmp"
	"container/heap"
	"errors"
	"fmt"
	"iter"
	"slices"
	"strings"
	"unicode/utf8"
)

// Training.
//
// The model is WordPiece, trained the way Hugging Face trains it: byte-
// pair merges over characters where every character after a word's first
// carries the "##" prefix, the resulting vocabulary then used greedily
// (longest match first). WordPiece rather than BPE because
//   - a word it cannot spell becomes one [UNK] token, cleanly, instead of
//     BPE's per-character unknowns (and the library's trained BPE loses
//     its unknown token and panics on the first unseen character);
//   - encoding needs only the vocabulary, so the tokenizer.json is small
//     and any BERT-style tokenizer.json can be loaded.
//
// The merges are learned here, not by sugarme/tokenizer's trainers: in
// v0.3.0 the WordPiece trainer writes a Go pointer address into every
// word-initial token ("0xc000012345h"), both trainers drop the special
// tokens, and ties between equally frequent pairs are broken by
// time.Now() and map iteration order, so the same corpus gives a
// different vocabulary on each run. Ours breaks ties by token id, so it
// is deterministic.

// specialTokens open every trained vocabulary, in this order: [PAD] is
// id 0 and [UNK] id 1.
var specialTokens = []string{"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"}

const (
	unknownToken = "[UNK]"
	wordPrefix   = "##"
	maxWordChars = 100 // as BERT: longer words are unknown
	// alphabetLimit caps the characters kept (the most frequent ones), as
	// Hugging Face's BERT trainer does; words with a dropped character
	// encode as [UNK].
	alphabetLimit = 1000
)

// defaultSteps is the normaliser of trained tokenizers: NFKC (so
// fullwidth letters, ligatures and decomposed accents read as their
// plain forms, and no-break spaces split words), then BERT's (control
// characters dropped, CJK ideographs split apart, optional lowercase;
// accents kept, since they distinguish words in the Romance languages of
// the corpus). NFKC comes from golang.org/x/text: the library's own does
// not compose (see composer).
func defaultSteps(cfg Config) []normStep {
	return []normStep{{Type: "NFKC"}, {
		Type:               "BertNormalizer",
		CleanText:          true,
		HandleChineseChars: true,
		Lowercase:          cfg.Lowercase,
	}}
}

// Train learns a vocabulary from sentences, streaming them once (memory
// grows with distinct words, not with the corpus). The same sentences and
// config always give the same vocabulary. It fails when cfg is invalid or
// the sentences hold no words.
func Train(sentences iter.Seq[string], cfg Config) (*Tokenizer, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	steps := defaultSteps(cfg)
	o, err := ops(steps)
	if err != nil {
		return nil, err
	}
	split := newWordSplitter(o)
	counts := make(map[string]int)
	var s scratch
	for sentence := range sentences {
		split.split(&s, sentence)
		for i := 0; i < len(s.bounds); i += 2 {
			counts[string(s.norm[s.bounds[i]:s.bounds[i+1]])]++
		}
	}
	if len(counts) == 0 {
		return nil, errors.New("subword: no words in the training sentences")
	}
	tokens := learnWordPiece(counts, cfg.VocabSize, max(cfg.MinFrequency, 1))
	model, err := newWordPiece(tokens, unknownToken, wordPrefix, maxWordChars)
	if err != nil {
		return nil, fmt.Errorf("subword: %w", err) // a bug: the vocabulary is ours
	}
	return newTokenizer(steps, model)
}

type pair struct{ a, b int32 }

// pairEntry is a heap entry; count may be stale (lazy deletion).
type pairEntry struct {
	count int
	p     pair
}

type pairHeap []pairEntry

func (h pairHeap) Len() int { return len(h) }
func (h pairHeap) Less(i, j int) bool {
	if h[i].count != h[j].count {
		return h[i].count > h[j].count
	}
	if h[i].p.a != h[j].p.a {
		return h[i].p.a < h[j].p.a
	}
	return h[i].p.b < h[j].p.b
}
func (h pairHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *pairHeap) Push(x any)   { *h = append(*h, x.(pairEntry)) }
func (h *pairHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// learnWordPiece returns the vocabulary (id order) learned from word
// counts: special tokens, the alphabet (each kept character bare and
// with the "##" prefix), then merged pieces in merge order until
// vocabSize is reached or no pair occurs minFreq times.
func learnWordPiece(counts map[string]int, vocabSize, minFreq int) []string {
	words := make([]string, 0, len(counts))
	for w := range counts {
		if utf8.RuneCountInString(w) <= maxWordChars {
			words = append(words, w)
		}
	}
	slices.Sort(words)

	// The alphabet: the alphabetLimit most frequent characters.
	charFreq := make(map[rune]int)
	for _, w := range words {
		for _, r := range w {
			charFreq[r] += counts[w]
		}
	}
	chars := make([]rune, 0, len(charFreq))
	for r := range charFreq {
		chars = append(chars, r)
	}
	slices.SortFunc(chars, func(x, y rune) int {
		if c := cmp.Compare(charFreq[y], charFreq[x]); c != 0 {
			return c
		}
		return cmp.Compare(x, y)
	})
	if len(chars) > alphabetLimit {
		chars = chars[:alphabetLimit]
	}
	slices.Sort(chars)

	tokens := slices.Clone(specialTokens)
	ids := make(map[string]int32, vocabSize)
	for i, t := range tokens {
		ids[t] = int32(i)
	}
	add := func(t string) int32 {
		if id, ok := ids[t]; ok {
			return id
		}
		id := int32(len(tokens))
		tokens = append(tokens, t)
		ids[t] = id
		return id
	}
	for _, r := range chars {
		add(string(r))
	}
	for _, r := range chars {
		add(wordPrefix + string(r))
	}

	// Words as symbol sequences; words with a dropped character are left
	// out (they encode as [UNK] whatever is merged).
	var syms [][]int32
	var freq []int
words:
	for _, w := range words {
		s := make([]int32, 0, len(w))
		for i, r := range w {
			t := string(r)
			if i > 0 {
				t = wordPrefix + t
			}
			id, ok := ids[t]
			if !ok {
				continue words
			}
			s = append(s, id)
		}
		syms = append(syms, s)
		freq = append(freq, counts[w])
	}

	pairCount := make(map[pair]int)
	where := make(map[pair][]int32) // word indexes, possibly repeated or stale
	for wi, s := range syms {
		for i := 0; i+1 < len(s); i++ {
			p := pair{s[i], s[i+1]}
			pairCount[p] += freq[wi]
			where[p] = append(where[p], int32(wi))
		}
	}
	h := make(pairHeap, 0, len(pairCount))
	for p, c := range pairCount {
		h = append(h, pairEntry{c, p})
	}
	heap.Init(&h)

	seen := make([]int, len(syms)) // merge number that last rewrote word i
	touched := make(map[pair]struct{})
	for merge := 1; len(tokens) < vocabSize && h.Len() > 0; {
		top := heap.Pop(&h).(pairEntry)
		cur := pairCount[top.p]
		if cur != top.count {
			if cur > 0 {
				heap.Push(&h, pairEntry{cur, top.p})
			}
			continue
		}
		if cur < minFreq {
			break
		}
		newID := add(tokens[top.p.a] + strings.TrimPrefix(tokens[top.p.b], wordPrefix))
		clear(touched)
		for _, wi := range where[top.p] {
			if seen[wi] == merge {
				continue
			}
			seen[wi] = merge
			s := syms[wi]
			if !hasPair(s, top.p) {
				continue
			}
			f := freq[wi]
			for i := 0; i+1 < len(s); i++ {
				pairCount[pair{s[i], s[i+1]}] -= f
			}
			out := s[:0]
			for i := 0; i < len(s); i++ {
				if i+1 < len(s) && s[i] == top.p.a && s[i+1] == top.p.b {
					out = append(out, newID)
					i++
				} else {
					out = append(out, s[i])
				}
			}
			syms[wi] = out
			for i := 0; i+1 < len(out); i++ {
				p := pair{out[i], out[i+1]}
				pairCount[p] += f
				if out[i] == newID || out[i+1] == newID {
					where[p] = append(where[p], wi)
					touched[p] = struct{}{}
				}
			}
		}
		delete(where, top.p)
		delete(pairCount, top.p)
		for p := range touched {
			if c := pairCount[p]; c > 0 {
				heap.Push(&h, pairEntry{c, p})
			}
		}
		merge++
	}
	return tokens
}

func hasPair(s []int32, p pair) bool {
	for i := 0; i+1 < len(s); i++ {
		if s[i] == p.a && s[i+1] == p.b {
			return true
		}
	}
	return false
}
