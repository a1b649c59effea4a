package subword

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"unicode/utf8"

	"github.com/sugarme/tokenizer"
)

// wordPiece is the WordPiece model: greedy longest-match-first over a
// vocabulary where pieces after the first carry a continuation prefix.
//
// It implements tokenizer.Model with exactly the algorithm of the
// library's model/wordpiece (which we cannot import: that package pulls
// in github.com/emirpasic/gods, absent from go.mod), with one deliberate
// difference: the library fails with an error when the unknown token is
// not in the vocabulary, while Load refuses such a vocabulary up front,
// so Tokenize never fails.
//
// It is immutable after construction and safe for concurrent use.
type wordPiece struct {
	vocab    map[string]int
	tokens   []string // id -> token; ids are exactly 0..len-1
	unk      string
	unkID    int
	prefix   string // continuing-subword prefix, "##" by default
	maxChars int    // longer words (in runes) become the unknown token
}

// newWordPiece checks that tokens form a usable vocabulary: unique, non-empty,
// containing unk.
func newWordPiece(tokens []string, unk, prefix string, maxChars int) (*wordPiece, error) {
	m := &wordPiece{
		vocab:    make(map[string]int, len(tokens)),
		tokens:   tokens,
		unk:      unk,
		prefix:   prefix,
		maxChars: maxChars,
	}
	for id, tok := range tokens {
		if tok == "" {
			return nil, fmt.Errorf("vocabulary: id %d: empty token", id)
		}
		if prev, dup := m.vocab[tok]; dup {
			return nil, fmt.Errorf("vocabulary: token %q has ids %d and %d", tok, prev, id)
		}
		m.vocab[tok] = id
	}
	id, ok := m.vocab[unk]
	if !ok {
		return nil, fmt.Errorf("vocabulary: unknown token %q is not in the vocabulary", unk)
	}
	m.unkID = id
	if maxChars <= 0 {
		return nil, fmt.Errorf("max_input_chars_per_word must be positive, got %d", maxChars)
	}
	return m, nil
}

// appendWordIDs appends the ids of one pre-tokenized word. scratch is
// reused for lookup keys and returned.
func (m *wordPiece) appendWordIDs(dst []int, word []byte, scratch []byte) ([]int, []byte) {
	if len(word) == 0 {
		return dst, scratch
	}
	if utf8.RuneCount(word) > m.maxChars {
		return append(dst, m.unkID), scratch
	}
	n := len(dst)
	for start := 0; start < len(word); {
		found := false
		for end := len(word); end > start; {
			key := word[start:end]
			if start > 0 {
				scratch = append(append(scratch[:0], m.prefix...), key...)
				key = scratch
			}
			if id, ok := m.vocab[string(key)]; ok {
				dst = append(dst, id)
				start = end
				found = true
				break
			}
			_, size := utf8.DecodeLastRune(word[start:end])
			end -= size
		}
		if !found {
			// Like the library: one unknown piece makes the whole word unknown.
			return append(dst[:n], m.unkID), scratch
		}
	}
	return dst, scratch
}

// Tokenize implements tokenizer.Model. Offsets are in runes of sequence,
// as the library's WordPiece gives them.
func (m *wordPiece) Tokenize(sequence string) ([]tokenizer.Token, error) {
	ids, _ := m.appendWordIDs(nil, []byte(sequence), nil)
	out := make([]tokenizer.Token, 0, len(ids))
	nRunes := utf8.RuneCountInString(sequence)
	if len(ids) == 1 && ids[0] == m.unkID {
		return append(out, tokenizer.Token{Id: m.unkID, Value: m.unk, Offsets: []int{0, nRunes}}), nil
	}
	start := 0
	for i, id := range ids {
		tok := m.tokens[id]
		if i > 0 {
			tok = tok[len(m.prefix):]
		}
		end := start + utf8.RuneCountInString(tok)
		out = append(out, tokenizer.Token{Id: id, Value: m.tokens[id], Offsets: []int{start, end}})
		start = end
	}
	return out, nil
}

// TokenToId implements tokenizer.Model.
func (m *wordPiece) TokenToId(token string) (int, bool) {
	id, ok := m.vocab[token]
	return id, ok
}

// IdToToken implements tokenizer.Model.
func (m *wordPiece) IdToToken(id int) (string, bool) {
	if id < 0 || id >= len(m.tokens) {
		return "", false
	}
	return m.tokens[id], true
}

// GetVocab implements tokenizer.Model; the map is a copy.
func (m *wordPiece) GetVocab() map[string]int {
	v := make(map[string]int, len(m.vocab))
	for k, id := range m.vocab {
		v[k] = id
	}
	return v
}

// GetVocabSize implements tokenizer.Model.
func (m *wordPiece) GetVocabSize() int { return len(m.tokens) }

// Save implements tokenizer.Model: it writes vocab.txt (or
// NAME-vocab.txt), one token per line in id order, as BERT does.
func (m *wordPiece) Save(dir string, prefixOpt ...string) error {
	name := "vocab.txt"
	if len(prefixOpt) > 0 {
		name = prefixOpt[0] + "-vocab.txt"
	}
	f, err := os.Create(filepath.Join(dir, name))
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	for _, tok := range m.tokens {
		fmt.Fprintln(w, tok)
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
